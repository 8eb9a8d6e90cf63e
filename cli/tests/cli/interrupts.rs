//! Issue #13, case 8: SIGINT or SIGTERM during work. `synth` (like every
//! command but `import`) leaves nothing behind and an existing output as it
//! was; `import` finishes its output with what it read, since its input may
//! be a stream that cannot be read again, and a second signal stops it at
//! once. Each says which on standard error and exits with status 130.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::support::{assert_exit, binary, files, sample, scratch, tdpr_in};

/// Waits until `ready` holds; fails the test after a minute.
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether `dir` holds a temporary output, which a command creates once its
/// signal handler is in place.
fn has_temporary(dir: &Path) -> bool {
    files(dir).keys().any(|name| name.ends_with(".tmp"))
}

fn signal(child: &Child, name: &str) {
    let sent = Command::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// `tdpr import teleport - out.tdpr` in `dir`, its standard input and
/// error piped, once it has started its output.
fn start_import(dir: &Path) -> Child {
    let import = Command::new(binary())
        .args(["import", "teleport", "-", "out.tdpr"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("import has started its output", || has_temporary(dir));
    import
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn an_interrupted_synth_leaves_nothing_behind() {
    let dir = scratch("interrupted_synth");
    std::fs::write(dir.join("existing.tdpr"), sample()).unwrap();
    let before = files(&dir);
    for (out, signal_name, says) in [
        (
            "existing.tdpr",
            "-INT",
            "tdpr: interrupted; existing.tdpr left as it was\n",
        ),
        (
            "new.tdpr",
            "-TERM",
            "tdpr: interrupted; nothing written to new.tdpr\n",
        ),
    ] {
        let mut synth = Command::new(binary())
            .args(["synth", out, "--duration", "100h"])
            .current_dir(&dir)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_until("synth has started its output", || has_temporary(&dir));
        signal(&synth, signal_name);
        let status = synth.wait().unwrap();
        assert_eq!(status.code(), Some(130));
        assert_eq!(stderr_of(&mut synth), says);
        assert_eq!(files(&dir), before, "{out}: nothing changed, nothing left");
    }
}

#[test]
fn an_interrupted_import_finishes_its_output() {
    let dir = scratch("interrupted_import");
    std::fs::write(dir.join("sample.tdpr"), sample()).unwrap();
    let export = tdpr_in(
        &dir,
        &[
            "export",
            "teleport",
            "sample.tdpr",
            "sample.tar",
            "--allow-loss",
            "--part-size",
            "512",
        ],
    );
    assert_exit(&export, 0);
    let stream = std::fs::read(dir.join("sample.tar")).unwrap();

    let mut import = start_import(&dir);
    let mut stdin = import.stdin.take().unwrap();
    let half = stream.len() / 2;
    stdin.write_all(&stream[..half]).unwrap();
    signal(&import, "-INT");
    let mut stderr = BufReader::new(import.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert_eq!(
        first,
        "tdpr: interrupted: finishing out.tdpr with what was read so far (interrupt again to \
         stop at once and keep nothing)\n"
    );
    // Whatever is read now is not read: the next read stops the import.
    let _ = stdin.write_all(&stream[half..]);
    drop(stdin);
    let status = import.wait().unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(
        rest.ends_with("tdpr: interrupted: out.tdpr holds every complete event read before\n"),
        "{rest}"
    );
    let validate = tdpr_in(&dir, &["validate", "out.tdpr", "--json"]);
    assert_exit(&validate, 0);
    assert!(!has_temporary(&dir));
}

#[test]
fn a_second_interrupt_stops_an_import_at_once() {
    let dir = scratch("interrupted_twice");
    let mut import = start_import(&dir);
    // Standard input stays open and empty: the import waits on it.
    let stdin = import.stdin.take().unwrap();
    signal(&import, "-INT");
    let mut stderr = BufReader::new(import.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.starts_with("tdpr: interrupted: finishing out.tdpr"));
    signal(&import, "-INT");
    let status = import.wait().unwrap();
    drop(stdin);
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(rest, "tdpr: interrupted; nothing written to out.tdpr\n");
    assert!(files(&dir).is_empty());
}
