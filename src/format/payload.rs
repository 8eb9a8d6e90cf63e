//! Record payloads that may be stored compressed (spec/format.md 6), both
//! ways.
//!
//! Uncompressed payloads are borrowed from the input and never copied.
//! Compressed ones (flag `COMPRESSED`) carry their inflated length in front of
//! a raw DEFLATE stream (a compressed frame batch, in its table's lengths),
//! so a reader can check that length against its limit before it allocates,
//! and can tell a stream that stops short or runs long. An [`Inflater`] keeps
//! the inflater's state and the output from record to record, so that a
//! reader of a compressed recording allocates only while its buffer grows.

use flate2::{Compress, Decompress, FlushCompress, FlushDecompress, Status};

use crate::error::{Error, ErrorClass, Result};

/// The payload of a frame or metadata record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// Stored as is.
    Stored(&'a [u8]),
    /// A raw DEFLATE stream (RFC 1951) that inflates to `inflated_len` bytes.
    Deflated {
        /// The number of bytes the stream inflates to.
        inflated_len: u64,
        /// The DEFLATE stream.
        data: &'a [u8],
        /// File offset of `data`, for errors.
        offset: u64,
    },
}

impl<'a> Payload<'a> {
    /// The payload's length once inflated.
    pub fn len(&self) -> u64 {
        match self {
            Payload::Stored(bytes) => bytes.len() as u64,
            Payload::Deflated { inflated_len, .. } => *inflated_len,
        }
    }

    /// True when the payload has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the payload is stored compressed.
    pub fn is_compressed(&self) -> bool {
        matches!(self, Payload::Deflated { .. })
    }

    /// The stored bytes, if the payload is not compressed: no copy.
    pub fn as_stored(&self) -> Option<&'a [u8]> {
        match self {
            Payload::Stored(bytes) => Some(bytes),
            Payload::Deflated { .. } => None,
        }
    }

    /// The payload's bytes: borrowed when stored, inflated into `scratch`
    /// (cleared first) when compressed. `scratch` can be reused across calls,
    /// so reading many compressed records allocates only while it grows.
    pub fn bytes<'s>(&self, scratch: &'s mut Vec<u8>) -> Result<&'s [u8]>
    where
        'a: 's,
    {
        self.bytes_with(scratch, &mut None)
    }

    /// The payload's bytes: borrowed when stored, inflated by `inflater`
    /// into its buffer when compressed. Reusing one [`Inflater`] for every
    /// record allocates only while its buffer grows.
    pub fn bytes_in<'s>(&self, inflater: &'s mut Inflater) -> Result<&'s [u8]>
    where
        'a: 's,
    {
        self.bytes_with(&mut inflater.bytes, &mut inflater.state)
    }

    /// The payload's bytes, inflated into `out` with `state` (made the
    /// first time it is needed) when compressed.
    fn bytes_with<'s>(
        &self,
        out: &'s mut Vec<u8>,
        state: &mut Option<Decompress>,
    ) -> Result<&'s [u8]>
    where
        'a: 's,
    {
        match *self {
            Payload::Stored(bytes) => Ok(bytes),
            Payload::Deflated {
                inflated_len,
                data,
                offset,
            } => {
                let state = state.get_or_insert_with(|| Decompress::new(false));
                inflate(data, inflated_len, offset, out, state)?;
                Ok(out)
            }
        }
    }

    /// The payload's bytes as an owned vector.
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        match self {
            Payload::Stored(bytes) => Ok(bytes.to_vec()),
            Payload::Deflated { .. } => {
                let mut out = Vec::new();
                self.bytes(&mut out)?;
                Ok(out)
            }
        }
    }
}

/// Inflates compressed payloads for a reader, record after record: the
/// output buffer and the inflater's state are kept and reused.
#[derive(Debug, Default)]
pub struct Inflater {
    bytes: Vec<u8>,
    state: Option<Decompress>,
}

/// Deflates `input` into `out` (cleared first) as one raw DEFLATE stream
/// with `deflater`, which is reset first and keeps its level. `out` grows
/// to the worst case first, so that no call runs out of room (zlib-rs
/// panics rather than return when `Finish` has no output space, and
/// incompressible input grows by up to 9 bits a byte at level 1).
pub(crate) fn deflate(deflater: &mut Compress, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
    deflater.reset();
    out.clear();
    out.reserve(input.len() + (input.len() >> 3) + 64);
    match deflater.compress_vec(input, out, FlushCompress::Finish) {
        Ok(Status::StreamEnd) => Ok(()),
        Ok(status) => Err(Error::InvalidInput(format!(
            "deflate stopped before the end of its input ({status:?})"
        ))),
        Err(e) => Err(Error::InvalidInput(format!("deflate failed: {e}"))),
    }
}

/// Inflates `data` into `out` with `inflater` (reset first), which must come
/// to exactly `inflated_len` bytes with the DEFLATE stream ending exactly at
/// the end of `data`.
fn inflate(
    data: &[u8],
    inflated_len: u64,
    offset: u64,
    out: &mut Vec<u8>,
    inflater: &mut Decompress,
) -> Result<()> {
    let malformed = |detail: String| Error::at(ErrorClass::MalformedRecord, offset, detail);
    let expected = usize::try_from(inflated_len).map_err(|_| {
        malformed(format!(
            "inflated length {inflated_len} does not fit in memory"
        ))
    })?;
    out.clear();
    // The output grows with what the stream really produces, never by the
    // announced length alone, up to one byte more than announced so that a
    // stream that runs long is seen.
    inflater.reset(false);
    loop {
        if out.len() == out.capacity() {
            let room = (expected + 1 - out.len()).min(out.capacity().max(data.len() * 4).max(4096));
            out.reserve_exact(room);
        }
        let consumed = inflater.total_in() as usize;
        let produced = out.len();
        let status = inflater
            .decompress_vec(&data[consumed..], out, FlushDecompress::Finish)
            .map_err(|e| malformed(format!("bad DEFLATE stream: {e}")))?;
        if out.len() > expected {
            return Err(malformed(format!(
                "DEFLATE stream inflates to more than the announced {expected} bytes"
            )));
        }
        let progressed = inflater.total_in() as usize != consumed || out.len() != produced;
        match status {
            Status::StreamEnd => break,
            _ if out.len() == out.capacity() => {}
            _ if !progressed || inflater.total_in() as usize == data.len() => {
                return Err(malformed(
                    "DEFLATE stream ends before its final block".to_string(),
                ))
            }
            _ => {}
        }
    }
    if inflater.total_in() as usize != data.len() {
        return Err(malformed(format!(
            "{} bytes follow the end of the DEFLATE stream",
            data.len() - inflater.total_in() as usize
        )));
    }
    if out.len() != expected {
        return Err(malformed(format!(
            "DEFLATE stream inflates to {} bytes, {expected} announced",
            out.len()
        )));
    }
    Ok(())
}
