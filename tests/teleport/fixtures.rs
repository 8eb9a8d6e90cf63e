//! Every case of `conformance/teleport/cases/`: the import must yield the
//! case's events (duplicates dropped) as frames, metadata and tdpr events,
//! and stop with the case's error class at the case's part.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tdpr::proto::Extensible;
use tdpr::proto::{Event, EventKind};
use tdpr::teleport::{import, EventView, ImportOptions, ImportReport};
use tdpr::{RecordBody, Recording};

pub fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/teleport/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "tar"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "the Teleport cases are present");
    cases
}

pub fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// What a tdpr recording holds, in order: frames with times, events.
#[derive(Debug, PartialEq)]
pub enum Item {
    Frame(u64, Vec<u8>),
    Event(u64, Event),
}

pub fn items(recording: &Recording<'_>) -> Vec<Item> {
    let mut items = Vec::new();
    for record in recording.records() {
        let record = record.unwrap();
        for frame in record.frames(&mut tdpr::Inflater::default()).unwrap() {
            items.push(Item::Frame(frame.time_us, frame.message.to_vec()));
        }
        if let RecordBody::Event(bytes) = record.body {
            let event = Extensible::<Event>::decode(bytes).unwrap().message;
            items.push(Item::Event(record.time_us, event));
        }
    }
    items
}

pub fn import_bytes(input: &[u8]) -> (Vec<u8>, ImportReport) {
    import(input, Vec::new(), &ImportOptions::default()).expect("writing to memory cannot fail")
}

fn kind_of(member: u64) -> EventKind {
    match member {
        60 | 255 => EventKind::SessionEnd,
        70 => EventKind::ClipboardSend,
        71 => EventKind::ClipboardReceive,
        106 => EventKind::SharedDirectoryStart,
        107 => EventKind::SharedDirectoryRead,
        108 => EventKind::SharedDirectoryWrite,
        _ => EventKind::Unspecified,
    }
}

fn string(fields: &Value, name: &str) -> String {
    fields[name].as_str().unwrap_or_default().to_string()
}

#[test]
fn every_case_imports_as_its_expectation_says() {
    for path in cases() {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap())
                .unwrap();
        let id = case["id"].as_str().unwrap();
        let (bytes, report) = import_bytes(&std::fs::read(&path).unwrap());
        tdpr::validate(&bytes).unwrap_or_else(|e| panic!("{id}: the output is invalid: {e}"));
        let recording = Recording::parse(&bytes).unwrap();
        let metadata = &recording.metadata().message;

        // The error class and the part where reading stopped.
        match &case["error"] {
            Value::Null => assert_eq!(report.stopped, None, "{id}"),
            error => {
                let stopped = report
                    .stopped
                    .as_ref()
                    .unwrap_or_else(|| panic!("{id}: no error"));
                assert_eq!(stopped.class.name(), error["class"], "{id}: {stopped}");
                assert_eq!(
                    stopped.part,
                    error["part"].as_u64().unwrap(),
                    "{id}: {stopped}"
                );
            }
        }
        assert_eq!(
            report.duplicates_dropped,
            case["duplicates_dropped"].as_u64().unwrap(),
            "{id}"
        );

        let expected = case["events"].as_array().unwrap();
        let start = expected
            .iter()
            .find(|e| e["member"] == 59 || e["member"] == 254);
        let mut want = Vec::new();
        let mut delay_ms = 0i64;
        for event in expected {
            match event["member"].as_u64().unwrap() {
                59 | 254 if Some(event) == start => {}
                69 => {
                    let message = unhex(event["message_hex"].as_str().unwrap());
                    if !message.is_empty() {
                        delay_ms = delay_ms.max(event["delay_ms"].as_i64().unwrap());
                        want.push((Some(delay_ms as u64 * 1000), message, None));
                    }
                }
                member => want.push((None, Vec::new(), Some((member, event)))),
            }
        }
        let got = items(&recording);
        assert_eq!(got.len(), want.len(), "{id}: records");
        let mut last_time = 0;
        for (item, (time, message, event)) in got.iter().zip(&want) {
            match (item, event) {
                (Item::Frame(t, bytes), None) => {
                    assert_eq!((Some(*t), bytes), (*time, message), "{id}: frame");
                    last_time = *t;
                }
                (Item::Event(t, got), Some((member, expected))) => {
                    assert!(*t >= last_time, "{id}: events keep time order");
                    let fields = &expected["fields"];
                    assert_eq!(got.kind, kind_of(*member) as i32, "{id}: kind of {member}");
                    let kept = EventView::parse(&got.teleport_event).unwrap();
                    assert_eq!(kept.member as u64, *member, "{id}");
                    assert_eq!(kept.index, expected["index"].as_i64(), "{id}: index kept");
                    if kind_of(*member) == EventKind::Unspecified {
                        assert_eq!(got.label, expected["type"], "{id}");
                        continue;
                    }
                    assert_eq!(got.user, string(fields, "User"), "{id}");
                    if let Some(length) = fields["Length"].as_u64() {
                        assert_eq!(got.length, length, "{id}");
                    }
                    assert_eq!(got.path, string(fields, "Path"), "{id}");
                    assert_eq!(got.directory_name, string(fields, "DirectoryName"), "{id}");
                    assert_eq!(
                        u64::from(got.directory_id),
                        fields["DirectoryID"].as_u64().unwrap_or(0),
                        "{id}"
                    );
                    assert_eq!(got.offset, fields["Offset"].as_u64().unwrap_or(0), "{id}");
                    if let Some(success) = fields["Success"].as_bool() {
                        assert_eq!(got.failed, !success, "{id}");
                    }
                    last_time = *t;
                }
                _ => panic!("{id}: got {item:?}, want {time:?} {event:?}"),
            }
        }

        // The start event becomes the metadata, and is kept.
        if let Some(start) = start {
            let fields = &start["fields"];
            assert_eq!(metadata.user, string(fields, "User"), "{id}");
            assert_eq!(metadata.cluster, string(fields, "ClusterName"), "{id}");
            assert_eq!(metadata.session_id, string(fields, "SessionID"), "{id}");
            assert_eq!(metadata.desktop_name, string(fields, "DesktopName"), "{id}");
            assert_eq!(metadata.desktop_addr, string(fields, "DesktopAddr"), "{id}");
            let login = if start["member"] == 59 {
                "WindowsUser"
            } else {
                "LinuxUser"
            };
            assert_eq!(metadata.login, string(fields, login), "{id}");
            let labels: std::collections::BTreeMap<String, String> =
                serde_json::from_value(fields["DesktopLabels"].clone()).unwrap_or_default();
            assert_eq!(metadata.labels, labels, "{id}");
            let kept = EventView::parse(&metadata.teleport_start_event).unwrap();
            assert_eq!(kept.index, start["index"].as_i64(), "{id}");
        } else {
            assert!(metadata.teleport_start_event.is_empty(), "{id}");
        }
        // Times count from the first recording's time (delay 0).
        if let Some(first) = expected
            .iter()
            .find(|e| e["member"] == 69 && e["delay_ms"] == 0)
        {
            if let Some(ns) = first["time_unix_ns"].as_i64() {
                assert_eq!(metadata.start_time_unix_us, ns / 1000, "{id}: origin");
            }
        }
    }
}

#[test]
fn a_truncated_stream_keeps_every_complete_event_and_says_where_it_stopped() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("conformance/teleport/cases/truncated_in_body.tar");
    let input = std::fs::read(path).unwrap();
    let (bytes, report) = import_bytes(&input);
    let stopped = report.stopped.unwrap();
    assert_eq!(stopped.class.name(), "truncated");
    assert_eq!(stopped.part, 1);
    assert!(stopped.part_offset > 0 && stopped.part_offset < input.len() as u64);
    assert!(stopped
        .to_string()
        .contains(&format!("header at byte {}", stopped.part_offset)));
    let recording = Recording::parse(&bytes).unwrap();
    assert!(
        recording.is_finished(),
        "the output is a finished recording"
    );
}

#[test]
fn delays_beyond_what_tdpr_can_hold_do_not_end_the_import() {
    use tdpr::teleport::StreamWriter;
    let mut writer = StreamWriter::new(Vec::new(), 1 << 20);
    for (index, delay) in [(0u8, 0u64), (1, i64::MAX as u64), (2, u64::MAX), (3, 5)] {
        // OneOf { DesktopRecording { Metadata { Index }, Message (mouse move), DelayMilliseconds } }
        let mut recording = vec![
            0x0a, 0x02, 0x08, index, 0x12, 0x09, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0x18,
        ];
        prost::encoding::encode_varint(delay, &mut recording);
        let mut event = vec![0xaa, 0x04, recording.len() as u8];
        event.extend_from_slice(&recording);
        writer.write_record(&event).unwrap();
    }
    let (stream, _) = writer.finish().unwrap();
    let (bytes, report) = import_bytes(&stream);
    assert_eq!(report.stopped, None);
    assert_eq!(report.frames, 4);
    // -1 as a delay is below the time reached: raised like any other.
    assert_eq!(report.delays_raised, 2);
    let recording = Recording::parse(&bytes).unwrap();
    let times: Vec<u64> = items(&recording)
        .iter()
        .map(|item| match item {
            Item::Frame(t, _) | Item::Event(t, _) => *t,
        })
        .collect();
    let max = (i64::MAX as u64 / 1000) * 1000;
    assert_eq!(times, [0, max, max, max]);
}
