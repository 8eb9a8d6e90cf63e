//! A signing recorder killed with SIGKILL mid-session (spec/signing.md 6):
//! `recover` keeps its checkpoints byte for byte, and `verify` proves every
//! record up to the last checkpoint it had flushed, reports the records after
//! it as unproven, and finds no break.
//!
//! The test binary runs itself as the recorder: the `signing_recorder` test,
//! ignored in normal runs, writes a frame every millisecond of recording time
//! to the file named by `TDPR_CRASH_OUT`, signing a checkpoint every 100 ms,
//! flushing after each frame and printing how many it has flushed; the parent
//! kills it, recovers the file and verifies it.

#[path = "support/killed_recorder.rs"]
mod killed_recorder;

use std::io::Write;

use tdpr::proto::Metadata;
use tdpr::{Limits, WriterOptions};
use tdpr_sign::{signed_writer, verify, SignerOptions, SigningKey};

/// Recording time between checkpoints.
const INTERVAL_US: u64 = 100_000;
/// Recording time between frames.
const FRAME_US: u64 = 1_000;

fn key() -> SigningKey {
    SigningKey::from_bytes(&[9; 32])
}

/// A TDP mouse move whose coordinates encode `n`.
fn frame(n: u32) -> [u8; 9] {
    let mut message = [3, 0, 0, 0, 0, 0, 0, 0, 0];
    message[1..5].copy_from_slice(&n.to_be_bytes());
    message
}

#[test]
#[ignore = "run by a_killed_signing_recorder_is_proven_to_its_last_checkpoint as its child"]
fn signing_recorder() {
    let Some(path) = std::env::var_os("TDPR_CRASH_OUT") else {
        return;
    };
    let file = std::fs::File::create(path).unwrap();
    let metadata = Metadata {
        session_id: "signed-crash".into(),
        ..Metadata::default()
    };
    let signing = SignerOptions {
        interval_us: INTERVAL_US,
        ..SignerOptions::default()
    };
    let mut writer = signed_writer(
        std::io::BufWriter::new(file),
        metadata,
        WriterOptions::default(),
        key(),
        signing,
    )
    .unwrap();
    let stdout = std::io::stdout();
    for n in 0u32.. {
        writer
            .write_frame(u64::from(n) * FRAME_US, &frame(n))
            .unwrap();
        writer.flush().unwrap();
        writeln!(stdout.lock(), "flushed {}", n + 1).unwrap();
    }
}

#[test]
fn a_killed_signing_recorder_is_proven_to_its_last_checkpoint() {
    let (data, flushed) = killed_recorder::bytes_left_by("signing_recorder", "signed-crash", 2_000);
    let public = key().verifying_key();
    let before = verify(&data, &public);
    let mut recovered = Vec::new();
    tdpr::recover(&data, &mut recovered, Limits::default()).unwrap();
    tdpr::validate(&recovered).unwrap();
    let verdict = verify(&recovered, &public);

    assert_eq!(verdict.first_break, None, "{verdict:?}");
    assert!(!verdict.finished && !verdict.verified);
    // Frame `flushed - 1` was flushed at this time, and with it the
    // checkpoint due at the last whole interval before it.
    let last_flushed_us = (flushed - 1) * FRAME_US;
    let due_us = last_flushed_us / INTERVAL_US * INTERVAL_US;
    let proven = verdict.proven.as_ref().expect("checkpoints were flushed");
    assert!(
        proven.time_us >= due_us,
        "proven to {} µs; the checkpoint of {due_us} µs had been flushed",
        proven.time_us
    );
    assert_eq!(proven.time_us % INTERVAL_US, 0, "a checkpoint every 100 ms");
    // Every checkpoint written before the crash is proven after recovery,
    // and whatever the killed file held past the last one is reported.
    assert_eq!(before.proven, verdict.proven);
    let covered = tdpr::Records::of_file(&recovered, Limits::default())
        .unwrap()
        .filter(|r| tdpr_sign::digest::is_covered(r.as_ref().unwrap().record_type))
        .count() as u64;
    let unproven = verdict.unproven.as_ref().map_or(0, |u| u.records);
    assert_eq!(proven.records + unproven, covered);
}
