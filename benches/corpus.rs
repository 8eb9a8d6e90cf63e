//! Every read and write path of tdpr, the two alternative storages and the
//! physical limits, measured in one run on one synthetic corpus so that the
//! ratios compare like with like.
//!
//! The corpus is 20 minutes of the synthetic office session (`tdpr synth
//! --profile office --seed 1 --duration 20m`, about 10 MiB). Seeking is also
//! measured on about 1 GiB: the same session written again and again, each lap
//! after the previous one, so that only the file size changes. The group
//! `profiles` sets the office, idle and video sessions side by side with
//! Teleport's stream of the same messages: sizes, and reading every message.
//!
//! `cargo bench --bench corpus` runs it all; the facts of the corpus (sizes,
//! bytes touched per seek) are printed first. See `benches/README.md`.

mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use support::alternatives::{jsonl_read, jsonl_write, teleport_read, teleport_write};
use tdpr::{
    Batching, Compression, Inflater, Limits, RecordBody, RecordType, Recording, StreamReader,
};
use tdpr_synth::{write_synthetic, Profile, SynthOptions};

/// Length of the corpus session.
const DURATION_US: u64 = 20 * 60 * 1_000_000;
/// Size of the large file seeking is also measured on.
const LARGE_LEN: usize = 1 << 30;
/// Seeks per measured iteration.
const SEEKS: usize = 1_000;
/// Pieces the streaming reader is fed in.
const PIECE: usize = 4 << 10;

fn bench(c: &mut Criterion) {
    let file = support::office(DURATION_US);
    let items = support::items(&file);
    let frames = support::frames(&items);
    let teleport = teleport_write(&frames);
    let jsonl = jsonl_write(&frames, 1280, 800);
    let raw: u64 = frames.iter().map(|(_, m)| m.len() as u64).sum();
    assert_eq!(teleport_read(&teleport), (frames.len() as u64, raw));
    assert_eq!(jsonl_read(&jsonl), (frames.len() as u64, raw));
    assert_eq!(
        support::write(
            &items,
            1,
            Batching::default(),
            Compression::default(),
            Vec::new()
        ),
        file,
        "the write bench rewrites the corpus byte for byte"
    );

    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Bytes(file.len() as u64));
    group.sample_size(30);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("memcpy", |b| {
        let mut copy = vec![0u8; file.len()];
        b.iter(|| copy.copy_from_slice(black_box(&file)))
    });
    group.bench_function("crc32c", |b| b.iter(|| crc32c::crc32c(black_box(&file))));
    let recording = Recording::parse(&file).unwrap();
    let unbatched = support::write(&items, 1, Batching::None, Compression::None, Vec::new());
    let unbatched_recording = Recording::parse(&unbatched).unwrap();
    let stored = support::write(
        &items,
        1,
        Batching::default(),
        Compression::None,
        Vec::new(),
    );
    let stored_recording = Recording::parse(&stored).unwrap();
    print_sizes(
        &file,
        &stored,
        raw,
        frames.len(),
        teleport.len(),
        jsonl.len(),
    );
    // Every frame of every record, each compressed batch inflated, stored
    // ones zero-copy: the CRCs skipped, as a player reading again a file it
    // has validated does (spec 4.1), then checked.
    let mut inflater = Inflater::default();
    for (name, recording) in [("scan", &recording), ("scan_stored", &stored_recording)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0u64;
                for record in black_box(recording).records().skip_checksums() {
                    for frame in record.unwrap().frames(&mut inflater).unwrap() {
                        n += frame.message.len() as u64;
                    }
                }
                n
            })
        });
    }
    for (name, recording) in [
        ("scan_checked", &recording),
        ("scan_checked_stored", &stored_recording),
        ("scan_checked_unbatched", &unbatched_recording),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0u64;
                for record in black_box(recording).records() {
                    for frame in record.unwrap().frames(&mut inflater).unwrap() {
                        n += frame.message.len() as u64;
                    }
                }
                n
            })
        });
    }
    // The container level alone: framing, CRC32C, every payload's layout,
    // every compressed payload inflated, events decoded, the index rebuilt
    // and compared.
    for (name, data) in [("validate", &file), ("validate_stored", &stored)] {
        group.bench_function(name, |b| {
            b.iter(|| tdpr::validate(black_box(data)).unwrap())
        });
    }
    for (name, data) in [
        ("validate+census", &file),
        ("validate+census_unbatched", &unbatched),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let (validation, census) = tdpr::validate_frames(black_box(data)).unwrap();
                (validation, census.by_kind.len())
            })
        });
    }
    // Into one reused buffer, as memcpy copies into one: the page faults of
    // a fresh 13 MB buffer are the kernel's cost, not the writer's.
    let mut sink = Vec::with_capacity(stored.len() + (1 << 20));
    // With the default options (compressed batches), storing every payload,
    // and one frame record a frame, as every file was before format 5.8.
    for (name, batching, compression) in [
        ("write", Batching::default(), Compression::default()),
        ("write_stored", Batching::default(), Compression::None),
        ("write_unbatched", Batching::None, Compression::None),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                sink.clear();
                support::write(black_box(&items), 1, batching, compression, &mut sink).len()
            })
        });
    }
    group.bench_function("stream_4KiB", |b| {
        b.iter(|| {
            let mut reader = StreamReader::new(Limits::default());
            let mut n = 0usize;
            for piece in black_box(&file).chunks(PIECE) {
                reader.push(piece);
                while let Some(record) = reader.next_record().unwrap() {
                    n += record.raw_payload.len();
                }
            }
            reader.finish().unwrap();
            n
        })
    });
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(6));
    group.bench_function("teleport_protobuf_gzip_read", |b| {
        b.iter(|| teleport_read(black_box(&teleport)))
    });
    group.bench_function("jsonl_base64_read", |b| {
        b.iter(|| jsonl_read(black_box(&jsonl)))
    });
    group.finish();
    drop((
        teleport,
        jsonl,
        recording,
        stored_recording,
        unbatched_recording,
    ));
    profiles(c);

    // Seeking, on the corpus and on about 1 GiB of the same session.
    let laps = LARGE_LEN.div_ceil(file.len()) as u64;
    let large = support::write(
        &items,
        laps,
        Batching::default(),
        Compression::default(),
        Vec::with_capacity(file.len() * laps as usize + (1 << 20)),
    );
    let mut group = c.benchmark_group("seek");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    for data in [&file, &large] {
        let size = size_name(data.len());
        let duration = Recording::parse(data).unwrap().index().unwrap().duration_us;
        let mut rng = ChaCha8Rng::seed_from_u64(support::SEED);
        let times: Vec<u64> = (0..SEEKS).map(|_| rng.random_range(0..=duration)).collect();
        print_seek_facts(data, &times);
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::new("open", &size), data, |b, data| {
            b.iter(|| Recording::parse(black_box(data)).unwrap())
        });
        group.throughput(Throughput::Elements(SEEKS as u64));
        group.bench_with_input(
            BenchmarkId::new("open_and_seek_1000", &size),
            &times,
            |b, times| {
                // A seek takes the first record and its frames, inflating
                // it when it is a compressed batch: at most one block.
                let mut inflater = Inflater::default();
                b.iter(|| {
                    let recording = Recording::parse(black_box(data)).unwrap();
                    let mut found = 0u64;
                    for &t in times {
                        let first = recording.seek(t).unwrap().next().unwrap().unwrap();
                        let frames = first.frames(&mut inflater).unwrap().count() as u64;
                        found = found.wrapping_add(first.offset + frames);
                    }
                    found
                })
            },
        );
    }
    group.finish();
}

/// The profile sessions of the synthetic generator beside Teleport's stream
/// of the same messages: what each costs on disk (printed at setup), and
/// reading every message of each (each compressed batch inflated).
fn profiles(c: &mut Criterion) {
    let mut group = c.benchmark_group("profiles");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    let mut inflater = Inflater::default();
    for (name, profile, minutes) in [
        ("office", Profile::Office, 20),
        ("idle", Profile::Idle, 20),
        ("video", Profile::Video, 1),
    ] {
        // Keyframes a minute, as issue 15 measures sizes (none of a screen
        // nothing was drawn on since the last); not after every 2 MiB.
        let options = SynthOptions {
            profile,
            keyframe_after_bytes: 0,
            ..support::options(minutes * 60_000_000)
        };
        let file = write_synthetic(Vec::new(), &options).expect("the session is written");
        let items = support::items(&file);
        let frames = support::frames(&items);
        let teleport = teleport_write(&frames);
        let stored = support::write(
            &items,
            1,
            Batching::default(),
            Compression::None,
            Vec::new(),
        );
        let (keyframes, _) = keyframe_and_frame_bytes(&file);
        let (stored_keyframes, _) = keyframe_and_frame_bytes(&stored);
        eprintln!(
            "profile {name} ({minutes} min): tdpr {} bytes ({} without its {keyframes} bytes of keyframes), stored {} ({} without keyframes), teleport {} bytes: tdpr/teleport {:.3} ({:.3} without keyframes), stored/teleport {:.3}",
            file.len(),
            file.len() as u64 - keyframes,
            stored.len(),
            stored.len() as u64 - stored_keyframes,
            teleport.len(),
            file.len() as f64 / teleport.len() as f64,
            (file.len() as u64 - keyframes) as f64 / teleport.len() as f64,
            stored.len() as f64 / teleport.len() as f64,
        );
        let recording = Recording::parse(&file).unwrap();
        group.bench_function(BenchmarkId::new("validate", name), |b| {
            b.iter(|| tdpr::validate(black_box(&file)).unwrap())
        });
        group.bench_function(BenchmarkId::new("scan", name), |b| {
            b.iter(|| {
                let mut n = 0u64;
                for record in black_box(&recording).records().skip_checksums() {
                    for frame in record.unwrap().frames(&mut inflater).unwrap() {
                        n += frame.message.len() as u64;
                    }
                }
                n
            })
        });
        group.bench_function(BenchmarkId::new("teleport_read", name), |b| {
            b.iter(|| teleport_read(black_box(&teleport)))
        });
    }
    group.finish();
}

fn size_name(len: usize) -> String {
    if len >= 1 << 30 {
        format!("{:.2}GiB", len as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.1}MiB", len as f64 / (1u64 << 20) as f64)
    }
}

/// Bytes of the keyframe records and of the frame and frame batch records.
fn keyframe_and_frame_bytes(file: &[u8]) -> (u64, u64) {
    let recording = Recording::parse(file).unwrap();
    let mut keyframes = 0u64;
    let mut frame_records = 0u64;
    let mut records = recording.records();
    loop {
        let start = records.offset();
        let Some(record) = records.next() else { break };
        let len = records.offset() - start;
        match record.unwrap().body {
            RecordBody::Keyframe { .. } => keyframes += len,
            RecordBody::Frame(_) | RecordBody::FrameBatch(_) => frame_records += len,
            _ => {}
        }
    }
    (keyframes, frame_records)
}

/// Prints the sizes of the corpus in each storage and where tdpr's bytes go.
fn print_sizes(file: &[u8], stored: &[u8], raw: u64, frames: usize, teleport: usize, jsonl: usize) {
    let (keyframes, frame_records) = keyframe_and_frame_bytes(file);
    let (_, stored_frames) = keyframe_and_frame_bytes(stored);
    let pct = |a: u64| 100.0 * (a as f64 / raw as f64 - 1.0);
    let len = file.len() as u64;
    eprintln!(
        "corpus: office session, seed {}, {} min",
        support::SEED,
        DURATION_US / 60_000_000
    );
    eprintln!("corpus: {frames} TDP messages, {raw} bytes of TDP messages");
    eprintln!(
        "corpus: tdpr file {len} bytes ({:+.2} % over the TDP bytes)",
        pct(len)
    );
    eprintln!(
        "corpus: tdpr without its keyframe records ({keyframes} bytes) {} bytes ({:+.2} %)",
        len - keyframes,
        pct(len - keyframes)
    );
    eprintln!(
        "corpus: tdpr frame and frame batch records alone {frame_records} bytes ({:+.2} %, {:.2} bytes per frame)",
        pct(frame_records),
        (frame_records as f64 - raw as f64) / frames as f64
    );
    eprintln!(
        "corpus: the same, every payload stored: file {} bytes, frame records {stored_frames} bytes ({:+.2} %, {:.2} bytes per frame)",
        stored.len(),
        pct(stored_frames),
        (stored_frames as f64 - raw as f64) / frames as f64
    );
    eprintln!(
        "corpus: teleport protobuf+gzip {teleport} bytes ({:+.2} %)",
        pct(teleport as u64)
    );
    eprintln!(
        "corpus: asciicast JSON lines {jsonl} bytes ({:+.2} %)",
        pct(jsonl as u64)
    );
}

/// Prints the bytes a seek touches: the index entries the binary search reads
/// and the record it frames (a seek frames and checks the record at the
/// entry's offset, whose CRC covers it whole).
fn print_seek_facts(data: &[u8], times: &[u64]) {
    let recording = Recording::parse(data).unwrap();
    let index = recording.index().unwrap();
    let index_record = data.len() - recording.index_offset().unwrap() as usize;
    let (mut total, mut max, mut max_probes) = (0u64, 0u64, 0u64);
    for &t in times {
        // The binary search of IndexView::seek, counting its probes.
        let (mut lo, mut hi, mut probes) = (0, index.seek_len(), 0u64);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            probes += 1;
            if index.seek_entry(mid).unwrap().time_us <= t {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let mut records = recording.seek(t).unwrap();
        let first = records.next().unwrap().unwrap();
        let record_len = records.offset() - first.offset;
        // The probes read 8 bytes of an entry each; the entry found is read whole.
        let touched = probes * 8 + 32 + record_len;
        total += touched;
        max = max.max(touched);
        max_probes = max_probes.max(probes);
        assert_ne!(first.record_type, RecordType::INDEX);
    }
    eprintln!(
        "seek {}: {} bytes, {} seek entries, open reads the header, metadata and {index_record} bytes of index and trailer",
        size_name(data.len()),
        data.len(),
        index.seek_len()
    );
    eprintln!(
        "seek {}: bytes touched per seek: mean {:.0}, max {max} ({max_probes} probes of the seek table at most)",
        size_name(data.len()),
        total as f64 / times.len() as f64
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
