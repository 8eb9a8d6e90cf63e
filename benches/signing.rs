//! What signing costs and how fast verifying is (spec/signing.md, issue
//! #19), in one run on one hour of the synthetic office session (the corpus
//! of `benches/corpus.rs`, three times longer):
//!
//! - `write`: a recorder's write path (the session replayed through a
//!   `Writer` with default options), without signing and with checkpoints
//!   every 10 s; the size of both files is printed at setup;
//! - `checkpoint`: one checkpoint signed, and one verified;
//! - `verify`: `tdpr_sign::verify` over the signed file, beside SHA-256 and
//!   BLAKE3 over the same bytes and the container validation it includes;
//! - `sign_file`: `tdpr sign` of the unsigned file (validate, rewrite, sign);
//! - `clip`: one minute cut out of the middle of the hour, with its proof.
//!
//! ```sh
//! cargo bench --bench signing
//! ```

#[allow(dead_code, reason = "the corpus bench uses the rest of it")]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sha2::Digest as _;
use tdpr::Writer;
use tdpr_sign::checkpoint::{Checkpoint, FINAL, SCHEME};
use tdpr_sign::{clip, sign_recording, signed_writer, verify, KeyId, SignerOptions, SigningKey};
use tdpr_synth::synth_metadata;

/// Length of the session.
const HOUR_US: u64 = 3_600_000_000;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn bench(c: &mut Criterion) {
    let unsigned = support::office(HOUR_US);
    let items = support::items(&unsigned);
    let options = support::options(0);
    let write_unsigned = || {
        let writer = Writer::new(Vec::new(), synth_metadata(&options), options.writer).unwrap();
        support::replay(&items, 1, writer)
    };
    let write_signed = || {
        let writer = signed_writer(
            Vec::new(),
            synth_metadata(&options),
            options.writer,
            key(),
            SignerOptions::default(),
        )
        .unwrap();
        support::replay(&items, 1, writer)
    };
    let rewritten = write_unsigned();
    assert_eq!(rewritten, unsigned, "the replay writes the corpus again");
    let signed = write_signed();
    let verdict = verify(&signed, &key().verifying_key());
    assert!(verdict.verified, "{verdict:?}");
    let checkpoints = verdict.proven.as_ref().unwrap().sequence + 1;
    eprintln!(
        "one hour of office work: {} bytes unsigned, {} bytes signed every 10 s ({checkpoints} checkpoints, {} covered records): +{} bytes, +{:.4} %",
        unsigned.len(),
        signed.len(),
        verdict.proven.as_ref().unwrap().records,
        signed.len() - unsigned.len(),
        100.0 * (signed.len() - unsigned.len()) as f64 / unsigned.len() as f64
    );

    let mut group = c.benchmark_group("write");
    group.throughput(Throughput::Bytes(unsigned.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("unsigned", |b| b.iter(&write_unsigned));
    group.bench_function("signed_every_10s", |b| b.iter(&write_signed));
    group.finish();

    let mut group = c.benchmark_group("checkpoint");
    let mut checkpoint = Checkpoint {
        scheme: SCHEME,
        flags: FINAL,
        key_id: KeyId::of(&key().verifying_key()),
        root_prefix: [0; 8],
        signature: [0; 64],
        sequence: 359,
        record_count: 40_000,
    };
    let (root, metadata_digest) = ([1; 32], [2; 32]);
    let signing_key = key();
    group.bench_function("sign", |b| {
        b.iter(|| checkpoint.sign(&signing_key, black_box(&root), 5, &metadata_digest))
    });
    checkpoint.sign(&signing_key, &root, 5, &metadata_digest);
    let public = key().verifying_key();
    group.bench_function("verify", |b| {
        b.iter(|| assert!(checkpoint.verifies(&public, black_box(&root), 5, &metadata_digest)))
    });
    group.finish();

    let mut group = c.benchmark_group("verify");
    group.throughput(Throughput::Bytes(signed.len() as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("sha256_of_the_file", |b| {
        b.iter(|| sha2::Sha256::digest(black_box(&signed)))
    });
    group.bench_function("blake3_of_the_file", |b| {
        b.iter(|| blake3::hash(black_box(&signed)))
    });
    group.bench_function("validate", |b| {
        b.iter(|| tdpr::validate(black_box(&signed)).unwrap())
    });
    group.bench_function("verify", |b| {
        b.iter(|| assert!(verify(black_box(&signed), &public).verified))
    });
    group.finish();

    let mut group = c.benchmark_group("sign_file");
    group.throughput(Throughput::Bytes(unsigned.len() as u64));
    group.sample_size(10);
    group.bench_function("sign_recording", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(signed.len());
            sign_recording(&unsigned, &mut out, key(), SignerOptions::default(), false).unwrap();
            out
        })
    });
    group.finish();

    let (from, to) = (HOUR_US / 2, HOUR_US / 2 + 60_000_000);
    let mut excerpt = Vec::new();
    let cut = clip(&signed, from, to, &mut excerpt).unwrap();
    eprintln!(
        "one minute clipped from the hour: {} bytes, {} records, {} bytes of proof",
        excerpt.len(),
        cut.records,
        cut.proof_bytes
    );
    assert!(verify(&excerpt, &public).verified);
    let mut group = c.benchmark_group("clip");
    group.sample_size(10);
    group.bench_function("one_minute_of_an_hour", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(excerpt.len());
            clip(black_box(&signed), from, to, &mut out).unwrap();
            out
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
