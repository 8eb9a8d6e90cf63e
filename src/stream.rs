//! Reading a recording as its bytes arrive (a live session, a socket, a pipe).
//!
//! [`StreamReader`] is a push parser: hand it bytes in pieces of any size with
//! [`StreamReader::push`], take whole records with [`StreamReader::next_record`]
//! until it answers `None` ("need more"), and call [`StreamReader::finish`]
//! at end of input to learn whether the recording ended cleanly. It buffers at
//! most one record beyond what was taken, so memory is bounded by the
//! record-size limit. It yields the same records, in the same order, whatever
//! the split of the input.

use std::io::Read;

use crate::error::{Error, ErrorClass, Result};
use crate::framing::{frame, Checksums, Framed};
use crate::header::{FileHeader, HEADER_LEN};
use crate::limits::Limits;
use crate::record::Record;
use crate::sequence::Sequencer;

/// A push parser over a recording's bytes.
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
    failed: bool,
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
            failed: false,
        }
    }

    /// Appends the next bytes of the file.
    pub fn push(&mut self, bytes: &[u8]) {
        self.compact();
        self.buffer.extend_from_slice(bytes);
    }

    /// Reads up to `max` bytes from `source` into the buffer; returns how many
    /// (0 at end of input).
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

    /// The next whole record, `Ok(None)` when more bytes are needed. After an
    /// error, every call returns `Ok(None)`.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>> {
        if self.failed {
            return Ok(None);
        }
        if self.header.is_none() {
            match FileHeader::parse(&self.buffer[self.consumed..]) {
                Ok(header) => {
                    self.header = Some(header);
                    self.consumed += HEADER_LEN;
                }
                Err(e) if e.class() == ErrorClass::Truncated => return Ok(None),
                Err(e) => {
                    self.failed = true;
                    return Err(e);
                }
            }
        }
        let offset = self.offset();
        let input = &self.buffer[self.consumed..];
        let result = match frame(input, offset, &self.limits, Checksums::Verify) {
            Ok(Framed::Incomplete(_)) => return Ok(None),
            Ok(Framed::Record(raw)) => {
                self.consumed += raw.len();
                self.sequencer.accept(raw, &self.limits)
            }
            Err(e) => Err(e),
        };
        self.failed = result.is_err();
        result.map(Some)
    }

    /// Declares the end of input: `Ok(())` when the recording is complete,
    /// `truncated` when bytes of a partial record or header remain or the
    /// metadata record never came, and `unfinished` when it ends between
    /// records without a trailer.
    pub fn finish(&self) -> Result<()> {
        let pending = self.buffer.len() - self.consumed;
        if pending > 0 || self.header.is_none() || self.sequencer.expects_metadata() {
            return Err(Error::at(
                ErrorClass::Truncated,
                self.offset(),
                format!("the input ends inside a record ({pending} bytes of it present)"),
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

    /// Drops the bytes of records already returned.
    fn compact(&mut self) {
        if self.consumed > 0 {
            self.buffer.drain(..self.consumed);
            self.base += self.consumed as u64;
            self.consumed = 0;
        }
    }
}
