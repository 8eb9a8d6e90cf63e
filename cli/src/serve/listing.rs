//! The page at `/`: the recordings the server hands out, each a link to the
//! player on it, with what the file's header, metadata and index say of it
//! (read without reading a frame).

use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use tdpr::RecordingFile;

use super::library::player_url;
use crate::text::clock;

/// The listing of `recordings` (name and path), titled `title`.
pub fn page(title: &str, recordings: &[(String, std::path::PathBuf)]) -> String {
    let mut html = String::new();
    let title = escape(title);
    write!(
        html,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} — tdpr</title>\n<style>\n\
         body {{ background: #111; color: #ccc; font: 14px/1.5 system-ui, sans-serif; padding: 16px; }}\n\
         a {{ color: #8cf; }} td, th {{ padding: 2px 12px 2px 0; text-align: left; }}\n\
         td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}\n\
         </style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    )
    .expect("writing to a String");
    if recordings.is_empty() {
        html.push_str("<p>No recordings (<code>.tdpr</code> files) here.</p>\n");
    } else {
        html.push_str(
            "<table>\n<tr><th>recording</th><th>bytes</th><th>started (UTC)</th>\
             <th>duration</th><th>user</th><th>desktop</th></tr>\n",
        );
        for (name, path) in recordings {
            writeln!(
                html,
                "<tr><td><a href=\"{}\">{}</a></td><td class=\"n\">{}</td>{}</tr>",
                escape(&player_url(name)),
                escape(name),
                std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
                describe(path)
            )
            .expect("writing to a String");
        }
        html.push_str("</table>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

/// The cells of a recording's start, duration, user and desktop, or of what
/// keeps it from opening.
fn describe(path: &Path) -> String {
    let fault = |e: tdpr::Error| format!("<td colspan=\"4\">{}</td>", escape(&e.to_string()));
    let file = match RecordingFile::open(path) {
        Ok(file) => file,
        Err(e) => return fault(e),
    };
    let recording = match file.recording() {
        Ok(recording) => recording,
        Err(e) => return fault(e),
    };
    let metadata = &recording.metadata().message;
    let started = u64::try_from(metadata.start_time_unix_us)
        .map(|us| {
            humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_micros(us)).to_string()
        })
        .unwrap_or_else(|_| format!("{} µs", metadata.start_time_unix_us));
    let duration = match recording.index() {
        Some(index) => clock(index.duration_us),
        None => "unfinished".to_owned(),
    };
    format!(
        "<td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td>",
        escape(&started),
        duration,
        escape(&metadata.user),
        escape(&metadata.desktop_name)
    )
}

/// `text` with the characters HTML gives a meaning escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
