//! `tdpr info URL [--json]`: a recording in an object store or on a web
//! server, described from its header, metadata and index alone, read by
//! range (spec/format.md 9.5): two requests sent at once, a third only when
//! an index without a directory is longer than what they fetched.
//!
//! Why it exists: `tdpr info FILE` checks every byte, the pass of `tdpr
//! validate`, which for an object means downloading all of it; someone
//! browsing a bucket wants what the index says, at once, whatever the
//! recording's size. So `info` of a URL says only that, says it did not
//! validate anything, and reports the requests and bytes it took. Its JSON
//! form has the schema `spec/schema/info-index.json`, generated from these
//! types.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::Serialize;
use tdpr::json::MetadataJson;
use tdpr::read::OpenOptions;
use tdpr::{ErrorClass, RangeSource, RangedRecording};
use tdpr_store::{Location, ObjectSource, Transfer};

use crate::input::{unreachable, Input};
use crate::status::{CommandResult, Failure, Status};
use crate::summary::{rfc3339, EventInfo};
use crate::text::{clock, count};
use crate::{diagnosis, info, print};

/// What `tdpr info URL` says: what the header, metadata and index tell,
/// read by range, without reading any record (`tdpr validate URL` reads
/// them all). Its JSON form is `tdpr info URL --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IndexInfo {
    /// The recording's URL.
    pub url: String,
    /// Size of the object.
    pub file_bytes: u64,
    /// The header's `version_written`.
    pub version_written: u16,
    /// The header's `version_required`.
    pub version_required: u16,
    /// `finished` (an index and trailer, not validated) or `unfinished`.
    pub state: String,
    /// The session metadata, as in the canonical JSON.
    pub metadata: MetadataJson,
    /// The session's start time in RFC 3339, UTC.
    pub start_time: String,
    /// From the index, when the recording is finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<IndexFigures>,
    /// Requests made and bytes received to learn all this.
    pub transfer: TransferInfo,
}

/// What the index of a finished recording says.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IndexFigures {
    /// Time of the last record, microseconds since the session start.
    pub duration_us: u64,
    /// Total time in idle spans.
    pub idle_us: u64,
    /// Number of idle spans.
    pub idle_spans: usize,
    /// Records before the index, the metadata included.
    pub records: u64,
    /// Frames.
    pub frames: u64,
    /// Bytes of TDP messages in frames.
    pub frame_bytes: u64,
    /// Seek entries.
    pub seek_entries: u32,
    /// Keyframes among the seek entries, when the seek table was read
    /// (an index without a directory); `null` with a directory, whose
    /// point is not to read the seek table.
    pub keyframes: Option<usize>,
    /// True when the index ends with a directory (spec/format.md 7.4).
    pub directory: bool,
    /// Key events.
    pub events: Vec<EventInfo>,
}

/// Requests and bytes.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct TransferInfo {
    /// Requests sent.
    pub requests: u64,
    /// Bytes of the object received.
    pub bytes: u64,
}

impl From<Transfer> for TransferInfo {
    fn from(t: Transfer) -> Self {
        TransferInfo {
            requests: t.requests,
            bytes: t.bytes,
        }
    }
}

/// `tdpr info` of the object `input` names, at `location`.
pub fn run(input: &Input, location: &Location, json: bool) -> CommandResult {
    let source = ObjectSource::new(location).map_err(unreachable)?;
    let recording = open_by_range(input, &source)?;
    let info = describe(&recording).map_err(|e| match e.class() {
        ErrorClass::Io => unreachable(e),
        _ => Failure::InvalidInput(format!("{location}: {e}")),
    })?;
    let text = if json {
        serde_json::to_string_pretty(&info).expect("a description serializes") + "\n"
    } else {
        in_words(&info)
    };
    print::out(&text)?;
    Ok(Status::Success)
}

/// The recording of the object `input` names, opened by range: header,
/// metadata and index, in two requests sent at once. A fault says what the
/// object looks like.
pub fn open_by_range<'s>(
    input: &Input,
    source: &'s ObjectSource,
) -> Result<RangedRecording<&'s ObjectSource>, Failure> {
    match RangedRecording::open(source) {
        Ok(recording) => Ok(recording),
        Err(tdpr::Error::Io(e)) => Err(unreachable(e)),
        Err(fault) => {
            // What the object starts with, to say what it looks like.
            let head = source
                .read_ends(OpenOptions::default().head, 0)
                .map_err(unreachable)?
                .head;
            Err(diagnosis::unreadable(input, &head, &fault, None))
        }
    }
}

/// What the recording opened by range says of itself.
fn describe(recording: &RangedRecording<&ObjectSource>) -> tdpr::Result<IndexInfo> {
    let source = *recording.source();
    let index = match recording.index_header() {
        None => None,
        Some(header) => {
            let directory = recording.samples().is_some();
            let keyframes = match directory {
                true => None,
                false => Some(
                    recording
                        .seek_entries(0..header.seek_count)?
                        .iter()
                        .filter(|e| e.is_keyframe)
                        .count(),
                ),
            };
            Some(IndexFigures {
                duration_us: header.duration_us,
                idle_us: recording
                    .idle_spans()
                    .map(|s| s.end_us.saturating_sub(s.start_us))
                    .sum(),
                idle_spans: recording.idle_spans().len(),
                records: header.record_count,
                frames: header.frame_count,
                frame_bytes: header.frame_bytes,
                seek_entries: header.seek_count,
                keyframes,
                directory,
                events: recording
                    .events()
                    .map(|e| EventInfo {
                        time_us: e.time_us,
                        kind: e.kind.to_string(),
                        offset: e.offset,
                    })
                    .collect(),
            })
        }
    };
    let header = recording.header();
    Ok(IndexInfo {
        url: source.location().url().to_string(),
        file_bytes: recording.size(),
        version_written: header.version_written,
        version_required: header.version_required,
        state: match index {
            Some(_) => "finished",
            None => "unfinished",
        }
        .into(),
        metadata: MetadataJson::of(recording.metadata()),
        start_time: rfc3339(recording.metadata().message.start_time_unix_us),
        index,
        transfer: source.transfer().into(),
    })
}

fn in_words(info: &IndexInfo) -> String {
    let mut text = String::new();
    let out = &mut text;
    let _ = writeln!(
        out,
        "{}: tdpr format version {} ({} bytes), read through its index",
        info.url, info.version_written, info.file_bytes
    );
    let _ = match &info.index {
        Some(_) => writeln!(
            out,
            "state       finished (not validated: `tdpr validate` reads every byte)"
        ),
        None => writeln!(
            out,
            "state       unfinished: no index (`tdpr validate` reads every byte)"
        ),
    };
    info::describe_metadata(out, &info.metadata, &info.start_time);
    if let Some(index) = &info.index {
        info::describe_duration_and_frames(
            out,
            (index.duration_us, index.idle_us, index.idle_spans),
            (index.frames, index.frame_bytes),
        );
        let _ = writeln!(out, "records     {}", index.records);
        let keyframes = match index.keyframes {
            Some(keyframes) => count(keyframes as u64, "keyframe", "keyframes"),
            None => "a directory".into(),
        };
        let _ = writeln!(
            out,
            "seek        {}, {keyframes}",
            count(u64::from(index.seek_entries), "entry", "entries")
        );
        if !index.events.is_empty() {
            let _ = writeln!(out, "events");
            for e in &index.events {
                let _ = writeln!(out, "            {}  {}", clock(e.time_us), e.kind);
            }
        }
    }
    let _ = writeln!(
        out,
        "transfer    {}, {}",
        count(info.transfer.requests, "request", "requests"),
        count(info.transfer.bytes, "byte", "bytes")
    );
    text
}
