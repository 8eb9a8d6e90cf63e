//! Opening and seeking a recording through byte ranges (spec/format.md 9.5,
//! 7.2, 7.4), for a player whose file is in an object store or on a web
//! server.
//!
//! Opening reads the file's first bytes (header and metadata) and its last
//! bytes (trailer, and the index or, for a long index, its directory's
//! footer and the event, idle and sample tables): two requests sent at once,
//! of constant size when the index has a directory. To show a time, the
//! samples give the keyframe to start from and an upper bound of what to
//! read, so a snapshot is one more request; [`RangedRecording::seek_plan`]
//! can also fetch the stretch of the seek table between two samples to find
//! the exact bound. Records are then read forward by range as they are
//! asked for ([`RangedRecords`]), each framed and checked as usual.
//!
//! A reader that opens by ranges never sees the index record whole, so it
//! cannot vouch for it: validating a recording reads every byte
//! ([`crate::Scan::from_reader`] over a stream of the file).

use std::io;

use super::range_source::{Ends, RangeSource};
use super::recording::{read_index_record, read_trailer, trailer_fault};
use super::records::{Records, ScanEnd};
use super::source::{end_step, record_step, RecordSource, Step};
use super::stream::StreamReader;
use crate::error::{Error, ErrorClass, Result};
use crate::format::{
    ends_with_directory, frame, parse_body, Checksums, DirectoryFooter, DirectoryPolicy,
    EventEntry, FileHeader, Framed, IdleSpan, IndexHeader, IndexOptions, Record, Samples,
    SeekEntry, DIRECTORY_FOOTER_LEN, HEADER_LEN, INDEX_HEADER_LEN, RECORD_CRC_LEN,
    RECORD_HEADER_LEN, SEEK_ENTRY_LEN, TRAILER_LEN,
};
use crate::limits::Limits;
use crate::proto::{Event, Extensible, Metadata};

/// How a ranged reader opens a recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenOptions {
    /// Bytes read from the start: the header and the metadata record.
    pub head: u64,
    /// Bytes read from the end: the trailer and the index, or its
    /// directory's footer and the event, idle and sample tables.
    pub tail: u64,
    /// Read the index record whole even when it has a directory, and check
    /// it as opening a whole file does (spec 9.1): what a validator needs.
    pub whole_index: bool,
}

impl Default for OpenOptions {
    /// 16 KiB from the start and 240 KiB from the end, 256 KiB in all; the
    /// directory when the index has one.
    fn default() -> Self {
        OpenOptions {
            head: 16 << 10,
            tail: 240 << 10,
            whole_index: false,
        }
    }
}

/// A recording opened through a [`RangeSource`]: header, metadata and
/// index, and nothing else.
#[derive(Debug)]
pub struct RangedRecording<S> {
    source: S,
    size: u64,
    limits: Limits,
    header: FileHeader,
    metadata: Extensible<Metadata>,
    /// File offset of the first content record, right after the metadata.
    content_offset: u64,
    /// The clock after the metadata record.
    content_clock: u64,
    index: Option<HeldIndex>,
}

/// What opening read of the index.
#[derive(Debug)]
struct HeldIndex {
    /// File offset of the index record.
    record_offset: u64,
    header: IndexHeader,
    options: IndexOptions,
    /// File offset of the seek table.
    seek_offset: u64,
    /// The seek table, when opening read the index whole.
    seek: Option<Vec<u8>>,
    /// The event table, the idle table and, with a directory, the samples.
    tables: Vec<u8>,
}

impl HeldIndex {
    fn events(&self) -> &[u8] {
        &self.tables[..self.header.event_table_len() as usize]
    }

    fn idle(&self) -> &[u8] {
        let start = self.header.event_table_len() as usize;
        &self.tables[start..start + self.header.idle_table_len() as usize]
    }

    fn samples(&self) -> Option<Samples<'_>> {
        let start = (self.header.event_table_len() + self.header.idle_table_len()) as usize;
        (self.seek.is_none()).then(|| Samples::new(&self.tables[start..]))
    }
}

/// Where to read to show a time (spec 7.2): from `start` up to `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeekPlan {
    /// The seek entry reading starts at: the latest keyframe at or before
    /// the time, or the first entry when there is none.
    pub start: SeekStart,
    /// A file offset past every record at or before the time: the offset of
    /// a later seek entry, or of the index.
    pub until: u64,
}

/// A seek entry to read from: a record's offset and its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeekStart {
    /// Time of the record at `offset`.
    pub time_us: u64,
    /// Offset of a content record.
    pub offset: u64,
    /// The entry's position in the seek table.
    pub entry: u32,
    /// True when the record is a keyframe.
    pub is_keyframe: bool,
}

impl SeekStart {
    fn of(entry: &SeekEntry, position: usize) -> Self {
        SeekStart {
            time_us: entry.time_us,
            offset: entry.offset,
            entry: position as u32,
            is_keyframe: entry.is_keyframe,
        }
    }
}

impl<S: RangeSource> RangedRecording<S> {
    /// Opens the recording `source` holds with the default limits and
    /// options (spec 9.5).
    pub fn open(source: S) -> Result<Self> {
        Self::open_with(source, Limits::default(), OpenOptions::default())
    }

    /// Opens the recording `source` holds: its first `options.head` and
    /// last `options.tail` bytes at once, and more only when the metadata
    /// record, or an index without a directory (or any index, with
    /// `whole_index`), is longer than they are.
    pub fn open_with(source: S, limits: Limits, options: OpenOptions) -> Result<Self> {
        let ends = source.read_ends(options.head, options.tail.max(4096))?;
        let size = ends.size;
        let header = FileHeader::parse(&ends.head)?;
        let (metadata, content_offset, content_clock) = read_metadata(&source, &ends, &limits)?;
        let index = read_index(&source, &ends, &limits, options.whole_index)?;
        Ok(RangedRecording {
            source,
            size,
            limits,
            header,
            metadata,
            content_offset,
            content_clock,
            index,
        })
    }

    /// The source's size.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The file header.
    pub fn header(&self) -> FileHeader {
        self.header
    }

    /// The session metadata.
    pub fn metadata(&self) -> &Extensible<Metadata> {
        &self.metadata
    }

    /// The source.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// True when the recording has an index and trailer.
    pub fn is_finished(&self) -> bool {
        self.index.is_some()
    }

    /// The index header, when the recording is finished.
    pub fn index_header(&self) -> Option<IndexHeader> {
        self.index.as_ref().map(|i| i.header)
    }

    /// The parameters of the index, its directory's included.
    pub fn index_options(&self) -> Option<IndexOptions> {
        self.index.as_ref().map(|i| i.options)
    }

    /// File offset of the index record.
    pub fn index_offset(&self) -> Option<u64> {
        self.index.as_ref().map(|i| i.record_offset)
    }

    /// The event table.
    pub fn events(&self) -> impl ExactSizeIterator<Item = EventEntry> + '_ {
        EventEntry::read_all(self.index.as_ref().map_or(&[][..], HeldIndex::events))
    }

    /// The idle table.
    pub fn idle_spans(&self) -> impl ExactSizeIterator<Item = IdleSpan> + '_ {
        IdleSpan::read_all(self.index.as_ref().map_or(&[][..], HeldIndex::idle))
    }

    /// The directory's samples, when opening read the directory rather than
    /// the whole index.
    pub fn samples(&self) -> Option<Samples<'_>> {
        self.index.as_ref().and_then(HeldIndex::samples)
    }

    /// The seek entries at positions `range`, from the index held or fetched
    /// in one request.
    pub fn seek_entries(&self, range: std::ops::Range<u32>) -> Result<Vec<SeekEntry>> {
        let Some(index) = &self.index else {
            return Ok(Vec::new());
        };
        let range =
            range.start.min(index.header.seek_count)..range.end.min(index.header.seek_count);
        let entries = |table: &[u8], first: u32| -> Vec<SeekEntry> {
            (0..range.len())
                .map(|i| SeekEntry::read_at(table, first as usize + i).expect("in the table"))
                .collect()
        };
        match &index.seek {
            Some(table) => Ok(entries(table, range.start)),
            None if range.is_empty() => Ok(Vec::new()),
            None => {
                let at = |i: u32| index.seek_offset + u64::from(i) * SEEK_ENTRY_LEN as u64;
                let table = self.source.read_range(at(range.start)..at(range.end))?;
                Ok(entries(&table, 0))
            }
        }
    }

    /// Where to read to show `time_us` (spec 7.2); `None` for an unfinished
    /// recording, which plays from its start. From the samples alone when
    /// the index has a directory and `exact` is false (no request; `until`
    /// is then the next sample's offset); else from the seek entries, which
    /// for a directory costs one request of at most `sample_interval`
    /// entries.
    pub fn seek_plan(&self, time_us: u64, exact: bool) -> Result<Option<SeekPlan>> {
        let Some(index) = &self.index else {
            return Ok(None);
        };
        if index.header.seek_count == 0 {
            return Ok(None);
        }
        if let Some(table) = &index.seek {
            return plan_in_table(table, index.seek_offset, time_us, index.record_offset).map(Some);
        }
        let samples = index
            .samples()
            .expect("an index not held whole has a directory");
        let start = samples
            .keyframe_at_or_before(time_us)
            .or_else(|| samples.get(0))
            .map(|s| SeekStart {
                time_us: s.time_us,
                offset: s.offset,
                entry: s.entry,
                is_keyframe: s.is_keyframe,
            })
            .ok_or_else(|| {
                Error::at(
                    ErrorClass::BadIndex,
                    index.record_offset,
                    "the directory lists no sample of a seek table that has entries",
                )
            })?;
        let (before, after) = samples.around(time_us);
        let sample_until = after.map_or(index.record_offset, |s| s.offset);
        if !exact {
            return Ok(Some(SeekPlan {
                start,
                until: sample_until,
            }));
        }
        let first = before.map_or(0, |s| s.entry);
        let end = after.map_or(index.header.seek_count, |s| s.entry);
        let page = self.seek_entries(first..end)?;
        let until = page
            .get(page.partition_point(|e| e.time_us <= time_us))
            .map_or(sample_until, |next| next.offset);
        Ok(Some(SeekPlan { start, until }))
    }

    /// The records from the start of `plan` on: the first `until − offset`
    /// bytes fetched in one request, the rest `read_ahead` bytes at a time
    /// as they are asked for.
    pub fn read_plan(&self, plan: &SeekPlan, read_ahead: u64) -> Result<RangedRecords<'_, S>> {
        self.records_at(
            plan.start.offset,
            plan.start.time_us,
            plan.until,
            read_ahead,
        )
    }

    /// The records from the one at `offset` on, whose time the index gives
    /// as `time_us`, fetching first up to `until` (at least the record's
    /// header). `bad_index` when no record starts there or its time delta is
    /// more than `time_us` (spec 7.2).
    pub fn records_at(
        &self,
        offset: u64,
        time_us: u64,
        until: u64,
        read_ahead: u64,
    ) -> Result<RangedRecords<'_, S>> {
        let bad = |detail: &str| {
            Error::at(
                ErrorClass::BadIndex,
                offset,
                format!("record at time {time_us}: {detail}"),
            )
        };
        if offset < HEADER_LEN as u64 || offset >= self.size {
            return Err(bad("offset outside the file"));
        }
        let mut end = until.clamp(offset + RECORD_HEADER_LEN as u64, self.size);
        let mut bytes = self.source.read_range(offset..end)?;
        let delta = loop {
            match frame(&bytes, offset, &self.limits, Checksums::Verify)? {
                Framed::Record(raw) => break parse_body(&raw, &self.limits)?.delta,
                Framed::Incomplete(needed) if end < self.size => {
                    let more = (needed as u64).min(self.size - end);
                    bytes.extend(self.source.read_range(end..end + more)?);
                    end += more;
                }
                Framed::Incomplete(_) => return Err(bad("the record there is cut off")),
            }
        };
        let clock = time_us
            .checked_sub(delta)
            .ok_or_else(|| bad("its time is less than the record's time delta"))?;
        let mut reader = StreamReader::at_content(offset, clock, self.header, self.limits);
        reader.push(&bytes);
        Ok(RangedRecords {
            recording: self,
            reader,
            fetched_to: end,
            read_ahead: read_ahead.max(1),
            ending_at: None,
        })
    }

    /// The records from the first one after the metadata on, fetched
    /// `read_ahead` bytes at a time as they are asked for: what a player
    /// that starts at the beginning reads.
    pub fn content_records(&self, read_ahead: u64) -> RangedRecords<'_, S> {
        RangedRecords {
            recording: self,
            reader: StreamReader::at_content(
                self.content_offset,
                self.content_clock,
                self.header,
                self.limits,
            ),
            fetched_to: self.content_offset,
            read_ahead: read_ahead.max(1),
            ending_at: None,
        }
    }

    /// The event an index event entry points at, decoded (the record is
    /// fetched with up to `read_ahead` bytes after it). `bad_index` when the
    /// record there is not an event of the entry's kind.
    pub fn event(&self, entry: &EventEntry, read_ahead: u64) -> Result<Extensible<Event>> {
        let until = entry.offset.saturating_add(read_ahead);
        let mut records = self.records_at(entry.offset, entry.time_us, until, read_ahead)?;
        let record = records.next_record()?;
        match record.map(|r| r.event()).transpose()?.flatten() {
            Some(event) if event.message.kind == entry.kind.0 => Ok(event),
            _ => Err(Error::at(
                ErrorClass::BadIndex,
                entry.offset,
                format!(
                    "the index lists a {} event at offset {}, the record there is not one",
                    entry.kind, entry.offset
                ),
            )),
        }
    }
}

/// The plan for `time_us` in the whole seek table `table`, at file offset
/// `table_offset`, the index being at `index_offset`. A `keyframe_entry`
/// that names a later entry or one that is not a keyframe's is `bad_index`
/// (spec 7.2).
fn plan_in_table(
    table: &[u8],
    table_offset: u64,
    time_us: u64,
    index_offset: u64,
) -> Result<SeekPlan> {
    let entry = |i: usize| SeekEntry::read_at(table, i);
    let last = SeekEntry::last_at_or_before(table, time_us);
    let start = match last.and_then(|i| Some((i, entry(i)?))) {
        Some((i, e)) if e.is_keyframe => SeekStart::of(&e, i),
        Some((i, e)) => match e.keyframe_entry {
            Some(k) => match entry(k as usize) {
                Some(keyframe) if k as usize <= i && keyframe.is_keyframe => {
                    SeekStart::of(&keyframe, k as usize)
                }
                _ => {
                    return Err(Error::at(
                        ErrorClass::BadIndex,
                        table_offset + (i * SEEK_ENTRY_LEN) as u64 + 28,
                        format!("seek entry {i} names entry {k} as its keyframe, which is not one before it"),
                    ))
                }
            },
            None => SeekStart::of(&entry(0).expect("a table with an entry"), 0),
        },
        None => SeekStart::of(&entry(0).expect("a table with an entry"), 0),
    };
    let next = last.map_or(0, |i| i + 1);
    let until = entry(next).map_or(index_offset, |e| e.offset);
    Ok(SeekPlan { start, until })
}

/// Reads the metadata record, from the first bytes or, when it is longer
/// than they are, fetched whole; with the offset of the record after it and
/// the clock there.
fn read_metadata<S: RangeSource>(
    source: &S,
    ends: &Ends,
    limits: &Limits,
) -> Result<(Extensible<Metadata>, u64, u64)> {
    let after = |(record, metadata): (Record<'_>, Extensible<Metadata>)| {
        let end = record.payload_offset + (record.raw_payload.len() + RECORD_CRC_LEN) as u64;
        (metadata, end, record.time_us)
    };
    match Records::from_start(&ends.head, *limits).read_metadata() {
        Err(e) if e.class() == ErrorClass::Truncated && (ends.head.len() as u64) < ends.size => {
            // The first record goes on past the head: its length is in the
            // head (the head is longer than the record's 6-byte header).
            let at = HEADER_LEN + 2;
            let body_len = u32::from_le_bytes(ends.head[at..at + 4].try_into().expect("4 bytes"));
            let end =
                (HEADER_LEN + RECORD_HEADER_LEN + RECORD_CRC_LEN) as u64 + u64::from(body_len);
            let prefix = source.read_range(0..end.min(ends.size))?;
            Ok(after(
                Records::from_start(&prefix, *limits).read_metadata()?,
            ))
        }
        result => Ok(after(result?)),
    }
}

/// Spec 9.5, steps 2 to 5: the trailer from the last bytes, then the index
/// from them, fetched whole, or through its directory.
fn read_index<S: RangeSource>(
    source: &S,
    ends: &Ends,
    limits: &Limits,
    whole_index: bool,
) -> Result<Option<HeldIndex>> {
    let size = ends.size;
    let tail_offset = ends.tail_offset();
    let Some(trailer_start) = size.checked_sub(TRAILER_LEN as u64) else {
        return Ok(None);
    };
    let last = &ends.tail[ends.tail.len().saturating_sub(TRAILER_LEN)..];
    let Some(index_offset) = read_trailer(last, size, limits)? else {
        return Ok(None);
    };
    let in_tail = |start: u64, end: u64| {
        &ends.tail[(start - tail_offset) as usize..(end - tail_offset) as usize]
    };
    if index_offset >= tail_offset {
        let view = read_index_record(in_tail(index_offset, trailer_start), index_offset, limits)?;
        return Ok(Some(held_whole(index_offset, &view)));
    }
    let payload_end = trailer_start - RECORD_CRC_LEN as u64;
    let footer_offset = payload_end - DIRECTORY_FOOTER_LEN as u64;
    let footer_bytes = in_tail(footer_offset, payload_end);
    if whole_index || !ends_with_directory(footer_bytes) {
        let mut record = source.read_range(index_offset..tail_offset)?;
        record.extend_from_slice(in_tail(tail_offset, trailer_start));
        let view = read_index_record(&record, index_offset, limits)?;
        return Ok(Some(held_whole(index_offset, &view)));
    }
    let footer = DirectoryFooter::read(footer_bytes, footer_offset);
    footer.check_counts(limits)?;
    let payload_start = payload_end
        .checked_sub(footer.payload_len())
        .filter(|&start| {
            (index_offset + RECORD_HEADER_LEN as u64 + 1..=index_offset + RECORD_HEADER_LEN as u64 + 10)
                .contains(&start)
        })
        .ok_or_else(|| {
            trailer_fault(
                trailer_start,
                format!(
                    "the trailer points at offset {index_offset}, where the index its directory describes does not start"
                ),
            )
        })?;
    footer.check_sample_interval()?;
    let tables_offset = payload_end - footer.tail_len();
    let mut tables = if tables_offset < tail_offset {
        source.read_range(tables_offset..tail_offset)?
    } else {
        Vec::new()
    };
    tables.extend_from_slice(in_tail(tables_offset.max(tail_offset), payload_end));
    footer.check_crc(&tables[..tables.len() - 12])?;
    tables.truncate(tables.len() - DIRECTORY_FOOTER_LEN);
    Ok(Some(HeldIndex {
        record_offset: index_offset,
        header: footer.header,
        options: IndexOptions {
            seek_interval_us: footer.header.seek_interval_us,
            idle_threshold_us: footer.header.idle_threshold_us,
            directory: DirectoryPolicy::Always(footer.sample_interval),
        },
        seek_offset: payload_start + INDEX_HEADER_LEN as u64,
        seek: None,
        tables,
    }))
}

/// What a reader keeps of an index it read whole.
fn held_whole(record_offset: u64, view: &crate::IndexView<'_>) -> HeldIndex {
    let header = view.header();
    let payload = view.payload();
    let seek_end = INDEX_HEADER_LEN + header.seek_table_len() as usize;
    HeldIndex {
        record_offset,
        header,
        options: view.options,
        seek_offset: view.payload_offset() + INDEX_HEADER_LEN as u64,
        seek: Some(payload[INDEX_HEADER_LEN..seek_end].to_vec()),
        tables: payload[seek_end..header.tables_len() as usize].to_vec(),
    }
}

/// The records of a [`RangedRecording`] from a seek entry on, fetched as
/// they are asked for; each is framed and checked as usual, and the order
/// rules apply from the content records on.
#[derive(Debug)]
pub struct RangedRecords<'r, S> {
    recording: &'r RangedRecording<S>,
    reader: StreamReader,
    /// File offset of the first byte not fetched yet.
    fetched_to: u64,
    read_ahead: u64,
    /// No record starting at or after this offset is read.
    ending_at: Option<u64>,
}

/// Where fetching the next record stopped.
enum Fetched {
    /// A whole record is buffered.
    Record,
    /// The next record starts at the offset the records end at.
    Ending,
    /// The file ends.
    End,
}

impl<S: RangeSource> RangedRecords<'_, S> {
    /// The same records, ending before the first one that starts at or
    /// after `offset`: a reader that knows from the index that nothing it
    /// needs lies there (a seek plan's `until`) saves the request for it.
    pub fn ending_at(mut self, offset: u64) -> Self {
        self.ending_at = Some(offset);
        self
    }

    /// The next record; `None` at the end of the file or where the records
    /// end ([`RangedRecords::ending_at`]). The record borrows the reader
    /// until the next call.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>> {
        match self.step() {
            Step::Record(record) => Ok(Some(record)),
            Step::End(_) => Ok(None),
            Step::Fault(e) => Err(e),
        }
    }

    /// Fetches until a whole record is buffered, or the records end.
    fn fetch(&mut self) -> Result<Fetched> {
        loop {
            if self
                .ending_at
                .is_some_and(|end| self.reader.offset() >= end)
            {
                return Ok(Fetched::Ending);
            }
            if self.reader.poll()? {
                return Ok(Fetched::Record);
            }
            if self.fetched_to >= self.recording.size {
                return Ok(Fetched::End);
            }
            // Up to where the records end in one request when that is
            // ahead, then `read_ahead` bytes at a time.
            let end = match self.ending_at {
                Some(end) if self.fetched_to < end => end,
                _ => self.fetched_to.saturating_add(self.read_ahead),
            }
            .min(self.recording.size);
            let bytes = self.recording.source.read_range(self.fetched_to..end)?;
            if bytes.len() as u64 != end - self.fetched_to {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "asked for bytes {}..{end}, got {} bytes",
                        self.fetched_to,
                        bytes.len()
                    ),
                )
                .into());
            }
            self.reader.push(&bytes);
            self.fetched_to = end;
        }
    }

    /// File offset of the next record.
    pub fn offset(&self) -> u64 {
        self.reader.offset()
    }

    /// File offset of the first byte not fetched yet.
    pub fn fetched_to(&self) -> u64 {
        self.fetched_to
    }
}

/// A pass or a player can read ranged records as any others; where they
/// end ([`RangedRecords::ending_at`]) is an unfinished end at that offset.
impl<S: RangeSource> RecordSource for RangedRecords<'_, S> {
    fn header(&self) -> Option<FileHeader> {
        Some(self.recording.header)
    }

    fn step(&mut self) -> Step<'_> {
        match self.fetch() {
            Err(e) => Step::Fault(e),
            Ok(Fetched::Record) => record_step(&mut self.reader),
            Ok(Fetched::Ending) => Step::End(ScanEnd::Unfinished {
                offset: self.reader.offset(),
            }),
            Ok(Fetched::End) => end_step(&self.reader),
        }
    }
}
