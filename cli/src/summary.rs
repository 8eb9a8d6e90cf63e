//! A summary of a recording: session, duration, idle time, records by type,
//! TDP messages by kind, key events.
//!
//! It comes from one full pass (`tdpr::Scan`) that also checks every frame's
//! TDP message, so it covers unfinished and damaged recordings up to their
//! first fault, and its verdict is the one `tdpr validate --frames` gives.
//! `tdpr info` prints it; its JSON form (`tdpr info --json`) has the schema
//! `spec/schema/info.json`, generated from these types.

use std::time::{Duration, UNIX_EPOCH};

use schemars::JsonSchema;
use serde::Serialize;
use tdpr::format::IndexView;
use tdpr::json::MetadataJson;
use tdpr::{Census, Error, Limits, Recording, Result, Scan, ScanEnd};

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
pub fn summarize(data: &[u8]) -> Result<Summary> {
    let limits = Limits::default();
    let opened = Recording::parse_with_limits(data, limits)
        .map(|r| r.index().map(|index| index.options).unwrap_or_default());
    let mut scan = Scan::new(
        data,
        limits,
        *opened.as_ref().unwrap_or(&Default::default()),
    )?;
    let mut census = Census::default();
    while let Some(scanned) = scan.next_record() {
        for (offset, message) in scanned.messages() {
            census.add(offset, message);
        }
    }
    // The verdict of `validate --frames`: opening first, then the records,
    // then the TDP level.
    let verdict = opened
        .and_then(|_| scan.verdict())
        .and_then(|_| census.first_fault.take().map_or(Ok(()), Err));
    let mut index_bytes = Vec::new();
    scan.rebuilt_index.encode(&mut index_bytes, &limits)?;
    let index = IndexView::parse(&index_bytes, 0, &limits)?;
    let events = index
        .events()
        .map(|e| EventInfo {
            time_us: e.time_us,
            kind: e.kind.to_string(),
            offset: e.offset,
        })
        .collect();
    let mut messages: Vec<MessageInfo> = census
        .by_kind
        .iter()
        .map(|(kind, s)| MessageInfo {
            kind: kind.to_string(),
            frames: s.count,
            bytes: s.bytes,
        })
        .collect();
    if census.undecodable.count > 0 {
        messages.push(MessageInfo {
            kind: "undecodable".into(),
            frames: census.undecodable.count,
            bytes: census.undecodable.bytes,
        });
    }
    let state = match (&verdict, scan.end) {
        (Ok(()), _) => "finished",
        (Err(e), ScanEnd::Unfinished { .. }) if e.class() == tdpr::ErrorClass::Unfinished => {
            "unfinished"
        }
        _ => "damaged",
    };
    let idle_spans = index.idle_spans().len();
    let keyframes = index.seek_entries().filter(|e| e.is_keyframe).count();
    let summary = Summary {
        file_bytes: data.len() as u64,
        version_written: scan.header.version_written,
        version_required: scan.header.version_required,
        state: state.to_string(),
        fault: verdict
            .err()
            .filter(|_| state == "damaged")
            .map(|e| Fault::of(&e)),
        metadata: MetadataJson::of(&scan.metadata),
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
    };
    Ok(summary)
}

impl Fault {
    fn of(e: &Error) -> Self {
        Fault {
            class: e.class().as_str().to_string(),
            offset: e.offset(),
            message: e.to_string(),
        }
    }
}

/// A time in microseconds since 1970 in RFC 3339, UTC.
pub fn rfc3339(unix_us: i64) -> String {
    match u64::try_from(unix_us) {
        Ok(us) => {
            humantime::format_rfc3339_micros(UNIX_EPOCH + Duration::from_micros(us)).to_string()
        }
        Err(_) => format!("{unix_us} µs before 1970"),
    }
}
