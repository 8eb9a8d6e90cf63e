//! What the tests of the rendering commands share: running `tdpr`, a
//! folder of their own, recordings to draw.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `tdpr` with `args`.
pub fn tdpr<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(args)
        .output()
        .expect("run tdpr")
}

/// Runs `tdpr` and fails the test unless it succeeds; its standard output.
pub fn tdpr_ok<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let output = tdpr(args);
    assert!(
        output.status.success(),
        "tdpr {:?}: {}",
        args.iter().map(|a| a.as_ref()).collect::<Vec<_>>(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A fresh folder for one test.
pub fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tdpr-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The sample recording, written into `dir`.
pub fn sample(dir: &Path) -> PathBuf {
    let path = dir.join("sample.tdpr");
    tdpr_ok(&[Path::new("sample"), &path]);
    path
}

/// Text a path as an argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs `tdpr` in `dir`: its exit status, standard output and error as one
/// text, for a snapshot (names relative to `dir` keep it stable).
pub fn transcript(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run tdpr");
    format!(
        "$ tdpr {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
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
