//! `tdpr` with URLs for inputs, against a real S3 API server (moto behind a
//! proxy that counts requests and bytes, `store/tests/support/`): every
//! command that reads a recording reads an object as it reads the same
//! file, in as few requests as its job allows, and says which URL failed.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use super::json_schemas::validator;
use super::serve::{get, Server};
use super::support::{
    arg, assert_exit, binary, files, sample, sample_in, scratch, stderr, stdout, suite_file,
    tdpr_in, teleport_case,
};

#[path = "../../../store/tests/support/mod.rs"]
mod s3;

use s3::{server, Bucket};

/// Runs `tdpr` in `dir` against the S3 server (the environment points
/// `object_store` at it), its temporary files in `dir/tmp`.
fn tdpr(dir: &Path, args: &[&str]) -> Output {
    server();
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", &tmp)
        .output()
        .expect("run tdpr")
}

/// Asserts that nothing is left in `dir/tmp` (the copies of objects).
fn assert_no_copy_left(dir: &Path) {
    assert!(files(&dir.join("tmp")).is_empty(), "a temporary copy left");
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)))
}

/// A recording of `frames` frames of 4 KiB that do not compress, 10 ms
/// apart: 9 MB for 2200.
fn big_recording(frames: u64) -> Vec<u8> {
    let metadata = tdpr::proto::Metadata {
        user: "alice".into(),
        screen_width: 1024,
        screen_height: 768,
        ..Default::default()
    };
    let mut writer = tdpr::Writer::new(Vec::new(), metadata, Default::default()).unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut message = vec![0u8; 4096];
    for i in 0..frames {
        for byte in message.iter_mut() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
        writer.write_frame(i * 10_000, &message).unwrap();
    }
    writer.finish().unwrap()
}

#[test]
fn info_validate_and_dump_read_an_object() {
    let dir = scratch("remote_read");
    let sample = sample_in(&dir);
    let bucket = Bucket::new("cli-read");
    bucket.put_file("sample.tdpr", &sample);
    let url = bucket.url("sample.tdpr");

    bucket.reset();
    let info = tdpr(&dir, &["info", &url, "--json"]);
    assert_exit(&info, 0);
    let info = json(&info);
    let errors: Vec<String> = validator("info-index.json")
        .iter_errors(&info)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(info["state"], "finished");
    assert_eq!(info["url"], url.as_str());
    assert_eq!(info["transfer"]["requests"], 2);
    assert_eq!(bucket.counts().requests, 2, "what info says it took");
    let local = json(&tdpr(&dir, &["info", "sample.tdpr", "--json"]));
    assert_eq!(info["metadata"], local["metadata"]);
    assert_eq!(info["file_bytes"], local["file_bytes"]);
    for key in ["frames", "duration_us", "idle_us", "idle_spans", "events"] {
        assert_eq!(info["index"][key], local[key], "{key}");
    }
    assert_eq!(info["index"]["seek_entries"], local["seek_entries"]);
    let text = tdpr(&dir, &["info", &url]);
    assert_exit(&text, 0);
    assert!(
        stdout(&text).contains("read through its index")
            && stdout(&text).contains("transfer    2 requests"),
        "{}",
        stdout(&text)
    );

    for level in ["tdp", "container"] {
        let remote = tdpr(&dir, &["validate", &url, "--level", level]);
        assert_exit(&remote, 0);
        let local = tdpr(&dir, &["validate", "sample.tdpr", "--level", level]);
        assert_eq!(stdout(&remote), stdout(&local), "{level}");
    }

    bucket.reset();
    let dumped = tdpr(&dir, &["dump", &url]);
    assert_exit(&dumped, 0);
    assert!(dumped.stdout == tdpr(&dir, &["dump", "sample.tdpr"]).stdout);
    // One GET streams it; opening reads its ends by range.
    assert_eq!(bucket.counts().requests, 3);
    assert_no_copy_left(&dir);
}

#[test]
fn info_reads_a_bounded_part_of_a_big_object() {
    let dir = scratch("remote_big");
    let bytes = big_recording(2200);
    assert!(bytes.len() > 8 << 20, "{}", bytes.len());
    std::fs::write(dir.join("big.tdpr"), &bytes).unwrap();
    let bucket = Bucket::new("cli-big");
    bucket.put_file("big.tdpr", &dir.join("big.tdpr"));
    let url = bucket.url("big.tdpr");

    bucket.reset();
    let info = json(&tdpr(&dir, &["info", &url, "--json"]));
    let counts = bucket.counts();
    assert_eq!(counts.requests, 2);
    assert!(counts.bytes <= 256 << 10, "{counts:?}");
    assert_eq!(info["transfer"]["bytes"], counts.bytes);
    assert_eq!(info["index"]["frames"], 2200);
    assert_eq!(info["file_bytes"], bytes.len());

    // validate streams the object once: its bytes and the ends opening read.
    bucket.reset();
    let valid = tdpr(&dir, &["validate", &url, "--level", "container"]);
    assert_exit(&valid, 0);
    let counts = bucket.counts();
    assert_eq!(counts.requests, 3);
    assert!(
        counts.bytes <= bytes.len() as u64 + (256 << 10),
        "{counts:?}"
    );
}

/// Every recording of the suite's `valid` and `invalid` folders dumps the
/// same from an object, streamed, as from the file: the opening by range
/// and the pass over the stream find what opening and reading the file
/// find, fault for fault.
#[test]
fn every_suite_file_dumps_the_same_from_an_object() {
    let dir = scratch("remote_suite");
    let bucket = Bucket::new("cli-suite");
    let mut seen = 0;
    for folder in ["valid", "invalid"] {
        for entry in std::fs::read_dir(suite_file(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "tdpr") {
                continue;
            }
            let key = format!("{folder}-{}", path.file_name().unwrap().to_string_lossy());
            bucket.put_file(&key, &path);
            let remote = tdpr(&dir, &["dump", &bucket.url(&key)]);
            let local = tdpr(&dir, &["dump", arg(&path)]);
            assert_eq!(remote.status.code(), local.status.code(), "{key}");
            assert!(remote.stdout == local.stdout, "{key}");
            seen += 1;
        }
    }
    assert!(seen > 100, "{seen}");
}

#[test]
fn a_damaged_object_is_invalid_as_the_file_is() {
    let dir = scratch("remote_damaged");
    let recording = sample();
    std::fs::write(dir.join("cut.tdpr"), &recording[..recording.len() / 2]).unwrap();
    let bucket = Bucket::new("cli-damaged");
    bucket.put_file("cut.tdpr", &dir.join("cut.tdpr"));
    let url = bucket.url("cut.tdpr");
    let remote = tdpr(&dir, &["validate", &url]);
    assert_exit(&remote, 1);
    let local = tdpr(&dir, &["validate", "cut.tdpr"]);
    // The same verdict and advice, naming the URL.
    assert_eq!(stdout(&remote), stdout(&local).replace("cut.tdpr", &url));
    assert!(stdout(&remote).contains(&format!("tdpr recover {url} FIXED.tdpr")));

    // Not a recording at all: said from its first bytes, as for a file.
    bucket.put_file("session.tar", &teleport_case("clipboard_and_directory"));
    for command in ["info", "validate"] {
        let output = tdpr(&dir, &[command, &bucket.url("session.tar")]);
        let said = stdout(&output) + &stderr(&output);
        assert!(
            said.contains("it is a Teleport session recording"),
            "{command}: {said}"
        );
    }
}

/// An object that is not there cannot be read, as a missing file: exit 2,
/// its URL named, nothing written.
#[test]
fn a_missing_object_is_exit_2_with_its_url() {
    let dir = scratch("remote_missing");
    let bucket = Bucket::new("cli-missing");
    let url = bucket.url("nothing-here.tdpr");
    let url = url.as_str();
    let runs: [&[&str]; 9] = [
        &["info", url],
        &["validate", url],
        &["dump", url],
        &["recover", url, "out.tdpr"],
        &["export", "teleport", url, "out.tar"],
        &["import", "teleport", url, "out.tdpr"],
        &["snapshot", url, "--at", "0", "-o", "out.png"],
        &["keyframes", url, "out.tdpr"],
        &["thumbnails", url, "-o", "thumbs"],
    ];
    for args in runs {
        let output = tdpr(&dir, args);
        assert_exit(&output, 2);
        let said = stderr(&output);
        assert!(
            said.contains(&format!("cannot read {url}")) && said.contains("no such object"),
            "{args:?}: {said}"
        );
        let left: Vec<String> = files(&dir).into_keys().filter(|f| f != "tmp").collect();
        assert!(left.is_empty(), "{args:?} left {left:?}");
        assert_no_copy_left(&dir);
    }
    // No bucket at all.
    let output = tdpr(&dir, &["validate", "s3://no-such-bucket-here/a.tdpr"]);
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("s3://no-such-bucket-here/a.tdpr"));
}

/// A snapshot of an object is read by range: the object's two ends, then
/// one request from the keyframe before the time up to it (a seek plan's
/// bound), a fraction of the object; thumbnails play it once by range.
/// Both draw what they draw from the same file on disk. The keyframes are
/// the renderer's (`tdpr keyframes`), which say that nothing before them
/// is needed (spec/rendering.md 6.1).
#[test]
fn snapshot_and_thumbnails_of_an_object_read_it_by_range() {
    let dir = scratch("remote_stills");
    let synthetic = dir.join("synth.tdpr");
    let file = dir.join("office.tdpr");
    assert_exit(
        &tdpr(
            &dir,
            &[
                "synth",
                "--profile",
                "office",
                "--duration",
                "5m",
                "--seed",
                "2",
                arg(&synthetic),
            ],
        ),
        0,
    );
    assert_exit(
        &tdpr(
            &dir,
            &["keyframes", arg(&synthetic), arg(&file), "--every", "10s"],
        ),
        0,
    );
    std::fs::remove_file(&synthetic).unwrap();
    let size = std::fs::metadata(&file).unwrap().len();
    let bucket = Bucket::new("cli-stills");
    bucket.put_file("office.tdpr", &file);
    let url = bucket.url("office.tdpr");

    bucket.reset();
    assert_exit(
        &tdpr(
            &dir,
            &["snapshot", &url, "--at", "3:25", "-o", "remote.png"],
        ),
        0,
    );
    let counts = bucket.counts();
    eprintln!("snapshot by range: {counts:?} of {size} bytes");
    assert_eq!(counts.requests, 3, "two ends, then the records: {counts:?}");
    assert!(
        counts.bytes < size / 4,
        "{} of {size} bytes read for one snapshot",
        counts.bytes
    );
    assert_exit(
        &tdpr(
            &dir,
            &["snapshot", arg(&file), "--at", "3:25", "-o", "local.png"],
        ),
        0,
    );

    bucket.reset();
    assert_exit(
        &tdpr(
            &dir,
            &["thumbnails", &url, "--every", "1m", "-o", "remote-thumbs"],
        ),
        0,
    );
    let counts = bucket.counts();
    eprintln!("thumbnails by range: {counts:?} of {size} bytes");
    assert!(
        counts.bytes <= size + (256 << 10),
        "thumbnails read the object once by range, not over and over: {counts:?} of {size}"
    );
    assert_exit(
        &tdpr(
            &dir,
            &[
                "thumbnails",
                arg(&file),
                "--every",
                "1m",
                "-o",
                "local-thumbs",
            ],
        ),
        0,
    );
    let written = files(&dir);
    assert!(written["remote.png"] == written["local.png"]);
    let remote = files(&dir.join("remote-thumbs"));
    assert_eq!(remote.len(), 6, "0:00 to 5:00");
    assert!(remote == files(&dir.join("local-thumbs")));
    assert_no_copy_left(&dir);
}

/// `verify` of an object says what it says of the same file.
#[test]
fn verify_of_an_object_is_that_of_the_file() {
    let dir = scratch("remote_verify");
    let bucket = Bucket::new("cli-verify");
    let signed = suite_file("signed/signed_sample.tdpr");
    let key = suite_file("signed/test_key.pub");
    bucket.put_file("signed.tdpr", &signed);
    let remote = tdpr(
        &dir,
        &["verify", &bucket.url("signed.tdpr"), "--pubkey", arg(&key)],
    );
    assert_exit(&remote, 0);
    let local = tdpr(&dir, &["verify", arg(&signed), "--pubkey", arg(&key)]);
    assert_eq!(stdout(&remote), stdout(&local));
    assert_no_copy_left(&dir);
}

/// A recorder that died while uploading (`tdpr_store::MultipartSink`, parts
/// of 5 MiB) left two parts and its journal, and no object: `tdpr recover
/// URL` completes the upload with those parts and recovers every record in
/// them, as `tdpr recover` does with the same bytes from a file.
#[test]
fn recover_completes_a_dead_recorders_upload() {
    use std::io::Write;

    let dir = scratch("remote_dead_upload");
    let whole = big_recording(3200);
    let bucket = Bucket::new("cli-dead-upload");
    let url = bucket.url("dead.tdpr");
    let location = tdpr_store::Location::parse(&url).unwrap().unwrap();
    server();
    let mut sink = tdpr_store::MultipartSink::create(&location, tdpr_store::MIN_PART_SIZE).unwrap();
    sink.write_all(&whole[..12 << 20]).unwrap();
    assert_eq!(sink.uploaded_bytes(), 10 << 20);
    drop(sink); // a crash: nothing completes or aborts the upload

    let recovered = tdpr(&dir, &["recover", &url, "remote.tdpr"]);
    assert_exit(&recovered, 0);
    assert!(
        stderr(&recovered).starts_with("completed the interrupted upload "),
        "{}",
        stderr(&recovered)
    );
    assert!(
        stderr(&recovered).contains(": 2 parts of 5242880 bytes"),
        "{}",
        stderr(&recovered)
    );
    std::fs::write(dir.join("uploaded.tdpr"), &whole[..10 << 20]).unwrap();
    assert_exit(&tdpr(&dir, &["recover", "uploaded.tdpr", "local.tdpr"]), 0);
    let written = files(&dir);
    assert!(
        written["remote.tdpr"] == written["local.tdpr"],
        "every uploaded record, as from the file"
    );

    // The journal is gone with the upload: the object is now an ordinary one.
    let again = tdpr(&dir, &["recover", &url, "again.tdpr"]);
    assert_exit(&again, 0);
    assert!(
        !stderr(&again).contains("interrupted upload"),
        "{}",
        stderr(&again)
    );
    assert_no_copy_left(&dir);
}

#[test]
fn recover_and_export_teleport_read_an_object() {
    let dir = scratch("remote_recover");
    let recording = sample();
    std::fs::write(dir.join("cut.tdpr"), &recording[..recording.len() / 2]).unwrap();
    let bucket = Bucket::new("cli-recover");
    bucket.put_file("cut.tdpr", &dir.join("cut.tdpr"));
    let url = bucket.url("cut.tdpr");

    assert_exit(&tdpr(&dir, &["recover", &url, "remote.tdpr"]), 0);
    assert_exit(&tdpr(&dir, &["recover", "cut.tdpr", "local.tdpr"]), 0);
    assert_exit(&tdpr(&dir, &["validate", "remote.tdpr"]), 0);

    std::fs::write(dir.join("whole.tdpr"), &recording).unwrap();
    bucket.put_file("whole.tdpr", &dir.join("whole.tdpr"));
    let export = tdpr(
        &dir,
        &[
            "export",
            "teleport",
            &bucket.url("whole.tdpr"),
            "remote.tar",
            "--allow-loss",
        ],
    );
    assert_exit(&export, 0);
    assert_exit(
        &tdpr(
            &dir,
            &[
                "export",
                "teleport",
                "whole.tdpr",
                "local.tar",
                "--allow-loss",
            ],
        ),
        0,
    );
    let written = files(&dir);
    assert!(written["remote.tdpr"] == written["local.tdpr"]);
    assert!(written["remote.tar"] == written["local.tar"]);
    assert_no_copy_left(&dir);
}

#[test]
fn import_teleport_streams_an_object() {
    let dir = scratch("remote_import");
    let case = teleport_case("clipboard_and_directory");
    let bucket = Bucket::new("cli-import");
    bucket.put_file("session.tar", &case);

    bucket.reset();
    let import = tdpr(
        &dir,
        &[
            "import",
            "teleport",
            &bucket.url("session.tar"),
            "remote.tdpr",
        ],
    );
    assert_exit(&import, 0);
    assert_eq!(bucket.counts().requests, 1, "one GET, streamed");
    assert_exit(
        &tdpr(&dir, &["import", "teleport", arg(&case), "local.tdpr"]),
        0,
    );
    let written = files(&dir);
    assert!(written["remote.tdpr"] == written["local.tdpr"]);
}

/// Objects are read, never written: a URL as an output is refused before
/// anything is made (no local folder `s3:`).
#[test]
fn a_url_is_no_output() {
    let dir = scratch("remote_output");
    sample_in(&dir);
    for args in [
        &["recover", "sample.tdpr", "s3://bucket/out.tdpr"][..],
        &["thumbnails", "sample.tdpr", "-o", "s3://bucket/thumbs"][..],
    ] {
        let output = tdpr_in(&dir, args);
        assert_exit(&output, 2);
        assert!(
            stderr(&output).contains("not URLs"),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(files(&dir).into_keys().collect::<Vec<_>>(), ["sample.tdpr"]);
    }
}

/// `tdpr play s3://…`: the player's page names the object, and the server
/// answers the player's range requests from the store, one range request
/// each, never downloading the object; a missing object fails at the start.
#[test]
fn play_serves_an_object_by_range() {
    let dir = scratch("remote_play");
    let sample = sample_in(&dir);
    let data = std::fs::read(&sample).unwrap();
    let size = data.len();
    let bucket = Bucket::new("cli-play");
    bucket.put_file("sample.tdpr", &sample);
    server();
    let played = Server::start(&["play", &bucket.url("sample.tdpr")]);
    assert!(
        played
            .url
            .ends_with("/index.html?src=recordings/sample.tdpr"),
        "{}",
        played.url
    );
    let recording = played.at("/recordings/sample.tdpr");

    bucket.reset();
    let head = get(&recording, Some("bytes=0-999"));
    assert_eq!(head.status, 206);
    assert_eq!(head.headers[1], Some(format!("bytes 0-999/{size}")));
    assert!(head.body == data[..1000]);
    let tail = get(&recording, Some("bytes=-500"));
    assert_eq!(tail.status, 206);
    assert_eq!(
        tail.headers[1],
        Some(format!("bytes {}-{}/{size}", size - 500, size - 1))
    );
    assert!(tail.body == data[size - 500..]);
    let counts = bucket.counts();
    assert_eq!(counts.requests, 2, "one range request to the store each");
    assert_eq!(counts.bytes, 1500, "only the bytes asked for");

    let whole = get(&recording, None);
    assert_eq!(whole.status, 200);
    assert!(whole.body == data);
    let past = get(&recording, Some(&format!("bytes={size}-")));
    assert_eq!(past.status, 416);
    assert_eq!(get(&played.at("/recordings/other.tdpr"), None).status, 404);
    drop(played);

    let missing = tdpr(&dir, &["play", &bucket.url("nothing.tdpr")]);
    assert_exit(&missing, 2);
    assert!(
        stderr(&missing).contains(&bucket.url("nothing.tdpr")),
        "{}",
        stderr(&missing)
    );
}
