//! A summary of a recording: session, duration, idle time, records by type,
//! TDP messages by kind, key events.
//!
//! It comes from a full scan, so it also covers unfinished and damaged
//! recordings, up to their first fault. `tdpr info` prints it; its JSON form
//! (`tdpr info --json`) has the schema `spec/schema/info.json`, generated
//! from these types.

use std::time::{Duration, UNIX_EPOCH};

use schemars::JsonSchema;
use serde::Serialize;

use crate::census::census;
use crate::dump::{event_kind_name, metadata_json, MetadataJson};
use crate::error::Result;
use crate::index::IndexView;
use crate::limits::Limits;
use crate::recording::{Recording, ScanEnd};
use crate::scan::Scan;

/// What `tdpr info` says about a recording; its JSON form is `tdpr info --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Summary {
    /// Size of the file.
    pub file_bytes: u64,
    /// The header's `version_written`.
    pub version_written: u16,
    /// The header's `version_required`.
    pub version_required: u16,
    /// `finished`, `unfinished` (no index and trailer yet) or `damaged`.
    pub state: String,
    /// The first fault of a damaged recording.
    pub fault: Option<Fault>,
    /// The session metadata, as in the canonical JSON.
    pub metadata: MetadataJson,
    /// The session's start time in RFC 3339, UTC.
    pub start_time: String,
    /// Time of the last record, microseconds since the session start.
    pub duration_us: u64,
    /// Total time in idle spans.
    pub idle_us: u64,
    /// Number of idle spans.
    pub idle_spans: usize,
    /// Frame records.
    pub frames: u64,
    /// Bytes of TDP messages in frames.
    pub frame_bytes: u64,
    /// Seek entries of the index (as rebuilt from the records).
    pub seek_entries: usize,
    /// Keyframes.
    pub keyframes: usize,
    /// Records by type.
    pub records: Vec<TypeInfo>,
    /// Frames by TDP message kind, up to the first fault.
    pub messages: Vec<MessageInfo>,
    /// Key events.
    pub events: Vec<EventInfo>,
}

/// Frames of one TDP message kind.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MessageInfo {
    /// `png_frame`, `unknown_N`, `tdpb:…` (see `tdp::MessageKind`).
    pub kind: String,
    /// Number of frames.
    pub frames: u64,
    /// Bytes of those messages.
    pub bytes: u64,
}

/// A fault, as the library reports it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Fault {
    /// The error class (spec/format.md, section 13).
    pub class: String,
    /// Its byte offset, when it has one.
    pub offset: Option<u64>,
    /// A human-readable description.
    pub message: String,
}

/// Records of one type.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TypeInfo {
    /// The type's name.
    #[serde(rename = "type")]
    pub name: String,
    /// The type byte.
    pub code: u8,
    /// Number of records.
    pub records: u64,
    /// Bytes in the file, framing included.
    pub stored_bytes: u64,
    /// Bytes of payload once inflated.
    pub payload_bytes: u64,
}

/// A key event.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EventInfo {
    /// Microseconds since the session start.
    pub time_us: u64,
    /// The kind's name, or its number when unknown.
    pub kind: String,
    /// Offset of the event record.
    pub offset: u64,
}

/// Describes `data` from a full scan: unfinished and damaged recordings too,
/// up to their first fault.
pub fn summarize(data: &[u8], limits: Limits) -> Result<Summary> {
    let options = Recording::parse(data)
        .ok()
        .and_then(|r| r.index().map(|i| i.options))
        .unwrap_or_default();
    let scan = Scan::run(data, limits, options)?;
    let mut index_bytes = Vec::new();
    scan.rebuilt_index.encode(&mut index_bytes, &limits)?;
    let index = IndexView::parse(&index_bytes, 0, &limits)?;
    let idle_spans = index.idle_spans().len();
    let keyframes = index.seek_entries().filter(|e| e.is_keyframe).count();
    let events = index
        .events()
        .map(|e| EventInfo {
            time_us: e.time_us,
            kind: event_kind_name(e.kind as i32).unwrap_or_else(|| e.kind.to_string()),
            offset: e.offset,
        })
        .collect();
    let messages = match Recording::parse(data) {
        Ok(recording) => census(&recording)
            .by_kind
            .into_iter()
            .map(|(kind, s)| MessageInfo {
                kind: kind.to_string(),
                frames: s.count,
                bytes: s.bytes,
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let state = match (&scan.fault, scan.end) {
        (Some(_), _) => "damaged",
        (None, ScanEnd::Finished) => "finished",
        _ => "unfinished",
    };
    Ok(Summary {
        file_bytes: data.len() as u64,
        version_written: scan.header.version_written,
        version_required: scan.header.version_required,
        state: state.to_string(),
        fault: scan.fault.as_ref().map(|e| Fault {
            class: e.class().as_str().to_string(),
            offset: e.offset(),
            message: e.to_string(),
        }),
        metadata: metadata_json(&scan.metadata),
        start_time: rfc3339(scan.metadata.message.start_time_unix_us),
        duration_us: index.duration_us,
        idle_us: index.idle_us(),
        idle_spans,
        frames: index.frame_count,
        frame_bytes: index.frame_bytes,
        seek_entries: index.seek_len(),
        keyframes,
        records: scan
            .by_type
            .iter()
            .map(|(t, s)| TypeInfo {
                name: t.to_string(),
                code: t.0,
                records: s.records,
                stored_bytes: s.stored_bytes,
                payload_bytes: s.payload_bytes,
            })
            .collect(),
        messages,
        events,
    })
}

fn rfc3339(unix_us: i64) -> String {
    match u64::try_from(unix_us) {
        Ok(us) => {
            humantime::format_rfc3339_micros(UNIX_EPOCH + Duration::from_micros(us)).to_string()
        }
        Err(_) => format!("{unix_us} µs before 1970"),
    }
}
