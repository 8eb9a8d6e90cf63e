//! Typed records: what a framed record's body means, by type, both ways
//! (spec/format.md 5).
//!
//! Bodies are parsed in complete mode over the slice the framer carved, so a
//! lying inner length can never reach past its record, and every fault is a
//! `malformed_record` with the offset of the byte that broke the layout.
//! Payloads stay borrowed from the input. The same [`RecordBody`] is what
//! writers hand to the record-writing layer, which asks it for its bytes
//! ([`RecordBody::pieces`]).

use nom::combinator::{eof, rest};
use nom::number::complete::{le_u32, le_u64};
use nom::Parser;

use super::frame_batch::FrameBatch;
use super::framing::{RawRecord, RECORD_CRC_LEN};
use super::index::IndexView;
use super::payload::Payload;
use super::record_type::{RecordFlags, RecordType};
use super::varint;
use crate::error::{Error, ErrorClass, Result};
use crate::limits::Limits;
use crate::proto::{Event, Extensible, Metadata};

/// The eight bytes every PNG image starts with.
pub const PNG_SIGNATURE: [u8; 8] = *b"\x89PNG\r\n\x1a\n";

/// One record of a recording, borrowing its payload from the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// Offset of the record's first byte in the file.
    pub offset: u64,
    /// Absolute time in microseconds since the session start.
    pub time_us: u64,
    /// The record type code.
    pub record_type: RecordType,
    /// The flags byte.
    pub flags: RecordFlags,
    /// The body after the time delta, exactly as stored.
    pub raw_payload: &'a [u8],
    /// File offset of `raw_payload`.
    pub payload_offset: u64,
    /// What the payload means.
    pub body: RecordBody<'a>,
}

impl<'a> Record<'a> {
    /// The decoded metadata of a metadata record (with the fields this
    /// version does not know); `None` for other records.
    pub fn metadata(&self) -> Result<Option<Extensible<Metadata>>> {
        match &self.body {
            RecordBody::Metadata(payload) => decode_metadata(payload, self.offset).map(Some),
            _ => Ok(None),
        }
    }

    /// The decoded `tdpr.v1.Event` of an event record (with the fields this
    /// version does not know); `None` for other records.
    pub fn event(&self) -> Result<Option<Extensible<Event>>> {
        match &self.body {
            RecordBody::Event(bytes) => decode_event(bytes, self.offset).map(Some),
            _ => Ok(None),
        }
    }

    /// File offset just past the record's last byte (its CRC's).
    pub fn end_offset(&self) -> u64 {
        self.payload_offset + self.raw_payload.len() as u64 + RECORD_CRC_LEN as u64
    }

    /// An owned copy, for a record that must outlive its input.
    pub fn to_owned_record(&self) -> OwnedRecord {
        OwnedRecord {
            offset: self.offset,
            time_us: self.time_us,
            record_type: self.record_type,
            flags: self.flags,
            payload: self.raw_payload.to_vec(),
            payload_offset: self.payload_offset,
        }
    }
}

/// A record that owns its payload (see [`Record::to_owned_record`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedRecord {
    /// Offset of the record's first byte in the file it came from.
    pub offset: u64,
    /// Absolute time in microseconds since the session start.
    pub time_us: u64,
    /// The record type code.
    pub record_type: RecordType,
    /// The flags byte.
    pub flags: RecordFlags,
    /// The body after the time delta, exactly as stored.
    pub payload: Vec<u8>,
    /// File offset the payload had.
    pub payload_offset: u64,
}

impl OwnedRecord {
    /// File offset just past the record's last byte (its CRC's).
    pub fn end_offset(&self) -> u64 {
        self.payload_offset + self.payload.len() as u64 + RECORD_CRC_LEN as u64
    }

    /// The record, borrowing from this owned copy. Fails only when the
    /// payload was changed into one its type does not allow.
    pub fn as_record(&self, limits: &Limits) -> Result<Record<'_>> {
        Ok(Record {
            offset: self.offset,
            time_us: self.time_us,
            record_type: self.record_type,
            flags: self.flags,
            raw_payload: &self.payload,
            payload_offset: self.payload_offset,
            body: parse_payload_of(
                self.record_type,
                self.flags,
                &self.payload,
                self.payload_offset,
                limits,
            )?,
        })
    }
}

/// The meaning of a record's payload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RecordBody<'a> {
    /// Protobuf `tdpr.v1.Metadata`.
    Metadata(Payload<'a>),
    /// One TDP message.
    Frame(Payload<'a>),
    /// Consecutive TDP messages with their times, stored or compressed as
    /// one block ([`Record::frames`] lists them, whichever record holds
    /// them).
    FrameBatch(FrameBatch<'a>),
    /// The screen size from this time on.
    ScreenSize {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// Protobuf `tdpr.v1.Event`.
    Event(&'a [u8]),
    /// A full-screen image to start rendering from.
    Keyframe {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// A whole PNG image.
        png: &'a [u8],
    },
    /// The index.
    Index(IndexView<'a>),
    /// Where the index record starts.
    Trailer {
        /// File offset of the index record.
        index_offset: u64,
    },
    /// A signing record (checkpoint or excerpt proof, spec/format.md 5.10),
    /// with its payload as stored: the container does not interpret it;
    /// spec/signing.md does.
    Signing(&'a [u8]),
    /// An ancillary record of a type this version does not know, with its
    /// payload as stored.
    Unknown(&'a [u8]),
}

impl<'a> RecordBody<'a> {
    /// The payload's bytes as a record stores them, in up to three pieces to
    /// be written one after the other (the others empty). Fixed-size fields
    /// and lengths are encoded into `scratch`; nothing is allocated.
    pub(crate) fn pieces<'s>(&'s self, scratch: &'s mut [u8; varint::MAX_LEN]) -> [&'s [u8]; 3]
    where
        'a: 's,
    {
        match self {
            RecordBody::Metadata(payload) | RecordBody::Frame(payload) => match payload {
                Payload::Stored(bytes) => [bytes, &[], &[]],
                Payload::Deflated {
                    inflated_len, data, ..
                } => {
                    let len = varint::encode(*inflated_len, scratch);
                    [&scratch[..len], data, &[]]
                }
            },
            RecordBody::FrameBatch(batch) => {
                let (table, messages) = batch.parts();
                let len = varint::encode(batch.len(), scratch);
                [&scratch[..len], table, messages]
            }
            RecordBody::ScreenSize { width, height } => {
                scratch[..4].copy_from_slice(&width.to_le_bytes());
                scratch[4..8].copy_from_slice(&height.to_le_bytes());
                [&scratch[..8], &[], &[]]
            }
            RecordBody::Keyframe { width, height, png } => {
                scratch[..4].copy_from_slice(&width.to_le_bytes());
                scratch[4..8].copy_from_slice(&height.to_le_bytes());
                [&scratch[..8], png, &[]]
            }
            RecordBody::Event(bytes) | RecordBody::Signing(bytes) | RecordBody::Unknown(bytes) => {
                [bytes, &[], &[]]
            }
            RecordBody::Index(index) => [index.payload(), &[], &[]],
            RecordBody::Trailer { index_offset } => {
                scratch[..8].copy_from_slice(&index_offset.to_le_bytes());
                [&scratch[..8], &[], &[]]
            }
        }
    }
}

/// Decodes a metadata payload found in the record at `offset`.
pub(crate) fn decode_metadata(payload: &Payload<'_>, offset: u64) -> Result<Extensible<Metadata>> {
    let mut scratch = Vec::new();
    let bytes = payload.bytes(&mut scratch)?;
    Extensible::decode(bytes).map_err(|e| {
        Error::at(
            ErrorClass::MalformedRecord,
            offset,
            format!("metadata is not a valid tdpr.v1.Metadata message: {e}"),
        )
    })
}

/// Decodes an event payload found in the record at `offset`.
pub(crate) fn decode_event(bytes: &[u8], offset: u64) -> Result<Extensible<Event>> {
    Extensible::decode(bytes).map_err(|e| {
        Error::at(
            ErrorClass::MalformedRecord,
            offset,
            format!("event is not a valid tdpr.v1.Event message: {e}"),
        )
    })
}

/// A record body split into its time delta and typed payload.
pub(crate) struct ParsedBody<'a> {
    pub delta: u64,
    pub body: RecordBody<'a>,
    pub payload: &'a [u8],
    pub payload_offset: u64,
}

/// Parses the body of a framed record: its time delta and typed payload.
/// Fails on unknown critical types and on flags the type does not allow
/// (the flags of signing records are not the container's to judge).
#[inline]
pub(crate) fn parse_body<'a>(raw: &RawRecord<'a>, limits: &Limits) -> Result<ParsedBody<'a>> {
    let known = raw.record_type.name().is_some() && !raw.record_type.is_signing();
    if raw.record_type.name().is_none() && !raw.record_type.is_ancillary() {
        return Err(Error::at(
            ErrorClass::UnknownCriticalRecord,
            raw.offset,
            format!(
                "critical record type {:#04x} is not known to this reader",
                raw.record_type.0
            ),
        ));
    }
    if known
        && (raw.flags.unknown_bits() != 0
            || (raw.flags.is_compressed() && !raw.record_type.may_be_compressed()))
    {
        return Err(Error::at(
            ErrorClass::UnknownFlags,
            raw.offset + 1,
            format!(
                "flags {:#04x} are not defined for {} records",
                raw.flags.0, raw.record_type
            ),
        ));
    }
    let body_offset = raw.body_offset();
    let (payload, delta) = varint::parse(raw.body).map_err(|_| {
        Error::at(
            ErrorClass::MalformedRecord,
            body_offset,
            "bad time delta (ULEB128)",
        )
    })?;
    let payload_offset = body_offset + (raw.body.len() - payload.len()) as u64;
    let body = parse_payload_of(raw.record_type, raw.flags, payload, payload_offset, limits)?;
    Ok(ParsedBody {
        delta,
        body,
        payload,
        payload_offset,
    })
}

/// Parses the payload of a record of `record_type` found at file offset
/// `payload_offset`; the type and flags are already checked.
#[inline]
fn parse_payload_of<'a>(
    record_type: RecordType,
    flags: RecordFlags,
    payload: &'a [u8],
    payload_offset: u64,
    limits: &Limits,
) -> Result<RecordBody<'a>> {
    let malformed = |at: &[u8], what: &str| {
        Error::at(
            ErrorClass::MalformedRecord,
            payload_offset + (payload.len() - at.len()) as u64,
            format!("{record_type} record: {what}"),
        )
    };
    let body = match record_type {
        RecordType::METADATA | RecordType::FRAME => {
            let value = parse_payload(payload, flags, payload_offset, limits, record_type)?;
            if record_type == RecordType::METADATA {
                RecordBody::Metadata(value)
            } else if value.is_empty() {
                return Err(malformed(payload, "a frame holds at least one byte"));
            } else {
                RecordBody::Frame(value)
            }
        }
        RecordType::SCREEN_SIZE => {
            let (_, (width, height, _)) =
                (le_u32, le_u32, eof).parse_complete(payload).map_err(|e| {
                    malformed(
                        nom_position(e, payload),
                        "expected width and height (u32 each)",
                    )
                })?;
            RecordBody::ScreenSize { width, height }
        }
        RecordType::FRAME_BATCH => RecordBody::FrameBatch(FrameBatch::parse(
            payload,
            payload_offset,
            flags.is_compressed().then_some(limits.max_inflated_len),
        )?),
        RecordType::EVENT => RecordBody::Event(payload),
        RecordType::KEYFRAME => {
            let (_, (width, height, png)) = (le_u32, le_u32, rest)
                .parse_complete(payload)
                .map_err(|e| {
                    malformed(
                        nom_position(e, payload),
                        "expected width and height (u32 each)",
                    )
                })?;
            if !png.starts_with(&PNG_SIGNATURE) {
                return Err(malformed(png, "the image is not a PNG"));
            }
            RecordBody::Keyframe { width, height, png }
        }
        RecordType::INDEX => RecordBody::Index(IndexView::parse(payload, payload_offset, limits)?),
        RecordType::TRAILER => {
            let (_, (index_offset, _)) = (le_u64, eof).parse_complete(payload).map_err(|e| {
                malformed(nom_position(e, payload), "expected the index offset (u64)")
            })?;
            RecordBody::Trailer { index_offset }
        }
        _ if record_type.is_signing() && record_type.name().is_some() => {
            RecordBody::Signing(payload)
        }
        _ => RecordBody::Unknown(payload),
    };
    Ok(body)
}

/// Splits a metadata or frame payload into stored or compressed form.
fn parse_payload<'a>(
    payload: &'a [u8],
    flags: RecordFlags,
    offset: u64,
    limits: &Limits,
    record_type: RecordType,
) -> Result<Payload<'a>> {
    let limit = if record_type == RecordType::METADATA {
        u64::from(limits.max_metadata_len)
    } else {
        limits.max_inflated_len
    };
    if !flags.is_compressed() {
        if payload.len() as u64 > limit {
            return Err(Error::at(
                ErrorClass::LimitExceeded,
                offset,
                format!(
                    "{record_type} payload of {} bytes exceeds the limit of {limit}",
                    payload.len()
                ),
            ));
        }
        return Ok(Payload::Stored(payload));
    }
    let (data, inflated_len) = varint::parse(payload).map_err(|_| {
        Error::at(
            ErrorClass::MalformedRecord,
            offset,
            "bad inflated length (ULEB128)",
        )
    })?;
    if inflated_len > limit {
        return Err(Error::at(
            ErrorClass::LimitExceeded,
            offset,
            format!(
                "{record_type} payload inflates to {inflated_len} bytes, over the limit of {limit}"
            ),
        ));
    }
    Ok(Payload::Deflated {
        inflated_len,
        data,
        offset: offset + (payload.len() - data.len()) as u64,
    })
}

/// The remaining input at which a nom parser stopped.
fn nom_position<'a>(err: nom::Err<nom::error::Error<&'a [u8]>>, whole: &'a [u8]) -> &'a [u8] {
    match err {
        nom::Err::Error(e) | nom::Err::Failure(e) => e.input,
        nom::Err::Incomplete(_) => &whole[whole.len()..],
    }
}
