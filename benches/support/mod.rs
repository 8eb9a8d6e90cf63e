//! The benchmark corpus and the two alternative storages it is compared with.
//!
//! Everything here is built at bench setup from a synthetic session
//! ([`tdpr::synth`]), in memory: nothing is committed, and a rerun with the
//! same seed measures the same bytes.

pub mod alternatives;

use std::io::Write;

use prost::Message as _;
use tdpr::proto::Event;
use tdpr::{Batching, Compression, Inflater, RecordBody, Recording, Writer};
use tdpr_synth::{synth_metadata, write_synthetic, Profile, SynthOptions};

/// Seed of the corpus.
pub const SEED: u64 = 1;

/// The office session of `duration_us` the throughput benches run on.
pub fn office(duration_us: u64) -> Vec<u8> {
    session(Profile::Office, duration_us)
}

/// The session of `profile` and `duration_us`, written with the default
/// options (frame batches, compressed when that pays).
pub fn session(profile: Profile, duration_us: u64) -> Vec<u8> {
    let options = SynthOptions {
        profile,
        ..options(duration_us)
    };
    write_synthetic(Vec::new(), &options).expect("the synthetic session is written")
}

pub fn options(duration_us: u64) -> SynthOptions {
    SynthOptions {
        duration_us,
        seed: SEED,
        profile: Profile::Office,
        ..SynthOptions::default()
    }
}

/// One content record of a recording, owned, to write it again.
#[derive(Debug, Clone)]
pub enum Item {
    Frame(u64, Vec<u8>),
    ScreenSize(u64, u32, u32),
    Keyframe(u64, u32, u32, Vec<u8>),
    Event(u64, Event),
}

/// The content records of `file`, frames inflated.
pub fn items(file: &[u8]) -> Vec<Item> {
    let recording = Recording::parse(file).expect("the corpus opens");
    recording
        .records()
        .map(|r| r.expect("the corpus is valid"))
        .flat_map(|r| {
            let frames: Vec<_> = r
                .frames(&mut Inflater::default())
                .expect("inflates")
                .map(|frame| Item::Frame(frame.time_us, frame.message.to_vec()))
                .collect();
            let other = match r.body {
                RecordBody::ScreenSize { width, height } => {
                    Some(Item::ScreenSize(r.time_us, width, height))
                }
                RecordBody::Keyframe { width, height, png } => {
                    Some(Item::Keyframe(r.time_us, width, height, png.to_vec()))
                }
                RecordBody::Event(bytes) => Some(Item::Event(
                    r.time_us,
                    Event::decode(bytes).expect("the event decodes"),
                )),
                _ => None,
            };
            frames.into_iter().chain(other).collect::<Vec<_>>()
        })
        .collect()
}

/// The TDP messages of the frames, with their times: what Teleport stores.
pub fn frames(items: &[Item]) -> Vec<(u64, &[u8])> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Frame(time, message) => Some((*time, &message[..])),
            _ => None,
        })
        .collect()
}

/// Writes `items` with the corpus's metadata and options, `laps` times in a
/// row (each lap shifted by the length of one), into `sink`, gathering
/// frames into batches as `batching` says and compressing them as
/// `compression` says.
pub fn write<W: Write>(
    items: &[Item],
    laps: u64,
    batching: Batching,
    compression: Compression,
    sink: W,
) -> W {
    let mut options = options(0);
    options.writer.batching = batching;
    options.writer.compression = compression;
    let writer =
        Writer::new(sink, synth_metadata(&options), options.writer).expect("the writer opens");
    replay(items, laps, writer)
}

/// Writes `items` `laps` times in a row with `writer` (made with the
/// corpus's metadata), and finishes it.
pub fn replay<W: Write>(items: &[Item], laps: u64, mut writer: Writer<W>) -> W {
    let lap = match items.last() {
        Some(
            Item::Frame(t, ..)
            | Item::ScreenSize(t, ..)
            | Item::Keyframe(t, ..)
            | Item::Event(t, ..),
        ) => t + 1_000_000,
        None => 0,
    };
    for n in 0..laps {
        let shift = n * lap;
        for item in items {
            match item {
                Item::Frame(t, message) => writer.write_frame(shift + t, message),
                Item::ScreenSize(t, width, height) => {
                    writer.write_screen_size(shift + t, *width, *height)
                }
                Item::Keyframe(t, width, height, png) => {
                    writer.write_keyframe(shift + t, *width, *height, png)
                }
                Item::Event(t, event) => writer.write_event(shift + t, event.clone()),
            }
            .expect("the record is written");
        }
    }
    writer.finish().expect("the recording is finished")
}
