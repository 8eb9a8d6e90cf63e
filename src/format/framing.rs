//! Record framing: the one place that decides where a record starts and ends.
//!
//! A record is a 6-byte header (type, flags, body length), the body, and a
//! CRC32C of header and body. The framer checks the length against the limits
//! before waiting for or touching the body, then checks the CRC, and hands the
//! body on as a borrowed slice. It is the only code that may answer
//! "incomplete": everything inside a framed record is parsed in complete mode,
//! so a short field there is a format error with an offset.

use std::io::Write;

use nom::number::streaming::{le_u32, le_u8};
use nom::Parser;

use super::record_type::{RecordFlags, RecordType};
use super::varint;
use crate::error::{Error, ErrorClass, Result};
use crate::limits::Limits;

/// Bytes before the body: type (1), flags (1), body length (4).
pub const RECORD_HEADER_LEN: usize = 6;
/// Bytes after the body: the CRC32C.
pub const RECORD_CRC_LEN: usize = 4;
/// Size of the trailer record: header, time delta 0, index offset, CRC; a
/// reader finds it at the end of a finished file (spec 5.6).
pub const TRAILER_LEN: usize = RECORD_HEADER_LEN + 1 + 8 + RECORD_CRC_LEN;

/// A framed record whose checksum is correct but whose body is not yet parsed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawRecord<'a> {
    /// Offset of the record's first byte in the file.
    pub offset: u64,
    pub record_type: RecordType,
    pub flags: RecordFlags,
    /// The body: time delta followed by the payload.
    pub body: &'a [u8],
}

impl RawRecord<'_> {
    /// Total size of the record in the file.
    pub fn len(&self) -> usize {
        RECORD_HEADER_LEN + self.body.len() + RECORD_CRC_LEN
    }

    /// File offset of the body's first byte.
    pub fn body_offset(&self) -> u64 {
        self.offset + RECORD_HEADER_LEN as u64
    }
}

/// Whether the framer checks record CRCs (spec 4.1, step 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checksums {
    /// Check every record's CRC: the default of every reader.
    Verify,
    /// Skip the check, for a file whose integrity is already established
    /// (see [`crate::Records::skip_checksums`]).
    Skip,
}

/// What the framer found at the start of its input.
#[derive(Debug)]
pub(crate) enum Framed<'a> {
    /// A whole record with a correct checksum.
    Record(RawRecord<'a>),
    /// The input ends inside a record; at least this many more bytes are needed.
    Incomplete(usize),
}

/// Frames the record at the start of `input`, which sits at file offset
/// `offset`; checks its CRC unless `checksums` says to skip it.
#[inline]
pub(crate) fn frame<'a>(
    input: &'a [u8],
    offset: u64,
    limits: &Limits,
    checksums: Checksums,
) -> Result<Framed<'a>> {
    let (rest, (record_type, flags, body_len)) =
        match (le_u8::<_, nom::error::Error<&[u8]>>, le_u8, le_u32).parse(input) {
            Ok(parsed) => parsed,
            Err(_) => return Ok(Framed::Incomplete(RECORD_HEADER_LEN - input.len())),
        };
    if body_len > limits.max_record_len {
        return Err(Error::at(
            ErrorClass::LimitExceeded,
            offset + 2,
            format!(
                "record body of {body_len} bytes exceeds the limit of {} bytes",
                limits.max_record_len
            ),
        ));
    }
    let total = RECORD_HEADER_LEN + body_len as usize + RECORD_CRC_LEN;
    if input.len() < total {
        return Ok(Framed::Incomplete(total - input.len()));
    }
    let (body, crc_bytes) = rest[..body_len as usize + RECORD_CRC_LEN].split_at(body_len as usize);
    // Fuzzing builds skip the check, so that mutated inputs reach the parsers
    // behind it (as the png crate does).
    if checksums == Checksums::Verify && !cfg!(fuzzing) {
        let stored = u32::from_le_bytes([crc_bytes[0], crc_bytes[1], crc_bytes[2], crc_bytes[3]]);
        let computed = crc32c::crc32c(&input[..RECORD_HEADER_LEN + body_len as usize]);
        if stored != computed {
            return Err(Error::at(
                ErrorClass::ChecksumMismatch,
                offset,
                format!("record CRC32C is {stored:#010x}, computed {computed:#010x}"),
            ));
        }
    }
    Ok(Framed::Record(RawRecord {
        offset,
        record_type: RecordType(record_type),
        flags: RecordFlags(flags),
        body,
    }))
}

/// The body length of a record with time delta `delta` and a payload in
/// `parts`, checked against the record-length limit.
pub(crate) fn body_len(
    record_type: RecordType,
    delta: u64,
    parts: &[&[u8]],
    limits: &Limits,
) -> Result<usize> {
    let mut delta_bytes = [0; varint::MAX_LEN];
    let len =
        varint::encode(delta, &mut delta_bytes) + parts.iter().map(|p| p.len()).sum::<usize>();
    if len > limits.max_record_len as usize {
        return Err(Error::InvalidInput(format!(
            "a {record_type} record of {len} bytes exceeds the limit of {}",
            limits.max_record_len
        )));
    }
    Ok(len)
}

/// Writes one record to `sink`: header, time delta, the payload given in
/// `parts` (written one after the other), CRC32C. Returns the record's size.
/// Nothing is allocated; the body must fit in a record ([`body_len`]).
pub(crate) fn write_record(
    sink: &mut impl Write,
    record_type: RecordType,
    flags: RecordFlags,
    delta: u64,
    parts: &[&[u8]],
) -> std::io::Result<u64> {
    let mut delta_bytes = [0; varint::MAX_LEN];
    let delta_len = varint::encode(delta, &mut delta_bytes);
    let body_len = delta_len + parts.iter().map(|p| p.len()).sum::<usize>();
    debug_assert!(u32::try_from(body_len).is_ok());
    // Header and time delta go out as one piece with one CRC call: most
    // records are small, and per-call costs dominate their CRC.
    let mut head = [0u8; RECORD_HEADER_LEN + varint::MAX_LEN];
    head[0] = record_type.0;
    head[1] = flags.0;
    head[2..RECORD_HEADER_LEN].copy_from_slice(&(body_len as u32).to_le_bytes());
    head[RECORD_HEADER_LEN..RECORD_HEADER_LEN + delta_len]
        .copy_from_slice(&delta_bytes[..delta_len]);
    let head = &head[..RECORD_HEADER_LEN + delta_len];
    let mut crc = crc32c::crc32c(head);
    sink.write_all(head)?;
    for part in parts {
        crc = crc32c::crc32c_append(crc, part);
        sink.write_all(part)?;
    }
    sink.write_all(&crc.to_le_bytes())?;
    Ok((RECORD_HEADER_LEN + body_len + RECORD_CRC_LEN) as u64)
}
