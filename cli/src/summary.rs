//! A summary of a recording: session, duration, idle time, records by type,
//! TDP messages by kind, key events; and the one full pass behind it.
//!
//! The pass ([`check`]) reads every record once (`tdpr::Scan`) and, at the
//! TDP level, decodes every frame's message (`tdpr::Census`), so it covers
//! unfinished and damaged recordings up to their first fault. `tdpr info`
//! and `tdpr validate` both use it, so they report one first fault for one
//! file: the opening's, then the records', then the TDP level's, in the
//! order of spec/format.md section 10; over a file ([`check`]) or a stream
//! ([`check_stream`]: an object). `tdpr info` prints the summary; its
//! JSON form (`tdpr info --json`) has the schema `spec/schema/info.json`,
//! generated from these types.

use std::io::Read;
use std::time::{Duration, UNIX_EPOCH};

use schemars::JsonSchema;
use serde::Serialize;
use tdpr::format::IndexView;
use tdpr::json::MetadataJson;
use tdpr::read::{FileRecords, ReadRecords, RecordSource};
use tdpr::{
    Census, Error, IndexOptions, Limits, Recording, RecordingFile, Result, Scan, ScanEnd,
    Validation,
};

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
    /// Frames by TDP message kind, up to the first fault; with
    /// `undecodable.frames`, they add up to `frames`.
    pub messages: Vec<MessageInfo>,
    /// Frames that are not exactly one TDP message (spec/format.md 10.1).
    pub undecodable: Undecodable,
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

/// The frames that are not exactly one TDP message.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Undecodable {
    /// Number of frames.
    pub frames: u64,
    /// Bytes of those frames' messages.
    pub bytes: u64,
    /// The first of them, as the TDP level of validation reports it
    /// (`malformed_record` at the frame's offset), even when a fault of the
    /// container comes first.
    pub first: Option<Fault>,
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

/// How deep a pass checks (spec/format.md section 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The container: framing, checksums, payloads, order, index.
    Container,
    /// The container, then every frame's TDP message (10.1).
    Tdp,
}

/// One full pass over a recording: the checks of `level`, with what a
/// summary needs.
pub struct Checked<S> {
    /// The container level's verdict: opening, then the records, then the
    /// index.
    pub container: Result<Validation>,
    /// The TDP messages counted by kind, and the first frame that is not one
    /// (at the TDP level only; empty otherwise).
    pub census: Census,
    /// The pass, when the header and metadata could be read.
    pub scan: Option<Scan<S>>,
    level: Level,
}

/// Checks the recording `file` at `level`, telling `progress` how many of
/// its bytes the pass has read.
pub fn check<'f>(
    file: &'f RecordingFile,
    level: Level,
    progress: &dyn Fn(u64),
) -> Checked<FileRecords<'f>> {
    let limits = Limits::default();
    let opened = Recording::parse_with_limits(file.bytes(), limits)
        .map(|r| r.index().map(|index| index.options).unwrap_or_default());
    check_records(
        opened,
        |options| file.scan(limits, options),
        level,
        progress,
    )
}

/// [`check`] of a recording read from `input` in one pass, whose opening
/// (spec/format.md 9.1, by range: an object) gave `opened`.
pub fn check_stream<R: Read>(
    opened: Result<IndexOptions>,
    input: R,
    level: Level,
    progress: &dyn Fn(u64),
) -> Checked<ReadRecords<R>> {
    check_records(
        opened,
        |options| Scan::from_reader(input, Limits::default(), options),
        level,
        progress,
    )
}

/// The pass that `start` starts with the index parameters of the opening
/// `opened` (the defaults when it failed: the pass still reports the
/// records before the fault).
fn check_records<S: RecordSource>(
    opened: Result<IndexOptions>,
    start: impl FnOnce(IndexOptions) -> Result<Scan<S>>,
    level: Level,
    progress: &dyn Fn(u64),
) -> Checked<S> {
    let mut scan = match start(*opened.as_ref().unwrap_or(&Default::default())) {
        Ok(scan) => scan,
        Err(e) => {
            return Checked {
                container: Err(opened.err().unwrap_or(e)),
                census: Census::default(),
                scan: None,
                level,
            }
        }
    };
    let mut census = Census::default();
    while let Some(scanned) = scan.next_record() {
        if level == Level::Tdp {
            for (offset, message) in scanned.messages() {
                census.add(offset, message);
            }
        }
        progress(scan.position());
    }
    Checked {
        container: opened.and_then(|_| scan.verdict()),
        census,
        scan: Some(scan),
        level,
    }
}

impl<S: RecordSource> Checked<S> {
    /// The validator's verdict at the pass's level: the container's first
    /// fault, else the TDP level's.
    pub fn verdict(&self) -> Result<Validation> {
        let valid = self.container.clone()?;
        match (&self.census.first_fault, self.level) {
            (Some(fault), Level::Tdp) => Err(fault.clone()),
            _ => Ok(valid),
        }
    }
}

/// Describes the recording that `checked` passed over (at the TDP level);
/// `None` when not even its header and metadata could be read.
pub fn summarize<S: RecordSource>(
    checked: &Checked<S>,
    file_bytes: u64,
) -> Result<Option<Summary>> {
    let Some(scan) = &checked.scan else {
        return Ok(None);
    };
    let verdict = checked.verdict();
    let census = &checked.census;
    let limits = Limits::default();
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
    let messages: Vec<MessageInfo> = census
        .by_kind
        .iter()
        .map(|(kind, s)| MessageInfo {
            kind: kind.to_string(),
            frames: s.count,
            bytes: s.bytes,
        })
        .collect();
    let state = match (&verdict, scan.end) {
        (Ok(_), _) => "finished",
        (Err(e), ScanEnd::Unfinished { .. }) if e.class() == tdpr::ErrorClass::Unfinished => {
            "unfinished"
        }
        _ => "damaged",
    };
    let idle_spans = index.idle_spans().len();
    let keyframes = index.seek_entries().filter(|e| e.is_keyframe).count();
    let summary = Summary {
        file_bytes,
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
        undecodable: Undecodable {
            frames: census.undecodable.count,
            bytes: census.undecodable.bytes,
            first: census.first_fault.as_ref().map(Fault::of),
        },
        events,
    };
    Ok(Some(summary))
}

impl Fault {
    /// The fault `e`.
    pub fn of(e: &Error) -> Self {
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
