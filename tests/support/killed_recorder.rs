//! A recorder killed mid-session, for the crash-recovery tests: the test
//! binary runs one of its own ignored tests as the recorder (writing to the
//! file `TDPR_CRASH_OUT` names, printing `flushed N` after each flush), and
//! SIGKILLs it once it has flushed enough.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Runs the ignored test `recorder` of this test binary until it says it has
/// flushed at least `frames` frames, kills it, and returns the bytes it left
/// in its file (a temporary one) and the frames it said it flushed.
/// `name` names the file.
pub fn bytes_left_by(recorder: &str, name: &str, frames: u64) -> (Vec<u8>, u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.tdpr"));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            recorder,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("TDPR_CRASH_OUT", &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut flushed = 0u64;
    while flushed < frames {
        let line = lines.next().expect("the recorder is running").unwrap();
        if let Some(n) = line.strip_prefix("flushed ") {
            flushed = n.parse().unwrap();
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let data = std::fs::read(&path).unwrap();
    (data, flushed)
}
