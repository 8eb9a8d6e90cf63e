//! tdpr-store against a real S3 API server (moto's standalone server, behind
//! a proxy that counts every request and the bytes of every answer, and can
//! be told to misbehave): what opening, seeking, validating, dumping and
//! uploading cost, and what a store's failures look like.

mod support;

use std::io::Write;

use support::{server, Bucket};
use tdpr::proto::Metadata;
use tdpr::{
    Batching, DirectoryPolicy, ErrorClass, IndexOptions, Limits, RangeSource, RangedRecording,
    Recording, Writer, WriterOptions,
};
use tdpr_store::{Location, ObjectSource};

/// A 1x1 PNG's signature and some bytes: enough for a keyframe record.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n fake image for the container";

/// A recording of `frames` pointer moves 2 ms apart, a keyframe every 200,
/// a marker every 500, a seek entry at every record: with 10 000 frames its
/// index is about 330 KiB, longer than what opening reads from the end.
/// Finished unless `finish` is false.
fn recording(frames: u64, directory: DirectoryPolicy, finish: bool) -> Vec<u8> {
    let mut options = WriterOptions::default();
    options.batching = Batching::None;
    options.index = IndexOptions {
        seek_interval_us: 1,
        idle_threshold_us: 5_000_000,
        directory,
    };
    let metadata = Metadata {
        user: "alice".into(),
        screen_width: 1024,
        screen_height: 768,
        ..Default::default()
    };
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    for i in 0..frames {
        let t = i * 2_000;
        if i % 200 == 0 {
            writer.write_keyframe(t, 1024, 768, PNG).unwrap();
        }
        if i % 500 == 250 {
            let marker = tdpr::proto::Event {
                kind: tdpr::EventKind::MARKER.0,
                label: format!("marker {i}"),
                ..Default::default()
            };
            writer.write_event(t, marker).unwrap();
        }
        let [x0, x1, ..] = (i as u32).to_le_bytes();
        writer
            .write_frame(t, &[3, x0, x1, 0, 0, 20, 0, 0, 0])
            .unwrap();
    }
    if finish {
        writer.finish().unwrap()
    } else {
        writer.flush().unwrap();
        writer.get_ref().clone()
    }
}

fn location(url: &str) -> Location {
    Location::parse(url).expect("a URL").expect("a valid URL")
}

/// The times of the records from the keyframe at or before `t` to `t`, read
/// in memory, as a player would (spec 7.2).
fn times_in_memory(bytes: &[u8], t: u64) -> Vec<u64> {
    let recording = Recording::parse(bytes).unwrap();
    let keyframe = recording.index().unwrap().keyframe_at_or_before(t).unwrap();
    recording
        .records_from(&keyframe)
        .unwrap()
        .map(|r| r.unwrap().time_us)
        .take_while(|&time| time <= t)
        .collect()
}

#[test]
fn opening_takes_two_requests_and_showing_a_time_one_more() {
    server();
    let bucket = Bucket::new("open-and-seek");
    let bytes = recording(10_000, DirectoryPolicy::WhenLarge, true);
    bucket.put("r.tdpr", &bytes);
    let source = ObjectSource::new(&location(&bucket.url("r.tdpr"))).unwrap();

    let recording = RangedRecording::open(&source).unwrap();
    let opened = bucket.counts();
    assert_eq!(opened.requests, 2, "the first and the last bytes, at once");
    assert!(opened.bytes <= 256 << 10, "{opened:?}");
    let header = recording.index_header().expect("finished");
    assert!(header.tables_len() > 65_536, "the index is not in the tail");
    assert!(recording.samples().is_some(), "read through its directory");
    assert_eq!(header.frame_count, 10_000);
    assert_eq!(recording.events().len(), 20);
    assert_eq!(recording.metadata().message.user, "alice");

    let t = 10_001_000; // the middle
    let plan = recording.seek_plan(t, false).unwrap().unwrap();
    assert_eq!(bucket.counts().requests, 2, "the samples answer alone");
    let mut records = recording.read_plan(&plan, 1 << 20).unwrap();
    let mut times = Vec::new();
    while let Some(record) = records.next_record().unwrap() {
        if record.time_us > t {
            break;
        }
        times.push(record.time_us);
    }
    assert_eq!(times, times_in_memory(&bytes, t));
    let shown = bucket.counts();
    assert_eq!(shown.requests, 3, "one request for the records");
    assert_eq!(
        shown.bytes - opened.bytes,
        plan.until - plan.start.offset,
        "exactly the records the samples bound"
    );

    // The exact bound costs one request of at most 64 seek entries.
    let exact = recording.seek_plan(t, true).unwrap().unwrap();
    let after = bucket.counts();
    assert_eq!(after.requests, 4);
    assert!(after.bytes - shown.bytes <= 64 * 32);
    assert_eq!(exact.start, plan.start);
    assert!(exact.until <= plan.until && exact.until > exact.start.offset);
}

#[test]
fn an_index_without_a_directory_is_fetched_whole() {
    server();
    let bucket = Bucket::new("no-directory");
    let bytes = recording(10_000, DirectoryPolicy::Never, true);
    bucket.put("r.tdpr", &bytes);
    let source = ObjectSource::new(&location(&bucket.url("r.tdpr"))).unwrap();
    let recording = RangedRecording::open(&source).unwrap();
    assert!(recording.samples().is_none());
    let counts = bucket.counts();
    assert_eq!(counts.requests, 3, "the index record is a third request");
    let in_memory = Recording::parse(&bytes).unwrap();
    let index = in_memory.index().unwrap();
    assert_eq!(recording.index_header().unwrap(), index.header());
    let t = 4_500_000;
    let plan = recording.seek_plan(t, false).unwrap().unwrap();
    assert_eq!(
        plan.start.offset,
        index.keyframe_at_or_before(t).unwrap().offset
    );
    let next = index.seek_entries().find(|e| e.time_us > t).unwrap();
    assert_eq!(
        plan.until, next.offset,
        "the whole seek table gives the exact bound"
    );
}

#[test]
fn a_small_recording_opens_from_its_ends_alone() {
    server();
    let bucket = Bucket::new("small-recording");
    let bytes = recording(100, DirectoryPolicy::WhenLarge, true);
    bucket.put("r.tdpr", &bytes);
    let source = ObjectSource::new(&location(&bucket.url("r.tdpr"))).unwrap();
    let recording = RangedRecording::open(&source).unwrap();
    assert_eq!(bucket.counts().requests, 2);
    assert_eq!(recording.size(), bytes.len() as u64);
    assert!(
        recording.samples().is_none(),
        "a short index has no directory"
    );
    assert_eq!(recording.index_header().unwrap().frame_count, 100);
}

/// The ends of an object, any lengths asked for: 0 bytes of an end (which
/// no range request can ask for) is an empty end, more than the object is
/// the whole object.
#[test]
fn the_ends_of_an_object_are_what_was_asked_for() {
    server();
    let bucket = Bucket::new("object-ends");
    let bytes: Vec<u8> = (0..100u8).collect();
    bucket.put("o.bin", &bytes);
    let source = ObjectSource::new(&location(&bucket.url("o.bin"))).unwrap();
    for (head, tail) in [(0, 0), (10, 0), (0, 10), (10, 20), (500, 1), (1, 500)] {
        let ends = source.read_ends(head, tail).unwrap();
        assert_eq!(ends.size, 100);
        let (head, tail) = (head.min(100) as usize, tail.min(100) as usize);
        assert_eq!(ends.head, bytes[..head], "head {head}");
        assert_eq!(ends.tail, bytes[100 - tail..], "tail {tail}");
    }
}

#[test]
fn validating_streams_the_object_once_and_agrees_with_a_local_validation() {
    server();
    let bucket = Bucket::new("validate-stream");
    let bytes = recording(10_000, DirectoryPolicy::WhenLarge, true);
    bucket.put("good.tdpr", &bytes);
    // Small objects are read whole: one request.
    let pass = tdpr_store::validate_frames(&location(&bucket.url("good.tdpr"))).unwrap();
    assert_eq!(
        pass.result.unwrap().0,
        tdpr::validate_frames(&bytes).unwrap().0
    );
    assert_eq!(bucket.counts().requests, 1);

    // Streamed: one GET for the records, and the opening of a validator
    // (spec 9.1: the index record whole) by range.
    bucket.reset();
    let pass = tdpr_store::validate_frames_with(&location(&bucket.url("good.tdpr")), 0).unwrap();
    assert!(pass.result.is_ok(), "{:?}", pass.result);
    let counts = bucket.counts();
    assert_eq!(counts.requests, 4, "a GET, the two ends, the index record");
    assert!(
        counts.bytes < bytes.len() as u64 + (400 << 10),
        "{counts:?}"
    );
    assert_eq!(pass.transfer.requests, 4);

    // A damaged record, and a damaged index after it: the index's fault is
    // the one opening finds, and comes first (spec 10).
    let mut damaged = bytes.clone();
    damaged[100] ^= 1;
    let index_offset = Recording::parse(&bytes).unwrap().index_offset().unwrap() as usize;
    damaged[index_offset + 40] ^= 1;
    bucket.put("damaged.tdpr", &damaged);
    let local = tdpr::validate_frames(&damaged).unwrap_err();
    assert_eq!(local.class(), ErrorClass::ChecksumMismatch);
    assert_eq!(local.offset(), Some(index_offset as u64));
    for limit in [u64::MAX, 0] {
        let pass = tdpr_store::validate_frames_with(&location(&bucket.url("damaged.tdpr")), limit)
            .unwrap();
        let remote = pass.result.unwrap_err();
        assert_eq!(
            (remote.class(), remote.offset()),
            (local.class(), local.offset())
        );
    }
}

#[test]
fn the_canonical_json_of_an_object_is_that_of_its_bytes() {
    server();
    let bucket = Bucket::new("dump-stream");
    let bytes = recording(10_000, DirectoryPolicy::WhenLarge, false);
    bucket.put("unfinished.tdpr", &bytes);
    let mut expected = Vec::new();
    tdpr::json::write_canonical(&bytes, Limits::default(), &mut expected).unwrap();
    for limit in [u64::MAX, 0] {
        let mut json = Vec::new();
        let pass = tdpr_store::write_canonical_with(
            &location(&bucket.url("unfinished.tdpr")),
            &mut json,
            limit,
        )
        .unwrap();
        assert_ne!(pass.result.unwrap().unwrap(), tdpr::json::EndJson::Finished);
        assert!(json == expected, "the JSON differs (limit {limit})");
    }
}

#[test]
fn a_bucket_of_recordings_validates_with_bounded_concurrency() {
    server();
    let bucket = Bucket::new("batch-validate");
    let good = recording(50, DirectoryPolicy::WhenLarge, true);
    let mut bad = good.clone();
    bad[60] ^= 1;
    let locations: Vec<Location> = (0..12)
        .map(|i| {
            let key = format!("r{i}.tdpr");
            bucket.put(&key, if i == 7 { &bad } else { &good });
            location(&bucket.url(&key))
        })
        .collect();
    let passes = tdpr_store::validate_many(&locations, 4);
    for (i, pass) in passes.iter().enumerate() {
        let pass = pass.as_ref().unwrap();
        assert_eq!(pass.result.is_ok(), i != 7, "recording {i}");
    }
    assert_eq!(bucket.counts().requests, 12, "one GET each");
}

#[test]
fn a_missing_object_and_refused_credentials_name_the_url() {
    server();
    let bucket = Bucket::new("bad-answers");
    let url = bucket.url("missing.tdpr");
    let source = ObjectSource::new(&location(&url)).unwrap();
    let e = RangedRecording::open(&source).unwrap_err().to_string();
    assert!(e.contains(&url) && e.contains("no such object"), "{e}");

    bucket.put("r.tdpr", &recording(10, DirectoryPolicy::WhenLarge, true));
    bucket.fault("deny", -1);
    let url = bucket.url("r.tdpr");
    let source = ObjectSource::new(&location(&url)).unwrap();
    let e = RangedRecording::open(&source).unwrap_err().to_string();
    assert!(e.contains(&url) && e.contains("denied"), "{e}");
}

#[test]
fn an_object_replaced_while_it_is_read_is_an_error() {
    server();
    let bucket = Bucket::new("changed-object");
    let first = recording(10_000, DirectoryPolicy::WhenLarge, true);
    bucket.put("r.tdpr", &first);
    let url = bucket.url("r.tdpr");
    let source = ObjectSource::new(&location(&url)).unwrap();
    let recording = RangedRecording::open(&source).unwrap();
    let plan = recording.seek_plan(1_000_000, false).unwrap().unwrap();
    let mut second = first.clone();
    second[30] ^= 1;
    let mut replace =
        tdpr_store::MultipartSink::create(&location(&url), tdpr_store::MIN_PART_SIZE).unwrap();
    replace.write_all(&second).unwrap();
    replace.finish().unwrap();
    let e = recording.read_plan(&plan, 1 << 20).unwrap_err().to_string();
    assert!(
        e.contains(&url) && e.contains("changed while it was read"),
        "{e}"
    );
}

#[test]
fn a_short_answer_is_an_error_and_a_cut_connection_is_retried_then_an_error() {
    server();
    let bucket = Bucket::new("short-and-cut");
    let bytes = recording(10_000, DirectoryPolicy::WhenLarge, true);
    bucket.put("r.tdpr", &bytes);
    let url = bucket.url("r.tdpr");

    bucket.fault("short", -1);
    let source = ObjectSource::new(&location(&url)).unwrap();
    let e = RangedRecording::open(&source).unwrap_err().to_string();
    assert!(e.contains(&url), "{e}");

    // Cut once: object_store asks again for the rest, and the pass succeeds.
    bucket.reset();
    bucket.fault("cut", 1);
    let pass = tdpr_store::validate_frames_with(&location(&url), 0).unwrap();
    assert!(pass.result.is_ok(), "{:?}", pass.result);
    assert_eq!(bucket.counts().requests, 5, "the cut request was retried");

    // Cut every time: the retries run out, and the error names the URL.
    bucket.reset();
    bucket.fault("cut", -1);
    let started = std::time::Instant::now();
    let failed = match tdpr_store::validate_frames_with(&location(&url), 0) {
        Ok(pass) => pass.result.unwrap_err().to_string(),
        Err(e) => e.to_string(),
    };
    assert!(failed.contains(&url), "{failed}");
    assert!(started.elapsed().as_secs() < 60, "no hang");
}

#[test]
fn a_recorder_uploads_parts_and_a_dead_ones_parts_are_recovered() {
    server();
    let bucket = Bucket::new("multipart-upload");
    // About 12 MiB of recording: two full parts and a bit.
    let mut options = WriterOptions::default();
    options.compression = tdpr::Compression::None;
    let tile = vec![7u8; 60_000];
    let mut writer = Writer::new(Vec::new(), Metadata::default(), options).unwrap();
    for i in 0..210u64 {
        let mut message = vec![2u8]; // a legacy PNG frame's type byte, then anything
        message.extend_from_slice(&tile);
        message.extend_from_slice(&i.to_le_bytes());
        writer.write_frame(i * 100_000, &message).unwrap();
    }
    let whole = writer.finish().unwrap();

    // A finished upload holds the recording, and no journal is left.
    let url = location(&bucket.url("done.tdpr"));
    let mut sink = tdpr_store::MultipartSink::create(&url, tdpr_store::MIN_PART_SIZE).unwrap();
    sink.write_all(&whole).unwrap();
    assert_eq!(sink.finish().unwrap(), whole.len() as u64);
    let mut fetched = Vec::new();
    tdpr_store::download(&url, &mut fetched).unwrap();
    assert!(fetched == whole);
    assert!(tdpr_store::complete_interrupted(&url).unwrap().is_none());

    // A recorder that dies after 12 MiB left two parts and its journal.
    let url = location(&bucket.url("dead.tdpr"));
    let cut = 12 << 20;
    let mut sink = tdpr_store::MultipartSink::create(&url, tdpr_store::MIN_PART_SIZE).unwrap();
    sink.write_all(&whole[..cut]).unwrap();
    assert_eq!(sink.uploaded_bytes(), 10 << 20);
    drop(sink);
    let journal = tdpr_store::complete_interrupted(&url).unwrap().unwrap();
    assert_eq!(journal.parts.len(), 2);
    let mut uploaded = Vec::new();
    tdpr_store::download(&url, &mut uploaded).unwrap();
    assert!(
        uploaded == whole[..10 << 20],
        "every uploaded byte, in order"
    );
    let mut recovered = Vec::new();
    let recovery = tdpr::recover(&uploaded, &mut recovered, Limits::default()).unwrap();
    assert!(recovery.records > 100);
    tdpr::validate(&recovered).unwrap();
}
