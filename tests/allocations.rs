//! The recorder's promise: appending a record allocates nothing, and reading
//! records back allocates nothing either.
//!
//! A counting global allocator (`tests/support/counting_allocator.rs`)
//! counts the allocations (and reallocations) of the current thread only, so
//! the test harness's other threads do not disturb the counts.

use tdpr::proto::Event;
use tdpr::tdp::Message;
use tdpr::{
    Compression, IndexOptions, Inflater, Limits, RecordBody, Recording, StreamReader, Writer,
    WriterOptions,
};
use tdpr_synth::{write_synthetic, Profile, SynthOptions};

#[path = "support/counting_allocator.rs"]
mod counting_allocator;

#[global_allocator]
static ALLOCATOR: counting_allocator::Counting = counting_allocator::Counting;

/// Allocations this thread makes while `f` runs, and `f`'s value.
fn allocations<T>(f: impl FnOnce() -> T) -> (u64, T) {
    let (value, count, _) = counting_allocator::measure(f);
    (count as u64, value)
}

/// TDP messages as a recorder sees them: the PNG tiles and pointer moves of a
/// synthetic office session, plus clipboard messages large and repetitive
/// enough to be stored deflated.
fn messages() -> Vec<Vec<u8>> {
    let options = SynthOptions {
        duration_us: 90_000_000,
        seed: 3,
        profile: Profile::Office,
        ..SynthOptions::default()
    };
    let file = write_synthetic(Vec::new(), &options).unwrap();
    let recording = Recording::parse(&file).unwrap();
    let mut messages: Vec<Vec<u8>> = recording
        .records()
        .flat_map(|r| {
            let record = r.unwrap();
            let frames: Vec<_> = record
                .frames(&mut Inflater::default())
                .unwrap()
                .map(|f| f.message.to_vec())
                .collect();
            frames
        })
        .collect();
    for i in 0..messages.len() / 8 {
        let text = format!("row {i}: quarterly figures, {} units\n", i * 7).repeat(20 + i % 50);
        let mut message = Vec::new();
        Message::ClipboardData {
            data: text.as_bytes().into(),
        }
        .encode(&mut message)
        .unwrap();
        messages.insert(i * 8, message);
    }
    messages
}

/// Writes `messages` at 1 ms intervals from `start_us`; returns the next time.
fn write_all<W: std::io::Write>(
    writer: &mut Writer<W>,
    messages: &[Vec<u8>],
    start_us: u64,
) -> u64 {
    let mut time = start_us;
    for message in messages {
        writer.write_frame(time, message).unwrap();
        time += 1_000;
    }
    time
}

fn writer_options(compression: Compression, index: IndexOptions) -> WriterOptions {
    let mut options = WriterOptions::default();
    options.compression = compression;
    options.index = index;
    options
}

/// An index that gets no entry during the measured loop: the loop measures
/// the per-frame path alone.
const QUIET_INDEX: IndexOptions = IndexOptions {
    seek_interval_us: u64::MAX / 2,
    idle_threshold_us: u64::MAX / 2,
    directory: tdpr::DirectoryPolicy::WhenLarge,
};

#[test]
fn writing_frames_allocates_nothing() {
    let messages = messages();
    assert!(messages.len() > 1_000, "{} messages", messages.len());
    let mut stored = 0;
    let mut deflated = 0;
    for compression in [Compression::default(), Compression::None] {
        let options = writer_options(compression, QUIET_INDEX);
        let sink = Vec::with_capacity(64 << 20);
        let mut writer = Writer::new(sink, tdpr_synth::sample::sample_metadata(), options).unwrap();
        // Warm-up: every buffer reaches the size of the largest message.
        let time = write_all(&mut writer, &messages, 0);
        let capacity = writer.get_ref().capacity();
        let (count, _) = allocations(|| {
            let mut time = time;
            for _ in 0..3 {
                time = write_all(&mut writer, &messages, time);
            }
        });
        assert_eq!(
            writer.get_ref().capacity(),
            capacity,
            "the sink did not grow"
        );
        assert_eq!(
            count,
            0,
            "{count} allocations writing {} frames with {compression:?}",
            3 * messages.len()
        );
        let file = writer.finish().unwrap();
        tdpr::validate(&file).unwrap();
        let mut inflater = Inflater::default();
        for record in Recording::parse(&file).unwrap().records() {
            let record = record.unwrap();
            let frames = record.frames(&mut inflater).unwrap().count();
            if record.flags.is_compressed() {
                deflated += frames;
            } else {
                stored += frames;
            }
        }
    }
    assert!(
        stored > 1_000 && deflated > 100,
        "{stored} stored, {deflated} deflated"
    );
}

#[test]
fn the_index_grows_by_amortised_doubling_only() {
    // With the default index, a seek entry every 2 s: its table grows by
    // doubling, so a loop over many seek intervals allocates a handful of
    // times, never once per frame.
    let messages = messages();
    let options = writer_options(Compression::default(), IndexOptions::default());
    let mut writer = Writer::new(
        Vec::with_capacity(256 << 20),
        tdpr_synth::sample::sample_metadata(),
        options,
    )
    .unwrap();
    let time = write_all(&mut writer, &messages, 0);
    let (count, _) = allocations(|| {
        let mut time = time;
        for _ in 0..20 {
            time = write_all(&mut writer, &messages, time);
        }
    });
    let frames = 20 * messages.len() as u64;
    eprintln!("{count} allocations writing {frames} frames with the default index");
    let entries = frames * 1_000 / IndexOptions::default().seek_interval_us;
    // Doubling a table of `entries` 32-byte entries reallocates about
    // log2(32 * entries) times; once per frame would be thousands.
    let bound = (32 * (entries + 1)).ilog2() as u64 + 1;
    assert!(
        entries > 20 && count <= bound,
        "{count} allocations for {frames} frames and about {entries} seek entries (bound {bound})"
    );
}

#[test]
fn writing_events_allocates_only_to_grow_the_event_table() {
    let options = writer_options(Compression::default(), QUIET_INDEX);
    let mut writer = Writer::new(
        Vec::with_capacity(16 << 20),
        tdpr_synth::sample::sample_metadata(),
        options,
    )
    .unwrap();
    let event = Event {
        kind: tdpr::proto::EventKind::SharedDirectoryRead as i32,
        path: "reports/q3.xlsx".into(),
        directory_name: "Documents".into(),
        length: 262_144,
        ..Event::default()
    };
    let events: Vec<_> = (0..2_000).map(|_| event.clone()).collect();
    writer.write_event(0, event.clone()).unwrap();
    writer.write_screen_size(0, 1024, 768).unwrap();
    let (count, _) = allocations(|| {
        for (i, event) in events.into_iter().enumerate() {
            writer.write_event(i as u64, event).unwrap();
            writer
                .write_screen_size(i as u64, 1024 + i as u32 % 2, 768)
                .unwrap();
        }
    });
    eprintln!("{count} allocations writing 2000 events and 2000 screen sizes");
    // Encoding an event reuses the writer's buffer; what allocates is the
    // index's event table (20 bytes an event), growing by doubling.
    let bound = (2_001 * 20u64).ilog2() as u64 + 1;
    assert!(
        count <= bound,
        "{count} allocations writing 2000 events and sizes (bound {bound})"
    );
}

#[test]
fn reading_records_allocates_nothing() {
    let options = SynthOptions {
        duration_us: 60_000_000,
        seed: 5,
        ..SynthOptions::default()
    };
    let file = write_synthetic(Vec::new(), &options).unwrap();
    let recording = Recording::parse(&file).unwrap();
    let index = recording.index().unwrap();
    let duration = index.duration_us;
    let mut inflater = Inflater::default();
    let mut read_all = || {
        let (mut records, mut frames, mut bytes) = (0u64, 0u64, 0u64);
        for record in recording.records() {
            let record = record.unwrap();
            records += 1;
            for frame in record.frames(&mut inflater).unwrap() {
                frames += 1;
                bytes += frame.message.len() as u64;
            }
        }
        (records, frames, bytes)
    };
    // The first pass grows the inflater's buffer to the largest compressed
    // batch; every later pass reuses it.
    read_all();
    let (count, (records, frames, bytes)) = allocations(read_all);
    assert!(
        records > 10 && frames > 1_000 && bytes > 100_000,
        "{records} records, {frames} frames, {bytes} bytes"
    );
    assert_eq!(
        count, 0,
        "{count} allocations iterating {records} records and {frames} frames"
    );

    let (count, found) = allocations(|| {
        let mut found = 0u64;
        for i in 0..1_000u64 {
            let first = recording
                .seek(i * duration / 1_000)
                .unwrap()
                .next()
                .unwrap()
                .unwrap();
            found += first.offset;
        }
        found
    });
    assert!(found > 0);
    assert_eq!(count, 0, "{count} allocations in 1000 seeks");
}

#[test]
fn streaming_records_allocates_only_to_grow_its_buffer() {
    let options = SynthOptions {
        duration_us: 180_000_000,
        seed: 6,
        ..SynthOptions::default()
    };
    let file = write_synthetic(Vec::new(), &options).unwrap();
    let largest = Recording::parse(&file)
        .unwrap()
        .records()
        .map(|r| r.unwrap().raw_payload.len())
        .max()
        .unwrap();
    let mut reader = StreamReader::new(Limits::default());
    let (count, (records, frames)) = allocations(|| {
        let (mut records, mut frames) = (0u64, 0u64);
        for piece in file.chunks(4 << 10) {
            reader.push(piece);
            while let Some(record) = reader.next_record().unwrap() {
                records += 1;
                // Counted from the batch tables: inflating is not the
                // reader's work (reading_records_allocates_nothing covers it).
                frames += match &record.body {
                    RecordBody::FrameBatch(batch) => batch.len(),
                    RecordBody::Frame(_) => 1,
                    _ => 0,
                };
            }
        }
        reader.finish().unwrap();
        (records, frames)
    });
    assert!(
        records > 10 && frames > 1_000,
        "{records} records, {frames} frames"
    );
    eprintln!("{count} allocations streaming {records} records in 4 KiB pieces");
    // The buffer grows by doubling to the largest record plus a piece: a few
    // allocations for the whole file, never one per record.
    let bound = 2 + (largest + (4 << 10)).ilog2() as u64;
    assert!(
        count <= bound,
        "{count} allocations streaming {records} records (largest {largest} bytes)"
    );
}
