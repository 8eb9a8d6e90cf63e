//! Teleport interop: importing a Teleport session recording against plain
//! gzip decoding of the same file (the floor any reader of that format pays),
//! and exporting, in one run on one corpus.
//!
//! The corpus is the benchmarks' 20-minute office session (`tdpr synth
//! --profile office --seed 1 --duration 20m`) exported to Teleport's format
//! with `tdpr::teleport::export` (5 MiB parts, gzip level 1, as Teleport
//! writes). `cargo bench --bench teleport`; see `benches/README.md`.

use std::hint::black_box;
use std::io::Read;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use flate2::read::GzDecoder;
use tdpr::teleport::{export, import, ExportOptions, ImportOptions, StreamReader, V1_HEADER_LEN};
use tdpr::Recording;
use tdpr_synth::{write_synthetic, Profile, SynthOptions};

/// Gunzips every part of a Teleport stream into a reused buffer; returns the
/// decompressed bytes.
fn gunzip_parts(stream: &[u8], buffer: &mut [u8]) -> u64 {
    let mut total = 0;
    let mut at = 0;
    while at < stream.len() {
        let word = |i: usize| {
            u64::from_be_bytes(stream[at + i * 8..at + i * 8 + 8].try_into().unwrap()) as usize
        };
        let (size, padding) = (word(1), word(2));
        let body = &stream[at + V1_HEADER_LEN..at + V1_HEADER_LEN + size];
        let mut decoder = GzDecoder::new(body);
        loop {
            let n = decoder.read(buffer).unwrap();
            if n == 0 {
                break;
            }
            total += n as u64;
        }
        at += V1_HEADER_LEN + size + padding;
    }
    total
}

fn bench(c: &mut Criterion) {
    let options = SynthOptions {
        duration_us: 20 * 60 * 1_000_000,
        seed: 1,
        profile: Profile::Office,
        ..Default::default()
    };
    let file = write_synthetic(Vec::new(), &options).unwrap();
    let recording = Recording::parse(&file).unwrap();
    let (stream, exported) = export(&recording, Vec::new(), &ExportOptions::default()).unwrap();
    let mut buffer = vec![0u8; 64 << 10];
    let decompressed = gunzip_parts(&stream, &mut buffer);
    let (imported, report) = import(&stream[..], Vec::new(), &ImportOptions::default()).unwrap();
    assert_eq!(report.stopped, None);
    assert_eq!(report.frames, exported.frames + exported.screen_specs_added);
    eprintln!(
        "corpus: tdpr {} B; Teleport stream {} B in {} parts ({} B decompressed, {} events); imported tdpr {} B",
        file.len(),
        stream.len(),
        exported.parts,
        decompressed,
        exported.records,
        imported.len()
    );

    let mut group = c.benchmark_group("teleport");
    group.throughput(Throughput::Bytes(stream.len() as u64));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("gunzip", |b| {
        b.iter(|| gunzip_parts(black_box(&stream), &mut buffer))
    });
    group.bench_function("read_records", |b| {
        b.iter(|| {
            let mut reader = StreamReader::new(black_box(&stream[..]));
            let mut n = 0usize;
            while let Some(record) = reader.next_record().unwrap() {
                n += record.len();
            }
            n
        })
    });
    group.bench_function("import", |b| {
        let mut out = Vec::with_capacity(imported.len());
        b.iter(|| {
            out.clear();
            import(black_box(&stream[..]), &mut out, &ImportOptions::default()).unwrap();
        })
    });
    group.bench_function("export", |b| {
        let mut out = Vec::with_capacity(stream.len());
        b.iter(|| {
            out.clear();
            export(black_box(&recording), &mut out, &ExportOptions::default()).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
