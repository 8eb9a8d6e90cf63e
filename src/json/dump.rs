//! Dumping a recording as its canonical JSON (spec/json.md), in one pass
//! and in bounded memory.
//!
//! The JSON is the validator's view of a file: the records a reader returns
//! before the first fault, then the verdict (`end`). Both come from one scan
//! ([`crate::Scan`]): each record is written out as the scan reaches it, and
//! the verdict, which needs the whole pass, is the last key. A dump of a
//! gigabyte recording holds one record at a time and starts printing at
//! once.

use std::cell::RefCell;
use std::io::{Read, Write};

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::canonical::{Canonical, EndJson, MetadataJson, RecordJson};
use crate::error::{Error, Result};
use crate::format::{FileHeader, IndexOptions};
use crate::limits::Limits;
use crate::read::{index_options, RecordSource, RecordingFile, Scan};

/// The canonical JSON form of the recording in `data`, in memory. Never
/// fails: a fault ends the record list and is reported in `end`.
/// [`write_canonical`] writes the same JSON without holding it.
pub fn dump(data: &[u8], limits: Limits) -> Canonical {
    let mut walk = Walk::of_bytes(data, limits);
    let mut records = Vec::new();
    while let Some(record) = walk.next_record() {
        records.push(record);
    }
    Canonical {
        version_written: walk.header.map(|h| h.version_written),
        version_required: walk.header.map(|h| h.version_required),
        records: walk.header.map(|_| records),
        metadata: walk.metadata.take(),
        end: walk.end(),
    }
}

/// Writes the canonical JSON of the recording in `data` to `out`, pretty
/// printed (two-space indents, as `serde_json` prints), record by record,
/// and returns the verdict. Memory stays that of one record whatever the
/// file's size. Fails only when `out` does.
pub fn write_canonical(data: &[u8], limits: Limits, out: impl Write) -> std::io::Result<EndJson> {
    write(Walk::of_bytes(data, limits), out)
}

/// [`write_canonical`] for a recording file: the pass over its records
/// reads the file piece by piece ([`RecordingFile::scan`]), so that a
/// mapped file of any size costs the memory of one record.
pub fn write_canonical_file(
    file: &RecordingFile,
    limits: Limits,
    out: impl Write,
) -> std::io::Result<EndJson> {
    write_canonical_file_with_progress(file, limits, out, &mut |_| {})
}

/// [`write_canonical_file`], telling `progress` after each record how many
/// bytes of the file the pass has read (for a progress bar).
pub fn write_canonical_file_with_progress(
    file: &RecordingFile,
    limits: Limits,
    out: impl Write,
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<EndJson> {
    let data = file.bytes();
    let opened = index_options(data, limits);
    let options = opened.as_ref().copied().unwrap_or_default();
    let scan = file.scan(limits, options);
    let mut walk = Walk::new(FileHeader::parse(data).ok(), opened, scan);
    walk.progress = Some(progress);
    write(walk, out)
}

/// [`write_canonical`] for a recording read from `input` in one pass,
/// whose first bytes (at least its 20-byte header, when it has one) are
/// `head` and whose opening (spec 9.1, done by the caller by other means: a
/// ranged reader with [`crate::read::OpenOptions::whole_index`]) gave
/// `opened`: its fault, or the stored index's parameters.
pub fn write_canonical_reader(
    head: &[u8],
    opened: Result<IndexOptions>,
    input: impl Read,
    limits: Limits,
    out: impl Write,
) -> std::io::Result<EndJson> {
    let options = opened.as_ref().copied().unwrap_or_default();
    let scan = Scan::from_reader(input, limits, options);
    write(Walk::new(FileHeader::parse(head).ok(), opened, scan), out)
}

fn write<S: RecordSource>(walk: Walk<'_, S>, out: impl Write) -> std::io::Result<EndJson> {
    let walk = RefCell::new(walk);
    let mut serializer = serde_json::Serializer::pretty(out);
    Streamed(&walk)
        .serialize(&mut serializer)
        .map_err(std::io::Error::from)?;
    let end = walk.borrow().end();
    Ok(end)
}

/// One pass over a recording, record by record, as its JSON.
struct Walk<'p, S> {
    /// The header, when it passes its checks.
    header: Option<FileHeader>,
    /// The metadata, when its record passes every check.
    metadata: Option<MetadataJson>,
    /// The pass over the records; `None` when the header or metadata fail.
    scan: Option<Scan<S>>,
    /// Opening's result (spec 9.1): its fault comes first in the verdict.
    opened: Result<()>,
    /// Why the scan could not start, when it could not.
    unreadable: Option<Error>,
    /// Told the scan's position after each record.
    progress: Option<&'p mut dyn FnMut(u64)>,
}

impl<'a> Walk<'_, crate::read::Records<'a>> {
    fn of_bytes(data: &'a [u8], limits: Limits) -> Self {
        let opened = index_options(data, limits);
        let options = opened.as_ref().copied().unwrap_or_default();
        let scan = Scan::new(data, limits, options);
        Walk::new(FileHeader::parse(data).ok(), opened, scan)
    }
}

impl<S: RecordSource> Walk<'_, S> {
    /// The walk of a recording whose header is `header` (when it passes its
    /// checks), whose opening gave `opened` and whose pass over the records
    /// is `scan`.
    fn new<T>(header: Option<FileHeader>, opened: Result<T>, scan: Result<Scan<S>>) -> Self {
        let (scan, unreadable) = match scan {
            Ok(scan) => (Some(scan), None),
            Err(e) => (None, Some(e)),
        };
        Walk {
            header,
            metadata: scan.as_ref().map(|s| MetadataJson::of(&s.metadata)),
            scan,
            opened: opened.map(|_| ()),
            unreadable,
            progress: None,
        }
    }

    /// The next record's JSON, until the first fault or the end.
    fn next_record(&mut self) -> Option<RecordJson> {
        let scan = self.scan.as_mut()?;
        let scanned = scan.next_record()?;
        // A record the scan passed always has a JSON form.
        let json = RecordJson::of(&scanned.record, scanned.inflated()).ok();
        if let Some(progress) = self.progress.as_mut() {
            progress(scan.position());
        }
        json
    }

    /// The validator's verdict, once the records are all read.
    fn end(&self) -> EndJson {
        let verdict = match (&self.opened, &self.scan, &self.unreadable) {
            (Err(e), _, _) => Err(e.clone()),
            (Ok(()), Some(scan), _) => scan.verdict().map(|_| ()),
            (Ok(()), None, Some(e)) => Err(e.clone()),
            (Ok(()), None, None) => unreachable!("a scan that did not start has its error"),
        };
        EndJson::of(&verdict)
    }
}

/// The canonical JSON of a walk, serialized as it goes.
struct Streamed<'w, 'p, S>(&'w RefCell<Walk<'p, S>>);

impl<S: RecordSource> Serialize for Streamed<'_, '_, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> std::result::Result<Z::Ok, Z::Error> {
        let walk = self.0.borrow();
        let mut canonical = serializer.serialize_struct("Canonical", 5)?;
        if let Some(header) = walk.header {
            canonical.serialize_field("version_written", &header.version_written)?;
            canonical.serialize_field("version_required", &header.version_required)?;
        }
        if let Some(metadata) = &walk.metadata {
            canonical.serialize_field("metadata", metadata)?;
        }
        let has_records = walk.header.is_some();
        drop(walk);
        if has_records {
            canonical.serialize_field("records", &StreamedRecords(self.0))?;
        }
        canonical.serialize_field("end", &self.0.borrow().end())?;
        canonical.end()
    }
}

/// The `records` array of a walk, each record serialized as it is read.
struct StreamedRecords<'w, 'p, S>(&'w RefCell<Walk<'p, S>>);

impl<S: RecordSource> Serialize for StreamedRecords<'_, '_, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> std::result::Result<Z::Ok, Z::Error> {
        let mut records = serializer.serialize_seq(None)?;
        let mut walk = self.0.borrow_mut();
        while let Some(record) = walk.next_record() {
            records.serialize_element(&record)?;
        }
        records.end()
    }
}
