//! `tdpr` with URLs for inputs and outputs, against a real S3 API server
//! (moto behind a counting proxy, `store/tests/support/`): every command
//! that reads a recording reads an object, and says which URL failed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../../../store/tests/support/mod.rs"]
mod support;

use support::{server, Bucket};

fn tdpr(args: &[&str]) -> Output {
    server(); // the environment points object_store at it
    Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(args)
        .output()
        .expect("run tdpr")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tdpr-cli-remote-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn info_validate_and_dump_read_an_object() {
    server();
    let bucket = Bucket::new("cli-read");
    let sample = fixture("conformance/valid/sample.tdpr");
    bucket.put_file("sample.tdpr", &sample);
    let url = bucket.url("sample.tdpr");

    let info = tdpr(&["info", &url, "--json"]);
    assert!(info.status.success(), "{}", text(&info.stderr));
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["state"], "finished");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("spec/schema/info-index.json")).unwrap(),
    )
    .unwrap();
    let errors: Vec<String> = jsonschema::validator_for(&schema)
        .unwrap()
        .iter_errors(&info)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(info["transfer"]["requests"], 2);
    assert_eq!(bucket.counts().requests, 2, "what info says it took");
    let local = tdpr(&["info", sample.to_str().unwrap(), "--json"]);
    let local: serde_json::Value = serde_json::from_slice(&local.stdout).unwrap();
    assert_eq!(info["metadata"], local["metadata"]);
    assert_eq!(info["index"]["frames"], local["frames"]);
    assert_eq!(info["index"]["duration_us"], local["duration_us"]);
    assert_eq!(info["index"]["events"], local["events"]);

    let valid = tdpr(&["validate", &url]);
    assert!(valid.status.success(), "{}", text(&valid.stderr));
    assert_eq!(
        text(&valid.stdout),
        text(&tdpr(&["validate", sample.to_str().unwrap()]).stdout)
    );

    let dumped = tdpr(&["dump", &url]);
    assert!(dumped.status.success());
    assert!(dumped.stdout == tdpr(&["dump", sample.to_str().unwrap()]).stdout);
}

#[test]
fn a_plain_http_server_is_read_by_range_too() {
    // moto answers a plain GET with a Range header as any web server does.
    let bucket = Bucket::new("cli-http");
    let sample = fixture("conformance/valid/sample.tdpr");
    bucket.put_file("sample.tdpr", &sample);
    let url = format!("http://{}/cli-http/sample.tdpr", server().proxy);
    let info = tdpr(&["info", &url, "--json"]);
    assert!(info.status.success(), "{}", text(&info.stderr));
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["transfer"]["requests"], 2);
    assert_eq!(bucket.counts().requests, 2);
    let local = tdpr(&["info", sample.to_str().unwrap(), "--json"]);
    let local: serde_json::Value = serde_json::from_slice(&local.stdout).unwrap();
    assert_eq!(info["metadata"], local["metadata"]);
    let valid = tdpr(&["validate", &url]);
    assert!(valid.status.success(), "{}", text(&valid.stderr));
}

#[test]
fn a_missing_object_is_exit_2_with_its_url() {
    let bucket = Bucket::new("cli-missing");
    let url = bucket.url("nothing-here.tdpr");
    for command in ["info", "validate", "dump"] {
        let output = tdpr(&[command, &url]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains(&url) && stderr.contains("no such object"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn a_damaged_object_is_invalid_as_the_file_is() {
    let bucket = Bucket::new("cli-damaged");
    let path = fixture("conformance/invalid/record_checksum_mismatch.tdpr");
    bucket.put_file("bad.tdpr", &path);
    let remote = tdpr(&["validate", &bucket.url("bad.tdpr")]);
    let local = tdpr(&["validate", path.to_str().unwrap()]);
    assert_eq!(remote.status.code(), Some(1));
    assert_eq!(text(&remote.stdout), text(&local.stdout));
}

#[test]
fn recover_completes_a_dead_recorders_upload_and_writes_to_a_bucket() {
    let bucket = Bucket::new("cli-recover");
    // A recorder died after uploading one 5 MiB part of a longer recording:
    // the object does not exist yet, its journal does.
    let synth = scratch("long.tdpr");
    let made = tdpr(&[
        "synth",
        synth.to_str().unwrap(),
        "--profile",
        "video",
        "--duration",
        "5s",
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let whole = std::fs::read(&synth).unwrap();
    assert!(whole.len() > 6 << 20, "more than a part: {}", whole.len());
    let location = tdpr_store::Location::parse(&bucket.url("live.tdpr"))
        .unwrap()
        .unwrap();
    let mut sink = tdpr_store::MultipartSink::create(&location, tdpr_store::MIN_PART_SIZE).unwrap();
    std::io::Write::write_all(&mut sink, &whole[..(5 << 20) + 1000]).unwrap();
    drop(sink);

    let out = bucket.url("repaired.tdpr");
    let recovered = tdpr(&["recover", &bucket.url("live.tdpr"), &out]);
    assert!(recovered.status.success(), "{}", text(&recovered.stderr));
    assert!(text(&recovered.stderr).contains("completed the interrupted upload"));
    let valid = tdpr(&["validate", &out]);
    assert!(valid.status.success(), "{}", text(&valid.stdout));

    // What was recovered is what recovering the uploaded bytes locally gives.
    let prefix = scratch("prefix.tdpr");
    std::fs::write(&prefix, &whole[..5 << 20]).unwrap();
    let local = scratch("local-recovered.tdpr");
    assert!(
        tdpr(&["recover", prefix.to_str().unwrap(), local.to_str().unwrap()])
            .status
            .success()
    );
    let dumped = tdpr(&["dump", &out]);
    assert!(dumped.stdout == tdpr(&["dump", local.to_str().unwrap()]).stdout);
}

#[test]
fn import_and_export_teleport_read_objects() {
    let bucket = Bucket::new("cli-teleport");
    let case = fixture("conformance/teleport/cases/clipboard_and_directory.tar");
    bucket.put_file("session.tar", &case);
    let imported = scratch("imported.tdpr");
    let output = tdpr(&[
        "import",
        "teleport",
        &bucket.url("session.tar"),
        imported.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let local = scratch("imported-locally.tdpr");
    tdpr(&[
        "import",
        "teleport",
        case.to_str().unwrap(),
        local.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&imported).unwrap() == std::fs::read(&local).unwrap());

    bucket.put_file("imported.tdpr", &imported);
    let exported = scratch("exported.tar");
    let output = tdpr(&[
        "export",
        "teleport",
        &bucket.url("imported.tdpr"),
        exported.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}
