//! Frame batches: consecutive TDP messages sharing one record (spec 5.8).
//!
//! One record a message costs 10 bytes of framing, a time delta and a CRC
//! call on a short buffer, which for a 9-byte pointer move is more than the
//! message itself. A batch carries a table of lengths and time deltas, then
//! the messages back to back, under one header and one CRC. The table is
//! walked once when the record is parsed, so every later walk over it (the
//! frames, the clock, the index) is over a table already known to be sound,
//! and the messages are handed out in place, never copied.

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
    /// The messages, back to back.
    messages: &'a [u8],
    /// File offset of `messages`.
    messages_offset: u64,
    /// Sum of the deltas: the last frame's time minus the first's, or
    /// `u64::MAX` when that sum does not fit.
    span_us: u64,
}

impl<'a> FrameBatch<'a> {
    /// Checks the layout of a batch payload found at file offset `offset`:
    /// a non-zero count, a sound table of non-zero lengths, and lengths that
    /// add up to exactly the bytes after the table.
    #[inline]
    pub(crate) fn parse(payload: &'a [u8], offset: u64) -> Result<Self> {
        let walked = walk(payload).map_err(|fault| fault.error(payload, offset))?;
        let (count_len, table_end) = (walked.count_len, walked.table_end);
        Ok(FrameBatch {
            count: walked.count,
            table: &payload[count_len..table_end],
            table_offset: offset + count_len as u64,
            messages: &payload[table_end..],
            messages_offset: offset + table_end as u64,
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

    /// The bytes of all the messages, back to back.
    pub fn messages(&self) -> &'a [u8] {
        self.messages
    }

    /// The first frame's message length.
    pub(crate) fn first_len(&self) -> u64 {
        varint::parse(self.table).map_or(0, |(_, len)| len)
    }

    /// The table and the messages, as a record stores them after the count.
    pub(crate) fn parts(&self) -> (&'a [u8], &'a [u8]) {
        (self.table, self.messages)
    }

    /// The frames, the first at `first_time_us` (the record's time).
    #[inline]
    pub fn frames(&self, first_time_us: u64) -> BatchFrames<'a> {
        BatchFrames {
            table: self.table,
            messages: self.messages,
            messages_offset: self.messages_offset,
            time_us: first_time_us,
            first: true,
        }
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
        };
        Error::at(ErrorClass::MalformedRecord, offset + at as u64, detail)
    }
}

/// Walks a batch table field by field (spec 5.8) and stops at its first
/// fault. Sums saturate: a sum past `u64::MAX` is no payload's length.
#[inline]
fn walk(payload: &[u8]) -> std::result::Result<Walked, Fault> {
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
        rest = after_len;
    }
    if total != rest.len() as u64 {
        return Err(Fault::Sum(position(rest), total));
    }
    Ok(Walked {
        count,
        count_len: position(table),
        table_end: position(rest),
        span_us,
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

/// The frames of a batch, in order (see [`FrameBatch::frames`]).
#[derive(Debug, Clone)]
pub struct BatchFrames<'a> {
    table: &'a [u8],
    messages: &'a [u8],
    messages_offset: u64,
    time_us: u64,
    first: bool,
}

impl<'a> Iterator for BatchFrames<'a> {
    type Item = BatchFrame<'a>;

    #[inline]
    fn next(&mut self) -> Option<BatchFrame<'a>> {
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
        let len = usize::try_from(len).ok()?;
        let message = self.messages.get(..len)?;
        let offset = self.messages_offset;
        self.messages = &self.messages[len..];
        self.messages_offset += len as u64;
        Some(BatchFrame {
            time_us: self.time_us,
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
        FrameBatch {
            count: self.count,
            table: &self.table,
            table_offset: 0,
            messages: &self.messages,
            messages_offset: self.table.len() as u64,
            span_us: self.last_time_us - self.first_time_us,
        }
    }

    /// The only frame's message, for a batch of exactly one frame, which is
    /// written as a frame record.
    pub fn only_message(&self) -> &[u8] {
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
        let batch = FrameBatch::parse(&payload, 1000).unwrap();
        assert_eq!((batch.len(), batch.span_us()), (3, 16_000));
        let frames: Vec<_> = batch.frames(100).collect();
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
        let batch = FrameBatch::parse(&payload, 0).unwrap();
        let messages: Vec<_> = batch.frames(0).map(|f| f.message).collect();
        assert_eq!(messages, [&[0u8, 0, 0][..], &[0]]);
    }

    fn fault(payload: &[u8]) -> (ErrorClass, Option<u64>) {
        let e = FrameBatch::parse(payload, 50).unwrap_err();
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
    fn overflow_is_found_at_its_delta() {
        let payload = built(&[(0, b"a"), (10, b"b"), (u64::MAX / 2, b"c")]);
        let batch = FrameBatch::parse(&payload, 0).unwrap();
        assert_eq!(batch.first_time_over(0, u64::MAX / 2), None);
        // count, length, delta 10, length, then the delta that crosses.
        assert_eq!(batch.first_time_over(1, u64::MAX / 2), Some(4));
        assert_eq!(batch.first_time_over(0, 9), Some(2));
    }
}
