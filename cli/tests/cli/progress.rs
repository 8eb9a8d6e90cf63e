//! Issue #13, case 10: the commands that can run long show a progress bar
//! on standard error when it is a terminal, and nothing when it is not (a
//! log file stays free of escape codes).

#![cfg(unix)]

use std::process::Command;

use super::support::{binary, sample, scratch, stderr, suite_file, tdpr_in};

/// Runs `tdpr` with standard error on a pseudo-terminal (Python's `pty`)
/// and returns what the terminal was shown.
fn on_terminal(dir: &std::path::Path, args: &[&str]) -> String {
    const SCRIPT: &str = r#"
import os, pty, subprocess, sys
master, slave = pty.openpty()
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
shown = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
child.wait()
sys.stdout.buffer.write(shown)
"#;
    let output = Command::new("python3")
        .args(["-c", SCRIPT, binary()])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("python3 runs");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn long_work_shows_a_bar_on_a_terminal_only() {
    let dir = scratch("progress");
    std::fs::write(dir.join("a.tdpr"), sample()).unwrap();
    let suite = suite_file("");
    let decoder = format!("{} dump -", binary());
    let cases: [(Vec<&str>, &str); 6] = [
        (vec!["validate", "a.tdpr"], "16.96 KiB"),
        (vec!["info", "a.tdpr"], "16.96 KiB"),
        (vec!["dump", "a.tdpr"], "16.96 KiB"),
        (vec!["recover", "a.tdpr", "b.tdpr"], "16.96 KiB"),
        (
            vec!["synth", "c.tdpr", "--duration", "5s"],
            "of the session",
        ),
        (
            vec![
                "conformance",
                "--decoder",
                &decoder,
                "--suite",
                suite.to_str().unwrap(),
                "--run",
                "valid/minimal*",
            ],
            " cases",
        ),
    ];
    for (args, bar) in cases {
        let shown = on_terminal(&dir, &args);
        assert!(shown.contains(bar), "{args:?} shows no bar: {shown:?}");
        let piped = tdpr_in(&dir, &args);
        assert!(
            !stderr(&piped).contains('\u{1b}') && !stderr(&piped).contains(bar),
            "{args:?} draws on a pipe: {:?}",
            stderr(&piped)
        );
    }
}
