//! Exporting a tdpr recording as a Teleport session recording.
//!
//! Why it exists: a recording must be able to go back to where Teleport
//! users replay and audit sessions. [`export`] writes a stream Teleport's
//! reader accepts (`spec/conversion.md` §4): the session start first, then
//! each frame as a `DesktopRecording` (delay = time in whole milliseconds)
//! and each event, with `Metadata.Index` counting 0, 1, 2, … Events imported
//! from Teleport go back byte for byte, only their index renumbered; others
//! are built from tdpr's fields.

use std::io::Write;

use prost::encoding::{encode_key, encode_varint, encoded_len_varint, key_len, message, WireType};
use prost::Message as _;

use super::event_view::{EventView, DESKTOP_RECORDING};
use super::import::ImportOptions;
use super::mapping::{timestamp, DesktopKind, SessionFacts, LINUX_START};
use super::part_header::{DEFAULT_PART_SIZE, MAX_RECORD_LEN};
use super::proto::events;
use super::split::split;
use super::stream_writer::StreamWriter;
use super::wire::{fields, put_bytes, put_varint, Value, WireError};
use crate::error::{Error, Result};
use crate::format::{Inflater, RecordBody};
use crate::proto::Extensible;
use crate::proto::{Event, Metadata};
use crate::read::Recording;
use crate::tdp::tdpb::proto::teleport::desktop::v1::{ClientScreenSpec, Envelope};
use crate::tdp::tdpb::{self, Payload};
use crate::tdp::{announced_screen_size, Message};

/// Options of [`export`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportOptions {
    /// A part ends once its gzip body reaches this many bytes.
    pub part_size: u64,
    /// Leave out, and count, what Teleport cannot carry (`spec/conversion.md`
    /// §4.5) instead of failing with `invalid_input` at the first of it.
    pub allow_loss: bool,
}

impl Default for ExportOptions {
    /// Teleport's part size; no loss allowed.
    fn default() -> Self {
        ExportOptions {
            part_size: DEFAULT_PART_SIZE,
            allow_loss: false,
        }
    }
}

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportReport {
    /// Teleport events written (start, recordings, other events).
    pub records: u64,
    /// Parts written.
    pub parts: u64,
    /// Frames written as `DesktopRecording` events.
    pub frames: u64,
    /// tdpr events written as Teleport events.
    pub events: u64,
    /// Whether the start event is the one imported from Teleport (false: built
    /// from the metadata).
    pub start_kept: bool,
    /// Frames whose time was not a whole millisecond (Teleport's delays are
    /// milliseconds; the remainder is dropped).
    pub times_rounded: u64,
    /// Frames too large for one Teleport event (64 KiB), carried as several
    /// (PNG tiles, fast-path fragments; `spec/conversion.md` §4.4).
    pub frames_split: u64,
    /// The `DesktopRecording` events those frames became.
    pub split_events: u64,
    /// Frames too large for one event that cannot be cut, left out (only
    /// with [`ExportOptions::allow_loss`]).
    pub frames_left_out: u64,
    /// tdpr events Teleport has no event for (markers, joins, leaves), left
    /// out (only with [`ExportOptions::allow_loss`]).
    pub events_without_equivalent: u64,
    /// Client screen specs added where the screen size (the metadata's, or
    /// a screen-size record) was not announced by any TDP message, so that
    /// Teleport's player sizes its canvas and a new import finds the size.
    pub screen_specs_added: u64,
}

/// Writes `recording` to `sink` as a Teleport session recording.
///
/// Fails with `invalid_input` at the first frame or event Teleport cannot
/// carry (`spec/conversion.md` §4.5), unless [`ExportOptions::allow_loss`];
/// with a format error when the recording's records do not read.
pub fn export<W: Write>(
    recording: &Recording<'_>,
    sink: W,
    options: &ExportOptions,
) -> Result<(W, ExportReport)> {
    let metadata = &recording.metadata().message;
    let kept_start = &metadata.teleport_start_event;
    let desktop = match EventView::parse(kept_start) {
        Ok(view) if view.member == LINUX_START => DesktopKind::Linux,
        _ => DesktopKind::Windows,
    };
    let facts = SessionFacts { metadata, desktop };
    let mut stream = StreamWriter::new(sink, options.part_size);
    let mut report = ExportReport::default();
    let recording_metadata = events::Metadata {
        r#type: "desktop.recording".into(),
        cluster_name: metadata.cluster.clone(),
        ..events::Metadata::default()
    };

    let start = match renumbered(kept_start, 0) {
        Ok(start) if !kept_start.is_empty() => {
            report.start_kept = true;
            start
        }
        _ => facts.start_event(0),
    };
    stream.write_record(&start)?;
    let mut out = Out {
        stream,
        metadata: recording_metadata,
        index: 1,
        scratch: Vec::new(),
    };
    // The size the Teleport stream has announced so far, and a screen-size
    // record not yet announced: the frame right after it may announce it
    // itself (an imported recording always has one), or a spec is added.
    let mut announced = first_announced_size(recording)?;
    let initial = (metadata.screen_width, metadata.screen_height);
    let mut unannounced = (announced != Some(initial) && initial.0 > 0 && initial.1 > 0)
        .then_some((initial, metadata.start_time_unix_us, 0));
    let mut tdpb = false;
    let mut inflater = Inflater::default();
    for record in recording.records() {
        let record = record?;
        let (unix_us, delay_ms) = teleport_times(metadata, record.time_us);
        match record.body {
            RecordBody::Frame(_) | RecordBody::FrameBatch(_) => {
                for frame_in in record.frames(&mut inflater)? {
                    let (unix_us, delay_ms) = teleport_times(metadata, frame_in.time_us);
                    let frame = frame_in.message;
                    tdpb = frame.first() == Some(&0);
                    let size = announced_screen_size(frame);
                    if let Some((pending, at_us, at_ms)) = unannounced.take() {
                        if size != Some(pending) {
                            out.recording(&screen_spec(pending, tdpb), at_us, at_ms)?;
                            report.screen_specs_added += 1;
                        }
                    }
                    announced = size.or(announced);
                    if frame_in.time_us % 1000 != 0 {
                        report.times_rounded += 1;
                    }
                    if out.recording(frame, unix_us, delay_ms)? {
                        report.frames += 1;
                        continue;
                    }
                    match split(frame, out.frame_limit(delay_ms)) {
                        Ok(pieces) => {
                            for piece in &pieces {
                                let fits = out.recording(piece, unix_us, delay_ms)?;
                                debug_assert!(fits, "a piece fits the frame limit");
                            }
                            report.frames += 1;
                            report.frames_split += 1;
                            report.split_events += pieces.len() as u64;
                        }
                        Err(_) if options.allow_loss => report.frames_left_out += 1,
                        Err(why) => {
                            return Err(Error::InvalidInput(format!(
                                "the frame at offset {} (time {} µs) is too large for one \
                                 Teleport event and cannot be cut: {why}",
                                frame_in.offset, frame_in.time_us
                            )))
                        }
                    }
                }
            }
            RecordBody::ScreenSize { width, height } => {
                if let Some((pending, at_us, at_ms)) = unannounced.take() {
                    out.recording(&screen_spec(pending, tdpb), at_us, at_ms)?;
                    report.screen_specs_added += 1;
                    announced = Some(pending);
                }
                if announced != Some((width, height)) && width > 0 && height > 0 {
                    unannounced = Some(((width, height), unix_us, delay_ms));
                }
            }
            RecordBody::Event(bytes) => {
                let event = Extensible::<Event>::decode(bytes).map_err(|e| {
                    Error::InvalidInput(format!("an event record is not a tdpr.v1.Event: {e}"))
                })?;
                let kept = &event.message.teleport_event;
                let rebuilt = if kept.is_empty() {
                    facts.event(&event.message, out.index, unix_us)
                } else {
                    renumbered(kept, out.index).ok()
                };
                match rebuilt {
                    Some(rebuilt) => {
                        out.event(&rebuilt)?;
                        report.events += 1;
                    }
                    None if options.allow_loss => report.events_without_equivalent += 1,
                    None => {
                        return Err(Error::InvalidInput(format!(
                            "the event at offset {} (time {} µs, kind {}) has no Teleport \
                             equivalent",
                            record.offset,
                            record.time_us,
                            crate::format::EventKind(event.message.kind)
                        )))
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((pending, at_us, at_ms)) = unannounced {
        out.recording(&screen_spec(pending, tdpb), at_us, at_ms)?;
        report.screen_specs_added += 1;
    }
    let stream = out.stream;
    report.records = stream.records();
    let (sink, parts) = stream.finish()?;
    report.parts = parts;
    Ok((sink, report))
}

/// The Teleport stream being written, with the next event index.
struct Out<W: Write> {
    stream: StreamWriter<W>,
    /// The `Metadata` of every `DesktopRecording`, updated in place.
    metadata: events::Metadata,
    index: i64,
    scratch: Vec<u8>,
}

impl<W: Write> Out<W> {
    /// Writes a `DesktopRecording` of `frame`; false (and nothing written)
    /// when it would exceed Teleport's event size limit.
    fn recording(&mut self, frame: &[u8], unix_us: i64, delay_ms: i64) -> Result<bool> {
        self.metadata.index = self.index;
        self.metadata.time = Some(timestamp(unix_us));
        if recording_len(&self.metadata, frame.len(), delay_ms) > MAX_RECORD_LEN {
            return Ok(false);
        }
        encode_recording(&mut self.scratch, &self.metadata, frame, delay_ms);
        self.stream.write_record(&self.scratch)?;
        self.index += 1;
        Ok(true)
    }

    /// The largest frame whose `DesktopRecording` at `delay_ms` fits
    /// Teleport's event size limit, whatever its index.
    fn frame_limit(&self, delay_ms: i64) -> usize {
        let metadata = events::Metadata {
            index: i64::MAX,
            ..self.metadata.clone()
        };
        let mut limit = MAX_RECORD_LEN.saturating_sub(recording_len(&metadata, 0, delay_ms));
        while limit > 0 && recording_len(&metadata, limit, delay_ms) > MAX_RECORD_LEN {
            limit -= 1;
        }
        limit
    }

    /// Writes a serialized `OneOf` whose index is already `self.index`.
    fn event(&mut self, event: &[u8]) -> Result<()> {
        self.stream.write_record(event)?;
        self.index += 1;
        Ok(())
    }
}

/// A time of the recording as Teleport has it: microseconds since 1970 for
/// event times, and the delay in whole milliseconds.
fn teleport_times(metadata: &Metadata, time_us: u64) -> (i64, i64) {
    let unix_us = metadata
        .start_time_unix_us
        .saturating_add(time_us.min(i64::MAX as u64) as i64);
    let delay_ms = (time_us / 1000).min(i64::MAX as u64) as i64;
    (unix_us, delay_ms)
}

/// The size the first frame that announces one announces, among the records
/// (each frame of a batch counted as one) an import holds back to find the metadata (`ImportOptions::
/// lookahead_records`); reading stops there, normally at the first records.
fn first_announced_size(recording: &Recording<'_>) -> Result<Option<(u32, u32)>> {
    let mut inflater = Inflater::default();
    let lookahead = ImportOptions::default().lookahead_records;
    let mut seen = 0;
    for record in recording.records() {
        // Each frame, or the record when it holds none, is one record of the
        // Teleport stream.
        let record = record?;
        let mut frames = record.frames(&mut inflater)?.peekable();
        seen += usize::from(frames.peek().is_none());
        for frame in frames {
            seen += 1;
            if seen > lookahead {
                return Ok(None);
            }
            if let Some(size) = announced_screen_size(frame.message) {
                return Ok(Some(size));
            }
        }
        if seen >= lookahead {
            break;
        }
    }
    Ok(None)
}

/// A client screen spec announcing `size`: legacy TDP type 1, or its TDPB
/// form in a TDPB session.
fn screen_spec(size: (u32, u32), tdpb: bool) -> Vec<u8> {
    if tdpb {
        let mut out = Vec::new();
        let envelope = Envelope {
            payload: Some(Payload::ClientScreenSpec(ClientScreenSpec {
                width: size.0,
                height: size.1,
                scale: 0,
            })),
        };
        tdpb::encode_envelope(&envelope, &mut out).expect("a screen spec fits a TDPB frame");
        return out;
    }
    let mut out = Vec::new();
    Message::ClientScreenSpec {
        width: size.0,
        height: size.1,
    }
    .encode(&mut out)
    .expect("a screen spec always encodes");
    out
}

/// Bytes of the `DesktopRecording` body for a frame of `frame_len` bytes
/// (the field number, 2 or 4, takes one byte of key either way).
fn recording_body_len(metadata: &events::Metadata, frame_len: usize, delay_ms: i64) -> usize {
    let metadata_len = metadata.encoded_len();
    let mut body_len = key_len(1) + encoded_len_varint(metadata_len as u64) + metadata_len;
    body_len += key_len(2) + encoded_len_varint(frame_len as u64) + frame_len;
    if delay_ms != 0 {
        body_len += key_len(3) + encoded_len_varint(delay_ms as u64);
    }
    body_len
}

/// Bytes of the whole `OneOf` that [`encode_recording`] writes.
fn recording_len(metadata: &events::Metadata, frame_len: usize, delay_ms: i64) -> usize {
    let body_len = recording_body_len(metadata, frame_len, delay_ms);
    key_len(DESKTOP_RECORDING) + encoded_len_varint(body_len as u64) + body_len
}

/// Encodes `OneOf { DesktopRecording { Metadata, Message or TDPBMessage,
/// DelayMilliseconds } }` into `out` (cleared first), fields in number order
/// as Teleport's marshaller writes them. Allocates only while `out` grows.
fn encode_recording(out: &mut Vec<u8>, metadata: &events::Metadata, frame: &[u8], delay_ms: i64) {
    // TDPB frames start with the zero high byte of their length.
    let frame_field = if frame.first() == Some(&0) { 4 } else { 2 };
    let body_len = recording_body_len(metadata, frame.len(), delay_ms);
    out.clear();
    encode_key(DESKTOP_RECORDING, WireType::LengthDelimited, out);
    encode_varint(body_len as u64, out);
    message::encode(1, metadata, out);
    put_bytes(out, frame_field, frame);
    if delay_ms != 0 {
        put_varint(out, 3, delay_ms as u64);
    }
}

/// The serialized `OneOf` `event` with its `Metadata.Index` set to `index`;
/// every other field, known or not, is kept byte for byte.
pub fn renumbered(event: &[u8], index: i64) -> std::result::Result<Vec<u8>, WireError> {
    let view = EventView::parse(event)?;
    // The index goes into the first `Metadata` and leaves every other one:
    // several merge, so it is the index of the whole.
    let mut metadata = Vec::new();
    if index != 0 {
        put_varint(&mut metadata, 1, index as u64);
    }
    let mut body = Vec::new();
    let mut first = true;
    for field in fields(view.body) {
        let field = field?;
        match (field.number, field.value) {
            (1, Value::Bytes(old)) => {
                if !first {
                    metadata.clear();
                }
                for inner in fields(old) {
                    let inner = inner?;
                    if inner.number != 1 {
                        metadata.extend_from_slice(inner.raw);
                    }
                }
                put_bytes(&mut body, 1, &metadata);
                first = false;
            }
            _ => body.extend_from_slice(field.raw),
        }
    }
    if first {
        let mut with_metadata = Vec::new();
        put_bytes(&mut with_metadata, 1, &metadata);
        with_metadata.extend_from_slice(&body);
        body = with_metadata;
    }
    let mut out = Vec::with_capacity(body.len() + 8);
    put_bytes(&mut out, view.member, &body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumbering_keeps_every_other_byte() {
        // OneOf 70 { Metadata { Index 7, Type "t", field 99 "x" }, field 6 = 5, field 200 "u" }
        let metadata = [0x08, 0x07, 0x12, 0x01, b't', 0x9a, 0x06, 0x01, b'x'];
        let mut body = Vec::new();
        put_bytes(&mut body, 1, &metadata);
        put_varint(&mut body, 6, 5);
        put_bytes(&mut body, 200, b"u");
        let mut event = Vec::new();
        put_bytes(&mut event, 70, &body);

        let moved = renumbered(&event, 300).unwrap();
        let view = EventView::parse(&moved).unwrap();
        assert_eq!(
            (view.member, view.index, view.event_type),
            (70, Some(300), "t")
        );
        let walked: Vec<_> = fields(view.body).map(|f| f.unwrap().raw.to_vec()).collect();
        assert_eq!(walked[1], [0x30, 0x05]);
        assert_eq!(walked[2], [0xc2, 0x0c, 0x01, b'u']);
        assert!(walked[0].ends_with(&[0x9a, 0x06, 0x01, b'x']));
        // Index 0 is the proto3 default: written by leaving it out.
        assert_eq!(renumbered(&moved, 7).unwrap(), event);

        // Two Metadata fields, each with an index: only the first keeps one.
        let mut body = Vec::new();
        put_bytes(&mut body, 1, &[0x08, 0x01, 0x12, 0x01, b'a']);
        put_bytes(&mut body, 1, &[0x08, 0x02]);
        let mut event = Vec::new();
        put_bytes(&mut event, 70, &body);
        let moved = renumbered(&event, 9).unwrap();
        assert_eq!(EventView::parse(&moved).unwrap().index, Some(9));
        let metadata: Vec<_> = fields(EventView::parse(&moved).unwrap().body)
            .map(|f| f.unwrap().raw.to_vec())
            .collect();
        assert_eq!(
            metadata,
            [
                vec![0x0a, 0x05, 0x08, 0x09, 0x12, 0x01, b'a'],
                vec![0x0a, 0x00]
            ]
        );
    }

    #[test]
    fn a_recording_encodes_as_the_spec_example() {
        // spec/teleport.md §1.5: mouse move, delay 1500 ms, Index 0, time
        // 2024-01-01T00:00:00Z, cluster "c".
        let metadata = events::Metadata {
            r#type: "desktop.recording".into(),
            time: Some(timestamp(1_704_067_200_000_000)),
            cluster_name: "c".into(),
            ..events::Metadata::default()
        };
        let mut out = Vec::new();
        encode_recording(&mut out, &metadata, &[3, 0, 0, 0, 10, 0, 0, 0, 20], 1500);
        let expected = [
            0xaa, 0x04, 0x2e, 0x0a, 0x1e, 0x12, 0x11, b'd', b'e', b's', b'k', b't', b'o', b'p',
            b'.', b'r', b'e', b'c', b'o', b'r', b'd', b'i', b'n', b'g', 0x2a, 0x06, 0x08, 0x80,
            0x81, 0xc8, 0xac, 0x06, 0x32, 0x01, b'c', 0x12, 0x09, 0x03, 0, 0, 0, 0x0a, 0, 0, 0,
            0x14, 0x18, 0xdc, 0x0b,
        ];
        assert_eq!(out, expected);
    }
}
