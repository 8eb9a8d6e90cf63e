//! Reading a whole recording held in memory (a `&[u8]` or a memory map).
//!
//! Opening reads the header, the metadata and, from the end of the file, the
//! trailer and the index, without touching any frame. Records are then
//! iterated from the start or from any seek entry, each borrowing its payload
//! from the input.

use crate::error::{Error, ErrorClass, Result};
use crate::extensible::Extensible;
use crate::framing::{frame, Checksums, Framed, RECORD_CRC_LEN, RECORD_HEADER_LEN};
use crate::header::{FileHeader, HEADER_LEN};
use crate::index::{IndexView, SeekEntry};
use crate::limits::Limits;
use crate::payload::Payload;
use crate::proto::Metadata;
use crate::record::{Record, RecordBody};
use crate::record_type::{RecordFlags, RecordType};
use crate::sequence::{check_untimed, Sequencer};

/// Size of the trailer record: header, time delta 0, index offset, CRC.
pub const TRAILER_LEN: usize = RECORD_HEADER_LEN + 1 + 8 + RECORD_CRC_LEN;

/// An open recording over borrowed bytes.
#[derive(Debug, Clone)]
pub struct Recording<'a> {
    data: &'a [u8],
    limits: Limits,
    header: FileHeader,
    metadata: Extensible<Metadata>,
    index: Option<(u64, IndexView<'a>)>,
}

impl<'a> Recording<'a> {
    /// Opens a recording with the default limits.
    pub fn parse(data: &'a [u8]) -> Result<Self> {
        Self::parse_with_limits(data, Limits::default())
    }

    /// Opens a recording: checks the header, decodes the metadata, and finds
    /// the index from the trailer if the recording was finished.
    pub fn parse_with_limits(data: &'a [u8], limits: Limits) -> Result<Self> {
        let header = FileHeader::parse(data)?;
        let (_, metadata) = Records::from_start(data, limits).read_metadata()?;
        let index = find_index(data, &limits)?;
        Ok(Recording {
            data,
            limits,
            header,
            metadata,
            index,
        })
    }

    /// The file header.
    pub fn header(&self) -> FileHeader {
        self.header
    }

    /// The session metadata.
    pub fn metadata(&self) -> &Extensible<Metadata> {
        &self.metadata
    }

    /// The index, when the recording was finished.
    pub fn index(&self) -> Option<&IndexView<'a>> {
        self.index.as_ref().map(|(_, view)| view)
    }

    /// File offset of the index record, when the recording was finished.
    pub fn index_offset(&self) -> Option<u64> {
        self.index.as_ref().map(|(offset, _)| *offset)
    }

    /// True when the recording has an index and trailer.
    pub fn is_finished(&self) -> bool {
        self.index.is_some()
    }

    /// The limits this recording was opened with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The bytes of the whole file.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Every record, the metadata first.
    pub fn records(&self) -> Records<'a> {
        Records::from_start(self.data, self.limits)
    }

    /// The records from a seek entry of this recording's index on: the first
    /// one returned is the record at `entry.offset`, with time `entry.time_us`.
    pub fn records_from(&self, entry: &SeekEntry) -> Result<Records<'a>> {
        let bad = |detail: &str| {
            Error::at(
                ErrorClass::BadIndex,
                entry.offset,
                format!("seek entry at time {}: {detail}", entry.time_us),
            )
        };
        let start = usize::try_from(entry.offset)
            .ok()
            .filter(|&o| o >= HEADER_LEN && o < self.data.len())
            .ok_or_else(|| bad("offset outside the file"))?;
        let Framed::Record(raw) = frame(
            &self.data[start..],
            entry.offset,
            &self.limits,
            Checksums::Verify,
        )?
        else {
            return Err(bad("the record there is cut off"));
        };
        let delta = crate::record::parse_body(&raw, &self.limits)?.delta;
        let clock = entry
            .time_us
            .checked_sub(delta)
            .ok_or_else(|| bad("entry time is less than the record's time delta"))?;
        Ok(Records::new(
            self.data,
            start,
            Sequencer::at_content(clock),
            self.limits,
        ))
    }

    /// The records from the latest seek entry at or before `time_us`; from the
    /// start when there is no index or no such entry. A player renders from
    /// [`IndexView::keyframe_at_or_before`] instead when it needs a full screen.
    pub fn seek(&self, time_us: u64) -> Result<Records<'a>> {
        match self.index().and_then(|index| index.seek(time_us)) {
            Some(entry) => self.records_from(&entry),
            None => Ok(self.records()),
        }
    }
}

/// Decodes the metadata payload of the record at `offset`.
pub(crate) fn decode_metadata(payload: &Payload<'_>, offset: u64) -> Result<Extensible<Metadata>> {
    let mut scratch = Vec::new();
    let bytes = payload.bytes(&mut scratch)?;
    Extensible::decode(bytes).map_err(|e| {
        Error::at(
            ErrorClass::MalformedRecord,
            offset,
            format!("metadata is not a valid tdpr.v1.Metadata message: {e}"),
        )
    })
}

/// Finds the index through the trailer at the end of `data`. `None` when the
/// file does not end with a trailer (an unfinished recording).
pub(crate) fn find_index<'a>(
    data: &'a [u8],
    limits: &Limits,
) -> Result<Option<(u64, IndexView<'a>)>> {
    let Some(trailer_start) = data
        .len()
        .checked_sub(TRAILER_LEN)
        .filter(|&s| s >= HEADER_LEN)
    else {
        return Ok(None);
    };
    let tail = &data[trailer_start..];
    if tail[0] != RecordType::TRAILER.0 {
        return Ok(None);
    }
    let Ok(Framed::Record(raw)) = frame(tail, trailer_start as u64, limits, Checksums::Verify)
    else {
        return Ok(None);
    };
    if raw.len() != TRAILER_LEN || raw.flags != RecordFlags::NONE {
        return Ok(None);
    }
    let parsed = crate::record::parse_body(&raw, limits)?;
    check_untimed(&raw, parsed.delta)?;
    let RecordBody::Trailer { index_offset } = parsed.body else {
        unreachable!("a trailer record parses as a trailer")
    };
    let bad = |detail: String| {
        Error::at(
            ErrorClass::BadIndex,
            trailer_start as u64 + RECORD_HEADER_LEN as u64 + 1,
            detail,
        )
    };
    let start = usize::try_from(index_offset)
        .ok()
        .filter(|&o| o >= HEADER_LEN && o < trailer_start)
        .ok_or_else(|| {
            bad(format!(
                "the trailer points at offset {index_offset}, outside the records"
            ))
        })?;
    // Where the trailer leads is judged by the type and length there before
    // anything is framed (spec 9.1, step 3.3): a trailer that points into
    // another record is a fault of the trailer, not of the bytes it hits.
    let candidate = &data[start..trailer_start];
    let is_index_ending_at_trailer = match *candidate {
        [record_type, _, l0, l1, l2, l3, ..] => {
            let body_len = u64::from(u32::from_le_bytes([l0, l1, l2, l3]));
            record_type == RecordType::INDEX.0
                && (RECORD_HEADER_LEN + RECORD_CRC_LEN) as u64 + body_len == candidate.len() as u64
        }
        _ => false,
    };
    if !is_index_ending_at_trailer {
        return Err(bad(format!(
            "the trailer points at offset {index_offset}, where no index record ends at the trailer"
        )));
    }
    let Framed::Record(raw) = frame(candidate, index_offset, limits, Checksums::Verify)? else {
        unreachable!("a record whose length reaches exactly to the trailer is whole")
    };
    match Sequencer::at_content(0).accept(raw, limits)?.body {
        RecordBody::Index(view) => Ok(Some((index_offset, view))),
        _ => unreachable!("an index record parses as an index"),
    }
}

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

/// An iterator over the records of a [`Recording`].
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
        let RecordBody::Metadata(payload) = &first.body else {
            unreachable!("the sequencer accepts only metadata first")
        };
        let metadata = decode_metadata(payload, first.offset)?;
        Ok((first, metadata))
    }

    fn new(data: &'a [u8], position: usize, sequencer: Sequencer, limits: Limits) -> Self {
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
            Framed::Incomplete(needed) => Err(Error::at(
                ErrorClass::Truncated,
                self.offset(),
                format!("the input ends inside a record, {needed} more bytes needed at least"),
            )),
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
