//! Issue #13, cases 5 and 9: `info`, `validate` and `dump` tell one first
//! fault for one file, a frame that is not a TDP message is shown, and the
//! edges of the command line say what is wrong.

use std::path::PathBuf;

use serde_json::Value;

use super::support::{
    assert_exit, files, sample, scratch, stderr, stdout, suite_file, tdpr_fed, tdpr_in,
    teleport_case,
};

/// The sample with the message of its first mouse move in a frame record of
/// its own (at offset 11756) replaced by 2 bytes that are no TDP message: a sound
/// container, a bad frame.
fn sample_with_a_bad_frame() -> Vec<u8> {
    let mut canonical =
        serde_json::to_value(tdpr::json::dump(&sample(), Default::default())).unwrap();
    let records = canonical["records"].as_array_mut().unwrap();
    let frame = records
        .iter_mut()
        .find(|r| r["type"] == "frame" && r["time_us"] == 8_580_000)
        .unwrap();
    assert_eq!(frame["offset"], 11756);
    frame["payload"] = "AwA=".into(); // 03 00: a mouse move cut short
    tdpr::json::encode(&serde_json::from_value(canonical).unwrap()).unwrap()
}

/// Case 5: `info` shows the undecodable frame (count and first offset), its
/// table adds up to the frames, and it agrees with `validate`, which checks
/// the TDP level unless asked for the container only.
#[test]
fn info_shows_a_frame_that_is_not_a_tdp_message() {
    let dir = scratch("bad_frame");
    std::fs::write(dir.join("bad.tdpr"), sample_with_a_bad_frame()).unwrap();
    let fault = "malformed_record at offset 11691: the frame is not one TDP message: \
                 truncated message: input ends inside the message at byte 1";

    let info = tdpr_in(&dir, &["info", "bad.tdpr"]);
    assert_exit(&info, 1);
    let text = stdout(&info);
    assert!(
        text.contains(&format!("state       damaged: {fault}\n")),
        "{text}"
    );
    assert!(text.contains("frames      97 ("), "{text}");
    assert!(
        text.contains("            mouse_move                        47"),
        "{text}"
    );
    assert!(
        text.contains("            png_frame                         49"),
        "{text}"
    );
    assert!(
        text.contains("            (not one TDP message)              1              2\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "undecodable 1 frame is not one TDP message; the first: {fault}\n"
        )),
        "{text}"
    );

    let json: Value =
        serde_json::from_slice(&tdpr_in(&dir, &["info", "bad.tdpr", "--json"]).stdout).unwrap();
    let listed: u64 = json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["frames"].as_u64().unwrap())
        .sum();
    assert_eq!(
        listed + json["undecodable"]["frames"].as_u64().unwrap(),
        json["frames"].as_u64().unwrap()
    );
    assert_eq!(json["undecodable"]["first"]["offset"], 11691);

    let validate = tdpr_in(&dir, &["validate", "bad.tdpr"]);
    assert_exit(&validate, 1);
    assert!(stdout(&validate).starts_with(&format!("invalid: {fault}; `tdpr recover bad.tdpr")));
    let container = tdpr_in(&dir, &["validate", "bad.tdpr", "--level", "container"]);
    assert_exit(&container, 0);
    assert_eq!(
        stdout(&container),
        "valid: 14 records, 17292 bytes, format version 1 (checked the container)\n"
    );
    // `dump` is the container level (spec/json.md), as `--level container`.
    assert_exit(&tdpr_in(&dir, &["dump", "bad.tdpr"]), 0);
}

/// Case 9: one first fault, the same everywhere. For every invalid file of
/// the conformance suite, `validate --level container` names the class and
/// offset of `dump`'s `end`, and `info` the fault `validate` names.
#[test]
fn info_validate_and_dump_name_one_first_fault() {
    let mut invalid: Vec<PathBuf> = std::fs::read_dir(suite_file("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tdpr"))
        .collect();
    invalid.sort();
    assert!(invalid.len() > 40);
    let dir = scratch("first_fault");
    for path in invalid {
        let file = path.to_str().unwrap();
        let json = |args: &[&str]| -> Value {
            serde_json::from_slice(&tdpr_in(&dir, args).stdout).unwrap_or(Value::Null)
        };
        let end = &json(&["dump", file])["end"];
        let end_class = match end["state"].as_str() {
            Some("unfinished") => &end["state"],
            _ => &end["class"],
        };
        let container = json(&["validate", file, "--level", "container", "--json"]);
        let (class, offset) = (&container["fault"]["class"], &container["fault"]["offset"]);
        assert_eq!((class, offset), (end_class, &end["offset"]), "{file}");
        let tdp = json(&["validate", file, "--json"]);
        let info = json(&["info", file, "--json"]);
        if info.is_null() {
            // Not even a header and metadata: `info` says why on stderr.
            let run = tdpr_in(&dir, &["info", file]);
            assert_exit(&run, 1);
            let expected = format!(
                "is not a readable recording: {}",
                tdp["fault"]["message"].as_str().unwrap()
            );
            assert!(stderr(&run).contains(&expected), "{file}: {}", stderr(&run));
        } else if info["state"] == "damaged" {
            assert_eq!(info["fault"], tdp["fault"], "{file}");
        } else {
            assert_eq!(info["state"], "unfinished", "{file}");
            assert_eq!(tdp["fault"]["class"], "unfinished", "{file}");
        }
    }
}

/// Case 9: the edges of the command line.
#[test]
fn edges_say_what_is_wrong() {
    let dir = scratch("edges");
    let recording = sample();
    std::fs::write(dir.join("a.tdpr"), &recording).unwrap();
    std::fs::write(dir.join("cut.tdpr"), &recording[..recording.len() * 2 / 3]).unwrap();
    std::fs::write(dir.join("empty.tar"), b"").unwrap();
    std::fs::create_dir(dir.join("folder")).unwrap();
    let png = recording
        .windows(8)
        .position(|w| w == b"\x89PNG\r\n\x1a\n")
        .unwrap();
    std::fs::write(dir.join("image.png"), &recording[png..png + 1000]).unwrap();
    let before = files(&dir);

    let expectations: [(&[&str], i32, &str); 9] = [
        (
            &["info", "folder"],
            2,
            "tdpr: cannot read folder: it is a directory, not a file\n",
        ),
        (
            &["validate", "folder"],
            2,
            "tdpr: cannot read folder: it is a directory, not a file\n",
        ),
        (
            &["import", "teleport", "folder", "out.tdpr"],
            2,
            "tdpr: cannot read folder: it is a directory, not a file\n",
        ),
        (
            &["import", "teleport", "a.tdpr", "out.tdpr"],
            1,
            "tdpr: cannot import a.tdpr: unsupported_version in part 0 (header at byte 0): \
             part version 9895609393004481050 (known: 1, 2); it is a tdpr recording (`tdpr info` describes \
             it, `tdpr export teleport` converts it to Teleport's format); nothing written \
             to out.tdpr\n",
        ),
        (
            &["import", "teleport", "image.png", "out.tdpr"],
            1,
            "it is a PNG image, not a recording; nothing written to out.tdpr\n",
        ),
        (
            &["import", "teleport", "empty.tar", "out.tdpr"],
            1,
            "tdpr: cannot import empty.tar: it is empty; nothing written to out.tdpr\n",
        ),
        (
            &["export", "teleport", "cut.tdpr", "out.tar"],
            1,
            "; `tdpr recover cut.tdpr FIXED.tdpr` writes a finished recording of every \
             record before the fault; nothing written to out.tar\n",
        ),
        (
            &["synth", "out.tdpr", "--duration", "10M"],
            2,
            "\"10M\": \"M\" means months; write m for minutes (10m), or h or d",
        ),
        (
            &["info", "image.png"],
            1,
            "tdpr: image.png is not a readable recording: bad_signature at offset 0: the \
             file does not start with the tdpr signature; it is a PNG image, not a \
             recording\n",
        ),
    ];
    for (args, code, says) in expectations {
        let run = tdpr_in(&dir, args);
        assert_exit(&run, code);
        assert!(
            stderr(&run).ends_with(says) || stderr(&run).contains(says),
            "{args:?}: {}",
            stderr(&run)
        );
    }
    assert_eq!(files(&dir), before, "no output was left behind");
}

/// Case 9: counts take the noun that fits, and no "a office".
#[test]
fn counts_read_as_english() {
    let dir = scratch("plurals");
    std::fs::copy(teleport_case("spec_example"), dir.join("one.tar")).unwrap();
    let import = tdpr_in(&dir, &["import", "teleport", "one.tar", "one.tdpr"]);
    assert_exit(&import, 0);
    let text = stderr(&import);
    assert!(text.contains("from 1 part;"), "{text}");
    assert!(text.contains("1 TDP message,"), "{text}");
    assert!(
        !text.contains(" 1 events") && !text.contains(" 1 parts"),
        "{text}"
    );
    let synth = tdpr_in(&dir, &["synth", "s.tdpr", "--duration", "1s"]);
    assert_eq!(
        stderr(&synth),
        format!(
            "wrote a synthetic session (office profile, 1s, seed 0) to s.tdpr ({} bytes)\n",
            std::fs::metadata(dir.join("s.tdpr")).unwrap().len()
        )
    );
    let validate = tdpr_fed(&dir, &["validate", "-"], &sample());
    assert!(stdout(&validate).starts_with("valid: 14 records, 17372 bytes,"));
}
