//! `tdpr info FILE [--json]`: describe a recording (see `tdpr::Summary`).

use std::path::Path;
use std::process::ExitCode;

use crate::summary::{summarize, Summary};
use crate::{clock, CommandResult};
use tdpr::RecordingFile;

pub fn run(path: &Path, json: bool) -> CommandResult {
    if let Some(location) = crate::remote::location(path)? {
        return crate::remote::info(&location, json);
    }
    let mapped =
        RecordingFile::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let info = summarize(mapped.bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
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

fn print_text(path: &Path, info: &Summary) {
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
    println!("started     {}", info.start_time);
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
