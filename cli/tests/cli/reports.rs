//! What `tdpr` prints for people and for programs, reviewed as snapshots
//! (`cargo insta review`, or `INSTA_UPDATE=always` then `git diff`): `info`
//! in words and in JSON, and `validate`'s verdicts, on golden files of the
//! conformance suite. The files are given by name in their own folder, so
//! that the reports do not depend on where the checkout is.

use std::path::Path;
use std::process::Command;

/// Runs `tdpr` in the conformance suite's `valid/` folder; its standard
/// output and error and exit status, as one text.
fn run(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/valid"))
        .output()
        .expect("run tdpr");
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn info_of_the_sample() {
    insta::assert_snapshot!(run(&["info", "sample.tdpr"]));
}

#[test]
fn info_json_of_the_sample() {
    insta::assert_snapshot!(run(&["info", "sample.tdpr", "--json"]));
}

#[test]
fn info_of_an_unfinished_recording() {
    insta::assert_snapshot!(run(&["info", "unfinished.tdpr"]));
}

#[test]
fn validate_verdicts() {
    let verdicts: Vec<String> = ["sample.tdpr", "unknown_ancillary.tdpr", "unfinished.tdpr"]
        .iter()
        .map(|file| run(&["validate", file]))
        .collect();
    insta::assert_snapshot!(verdicts.join("\n"));
}
