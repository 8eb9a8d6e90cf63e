//! Golden recordings under `conformance/valid/`: each `.tdpr` file must be
//! exactly what its generator below writes (so fixtures stay in step with the
//! writer), and must decode to the canonical JSON checked in beside it, which
//! was reviewed by hand against the spec. `TDPR_BLESS=1` rewrites both; review
//! the diff before committing it.

use std::path::{Path, PathBuf};

use tdpr::proto::{Event, EventKind, Metadata};
use tdpr::{Batching, Compression, Limits, RecordFlags, RecordType, Writer, WriterOptions};

use prost::Message;

use crate::common::{metadata_of_len, minimal, sample, stored, with_compressed_metadata};

/// Every golden recording: name, the spec section it exercises most, bytes.
pub fn fixtures() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("minimal", "14", minimal()),
        ("sample", "5", sample()),
        ("empty_session", "7.3", empty_session()),
        ("unknown_ancillary", "4.2", unknown_ancillary()),
        ("unfinished", "9.4", unfinished()),
        ("huge_times", "1", huge_times()),
        ("every_event_kind", "5.4", every_event_kind()),
        ("unknown_protobuf_fields", "5.1", unknown_protobuf_fields()),
        ("compressed_metadata", "6", compressed_metadata()),
        ("resizes_and_keyframes", "7.3", resizes_and_keyframes()),
        ("frame_batches", "5.8", frame_batches()),
        ("max_metadata", "12", max_metadata()),
    ]
}

/// Times beyond 2^32 and 2^53 up to the largest allowed, 2^63 - 1: JSON
/// consumers must read them as exact integers.
fn huge_times() -> Vec<u8> {
    let mut writer = Writer::new(Vec::new(), Metadata::default(), stored()).unwrap();
    for time in [
        0,
        1 << 32,
        (1 << 53) + 1,
        i64::MAX as u64 - 1,
        i64::MAX as u64,
    ] {
        writer
            .write_frame(time, &[3, 0, 0, 0, 1, 0, 0, 0, 1])
            .unwrap();
    }
    writer.finish().unwrap()
}

/// One event of every kind this version defines, with their fields set, and
/// one of a kind it does not.
fn every_event_kind() -> Vec<u8> {
    let mut writer = Writer::new(Vec::new(), Metadata::default(), stored()).unwrap();
    let events = [
        Event {
            kind: EventKind::ClipboardSend as i32,
            length: 42,
            user: "alice".into(),
            ..Event::default()
        },
        Event {
            kind: EventKind::ClipboardReceive as i32,
            length: 7,
            ..Event::default()
        },
        Event {
            kind: EventKind::SharedDirectoryStart as i32,
            directory_name: "docs".into(),
            directory_id: 2,
            ..Event::default()
        },
        Event {
            kind: EventKind::SharedDirectoryRead as i32,
            directory_name: "docs".into(),
            directory_id: 2,
            path: "reports/q3.xlsx".into(),
            offset: 4096,
            length: 8192,
            ..Event::default()
        },
        Event {
            kind: EventKind::SharedDirectoryWrite as i32,
            directory_id: 2,
            path: "out.txt".into(),
            length: 12,
            failed: true,
            ..Event::default()
        },
        Event {
            kind: EventKind::SessionJoin as i32,
            user: "bob".into(),
            ..Event::default()
        },
        Event {
            kind: EventKind::SessionLeave as i32,
            user: "bob".into(),
            ..Event::default()
        },
        Event {
            kind: EventKind::Marker as i32,
            label: "password reset".into(),
            attributes: [("ticket".to_string(), "OPS-17".to_string())].into(),
            ..Event::default()
        },
        Event {
            kind: 42,
            label: "from the future".into(),
            ..Event::default()
        },
        Event {
            kind: EventKind::SessionEnd as i32,
            ..Event::default()
        },
    ];
    for (i, event) in events.into_iter().enumerate() {
        writer.write_event(i as u64 * 1_000_000, event).unwrap();
    }
    writer.finish().unwrap()
}

/// Metadata and an event carrying protobuf fields this version does not
/// define (a string, a varint, a fixed64, a group): kept byte for byte.
fn unknown_protobuf_fields() -> Vec<u8> {
    let unknown: &[u8] = &[
        0x9a, 0x06, 0x03, b'n', b'e', b'w', // field 99, "new"
        0xa0, 0x06, 0x07, // field 100, varint 7
        0xa9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, // field 101, fixed64
        0xb3, 0x06, 0x08, 0x01, 0xb4, 0x06, // field 102, a group holding field 1 = 1
    ];
    let metadata = tdpr::proto::Extensible {
        message: Metadata {
            user: "carol".into(),
            ..Metadata::default()
        },
        unknown_fields: unknown.to_vec(),
    };
    let mut writer = Writer::new(Vec::new(), metadata, stored()).unwrap();
    let event = tdpr::proto::Extensible {
        message: Event {
            kind: EventKind::Marker as i32,
            label: "x".into(),
            ..Event::default()
        },
        unknown_fields: unknown.to_vec(),
    };
    writer.write_event(5, event).unwrap();
    writer.finish().unwrap()
}

/// A compressed metadata record, which the reference writer never makes but
/// every reader must accept; built by hand and completed by `recover`.
fn compressed_metadata() -> Vec<u8> {
    let metadata = Metadata {
        cluster: "teleport.example.com".repeat(8),
        ..Metadata::default()
    };
    recovered(&with_compressed_metadata(&metadata.encode_to_vec()))
}

/// Metadata of exactly the metadata-length limit, 1 MiB once inflated.
fn max_metadata() -> Vec<u8> {
    recovered(&with_compressed_metadata(&metadata_of_len(1 << 20)))
}

fn recovered(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    tdpr::recover(data, &mut out, Limits::default()).unwrap();
    out
}

/// A seek entry every second and idle spans from 2 s, so that a few seconds
/// of session exercise both tables.
const SHORT_INDEX: tdpr::IndexOptions = tdpr::IndexOptions {
    seek_interval_us: 1_000_000,
    idle_threshold_us: 2_000_000,
};

/// Screen resizes, keyframes and a seek interval of 1 s: seek entries carry
/// the size in effect and point back at the latest keyframe.
fn resizes_and_keyframes() -> Vec<u8> {
    let metadata = Metadata {
        screen_width: 800,
        screen_height: 600,
        ..Metadata::default()
    };
    let mut options = stored();
    options.index = SHORT_INDEX;
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    let png = tdpr::format::PNG_SIGNATURE;
    writer.write_keyframe(0, 800, 600, &png).unwrap();
    writer
        .write_frame(500_000, &[3, 0, 0, 0, 1, 0, 0, 0, 1])
        .unwrap();
    writer
        .write_frame(1_200_000, &[3, 0, 0, 0, 2, 0, 0, 0, 2])
        .unwrap();
    writer.write_screen_size(1_300_000, 1024, 768).unwrap();
    writer.write_keyframe(1_300_000, 1024, 768, &png).unwrap();
    writer
        .write_frame(2_400_000, &[3, 0, 0, 0, 3, 0, 0, 0, 3])
        .unwrap();
    writer
        .write_frame(6_000_000, &[3, 0, 0, 0, 4, 0, 0, 0, 4])
        .unwrap();
    writer.finish().unwrap()
}

/// Frame batches cut by size, by an event and by the end; a batch that
/// spans a seek interval (no entry inside it) and an idle gap (an idle span
/// inside it); a lone last frame written as a frame record.
fn frame_batches() -> Vec<u8> {
    let metadata = Metadata {
        screen_width: 640,
        screen_height: 480,
        ..Metadata::default()
    };
    let mut options = stored();
    options.batching = Batching::Frames {
        max_bytes: 64,
        max_span_us: 10_000_000,
    };
    options.index = SHORT_INDEX;
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    let mouse_move = |x: u8| [3, 0, 0, 0, x, 0, 0, 0, x];
    for (time, x) in [(0, 1), (10_000, 2), (20_000, 3)] {
        writer.write_frame(time, &mouse_move(x)).unwrap();
    }
    // A clipboard data message (type 6) of 36 bytes fills the first batch
    // to 63 bytes; the next frame would make it 72, over 64.
    let mut clipboard = vec![6, 0, 0, 0, 31];
    clipboard.extend_from_slice(&[b'x'; 31]);
    writer.write_frame(30_000, &clipboard).unwrap();
    // 1.98 s after the last frame of the first batch, 2.01 s after its
    // record's time: no idle span, since the clock is the last frame's.
    writer.write_frame(2_010_000, &mouse_move(4)).unwrap();
    // 2.49 s later, in the same batch: an idle span inside it.
    writer.write_frame(4_500_000, &mouse_move(5)).unwrap();
    writer
        .write_event(
            4_600_000,
            Event {
                kind: EventKind::Marker as i32,
                label: "after the batch".into(),
                ..Event::default()
            },
        )
        .unwrap();
    writer.write_frame(4_700_000, &mouse_move(6)).unwrap();
    writer.finish().unwrap()
}

/// Metadata and nothing else, finished.
fn empty_session() -> Vec<u8> {
    Writer::new(Vec::new(), Metadata::default(), stored())
        .unwrap()
        .finish()
        .unwrap()
}

/// A record of a type from a future version between two frames, a marker,
/// a compressed frame and an idle gap.
fn unknown_ancillary() -> Vec<u8> {
    let metadata = Metadata {
        session_id: "future".into(),
        screen_width: 320,
        screen_height: 200,
        ..Metadata::default()
    };
    let mut options = WriterOptions::default();
    options.compression = Compression::Deflate {
        level: 9,
        min_len: 16,
    };
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    writer
        .write_frame(1_000, &[3, 0, 0, 0, 1, 0, 0, 0, 2])
        .unwrap();
    writer
        .write_unknown_ancillary(
            2_000,
            RecordType(0xa0),
            RecordFlags(0x80),
            b"from the future",
        )
        .unwrap();
    writer
        .write_event(
            2_500,
            Event {
                kind: EventKind::Marker as i32,
                label: "look here".into(),
                ..Event::default()
            },
        )
        .unwrap();
    // A clipboard data message (type 6) with a compressible body.
    let mut clipboard = vec![6, 0, 0, 0, 64];
    clipboard.extend_from_slice(&[b'a'; 64]);
    writer.write_frame(9_000_000, &clipboard).unwrap();
    writer.finish().unwrap()
}

/// The sample cut in the middle of a record, as a crashed recorder leaves it.
fn unfinished() -> Vec<u8> {
    let data = sample();
    data[..data.len() / 2].to_vec()
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/valid")
}

#[test]
fn golden_files_are_current_and_decode_as_reviewed() {
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    for (name, _, bytes) in fixtures() {
        let tdpr_path = dir().join(format!("{name}.tdpr"));
        let json_path = dir().join(format!("{name}.json"));
        let json = serde_json::to_string_pretty(&tdpr::json::dump(&bytes, Limits::default()))
            .unwrap()
            + "\n";
        if bless {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&tdpr_path, &bytes).unwrap();
            std::fs::write(&json_path, &json).unwrap();
        }
        let checked_in = std::fs::read(&tdpr_path).unwrap_or_default();
        assert!(
            checked_in == bytes,
            "{name}.tdpr differs from what the writer makes now"
        );
        // Key order is not significant (spec/json.md): compare values.
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap_or_default())
                .unwrap_or_default();
        let decoded: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(expected, decoded, "{name}.json");
    }
}
