//! A full pass over a recording: every record framed, every payload checked,
//! the index rebuilt.
//!
//! Opening a recording trusts its index; a scan trusts nothing. It is what
//! `validate` runs (and then compares the rebuilt index with the stored one),
//! what `recover` runs to find the last good record, and what `info` runs to
//! count records by type. It stops at the first fault and keeps what came
//! before it.

use std::collections::BTreeMap;

use prost::Message;

use crate::error::{Error, ErrorClass, Result};
use crate::extensible::Extensible;
use crate::header::FileHeader;
use crate::index::{IndexBuilder, IndexOptions, IndexView, Observed};
use crate::limits::Limits;
use crate::proto::{Event, Metadata};
use crate::record::{Record, RecordBody};
use crate::record_type::RecordType;
use crate::recording::{Records, ScanEnd};

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

/// What a scan found.
#[derive(Debug)]
pub struct Scan<'a> {
    /// The file header.
    pub header: FileHeader,
    /// The metadata.
    pub metadata: Extensible<Metadata>,
    /// The index rebuilt from the records before the first fault.
    pub rebuilt_index: IndexBuilder,
    /// The index record met in the sequence, with its offset.
    pub stored_index: Option<(u64, IndexView<'a>)>,
    /// File offset just past the last good content record: where an index
    /// would be written.
    pub content_end: u64,
    /// How the pass ended; `Failed` when `fault` is set.
    pub end: ScanEnd,
    /// The first fault, if any.
    pub fault: Option<Error>,
    /// Counts by record type (metadata, index and trailer included).
    pub by_type: BTreeMap<RecordType, TypeStats>,
}

impl<'a> Scan<'a> {
    /// Scans `data`. Fails only when the header or the metadata record cannot
    /// be read, since then there is nothing to keep; later faults end the
    /// scan and are reported in [`Scan::fault`].
    pub fn run(data: &'a [u8], limits: Limits, options: IndexOptions) -> Result<Scan<'a>> {
        Self::run_visiting(data, limits, options, &mut |_, _| {})
    }

    /// [`Scan::run`], handing every good frame's TDP message (inflated) and
    /// the frame's offset to `visit` on the way, so that a look inside the
    /// frames needs no second pass.
    pub(crate) fn run_visiting(
        data: &'a [u8],
        limits: Limits,
        options: IndexOptions,
        visit: &mut dyn FnMut(u64, &[u8]),
    ) -> Result<Scan<'a>> {
        let header = FileHeader::parse(data)?;
        let mut records = Records::from_start(data, limits);
        let (first, metadata) = records.read_metadata()?;
        let mut scan = Scan {
            header,
            rebuilt_index: IndexBuilder::new(
                options,
                metadata.message.screen_width,
                metadata.message.screen_height,
            ),
            metadata,
            stored_index: None,
            content_end: records.offset(),
            end: ScanEnd::Running,
            fault: None,
            by_type: BTreeMap::new(),
        };
        scan.count(&first, records.offset(), first.raw_payload.len() as u64);
        let mut scratch = Vec::new();
        while let Some(record) = records.next() {
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    scan.fault = Some(e);
                    break;
                }
            };
            let end = records.offset();
            match scan.check(&record, &mut scratch, visit) {
                Ok(Some(observed)) => {
                    let payload_len = match (&record.body, observed) {
                        (RecordBody::FrameBatch(batch), _) => batch.messages().len() as u64,
                        (_, Observed::Frame { message_len }) => message_len,
                        _ => record.raw_payload.len() as u64,
                    };
                    scan.rebuilt_index
                        .observe(record.offset, record.time_us, observed);
                    if let RecordBody::FrameBatch(batch) = &record.body {
                        for (i, frame) in batch.frames(record.time_us).enumerate() {
                            visit(frame.offset, frame.message);
                            if i > 0 {
                                let len = frame.message.len() as u64;
                                scan.rebuilt_index.observe_batched_frame(frame.time_us, len);
                            }
                        }
                    }
                    scan.content_end = end;
                    scan.count(&record, end, payload_len);
                }
                Ok(None) => {
                    if let RecordBody::Index(view) = record.body {
                        scan.stored_index = Some((record.offset, view));
                    }
                    scan.count(&record, end, record.raw_payload.len() as u64);
                }
                Err(e) => {
                    scan.fault = Some(e);
                    break;
                }
            }
        }
        scan.end = if scan.fault.is_some() {
            ScanEnd::Failed
        } else {
            records.end()
        };
        Ok(scan)
    }

    /// Checks a record's payload beyond its framing, handing a frame's
    /// message to `visit`; what the index builder sees of it, or `None` for
    /// the index and trailer.
    fn check(
        &self,
        record: &Record<'_>,
        scratch: &mut Vec<u8>,
        visit: &mut dyn FnMut(u64, &[u8]),
    ) -> Result<Option<Observed>> {
        let malformed =
            |detail: String| Error::at(ErrorClass::MalformedRecord, record.offset, detail);
        Ok(Some(match &record.body {
            RecordBody::Frame(payload) => {
                let message = payload.bytes(scratch)?;
                visit(record.offset, message);
                Observed::Frame {
                    message_len: message.len() as u64,
                }
            }
            // Its record, as the index sees it; the caller visits its frames
            // as it observes them.
            RecordBody::FrameBatch(batch) => Observed::Frame {
                message_len: batch
                    .frames(record.time_us)
                    .next()
                    .map_or(0, |f| f.message.len() as u64),
            },
            RecordBody::ScreenSize { width, height } => Observed::ScreenSize {
                width: *width,
                height: *height,
            },
            RecordBody::Event(bytes) => {
                let event = Event::decode(*bytes).map_err(|e| {
                    malformed(format!("event is not a valid tdpr.v1.Event message: {e}"))
                })?;
                Observed::Event {
                    kind: event.kind as u32,
                }
            }
            RecordBody::Keyframe { .. } => Observed::Keyframe,
            RecordBody::Index(_) | RecordBody::Trailer { .. } => return Ok(None),
            RecordBody::Unknown => Observed::Other,
            RecordBody::Metadata(_) => {
                unreachable!("the sequencer rejects a second metadata record")
            }
        }))
    }

    fn count(&mut self, record: &Record<'_>, end: u64, payload_bytes: u64) {
        let stats = self.by_type.entry(record.record_type).or_default();
        stats.records += 1;
        stats.stored_bytes += end - record.offset;
        stats.payload_bytes += payload_bytes;
    }

    /// Checks that the stored index is the one the records determine. A
    /// recording without an index passes.
    pub fn check_index(&self) -> Result<()> {
        let Some((_, stored)) = &self.stored_index else {
            return Ok(());
        };
        let mut rebuilt = Vec::new();
        self.rebuilt_index
            .encode(&mut rebuilt, &Limits::default())?;
        if let Some(at) = first_difference(stored.payload(), &rebuilt) {
            return Err(Error::at(
                ErrorClass::BadIndex,
                stored.payload_offset() + at as u64,
                format!("the index differs from the one the records determine at its byte {at}"),
            ));
        }
        Ok(())
    }
}

/// The position of the first byte where `a` and `b` differ, counting a length
/// difference as a difference at the shorter length.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))
}
