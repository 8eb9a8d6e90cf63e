//! Rendering speed, in one run: seeking with keyframes against replaying
//! from the start, drawing throughput per codec against real time, and
//! keyframe insertion against real time. Results and how to read them:
//! `benches/README.md` of the repository ("Rendering").

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tdpr::Recording;
use tdpr_render::synth::{write_session, Codec, SessionOptions};
use tdpr_render::{insert_keyframes, Playback};
use tdpr_synth::{write_synthetic, Profile, SynthOptions};

const HOUR_US: u64 = 3_600_000_000;
const KEYFRAMES_EVERY_US: u64 = 10_000_000;

/// Random times, the same every run (a fixed linear congruential walk).
fn times(duration: u64, count: usize) -> Vec<u64> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) % duration
        })
        .collect()
}

fn office_hour() -> Vec<u8> {
    let options = SynthOptions {
        duration_us: HOUR_US,
        seed: 1,
        profile: Profile::Office,
        ..SynthOptions::default()
    };
    write_synthetic(Vec::new(), &options).unwrap()
}

fn seek(c: &mut Criterion) {
    let original = office_hour();
    let started = std::time::Instant::now();
    let (keyframed, inserted) =
        insert_keyframes(&original, KEYFRAMES_EVERY_US, Vec::new()).unwrap();
    let insertion = started.elapsed();
    eprintln!(
        "office, one hour: {} bytes; keyframes every 10 s: {} inserted, {} bytes ({:.2} % of the file); insertion took {:.2} s ({:.3} % of real time)",
        original.len(),
        inserted.keyframes,
        inserted.keyframe_bytes,
        100.0 * inserted.keyframe_bytes as f64 / original.len() as f64,
        insertion.as_secs_f64(),
        100.0 * insertion.as_secs_f64() / 3600.0,
    );
    let recording = Recording::parse(&keyframed).unwrap();
    let at = times(HOUR_US, 64);
    let mut group = c.benchmark_group("snapshot");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let mut i = 0;
    group.bench_function("keyframe_and_replay", |b| {
        b.iter(|| {
            i = (i + 1) % at.len();
            let playback = Playback::at(&recording, at[i]).unwrap();
            black_box(playback.screen().pixels()[0])
        })
    });
    let mut i = 0;
    group.bench_function("replay_from_start", |b| {
        b.iter(|| {
            i = (i + 1) % at.len();
            let mut playback = Playback::from_start(&recording).unwrap();
            playback.advance_to(at[i]).unwrap();
            black_box(playback.screen().pixels()[0])
        })
    });
    group.finish();

    let mut group = c.benchmark_group("keyframe_insertion");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("office_hour_every_10s", |b| {
        b.iter(|| insert_keyframes(black_box(&original), KEYFRAMES_EVERY_US, Vec::new()).unwrap())
    });
    group.finish();
}

fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_1080p");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    for codec in [Codec::Png, Codec::RemoteFx, Codec::Qoiz, Codec::Bitmap] {
        let options = SessionOptions {
            codec,
            width: 1920,
            height: 1080,
            frames: 60,
            frame_interval_us: 100_000,
            ..SessionOptions::default()
        };
        let bytes = write_session(Vec::new(), &options).unwrap();
        eprintln!(
            "{codec} session, 1920×1080, 60 frames at 10 a second: {} bytes",
            bytes.len()
        );
        let recording = Recording::parse(&bytes).unwrap();
        let end = options.frame_time_us(options.frames);
        group.throughput(Throughput::Elements(u64::from(options.frames)));
        group.bench_with_input(
            BenchmarkId::from_parameter(codec),
            &recording,
            |b, recording| {
                b.iter(|| {
                    let mut playback = Playback::from_start(recording).unwrap();
                    playback.advance_to(end).unwrap();
                    black_box(playback.screen().pixels()[0])
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, seek, throughput);
criterion_main!(benches);
