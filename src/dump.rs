//! The canonical JSON form of a recording: everything a reader decodes from
//! it, in a form any language can compare.
//!
//! Golden fixtures store the expected form beside each recording, and other
//! implementations print it to prove they read a file as this one does
//! (`spec/json.md` defines it). Payloads are base64 (standard alphabet,
//! padded) after decompression; 64-bit integers are JSON numbers to be read
//! as exact 64-bit integers.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::error::{Error, ErrorClass};
use crate::extensible::Extensible;
use crate::header::FileHeader;
use crate::index::IndexView;
use crate::limits::Limits;
use crate::proto::{Event, EventKind, Metadata};
use crate::record::{Record, RecordBody};
use crate::recording::{decode_metadata, Records};
use crate::validate::validate;

/// The canonical JSON form of the recording in `data`. Never fails: a fault
/// ends the record list and is reported in `end`.
pub fn dump(data: &[u8], limits: Limits) -> Value {
    let mut out = Map::new();
    let header = match FileHeader::parse(data) {
        Ok(header) => header,
        Err(e) => {
            out.insert("end".into(), error_end(&e));
            return Value::Object(out);
        }
    };
    out.insert("version_written".into(), json!(header.version_written));
    out.insert("version_required".into(), json!(header.version_required));
    let mut records = Records::from_start(data, limits);
    let mut list = Vec::new();
    let mut scratch = Vec::new();
    for record in records.by_ref() {
        match record.and_then(|r| record_json(&r, &mut scratch, &mut out)) {
            Ok(value) => list.push(value),
            Err(_) => break,
        }
    }
    out.insert("records".into(), Value::Array(list));
    // `records` is what iteration returned; `end` is the validator's verdict,
    // whose first fault may come from opening the file (spec/json.md).
    let end = match validate(data, limits) {
        Ok(_) => json!({"state": "finished"}),
        Err(e) if e.class() == ErrorClass::Unfinished => {
            json!({"state": "unfinished", "offset": e.offset()})
        }
        Err(e) => error_end(&e),
    };
    out.insert("end".into(), end);
    Value::Object(out)
}

fn error_end(e: &Error) -> Value {
    json!({"state": "error", "class": e.class().as_str(), "offset": e.offset()})
}

/// One record's JSON; the metadata also goes into `out["metadata"]`.
fn record_json(
    record: &Record<'_>,
    scratch: &mut Vec<u8>,
    out: &mut Map<String, Value>,
) -> Result<Value, Error> {
    let mut value = Map::new();
    value.insert("offset".into(), json!(record.offset));
    value.insert("time_us".into(), json!(record.time_us));
    value.insert("type".into(), json!(record.record_type.to_string()));
    value.insert("code".into(), json!(record.record_type.0));
    value.insert("flags".into(), json!(record.flags.0));
    match &record.body {
        RecordBody::Metadata(payload) => {
            out.insert(
                "metadata".into(),
                metadata_json(&decode_metadata(payload, record.offset)?),
            );
        }
        RecordBody::Frame(payload) => {
            value.insert(
                "payload".into(),
                json!(BASE64.encode(payload.bytes(scratch)?)),
            );
        }
        RecordBody::ScreenSize { width, height } => {
            value.insert("width".into(), json!(width));
            value.insert("height".into(), json!(height));
        }
        RecordBody::Event(bytes) => {
            let event = Extensible::<Event>::decode(bytes).map_err(|e| {
                Error::at(
                    ErrorClass::MalformedRecord,
                    record.offset,
                    format!("event is not a valid tdpr.v1.Event message: {e}"),
                )
            })?;
            value.insert("event".into(), event_json(&event));
        }
        RecordBody::Keyframe { width, height, png } => {
            value.insert("width".into(), json!(width));
            value.insert("height".into(), json!(height));
            value.insert("png".into(), json!(BASE64.encode(png)));
        }
        RecordBody::Index(index) => {
            value.insert("index".into(), index_json(index));
        }
        RecordBody::Trailer { index_offset } => {
            value.insert("index_offset".into(), json!(index_offset));
        }
        RecordBody::Unknown => {
            value.insert("payload".into(), json!(BASE64.encode(record.raw_payload)));
        }
    }
    Ok(Value::Object(value))
}

fn metadata_json(metadata: &Extensible<Metadata>) -> Value {
    let m = &metadata.message;
    json!({
        "session_id": m.session_id,
        "cluster": m.cluster,
        "user": m.user,
        "desktop_name": m.desktop_name,
        "desktop_addr": m.desktop_addr,
        "login": m.login,
        "start_time_unix_us": m.start_time_unix_us,
        "screen_width": m.screen_width,
        "screen_height": m.screen_height,
        "recorder_name": m.recorder_name,
        "recorder_version": m.recorder_version,
        "labels": m.labels,
        "unknown_fields": BASE64.encode(&metadata.unknown_fields),
    })
}

/// `clipboard_send` for `EVENT_KIND_CLIPBOARD_SEND`; `None` for a value this
/// version does not define.
pub fn event_kind_name(kind: i32) -> Option<String> {
    EventKind::try_from(kind).ok().map(|k| {
        k.as_str_name()
            .trim_start_matches("EVENT_KIND_")
            .to_ascii_lowercase()
    })
}

fn event_json(event: &Extensible<Event>) -> Value {
    let e = &event.message;
    json!({
        "kind": e.kind,
        "kind_name": event_kind_name(e.kind),
        "label": e.label,
        "user": e.user,
        "length": e.length,
        "directory_name": e.directory_name,
        "directory_id": e.directory_id,
        "path": e.path,
        "offset": e.offset,
        "failed": e.failed,
        "attributes": e.attributes,
        "unknown_fields": BASE64.encode(&event.unknown_fields),
    })
}

fn index_json(index: &IndexView<'_>) -> Value {
    json!({
        "duration_us": index.duration_us,
        "record_count": index.record_count,
        "frame_count": index.frame_count,
        "frame_bytes": index.frame_bytes,
        "seek_interval_us": index.options.seek_interval_us,
        "idle_threshold_us": index.options.idle_threshold_us,
        "seek": index.seek_entries().map(|e| json!({
            "time_us": e.time_us,
            "offset": e.offset,
            "width": e.width,
            "height": e.height,
            "keyframe": e.is_keyframe,
            "keyframe_entry": e.keyframe_entry,
        })).collect::<Vec<_>>(),
        "events": index.events().map(|e| json!({
            "time_us": e.time_us,
            "offset": e.offset,
            "kind": e.kind,
        })).collect::<Vec<_>>(),
        "idle": index.idle_spans().map(|s| json!({
            "start_us": s.start_us,
            "end_us": s.end_us,
        })).collect::<Vec<_>>(),
    })
}
