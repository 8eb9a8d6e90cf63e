//! Canonical JSON (spec/json.md) written by hand from the spec's text, for
//! the conformance cases that decide a rule two readers could read
//! differently (issue 14). What these cases expect is what the text says;
//! the tests then check the reference implementation against it, instead
//! of recording whatever it prints.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Map, Value};

/// Base64, as json.md prints byte strings.
pub fn b64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// `base` with the keys of `changes` set.
fn with(mut base: Value, changes: Value) -> Value {
    let fields: &mut Map<String, Value> = base.as_object_mut().expect("an object");
    for (key, value) in changes.as_object().expect("an object") {
        fields.insert(key.clone(), value.clone());
    }
    base
}

/// A record object: the five keys every record has, then `by_type`.
pub fn record(offset: u64, time_us: u64, code: u8, flags: u8, by_type: Value) -> Value {
    let type_name = match code {
        0x01 => "metadata".to_string(),
        0x02 => "frame".to_string(),
        0x03 => "screen_size".to_string(),
        0x04 => "frame_batch".to_string(),
        0x81 => "event".to_string(),
        0x82 => "keyframe".to_string(),
        0x83 => "index".to_string(),
        0x84 => "trailer".to_string(),
        _ => format!("unknown(0x{code:02x})"),
    };
    with(
        json!({"offset": offset, "time_us": time_us, "type": type_name, "code": code, "flags": flags}),
        by_type,
    )
}

/// The metadata object: every field at its proto3 default except `set`.
pub fn metadata(set: Value) -> Value {
    with(
        json!({
            "session_id": "", "cluster": "", "user": "", "desktop_name": "",
            "desktop_addr": "", "login": "", "start_time_unix_us": 0,
            "screen_width": 0, "screen_height": 0, "recorder_name": "",
            "recorder_version": "", "labels": {}, "teleport_start_event": "",
            "unknown_fields": "",
        }),
        set,
    )
}

/// The event object of `kind`: every field at its proto3 default except
/// `set`, and `kind_name` as the table of format.md 5.4 gives it.
pub fn event(kind: i32, set: Value) -> Value {
    const NAMES: [&str; 10] = [
        "unspecified",
        "clipboard_send",
        "clipboard_receive",
        "shared_directory_read",
        "shared_directory_write",
        "shared_directory_start",
        "session_join",
        "session_leave",
        "marker",
        "session_end",
    ];
    let kind_name = usize::try_from(kind).ok().and_then(|k| NAMES.get(k));
    with(
        json!({
            "kind": kind, "kind_name": kind_name, "label": "", "user": "", "length": 0,
            "directory_name": "", "directory_id": 0, "path": "", "offset": 0,
            "failed": false, "attributes": {}, "teleport_event": "", "unknown_fields": "",
        }),
        set,
    )
}

/// A seek entry as json.md shows it: at `time_us` and `offset`, the screen
/// `size` in effect, whether it is a keyframe, its `keyframe_entry`.
pub fn seek(
    (time_us, offset): (u64, u64),
    size: (u32, u32),
    keyframe: bool,
    keyframe_entry: Option<u32>,
) -> Value {
    json!({
        "time_us": time_us, "offset": offset, "width": size.0, "height": size.1,
        "keyframe": keyframe, "keyframe_entry": keyframe_entry,
    })
}

/// The top level of a file whose header passes (versions 1 and 1), without
/// `end`: the case adds it from its class and offset.
pub fn decoded(metadata: Option<Value>, records: Vec<Value>) -> Value {
    let mut value = json!({"version_written": 1, "version_required": 1, "records": records});
    if let Some(metadata) = metadata {
        value["metadata"] = metadata;
    }
    value
}

/// The metadata of the worked example of format.md section 14.
pub fn worked_example_metadata() -> Value {
    metadata(json!({"user": "alice", "screen_width": 1024, "screen_height": 768}))
}

/// The records of the worked example of format.md section 14, as its table
/// reads: the metadata at 20, mouse moves at 44 (time 0) and 64 (16 ms),
/// the index at 85 and the trailer at 188, both at the clock, 16 ms.
pub fn worked_example_records() -> Vec<Value> {
    vec![
        record(20, 0, 0x01, 0, json!({})),
        record(
            44,
            0,
            0x02,
            0,
            json!({"payload": b64(&[3, 0, 0, 0, 10, 0, 0, 0, 20])}),
        ),
        record(
            64,
            16_000,
            0x02,
            0,
            json!({"payload": b64(&[3, 0, 0, 0, 11, 0, 0, 0, 21])}),
        ),
        record(
            85,
            16_000,
            0x83,
            0,
            json!({"index": {
                "duration_us": 16_000, "record_count": 3, "frame_count": 2, "frame_bytes": 18,
                "seek_interval_us": 2_000_000, "idle_threshold_us": 5_000_000,
                "seek": [seek((0, 44), (1024, 768), false, None)], "events": [], "idle": [],
            }}),
        ),
        record(188, 16_000, 0x84, 0, json!({"index_offset": 85})),
    ]
}

/// The worked example's JSON with only its first `count` records listed.
pub fn worked_example_up_to(count: usize) -> Value {
    let mut records = worked_example_records();
    records.truncate(count);
    decoded(Some(worked_example_metadata()), records)
}
