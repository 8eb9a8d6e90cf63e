//! The canonical JSON form of a recording (spec/json.md): the types, and
//! each record's JSON both ways.
//!
//! Golden fixtures store the expected form beside each recording, and other
//! implementations print it to prove they read a file as this one does;
//! `spec/schema/canonical.json` is its JSON Schema, generated from these
//! types (feature `schema`). Payloads are base64 (standard alphabet, padded)
//! after decompression; 64-bit integers are JSON numbers to be read as exact
//! 64-bit integers.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use flate2::Compress;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorClass, Result};
use crate::format::{
    decode_event, deflate, BatchBuilder, DirectoryPolicy, EventKind, IndexOptions, IndexView,
    Payload, Record, RecordBody, RecordFlags, RecordType,
};
use crate::proto::{Event, Extensible, Metadata};

/// The canonical JSON form of a recording (spec/json.md); a key that does not apply is absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Canonical {
    /// The header's `version_written`, when the header passes its checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "u16"))]
    pub version_written: Option<u16>,
    /// The header's `version_required`, when the header passes its checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "u16"))]
    pub version_required: Option<u16>,
    /// The decoded metadata, when the metadata record passes every check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "MetadataJson"))]
    pub metadata: Option<MetadataJson>,
    /// The records an iterator returns before its first fault or the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<RecordJson>"))]
    pub records: Option<Vec<RecordJson>>,
    /// The validator's verdict.
    pub end: EndJson,
}

/// How a recording ends, as a validator says (`end`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum EndJson {
    /// The recording is valid.
    Finished,
    /// The input ends at a record boundary without a trailer.
    Unfinished {
        /// Where the next record would start.
        offset: u64,
    },
    /// The first fault.
    Error {
        /// Its class name (spec/format.md, section 13).
        class: String,
        /// Its byte offset, or null for classes without one.
        offset: Option<u64>,
    },
}

/// One record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordJson {
    /// Offset of the record.
    pub offset: u64,
    /// Time of the record, microseconds since the session start.
    pub time_us: u64,
    /// The type's name, or `unknown(0xNN)`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The type byte.
    pub code: u8,
    /// The flags byte.
    pub flags: u8,
    /// What the payload holds, by type.
    #[serde(flatten)]
    pub body: BodyJson,
}

/// One frame of a frame batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FrameJson {
    /// The frame's time, microseconds since the session start.
    pub time_us: u64,
    /// The TDP message, base64.
    pub payload: String,
}

/// The payload of a record, by type (the metadata's is the top-level
/// `metadata`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum BodyJson {
    /// A frame's TDP message, or an unknown ancillary record's stored payload.
    Payload {
        /// Base64.
        payload: String,
    },
    /// A frame batch.
    FrameBatch {
        /// Its frames, in order.
        frames: Vec<FrameJson>,
    },
    /// A keyframe.
    Keyframe {
        /// Pixels.
        width: u32,
        /// Pixels.
        height: u32,
        /// The PNG image, base64.
        png: String,
    },
    /// A screen size.
    ScreenSize {
        /// Pixels.
        width: u32,
        /// Pixels.
        height: u32,
    },
    /// An event.
    Event {
        /// The decoded event.
        event: EventJson,
    },
    /// The index.
    Index {
        /// The decoded index.
        index: IndexJson,
    },
    /// A trailer.
    Trailer {
        /// Offset of the index record.
        index_offset: u64,
    },
    /// The metadata record, whose content is the top-level `metadata`.
    Metadata {},
}

/// `tdpr.v1.Metadata` with its unknown fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct MetadataJson {
    pub session_id: String,
    pub cluster: String,
    pub user: String,
    pub desktop_name: String,
    pub desktop_addr: String,
    pub login: String,
    pub start_time_unix_us: i64,
    pub screen_width: u32,
    pub screen_height: u32,
    pub recorder_name: String,
    pub recorder_version: String,
    pub labels: BTreeMap<String, String>,
    /// The Teleport session start event it was imported from, base64.
    pub teleport_start_event: String,
    /// Wire bytes of the fields the message does not define, base64.
    pub unknown_fields: String,
}

/// `tdpr.v1.Event` with its unknown fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EventJson {
    /// The `EventKind` value.
    pub kind: i32,
    /// The kind's name without `EVENT_KIND_`, lower case; null when unknown.
    pub kind_name: Option<String>,
    pub label: String,
    pub user: String,
    pub length: u64,
    pub directory_name: String,
    pub directory_id: u32,
    pub path: String,
    pub offset: u64,
    pub failed: bool,
    pub attributes: BTreeMap<String, String>,
    /// The Teleport audit event it was imported from, base64.
    pub teleport_event: String,
    /// Wire bytes of the fields the message does not define, base64.
    pub unknown_fields: String,
}

/// The index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct IndexJson {
    pub duration_us: u64,
    pub record_count: u64,
    pub frame_count: u64,
    pub frame_bytes: u64,
    pub seek_interval_us: u64,
    pub idle_threshold_us: u64,
    pub seek: Vec<SeekJson>,
    pub events: Vec<EventEntryJson>,
    pub idle: Vec<IdleJson>,
    /// Present when the index has a directory (format.md 7.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "DirectoryJson"))]
    pub directory: Option<DirectoryJson>,
}

/// The directory of an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct DirectoryJson {
    pub sample_interval: u32,
    pub samples: Vec<SampleJson>,
}

/// A sample of the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SampleJson {
    pub time_us: u64,
    pub offset: u64,
    pub entry: u32,
    pub keyframe: bool,
}

/// A seek entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SeekJson {
    pub time_us: u64,
    pub offset: u64,
    pub width: u32,
    pub height: u32,
    pub keyframe: bool,
    /// Null for 0xFFFFFFFF.
    pub keyframe_entry: Option<u32>,
}

/// An event entry of the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct EventEntryJson {
    pub time_us: u64,
    pub offset: u64,
    pub kind: u32,
}

/// An idle span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct IdleJson {
    pub start_us: u64,
    pub end_us: u64,
}

impl EndJson {
    /// The verdict of a validation that ended with `result`.
    pub fn of<T>(result: &Result<T>) -> Self {
        match result {
            Ok(_) => EndJson::Finished,
            Err(e) => match (e.class(), e.offset()) {
                (ErrorClass::Unfinished, Some(offset)) => EndJson::Unfinished { offset },
                (class, offset) => EndJson::Error {
                    class: class.as_str().to_string(),
                    offset,
                },
            },
        }
    }
}

impl RecordJson {
    /// The JSON of `record`, whose frame message (for a frame record) or
    /// messages back to back (for a frame batch) are `inflated` when the
    /// caller has inflated them already; a metadata record's content is the
    /// top-level `metadata`.
    pub fn of(record: &Record<'_>, inflated: Option<&[u8]>) -> Result<RecordJson> {
        let mut scratch = Vec::new();
        let body = match &record.body {
            RecordBody::Metadata(_) => BodyJson::Metadata {},
            RecordBody::Frame(payload) => {
                let message = match inflated {
                    Some(message) => message,
                    None => payload.bytes(&mut scratch)?,
                };
                BodyJson::Payload {
                    payload: BASE64.encode(message),
                }
            }
            RecordBody::FrameBatch(batch) => BodyJson::FrameBatch {
                frames: batch
                    .frames(
                        record.time_us,
                        match inflated {
                            Some(messages) => messages,
                            None => batch.messages().bytes(&mut scratch)?,
                        },
                    )
                    .map(|frame| FrameJson {
                        time_us: frame.time_us,
                        payload: BASE64.encode(frame.message),
                    })
                    .collect(),
            },
            RecordBody::ScreenSize { width, height } => BodyJson::ScreenSize {
                width: *width,
                height: *height,
            },
            RecordBody::Event(bytes) => BodyJson::Event {
                event: EventJson::of(&decode_event(bytes, record.offset)?),
            },
            RecordBody::Keyframe { width, height, png } => BodyJson::Keyframe {
                width: *width,
                height: *height,
                png: BASE64.encode(png),
            },
            RecordBody::Index(index) => BodyJson::Index {
                index: IndexJson::of(index),
            },
            RecordBody::Trailer { index_offset } => BodyJson::Trailer {
                index_offset: *index_offset,
            },
            RecordBody::Signing(payload) | RecordBody::Unknown(payload) => BodyJson::Payload {
                payload: BASE64.encode(payload),
            },
        };
        Ok(RecordJson {
            offset: record.offset,
            time_us: record.time_us,
            type_name: record.record_type.to_string(),
            code: record.record_type.0,
            flags: record.flags.0,
            body,
        })
    }

    /// The record's body with its payload bytes in `bytes`, compressed with
    /// `deflater` when its flags say so: what an encoder writes. The
    /// metadata, index and trailer records are written by the encoder
    /// itself and are not bodies here.
    pub(crate) fn body<'b>(
        &self,
        buffers: &'b mut BodyBuffers,
        deflater: &mut Compress,
    ) -> Result<RecordBody<'b>> {
        let bytes = &mut buffers.bytes;
        let record_type = RecordType(self.code);
        let compressed = RecordFlags(self.flags).is_compressed();
        let mismatch = || {
            Error::InvalidInput(format!(
                "record at {}: body does not fit type {}",
                self.offset, self.code
            ))
        };
        bytes.clear();
        Ok(match (&self.body, record_type) {
            (BodyJson::Payload { payload }, RecordType::FRAME) if compressed => {
                let message = decode_base64(payload)?;
                deflate(deflater, &message, bytes)?;
                RecordBody::Frame(Payload::Deflated {
                    inflated_len: message.len() as u64,
                    data: bytes,
                    offset: 0,
                })
            }
            (BodyJson::Payload { payload }, RecordType::FRAME) => {
                decode_base64_into(payload, bytes)?;
                RecordBody::Frame(Payload::Stored(bytes))
            }
            (BodyJson::Payload { payload }, _) if record_type.is_signing() => {
                decode_base64_into(payload, bytes)?;
                if record_type.name().is_some() {
                    RecordBody::Signing(bytes)
                } else {
                    RecordBody::Unknown(bytes)
                }
            }
            (BodyJson::Payload { payload }, _) if record_type.name().is_none() => {
                decode_base64_into(payload, bytes)?;
                RecordBody::Unknown(bytes)
            }
            (BodyJson::FrameBatch { frames }, RecordType::FRAME_BATCH) => {
                let (first, rest) = frames.split_first().ok_or_else(|| {
                    Error::InvalidInput(format!(
                        "record at {}: a batch without frames",
                        self.offset
                    ))
                })?;
                let batch = &mut buffers.batch;
                batch.clear();
                let mut previous = self.time_us;
                for (i, frame) in std::iter::once(first).chain(rest).enumerate() {
                    if frame.time_us < previous || (i == 0 && frame.time_us != self.time_us) {
                        return Err(Error::InvalidInput(format!(
                            "record at {}: frame {i} of the batch is at {} µs, out of order",
                            self.offset, frame.time_us
                        )));
                    }
                    batch.push(frame.time_us, &decode_base64(&frame.payload)?);
                    previous = frame.time_us;
                }
                if compressed {
                    deflate(deflater, batch.messages(), bytes)?;
                    RecordBody::FrameBatch(batch.as_compressed_batch(bytes))
                } else {
                    RecordBody::FrameBatch(batch.as_batch())
                }
            }
            (BodyJson::ScreenSize { width, height }, RecordType::SCREEN_SIZE) => {
                RecordBody::ScreenSize {
                    width: *width,
                    height: *height,
                }
            }
            (BodyJson::Keyframe { width, height, png }, RecordType::KEYFRAME) => {
                decode_base64_into(png, bytes)?;
                RecordBody::Keyframe {
                    width: *width,
                    height: *height,
                    png: bytes,
                }
            }
            (BodyJson::Event { event }, RecordType::EVENT) => {
                event.to_event()?.encode(bytes);
                RecordBody::Event(bytes)
            }
            _ => return Err(mismatch()),
        })
    }
}

/// Buffers a record body borrows from while an encoder writes it, reused
/// from record to record.
#[derive(Debug, Default)]
pub(crate) struct BodyBuffers {
    bytes: Vec<u8>,
    batch: BatchBuilder,
}

impl MetadataJson {
    /// The JSON of decoded metadata.
    pub fn of(metadata: &Extensible<Metadata>) -> MetadataJson {
        let m = metadata.message.clone();
        MetadataJson {
            session_id: m.session_id,
            cluster: m.cluster,
            user: m.user,
            desktop_name: m.desktop_name,
            desktop_addr: m.desktop_addr,
            login: m.login,
            start_time_unix_us: m.start_time_unix_us,
            screen_width: m.screen_width,
            screen_height: m.screen_height,
            recorder_name: m.recorder_name,
            recorder_version: m.recorder_version,
            labels: m.labels,
            teleport_start_event: BASE64.encode(&m.teleport_start_event),
            unknown_fields: BASE64.encode(&metadata.unknown_fields),
        }
    }

    /// The metadata this JSON describes.
    pub fn to_metadata(&self) -> Result<Extensible<Metadata>> {
        Ok(Extensible {
            message: Metadata {
                session_id: self.session_id.clone(),
                cluster: self.cluster.clone(),
                user: self.user.clone(),
                desktop_name: self.desktop_name.clone(),
                desktop_addr: self.desktop_addr.clone(),
                login: self.login.clone(),
                start_time_unix_us: self.start_time_unix_us,
                screen_width: self.screen_width,
                screen_height: self.screen_height,
                recorder_name: self.recorder_name.clone(),
                recorder_version: self.recorder_version.clone(),
                labels: self.labels.clone(),
                teleport_start_event: decode_base64(&self.teleport_start_event)?,
            },
            unknown_fields: decode_base64(&self.unknown_fields)?,
        })
    }
}

impl EventJson {
    /// The JSON of a decoded event.
    pub fn of(event: &Extensible<Event>) -> EventJson {
        let e = event.message.clone();
        EventJson {
            kind: e.kind,
            kind_name: EventKind(e.kind).name(),
            label: e.label,
            user: e.user,
            length: e.length,
            directory_name: e.directory_name,
            directory_id: e.directory_id,
            path: e.path,
            offset: e.offset,
            failed: e.failed,
            attributes: e.attributes,
            teleport_event: BASE64.encode(&e.teleport_event),
            unknown_fields: BASE64.encode(&event.unknown_fields),
        }
    }

    /// The event this JSON describes.
    pub fn to_event(&self) -> Result<Extensible<Event>> {
        Ok(Extensible {
            message: Event {
                kind: self.kind,
                label: self.label.clone(),
                user: self.user.clone(),
                length: self.length,
                directory_name: self.directory_name.clone(),
                directory_id: self.directory_id,
                path: self.path.clone(),
                offset: self.offset,
                failed: self.failed,
                attributes: self.attributes.clone(),
                teleport_event: decode_base64(&self.teleport_event)?,
            },
            unknown_fields: decode_base64(&self.unknown_fields)?,
        })
    }
}

impl IndexJson {
    /// The JSON of an index.
    pub fn of(index: &IndexView<'_>) -> IndexJson {
        IndexJson {
            duration_us: index.duration_us,
            record_count: index.record_count,
            frame_count: index.frame_count,
            frame_bytes: index.frame_bytes,
            seek_interval_us: index.options.seek_interval_us,
            idle_threshold_us: index.options.idle_threshold_us,
            seek: index
                .seek_entries()
                .map(|e| SeekJson {
                    time_us: e.time_us,
                    offset: e.offset,
                    width: e.width,
                    height: e.height,
                    keyframe: e.is_keyframe,
                    keyframe_entry: e.keyframe_entry,
                })
                .collect(),
            events: index
                .events()
                .map(|e| EventEntryJson {
                    time_us: e.time_us,
                    offset: e.offset,
                    kind: e.kind.0 as u32,
                })
                .collect(),
            idle: index
                .idle_spans()
                .map(|s| IdleJson {
                    start_us: s.start_us,
                    end_us: s.end_us,
                })
                .collect(),
            directory: index.directory().map(|directory| DirectoryJson {
                sample_interval: directory.sample_interval,
                samples: directory
                    .samples
                    .iter()
                    .map(|s| SampleJson {
                        time_us: s.time_us,
                        offset: s.offset,
                        entry: s.entry,
                        keyframe: s.is_keyframe,
                    })
                    .collect(),
            }),
        }
    }

    /// The index parameters it names.
    pub fn options(&self) -> IndexOptions {
        IndexOptions {
            seek_interval_us: self.seek_interval_us,
            idle_threshold_us: self.idle_threshold_us,
            directory: match &self.directory {
                Some(directory) => DirectoryPolicy::Always(directory.sample_interval),
                None => DirectoryPolicy::Never,
            },
        }
    }
}

fn decode_base64(text: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    decode_base64_into(text, &mut bytes)?;
    Ok(bytes)
}

fn decode_base64_into(text: &str, out: &mut Vec<u8>) -> Result<()> {
    BASE64
        .decode_vec(text, out)
        .map_err(|e| Error::InvalidInput(format!("bad base64: {e}")))
}
