//! Iterating over the records of a whole file (spec/format.md 9.2).
//!
//! [`Records`] frames each record in place, applies the order rules
//! (`sequence.rs`) and hands out records borrowing their payloads from the
//! input. It is the one loop every whole-file reader runs: the player's
//! iteration and seek, the scan behind validation, recovery and dump.

use super::sequence::Sequencer;
use crate::error::{Error, ErrorClass, Result};
use crate::format::{frame, Checksums, Framed, Record, HEADER_LEN};
use crate::limits::Limits;
use crate::proto::{Extensible, Metadata};

/// How an iteration over records ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanEnd {
    /// Not at the end yet.
    Running,
    /// The trailer was read and the input ended there.
    Finished,
    /// The input ended after a whole record, with no trailer: an unfinished
    /// recording, or one still being written.
    Unfinished {
        /// Where the next record would start.
        offset: u64,
    },
    /// An error was returned; the iterator returns nothing more.
    Failed,
}

/// The fault of an input that ends `needed` bytes (at least) short of the
/// end of the record at `offset`: `truncated` at the record.
pub(crate) fn torn_record(offset: u64, needed: usize) -> Error {
    Error::at(
        ErrorClass::Truncated,
        offset,
        format!("the input ends inside a record, {needed} more bytes needed at least"),
    )
}

/// An iterator over the records of a [`Recording`](crate::Recording).
///
/// Yields `Err` once, at the first fault (a torn last record is `truncated`
/// at the record's offset), and nothing after it.
#[derive(Debug, Clone)]
pub struct Records<'a> {
    data: &'a [u8],
    position: usize,
    sequencer: Sequencer,
    limits: Limits,
    checksums: Checksums,
    end: ScanEnd,
}

impl<'a> Records<'a> {
    /// The records of the whole file `data`, from the metadata on, after
    /// checking its header: the iteration of spec 9.2, which runs whatever
    /// the trailer and the index are (opening's step 3 is not made). For a
    /// tool that reads every record in order, such as a verifier.
    pub fn of_file(data: &'a [u8], limits: Limits) -> Result<Self> {
        crate::format::FileHeader::parse(data)?;
        Ok(Self::from_start(data, limits))
    }

    /// The records of `data` from the first one on.
    pub(crate) fn from_start(data: &'a [u8], limits: Limits) -> Self {
        Self::new(data, HEADER_LEN, Sequencer::at_start(), limits)
    }

    /// Reads the first record, which must be the metadata, and decodes it.
    pub(crate) fn read_metadata(&mut self) -> Result<(Record<'a>, Extensible<Metadata>)> {
        let first = self.next().unwrap_or_else(|| {
            Err(Error::at(
                ErrorClass::Truncated,
                HEADER_LEN as u64,
                "the file ends before the metadata record",
            ))
        })?;
        let metadata = first
            .metadata()?
            .expect("the sequencer accepts only metadata first");
        Ok((first, metadata))
    }

    pub(crate) fn new(
        data: &'a [u8],
        position: usize,
        sequencer: Sequencer,
        limits: Limits,
    ) -> Self {
        Self {
            data,
            position,
            sequencer,
            limits,
            checksums: Checksums::Verify,
            end: ScanEnd::Running,
        }
    }

    /// The same records without checking their CRCs: for a player that
    /// reads again a file it has validated before (or whose integrity
    /// something else vouches for), so that a pass over the records touches
    /// their headers and tables, not every byte. Every other check still
    /// runs: a damaged file read this way can give wrong bytes or a later
    /// fault, but never a read outside its records (spec 4.1).
    pub fn skip_checksums(mut self) -> Self {
        self.checksums = Checksums::Skip;
        self
    }

    /// The whole file's bytes.
    pub(crate) fn data(&self) -> &'a [u8] {
        self.data
    }

    /// File offset of the next record.
    pub fn offset(&self) -> u64 {
        self.position as u64
    }

    /// How the iteration ended, once `next` has returned `None` or `Err`.
    pub fn end(&self) -> ScanEnd {
        self.end
    }

    #[inline]
    fn step(&mut self) -> Result<Option<Record<'a>>> {
        let input = &self.data[self.position..];
        if input.is_empty() {
            self.end = if self.sequencer.is_finished() {
                ScanEnd::Finished
            } else {
                ScanEnd::Unfinished {
                    offset: self.offset(),
                }
            };
            return Ok(None);
        }
        match frame(input, self.offset(), &self.limits, self.checksums)? {
            Framed::Incomplete(needed) => Err(torn_record(self.offset(), needed)),
            Framed::Record(raw) => {
                let record = self.sequencer.accept(raw, &self.limits)?;
                self.position += raw.len();
                Ok(Some(record))
            }
        }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.end != ScanEnd::Running {
            return None;
        }
        match self.step() {
            Ok(record) => record.map(Ok),
            Err(e) => {
                self.end = ScanEnd::Failed;
                Some(Err(e))
            }
        }
    }
}

impl std::iter::FusedIterator for Records<'_> {}
