//! Golden recordings under `conformance/valid/`: each `.tdpr` file must be
//! exactly what its generator below writes (so fixtures stay in step with the
//! writer), and must decode to the canonical JSON checked in beside it, which
//! was reviewed by hand against the spec. `TDPR_BLESS=1` rewrites both; review
//! the diff before committing it.

use std::path::{Path, PathBuf};

use tdpr::proto::{Event, EventKind, Metadata};
use tdpr::{Batching, Compression, Limits, RecordFlags, RecordType, Writer, WriterOptions};

use prost::Message;

use serde_json::{json, Value};
use tdpr::FileHeader;

use crate::by_hand::{
    b64, decoded, event, metadata, record, seek, worked_example_records, worked_example_up_to,
};
use crate::common::{
    metadata_of_len, minimal, nested_groups, record_bytes, sample, stored, with_compressed_metadata,
};

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
        ("index_directory", "7.4", index_directory()),
        ("frame_batches", "5.8", frame_batches()),
        ("compressed_batches", "5.8", compressed_batches()),
        ("max_metadata", "12", max_metadata()),
        ("protobuf_nesting_limit", "5.9", protobuf_nesting_limit()),
        (
            "unknown_ancillary_between_batches",
            "5.7",
            unknown_ancillary_between_batches(),
        ),
        (
            "event_kinds_out_of_range",
            "5.4",
            event_kinds_out_of_range(),
        ),
        ("keyframe_later", "7.2", keyframe_later()),
        ("overlong_zero_deltas", "8", overlong_zero_deltas()),
        (
            "string_with_byte_order_mark",
            "5.9",
            string_with_byte_order_mark(),
        ),
        ("deflate_padding_bits", "6", deflate_padding_bits()),
        (
            "deflate_length_258_by_symbol_284",
            "6",
            deflate_length_258_by_symbol_284(),
        ),
        ("signed_live", "5.10", crate::signed::signed_live()),
        ("excerpt", "5.10", crate::signed::excerpt()),
        ("map_entry_group", "5.9", map_entry_group()),
    ]
}

/// The canonical JSON of the golden recordings whose JSON is written by hand
/// from the spec ([`by_hand`]): the reference must print exactly this.
fn expected_by_hand(name: &str) -> Option<Value> {
    let finished = |metadata: Value, records: Vec<Value>| {
        let mut value = decoded(Some(metadata), records);
        value["end"] = json!({"state": "finished"});
        value
    };
    let index = |counts: (u64, u64, u64, u64), seek: Vec<Value>, events: Vec<Value>| {
        let (duration_us, record_count, frame_count, frame_bytes) = counts;
        json!({"index": {
            "duration_us": duration_us, "record_count": record_count,
            "frame_count": frame_count, "frame_bytes": frame_bytes,
            "seek_interval_us": 2_000_000, "idle_threshold_us": 5_000_000,
            "seek": seek, "events": events, "idle": [],
        }})
    };
    let event_entry =
        |offset: u64, kind: u32| json!({"time_us": 0, "offset": offset, "kind": kind});
    let mouse_move = |x: u8| json!({"payload": b64(&[3, 0, 0, 0, x, 0, 0, 0, x])});
    // A file of an empty metadata record and one event of kind 8 at 31,
    // completed with its index at `index_at` and the trailer after it.
    let one_event = |event: Value, index_at: u64| {
        finished(
            metadata(json!({})),
            vec![
                record(20, 0, 0x01, 0, json!({})),
                record(31, 0, 0x81, 0, json!({ "event": event })),
                record(
                    index_at,
                    0,
                    0x83,
                    0,
                    index(
                        (0, 2, 0, 0),
                        vec![seek((0, 31), (0, 0), false, None)],
                        vec![event_entry(31, 8)],
                    ),
                ),
                record(
                    index_at + 123,
                    0,
                    0x84,
                    0,
                    json!({"index_offset": index_at}),
                ),
            ],
        )
    };
    // A file of an empty metadata record and one compressed frame (flags
    // 0x02) holding `message` at 31, completed with its index at `index_at`
    // and the trailer after it.
    let one_frame = |message: &[u8], index_at: u64| {
        finished(
            metadata(json!({})),
            vec![
                record(20, 0, 0x01, 0, json!({})),
                record(31, 0, 0x02, 1, json!({"payload": b64(message)})),
                record(
                    index_at,
                    0,
                    0x83,
                    0,
                    index(
                        (0, 2, 1, message.len() as u64),
                        vec![seek((0, 31), (0, 0), false, None)],
                        vec![],
                    ),
                ),
                record(
                    index_at + 103,
                    0,
                    0x84,
                    0,
                    json!({"index_offset": index_at}),
                ),
            ],
        )
    };
    Some(match name {
        // The event at 31 is 628 bytes: the index at 659, the trailer at
        // 782. The map entry's unknown field and groups are dropped; the 100
        // groups at the top level are kept.
        "protobuf_nesting_limit" => one_event(
            event(
                8,
                json!({
                    "label": "deep", "attributes": {"k": "v"},
                    "unknown_fields": b64(&nested_groups(100, &[])),
                }),
            ),
            659,
        ),
        // The event at 31 is 28 bytes: the index at 59, the trailer at 182.
        // The group inside the attributes entry holds a field 1 of wire type
        // 0 and a field 1 that is not UTF-8: group content, so accepted, and
        // kept nowhere.
        "map_entry_group" => one_event(event(8, json!({"attributes": {"k": "v"}})), 59),
        // Metadata 20–36; batch 37–70 (time delta 1 byte, table 5 bytes,
        // two messages); the unknown record at 71, 20 ms after the first
        // batch's last frame (a 3-byte delta); the second batch at 91, its
        // first frame 10 ms after that; the index at 126, the trailer at 229.
        "unknown_ancillary_between_batches" => finished(
            metadata(json!({"screen_width": 640, "screen_height": 480})),
            vec![
                record(20, 0, 0x01, 0, json!({})),
                record(
                    37,
                    0,
                    0x04,
                    0,
                    json!({"frames": [
                        with_time(0, mouse_move(1)), with_time(10_000, mouse_move(2)),
                    ]}),
                ),
                record(71, 30_000, 0xa0, 0, json!({"payload": b64(b"between")})),
                record(
                    91,
                    40_000,
                    0x04,
                    0,
                    json!({"frames": [
                        with_time(40_000, mouse_move(3)), with_time(50_000, mouse_move(4)),
                    ]}),
                ),
                record(
                    126,
                    50_000,
                    0x83,
                    0,
                    index(
                        (50_000, 4, 4, 36),
                        vec![seek((0, 37), (640, 480), false, None)],
                        vec![],
                    ),
                ),
                record(229, 50_000, 0x84, 0, json!({"index_offset": 126})),
            ],
        ),
        // Events at 31 (22 bytes), 53, 70 (17 each) and 87 (13); the index
        // at 100 lists each kind as its unsigned 32 bits; the trailer at 283.
        "event_kinds_out_of_range" => finished(
            metadata(json!({})),
            vec![
                record(20, 0, 0x01, 0, json!({})),
                record(31, 0, 0x81, 0, json!({"event": event(-1, json!({}))})),
                record(53, 0, 0x81, 0, json!({"event": event(i32::MAX, json!({}))})),
                record(70, 0, 0x81, 0, json!({"event": event(8, json!({}))})),
                record(87, 0, 0x81, 0, json!({"event": event(10, json!({}))})),
                record(
                    100,
                    0,
                    0x83,
                    0,
                    index(
                        (0, 5, 0, 0),
                        vec![seek((0, 31), (0, 0), false, None)],
                        vec![
                            event_entry(31, u32::MAX),
                            event_entry(53, i32::MAX as u32),
                            event_entry(70, 8),
                            event_entry(87, 10),
                        ],
                    ),
                ),
                record(283, 0, 0x84, 0, json!({"index_offset": 100})),
            ],
        ),
        // Frames at 37 (0 s), 57 (1 s), 79 (2 s), the keyframe at 101
        // (2.5 s), a frame at 130 (3.6 s); seek entries every second of the
        // short index, the first three with no keyframe before them.
        "keyframe_later" => {
            let size = (800, 600);
            finished(
                metadata(json!({"screen_width": 800, "screen_height": 600})),
                vec![
                    record(20, 0, 0x01, 0, json!({})),
                    record(37, 0, 0x02, 0, mouse_move(1)),
                    record(57, 1_000_000, 0x02, 0, mouse_move(2)),
                    record(79, 2_000_000, 0x02, 0, mouse_move(3)),
                    record(
                        101,
                        2_500_000,
                        0x82,
                        0,
                        json!({"width": 800, "height": 600, "png": b64(&tdpr::format::PNG_SIGNATURE)}),
                    ),
                    record(130, 3_600_000, 0x02, 0, mouse_move(4)),
                    record(
                        152,
                        3_600_000,
                        0x83,
                        0,
                        json!({"index": {
                            "duration_us": 3_600_000, "record_count": 6, "frame_count": 4,
                            "frame_bytes": 36, "seek_interval_us": 1_000_000,
                            "idle_threshold_us": 2_000_000,
                            "seek": [
                                seek((0, 37), size, false, None),
                                seek((1_000_000, 57), size, false, None),
                                seek((2_000_000, 79), size, false, None),
                                seek((2_500_000, 101), size, true, Some(3)),
                                seek((3_600_000, 130), size, false, Some(3)),
                            ],
                            "events": [], "idle": [],
                        }}),
                    ),
                    record(383, 3_600_000, 0x84, 0, json!({"index_offset": 152})),
                ],
            )
        }
        // The worked example with `80 00` for the metadata's and the index's
        // time delta: everything after the metadata one byte later, the
        // index one byte longer.
        "overlong_zero_deltas" => {
            let mut value = worked_example_up_to(0);
            value["end"] = json!({"state": "finished"});
            let mut records = worked_example_records();
            records[1]["offset"] = json!(45);
            records[2]["offset"] = json!(65);
            records[3]["offset"] = json!(86);
            records[3]["index"]["seek"][0]["offset"] = json!(45);
            records[4]["offset"] = json!(190);
            records[4]["index_offset"] = json!(86);
            value["records"] = json!(records);
            value
        }
        // Metadata of 8 payload bytes (20–38), the empty index at 39, the
        // trailer at 110.
        "string_with_byte_order_mark" => finished(
            metadata(json!({"user": "\u{feff}bob"})),
            vec![
                record(20, 0, 0x01, 0, json!({})),
                record(39, 0, 0x83, 0, index((0, 1, 0, 0), vec![], vec![])),
                record(110, 0, 0x84, 0, json!({"index_offset": 39})),
            ],
        ),
        // The compressed frame at 31 (21 bytes), the index at 52, the
        // trailer at 155.
        "deflate_padding_bits" => one_frame(&WORKED_EXAMPLE_MOVE, 52),
        // The compressed frame at 31 (18 bytes: header, `00 83 02`, the
        // 5-byte stream, CRC), the index at 49, the trailer at 152.
        "deflate_length_258_by_symbol_284" => one_frame(&[b'a'; 259], 49),
        _ => return None,
    })
}

/// The worked example's first mouse move (x = 10, y = 20).
const WORKED_EXAMPLE_MOVE: [u8; 9] = [3, 0, 0, 0, 10, 0, 0, 0, 20];

/// A user name that starts with a byte-order mark, which is part of the
/// string (5.9): a reader that strips it prints another name.
fn string_with_byte_order_mark() -> Vec<u8> {
    let metadata = Metadata {
        user: "\u{feff}bob".into(),
        ..Metadata::default()
    };
    Writer::new(Vec::new(), metadata, stored())
        .unwrap()
        .finish()
        .unwrap()
}

/// A compressed frame whose fixed-Huffman stream (`63 66 60 60 e0 02 62 11
/// 00` from zlib for the mouse move) has the two unused high bits of its
/// last byte set: padding, whatever its value (section 6).
fn deflate_padding_bits() -> Vec<u8> {
    let stream = [0x63, 0x66, 0x60, 0x60, 0xe0, 0x02, 0x62, 0x11, 0xc0];
    completed(&[record_bytes(0x02, 1, &[&[0, 9][..], &stream].concat())])
}

/// A compressed frame of 259 × `a` whose fixed-Huffman stream (`4b 1c f9
/// 00 00`) is the literal `a`, then length 258 coded as symbol 284 with
/// extra bits 31 (where symbol 285 codes it in fewer bits) at distance 1,
/// then the end of the block: valid, as zlib accepts it (section 6).
fn deflate_length_258_by_symbol_284() -> Vec<u8> {
    let stream = [0x4b, 0x1c, 0xf9, 0x00, 0x00];
    completed(&[record_bytes(
        0x02,
        1,
        &[&[0, 0x83, 0x02][..], &stream].concat(),
    )])
}

/// A frame of a batch as json.md shows it: its time and `payload`.
fn with_time(time_us: u64, payload: Value) -> Value {
    json!({"time_us": time_us, "payload": payload["payload"]})
}

/// A file of the header, an empty metadata record and `records`, completed
/// by `recover` with the default index parameters.
fn completed(records: &[Vec<u8>]) -> Vec<u8> {
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    data.extend(record_bytes(0x01, 0, &[0]));
    for record in records {
        data.extend(record);
    }
    recovered(&data)
}

/// An event at the limits of section 5.9: 100 nested empty groups at the
/// top level (the innermost start-group key at depth 99) and a map entry
/// holding an unknown varint and 99 nested empty groups (depth 1 to 99).
fn protobuf_nesting_limit() -> Vec<u8> {
    let mut entry = vec![0x0a, 1, b'k', 0x12, 1, b'v', 0x18, 5];
    entry.extend([[0x23].repeat(99), [0x24].repeat(99)].concat());
    assert_eq!(entry.len(), 206);
    let payload = [
        &[0x08, 8][..],
        &[0x12, 4, b'd', b'e', b'e', b'p'],
        &[0x52, 0xce, 0x01],
        &entry,
        &nested_groups(100, &[]),
    ]
    .concat();
    completed(&[record_bytes(0x81, 0, &[&[0][..], &payload].concat())])
}

/// An event whose attributes entry holds a group, and in it a field 1 of
/// wire type 0 and a field 1 of bytes that are not UTF-8: rules 5 and 6 of
/// 5.9 apply only to fields directly inside an entry, so both are group
/// content and the event decodes.
fn map_entry_group() -> Vec<u8> {
    let entry = [
        &[0x0a, 1, b'k'][..],
        &[0x2b, 0x08, 0x05, 0x0a, 1, 0xff, 0x2c],
        &[0x12, 1, b'v'],
    ]
    .concat();
    let payload = [&[0x08, 8, 0x52, entry.len() as u8][..], &entry].concat();
    completed(&[record_bytes(0x81, 0, &[&[0][..], &payload].concat())])
}

/// Two frame batches with an ancillary record of a type from a future
/// version between them: its time counts from the first batch's last frame.
fn unknown_ancillary_between_batches() -> Vec<u8> {
    let metadata = Metadata {
        screen_width: 640,
        screen_height: 480,
        ..Metadata::default()
    };
    let mut writer = Writer::new(Vec::new(), metadata, stored()).unwrap();
    let mouse_move = |x: u8| [3, 0, 0, 0, x, 0, 0, 0, x];
    writer.write_frame(0, &mouse_move(1)).unwrap();
    writer.write_frame(10_000, &mouse_move(2)).unwrap();
    writer
        .write_unknown_ancillary(30_000, RecordType(0xa0), RecordFlags(0), b"between")
        .unwrap();
    writer.write_frame(40_000, &mouse_move(3)).unwrap();
    writer.write_frame(50_000, &mouse_move(4)).unwrap();
    writer.finish().unwrap()
}

/// Events whose kind this version does not define, or defines only in its
/// low 32 bits: -1 (a 10-byte varint), 2^31 - 1, 2^32 + 8 (read as 8,
/// MARKER) and 10.
fn event_kinds_out_of_range() -> Vec<u8> {
    let kinds: [&[u8]; 4] = [
        &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        &[0xff, 0xff, 0xff, 0xff, 0x07],
        &[0x88, 0x80, 0x80, 0x80, 0x10],
        &[0x0a],
    ];
    let events: Vec<Vec<u8>> = kinds
        .iter()
        .map(|kind| record_bytes(0x81, 0, &[&[0, 0x08][..], kind].concat()))
        .collect();
    completed(&events)
}

/// Seek entries before the first keyframe (no `keyframe_entry`), then a
/// keyframe and an entry after it: a player seeking before 2.5 s starts at
/// the first content record.
fn keyframe_later() -> Vec<u8> {
    let metadata = Metadata {
        screen_width: 800,
        screen_height: 600,
        ..Metadata::default()
    };
    let mut options = stored();
    options.batching = Batching::None;
    options.index = SHORT_INDEX;
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    let mouse_move = |x: u8| [3, 0, 0, 0, x, 0, 0, 0, x];
    for (time, x) in [(0, 1), (1_000_000, 2), (2_000_000, 3)] {
        writer.write_frame(time, &mouse_move(x)).unwrap();
    }
    writer
        .write_keyframe(2_500_000, 800, 600, &tdpr::format::PNG_SIGNATURE)
        .unwrap();
    writer.write_frame(3_600_000, &mouse_move(4)).unwrap();
    writer.finish().unwrap()
}

/// The worked example with the metadata's and the index's time delta
/// written `80 00`, an over-long 0 that only the trailer may not use (5.6);
/// built by hand, index included.
fn overlong_zero_deltas() -> Vec<u8> {
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    let alice = [
        0x1a, 5, b'a', b'l', b'i', b'c', b'e', 0x40, 0x80, 0x08, 0x48, 0x80, 0x06,
    ];
    data.extend(record_bytes(0x01, 0, &[&[0x80, 0][..], &alice].concat()));
    data.extend(record_bytes(0x02, 0, &[0, 3, 0, 0, 0, 10, 0, 0, 0, 20]));
    data.extend(record_bytes(
        0x02,
        0,
        &[0x80, 0x7d, 3, 0, 0, 0, 11, 0, 0, 0, 21],
    ));
    let index_offset = data.len() as u64;
    assert_eq!(index_offset, 86);
    let mut index = vec![0x80, 0];
    for value in [16_000u64, 3, 2, 18, 2_000_000, 5_000_000] {
        index.extend(value.to_le_bytes());
    }
    for count in [1u32, 0, 0] {
        index.extend(count.to_le_bytes());
    }
    index.extend(0u64.to_le_bytes());
    index.extend(45u64.to_le_bytes());
    for value in [1024u32, 768, 0, u32::MAX] {
        index.extend(value.to_le_bytes());
    }
    data.extend(record_bytes(0x83, 0, &index));
    data.extend(record_bytes(
        0x84,
        0,
        &[&[0][..], &index_offset.to_le_bytes()].concat(),
    ));
    data
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
    directory: tdpr::DirectoryPolicy::WhenLarge,
};

/// Screen resizes, keyframes and a seek interval of 1 s: seek entries carry
/// the size in effect and point back at the latest keyframe.
fn resizes_and_keyframes() -> Vec<u8> {
    resizes_and_keyframes_with(tdpr::DirectoryPolicy::WhenLarge)
}

/// The session of [`resizes_and_keyframes`] with a directory of sample
/// interval 2 (spec 7.4): the samples are entries 0 and 2 and the two
/// keyframes' entries. A writer adds a directory only to a long index; a
/// reader accepts one on any.
fn index_directory() -> Vec<u8> {
    resizes_and_keyframes_with(tdpr::DirectoryPolicy::Always(2))
}

fn resizes_and_keyframes_with(directory: tdpr::DirectoryPolicy) -> Vec<u8> {
    let metadata = Metadata {
        screen_width: 800,
        screen_height: 600,
        ..Metadata::default()
    };
    let mut options = stored();
    options.index = tdpr::IndexOptions {
        directory,
        ..SHORT_INDEX
    };
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

/// Frame batches as the writer compresses them by default: a batch of
/// repetitive clipboard text and pointer moves, deflated as one block; a
/// batch of noise that deflate would not shrink, stored; a lone compressed
/// frame; and an event between them, so that the index sees both forms.
fn compressed_batches() -> Vec<u8> {
    let metadata = Metadata {
        screen_width: 800,
        screen_height: 600,
        ..Metadata::default()
    };
    let mut options = WriterOptions::default();
    options.index = SHORT_INDEX;
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    let clipboard = |data: &[u8]| {
        let mut message = vec![6];
        message.extend_from_slice(&(data.len() as u32).to_be_bytes());
        message.extend_from_slice(data);
        message
    };
    let text = b"the quarterly figures, again and again; ".repeat(8);
    writer.write_frame(0, &clipboard(&text)).unwrap();
    for i in 0..8u8 {
        writer
            .write_frame(20_000 * u64::from(i + 1), &[3, 0, 0, 0, i, 0, 0, 0, i])
            .unwrap();
    }
    writer.write_frame(200_000, &clipboard(&text)).unwrap();
    writer
        .write_event(
            300_000,
            Event {
                kind: EventKind::Marker as i32,
                label: "noise next".into(),
                ..Event::default()
            },
        )
        .unwrap();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut noise = || {
        let bytes: Vec<u8> = (0..300)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        clipboard(&bytes)
    };
    writer.write_frame(2_400_000, &noise()).unwrap();
    writer.write_frame(2_410_000, &noise()).unwrap();
    writer.write_screen_size(2_500_000, 1024, 768).unwrap();
    writer.write_frame(2_600_000, &clipboard(&text)).unwrap();
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
        let printed = tdpr::json::dump(&bytes, Limits::default());
        if let Some(by_hand) = expected_by_hand(name) {
            let printed = serde_json::to_value(&printed).unwrap();
            assert_eq!(
                printed, by_hand,
                "{name}: the reference against the JSON by hand"
            );
        }
        let json = serde_json::to_string_pretty(&printed).unwrap() + "\n";
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
        if let Some(by_hand) = expected_by_hand(name) {
            assert_eq!(
                decoded, by_hand,
                "{name}: the reference against the JSON by hand"
            );
        }
    }
}
