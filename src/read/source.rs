//! Where a full pass gets its records: a whole file in memory, or a stream
//! read as it goes.
//!
//! A pass over a file in memory borrows every record from it; a pass over a
//! stream (standard input, a socket, an object store's body, a file read
//! piece by piece) holds one record at a time, so that validating or dumping
//! a file of any size costs the memory of its largest record. [`Scan`]
//! (crate::Scan) runs over either through [`RecordSource`].

use std::io::Read;

use super::records::{Records, ScanEnd};
use super::stream::StreamReader;
use crate::error::{Error, ErrorClass};
use crate::format::{FileHeader, Record};
use crate::limits::Limits;

/// One step of a pass over records.
#[derive(Debug)]
pub enum Step<'r> {
    /// The next record.
    Record(Record<'r>),
    /// The first fault; the pass is over.
    Fault(Error),
    /// The input ended cleanly (`Finished` or `Unfinished`).
    End(ScanEnd),
}

/// A source of records for a pass: it frames each record, checks its CRC
/// and applies the order rules (spec/format.md 4.1, 8).
pub trait RecordSource {
    /// The next record, the first fault, or the end. The record may borrow
    /// the source until the next step.
    fn step(&mut self) -> Step<'_>;

    /// The file header, once it has been read.
    fn header(&self) -> Option<FileHeader>;
}

impl RecordSource for Records<'_> {
    fn header(&self) -> Option<FileHeader> {
        FileHeader::parse(self.data()).ok()
    }

    #[inline]
    fn step(&mut self) -> Step<'_> {
        match self.next() {
            Some(Ok(record)) => Step::Record(record),
            Some(Err(e)) => Step::Fault(e),
            None => Step::End(self.end()),
        }
    }
}

/// The records of a recording read from any [`Read`], piece by piece.
#[derive(Debug)]
pub struct ReadRecords<R> {
    input: R,
    reader: StreamReader,
    at_end: bool,
}

/// How much a stream source reads at a time.
const READ_SIZE: usize = 256 << 10;

impl<R: Read> ReadRecords<R> {
    /// The records of the recording `input` holds, from its first byte.
    pub fn new(input: R, limits: Limits) -> Self {
        ReadRecords {
            input,
            reader: StreamReader::new(limits),
            at_end: false,
        }
    }
}

impl<R: Read> RecordSource for ReadRecords<R> {
    fn header(&self) -> Option<FileHeader> {
        self.reader.header()
    }

    fn step(&mut self) -> Step<'_> {
        loop {
            match self.reader.poll() {
                Ok(true) => return record_step(&mut self.reader),
                Err(e) => return Step::Fault(e),
                Ok(false) if self.at_end => return end_step(&self.reader),
                Ok(false) => match self.reader.read_from(&mut self.input, READ_SIZE) {
                    Ok(0) => self.at_end = true,
                    Ok(_) => {}
                    Err(e) => return Step::Fault(e),
                },
            }
        }
    }
}

/// The record `reader` has buffered whole (its `poll` said so).
pub(crate) fn record_step(reader: &mut StreamReader) -> Step<'_> {
    match reader.next_record() {
        Ok(Some(record)) => Step::Record(record),
        Ok(None) => unreachable!("poll found a record"),
        Err(e) => Step::Fault(e),
    }
}

/// The end of the bytes `reader` was given: finished, unfinished at a
/// record boundary, or a fault.
pub(crate) fn end_step(reader: &StreamReader) -> Step<'static> {
    match reader.finish() {
        Ok(()) => Step::End(ScanEnd::Finished),
        Err(e) => match (e.class(), e.offset()) {
            (ErrorClass::Unfinished, Some(offset)) => Step::End(ScanEnd::Unfinished { offset }),
            _ => Step::Fault(e),
        },
    }
}
