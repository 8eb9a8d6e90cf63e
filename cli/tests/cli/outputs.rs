//! Issue #13, cases 1, 2 and 7: an output never destroys an input, a failed
//! command leaves an existing output as it was, and two writers of one
//! output leave one whole output. Each test compares the bytes of every
//! file in its folder before and after.

use std::process::{Command, Stdio};

use super::support::{assert_exit, binary, files, sample, scratch, stderr, tdpr_in, teleport_case};

/// Case 1: a hard link, a symbolic link or the same path to the input is
/// the input, for every command that writes a file from an input.
#[test]
fn an_output_that_is_the_input_is_refused() {
    let dir = scratch("output_is_input");
    std::fs::write(dir.join("a.tdpr"), sample()).unwrap();
    std::fs::copy(teleport_case("clipboard_and_directory"), dir.join("a.tar")).unwrap();
    std::fs::hard_link(dir.join("a.tdpr"), dir.join("hard.tdpr")).unwrap();
    std::fs::hard_link(dir.join("a.tar"), dir.join("hard.tar")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("a.tdpr", dir.join("soft.tdpr")).unwrap();
        std::os::unix::fs::symlink("a.tar", dir.join("soft.tar")).unwrap();
    }
    let before = files(&dir);
    for (command, input, output) in [
        (&["recover"][..], "a.tdpr", "hard.tdpr"),
        (&["recover"], "a.tdpr", "soft.tdpr"),
        (&["recover"], "a.tdpr", "a.tdpr"),
        (&["export", "teleport"], "a.tdpr", "hard.tdpr"),
        (&["export", "teleport"], "soft.tdpr", "a.tdpr"),
        (&["import", "teleport"], "a.tar", "hard.tar"),
        (&["import", "teleport"], "a.tar", "soft.tar"),
        (&["import", "teleport"], "hard.tar", "hard.tar"),
    ] {
        let args: Vec<&str> = command.iter().copied().chain([input, output]).collect();
        let run = tdpr_in(&dir, &args);
        assert_exit(&run, 2);
        assert_eq!(
            stderr(&run),
            format!(
                "tdpr: refusing to write {output}: it is the input {input} (the same file), \
                 which would be lost; name another output\n"
            ),
            "{args:?}"
        );
        assert_eq!(files(&dir), before, "{args:?} changed a file");
    }
}

/// Case 2: a command that fails leaves the file at its output as it was,
/// and no temporary file.
#[test]
fn a_failed_command_leaves_an_existing_output_as_it_was() {
    let dir = scratch("failed_command");
    let recording = sample();
    std::fs::write(dir.join("existing.tdpr"), &recording).unwrap();
    std::fs::write(dir.join("random.bin"), pseudo_random(4096)).unwrap();
    std::fs::write(dir.join("cut.tdpr"), &recording[..recording.len() / 2]).unwrap();
    std::fs::copy(teleport_case("encrypted"), dir.join("encrypted.tar")).unwrap();
    std::fs::copy(teleport_case("empty_file"), dir.join("empty.tar")).unwrap();
    let before = files(&dir);
    for (args, code, says) in [
        (
            &["recover", "random.bin", "existing.tdpr"][..],
            1,
            "tdpr: random.bin is not a readable recording: bad_signature at offset 0",
        ),
        (
            &["import", "teleport", "encrypted.tar", "existing.tdpr"],
            1,
            "tdpr: cannot import encrypted.tar: encrypted in part 0 (header at byte 0)",
        ),
        (
            &["import", "teleport", "empty.tar", "existing.tdpr"],
            1,
            "tdpr: cannot import empty.tar: it is empty; existing.tdpr left as it was",
        ),
        (
            &["import", "teleport", "random.bin", "existing.tdpr"],
            1,
            "tdpr: cannot import random.bin: unsupported_version in part 0",
        ),
        (
            &["export", "teleport", "cut.tdpr", "existing.tdpr"],
            1,
            "tdpr: cannot export cut.tdpr: truncated at offset",
        ),
        (
            &["sample", "missing/existing.tdpr"],
            1,
            "tdpr: cannot create missing/existing.tdpr: ",
        ),
    ] {
        let run = tdpr_in(&dir, args);
        assert_exit(&run, code);
        assert!(stderr(&run).starts_with(says), "{args:?}: {}", stderr(&run));
        assert!(
            stderr(&run).contains("existing.tdpr"),
            "{args:?}: {}",
            stderr(&run)
        );
        assert_eq!(files(&dir), before, "{args:?} changed a file");
    }
}

/// Case 2, a full disk: the output device fails, the message says so,
/// status 1.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_and_nothing_else_changes() {
    let dir = scratch("full_disk");
    std::fs::write(dir.join("a.tdpr"), sample()).unwrap();
    let before = files(&dir);
    for args in [
        &["sample", "/dev/full"][..],
        &["recover", "a.tdpr", "/dev/full"],
        &["export", "teleport", "a.tdpr", "/dev/full", "--allow-loss"],
    ] {
        let run = tdpr_in(&dir, args);
        assert_exit(&run, 1);
        assert!(
            stderr(&run).starts_with("tdpr: cannot write /dev/full: No space left on device"),
            "{args:?}: {}",
            stderr(&run)
        );
        assert_eq!(files(&dir), before, "{args:?}");
    }
}

/// Case 7: two commands writing one output both succeed, and the output is
/// whole: exactly what one of them writes alone.
#[test]
fn two_writers_of_one_output_leave_one_whole_output() {
    let dir = scratch("two_writers");
    let synth = |seed: &str, out: &str| {
        Command::new(binary())
            .args(["synth", out, "--duration", "20s", "--seed", seed])
            .current_dir(&dir)
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    for (seed, out) in [("1", "alone1.tdpr"), ("2", "alone2.tdpr")] {
        assert!(synth(seed, out).wait().unwrap().success());
    }
    let (mut first, mut second) = (synth("1", "both.tdpr"), synth("2", "both.tdpr"));
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    let after = files(&dir);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        ["alone1.tdpr", "alone2.tdpr", "both.tdpr"],
        "no temporary file is left"
    );
    let both = &after["both.tdpr"];
    assert!(
        both == &after["alone1.tdpr"] || both == &after["alone2.tdpr"],
        "the output is one writer's whole output"
    );
    assert_exit(&tdpr_in(&dir, &["validate", "both.tdpr"]), 0);
}

/// An output through a symbolic link replaces the file the link points to;
/// the link stays.
#[cfg(unix)]
#[test]
fn an_output_through_a_symbolic_link_replaces_its_target() {
    let dir = scratch("symlink_output");
    std::fs::write(dir.join("target.tdpr"), b"old").unwrap();
    std::os::unix::fs::symlink("target.tdpr", dir.join("link.tdpr")).unwrap();
    let run = tdpr_in(&dir, &["sample", "link.tdpr"]);
    assert_exit(&run, 0);
    let after = files(&dir);
    assert_eq!(after["link.tdpr"], b"-> target.tdpr");
    assert_eq!(after["target.tdpr"], sample());
    assert_eq!(after.len(), 2);
}

/// Bytes that are no known kind of file.
fn pseudo_random(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}
