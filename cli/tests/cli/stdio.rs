//! Issue #13, cases 4, 6 and the `-` of case 9: standard output closed or
//! full, faults on standard error, and `-` for standard input and output
//! wherever a file is read or written.

use std::process::{Command, Stdio};

use super::support::{
    assert_exit, binary, files, sample, scratch, stderr, stdout, tdpr_fed, tdpr_in, teleport_case,
};

/// The commands that print on standard output, with a recording as input.
const PRINTERS: [&[&str]; 5] = [
    &["info", "a.tdpr"],
    &["info", "a.tdpr", "--json"],
    &["dump", "a.tdpr"],
    &["validate", "a.tdpr"],
    &["validate", "a.tdpr", "--json"],
];

/// Case 4: a reader that went away ends the command quietly, status 0.
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = scratch("closed_pipe");
    std::fs::write(dir.join("a.tdpr"), sample()).unwrap();
    for args in PRINTERS
        .iter()
        .chain([&["tdp", "decode", "030000000a00000014"][..]].iter())
    {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let run = Command::new(binary())
            .args(*args)
            .current_dir(&dir)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_exit(&run, 0);
        assert_eq!(stderr(&run), "", "{args:?}");
    }
}

/// Case 4: a full disk under standard output is a message and status 1,
/// never a panic.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_error() {
    let dir = scratch("full_stdout");
    std::fs::write(dir.join("a.tdpr"), sample()).unwrap();
    for args in PRINTERS.iter().chain([&["sample", "-"][..]].iter()) {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let run = Command::new(binary())
            .args(*args)
            .current_dir(&dir)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_exit(&run, 1);
        assert_eq!(
            stderr(&run),
            "tdpr: cannot write standard output: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}

/// Case 6: what went wrong, and reports of commands that write files, go
/// to standard error; standard output carries only what was asked for.
#[test]
fn faults_and_reports_go_to_standard_error() {
    let dir = scratch("stderr");
    std::fs::copy(teleport_case("truncated_in_body"), dir.join("cut.tar")).unwrap();
    std::fs::write(dir.join("a.tdpr"), sample()).unwrap();

    let import = tdpr_in(&dir, &["import", "teleport", "cut.tar", "cut.tdpr"]);
    assert_exit(&import, 1);
    assert_eq!(stdout(&import), "");
    let text = stderr(&import);
    assert!(
        text.contains("tdpr: the input stopped early: truncated in part 1")
            && text.contains("cut.tdpr holds every complete event before that point"),
        "{text}"
    );
    assert_exit(&tdpr_in(&dir, &["validate", "cut.tdpr"]), 0);

    for args in [
        &["export", "teleport", "a.tdpr", "a.tar", "--allow-loss"][..],
        &["recover", "a.tdpr", "b.tdpr"],
        &["sample", "c.tdpr"],
        &["synth", "d.tdpr", "--duration", "2s"],
    ] {
        let run = tdpr_in(&dir, args);
        assert_exit(&run, 0);
        assert_eq!(stdout(&run), "", "{args:?}");
        assert!(stderr(&run).contains(args[args.len() - 1]), "{args:?}");
    }
}

/// Case 9: `-` is standard input or output wherever a file is read or
/// written, with the same bytes as through a file, and no file named `-`
/// ever appears.
#[test]
fn a_dash_is_standard_input_or_output_everywhere() {
    let dir = scratch("dash");
    let recording = sample();
    std::fs::write(dir.join("a.tdpr"), &recording).unwrap();
    std::fs::write(dir.join("cut.tdpr"), &recording[..recording.len() * 2 / 3]).unwrap();
    std::fs::copy(teleport_case("clipboard_and_directory"), dir.join("a.tar")).unwrap();
    let cut = std::fs::read(dir.join("cut.tdpr")).unwrap();
    let tar = std::fs::read(dir.join("a.tar")).unwrap();

    // Writers: the bytes on standard output are the file's.
    for (to_file, to_stdout, stdin) in [
        (&["sample", "f"][..], &["sample", "-"][..], &[][..]),
        (
            &["synth", "f", "--duration", "2s"],
            &["synth", "-", "--duration", "2s"],
            &[],
        ),
        (
            &["recover", "cut.tdpr", "f"],
            &["recover", "-", "-"],
            &cut[..],
        ),
        (
            &["export", "teleport", "a.tdpr", "f", "--allow-loss"],
            &["export", "teleport", "-", "-", "--allow-loss"],
            &recording[..],
        ),
        (
            &["import", "teleport", "a.tar", "f"],
            &["import", "teleport", "-", "-"],
            &tar[..],
        ),
    ] {
        assert_exit(&tdpr_in(&dir, to_file), 0);
        let piped = tdpr_fed(&dir, to_stdout, stdin);
        assert_exit(&piped, 0);
        assert_eq!(
            piped.stdout,
            std::fs::read(dir.join("f")).unwrap(),
            "{to_stdout:?}"
        );
    }
    // Readers: standard input reads as the file does.
    for args in [["info", "-"], ["validate", "-"], ["dump", "-"]] {
        let fed = tdpr_fed(&dir, &args, &recording);
        assert_exit(&fed, 0);
        let named = tdpr_in(&dir, &[args[0], "a.tdpr"]);
        assert_eq!(
            stdout(&fed).replace("standard input", "a.tdpr"),
            stdout(&named),
            "{args:?}"
        );
    }
    // `--json` and an output on standard output would mix.
    let both = tdpr_fed(&dir, &["recover", "-", "-", "--json"], &cut);
    assert_exit(&both, 2);
    assert!(stderr(&both).contains("--json prints on standard output"));
    assert!(!files(&dir).contains_key("-"), "no file named -");
}
