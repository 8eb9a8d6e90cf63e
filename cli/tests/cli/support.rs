//! What the tests share: running the real binary, a fresh folder per test,
//! and the bytes of every file in it.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `tdpr` binary under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_tdpr")
}

/// Runs `tdpr` with `args` in `dir`, standard input empty.
pub fn tdpr_in(dir: &Path, args: &[impl AsRef<OsStr>]) -> Output {
    tdpr_fed(dir, args, &[])
}

/// Runs `tdpr` with `args` in `dir`, `stdin` on its standard input.
pub fn tdpr_fed(dir: &Path, args: &[impl AsRef<OsStr>], stdin: &[u8]) -> Output {
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tdpr");
    let mut input = child.stdin.take().expect("piped");
    let stdin = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        // tdpr may stop reading early; that is its business.
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("tdpr ends");
    feeder.join().expect("the feeder ends");
    output
}

/// A fresh, empty folder for the test `name`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("tdpr-cli-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file in `dir` (not below) and its bytes; symbolic links as
/// `-> target`. Comparing two of these shows every byte that changed and
/// every file left behind.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let link = std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink();
            let bytes = if link {
                format!("-> {}", std::fs::read_link(&path).unwrap().display()).into_bytes()
            } else if path.is_dir() {
                b"(folder)".to_vec()
            } else {
                std::fs::read(&path).unwrap()
            };
            (name, bytes)
        })
        .collect()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The built-in sample recording.
pub fn sample() -> Vec<u8> {
    tdpr_synth::sample::write_sample(Vec::new(), Default::default()).unwrap()
}

/// A file of the conformance suite.
pub fn suite_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance")
        .join(path)
}

/// A Teleport recording of the conversion test vectors.
pub fn teleport_case(id: &str) -> PathBuf {
    suite_file(&format!("teleport/cases/{id}.tar"))
}

/// Asserts the exit status of `output`, showing what it printed otherwise.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}
