//! `tdpr info FILE [--json]`: describe a recording (see [`crate::summary`]);
//! of a URL, what its index says ([`crate::info_index`]).

use std::fmt::Write as _;
use std::path::Path;

use tdpr::json::MetadataJson;

use crate::input::Input;
use crate::status::{CommandResult, Failure, Status};
use crate::summary::{check, summarize, Level, Summary};
use crate::text::{clock, count};
use crate::{diagnosis, info_index, print, progress};

pub fn run(path: &Path, json: bool) -> CommandResult {
    let input = Input::new(path)?;
    if let Some(location) = input.location() {
        return info_index::run(&input, location, json);
    }
    let file = input.recording()?;
    let bar = progress::bytes(Some(file.bytes().len() as u64));
    let checked = check(&file, Level::Tdp, &|at| bar.set_position(at));
    bar.finish_and_clear();
    let summary = summarize(&checked, file.bytes().len() as u64)
        .map_err(|e| Failure::CannotRun(format!("{}: {e}", input.name())))?;
    let Some(summary) = summary else {
        let fault = checked
            .verdict()
            .expect_err("a pass that did not start failed");
        return Err(diagnosis::unreadable(&input, file.bytes(), &fault, None));
    };
    let text = if json {
        serde_json::to_string_pretty(&summary).expect("a summary serializes") + "\n"
    } else {
        describe(&input.name(), &summary)
    };
    print::out(&text)?;
    Ok(match summary.state.as_str() {
        "damaged" => Status::Invalid,
        _ => Status::Success,
    })
}

fn describe(name: &str, info: &Summary) -> String {
    let mut text = String::new();
    let out = &mut text;
    let _ = writeln!(
        out,
        "{name}: tdpr format version {} ({} bytes)",
        info.version_written, info.file_bytes
    );
    let _ = match &info.fault {
        Some(fault) => writeln!(out, "state       damaged: {}", fault.message),
        None => writeln!(out, "state       {}", info.state),
    };
    describe_metadata(out, &info.metadata, &info.start_time);
    describe_duration_and_frames(
        out,
        (info.duration_us, info.idle_us, info.idle_spans),
        (info.frames, info.frame_bytes),
    );
    let _ = writeln!(
        out,
        "seek        {}, {}",
        count(info.seek_entries as u64, "entry", "entries"),
        count(info.keyframes as u64, "keyframe", "keyframes")
    );
    let _ = writeln!(
        out,
        "records     {:<12} {:>9} {:>14} {:>14}",
        "type", "count", "stored bytes", "payload bytes"
    );
    for t in &info.records {
        let _ = writeln!(
            out,
            "            {:<12} {:>9} {:>14} {:>14}",
            t.name, t.records, t.stored_bytes, t.payload_bytes
        );
    }
    let undecodable = &info.undecodable;
    if !info.messages.is_empty() || undecodable.frames > 0 {
        let _ = writeln!(
            out,
            "messages    {:<26} {:>9} {:>14}",
            "TDP message", "frames", "bytes"
        );
        for m in &info.messages {
            let _ = writeln!(
                out,
                "            {:<26} {:>9} {:>14}",
                m.kind, m.frames, m.bytes
            );
        }
        if undecodable.frames > 0 {
            let _ = writeln!(
                out,
                "            {:<26} {:>9} {:>14}",
                "(not one TDP message)", undecodable.frames, undecodable.bytes
            );
        }
    }
    if let Some(first) = &undecodable.first {
        let _ = writeln!(
            out,
            "undecodable {} not one TDP message; the first: {}",
            count(undecodable.frames, "frame is", "frames are"),
            first.message
        );
    }
    if !info.events.is_empty() {
        let _ = writeln!(out, "events");
        for e in &info.events {
            let _ = writeln!(out, "            {}  {}", clock(e.time_us), e.kind);
        }
    }
    text
}

/// The lines of `info` (a file's, or an object's read through its index)
/// that the metadata gives: session, user, start, screen, recorder, labels.
pub fn describe_metadata(out: &mut String, m: &MetadataJson, start_time: &str) {
    let _ = writeln!(out, "session     {} on {}", m.session_id, m.cluster);
    let _ = writeln!(
        out,
        "user        {} as {} on {} ({})",
        m.user, m.login, m.desktop_name, m.desktop_addr
    );
    let _ = writeln!(out, "started     {start_time}");
    let _ = writeln!(
        out,
        "screen      {}x{} at the start",
        m.screen_width, m.screen_height
    );
    let _ = writeln!(
        out,
        "recorder    {} {}",
        m.recorder_name, m.recorder_version
    );
    if !m.labels.is_empty() {
        let labels: Vec<String> = m.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "labels      {}", labels.join(", "));
    }
}

/// The duration line (duration, idle time, idle spans) and the frames line
/// (frames, bytes of TDP messages) of `info`, from a pass over a file or
/// from an object's index.
pub fn describe_duration_and_frames(
    out: &mut String,
    (duration_us, idle_us, idle_spans): (u64, u64, usize),
    (frames, frame_bytes): (u64, u64),
) {
    let _ = writeln!(
        out,
        "duration    {} ({} idle in {})",
        clock(duration_us),
        clock(idle_us),
        count(idle_spans as u64, "span", "spans")
    );
    let _ = writeln!(
        out,
        "frames      {frames} ({} of TDP messages)",
        count(frame_bytes, "byte", "bytes")
    );
}
