//! Throughput of the core paths on one corpus, against the physical limits
//! (memcpy and CRC32C of the same bytes), all in one run so that ratios are
//! comparable.
//!
//! The corpus is the built-in sample's TDP messages replayed in a loop to
//! about 16 MiB, with their original spacing in time.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tdpr::{Limits, Record, RecordBody, Recording, Writer, WriterOptions};

/// The sample's frames as (time, message) pairs, repeated to `target` bytes.
fn messages(target: usize) -> Vec<(u64, Vec<u8>)> {
    let sample = tdpr::sample::write_sample(Vec::new(), WriterOptions::default()).unwrap();
    let recording = Recording::parse(&sample).unwrap();
    let one_pass: Vec<(u64, Vec<u8>)> = recording
        .records()
        .map(Result::unwrap)
        .filter_map(|r: Record<'_>| match r.body {
            RecordBody::Frame(p) => Some((r.time_us, p.to_vec().unwrap())),
            _ => None,
        })
        .collect();
    let period = one_pass.last().unwrap().0 + 16_000;
    let mut out = Vec::new();
    let mut bytes = 0;
    for lap in 0.. {
        for (time, message) in &one_pass {
            if bytes >= target {
                return out;
            }
            bytes += message.len();
            out.push((lap * period + time, message.clone()));
        }
    }
    unreachable!()
}

fn write(messages: &[(u64, Vec<u8>)], sink: Vec<u8>) -> Vec<u8> {
    let mut writer = Writer::new(
        sink,
        tdpr::sample::sample_metadata(),
        WriterOptions::default(),
    )
    .unwrap();
    for (time, message) in messages {
        writer.write_frame(*time, message).unwrap();
    }
    writer.finish().unwrap()
}

fn bench(c: &mut Criterion) {
    let messages = messages(16 << 20);
    let file = write(&messages, Vec::new());
    let recording = Recording::parse(&file).unwrap();
    let duration = recording.index().unwrap().duration_us;

    let mut group = c.benchmark_group("read_write");
    group.throughput(Throughput::Bytes(file.len() as u64));
    group.sample_size(20);
    group.bench_function("memcpy", |b| {
        let mut copy = vec![0u8; file.len()];
        b.iter(|| copy.copy_from_slice(black_box(&file)))
    });
    group.bench_function("crc32c", |b| b.iter(|| crc32c::crc32c(black_box(&file))));
    group.bench_function("scan", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for record in recording.records() {
                n += record.unwrap().raw_payload.len();
            }
            n
        })
    });
    group.bench_function("validate", |b| {
        b.iter(|| tdpr::validate(black_box(&file), Limits::default()).unwrap())
    });
    group.bench_function("write", |b| {
        b.iter(|| write(black_box(&messages), Vec::with_capacity(file.len())))
    });
    group.finish();

    let mut group = c.benchmark_group("seek");
    let times: Vec<u64> = (0..1000u64)
        .map(|i| i.wrapping_mul(2_654_435_761) % duration)
        .collect();
    group.bench_with_input(
        BenchmarkId::new("open_and_seek_1000", file.len()),
        &times,
        |b, times| {
            b.iter(|| {
                let recording = Recording::parse(black_box(&file)).unwrap();
                let mut found = 0u64;
                for &t in times {
                    let first = recording.seek(t).unwrap().next().unwrap().unwrap();
                    found = found.wrapping_add(first.offset);
                }
                found
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
