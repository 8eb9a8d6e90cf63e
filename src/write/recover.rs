//! Turning a cut-off or damaged recording back into a complete one.
//!
//! A recorder that crashed leaves every record it flushed, possibly a torn
//! last record, and no index. Recovery keeps every good record up to the
//! first fault byte for byte (unknown ancillary records and compression
//! included), drops the rest, and appends a freshly built index and trailer.
//! On a file that was already complete and valid it reproduces the same bytes.

use std::io::Write;

use super::record_writer::RecordWriter;
use crate::error::{Error, Result};
use crate::format::IndexOptions;
use crate::limits::Limits;
use crate::read::{find_index, Scan};

/// What a recovery kept and dropped.
#[derive(Debug)]
pub struct Recovery {
    /// Records kept, the metadata included.
    pub records: u64,
    /// Bytes of the input kept (header and records).
    pub kept_bytes: u64,
    /// Bytes of the input dropped (a torn record, what followed a fault, or
    /// the old index and trailer).
    pub dropped_bytes: u64,
    /// The fault that ended the good records, if any.
    pub fault: Option<Error>,
    /// Size of the recovered file.
    pub written_bytes: u64,
}

/// Writes a complete recording made of the good records of `data` to `sink`.
/// Fails when not even the header and metadata can be read.
pub fn recover(data: &[u8], sink: &mut impl Write, limits: Limits) -> Result<Recovery> {
    recover_with_progress(data, sink, limits, &mut |_| {})
}

/// [`recover`], telling `progress` after each record read how many bytes of
/// `data` the pass over them has reached (for a progress bar).
pub fn recover_with_progress(
    data: &[u8],
    sink: &mut impl Write,
    limits: Limits,
    progress: &mut dyn FnMut(u64),
) -> Result<Recovery> {
    let options = match find_index(data, &limits) {
        Ok(Some((_, view))) => view.options,
        _ => IndexOptions::default(),
    };
    let mut scan = Scan::new(data, limits, options)?;
    while scan.next_record().is_some() {
        progress(scan.position());
    }
    let kept = scan.content_end as usize;
    sink.write_all(&data[..kept])?;
    let records = scan.rebuilt_index.record_count();
    let clock = scan.rebuilt_index.duration_us();
    let writer = RecordWriter::resume(sink, scan.content_end, clock, scan.rebuilt_index, limits);
    let (_, written) = writer.finish()?;
    Ok(Recovery {
        records,
        kept_bytes: kept as u64,
        dropped_bytes: (data.len() - kept) as u64,
        fault: scan.fault,
        written_bytes: written,
    })
}
