//! The canonical JSON form of a recording: everything a reader decodes from
//! it, in a form any language can compare.
//!
//! Golden fixtures store the expected form beside each recording, and other
//! implementations print it to prove they read a file as this one does
//! (`spec/json.md` defines it; `spec/schema/canonical.json` is its JSON
//! Schema, generated from these types). Payloads are base64 (standard
//! alphabet, padded) after decompression; 64-bit integers are JSON numbers to
//! be read as exact 64-bit integers.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorClass};
use crate::extensible::Extensible;
use crate::header::FileHeader;
use crate::index::IndexView;
use crate::limits::Limits;
use crate::proto::{Event, EventKind, Metadata};
use crate::record::{Record, RecordBody};
use crate::recording::{decode_metadata, Records};
use crate::validate::validate;

/// The canonical JSON form of a recording (spec/json.md); a key that does not apply is absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Canonical {
    /// The header's `version_written`, when the header passes its checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u16")]
    pub version_written: Option<u16>,
    /// The header's `version_required`, when the header passes its checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u16")]
    pub version_required: Option<u16>,
    /// The decoded metadata, when the metadata record passes every check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "MetadataJson")]
    pub metadata: Option<MetadataJson>,
    /// The records an iterator returns before its first fault or the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<RecordJson>")]
    pub records: Option<Vec<RecordJson>>,
    /// The validator's verdict.
    pub end: End,
}

/// How a recording ends, as a validator says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum End {
    /// The recording is valid.
    Finished,
    /// The input ends at a record boundary without a trailer.
    Unfinished {
        /// Where the next record would start.
        offset: u64,
    },
    /// The first fault.
    Error {
        /// Its class name (spec/format.md, section 13).
        class: String,
        /// Its byte offset, or null for classes without one.
        offset: Option<u64>,
    },
}

/// One record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordJson {
    /// Offset of the record.
    pub offset: u64,
    /// Time of the record, microseconds since the session start.
    pub time_us: u64,
    /// The type's name, or `unknown(0xNN)`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The type byte.
    pub code: u8,
    /// The flags byte.
    pub flags: u8,
    /// What the payload holds, by type.
    #[serde(flatten)]
    pub body: BodyJson,
}

/// One frame of a frame batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameJson {
    /// The frame's time, microseconds since the session start.
    pub time_us: u64,
    /// The TDP message, base64.
    pub payload: String,
}

/// The payload of a record, by type (the metadata's is the top-level
/// `metadata`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum BodyJson {
    /// A frame's TDP message, or an unknown ancillary record's stored payload.
    Payload {
        /// Base64.
        payload: String,
    },
    /// A frame batch.
    FrameBatch {
        /// Its frames, in order.
        frames: Vec<FrameJson>,
    },
    /// A keyframe.
    Keyframe {
        /// Pixels.
        width: u32,
        /// Pixels.
        height: u32,
        /// The PNG image, base64.
        png: String,
    },
    /// A screen size.
    ScreenSize {
        /// Pixels.
        width: u32,
        /// Pixels.
        height: u32,
    },
    /// An event.
    Event {
        /// The decoded event.
        event: EventJson,
    },
    /// The index.
    Index {
        /// The decoded index.
        index: IndexJson,
    },
    /// A trailer.
    Trailer {
        /// Offset of the index record.
        index_offset: u64,
    },
    /// The metadata record, whose content is the top-level `metadata`.
    Metadata {},
}

/// `tdpr.v1.Metadata` with its unknown fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct MetadataJson {
    pub session_id: String,
    pub cluster: String,
    pub user: String,
    pub desktop_name: String,
    pub desktop_addr: String,
    pub login: String,
    pub start_time_unix_us: i64,
    pub screen_width: u32,
    pub screen_height: u32,
    pub recorder_name: String,
    pub recorder_version: String,
    pub labels: BTreeMap<String, String>,
    /// The Teleport session start event it was imported from, base64.
    pub teleport_start_event: String,
    /// Wire bytes of the fields the message does not define, base64.
    pub unknown_fields: String,
}

/// `tdpr.v1.Event` with its unknown fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EventJson {
    /// The `EventKind` value.
    pub kind: i32,
    /// The kind's name without `EVENT_KIND_`, lower case; null when unknown.
    pub kind_name: Option<String>,
    pub label: String,
    pub user: String,
    pub length: u64,
    pub directory_name: String,
    pub directory_id: u32,
    pub path: String,
    pub offset: u64,
    pub failed: bool,
    pub attributes: BTreeMap<String, String>,
    /// The Teleport audit event it was imported from, base64.
    pub teleport_event: String,
    /// Wire bytes of the fields the message does not define, base64.
    pub unknown_fields: String,
}

/// The index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct IndexJson {
    pub duration_us: u64,
    pub record_count: u64,
    pub frame_count: u64,
    pub frame_bytes: u64,
    pub seek_interval_us: u64,
    pub idle_threshold_us: u64,
    pub seek: Vec<SeekJson>,
    pub events: Vec<EventEntryJson>,
    pub idle: Vec<IdleJson>,
}

/// A seek entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SeekJson {
    pub time_us: u64,
    pub offset: u64,
    pub width: u32,
    pub height: u32,
    pub keyframe: bool,
    /// Null for 0xFFFFFFFF.
    pub keyframe_entry: Option<u32>,
}

/// An event entry of the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EventEntryJson {
    pub time_us: u64,
    pub offset: u64,
    pub kind: u32,
}

/// An idle span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct IdleJson {
    pub start_us: u64,
    pub end_us: u64,
}

/// The canonical JSON form of the recording in `data`. Never fails: a fault
/// ends the record list and is reported in `end`.
pub fn dump(data: &[u8], limits: Limits) -> Canonical {
    let mut canonical = Canonical {
        version_written: None,
        version_required: None,
        metadata: None,
        records: None,
        end: end(data, limits),
    };
    let Ok(header) = FileHeader::parse(data) else {
        return canonical;
    };
    canonical.version_written = Some(header.version_written);
    canonical.version_required = Some(header.version_required);
    let mut records = Vec::new();
    let mut scratch = Vec::new();
    for record in Records::from_start(data, limits) {
        match record.and_then(|r| record_json(&r, &mut scratch, &mut canonical.metadata)) {
            Ok(value) => records.push(value),
            Err(_) => break,
        }
    }
    canonical.records = Some(records);
    canonical
}

/// The validator's verdict (spec/json.md: `end`).
fn end(data: &[u8], limits: Limits) -> End {
    match validate(data, limits) {
        Ok(_) => End::Finished,
        Err(e) => match (e.class(), e.offset()) {
            (ErrorClass::Unfinished, Some(offset)) => End::Unfinished { offset },
            (class, offset) => End::Error {
                class: class.as_str().to_string(),
                offset,
            },
        },
    }
}

/// One record's JSON; the metadata's content goes into `metadata`.
fn record_json(
    record: &Record<'_>,
    scratch: &mut Vec<u8>,
    metadata: &mut Option<MetadataJson>,
) -> Result<RecordJson, Error> {
    let body = match &record.body {
        RecordBody::Metadata(payload) => {
            *metadata = Some(metadata_json(&decode_metadata(payload, record.offset)?));
            BodyJson::Metadata {}
        }
        RecordBody::Frame(payload) => BodyJson::Payload {
            payload: BASE64.encode(payload.bytes(scratch)?),
        },
        RecordBody::FrameBatch(batch) => BodyJson::FrameBatch {
            frames: batch
                .frames(record.time_us)
                .map(|frame| FrameJson {
                    time_us: frame.time_us,
                    payload: BASE64.encode(frame.message),
                })
                .collect(),
        },
        RecordBody::ScreenSize { width, height } => BodyJson::ScreenSize {
            width: *width,
            height: *height,
        },
        RecordBody::Event(bytes) => {
            let event = Extensible::<Event>::decode(bytes).map_err(|e| {
                Error::at(
                    ErrorClass::MalformedRecord,
                    record.offset,
                    format!("event is not a valid tdpr.v1.Event message: {e}"),
                )
            })?;
            BodyJson::Event {
                event: event_json(&event),
            }
        }
        RecordBody::Keyframe { width, height, png } => BodyJson::Keyframe {
            width: *width,
            height: *height,
            png: BASE64.encode(png),
        },
        RecordBody::Index(index) => BodyJson::Index {
            index: index_json(index),
        },
        RecordBody::Trailer { index_offset } => BodyJson::Trailer {
            index_offset: *index_offset,
        },
        RecordBody::Unknown => BodyJson::Payload {
            payload: BASE64.encode(record.raw_payload),
        },
    };
    Ok(RecordJson {
        offset: record.offset,
        time_us: record.time_us,
        type_name: record.record_type.to_string(),
        code: record.record_type.0,
        flags: record.flags.0,
        body,
    })
}

/// The JSON form of decoded metadata.
pub(crate) fn metadata_json(metadata: &Extensible<Metadata>) -> MetadataJson {
    let m = metadata.message.clone();
    MetadataJson {
        session_id: m.session_id,
        cluster: m.cluster,
        user: m.user,
        desktop_name: m.desktop_name,
        desktop_addr: m.desktop_addr,
        login: m.login,
        start_time_unix_us: m.start_time_unix_us,
        screen_width: m.screen_width,
        screen_height: m.screen_height,
        recorder_name: m.recorder_name,
        recorder_version: m.recorder_version,
        labels: m.labels,
        teleport_start_event: BASE64.encode(&m.teleport_start_event),
        unknown_fields: BASE64.encode(&metadata.unknown_fields),
    }
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

fn event_json(event: &Extensible<Event>) -> EventJson {
    let e = event.message.clone();
    EventJson {
        kind: e.kind,
        kind_name: event_kind_name(e.kind),
        label: e.label,
        user: e.user,
        length: e.length,
        directory_name: e.directory_name,
        directory_id: e.directory_id,
        path: e.path,
        offset: e.offset,
        failed: e.failed,
        attributes: e.attributes,
        teleport_event: BASE64.encode(&e.teleport_event),
        unknown_fields: BASE64.encode(&event.unknown_fields),
    }
}

fn index_json(index: &IndexView<'_>) -> IndexJson {
    IndexJson {
        duration_us: index.duration_us,
        record_count: index.record_count,
        frame_count: index.frame_count,
        frame_bytes: index.frame_bytes,
        seek_interval_us: index.options.seek_interval_us,
        idle_threshold_us: index.options.idle_threshold_us,
        seek: index
            .seek_entries()
            .map(|e| SeekJson {
                time_us: e.time_us,
                offset: e.offset,
                width: e.width,
                height: e.height,
                keyframe: e.is_keyframe,
                keyframe_entry: e.keyframe_entry,
            })
            .collect(),
        events: index
            .events()
            .map(|e| EventEntryJson {
                time_us: e.time_us,
                offset: e.offset,
                kind: e.kind,
            })
            .collect(),
        idle: index
            .idle_spans()
            .map(|s| IdleJson {
                start_us: s.start_us,
                end_us: s.end_us,
            })
            .collect(),
    }
}
