//! Encoding: the canonical JSON form (spec/json.md) back into a recording.
//!
//! It lets the reference implementation act as an *encoder* in the
//! conformance runner, and lets anyone write a test recording by hand as
//! JSON. Every record is written as the JSON says (type, flags, time,
//! payload, compressed when flag `compressed` is set); the index and trailer
//! records, when the JSON has them, are rebuilt from the records with the
//! index's own parameters, as spec/format.md section 7.3 requires. Byte
//! offsets in the JSON are not inputs: they follow from the sizes.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use flate2::{Compress, Compression, FlushCompress, Status};
use prost::Message;

use crate::dump::{BodyJson, Canonical, EventJson, MetadataJson};
use crate::error::{Error, Result};
use crate::extensible::Extensible;
use crate::frame_batch::BatchBuilder;
use crate::framing::write_record;
use crate::header::{FileHeader, HEADER_LEN};
use crate::index::{IndexBuilder, IndexOptions, Observed};
use crate::limits::Limits;
use crate::proto::{Event, Metadata};
use crate::record_type::{RecordFlags, RecordType};
use crate::varint;

/// Writes the recording `canonical` describes.
pub fn encode(canonical: &Canonical) -> Result<Vec<u8>> {
    let bad = |what: String| Error::InvalidInput(what);
    let version_written = canonical
        .version_written
        .ok_or_else(|| bad("no version_written".into()))?;
    let version_required = canonical
        .version_required
        .ok_or_else(|| bad("no version_required".into()))?;
    let metadata = canonical
        .metadata
        .as_ref()
        .ok_or_else(|| bad("no metadata".into()))?;
    let records = canonical.records.as_deref().unwrap_or_default();
    let limits = Limits::default();
    let mut out = FileHeader {
        version_written,
        version_required,
    }
    .to_bytes()
    .to_vec();
    debug_assert_eq!(out.len(), HEADER_LEN);
    let mut index = IndexBuilder::new(
        index_options(canonical),
        metadata.screen_width,
        metadata.screen_height,
    );
    let mut clock = 0u64;
    let mut index_offset = None;
    for record in records {
        let delta = record
            .time_us
            .checked_sub(clock)
            .ok_or_else(|| bad(format!("record at {}: time goes backwards", record.offset)))?;
        let record_type = RecordType(record.code);
        let flags = RecordFlags(record.flags);
        let offset = out.len() as u64;
        // A batch's frames, time and message length, for the index.
        let mut batched = Vec::new();
        let payload: Vec<u8> = match (&record.body, record_type) {
            (BodyJson::Metadata {}, RecordType::METADATA) => encode_metadata(metadata)?,
            (BodyJson::Payload { payload }, _) => decode_base64(payload)?,
            (BodyJson::FrameBatch { frames }, RecordType::FRAME_BATCH) => {
                if frames.is_empty() {
                    return Err(bad(format!(
                        "record at {}: a batch without frames",
                        record.offset
                    )));
                }
                let mut batch = BatchBuilder::default();
                let mut previous = record.time_us;
                for (i, frame) in frames.iter().enumerate() {
                    if frame.time_us < previous || (i == 0 && frame.time_us != record.time_us) {
                        return Err(bad(format!(
                            "record at {}: frame {i} of the batch is at {} µs, out of order",
                            record.offset, frame.time_us
                        )));
                    }
                    let message = decode_base64(&frame.payload)?;
                    batched.push((frame.time_us, message.len() as u64));
                    batch.push(frame.time_us, &message);
                    previous = frame.time_us;
                }
                let mut count = [0; varint::MAX_LEN];
                batch.pieces(&mut count).concat()
            }
            (BodyJson::ScreenSize { width, height }, RecordType::SCREEN_SIZE) => {
                [width.to_le_bytes(), height.to_le_bytes()].concat()
            }
            (BodyJson::Keyframe { width, height, png }, RecordType::KEYFRAME) => [
                &width.to_le_bytes()[..],
                &height.to_le_bytes(),
                &decode_base64(png)?,
            ]
            .concat(),
            (BodyJson::Event { event }, RecordType::EVENT) => encode_event(event)?,
            (BodyJson::Index { .. }, RecordType::INDEX) => {
                index_offset = Some(offset);
                let mut bytes = Vec::new();
                index.encode(&mut bytes, &limits)?;
                bytes
            }
            (BodyJson::Trailer { .. }, RecordType::TRAILER) => index_offset
                .ok_or_else(|| bad("a trailer without an index".into()))?
                .to_le_bytes()
                .to_vec(),
            _ => {
                return Err(bad(format!(
                    "record at {}: body does not fit type {}",
                    record.offset, record.code
                )))
            }
        };
        let observed = match (&record.body, record_type) {
            (_, RecordType::METADATA | RecordType::INDEX | RecordType::TRAILER) => None,
            (_, RecordType::FRAME) => Some(Observed::Frame {
                message_len: payload.len() as u64,
            }),
            (BodyJson::FrameBatch { .. }, _) => Some(Observed::Frame {
                message_len: batched.first().map_or(0, |&(_, len)| len),
            }),
            (BodyJson::ScreenSize { width, height }, _) => Some(Observed::ScreenSize {
                width: *width,
                height: *height,
            }),
            (BodyJson::Event { event }, _) => Some(Observed::Event {
                kind: event.kind as u32,
            }),
            (_, RecordType::KEYFRAME) => Some(Observed::Keyframe),
            _ => Some(Observed::Other),
        };
        let known = record_type.name().is_some();
        let stored = if known && flags.is_compressed() {
            deflate(&payload)?
        } else {
            payload
        };
        write_record(&mut out, record_type, flags, delta, &[&stored], &limits)?;
        if let Some(observed) = observed {
            index.observe(offset, record.time_us, observed);
        }
        clock = record.time_us;
        for &(time_us, message_len) in batched.iter().skip(1) {
            index.observe_batched_frame(time_us, message_len);
            clock = time_us;
        }
    }
    Ok(out)
}

/// The index parameters of the JSON's index record, or the defaults.
fn index_options(canonical: &Canonical) -> IndexOptions {
    canonical
        .records
        .iter()
        .flatten()
        .find_map(|r| match &r.body {
            BodyJson::Index { index } => Some(IndexOptions {
                seek_interval_us: index.seek_interval_us,
                idle_threshold_us: index.idle_threshold_us,
            }),
            _ => None,
        })
        .unwrap_or_default()
}

fn decode_base64(text: &str) -> Result<Vec<u8>> {
    BASE64
        .decode(text)
        .map_err(|e| Error::InvalidInput(format!("bad base64: {e}")))
}

fn encode_metadata(m: &MetadataJson) -> Result<Vec<u8>> {
    let metadata = Extensible {
        message: Metadata {
            session_id: m.session_id.clone(),
            cluster: m.cluster.clone(),
            user: m.user.clone(),
            desktop_name: m.desktop_name.clone(),
            desktop_addr: m.desktop_addr.clone(),
            login: m.login.clone(),
            start_time_unix_us: m.start_time_unix_us,
            screen_width: m.screen_width,
            screen_height: m.screen_height,
            recorder_name: m.recorder_name.clone(),
            recorder_version: m.recorder_version.clone(),
            labels: m.labels.clone(),
            teleport_start_event: decode_base64(&m.teleport_start_event)?,
        },
        unknown_fields: decode_base64(&m.unknown_fields)?,
    };
    let mut out = Vec::with_capacity(metadata.encoded_len());
    metadata.encode(&mut out);
    Ok(out)
}

fn encode_event(e: &EventJson) -> Result<Vec<u8>> {
    let event = Extensible {
        message: Event {
            kind: e.kind,
            label: e.label.clone(),
            user: e.user.clone(),
            length: e.length,
            directory_name: e.directory_name.clone(),
            directory_id: e.directory_id,
            path: e.path.clone(),
            offset: e.offset,
            failed: e.failed,
            attributes: e.attributes.clone(),
            teleport_event: decode_base64(&e.teleport_event)?,
        },
        unknown_fields: decode_base64(&e.unknown_fields)?,
    };
    let mut out = Vec::with_capacity(event.message.encoded_len() + event.unknown_fields.len());
    event.encode(&mut out);
    Ok(out)
}

/// The compressed payload: inflated length, then a raw DEFLATE stream.
fn deflate(payload: &[u8]) -> Result<Vec<u8>> {
    let mut len = [0; varint::MAX_LEN];
    let len_len = varint::encode(payload.len() as u64, &mut len);
    let mut out = len[..len_len].to_vec();
    out.reserve(payload.len() + 64);
    let mut deflater = Compress::new(Compression::best(), false);
    loop {
        let consumed = deflater.total_in() as usize;
        match deflater.compress_vec(&payload[consumed..], &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => return Ok(out),
            Ok(_) => out.reserve(out.capacity().max(64)),
            Err(e) => return Err(Error::InvalidInput(format!("deflate failed: {e}"))),
        }
    }
}
