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

/// A fresh, empty folder for one test, removed with everything in it when
/// the test ends (pass or fail): a test run leaves nothing behind.
pub struct Scratch(tempfile::TempDir);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

/// A fresh, empty folder for the test `name` (the name prefixes the folder's).
pub fn scratch(name: &str) -> Scratch {
    Scratch(
        tempfile::Builder::new()
            .prefix(&format!("tdpr-cli-{name}-"))
            .tempdir()
            .expect("a temporary folder"),
    )
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

/// Runs `tdpr` with `args` in the current directory.
pub fn tdpr<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(binary())
        .args(args)
        .output()
        .expect("run tdpr")
}

/// Runs `tdpr` and fails the test unless it succeeds; its standard error,
/// where the commands that write files report what they wrote.
pub fn tdpr_ok<S: AsRef<OsStr>>(args: &[S]) -> String {
    let output = tdpr(args);
    assert!(
        output.status.success(),
        "tdpr {:?}: {}",
        args.iter().map(|a| a.as_ref()).collect::<Vec<_>>(),
        stderr(&output)
    );
    stderr(&output)
}

/// The sample recording, written into `dir`.
pub fn sample_in(dir: &Path) -> PathBuf {
    let path = dir.join("sample.tdpr");
    std::fs::write(&path, sample()).unwrap();
    path
}

/// A path as an argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs `tdpr` in `dir`: its exit status, standard output and error as one
/// text, for a snapshot (names relative to `dir` keep it stable).
pub fn transcript(dir: &Path, args: &[&str]) -> String {
    let output = tdpr_in(dir, args);
    format!(
        "$ tdpr {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        output.status.code(),
        stdout(&output),
        stderr(&output)
    )
}

/// A 32 × 16 recording whose two PNG frames do not decode, then a mouse
/// move at 3 ms.
pub fn undrawable(dir: &Path) -> PathBuf {
    let metadata = tdpr::proto::Metadata {
        screen_width: 32,
        screen_height: 16,
        ..Default::default()
    };
    let mut writer = tdpr::Writer::new(Vec::new(), metadata, Default::default()).unwrap();
    let mut message = Vec::new();
    let bad_png = tdpr::tdp::Message::PngFrame {
        left: 0,
        top: 0,
        right: 4,
        bottom: 4,
        png: b"not a png".as_slice().into(),
    };
    bad_png.encode(&mut message).unwrap();
    writer.write_frame(1_000, &message).unwrap();
    writer.write_frame(2_000, &message).unwrap();
    writer
        .write_frame(3_000, &[3, 0, 0, 0, 5, 0, 0, 0, 6])
        .unwrap();
    let path = dir.join("undrawable.tdpr");
    std::fs::write(&path, writer.finish().unwrap()).unwrap();
    path
}

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}
