//! `tdpr import teleport` and `tdpr export teleport` as a user runs them:
//! exit codes, the files they leave, what they print.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tdpr(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(args)
        .output()
        .expect("tdpr runs")
}

fn case(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../conformance/teleport/cases/{id}.tar"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tdpr-teleport-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn import_then_export_then_import_again() {
    let (first, stream, second) = (scratch("a.tdpr"), scratch("a.tar"), scratch("b.tdpr"));
    let import = tdpr(&[
        Path::new("import"),
        Path::new("teleport"),
        &case("clipboard_and_directory"),
        &first,
    ]);
    assert_eq!(import.status.code(), Some(0), "{}", stdout(&import));
    assert!(stdout(&import).contains("a Windows desktop session"));
    let validate = tdpr(&[Path::new("validate"), &first]);
    assert_eq!(validate.status.code(), Some(0));

    let export = tdpr(&[Path::new("export"), Path::new("teleport"), &first, &stream]);
    assert_eq!(export.status.code(), Some(0), "{}", stdout(&export));
    assert!(stdout(&export).contains("start event as imported"));
    let again = tdpr(&[Path::new("import"), Path::new("teleport"), &stream, &second]);
    assert_eq!(again.status.code(), Some(0));
    let (a, b) = (
        tdpr(&[Path::new("dump"), &first]).stdout,
        tdpr(&[Path::new("dump"), &second]).stdout,
    );
    // The same frames and events; only the kept events' indexes differ.
    let count = |dump: &[u8], what: &str| String::from_utf8_lossy(dump).matches(what).count();
    assert_eq!(count(&a, "\"frame\""), count(&b, "\"frame\""));
    assert_eq!(count(&a, "\"event\""), count(&b, "\"event\""));
}

#[test]
fn a_stream_that_stops_early_exits_1_and_keeps_what_came_before() {
    let out = scratch("truncated.tdpr");
    let import = tdpr(&[
        Path::new("import"),
        Path::new("teleport"),
        &case("truncated_in_body"),
        &out,
    ]);
    assert_eq!(import.status.code(), Some(1));
    let text = stdout(&import);
    assert!(
        text.contains("the input stopped early: truncated in part 1"),
        "{text}"
    );
    assert_eq!(tdpr(&[Path::new("validate"), &out]).status.code(), Some(0));
}

#[test]
fn an_encrypted_stream_exits_2_and_leaves_no_file() {
    let out = scratch("encrypted.tdpr");
    let import = tdpr(&[
        Path::new("import"),
        Path::new("teleport"),
        &case("encrypted"),
        &out,
    ]);
    assert_eq!(import.status.code(), Some(2));
    let message = String::from_utf8_lossy(&import.stderr);
    assert!(
        message.contains("encrypted in part 0 (header at byte 0)"),
        "{message}"
    );
    assert!(!out.exists());
}
