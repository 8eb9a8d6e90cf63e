//! `tdpr info FILE [--json]`: describe a recording.
//!
//! The description comes from a full scan, so it also covers unfinished and
//! damaged recordings: for those it says what was read before the cut.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, UNIX_EPOCH};

use serde::Serialize;
use tdpr::{IndexView, Limits, Recording, Scan, ScanEnd};

use crate::mapped::Mapped;
use crate::{clock, CommandResult};

/// The JSON form of `tdpr info --json`.
#[derive(Serialize)]
struct Info {
    file_bytes: u64,
    version_written: u16,
    version_required: u16,
    /// "finished", "unfinished" or "damaged".
    state: &'static str,
    fault: Option<Fault>,
    metadata: MetadataInfo,
    duration_us: u64,
    idle_us: u64,
    idle_spans: usize,
    frames: u64,
    frame_bytes: u64,
    seek_entries: usize,
    keyframes: usize,
    records: Vec<TypeInfo>,
    /// Frames by TDP message kind, up to the first fault.
    messages: Vec<MessageInfo>,
    events: Vec<EventInfo>,
}

#[derive(Serialize)]
struct MessageInfo {
    kind: String,
    frames: u64,
    bytes: u64,
}

#[derive(Serialize)]
struct Fault {
    class: &'static str,
    offset: Option<u64>,
    message: String,
}

#[derive(Serialize)]
struct MetadataInfo {
    session_id: String,
    cluster: String,
    user: String,
    desktop_name: String,
    desktop_addr: String,
    login: String,
    start_time_unix_us: i64,
    start_time: String,
    screen_width: u32,
    screen_height: u32,
    recorder_name: String,
    recorder_version: String,
    labels: std::collections::BTreeMap<String, String>,
    unknown_field_bytes: usize,
}

#[derive(Serialize)]
struct TypeInfo {
    #[serde(rename = "type")]
    name: String,
    code: u8,
    records: u64,
    stored_bytes: u64,
    payload_bytes: u64,
}

#[derive(Serialize)]
struct EventInfo {
    time_us: u64,
    kind: String,
    offset: u64,
}

pub fn run(path: &Path, json: bool) -> CommandResult {
    let mapped = Mapped::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let info = describe(mapped.bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&info).map_err(|e| e.to_string())?
        );
    } else {
        print_text(path, &info);
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(data: &[u8]) -> tdpr::Result<Info> {
    let options = Recording::parse(data)
        .ok()
        .and_then(|r| r.index().map(|i| i.options))
        .unwrap_or_default();
    let scan = Scan::run(data, Limits::default(), options)?;
    let mut index_bytes = Vec::new();
    scan.rebuilt_index
        .encode(&mut index_bytes, &Limits::default())?;
    let index = IndexView::parse(&index_bytes, 0, &Limits::default())?;
    let m = &scan.metadata.message;
    let idle_spans = index.idle_spans().len();
    let keyframes = index.seek_entries().filter(|e| e.is_keyframe).count();
    let events = index
        .events()
        .map(|e| EventInfo {
            time_us: e.time_us,
            kind: tdpr::event_kind_name(e.kind as i32).unwrap_or_else(|| e.kind.to_string()),
            offset: e.offset,
        })
        .collect();
    let messages = match Recording::parse(data) {
        Ok(recording) => tdpr::census(&recording)
            .by_kind
            .into_iter()
            .map(|(kind, s)| MessageInfo {
                kind,
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
    Ok(Info {
        file_bytes: data.len() as u64,
        version_written: scan.header.version_written,
        version_required: scan.header.version_required,
        state,
        fault: scan.fault.as_ref().map(|e| Fault {
            class: e.class().as_str(),
            offset: e.offset(),
            message: e.to_string(),
        }),
        metadata: MetadataInfo {
            session_id: m.session_id.clone(),
            cluster: m.cluster.clone(),
            user: m.user.clone(),
            desktop_name: m.desktop_name.clone(),
            desktop_addr: m.desktop_addr.clone(),
            login: m.login.clone(),
            start_time_unix_us: m.start_time_unix_us,
            start_time: rfc3339(m.start_time_unix_us),
            screen_width: m.screen_width,
            screen_height: m.screen_height,
            recorder_name: m.recorder_name.clone(),
            recorder_version: m.recorder_version.clone(),
            labels: m.labels.clone(),
            unknown_field_bytes: scan.metadata.unknown_fields.len(),
        },
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

fn print_text(path: &Path, info: &Info) {
    let m = &info.metadata;
    println!(
        "{}: tdpr format version {} ({} bytes)",
        path.display(),
        info.version_written,
        info.file_bytes
    );
    match &info.fault {
        Some(fault) => println!("state       damaged: {}", fault.message),
        None => println!("state       {}", info.state),
    }
    println!("session     {} on {}", m.session_id, m.cluster);
    println!(
        "user        {} as {} on {} ({})",
        m.user, m.login, m.desktop_name, m.desktop_addr
    );
    println!("started     {}", m.start_time);
    println!(
        "screen      {}x{} at the start",
        m.screen_width, m.screen_height
    );
    println!("recorder    {} {}", m.recorder_name, m.recorder_version);
    if !m.labels.is_empty() {
        let labels: Vec<String> = m.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!("labels      {}", labels.join(", "));
    }
    println!(
        "duration    {} ({} idle in {} spans)",
        clock(info.duration_us),
        clock(info.idle_us),
        info.idle_spans
    );
    println!(
        "frames      {} ({} bytes of TDP messages)",
        info.frames, info.frame_bytes
    );
    println!(
        "seek        {} entries, {} keyframes",
        info.seek_entries, info.keyframes
    );
    println!(
        "records     {:<12} {:>9} {:>14} {:>14}",
        "type", "count", "stored bytes", "payload bytes"
    );
    for t in &info.records {
        println!(
            "            {:<12} {:>9} {:>14} {:>14}",
            t.name, t.records, t.stored_bytes, t.payload_bytes
        );
    }
    if !info.messages.is_empty() {
        println!(
            "messages    {:<26} {:>9} {:>14}",
            "TDP message", "frames", "bytes"
        );
        for m in &info.messages {
            println!("            {:<26} {:>9} {:>14}", m.kind, m.frames, m.bytes);
        }
    }
    if !info.events.is_empty() {
        println!("events");
        for e in &info.events {
            println!("            {}  {}", clock(e.time_us), e.kind);
        }
    }
}
