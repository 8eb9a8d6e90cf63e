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

/// What the commands that write files say, on success and on failure
/// (issue #13): reports and faults on standard error, counts in words.
#[test]
fn messages_of_the_commands_that_write() {
    let dir = super::support::scratch("messages");
    let recording = super::support::sample();
    std::fs::write(dir.join("a.tdpr"), &recording).unwrap();
    std::fs::write(dir.join("cut.tdpr"), &recording[..recording.len() * 2 / 3]).unwrap();
    for id in ["clipboard_and_directory", "truncated_in_body", "empty_file"] {
        std::fs::copy(
            super::support::teleport_case(id),
            dir.join(format!("{id}.tar")),
        )
        .unwrap();
    }
    let runs: [&[&str]; 9] = [
        &[
            "import",
            "teleport",
            "clipboard_and_directory.tar",
            "imported.tdpr",
        ],
        &[
            "import",
            "teleport",
            "truncated_in_body.tar",
            "partial.tdpr",
        ],
        &["import", "teleport", "empty_file.tar", "none.tdpr"],
        &["export", "teleport", "imported.tdpr", "exported.tar"],
        &["export", "teleport", "a.tdpr", "a.tar"],
        &["export", "teleport", "a.tdpr", "a.tar", "--allow-loss"],
        &["recover", "cut.tdpr", "fixed.tdpr"],
        &["validate", "cut.tdpr"],
        &["recover", "a.tdpr", "a.tdpr"],
    ];
    let texts: Vec<String> = runs
        .iter()
        .map(|args| {
            let output = super::support::tdpr_in(&dir, args);
            format!(
                "$ tdpr {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}",
                args.join(" "),
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        })
        .collect();
    insta::assert_snapshot!(texts.join("\n"));
}

#[test]
fn help_lists_the_exit_statuses() {
    insta::assert_snapshot!(run(&["--help"]));
}
