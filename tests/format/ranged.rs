//! Opening and seeking through byte ranges (spec/format.md 9.5, 7.4): the
//! same answers as a reader of the whole file, from the requests the spec
//! promises, and the faults of a directory that lies about the index.

use std::cell::Cell;
use std::ops::Range;

use tdpr::proto::Metadata;
use tdpr::read::{Ends, OpenOptions};
use tdpr::{
    Batching, DirectoryPolicy, ErrorClass, IndexOptions, Limits, RangeSource, RangedRecording,
    Recording, Writer, WriterOptions,
};

/// A recording in memory that counts the calls made to it and the bytes
/// they returned: one call is one request of a remote source.
#[derive(Debug)]
struct Counted<'a> {
    bytes: &'a [u8],
    calls: Cell<u64>,
    read: Cell<u64>,
}

impl<'a> Counted<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Counted {
            bytes,
            calls: Cell::new(0),
            read: Cell::new(0),
        }
    }
}

impl RangeSource for Counted<'_> {
    fn read_ends(&self, head: u64, tail: u64) -> std::io::Result<Ends> {
        let ends = self.bytes.read_ends(head, tail)?;
        self.calls.set(self.calls.get() + 2);
        self.read
            .set(self.read.get() + (ends.head.len() + ends.tail.len()) as u64);
        Ok(ends)
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> std::io::Result<Vec<Vec<u8>>> {
        let read = self.bytes.read_ranges(ranges)?;
        self.calls.set(self.calls.get() + ranges.len() as u64);
        self.read
            .set(self.read.get() + read.iter().map(|r| r.len() as u64).sum::<u64>());
        Ok(read)
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n not an image";

/// A window smaller than the index of a 3 000-frame [`session`]: opening
/// then reads the directory, as it does a day-long session's with the
/// default window.
const SMALL_WINDOW: OpenOptions = OpenOptions {
    head: 4096,
    tail: 16 << 10,
    whole_index: false,
};

/// `frames` pointer moves 2 ms apart, a seek entry at each, a keyframe
/// every 150 and a marker every 400: 3 000 frames make a 110 KiB index.
fn session(frames: u64, directory: DirectoryPolicy) -> Vec<u8> {
    let mut options = WriterOptions::default();
    options.batching = Batching::None;
    options.index = IndexOptions {
        seek_interval_us: 1,
        idle_threshold_us: 50_000,
        directory,
    };
    let mut writer = Writer::new(Vec::new(), Metadata::default(), options).unwrap();
    for i in 0..frames {
        // An idle gap now and then, so the idle table has spans.
        let t = i * 2_000 + (i / 700) * 100_000;
        if i % 150 == 0 {
            writer.write_keyframe(t, 64, 48, PNG).unwrap();
        }
        if i % 400 == 7 {
            let marker = tdpr::proto::Event {
                kind: tdpr::EventKind::MARKER.0,
                ..Default::default()
            };
            writer.write_event(t, marker).unwrap();
        }
        writer
            .write_frame(t, &[3, i as u8, 0, 0, 0, 9, 0, 0, 0])
            .unwrap();
    }
    writer.finish().unwrap()
}

#[test]
fn a_directory_opens_with_two_requests_and_answers_as_the_whole_index() {
    let bytes = session(3_000, DirectoryPolicy::WhenLarge);
    let whole = Recording::parse(&bytes).unwrap();
    let index = whole.index().unwrap();
    assert!(
        index.directory().is_some(),
        "the writer adds one to a long index"
    );

    let source = Counted::new(&bytes);
    let ranged = RangedRecording::open_with(&source, Limits::default(), SMALL_WINDOW).unwrap();
    assert_eq!(source.calls.get(), 2);
    assert!(source.read.get() <= 20 << 10);
    assert_eq!(ranged.index_header().unwrap(), index.header());
    assert_eq!(ranged.index_options().unwrap(), index.options);
    assert!(ranged.events().eq(index.events()));
    assert!(ranged.idle_spans().eq(index.idle_spans()));
    assert!(ranged.idle_spans().len() > 2);
    assert_eq!(ranged.metadata(), whole.metadata());

    let duration = index.duration_us;
    for t in (0..=duration + 10_000).step_by(7_919) {
        let calls = source.calls.get();
        let plan = ranged.seek_plan(t, false).unwrap().unwrap();
        assert_eq!(source.calls.get(), calls, "the samples alone");
        let keyframe = index.keyframe_at_or_before(t).unwrap();
        assert_eq!(
            (plan.start.offset, plan.start.time_us),
            (keyframe.offset, keyframe.time_us)
        );
        let exact = ranged.seek_plan(t, true).unwrap().unwrap();
        assert_eq!(
            source.calls.get(),
            calls + 1,
            "one request of the seek table"
        );
        let next = index.seek(t).map_or(0, |e| {
            index.seek_entries().position(|x| x == e).unwrap() + 1
        });
        let expected_until = index
            .seek_entry(next)
            .map_or(ranged.index_offset().unwrap(), |e| e.offset);
        assert_eq!(exact.until, expected_until, "t = {t}");
        assert!(plan.until >= exact.until);

        let mut records = ranged.read_plan(&exact, 4096).unwrap();
        let mut in_memory = whole.records_from(&keyframe).unwrap();
        while let Some(record) = records.next_record().unwrap() {
            // The content records at or before t (the index and trailer
            // after them have the last record's time).
            if record.time_us > t || record.offset >= ranged.index_offset().unwrap() {
                break;
            }
            let expected = in_memory.next().unwrap().unwrap();
            assert_eq!(
                (record.offset, record.time_us),
                (expected.offset, expected.time_us)
            );
            assert!(record.offset < exact.until);
        }
    }
}

#[test]
fn an_index_without_a_directory_is_read_whole_and_a_small_one_from_the_tail() {
    for (frames, directory, calls) in [
        (3_000, DirectoryPolicy::Never, 3),
        (3_000, DirectoryPolicy::WhenLarge, 2),
        (40, DirectoryPolicy::WhenLarge, 2),
        (40, DirectoryPolicy::Always(3), 2),
    ] {
        let bytes = session(frames, directory);
        let whole = Recording::parse(&bytes).unwrap();
        let index = whole.index().unwrap();
        let source = Counted::new(&bytes);
        let ranged = RangedRecording::open_with(&source, Limits::default(), SMALL_WINDOW).unwrap();
        assert_eq!(source.calls.get(), calls, "{frames} frames, {directory:?}");
        assert_eq!(ranged.index_header().unwrap(), index.header());
        let t = index.duration_us / 3;
        let plan = ranged.seek_plan(t, true).unwrap().unwrap();
        assert_eq!(
            plan.start.offset,
            index.keyframe_at_or_before(t).unwrap().offset
        );
    }
}

#[test]
fn a_validator_opening_by_ranges_reads_the_index_record_whole() {
    let bytes = session(3_000, DirectoryPolicy::WhenLarge);
    let index_offset = Recording::parse(&bytes).unwrap().index_offset().unwrap() as usize;
    let mut damaged = bytes.clone();
    // A flipped bit in the seek table: the directory does not cover it, the
    // index record's CRC does.
    damaged[index_offset + 100] ^= 1;
    let source = Counted::new(&damaged);
    assert!(
        RangedRecording::open_with(&source, Limits::default(), SMALL_WINDOW).is_ok(),
        "a player does not see it"
    );
    let options = OpenOptions {
        whole_index: true,
        ..SMALL_WINDOW
    };
    let e = RangedRecording::open_with(&source, Limits::default(), options).unwrap_err();
    assert_eq!(e.class(), ErrorClass::ChecksumMismatch);
    assert_eq!(e.offset(), Some(index_offset as u64));
    assert_eq!(tdpr::validate(&damaged).unwrap_err().offset(), e.offset());
}

/// The file offsets of a finished recording's footer fields.
struct Footer {
    trailer: usize,
    start: usize,
}

fn footer(bytes: &[u8]) -> Footer {
    let trailer = bytes.len() - 19;
    Footer {
        trailer,
        start: trailer - 4 - 80,
    }
}

#[test]
fn a_directory_that_lies_is_a_fault_of_opening_by_ranges() {
    let bytes = session(3_000, DirectoryPolicy::WhenLarge);
    let f = footer(&bytes);
    let open = |data: &[u8]| {
        RangedRecording::open_with(&Counted::new(data), Limits::default(), SMALL_WINDOW).map(|_| ())
    };

    // A seek count one more than the table: the index it describes would
    // start before the trailer's index_offset allows.
    let mut more_entries = bytes.clone();
    more_entries[f.start + 48] = more_entries[f.start + 48].wrapping_add(1);
    let e = open(&more_entries).unwrap_err();
    assert_eq!(
        (e.class(), e.offset()),
        (ErrorClass::BadIndex, Some(f.trailer as u64 + 7))
    );

    // A count over the limit.
    let mut huge = bytes.clone();
    huge[f.start + 52..f.start + 56].copy_from_slice(&u32::MAX.to_le_bytes());
    let e = open(&huge).unwrap_err();
    assert_eq!(
        (e.class(), e.offset()),
        (ErrorClass::LimitExceeded, Some(f.start as u64 + 52))
    );

    // A bit flipped in the sample table: the directory's CRC.
    let mut flipped = bytes.clone();
    flipped[f.start - 30] ^= 1;
    let e = open(&flipped).unwrap_err();
    assert_eq!(
        (e.class(), e.offset()),
        (ErrorClass::BadIndex, Some(f.start as u64 + 68))
    );

    // A sample interval of 0.
    let mut zero = bytes.clone();
    zero[f.start + 60..f.start + 64].copy_from_slice(&[0; 4]);
    let e = open(&zero).unwrap_err();
    assert_eq!(
        (e.class(), e.offset()),
        (ErrorClass::BadIndex, Some(f.start as u64 + 60))
    );
}

#[test]
fn an_unfinished_recording_opens_without_an_index() {
    let bytes = session(300, DirectoryPolicy::WhenLarge);
    let cut = &bytes[..bytes.len() / 2];
    let source = Counted::new(cut);
    let ranged = RangedRecording::open(&source).unwrap();
    assert!(!ranged.is_finished());
    assert!(ranged.seek_plan(1_000, false).unwrap().is_none());
}

/// Records read up to a seek plan's bound (`RangedRecords::ending_at`)
/// are those from the keyframe up to the bound, fetched in one request of
/// exactly those bytes; the content records are every record after the
/// metadata, of a finished recording and of one cut in the middle, up to
/// the first fault.
#[test]
fn records_read_up_to_a_bound_and_from_the_start() {
    let bytes = session(3_000, DirectoryPolicy::WhenLarge);
    let whole = Recording::parse(&bytes).unwrap();
    let index = whole.index().unwrap();
    let source = Counted::new(&bytes);
    let ranged = RangedRecording::open_with(&source, Limits::default(), SMALL_WINDOW).unwrap();
    for t in [0, 1_234_567, index.duration_us] {
        let plan = ranged.seek_plan(t, true).unwrap().unwrap();
        let (calls, read) = (source.calls.get(), source.read.get());
        let mut records = ranged.read_plan(&plan, 4096).unwrap().ending_at(plan.until);
        let mut offsets = Vec::new();
        while let Some(record) = records.next_record().unwrap() {
            offsets.push(record.offset);
        }
        let keyframe = index.keyframe_at_or_before(t).unwrap();
        let expected: Vec<u64> = whole
            .records_from(&keyframe)
            .unwrap()
            .map(|r| r.unwrap().offset)
            .take_while(|&offset| offset < plan.until)
            .collect();
        assert_eq!(offsets, expected, "t = {t}");
        assert_eq!(source.calls.get(), calls + 1, "t = {t}");
        assert_eq!(source.read.get() - read, plan.until - plan.start.offset);
    }

    for data in [&bytes[..], &bytes[..bytes.len() / 2]] {
        let ranged = RangedRecording::open(data).unwrap();
        let mut records = ranged.content_records(1 << 10);
        let mut read = Vec::new();
        while let Ok(Some(record)) = records.next_record() {
            read.push((record.offset, record.time_us));
        }
        let expected: Vec<_> = tdpr::Records::of_file(data, Limits::default())
            .unwrap()
            .skip(1)
            .map_while(Result::ok)
            .map(|r| (r.offset, r.time_us))
            .collect();
        assert!(expected.len() > 100);
        assert_eq!(read, expected, "{} bytes", data.len());
    }
}
