//! What reading recordings from object storage costs, in requests, bytes
//! and time, against a local S3 API server (moto behind the counting proxy
//! of `tests/support/`), side by side with downloading the object first.
//! Figures for `benches/README.md`:
//!
//! ```sh
//! cargo run --release -p tdpr-store --example object_bench -- \
//!     /work/data/video9m.tdpr /work/data/office30h.tdpr [--batch 1000]
//! ```
//!
//! For each recording: open + info (header, metadata, index figures, event
//! list), a snapshot's reads at the middle (open, then the records from the
//! keyframe at or before the middle up to the next sample, or with the exact
//! bound from the seek table), and the same through a download of the whole
//! object. Then a batch: `--batch N` small recordings validated with
//! bounded concurrency.
//!
//! A recording written before index directories (spec/format.md 7.4) can be
//! given one, its records copied byte for byte, with
//! `object_bench --reindex IN OUT`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::{server, Bucket, Counts};
use tdpr::{RangedRecording, Recording};
use tdpr_store::{Location, ObjectSource};

fn location(url: &str) -> Location {
    Location::parse(url).unwrap().unwrap()
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// Runs `what` `runs` times; the median time and the counts of one run.
fn measure(bucket: &Bucket, runs: usize, mut what: impl FnMut()) -> (Duration, Counts) {
    let mut times = Vec::new();
    let mut counts = None;
    for _ in 0..runs {
        bucket.reset();
        let started = Instant::now();
        what();
        times.push(started.elapsed());
        counts.get_or_insert(bucket.counts());
    }
    times.sort();
    (times[runs / 2], counts.unwrap())
}

/// Open + info: what `tdpr info URL` reads.
fn open_and_info(url: &str) {
    let source = ObjectSource::new(&location(url)).unwrap();
    let recording = RangedRecording::open(&source).unwrap();
    let header = recording.index_header().unwrap();
    let events = recording.events().count();
    let keyframes = recording
        .samples()
        .map(|s| s.iter().filter(|s| s.is_keyframe).count());
    std::hint::black_box((header, events, keyframes));
}

/// A snapshot's reads at the middle, as `tdpr snapshot URL` reads
/// (`Playback::still`): open, then the records from the keyframe at or
/// before the middle up to the plan's bound, nothing after it.
fn snapshot(url: &str, exact: bool) -> u64 {
    let source = ObjectSource::new(&location(url)).unwrap();
    let recording = RangedRecording::open(&source).unwrap();
    let middle = recording.index_header().unwrap().duration_us / 2;
    let plan = recording.seek_plan(middle, exact).unwrap().unwrap();
    let mut records = recording
        .read_plan(&plan, 1 << 20)
        .unwrap()
        .ending_at(plan.until);
    let mut frames = 0;
    let mut inflater = tdpr::Inflater::default();
    while let Some(record) = records.next_record().unwrap() {
        if record.time_us > middle {
            break;
        }
        frames += record.frames(&mut inflater).unwrap().count() as u64;
    }
    frames
}

/// The same, downloading the whole object first (what players of other
/// formats do).
fn download_then(url: &str, path: &std::path::Path, snapshot: bool) {
    let file = std::fs::File::create(path).unwrap();
    tdpr_store::download(&location(url), std::io::BufWriter::new(file)).unwrap();
    let mapped = tdpr::RecordingFile::open(path).unwrap();
    let recording = Recording::parse(mapped.bytes()).unwrap();
    let index = recording.index().unwrap();
    if snapshot {
        let middle = index.duration_us / 2;
        let keyframe = index.keyframe_at_or_before(middle).unwrap();
        let mut inflater = tdpr::Inflater::default();
        let frames: usize = recording
            .records_from(&keyframe)
            .unwrap()
            .map(|r| r.unwrap())
            .take_while(|r| r.time_us <= middle)
            .map(|r| r.frames(&mut inflater).unwrap().count())
            .sum();
        std::hint::black_box(frames);
    } else {
        std::hint::black_box((index.events().count(), index.seek_len()));
    }
}

/// Copies the recording `input` to `output` with the index a writer of
/// today gives it: the same records, byte for byte, the same index options,
/// and a directory when the index is large.
fn reindex(input: &str, output: &str) {
    let mapped = tdpr::RecordingFile::open(input).unwrap();
    let data = mapped.bytes();
    let mut options = Recording::parse(data).unwrap().index().unwrap().options;
    options.directory = tdpr::DirectoryPolicy::WhenLarge;
    let scan = tdpr::Scan::run(data, tdpr::Limits::default(), options).unwrap();
    assert!(scan.fault.is_none(), "{input} is damaged: {:?}", scan.fault);
    let mut out = std::io::BufWriter::new(std::fs::File::create(output).unwrap());
    std::io::Write::write_all(&mut out, &data[..scan.content_end as usize]).unwrap();
    let clock = scan.rebuilt_index.duration_us();
    let writer = tdpr::write::RecordWriter::resume(
        out,
        scan.content_end,
        clock,
        scan.rebuilt_index,
        tdpr::Limits::default(),
    );
    let (out, written) = writer.finish().unwrap();
    out.into_inner().unwrap().sync_all().unwrap();
    println!("{output}: {written} bytes");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--reindex") {
        return reindex(&args[1], &args[2]);
    }
    let batch = args
        .iter()
        .position(|a| a == "--batch")
        .map(|i| args[i + 1].parse::<usize>().unwrap())
        .unwrap_or(1000);
    let files: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--batch"))
        .map(|(_, a)| a)
        .collect();
    server();
    let scratch = std::env::temp_dir().join(format!("tdpr-object-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();

    println!("| recording | operation | requests | bytes transferred | median time |");
    println!("|---|---|---:|---:|---:|");
    for (i, file) in files.iter().enumerate() {
        let bucket = Bucket::new(&format!("bench-recording-{i}"));
        let name = std::path::Path::new(file)
            .file_name()
            .unwrap()
            .to_string_lossy();
        let size = std::fs::metadata(file).unwrap().len();
        bucket.put_file("r.tdpr", std::path::Path::new(file));
        let url = bucket.url("r.tdpr");
        let label = format!("{name} ({:.2} GiB)", size as f64 / (1u64 << 30) as f64);
        let row = |what: &str, (time, counts): (Duration, Counts)| {
            println!(
                "| {label} | {what} | {} | {} | {:.3} s |",
                counts.requests,
                kib(counts.bytes),
                time.as_secs_f64()
            );
        };
        row(
            "open + info, by range",
            measure(&bucket, 5, || open_and_info(&url)),
        );
        row(
            "snapshot at the middle, by range (bound from the samples)",
            measure(&bucket, 5, || {
                snapshot(&url, false);
            }),
        );
        row(
            "snapshot at the middle, by range (exact bound)",
            measure(&bucket, 5, || {
                snapshot(&url, true);
            }),
        );
        let local = scratch.join("download.tdpr");
        row(
            "open + info, download first",
            measure(&bucket, 1, || download_then(&url, &local, false)),
        );
        row(
            "snapshot at the middle, download first",
            measure(&bucket, 1, || download_then(&url, &local, true)),
        );
        let _ = std::fs::remove_file(&local);
    }

    if batch > 0 {
        let bucket = Bucket::new("bench-batch");
        let mut bytes = 0;
        let locations: Vec<Location> = (0..batch)
            .map(|i| {
                let mut writer = tdpr::Writer::new(
                    Vec::new(),
                    tdpr::proto::Metadata {
                        session_id: format!("session-{i}"),
                        ..Default::default()
                    },
                    tdpr::WriterOptions::default(),
                )
                .unwrap();
                for f in 0..2_000u64 {
                    let [x0, x1, ..] = (f as u32).to_le_bytes();
                    writer
                        .write_frame(f * 30_000, &[3, x0, x1, 0, 0, 9, 0, 0, 0])
                        .unwrap();
                }
                let recording = writer.finish().unwrap();
                bytes += recording.len() as u64;
                let key = format!("r{i:04}.tdpr");
                bucket.put(&key, &recording);
                location(&bucket.url(&key))
            })
            .collect();
        for concurrency in [1, 8, 32] {
            bucket.reset();
            let started = Instant::now();
            let passes = tdpr_store::validate_many(&locations, concurrency);
            let elapsed = started.elapsed().as_secs_f64();
            assert!(passes.iter().all(|p| p.as_ref().unwrap().result.is_ok()));
            let counts = bucket.counts();
            println!(
                "| {batch} recordings of {} each | validate, {concurrency} at once | {} | {} | {elapsed:.2} s: {:.0} recordings/s, {:.1} MB/s |",
                kib(bytes / batch as u64),
                counts.requests,
                kib(counts.bytes),
                batch as f64 / elapsed,
                bytes as f64 / elapsed / 1e6
            );
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
