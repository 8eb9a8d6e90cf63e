//! Writing a Teleport session recording, part by part.
//!
//! Why it exists: `tdpr export teleport` must produce what Teleport's own
//! uploader produces — version 1 part headers, one gzip stream per part at
//! the fastest level, records of a big-endian u32 length and a serialized
//! `events.OneOf` — so that Teleport's reader accepts the result. A part ends
//! once its compressed body reaches the part size, as Teleport's does; a local
//! file needs no padding, so none is written.

use std::io::{self, Write};

use flate2::write::GzEncoder;
use flate2::Compression;

use super::part_header::{PartHeader, MAX_RECORD_LEN};

/// Bytes of records handed to the compressor at once.
const STAGED: usize = 64 * 1024;

/// Writes records into parts of a Teleport session recording.
pub struct StreamWriter<W: Write> {
    sink: W,
    body: GzEncoder<Vec<u8>>,
    /// Records not yet given to the compressor: it is fed in large pieces,
    /// not one call per record.
    staged: Vec<u8>,
    part_size: u64,
    records_in_part: u64,
    parts: u64,
    records: u64,
}

impl<W: Write> StreamWriter<W> {
    /// A writer that starts a new part once a part's compressed body holds
    /// `part_size` bytes (Teleport's uploader uses 5 MiB).
    pub fn new(sink: W, part_size: u64) -> Self {
        StreamWriter {
            sink,
            body: GzEncoder::new(Vec::new(), Compression::fast()),
            staged: Vec::with_capacity(STAGED),
            part_size: part_size.max(1),
            records_in_part: 0,
            parts: 0,
            records: 0,
        }
    }

    /// Appends one record: a serialized `events.OneOf` of 1 to 65 536 bytes.
    pub fn write_record(&mut self, event: &[u8]) -> io::Result<()> {
        if event.is_empty() || event.len() > MAX_RECORD_LEN {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "a Teleport event of {} bytes (1 to {MAX_RECORD_LEN})",
                    event.len()
                ),
            ));
        }
        self.staged
            .extend_from_slice(&(event.len() as u32).to_be_bytes());
        self.staged.extend_from_slice(event);
        self.records_in_part += 1;
        self.records += 1;
        if self.staged.len() >= STAGED {
            self.body.write_all(&self.staged)?;
            self.staged.clear();
            if self.body.get_ref().len() as u64 >= self.part_size {
                self.end_part()?;
            }
        }
        Ok(())
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Ends the last part; returns the sink, flushed, and how many parts
    /// were written.
    pub fn finish(mut self) -> io::Result<(W, u64)> {
        self.end_part()?;
        self.sink.flush()?;
        Ok((self.sink, self.parts))
    }

    fn end_part(&mut self) -> io::Result<()> {
        if self.records_in_part == 0 {
            return Ok(());
        }
        self.body.write_all(&self.staged)?;
        self.staged.clear();
        let fresh = GzEncoder::new(Vec::new(), Compression::fast());
        let body = std::mem::replace(&mut self.body, fresh).finish()?;
        self.sink
            .write_all(&PartHeader::plain(body.len() as u64).to_bytes())?;
        self.sink.write_all(&body)?;
        let mut reuse = body;
        reuse.clear();
        self.body = GzEncoder::new(reuse, Compression::fast());
        self.records_in_part = 0;
        self.parts += 1;
        Ok(())
    }
}
