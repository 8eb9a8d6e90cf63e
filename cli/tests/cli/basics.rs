//! The `tdpr` command line, run as a user would.

use std::path::Path;
use std::process::{Command, Output};

use super::support::scratch;

fn tdpr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(args)
        .output()
        .expect("run tdpr")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn sample_info_validate() {
    let dir = scratch("sample_info_validate");
    let path = dir.join("sample.tdpr");
    let path = path.to_str().unwrap();
    assert!(tdpr(&["sample", path]).status.success());
    let info = tdpr(&["info", path]);
    assert!(info.status.success());
    let text = stdout(&info);
    assert!(text.contains("state       finished"), "{text}");
    assert!(
        text.contains("alice as Administrator on win-dc-01"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&tdpr(&["info", path, "--json"]).stdout).unwrap();
    assert_eq!(json["state"], "finished");
    assert_eq!(json["metadata"]["user"], "alice");
    assert_eq!(json["events"][1]["kind"], "marker");
    let validate = tdpr(&["validate", path]);
    assert_eq!(validate.status.code(), Some(0));
    assert!(stdout(&validate).starts_with("valid: "));
}

#[test]
fn validate_reports_class_and_offset_and_recover_repairs() {
    let dir = scratch("validate_reports_class_and_offset_and_recover_repairs");
    let data = tdpr_synth::sample::write_sample(Vec::new(), Default::default()).unwrap();
    let cut = dir.join("cut.tdpr");
    std::fs::write(&cut, &data[..data.len() * 2 / 3]).unwrap();
    let cut = cut.to_str().unwrap();
    let validate = tdpr(&["validate", cut]);
    assert_eq!(validate.status.code(), Some(1));
    let text = stdout(&validate);
    assert!(text.starts_with("invalid: truncated at offset "), "{text}");

    let info = stdout(&tdpr(&["info", cut]));
    assert!(info.contains("damaged: truncated at offset"), "{info}");

    let fixed = dir.join("fixed.tdpr");
    let fixed = fixed.to_str().unwrap();
    let recover = tdpr(&["recover", cut, fixed]);
    assert!(
        recover.status.success(),
        "{}",
        String::from_utf8_lossy(&recover.stderr)
    );
    assert!(String::from_utf8_lossy(&recover.stderr).contains("stopped at truncated"));
    assert_eq!(tdpr(&["validate", fixed]).status.code(), Some(0));

    assert_eq!(
        tdpr(&["recover", fixed, fixed]).status.code(),
        Some(2),
        "refuses to overwrite its input"
    );
}

#[test]
fn dump_prints_canonical_json() {
    let dir = scratch("dump_prints_canonical_json");
    let path = dir.join("minimal.tdpr");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/valid/minimal.tdpr"),
        &path,
    )
    .unwrap();
    let dump = tdpr(&["dump", path.to_str().unwrap()]);
    assert!(dump.status.success());
    let json: serde_json::Value = serde_json::from_slice(&dump.stdout).unwrap();
    assert_eq!(json["end"]["state"], "finished");
    assert_eq!(json["records"][1]["payload"], "AwAAAAoAAAAU");
    assert_eq!(json["records"][2]["time_us"], 16_000);
}

#[test]
fn tdp_decode_and_encode_round_trip() {
    let decoded = tdpr(&["tdp", "decode", "03 0000000a 00000014"]);
    assert!(decoded.status.success());
    let json: serde_json::Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"type": "mouse_move", "x": 10, "y": 20})
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(["tdp", "encode"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&decoded.stdout)
        .unwrap();
    let encoded = child.wait_with_output().unwrap();
    assert_eq!(stdout(&encoded).trim(), "030000000a00000014");

    // Trailing bytes after one message are refused.
    assert_eq!(
        tdpr(&["tdp", "decode", "030000000a0000001400"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn validate_checks_that_frames_are_tdp_messages() {
    let dir = scratch("validate_checks_that_frames_are_tdp_messages");
    // A mouse move missing its last byte: a sound container, a bad message.
    let mut writer = tdpr::Writer::new(
        Vec::new(),
        tdpr::proto::Metadata::default(),
        Default::default(),
    )
    .unwrap();
    writer.write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0]).unwrap();
    let path = dir.join("bad-tdp.tdpr");
    std::fs::write(&path, writer.finish().unwrap()).unwrap();
    let validate = tdpr(&["validate", path.to_str().unwrap()]);
    assert_eq!(validate.status.code(), Some(1));
    let text = stdout(&validate);
    assert!(
        text.starts_with(
            "invalid: malformed_record at offset 31: the frame is not one TDP message"
        ),
        "{text}"
    );
}

/// The canonical JSON of `path` without offsets and flags: what
/// `tdpr recompress` must keep.
fn content(path: &str) -> serde_json::Value {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.retain(|key, _| !matches!(key.as_str(), "offset" | "index_offset" | "flags"));
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let dump = tdpr(&["dump", path]);
    assert!(dump.status.success(), "{path} dumps");
    let mut json = serde_json::from_slice(&dump.stdout).unwrap();
    strip(&mut json);
    json
}

#[test]
fn recompress_keeps_every_record_and_changes_only_flags_and_offsets() {
    let dir = scratch("recompress_keeps_every_record_and_changes_only_flags_and_offsets");
    let mut options = tdpr::WriterOptions::default();
    options.compression = tdpr::Compression::None;
    let data = tdpr_synth::sample::write_sample(Vec::new(), options).unwrap();
    let stored = dir.join("stored.tdpr");
    std::fs::write(&stored, &data).unwrap();
    let stored = stored.to_str().unwrap();
    let compressed = dir.join("compressed.tdpr");
    let compressed = compressed.to_str().unwrap();
    let run = tdpr(&["recompress", stored, compressed]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let smaller = std::fs::metadata(compressed).unwrap().len();
    assert!(
        smaller < data.len() as u64,
        "{smaller} bytes of {}",
        data.len()
    );
    assert_eq!(content(compressed), content(stored));

    // And back: every payload stored again, the same bytes as written so.
    let again = dir.join("again.tdpr");
    let again = again.to_str().unwrap();
    assert!(tdpr(&["recompress", "--store", compressed, again])
        .status
        .success());
    assert_eq!(std::fs::read(again).unwrap(), data);

    let refused = tdpr(&["recompress", compressed, compressed]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "refuses to overwrite its input"
    );
    assert_eq!(std::fs::metadata(compressed).unwrap().len(), smaller);
}
