//! Our export, read by the independent Python reader of
//! `conformance/teleport/check_streams.py` (written from `spec/teleport.md`
//! alone): every TDP message, delay and event comes out as written.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;
use tdpr::proto::EventKind;
use tdpr::teleport::{export, ExportOptions};
use tdpr::Recording;

use super::fixtures::{items, unhex, Item};

/// Events, duplicates dropped and the error, as the Python reader sees
/// `stream`.
fn python_read(stream: &[u8]) -> Value {
    let script = "import json, sys\n\
                  sys.path.insert(0, 'conformance/teleport')\n\
                  from check_streams import read_stream\n\
                  events, dropped, error = read_stream(sys.stdin.buffer.read())\n\
                  json.dump({'events': events, 'dropped': dropped, 'error': error}, sys.stdout)\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(stream).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_synthetic_session_exports_to_what_an_independent_reader_reads() {
    let options = tdpr_synth::SynthOptions {
        duration_us: 90_000_000,
        seed: 3,
        profile: tdpr_synth::Profile::Office,
        ..Default::default()
    };
    let bytes = tdpr_synth::write_synthetic(Vec::new(), &options).unwrap();
    let recording = Recording::parse(&bytes).unwrap();
    let mut export_options = ExportOptions::default();
    export_options.part_size = 64 << 10;
    let (stream, report) = export(&recording, Vec::new(), &export_options).unwrap();
    assert!(report.parts > 1, "several parts");
    let read = python_read(&stream);
    assert_eq!(read["error"], Value::Null);
    assert_eq!(read["dropped"], 0);
    let events = read["events"].as_array().unwrap();
    let metadata = &recording.metadata().message;

    // The start event first, built from the metadata.
    assert_eq!(events[0]["member"], 59);
    assert_eq!(events[0]["fields"]["User"], metadata.user.as_str());
    assert_eq!(events[0]["fields"]["WindowsUser"], metadata.login.as_str());
    assert_eq!(
        events[0]["time_unix_ns"].as_i64().unwrap(),
        metadata.start_time_unix_us * 1000
    );
    // Then every frame and event in order, indexes 0, 1, 2, …
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event["index"], i as u64);
    }
    let mut theirs = events[1..]
        .iter()
        .filter(|e| !(e["member"] == 69 && is_added_screen_spec(e)));
    let mut frames = 0;
    for item in items(&recording) {
        match item {
            Item::Frame(time_us, frame) => {
                let event = theirs.next().expect("as many events as records");
                assert_eq!(event["member"], 69);
                assert_eq!(unhex(event["message_hex"].as_str().unwrap()), frame);
                assert_eq!(event["delay_ms"].as_u64().unwrap(), time_us / 1000);
                assert_eq!(event["tdpb"], false);
                frames += 1;
            }
            Item::Event(time_us, ours) => {
                let kind = EventKind::try_from(ours.kind).unwrap();
                let member = match kind {
                    EventKind::ClipboardSend => 70,
                    EventKind::ClipboardReceive => 71,
                    EventKind::SharedDirectoryStart => 106,
                    EventKind::SharedDirectoryRead => 107,
                    EventKind::SharedDirectoryWrite => 108,
                    EventKind::SessionEnd => 60,
                    _ => continue, // no Teleport equivalent: left out
                };
                let event = theirs.next().expect("as many events as records");
                assert_eq!(event["member"], member, "{kind:?}");
                let time_ns = (metadata.start_time_unix_us + time_us as i64) * 1000;
                assert_eq!(event["time_unix_ns"].as_i64().unwrap(), time_ns);
                let fields = &event["fields"];
                if member >= 106 {
                    assert_eq!(fields["DirectoryName"], ours.directory_name.as_str());
                    assert_eq!(fields["DirectoryID"], ours.directory_id);
                    assert_eq!(fields["Success"].as_bool().unwrap_or(false), !ours.failed);
                }
                if member >= 107 {
                    assert_eq!(fields["Path"], ours.path.as_str());
                    assert_eq!(fields["Length"].as_u64().unwrap_or(0), ours.length);
                    assert_eq!(fields["Offset"].as_u64().unwrap_or(0), ours.offset);
                }
            }
        }
    }
    assert!(theirs.next().is_none(), "no event more than the records");
    assert_eq!(frames, report.frames);
}

/// A legacy client screen spec (type 1) the export added for a screen size
/// that no TDP message announced.
fn is_added_screen_spec(event: &Value) -> bool {
    event["message_hex"]
        .as_str()
        .is_some_and(|hex| hex.len() == 18 && hex.starts_with("01"))
}
