//! A full pass over a recording: every record framed, every payload checked,
//! the index rebuilt (spec/format.md 8, 10).
//!
//! Opening a recording trusts its index; a scan trusts nothing. It is the one
//! pass behind `validate` (which then compares the rebuilt index with the
//! stored one), `recover` (which keeps the records before the first fault),
//! the canonical JSON dump and `tdpr info`. It hands out each checked record
//! as it goes, with its TDP messages inflated, so that whoever looks inside
//! frames (the TDP census, the JSON writer) needs no second pass and no
//! memory beyond one record. It stops at the first fault and keeps what came
//! before it.

use std::collections::BTreeMap;
use std::io::Read;

use super::records::{Records, ScanEnd};
use super::source::{ReadRecords, RecordSource, Step};
use crate::error::{Error, ErrorClass, Result};
use crate::format::{
    FileHeader, IndexBuilder, IndexOptions, Inflater, OwnedRecord, Record, RecordBody, RecordType,
    HEADER_LEN,
};
use crate::limits::Limits;
use crate::proto::{Extensible, Metadata};

/// Counts of one record type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeStats {
    /// Number of records.
    pub records: u64,
    /// Bytes they take in the file, framing included.
    pub stored_bytes: u64,
    /// Bytes of their payloads once inflated (of a frame batch, its TDP
    /// messages).
    pub payload_bytes: u64,
}

/// A pass over every record of a recording, in memory
/// ([`Scan::new`]) or read from a stream ([`Scan::from_reader`]).
///
/// Drive it with [`Scan::next_record`] (or run it whole with [`Scan::run`]);
/// once `next_record` has returned `None`, the public fields describe the
/// whole pass.
#[derive(Debug)]
pub struct Scan<S> {
    /// The file header.
    pub header: FileHeader,
    /// The metadata.
    pub metadata: Extensible<Metadata>,
    /// The index rebuilt from the records before the first fault.
    pub rebuilt_index: IndexBuilder,
    /// File offset just past the last good content record: where an index
    /// would be written.
    pub content_end: u64,
    /// How the pass ended; `Failed` when `fault` is set, `Running` until the
    /// pass is over.
    pub end: ScanEnd,
    /// The first fault, if any.
    pub fault: Option<Error>,
    /// Counts by record type (metadata, index and trailer included).
    pub by_type: BTreeMap<RecordType, TypeStats>,
    /// File offset just past the last record read.
    position: u64,
    /// The index record met in the sequence: its payload's offset and bytes.
    stored_index: Option<(u64, Vec<u8>)>,
    source: S,
    limits: Limits,
    /// The metadata record, which `next_record` hands out first.
    metadata_record: OwnedRecord,
    metadata_given: bool,
    /// Inflates compressed frame records and batches.
    inflater: Inflater,
}

/// A record the scan has checked, with the TDP messages it holds.
#[derive(Debug)]
pub struct ScannedRecord<'s> {
    /// The record.
    pub record: Record<'s>,
    /// A frame record's message, or a frame batch's messages back to back,
    /// inflated when stored compressed.
    inflated: Option<&'s [u8]>,
}

impl<'s> ScannedRecord<'s> {
    /// The TDP messages of the record, each with the offset where a fault in
    /// it is reported ([`crate::Frame::offset`]): a frame record's, every
    /// frame of a batch, none for other records; inflated when compressed.
    pub fn messages(&self) -> impl Iterator<Item = (u64, &'s [u8])> + '_ {
        let inflated = self.inflated.unwrap_or_default();
        let (single, batched) = match &self.record.body {
            RecordBody::Frame(_) => (Some((self.record.offset, inflated)), None),
            RecordBody::FrameBatch(batch) => {
                (None, Some(batch.frames(self.record.time_us, inflated)))
            }
            _ => (None, None),
        };
        let batched = batched
            .into_iter()
            .flatten()
            .map(|frame| (frame.offset, frame.message));
        single.into_iter().chain(batched)
    }

    /// A frame record's message, or a frame batch's messages back to back,
    /// inflated when stored compressed; `None` for other records.
    pub fn inflated(&self) -> Option<&'s [u8]> {
        self.inflated
    }
}

impl<'a> Scan<Records<'a>> {
    /// Starts a pass over the recording in `data`: reads the header and the
    /// metadata record. Fails only when those cannot be read, since then
    /// there is nothing to keep; later faults end the pass and are reported
    /// in [`Scan::fault`]. `options` are the index parameters to rebuild the
    /// index with (the stored index's, when there is one).
    pub fn new(data: &'a [u8], limits: Limits, options: IndexOptions) -> Result<Self> {
        FileHeader::parse(data)?;
        Self::start(Records::from_start(data, limits), limits, options)
    }

    /// Scans the whole of `data` (see [`Scan::new`]).
    pub fn run(data: &'a [u8], limits: Limits, options: IndexOptions) -> Result<Self> {
        let mut scan = Self::new(data, limits, options)?;
        while scan.next_record().is_some() {}
        Ok(scan)
    }
}

impl<R: Read> Scan<ReadRecords<R>> {
    /// Starts a pass over the recording `input` holds, read piece by piece:
    /// memory stays that of the largest record, whatever the file's size.
    /// Otherwise as [`Scan::new`].
    pub fn from_reader(input: R, limits: Limits, options: IndexOptions) -> Result<Self> {
        Self::start(ReadRecords::new(input, limits), limits, options)
    }
}

impl<S: RecordSource> Scan<S> {
    /// Starts a pass over `source`, whose first record must be the metadata.
    pub(crate) fn start(mut source: S, limits: Limits, options: IndexOptions) -> Result<Self> {
        let first = match source.step() {
            Step::Record(record) => record.to_owned_record(),
            Step::Fault(e) => return Err(e),
            Step::End(_) => {
                return Err(Error::at(
                    ErrorClass::Truncated,
                    HEADER_LEN as u64,
                    "the file ends before the metadata record",
                ))
            }
        };
        let record = first.as_record(&limits)?;
        let metadata = record
            .metadata()?
            .expect("the sequencer accepts only metadata first");
        let position = record.end_offset();
        let mut by_type = BTreeMap::new();
        count(
            &mut by_type,
            &record,
            position,
            record.raw_payload.len() as u64,
        );
        Ok(Scan {
            header: source.header().expect("a record came after the header"),
            rebuilt_index: IndexBuilder::new(
                options,
                metadata.message.screen_width,
                metadata.message.screen_height,
            ),
            metadata,
            content_end: position,
            end: ScanEnd::Running,
            fault: None,
            by_type,
            position,
            stored_index: None,
            source,
            limits,
            metadata_record: first,
            metadata_given: false,
            inflater: Inflater::default(),
        })
    }

    /// The next record, checked: the metadata first, then every record up
    /// to the first fault. `None` at the end of the pass, a fault included.
    pub fn next_record(&mut self) -> Option<ScannedRecord<'_>> {
        if !self.metadata_given {
            self.metadata_given = true;
            let record = self
                .metadata_record
                .as_record(&self.limits)
                .expect("it parsed when the pass started");
            return Some(ScannedRecord {
                record,
                inflated: None,
            });
        }
        if self.end != ScanEnd::Running {
            return None;
        }
        let record = match self.source.step() {
            Step::Record(record) => record,
            Step::Fault(e) => {
                self.fault = Some(e);
                self.end = ScanEnd::Failed;
                return None;
            }
            Step::End(end) => {
                self.end = end;
                return None;
            }
        };
        let inflated = match check(&mut self.inflater, &mut self.rebuilt_index, &record) {
            Ok(inflated) => inflated,
            Err(e) => {
                self.fault = Some(e);
                self.end = ScanEnd::Failed;
                return None;
            }
        };
        let end = record.end_offset();
        self.position = end;
        let payload_bytes = inflated.map_or(record.raw_payload.len(), <[u8]>::len) as u64;
        match record.body {
            RecordBody::Index(view) => {
                self.stored_index = Some((view.payload_offset(), view.payload().to_vec()))
            }
            RecordBody::Trailer { .. } => {}
            _ => self.content_end = end,
        }
        count(&mut self.by_type, &record, end, payload_bytes);
        Some(ScannedRecord { record, inflated })
    }

    /// File offset just past the last record read: how far the pass has
    /// come.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Checks that the stored index is the one the records determine. A
    /// recording without an index passes.
    pub fn check_index(&self) -> Result<()> {
        let Some((payload_offset, stored)) = &self.stored_index else {
            return Ok(());
        };
        let mut rebuilt = Vec::new();
        self.rebuilt_index
            .encode(&mut rebuilt, &Limits::default())?;
        if let Some(at) = first_difference(stored, &rebuilt) {
            return Err(Error::at(
                ErrorClass::BadIndex,
                payload_offset + at as u64,
                format!("the index differs from the one the records determine at its byte {at}"),
            ));
        }
        Ok(())
    }
}

/// Checks a record's payload beyond its framing and adds it to the index:
/// a frame record's message, or a batch's messages, inflate to their
/// announced length (and are returned), an event decodes.
fn check<'s, 'a: 's>(
    inflater: &'s mut Inflater,
    index: &mut IndexBuilder,
    record: &Record<'a>,
) -> Result<Option<&'s [u8]>> {
    let inflated = match &record.body {
        RecordBody::Frame(payload) => Some(payload.bytes_in(inflater)?),
        RecordBody::FrameBatch(batch) => Some(batch.messages().bytes_in(inflater)?),
        RecordBody::Event(_) => {
            record.event()?;
            None
        }
        _ => None,
    };
    index.observe(record.offset, record.time_us, &record.body)?;
    Ok(inflated)
}

/// Adds a record that ends at `end` to the counts by type.
fn count(
    by_type: &mut BTreeMap<RecordType, TypeStats>,
    record: &Record<'_>,
    end: u64,
    payload_bytes: u64,
) {
    let stats = by_type.entry(record.record_type).or_default();
    stats.records += 1;
    stats.stored_bytes += end - record.offset;
    stats.payload_bytes += payload_bytes;
}

/// The position of the first byte where `a` and `b` differ, counting a length
/// difference as a difference at the shorter length.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))
}
