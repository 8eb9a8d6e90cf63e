//! Keyframes inserted into any recording agree with replaying it from the
//! start, at any time; inserting keeps every original record and is
//! idempotent.

use proptest::prelude::*;
use tdpr::{proto::Event, RangedRecording, Record, RecordBody, Recording, Writer, WriterOptions};
use tdpr_render::synth::{write_session, Codec, SessionOptions};
use tdpr_render::{before_keyframe, insert_keyframes, BeforeKeyframe, Playback};

/// The recording written again without its keyframes, for keyframes to be
/// inserted everywhere the schedule says.
fn without_keyframes(bytes: &[u8]) -> Vec<u8> {
    let recording = Recording::parse(bytes).unwrap();
    let mut writer = Writer::new(
        Vec::new(),
        recording.metadata().message.clone(),
        WriterOptions::default(),
    )
    .unwrap();
    let mut inflater = tdpr::Inflater::default();
    for record in recording.records().skip(1) {
        let record = record.unwrap();
        match record.body {
            RecordBody::ScreenSize { width, height } => writer
                .write_screen_size(record.time_us, width, height)
                .unwrap(),
            RecordBody::Event(payload) => {
                let event: Event = prost::Message::decode(payload).unwrap();
                writer.write_event(record.time_us, event).unwrap();
            }
            _ => {
                for frame in record.frames(&mut inflater).unwrap() {
                    writer.write_frame(frame.time_us, frame.message).unwrap();
                }
            }
        }
    }
    writer.finish().unwrap()
}

fn content_records(bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let recording = Recording::parse(bytes).unwrap();
    recording
        .records()
        .map(|r| r.unwrap())
        .filter(|r: &Record| !matches!(r.body, RecordBody::Index(_) | RecordBody::Trailer { .. }))
        .map(|r| {
            (
                r.time_us,
                bytes[r.offset as usize..(r.payload_offset as usize + r.raw_payload.len() + 4)]
                    .to_vec(),
            )
        })
        .collect()
}

/// The sample and a minute of each synthetic profile, with the keyframes
/// their generators wrote.
fn generated() -> Vec<(String, Vec<u8>)> {
    let mut generated = vec![(
        "sample".to_string(),
        tdpr_synth::sample::write_sample(Vec::new(), WriterOptions::default()).unwrap(),
    )];
    for profile in tdpr_synth::Profile::ALL {
        let options = tdpr_synth::SynthOptions {
            duration_us: 60_000_000,
            seed: 3,
            profile,
            ..Default::default()
        };
        let bytes = tdpr_synth::write_synthetic(Vec::new(), &options).unwrap();
        generated.push((profile.name().to_string(), bytes));
    }
    generated
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut corpus: Vec<_> = generated()
        .into_iter()
        .map(|(name, bytes)| (name, without_keyframes(&bytes)))
        .collect();
    for codec in Codec::ALL {
        let options = SessionOptions {
            codec,
            frames: 30,
            ..SessionOptions::default()
        };
        corpus.push((
            codec.name().to_string(),
            write_session(Vec::new(), &options).unwrap(),
        ));
    }
    corpus
}

/// Every original record is kept, in order, byte for byte; the rest are
/// keyframes; the output is a valid recording; a second run changes nothing.
#[test]
fn inserting_keeps_every_record_and_is_idempotent() {
    for (name, bytes) in corpus() {
        let (once, inserted) = insert_keyframes(&bytes, 1_000_000, Vec::new()).unwrap();
        tdpr::validate(&once).unwrap();
        assert!(inserted.keyframes > 0, "{name}");
        let original = content_records(&bytes);
        let rewritten: Vec<_> = content_records(&once)
            .into_iter()
            .filter(|(_, raw)| raw[0] != tdpr::RecordType::KEYFRAME.0)
            .collect();
        assert_eq!(original, rewritten, "{name}");
        let (twice, again) = insert_keyframes(&once, 1_000_000, Vec::new()).unwrap();
        assert_eq!(again.keyframes, 0, "{name}");
        assert!(once == twice, "{name}: a second run changed the file");
    }
}

/// The screen at `t` from the nearest keyframe, in memory and read by
/// range up to the time alone, is the screen replayed from the start.
fn same_screen(name: &str, keyframed: &[u8], t: u64) {
    let recording = Recording::parse(keyframed).unwrap();
    let from_keyframe = Playback::at(&recording, t).unwrap();
    let ranged = RangedRecording::open(keyframed).unwrap();
    let by_range = Playback::still(&ranged, t).unwrap();
    let mut replayed = Playback::from_start(&recording).unwrap();
    replayed.advance_to(t).unwrap();
    let b = replayed.screen();
    for (how, a) in [
        ("keyframe", from_keyframe.screen()),
        ("by range", by_range.screen()),
    ] {
        assert_eq!(
            (a.width(), a.height()),
            (b.width(), b.height()),
            "{name} at {t}, {how}"
        );
        assert!(
            a.pixels() == b.pixels(),
            "{name} at {t}, {how}: pixels differ"
        );
        assert_eq!(a.pointer(), b.pointer(), "{name} at {t}, {how}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]
    /// For random times, the screen from the nearest keyframe on equals the
    /// screen replayed from the start.
    #[test]
    fn keyframe_and_replay_equal_full_replay(fractions in proptest::collection::vec(0.0f64..1.0, 4)) {
        for (name, bytes) in corpus() {
            let (keyframed, _) = insert_keyframes(&bytes, 2_000_000, Vec::new()).unwrap();
            let duration = Recording::parse(&keyframed).unwrap().index().unwrap().duration_us;
            for f in &fractions {
                same_screen(&name, &keyframed, (duration as f64 * f) as u64);
            }
        }
    }
}

/// The keyframes the sample and the synthetic sessions are written with
/// show the screen their frames drew: at each keyframe and at times between
/// (one replay from the start, advanced through the times in order).
#[test]
fn generated_keyframes_agree_with_replay() {
    for (name, bytes) in generated() {
        let recording = Recording::parse(&bytes).unwrap();
        let index = recording.index().unwrap();
        let mut times: Vec<u64> = index
            .seek_entries()
            .filter(|e| e.is_keyframe)
            .flat_map(|e| [0, 300_000, 2_345_678].map(|later| e.time_us + later))
            .map(|t| t.min(index.duration_us))
            .collect();
        assert!(!times.is_empty(), "{name}");
        times.sort_unstable();
        let mut replayed = Playback::from_start(&recording).unwrap();
        for t in times {
            replayed.advance_to(t).unwrap();
            let from_keyframe = Playback::at(&recording, t).unwrap();
            let (a, b) = (from_keyframe.screen(), replayed.screen());
            assert_eq!(
                (a.width(), a.height()),
                (b.width(), b.height()),
                "{name} at {t}"
            );
            assert!(a.pixels() == b.pixels(), "{name} at {t}: pixels differ");
            assert_eq!(a.pointer(), b.pointer(), "{name} at {t}");
        }
    }
}

/// The synthetic sessions' keyframes carry a `tdST` chunk saying that
/// nothing before them is needed (the test above checks the pointer it
/// gives); the sample's one keyframe has none and is read from the start.
#[test]
fn synthetic_keyframes_need_nothing_before_them() {
    for (name, bytes) in generated() {
        let recording = Recording::parse(&bytes).unwrap();
        let mut keyframes = 0;
        for record in recording.records() {
            if let RecordBody::Keyframe { png, .. } = record.unwrap().body {
                let expected = match name.as_str() {
                    "sample" => BeforeKeyframe::AllRecords,
                    _ => BeforeKeyframe::Nothing,
                };
                assert_eq!(before_keyframe(png), expected, "{name}");
                keyframes += 1;
            }
        }
        assert!(keyframes > 0, "{name}");
    }
}

#[test]
fn keyframes_right_after_a_resize_and_at_record_boundaries() {
    for (name, bytes) in corpus() {
        let (keyframed, _) = insert_keyframes(&bytes, 5_000_000, Vec::new()).unwrap();
        let recording = Recording::parse(&keyframed).unwrap();
        for entry in recording
            .index()
            .unwrap()
            .seek_entries()
            .filter(|e| e.is_keyframe)
        {
            same_screen(&name, &keyframed, entry.time_us);
        }
    }
}

/// A recorder writing keyframes live gets keyframes that agree with replay.
#[test]
fn live_keyframes_agree_with_replay() {
    for (name, bytes) in corpus() {
        let recording = Recording::parse(&bytes).unwrap();
        let metadata = recording.metadata().message.clone();
        let (width, height) = (metadata.screen_width, metadata.screen_height);
        let mut writer = Writer::new(Vec::new(), metadata, WriterOptions::default()).unwrap();
        let mut live = tdpr_render::LiveKeyframes::new(width, height, 1_500_000).unwrap();
        let mut inflater = tdpr::Inflater::default();
        let mut written = 0;
        for record in recording.records().skip(1) {
            let record = record.unwrap();
            match record.body {
                RecordBody::ScreenSize { width, height } => {
                    written += u32::from(live.write_if_due(&mut writer, record.time_us).unwrap());
                    writer
                        .write_screen_size(record.time_us, width, height)
                        .unwrap();
                    live.apply_screen_size(record.time_us, width, height);
                }
                _ => {
                    for frame in record.frames(&mut inflater).unwrap() {
                        let message = frame.message;
                        written +=
                            u32::from(live.write_if_due(&mut writer, frame.time_us).unwrap());
                        writer.write_frame(frame.time_us, message).unwrap();
                        live.apply_frame(frame.time_us, message);
                    }
                }
            }
        }
        let bytes = writer.finish().unwrap();
        assert!(written > 0, "{name}");
        let recording = Recording::parse(&bytes).unwrap();
        for entry in recording
            .index()
            .unwrap()
            .seek_entries()
            .filter(|e| e.is_keyframe)
        {
            same_screen(&name, &bytes, entry.time_us);
        }
    }
}
