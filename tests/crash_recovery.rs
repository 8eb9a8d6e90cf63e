//! A recorder killed with SIGKILL mid-session loses nothing it had flushed:
//! `recover` returns every record the writer reported flushed.
//!
//! The test binary runs itself as the recorder: the `recorder` test, ignored
//! in normal runs, writes frames forever to the file named by
//! `TDPR_CRASH_OUT`, flushing after each and printing how many it has
//! flushed; the parent kills it and recovers the file.

#[path = "support/killed_recorder.rs"]
mod killed_recorder;

use std::io::Write;

use tdpr::proto::Metadata;
use tdpr::{Limits, RecordBody, Recording, Writer, WriterOptions};

/// The frame written `n`-th: a TDP mouse move whose coordinates encode `n`.
fn frame(n: u32) -> [u8; 9] {
    let mut message = [3, 0, 0, 0, 0, 0, 0, 0, 0];
    message[1..5].copy_from_slice(&n.to_be_bytes());
    message[5..9].copy_from_slice(&(n ^ 0x5555).to_be_bytes());
    message
}

#[test]
#[ignore = "run by crash_recovery_keeps_every_flushed_record as its child"]
fn recorder() {
    let Some(path) = std::env::var_os("TDPR_CRASH_OUT") else {
        return;
    };
    let file = std::fs::File::create(path).unwrap();
    let metadata = Metadata {
        session_id: "crash".into(),
        ..Metadata::default()
    };
    let mut writer = Writer::new(
        std::io::BufWriter::new(file),
        metadata,
        WriterOptions::default(),
    )
    .unwrap();
    let stdout = std::io::stdout();
    for n in 0u32.. {
        writer.write_frame(u64::from(n) * 1_000, &frame(n)).unwrap();
        writer.flush().unwrap();
        writeln!(stdout.lock(), "flushed {}", n + 1).unwrap();
    }
}

#[test]
fn crash_recovery_keeps_every_flushed_record() {
    let (data, flushed) = killed_recorder::bytes_left_by("recorder", "crash", 5_000);
    let mut recovered = Vec::new();
    let recovery = tdpr::recover(&data, &mut recovered, Limits::default()).unwrap();
    tdpr::validate(&recovered).unwrap();
    let recording = Recording::parse(&recovered).unwrap();
    let frames: Vec<Vec<u8>> = recording
        .records()
        .map(|r| r.unwrap())
        .filter_map(|r| match r.body {
            RecordBody::Frame(p) => Some(p.to_vec().unwrap()),
            _ => None,
        })
        .collect();
    assert!(
        frames.len() as u64 >= flushed,
        "{} frames recovered, {flushed} flushed",
        frames.len()
    );
    for (n, message) in frames.iter().enumerate() {
        assert_eq!(message[..], frame(n as u32), "frame {n}");
    }
    assert_eq!(recovery.records, frames.len() as u64 + 1);
}
