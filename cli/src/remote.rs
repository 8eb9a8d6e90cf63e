//! Recordings named by URL: `s3://bucket/key`, `gs://…`, `az://…`,
//! `https://…`, `file://…` (crate `tdpr-store`; credentials from the
//! environment, as `object_store` reads it).
//!
//! Each command that reads a recording asks [`location`] whether its
//! argument is a URL, and if so hands it to the function here that does its
//! job the way an object store wants it done: `info` reads the header,
//! metadata and index only (two range requests); `validate` and `dump`
//! stream the object once; `export` and `recover` copy it to a temporary
//! file first ([`materialize`]); `import teleport` streams it
//! ([`open_stream`]). A command that seeks (snapshots, thumbnails, a
//! player) opens it with [`open_ranged`].

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use schemars::JsonSchema;
use serde::Serialize;
use tdpr::json::{EndJson, MetadataJson};
use tdpr::{RangeCache, RangedRecording, RecordingFile};
use tdpr_store::{Location, MultipartSink, ObjectReader, ObjectSource, Transfer, MIN_PART_SIZE};

use crate::summary::{rfc3339, EventInfo};
use crate::{clock, CommandResult};

/// The URL `arg` names, or `None` for a local path (or `-`).
pub fn location(arg: &Path) -> Result<Option<Location>, String> {
    let Some(text) = arg.to_str() else {
        return Ok(None);
    };
    Location::parse(text).transpose().map_err(|e| e.to_string())
}

/// A ranged reader's view of a remote recording, with a cache of what it
/// fetched.
pub type RemoteRecording = RangedRecording<RangeCache<ObjectSource>>;

/// Read-ahead and bound of the cache in front of a remote recording.
const READ_AHEAD: u64 = 1 << 20;
const CACHE_BYTES: u64 = 64 << 20;

/// Opens the recording at `location` by range (spec/format.md 9.5): its
/// first and last bytes, two requests sent at once.
pub fn open_ranged(location: &Location) -> Result<RemoteRecording, String> {
    let source = ObjectSource::new(location).map_err(|e| e.to_string())?;
    RangedRecording::open(RangeCache::new(source, READ_AHEAD, CACHE_BYTES))
        .map_err(|e| format!("cannot open {location}: {e}"))
}

/// The whole object at `location` as a stream (one GET), and its size.
pub fn open_stream(location: &Location) -> Result<(u64, ObjectReader), String> {
    let source = ObjectSource::new(location).map_err(|e| e.to_string())?;
    source.stream().map_err(|e| e.to_string())
}

/// The object at `location` copied to a temporary file and opened: for a
/// command that needs the whole recording at hand. The file is removed at
/// once (the open file, mapped or read, stays readable).
pub fn materialize(location: &Location) -> Result<RecordingFile, String> {
    static COPIES: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "tdpr-{}-{}.tdpr",
        std::process::id(),
        COPIES.fetch_add(1, Ordering::Relaxed)
    ));
    let copied = std::fs::File::create(&path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))
        .and_then(|file| {
            let mut out = BufWriter::new(file);
            tdpr_store::download(location, &mut out).map_err(|e| e.to_string())?;
            out.flush()
                .map_err(|e| format!("cannot write {}: {e}", path.display()))
        })
        .and_then(|()| {
            RecordingFile::open(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        });
    let _ = std::fs::remove_file(&path);
    copied
}

/// The recording at `path`, a local file or a URL, opened whole: a URL's
/// object is copied first ([`materialize`]).
pub fn open_file(path: &Path) -> Result<RecordingFile, String> {
    match location(path)? {
        Some(location) => materialize(&location),
        None => {
            RecordingFile::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        }
    }
}

/// What `tdpr info URL` says: what the header, metadata and index tell,
/// read by range, without reading any record (`tdpr validate` reads them
/// all). Its JSON form (`--json`) has the schema `spec/schema/info-index.json`.
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
    /// Keyframes.
    pub keyframes: usize,
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

/// Describes the recording `recording` opened from its index.
pub fn index_info(recording: &RemoteRecording) -> Result<IndexInfo, String> {
    let source = recording.source().source();
    let url = source.location().url().to_string();
    let index = match recording.index_header() {
        None => None,
        Some(header) => {
            let keyframes = match recording.samples() {
                Some(samples) => samples.iter().filter(|s| s.is_keyframe).count(),
                None => recording
                    .seek_entries(0..header.seek_count)
                    .map_err(|e| format!("{url}: {e}"))?
                    .iter()
                    .filter(|e| e.is_keyframe)
                    .count(),
            };
            let idle: Vec<_> = recording.idle_spans().collect();
            Some(IndexFigures {
                duration_us: header.duration_us,
                idle_us: idle
                    .iter()
                    .map(|s| s.end_us.saturating_sub(s.start_us))
                    .sum(),
                idle_spans: idle.len(),
                records: header.record_count,
                frames: header.frame_count,
                frame_bytes: header.frame_bytes,
                seek_entries: header.seek_count,
                keyframes,
                directory: recording.samples().is_some(),
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
        url,
        file_bytes: recording.size(),
        version_written: header.version_written,
        version_required: header.version_required,
        state: if index.is_some() {
            "finished"
        } else {
            "unfinished"
        }
        .into(),
        metadata: MetadataJson::of(recording.metadata()),
        start_time: rfc3339(recording.metadata().message.start_time_unix_us),
        index,
        transfer: source.transfer().into(),
    })
}

/// `tdpr info URL [--json]`.
pub fn info(location: &Location, json: bool) -> CommandResult {
    let recording = open_ranged(location)?;
    let info = index_info(&recording)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let m = &info.metadata;
    println!(
        "{}: tdpr format version {} ({} bytes), read through its index",
        info.url, info.version_written, info.file_bytes
    );
    match &info.index {
        Some(_) => {
            println!("state       finished (not validated: `tdpr validate` reads every byte)")
        }
        None => println!("state       unfinished: no index (`tdpr validate` reads every byte)"),
    }
    println!("session     {} on {}", m.session_id, m.cluster);
    println!(
        "user        {} as {} on {} ({})",
        m.user, m.login, m.desktop_name, m.desktop_addr
    );
    println!("started     {}", info.start_time);
    println!(
        "screen      {}x{} at the start",
        m.screen_width, m.screen_height
    );
    println!("recorder    {} {}", m.recorder_name, m.recorder_version);
    if let Some(index) = &info.index {
        println!(
            "duration    {} ({} idle in {} spans)",
            clock(index.duration_us),
            clock(index.idle_us),
            index.idle_spans
        );
        println!(
            "frames      {} ({} bytes of TDP messages)",
            index.frames, index.frame_bytes
        );
        println!("records     {}", index.records);
        println!(
            "seek        {} entries, {} keyframes{}",
            index.seek_entries,
            index.keyframes,
            if index.directory { ", a directory" } else { "" }
        );
        if !index.events.is_empty() {
            println!("events");
            for e in &index.events {
                println!("            {}  {}", clock(e.time_us), e.kind);
            }
        }
    }
    println!(
        "transfer    {} requests, {} bytes",
        info.transfer.requests, info.transfer.bytes
    );
    Ok(ExitCode::SUCCESS)
}

/// `tdpr validate URL`: one streamed pass, as `validate FILE`.
pub fn validate(location: &Location) -> CommandResult {
    let pass = tdpr_store::validate_frames(location).map_err(|e| e.to_string())?;
    match pass.result {
        Ok((valid, _)) => {
            println!(
                "valid: {} records, {} bytes, format version {}",
                valid.records, valid.bytes, valid.version_written
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.class() == tdpr::ErrorClass::Io => Err(format!("cannot read {location}: {e}")),
        Err(e) => {
            println!("invalid: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

/// `tdpr dump URL`: the canonical JSON, from one streamed pass.
pub fn dump(location: &Location) -> CommandResult {
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let pass = tdpr_store::write_canonical(location, &mut out).map_err(|e| e.to_string())?;
    let end = pass
        .result
        .map_err(|e| format!("cannot read {location}: {e}"))?
        .and_then(|end| {
            out.write_all(b"\n")?;
            out.flush()?;
            Ok(end)
        })
        .map_err(|e| format!("cannot write standard output: {e}"))?;
    Ok(if end == EndJson::Finished {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The input of `tdpr recover URL OUT`: the object, after completing the
/// upload a dead recorder left (its journal beside the object), if any.
pub fn recover_input(location: &Location) -> Result<RecordingFile, String> {
    if let Some(journal) = tdpr_store::complete_interrupted(location).map_err(|e| e.to_string())? {
        eprintln!(
            "completed the interrupted upload {} of {location} with its {} parts",
            journal.upload_id,
            journal.parts.len()
        );
    }
    materialize(location)
}

/// `tdpr recover IN URL`: the recovered recording uploaded to `output` as
/// it is written (a multipart upload, visible only once complete).
pub fn recover_to(input: &RecordingFile, output: &Location) -> Result<tdpr::Recovery, String> {
    let mut sink = MultipartSink::create(output, MIN_PART_SIZE).map_err(|e| e.to_string())?;
    match tdpr::recover(input.bytes(), &mut sink, tdpr::Limits::default()) {
        Ok(recovery) => {
            sink.finish().map_err(|e| e.to_string())?;
            Ok(recovery)
        }
        Err(e) => {
            let _ = sink.abort();
            Err(format!("nothing to recover: {e}"))
        }
    }
}
