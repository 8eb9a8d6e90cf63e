//! Reading a recording as its bytes arrive (a live session, a socket, a
//! pipe; spec/format.md 9.3).
//!
//! [`StreamReader`] is a push parser: hand it bytes in pieces of any size with
//! [`StreamReader::push`], take whole records with [`StreamReader::next_record`]
//! until it answers `None` ("need more"), and call [`StreamReader::finish`]
//! at end of input to learn whether the recording ended cleanly. It buffers at
//! most one record beyond what was taken, so memory is bounded by the
//! record-size limit. It yields the same records, in the same order, whatever
//! the split of the input; after a fault it returns that fault from every
//! call, so a fault can never be mistaken for "need more bytes".

use std::io::Read;

use super::records::torn_record;
use super::sequence::Sequencer;
use crate::error::{Error, ErrorClass, Result};
use crate::format::{frame, Checksums, FileHeader, Framed, Record, HEADER_LEN};
use crate::limits::Limits;

/// A push parser over a recording's bytes.
///
/// ```
/// use tdpr::{proto::Metadata, StreamReader, Writer, WriterOptions};
///
/// let mut writer = Writer::new(Vec::new(), Metadata::default(), WriterOptions::default())?;
/// writer.write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0, 20])?;
/// let file = writer.finish()?;
///
/// let mut reader = StreamReader::default();
/// let mut records = 0;
/// for piece in file.chunks(7) {
///     // Bytes arrive in pieces of any size; whole records come out.
///     reader.push(piece);
///     while let Some(record) = reader.next_record()? {
///         records += 1;
///         let _ = record.time_us;
///     }
/// }
/// reader.finish()?; // the recording ended with its trailer
/// assert_eq!(records, 4); // metadata, frame, index, trailer
/// # Ok::<(), tdpr::Error>(())
/// ```
#[derive(Debug)]
pub struct StreamReader {
    buffer: Vec<u8>,
    /// Bytes of `buffer` already returned as records.
    consumed: usize,
    /// File offset of `buffer[0]`.
    base: u64,
    header: Option<FileHeader>,
    sequencer: Sequencer,
    limits: Limits,
    /// The first fault; every later call returns it.
    fault: Option<Error>,
    /// Length of the next record, when it is buffered whole and its CRC
    /// checked ([`StreamReader::poll`]).
    ready: Option<usize>,
}

impl Default for StreamReader {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

impl StreamReader {
    /// A reader at the start of a file.
    pub fn new(limits: Limits) -> Self {
        Self {
            buffer: Vec::new(),
            consumed: 0,
            base: 0,
            header: None,
            sequencer: Sequencer::at_start(),
            limits,
            fault: None,
            ready: None,
        }
    }

    /// A reader that starts at the content record at file offset `offset`,
    /// the clock before it being `clock` (a seek, spec 7.2), in a file whose
    /// header is `header`: the bytes pushed are the file's from `offset` on.
    pub(crate) fn at_content(offset: u64, clock: u64, header: FileHeader, limits: Limits) -> Self {
        Self {
            base: offset,
            header: Some(header),
            sequencer: Sequencer::at_content(clock),
            ..Self::new(limits)
        }
    }

    /// Appends the next bytes of the file.
    pub fn push(&mut self, bytes: &[u8]) {
        self.compact();
        self.buffer.extend_from_slice(bytes);
    }

    /// Reads up to `max` bytes from `source` into the buffer; returns how many
    /// (0 at end of input). The buffer holds at most the unread record and
    /// `max` bytes more.
    pub fn read_from(&mut self, source: &mut impl Read, max: usize) -> Result<usize> {
        self.compact();
        let start = self.buffer.len();
        self.buffer.resize(start + max, 0);
        let read = loop {
            match source.read(&mut self.buffer[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buffer.truncate(start);
                    return Err(e.into());
                }
            }
        };
        self.buffer.truncate(start + read);
        Ok(read)
    }

    /// The file header, once its 20 bytes have arrived.
    pub fn header(&self) -> Option<FileHeader> {
        self.header
    }

    /// File offset of the next record (or of the header, before it is read).
    pub fn offset(&self) -> u64 {
        self.base + self.consumed as u64
    }

    /// True once the trailer has been read.
    pub fn is_finished(&self) -> bool {
        self.sequencer.is_finished()
    }

    /// True when [`StreamReader::next_record`] has a record to return, false
    /// when more bytes are needed; the fault, when there is one. Frames and
    /// checks the next record once, however often it is asked.
    pub fn poll(&mut self) -> Result<bool> {
        if let Some(fault) = &self.fault {
            return Err(fault.clone());
        }
        if self.ready.is_some() {
            return Ok(true);
        }
        if self.header.is_none() {
            match FileHeader::parse(&self.buffer[self.consumed..]) {
                Ok(header) => {
                    self.header = Some(header);
                    self.consumed += HEADER_LEN;
                }
                Err(e) if e.class() == ErrorClass::Truncated => return Ok(false),
                Err(e) => {
                    self.fault = Some(e.clone());
                    return Err(e);
                }
            }
        }
        let input = &self.buffer[self.consumed..];
        match frame(input, self.offset(), &self.limits, Checksums::Verify) {
            Ok(Framed::Incomplete(_)) => Ok(false),
            Ok(Framed::Record(raw)) => {
                self.ready = Some(raw.len());
                Ok(true)
            }
            Err(e) => {
                self.fault = Some(e.clone());
                Err(e)
            }
        }
    }

    /// The next whole record, `Ok(None)` when more bytes are needed. After a
    /// fault, every call returns that fault again.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>> {
        if !self.poll()? {
            return Ok(None);
        }
        let len = self.ready.take().expect("poll found a record");
        let offset = self.offset();
        let input = &self.buffer[self.consumed..self.consumed + len];
        // Framed and checked by `poll`: the CRC is not computed twice.
        let Framed::Record(raw) = frame(input, offset, &self.limits, Checksums::Skip)? else {
            unreachable!("poll framed a whole record here")
        };
        self.consumed += len;
        let result = self.sequencer.accept(raw, &self.limits);
        if let Err(e) = &result {
            self.fault = Some(e.clone());
        }
        result.map(Some)
    }

    /// Declares the end of input: `Ok(())` when the recording is complete;
    /// the first fault when one was found; `truncated` when bytes of a
    /// partial record or header remain or the metadata record never came;
    /// and `unfinished` when it ends between records without a trailer.
    pub fn finish(&self) -> Result<()> {
        if let Some(fault) = &self.fault {
            return Err(fault.clone());
        }
        if self.header.is_none() {
            // What a whole-file reader says of these bytes: a short header.
            return Err(FileHeader::parse(&self.buffer[self.consumed..])
                .expect_err("poll reads a whole header as soon as it is here"));
        }
        let pending = &self.buffer[self.consumed..];
        if !pending.is_empty() {
            // `poll` found these bytes short of a whole record.
            let needed = match frame(pending, self.offset(), &self.limits, Checksums::Skip) {
                Ok(Framed::Incomplete(needed)) => needed,
                _ => unreachable!("poll frames a whole record as soon as it is here"),
            };
            return Err(torn_record(self.offset(), needed));
        }
        if self.sequencer.expects_metadata() {
            return Err(Error::at(
                ErrorClass::Truncated,
                self.offset(),
                "the file ends before the metadata record",
            ));
        }
        if !self.sequencer.is_finished() {
            return Err(Error::at(
                ErrorClass::Unfinished,
                self.offset(),
                "the recording has no index and trailer",
            ));
        }
        Ok(())
    }

    /// Drops the bytes of records already returned, once they are at least
    /// half the buffer, so that moving what remains costs at most as much
    /// as the bytes that came in since the last move.
    fn compact(&mut self) {
        if self.consumed > 0 && self.consumed >= self.buffer.len() / 2 {
            self.buffer.drain(..self.consumed);
            self.base += self.consumed as u64;
            self.consumed = 0;
        }
    }
}
