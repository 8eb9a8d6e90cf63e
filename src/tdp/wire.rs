//! Byte-level building blocks shared by the legacy TDP decoder and encoder.
//!
//! Why it exists: every TDP message is built from the same few field kinds
//! (big-endian integers, `uint32`-length-prefixed byte strings and UTF-8
//! strings). Parsing them in one place keeps the per-message code to a list
//! of fields, keeps the "check the length against the input before taking
//! it" rule in one spot, and keeps nom's types inside this module.

use std::borrow::Cow;

use nom::bytes::complete::take;
use nom::error::{ErrorKind, ParseError};
use nom::number::complete::be_u32;
use nom::IResult;

use super::Error;

/// Why a parser stopped, and where (the unparsed rest of the input).
#[derive(Debug)]
pub(crate) struct WireError<'a> {
    rest: &'a [u8],
    reason: Option<&'static str>,
}

impl<'a> WireError<'a> {
    pub(crate) fn malformed(rest: &'a [u8], reason: &'static str) -> nom::Err<Self> {
        nom::Err::Error(WireError {
            rest,
            reason: Some(reason),
        })
    }

    /// The input ended at `rest`.
    pub(crate) fn truncated(rest: &'a [u8]) -> Self {
        WireError { rest, reason: None }
    }

    /// Our error, with the offset counted from the start of `message`.
    pub(crate) fn into_error(self, message: &[u8]) -> Error {
        let offset = message.len().saturating_sub(self.rest.len());
        match self.reason {
            Some(reason) => Error::malformed(offset, reason),
            None => Error::Truncated { offset },
        }
    }
}

impl<'a> ParseError<&'a [u8]> for WireError<'a> {
    fn from_error_kind(rest: &'a [u8], kind: ErrorKind) -> Self {
        // In complete mode, running out of input is reported as `Eof`;
        // every other kind means the bytes were there but wrong.
        let reason = match kind {
            ErrorKind::Eof | ErrorKind::Complete => None,
            ErrorKind::Tag => Some("unexpected bytes"),
            _ => Some("unexpected value"),
        };
        WireError { rest, reason }
    }

    fn append(_: &'a [u8], _: ErrorKind, other: Self) -> Self {
        other
    }
}

/// Result of one of our parsers.
pub(crate) type Parsed<'a, T> = IResult<&'a [u8], T, WireError<'a>>;

/// `| length uint32 | bytes []byte |`, borrowed.
pub(crate) fn length_prefixed_bytes(input: &[u8]) -> Parsed<'_, &[u8]> {
    let (rest, length) = be_u32(input)?;
    // `take` checks `length` against what is left before slicing; nothing is
    // allocated here.
    take(length)(rest)
}

/// Same as [`length_prefixed_bytes`], as a `Cow` for the message types.
pub(crate) fn length_prefixed_cow(input: &[u8]) -> Parsed<'_, Cow<'_, [u8]>> {
    let (rest, bytes) = length_prefixed_bytes(input)?;
    Ok((rest, Cow::Borrowed(bytes)))
}

/// `| length uint32 | utf8 []byte |`: a TDP string.
pub(crate) fn string(input: &[u8]) -> Parsed<'_, &str> {
    let (rest, bytes) = length_prefixed_bytes(input)?;
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((rest, text)),
        // Point at the length field of the bad string.
        Err(_) => Err(WireError::malformed(input, "string is not valid UTF-8")),
    }
}

/// Where encoded bytes go: a buffer, or a counter for `encoded_len`.
/// One encoder serves both, so the length can never disagree with the bytes.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);

    fn put_u8(&mut self, value: u8) {
        self.put(&[value]);
    }
    fn put_u16(&mut self, value: u16) {
        self.put(&value.to_be_bytes());
    }
    fn put_u32(&mut self, value: u32) {
        self.put(&value.to_be_bytes());
    }
    fn put_u64(&mut self, value: u64) {
        self.put(&value.to_be_bytes());
    }
    fn put_i16(&mut self, value: i16) {
        self.put(&value.to_be_bytes());
    }

    /// `| length uint32 | bytes |`; fails if `bytes` is longer than a
    /// `uint32` can say.
    fn put_length_prefixed(&mut self, bytes: &[u8], what: &'static str) -> Result<(), Error> {
        self.put_u32(length_u32(bytes.len(), what)?);
        self.put(bytes);
        Ok(())
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Counts bytes instead of storing them.
#[derive(Default)]
pub(crate) struct ByteCounter(pub(crate) usize);

impl Sink for ByteCounter {
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

/// A length as the `uint32` the wire wants.
pub(crate) fn length_u32(length: usize, what: &'static str) -> Result<u32, Error> {
    u32::try_from(length).map_err(|_| Error::LimitExceeded {
        offset: 0,
        what,
        actual: length as u64,
        limit: u64::from(u32::MAX),
    })
}
