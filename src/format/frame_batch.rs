//! Frame batches: consecutive TDP messages sharing one record (spec 5.8).
//!
//! One record a message costs 10 bytes of framing, a time delta and a CRC
//! call on a short buffer, which for a 9-byte pointer move is more than the
//! message itself. A batch carries a table of lengths and time deltas, then
//! the messages back to back, under one header and one CRC. The table is
//! walked once when the record is parsed, so every later walk over it (the
//! frames, the clock, the index) is over a table already known to be sound.
//! The messages are handed out in place, never copied, unless the batch is
//! compressed: then they are one DEFLATE block, inflated whole when they are
//! read, while the table stays stored, so times, lengths and the index never
//! need the block inflated.

use super::payload::Payload;
use super::varint;
use crate::error::{Error, ErrorClass, Result};

/// The layout of a frame batch's payload, checked and borrowed from the
/// input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameBatch<'a> {
    count: u64,
    /// `length[0]`, then a `delta` and a `length` for every later frame.
    table: &'a [u8],
    /// File offset of `table`.
    table_offset: u64,
    /// The messages, back to back: stored, or one DEFLATE stream that
    /// inflates to the sum of the lengths.
    messages: Payload<'a>,
    /// Sum of the deltas: the last frame's time minus the first's, or
    /// `u64::MAX` when that sum does not fit.
    span_us: u64,
}

impl<'a> FrameBatch<'a> {
    /// Checks the layout of a batch payload found at file offset `offset`:
    /// a non-zero count, a sound table of non-zero lengths, and lengths that
    /// add up to exactly the bytes after the table, or, when `compressed`,
    /// to at most `max_inflated_len` (the stream itself is checked when it
    /// is inflated).
    #[inline]
    pub(crate) fn parse(payload: &'a [u8], offset: u64, compressed: Option<u64>) -> Result<Self> {
        let walked = walk(payload, compressed).map_err(|fault| fault.error(payload, offset))?;
        let (count_len, table_end) = (walked.count_len, walked.table_end);
        let after_table = &payload[table_end..];
        let messages_offset = offset + table_end as u64;
        Ok(FrameBatch {
            count: walked.count,
            table: &payload[count_len..table_end],
            table_offset: offset + count_len as u64,
            messages: match compressed {
                None => Payload::Stored(after_table),
                Some(_) => Payload::Deflated {
                    inflated_len: walked.total,
                    data: after_table,
                    offset: messages_offset,
                },
            },
            span_us: walked.span_us,
        })
    }

    /// The number of frames, at least 1.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// Always false: a batch holds at least one frame.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The last frame's time minus the first's (saturating at `u64::MAX`).
    pub fn span_us(&self) -> u64 {
        self.span_us
    }

    /// All the messages, back to back: stored, or compressed as one block
    /// ([`Payload::bytes`] inflates it; its length is the sum of the
    /// lengths either way).
    pub fn messages(&self) -> Payload<'a> {
        self.messages
    }

    /// True when the messages are stored as one compressed block.
    pub fn is_compressed(&self) -> bool {
        self.messages.is_compressed()
    }

    /// The table and what follows it (the messages, or their DEFLATE
    /// stream), as a record stores them after the count.
    pub(crate) fn parts(&self) -> (&'a [u8], &'a [u8]) {
        let after_table = match self.messages {
            Payload::Stored(bytes) => bytes,
            Payload::Deflated { data, .. } => data,
        };
        (self.table, after_table)
    }

    /// Each frame's time and message length, the first at `first_time_us`
    /// (the record's time): the table alone, nothing inflated.
    #[inline]
    pub fn entries(&self, first_time_us: u64) -> BatchEntries<'a> {
        BatchEntries {
            table: self.table,
            time_us: first_time_us,
            first: true,
        }
    }

    /// The frames, the first at `first_time_us` (the record's time), with
    /// their messages cut from `messages`: what [`FrameBatch::messages`]
    /// holds, inflated when it is compressed. A frame of a stored batch is
    /// located at its message's first byte; one of a compressed batch, which
    /// has no offset of its own, at the block's (spec 5.8).
    #[inline]
    pub fn frames<'m>(&self, first_time_us: u64, messages: &'m [u8]) -> BatchFrames<'m>
    where
        'a: 'm,
    {
        let (offset, advance) = match self.messages {
            Payload::Stored(_) => (self.messages_offset(), true),
            Payload::Deflated { offset, .. } => (offset, false),
        };
        BatchFrames {
            entries: self.entries(first_time_us),
            messages,
            offset,
            advance,
        }
    }

    /// File offset of the first byte after the table.
    fn messages_offset(&self) -> u64 {
        self.table_offset + self.table.len() as u64
    }

    /// The offset of the `delta` at which the frames' times, the first at
    /// `first_time_us`, first exceed `max_us`; `None` when none does.
    pub(crate) fn first_time_over(&self, first_time_us: u64, max_us: u64) -> Option<u64> {
        let mut rest = self.table;
        let mut time = first_time_us;
        (rest, _) = varint::parse(rest).ok()?;
        for _ in 1..self.count {
            let delta_at = self.table_offset + (self.table.len() - rest.len()) as u64;
            let (after_delta, delta) = varint::parse(rest).ok()?;
            match time.checked_add(delta) {
                Some(t) if t <= max_us => time = t,
                _ => return Some(delta_at),
            }
            (rest, _) = varint::parse(after_delta).ok()?;
        }
        None
    }
}

/// What a walk over a sound table found.
struct Walked {
    count: u64,
    /// Bytes of `count`.
    count_len: usize,
    /// Where the table ends and the messages start.
    table_end: usize,
    span_us: u64,
    /// The sum of the lengths.
    total: u64,
}

/// The first fault of a table, at a position in the payload. Small and
/// `Copy`, so that the walk's hot loop moves no error around; the error is
/// made once, out of line.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// A count or length of 0.
    Zero(usize, &'static str),
    /// A uleb128 that is invalid or cut short, or absent at the end.
    Field(usize, &'static str),
    /// Lengths adding up to `total`, not to the bytes after the table.
    Sum(usize, u64),
    /// A length taking the sum of a compressed batch's lengths over `limit`.
    Limit(usize, u64),
}

impl Fault {
    #[cold]
    #[inline(never)]
    fn error(self, payload: &[u8], offset: u64) -> Error {
        let (at, detail) = match self {
            Fault::Zero(at, what) => (at, format!("frame_batch record: {what} of 0")),
            Fault::Field(at, what) if at == payload.len() => (
                at,
                format!("frame_batch record: the table ends before {what}"),
            ),
            Fault::Field(at, what) => (at, format!("frame_batch record: bad {what} (ULEB128)")),
            Fault::Sum(at, total) => (
                at,
                format!(
                    "frame_batch record: the lengths add up to {total} bytes, {} follow the table",
                    payload.len() - at
                ),
            ),
            Fault::Limit(at, limit) => {
                return Error::at(
                    ErrorClass::LimitExceeded,
                    offset + at as u64,
                    format!(
                        "frame_batch record: the lengths of a compressed batch add up to more than the limit of {limit} bytes"
                    ),
                )
            }
        };
        Error::at(ErrorClass::MalformedRecord, offset + at as u64, detail)
    }
}

/// Walks a batch table field by field (spec 5.8) and stops at its first
/// fault. Sums saturate: a sum past `u64::MAX` is no payload's length. A
/// compressed batch's lengths (`compressed` holds the inflated-length limit)
/// may add up to anything within the limit.
#[inline]
fn walk(payload: &[u8], compressed: Option<u64>) -> std::result::Result<Walked, Fault> {
    let position = |rest: &[u8]| payload.len() - rest.len();
    let field = |rest, what| varint::parse(rest).map_err(|_| Fault::Field(position(rest), what));
    let (table, count) = field(payload, "count")?;
    if count == 0 {
        return Err(Fault::Zero(0, "a count"));
    }
    let (mut rest, first_len) = field(table, "a length")?;
    if first_len == 0 {
        return Err(Fault::Zero(position(table), "a length"));
    }
    let limit = compressed.unwrap_or(u64::MAX);
    if first_len > limit {
        return Err(Fault::Limit(position(table), limit));
    }
    let mut total = first_len;
    let mut span_us = 0u64;
    for _ in 1..count {
        let (after_delta, delta) = field(rest, "a delta")?;
        let (after_len, len) = field(after_delta, "a length")?;
        if len == 0 {
            return Err(Fault::Zero(position(after_delta), "a length"));
        }
        span_us = span_us.saturating_add(delta);
        total = total.saturating_add(len);
        if total > limit {
            return Err(Fault::Limit(position(after_delta), limit));
        }
        rest = after_len;
    }
    if compressed.is_none() && total != rest.len() as u64 {
        return Err(Fault::Sum(position(rest), total));
    }
    Ok(Walked {
        count,
        count_len: position(table),
        table_end: position(rest),
        span_us,
        total,
    })
}

/// One TDP message of a batch, borrowed in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchFrame<'a> {
    /// The frame's time, microseconds since the session start.
    pub time_us: u64,
    /// File offset of the message's first byte.
    pub offset: u64,
    /// The TDP message.
    pub message: &'a [u8],
}

/// Each frame's time and message length, from a batch's table alone (see
/// [`FrameBatch::entries`]).
#[derive(Debug, Clone)]
pub struct BatchEntries<'a> {
    table: &'a [u8],
    time_us: u64,
    first: bool,
}

impl Iterator for BatchEntries<'_> {
    /// The frame's time and its message's length.
    type Item = (u64, u64);

    #[inline]
    fn next(&mut self) -> Option<(u64, u64)> {
        // The table was checked when the batch was parsed, so a parse that
        // fails here only means the end.
        let rest = if self.first {
            self.first = false;
            self.table
        } else {
            let (rest, delta) = varint::parse(self.table).ok()?;
            self.time_us = self.time_us.saturating_add(delta);
            rest
        };
        let (rest, len) = varint::parse(rest).ok()?;
        self.table = rest;
        Some((self.time_us, len))
    }
}

/// The frames of a batch, in order (see [`FrameBatch::frames`]).
#[derive(Debug, Clone)]
pub struct BatchFrames<'m> {
    entries: BatchEntries<'m>,
    messages: &'m [u8],
    /// Where the next frame's faults are reported.
    offset: u64,
    /// True when each message has its own offset (a stored batch).
    advance: bool,
}

impl<'m> Iterator for BatchFrames<'m> {
    type Item = BatchFrame<'m>;

    #[inline]
    fn next(&mut self) -> Option<BatchFrame<'m>> {
        let (time_us, len) = self.entries.next()?;
        let len = usize::try_from(len).ok()?;
        let message = self.messages.get(..len)?;
        let offset = self.offset;
        self.messages = &self.messages[len..];
        if self.advance {
            self.offset += len as u64;
        }
        Some(BatchFrame {
            time_us,
            offset,
            message,
        })
    }
}

/// Builds a frame batch's payload, for writers: the table and the messages
/// are kept apart as frames come and joined when the record is written.
/// Buffers are reused from batch to batch, so a writer in its steady state
/// allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct BatchBuilder {
    count: u64,
    first_time_us: u64,
    last_time_us: u64,
    table: Vec<u8>,
    messages: Vec<u8>,
}

impl BatchBuilder {
    /// Frames held.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// Bytes of messages held.
    pub fn messages_len(&self) -> usize {
        self.messages.len()
    }

    /// The first frame's time; meaningless when empty.
    pub fn first_time_us(&self) -> u64 {
        self.first_time_us
    }

    /// Adds a frame at `time_us`, which is not before the last one's.
    pub fn push(&mut self, time_us: u64, message: &[u8]) {
        let mut bytes = [0; varint::MAX_LEN];
        if self.count == 0 {
            self.first_time_us = time_us;
        } else {
            let len = varint::encode(time_us - self.last_time_us, &mut bytes);
            self.table.extend_from_slice(&bytes[..len]);
        }
        let len = varint::encode(message.len() as u64, &mut bytes);
        self.table.extend_from_slice(&bytes[..len]);
        self.messages.extend_from_slice(message);
        self.last_time_us = time_us;
        self.count += 1;
    }

    /// The batch built so far, as a record body holds it; its frames' file
    /// offsets count from 0. Meaningless when empty.
    pub fn as_batch(&self) -> FrameBatch<'_> {
        self.with_messages(Payload::Stored(&self.messages))
    }

    /// The batch built so far with its messages compressed into `data` (a
    /// raw DEFLATE stream of [`BatchBuilder::messages`]).
    pub fn as_compressed_batch<'s>(&'s self, data: &'s [u8]) -> FrameBatch<'s> {
        self.with_messages(Payload::Deflated {
            inflated_len: self.messages.len() as u64,
            data,
            offset: 0,
        })
    }

    fn with_messages<'s>(&'s self, messages: Payload<'s>) -> FrameBatch<'s> {
        FrameBatch {
            count: self.count,
            table: &self.table,
            table_offset: 0,
            messages,
            span_us: self.last_time_us - self.first_time_us,
        }
    }

    /// The messages held, back to back (for a batch of exactly one frame,
    /// which is written as a frame record, its message).
    pub fn messages(&self) -> &[u8] {
        &self.messages
    }

    /// Empties the builder, keeping its buffers.
    pub fn clear(&mut self) {
        self.count = 0;
        self.table.clear();
        self.messages.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(frames: &[(u64, &[u8])]) -> Vec<u8> {
        let mut builder = BatchBuilder::default();
        for (time, message) in frames {
            builder.push(*time, message);
        }
        let mut count = [0; varint::MAX_LEN];
        let len = varint::encode(builder.len(), &mut count);
        let (table, messages) = builder.as_batch().parts();
        [&count[..len], table, messages].concat()
    }

    #[test]
    fn frames_come_back_with_times_and_offsets() {
        let payload = built(&[(100, b"ab"), (100, b"c"), (16_100, b"defg")]);
        // count 3; length 2; delta 0, length 1; delta 16 000, length 4.
        assert_eq!(payload[..8], [3, 2, 0, 1, 0x80, 0x7d, 4, b'a']);
        let batch = FrameBatch::parse(&payload, 1000, None).unwrap();
        assert_eq!((batch.len(), batch.span_us()), (3, 16_000));
        let stored = batch.messages().as_stored().unwrap();
        let frames: Vec<_> = batch.frames(100, stored).collect();
        assert_eq!(
            frames,
            [
                BatchFrame {
                    time_us: 100,
                    offset: 1007,
                    message: b"ab"
                },
                BatchFrame {
                    time_us: 100,
                    offset: 1009,
                    message: b"c"
                },
                BatchFrame {
                    time_us: 16_100,
                    offset: 1010,
                    message: b"defg"
                },
            ]
        );
    }

    #[test]
    fn the_frames_end_where_the_table_ends() {
        // Messages that would parse as table entries (delta 0, length 0)
        // must not be read as more frames.
        let payload = built(&[(0, &[0, 0, 0]), (5, &[0])]);
        let batch = FrameBatch::parse(&payload, 0, None).unwrap();
        let stored = batch.messages().as_stored().unwrap();
        let messages: Vec<_> = batch.frames(0, stored).map(|f| f.message).collect();
        assert_eq!(messages, [&[0u8, 0, 0][..], &[0]]);
    }

    fn fault(payload: &[u8]) -> (ErrorClass, Option<u64>) {
        let e = FrameBatch::parse(payload, 50, None).unwrap_err();
        (e.class(), e.offset())
    }

    #[test]
    fn layout_faults_name_their_field() {
        let malformed = ErrorClass::MalformedRecord;
        assert_eq!(fault(&[]), (malformed, Some(50)), "no count");
        assert_eq!(fault(&[0]), (malformed, Some(50)), "count 0");
        assert_eq!(fault(&[0x80]), (malformed, Some(50)), "count cut short");
        assert_eq!(
            fault(&[2, 1]),
            (malformed, Some(52)),
            "table ends before a delta"
        );
        assert_eq!(
            fault(&[2, 1, 0]),
            (malformed, Some(53)),
            "table ends before a length"
        );
        assert_eq!(fault(&[1, 0, b'x']), (malformed, Some(51)), "length 0");
        assert_eq!(
            fault(&[2, 1, 5, 0, b'x']),
            (malformed, Some(53)),
            "later length 0"
        );
        assert_eq!(
            fault(&[2, 1, 5, 1, b'x']),
            (malformed, Some(54)),
            "short of messages"
        );
        assert_eq!(
            fault(&[1, 1, b'x', b'y']),
            (malformed, Some(52)),
            "bytes left over"
        );
        // A lying count runs out of payload: it costs no memory and no time.
        assert_eq!(
            fault(&[0xff, 0xff, 0xff, 0xff, 0x0f, 1, b'x']),
            (malformed, Some(57))
        );
    }

    #[test]
    fn a_compressed_batch_keeps_its_table_and_bounds_its_lengths() {
        // count 2; length 3; delta 7, length 4; then 5 bytes of "stream".
        let payload = [2, 3, 7, 4, 9, 9, 9, 9, 9];
        let batch = FrameBatch::parse(&payload, 100, Some(7)).unwrap();
        assert!(batch.is_compressed());
        assert_eq!(
            batch.messages(),
            Payload::Deflated {
                inflated_len: 7,
                data: &payload[4..],
                offset: 104
            }
        );
        assert_eq!(batch.entries(10).collect::<Vec<_>>(), [(10, 3), (17, 4)]);
        // Frames of a compressed batch are located at its block.
        let offsets: Vec<_> = batch.frames(10, b"abcdefg").map(|f| f.offset).collect();
        assert_eq!(offsets, [104, 104]);
        // The second length takes the sum to 7, over a limit of 6: found at
        // that length, before anything is inflated.
        let e = FrameBatch::parse(&payload, 100, Some(6)).unwrap_err();
        assert_eq!(
            (e.class(), e.offset()),
            (ErrorClass::LimitExceeded, Some(103))
        );
        let e = FrameBatch::parse(&payload, 100, Some(2)).unwrap_err();
        assert_eq!(
            (e.class(), e.offset()),
            (ErrorClass::LimitExceeded, Some(101))
        );
        // A length's own fault comes before the limit.
        let e = FrameBatch::parse(&[2, 2, 7, 0, 9], 100, Some(2)).unwrap_err();
        assert_eq!(
            (e.class(), e.offset()),
            (ErrorClass::MalformedRecord, Some(103))
        );
    }

    #[test]
    fn overflow_is_found_at_its_delta() {
        let payload = built(&[(0, b"a"), (10, b"b"), (u64::MAX / 2, b"c")]);
        let batch = FrameBatch::parse(&payload, 0, None).unwrap();
        assert_eq!(batch.first_time_over(0, u64::MAX / 2), None);
        // count, length, delta 10, length, then the delta that crosses.
        assert_eq!(batch.first_time_over(1, u64::MAX / 2), Some(4));
        assert_eq!(batch.first_time_over(0, 9), Some(2));
    }
}
