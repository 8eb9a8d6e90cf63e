//! The same session stored the two other ways a desktop recording is kept
//! today, written and read back as their readers do.
//!
//! - **Teleport's protobuf stream**: every TDP message in a
//!   `DesktopRecording` audit event (event metadata, the message bytes, the
//!   delay in milliseconds) wrapped in a `OneOf`, each event prefixed with its
//!   length as a big-endian u32, the stream gzip'd in parts of about 5 MiB,
//!   each part behind a 24-byte header (format version, part size, padding
//!   size). The messages are declared here with prost's derive, field numbers
//!   as in Teleport's `events.proto` where known; the `OneOf` tag only changes
//!   one byte per event.
//! - **asciicast-style JSON lines**: a header line, then one line per message,
//!   `[time_seconds, "o", "<base64 of the TDP message>"]`.

use std::io::{Read, Write};

use base64::Engine as _;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use prost::Message as _;

/// Uncompressed bytes of events per gzip'd part.
const PART_LEN: usize = 5 << 20;
/// Teleport's part header: version, part size, padding size (u64 each).
const PART_HEADER_LEN: usize = 24;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Timestamp {
    #[prost(int64, tag = "1")]
    pub seconds: i64,
    #[prost(int32, tag = "2")]
    pub nanos: i32,
}

/// `events.Metadata`: what every Teleport audit event carries.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EventMetadata {
    #[prost(int64, tag = "1")]
    pub index: i64,
    #[prost(string, tag = "2")]
    pub r#type: String,
    #[prost(string, tag = "3")]
    pub id: String,
    #[prost(string, tag = "4")]
    pub code: String,
    #[prost(message, optional, tag = "5")]
    pub time: Option<Timestamp>,
    #[prost(string, tag = "6")]
    pub cluster_name: String,
}

/// `events.DesktopRecording`: one TDP message of a session.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DesktopRecording {
    #[prost(message, optional, tag = "1")]
    pub metadata: Option<EventMetadata>,
    #[prost(bytes = "vec", tag = "2")]
    pub message: Vec<u8>,
    #[prost(int64, tag = "3")]
    pub delay_milliseconds: i64,
}

/// `events.OneOf` holding a desktop recording event.
#[derive(Clone, PartialEq, prost::Message)]
pub struct OneOf {
    #[prost(message, optional, tag = "79")]
    pub desktop_recording: Option<DesktopRecording>,
}

/// The session start, seconds since the epoch (as in the synthetic metadata).
const START_S: i64 = 1_764_151_200;

/// Writes the frames as a Teleport protobuf stream.
pub fn teleport_write(frames: &[(u64, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut part = Vec::with_capacity(PART_LEN + (1 << 20));
    let mut event = Vec::new();
    for (i, (time_us, message)) in frames.iter().enumerate() {
        let record = OneOf {
            desktop_recording: Some(DesktopRecording {
                metadata: Some(EventMetadata {
                    index: i as i64,
                    r#type: "desktop.recording".into(),
                    id: String::new(),
                    code: String::new(),
                    time: Some(Timestamp {
                        seconds: START_S + (*time_us / 1_000_000) as i64,
                        nanos: (*time_us % 1_000_000 * 1_000) as i32,
                    }),
                    cluster_name: "teleport.example.com".into(),
                }),
                message: message.to_vec(),
                delay_milliseconds: (*time_us / 1_000) as i64,
            }),
        };
        event.clear();
        record.encode(&mut event).expect("a Vec grows");
        part.extend_from_slice(&(event.len() as u32).to_be_bytes());
        part.extend_from_slice(&event);
        if part.len() >= PART_LEN {
            flush_part(&mut out, &part);
            part.clear();
        }
    }
    if !part.is_empty() {
        flush_part(&mut out, &part);
    }
    out
}

fn flush_part(out: &mut Vec<u8>, part: &[u8]) {
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    gzip.write_all(part).expect("a Vec grows");
    let compressed = gzip.finish().expect("a Vec grows");
    out.extend_from_slice(&1u64.to_be_bytes());
    out.extend_from_slice(&(compressed.len() as u64).to_be_bytes());
    out.extend_from_slice(&0u64.to_be_bytes());
    out.extend_from_slice(&compressed);
}

/// Reads a Teleport protobuf stream: gunzips every part and decodes every
/// event (into one reused message, the kindest reading for this format).
/// Returns the number of messages and their total length.
pub fn teleport_read(stream: &[u8]) -> (u64, u64) {
    let (mut count, mut bytes) = (0, 0);
    let mut part = Vec::new();
    let mut record = OneOf::default();
    let mut rest = stream;
    while !rest.is_empty() {
        let size = u64::from_be_bytes(rest[8..16].try_into().unwrap()) as usize;
        let padding = u64::from_be_bytes(rest[16..24].try_into().unwrap()) as usize;
        let body = &rest[PART_HEADER_LEN..PART_HEADER_LEN + size];
        rest = &rest[PART_HEADER_LEN + size + padding..];
        part.clear();
        GzDecoder::new(body)
            .read_to_end(&mut part)
            .expect("the part inflates");
        let mut events = &part[..];
        while !events.is_empty() {
            let len = u32::from_be_bytes(events[..4].try_into().unwrap()) as usize;
            record.clear();
            record
                .merge(&events[4..4 + len])
                .expect("the event decodes");
            events = &events[4 + len..];
            let recording = record.desktop_recording.as_ref().expect("a desktop event");
            count += 1;
            bytes += recording.message.len() as u64;
        }
    }
    (count, bytes)
}

/// Writes the frames as asciicast-style JSON lines.
pub fn jsonl_write(frames: &[(u64, &[u8])], width: u32, height: u32) -> Vec<u8> {
    let mut out = format!(
        "{{\"version\": 2, \"width\": {width}, \"height\": {height}, \"timestamp\": {START_S}}}\n"
    );
    for (time_us, message) in frames {
        out.push_str(&format!(
            "[{}.{:06}, \"o\", \"",
            time_us / 1_000_000,
            time_us % 1_000_000
        ));
        base64::engine::general_purpose::STANDARD.encode_string(message, &mut out);
        out.push_str("\"]\n");
    }
    out.into_bytes()
}

/// Reads asciicast-style JSON lines: parses every line and decodes its
/// base64. Returns the number of messages and their total length.
pub fn jsonl_read(file: &[u8]) -> (u64, u64) {
    let text = std::str::from_utf8(file).expect("JSON lines are UTF-8");
    let (mut count, mut bytes) = (0, 0);
    let mut message = Vec::new();
    for line in text.lines().skip(1) {
        let (time, kind, data): (f64, &str, &str) =
            serde_json::from_str(line).expect("the line parses");
        debug_assert!(time >= 0.0 && kind == "o");
        message.clear();
        base64::engine::general_purpose::STANDARD
            .decode_vec(data, &mut message)
            .expect("the base64 decodes");
        count += 1;
        bytes += message.len() as u64;
    }
    (count, bytes)
}
