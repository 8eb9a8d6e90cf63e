//! The index: what a player needs to seek and list key events without reading
//! frames, read in place.
//!
//! Its tables have fixed-size little-endian entries, so a reader looks entries
//! up in place, by binary search on the borrowed bytes, without decoding or
//! allocating anything: opening a multi-gigabyte recording and seeking costs
//! a handful of reads. The index is a pure function of the records and of two
//! parameters it stores (seek interval, idle threshold); [`IndexBuilder`]
//! computes it, for the writer, for `recover` and for validators, which
//! rebuild it and compare it byte for byte (`index_builder.rs`).
//!
//! Spec: format.md 7.1 (layout) and 7.2 (using the index); the directory at
//! the end of a long index, 7.4, is `directory.rs`.

use super::directory::{ends_with_directory, partition_point, u32_at, u64_at, DirectoryView};
use super::directory::{DEFAULT_SAMPLE_INTERVAL, DIRECTORY_FOOTER_LEN, DIRECTORY_THRESHOLD};
use super::event_kind::EventKind;
use crate::error::{Error, ErrorClass, Result};
use crate::limits::Limits;

/// Size of the index header.
pub(crate) const INDEX_HEADER_LEN: usize = 60;
/// Size of a seek entry.
pub(crate) const SEEK_ENTRY_LEN: usize = 32;
/// Size of an event entry.
pub(crate) const EVENT_ENTRY_LEN: usize = 20;
/// Size of an idle span.
pub(crate) const IDLE_SPAN_LEN: usize = 16;
/// `keyframe_entry` value of a seek entry with no keyframe at or before it.
pub(crate) const NO_KEYFRAME: u32 = u32::MAX;
/// Seek entry flag: the entry points at a keyframe record.
pub(crate) const SEEK_FLAG_KEYFRAME: u32 = 1;

/// The parameters that, with the records, determine the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    /// A seek entry is made for the first record at least this long after the
    /// previous entry (and for every keyframe).
    pub seek_interval_us: u64,
    /// A gap between two consecutive records longer than this is an idle span.
    pub idle_threshold_us: u64,
    /// Whether the index ends with a directory (spec 7.4).
    pub directory: DirectoryPolicy,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self {
            seek_interval_us: 2_000_000,
            idle_threshold_us: 5_000_000,
            directory: DirectoryPolicy::WhenLarge,
        }
    }
}

/// Whether an index ends with a directory (spec 7.4), for readers that
/// fetch byte ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryPolicy {
    /// A directory with the default sample interval when the tables are
    /// longer than 64 KiB: what writers do.
    WhenLarge,
    /// A directory with this sample interval (at least 1): what a stored
    /// index with a directory asks a rebuild for.
    Always(u32),
    /// No directory.
    Never,
}

impl DirectoryPolicy {
    /// The sample interval of the directory an index with tables of
    /// `tables_len` bytes gets, if any.
    pub fn sample_interval(self, tables_len: usize) -> Option<u32> {
        match self {
            DirectoryPolicy::WhenLarge => {
                (tables_len > DIRECTORY_THRESHOLD).then_some(DEFAULT_SAMPLE_INTERVAL)
            }
            DirectoryPolicy::Always(interval) => Some(interval),
            DirectoryPolicy::Never => None,
        }
    }
}

/// The index header: the first 60 bytes of the index payload, which a
/// directory's footer repeats (spec 7.1, 7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexHeader {
    /// Time of the last record before the index.
    pub duration_us: u64,
    /// Records before the index, the metadata record included.
    pub record_count: u64,
    /// Frames, each frame of a batch counted.
    pub frame_count: u64,
    /// Bytes of TDP messages in frames, after inflating.
    pub frame_bytes: u64,
    /// Parameter of the seek table.
    pub seek_interval_us: u64,
    /// Parameter of the idle table.
    pub idle_threshold_us: u64,
    /// Entries in the seek table.
    pub seek_count: u32,
    /// Entries in the event table.
    pub event_count: u32,
    /// Spans in the idle table.
    pub idle_count: u32,
}

impl IndexHeader {
    /// Reads the 60 bytes of an index header. Checks nothing.
    pub fn read(bytes: &[u8]) -> Self {
        IndexHeader {
            duration_us: u64_at(bytes, 0),
            record_count: u64_at(bytes, 8),
            frame_count: u64_at(bytes, 16),
            frame_bytes: u64_at(bytes, 24),
            seek_interval_us: u64_at(bytes, 32),
            idle_threshold_us: u64_at(bytes, 40),
            seek_count: u32_at(bytes, 48),
            event_count: u32_at(bytes, 52),
            idle_count: u32_at(bytes, 56),
        }
    }

    /// Each count against the index-entry limit, in order: `limit_exceeded`
    /// at the count of a header at file offset `offset` (spec 7.1).
    pub fn check_counts(&self, offset: u64, limits: &Limits) -> Result<()> {
        let counts = [self.seek_count, self.event_count, self.idle_count];
        for (i, &count) in counts.iter().enumerate() {
            if count > limits.max_index_entries {
                return Err(Error::at(
                    ErrorClass::LimitExceeded,
                    offset + 48 + 4 * i as u64,
                    format!(
                        "index table of {count} entries exceeds the limit of {}",
                        limits.max_index_entries
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Bytes of the seek table.
    pub fn seek_table_len(&self) -> u64 {
        u64::from(self.seek_count) * SEEK_ENTRY_LEN as u64
    }

    /// Bytes of the event table.
    pub fn event_table_len(&self) -> u64 {
        u64::from(self.event_count) * EVENT_ENTRY_LEN as u64
    }

    /// Bytes of the idle table.
    pub fn idle_table_len(&self) -> u64 {
        u64::from(self.idle_count) * IDLE_SPAN_LEN as u64
    }

    /// The header and the three tables: the payload's length without a
    /// directory.
    pub fn tables_len(&self) -> u64 {
        INDEX_HEADER_LEN as u64
            + self.seek_table_len()
            + self.event_table_len()
            + self.idle_table_len()
    }
}

/// A place a reader can start reading records from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeekEntry {
    /// Absolute time of the record at `offset`.
    pub time_us: u64,
    /// File offset of a record.
    pub offset: u64,
    /// Screen width in effect before that record.
    pub width: u32,
    /// Screen height in effect before that record.
    pub height: u32,
    /// True when the record is a keyframe.
    pub is_keyframe: bool,
    /// Position in the seek table of the latest keyframe entry at or before
    /// this one.
    pub keyframe_entry: Option<u32>,
}

/// A key event, as the index lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventEntry {
    /// Absolute time of the event.
    pub time_us: u64,
    /// File offset of the event record.
    pub offset: u64,
    /// The event's kind.
    pub kind: EventKind,
}

/// A gap with no records longer than the idle threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdleSpan {
    /// Time of the last record before the gap.
    pub start_us: u64,
    /// Time of the first record after the gap.
    pub end_us: u64,
}

impl SeekEntry {
    /// The entry at position `i` of the seek table `table`.
    pub(crate) fn read_at(table: &[u8], i: usize) -> Option<SeekEntry> {
        let e = table.get(i * SEEK_ENTRY_LEN..(i + 1) * SEEK_ENTRY_LEN)?;
        let keyframe_entry = u32_at(e, 28);
        Some(SeekEntry {
            time_us: u64_at(e, 0),
            offset: u64_at(e, 8),
            width: u32_at(e, 16),
            height: u32_at(e, 20),
            is_keyframe: u32_at(e, 24) & SEEK_FLAG_KEYFRAME != 0,
            keyframe_entry: (keyframe_entry != NO_KEYFRAME).then_some(keyframe_entry),
        })
    }

    /// The position of the last entry of the seek table `table` whose time is
    /// at or before `time_us`, by binary search.
    pub(crate) fn last_at_or_before(table: &[u8], time_us: u64) -> Option<usize> {
        partition_point(table.len() / SEEK_ENTRY_LEN, |i| {
            u64_at(table, i * SEEK_ENTRY_LEN) <= time_us
        })
        .checked_sub(1)
    }
}

impl EventEntry {
    /// The entries of the event table `table`.
    pub(crate) fn read_all(table: &[u8]) -> impl ExactSizeIterator<Item = EventEntry> + '_ {
        table.chunks_exact(EVENT_ENTRY_LEN).map(|e| EventEntry {
            time_us: u64_at(e, 0),
            offset: u64_at(e, 8),
            kind: EventKind::from_index(u32_at(e, 16)),
        })
    }
}

impl IdleSpan {
    /// The spans of the idle table `table`.
    pub(crate) fn read_all(table: &[u8]) -> impl ExactSizeIterator<Item = IdleSpan> + '_ {
        table.chunks_exact(IDLE_SPAN_LEN).map(|e| IdleSpan {
            start_us: u64_at(e, 0),
            end_us: u64_at(e, 8),
        })
    }
}

/// A zero-copy view of an index payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexView<'a> {
    /// Time of the last record before the index.
    pub duration_us: u64,
    /// Records before the index, the metadata record included.
    pub record_count: u64,
    /// Frame records.
    pub frame_count: u64,
    /// Bytes of TDP messages in frames, after inflating.
    pub frame_bytes: u64,
    /// The parameters the index was built with.
    pub options: IndexOptions,
    payload: &'a [u8],
    payload_offset: u64,
    seek: &'a [u8],
    events: &'a [u8],
    idle: &'a [u8],
    directory: Option<DirectoryView<'a>>,
}

impl<'a> IndexView<'a> {
    /// Checks the sizes of an index payload found at file offset `offset`,
    /// and its directory when it has one (spec 7.1, 7.4). Constant time,
    /// but for the directory's CRC: entries are read when asked for.
    pub fn parse(payload: &'a [u8], offset: u64, limits: &Limits) -> Result<Self> {
        let bad =
            |at: usize, detail: String| Error::at(ErrorClass::BadIndex, offset + at as u64, detail);
        if payload.len() < INDEX_HEADER_LEN {
            return Err(bad(
                0,
                format!(
                    "index payload of {} bytes is shorter than its {INDEX_HEADER_LEN}-byte header",
                    payload.len()
                ),
            ));
        }
        let header = IndexHeader::read(payload);
        header.check_counts(offset, limits)?;
        let tables_len = header.tables_len() as usize;
        let has_directory =
            payload.len() >= tables_len + DIRECTORY_FOOTER_LEN && ends_with_directory(payload);
        if payload.len() != tables_len && !has_directory {
            return Err(bad(
                48,
                format!(
                    "index tables need {tables_len} bytes, the payload has {}",
                    payload.len()
                ),
            ));
        }
        let directory = has_directory
            .then(|| DirectoryView::parse(payload, tables_len, offset, limits))
            .transpose()?;
        let (seek, tail) =
            payload[INDEX_HEADER_LEN..tables_len].split_at(header.seek_table_len() as usize);
        let (events, idle) = tail.split_at(header.event_table_len() as usize);
        Ok(IndexView {
            duration_us: header.duration_us,
            record_count: header.record_count,
            frame_count: header.frame_count,
            frame_bytes: header.frame_bytes,
            options: IndexOptions {
                seek_interval_us: header.seek_interval_us,
                idle_threshold_us: header.idle_threshold_us,
                directory: match &directory {
                    Some(directory) => DirectoryPolicy::Always(directory.sample_interval),
                    None => DirectoryPolicy::Never,
                },
            },
            payload,
            payload_offset: offset,
            seek,
            events,
            idle,
            directory,
        })
    }

    /// The index header.
    pub fn header(&self) -> IndexHeader {
        IndexHeader::read(self.payload)
    }

    /// The directory, when the index has one (spec 7.4).
    pub fn directory(&self) -> Option<&DirectoryView<'a>> {
        self.directory.as_ref()
    }

    /// The whole index payload, as stored.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// File offset of the index payload.
    pub fn payload_offset(&self) -> u64 {
        self.payload_offset
    }

    /// Number of seek entries.
    pub fn seek_len(&self) -> usize {
        self.seek.len() / SEEK_ENTRY_LEN
    }

    /// The seek entry at position `i`.
    pub fn seek_entry(&self, i: usize) -> Option<SeekEntry> {
        SeekEntry::read_at(self.seek, i)
    }

    /// All seek entries, in file order.
    pub fn seek_entries(&self) -> impl ExactSizeIterator<Item = SeekEntry> + '_ {
        (0..self.seek_len()).map(|i| self.seek_entry(i).expect("in range"))
    }

    /// The latest seek entry at or before `time_us`, by binary search.
    pub fn seek(&self, time_us: u64) -> Option<SeekEntry> {
        SeekEntry::last_at_or_before(self.seek, time_us).and_then(|i| self.seek_entry(i))
    }

    /// The latest keyframe entry at or before `time_us`.
    pub fn keyframe_at_or_before(&self, time_us: u64) -> Option<SeekEntry> {
        let entry = self.seek(time_us)?;
        if entry.is_keyframe {
            return Some(entry);
        }
        self.seek_entry(entry.keyframe_entry? as usize)
    }

    /// Number of event entries.
    pub fn event_len(&self) -> usize {
        self.events.len() / EVENT_ENTRY_LEN
    }

    /// All event entries, in file order.
    pub fn events(&self) -> impl ExactSizeIterator<Item = EventEntry> + '_ {
        EventEntry::read_all(self.events)
    }

    /// All idle spans, in time order.
    pub fn idle_spans(&self) -> impl ExactSizeIterator<Item = IdleSpan> + '_ {
        IdleSpan::read_all(self.idle)
    }

    /// Total idle time.
    pub fn idle_us(&self) -> u64 {
        self.idle_spans()
            .map(|s| s.end_us - s.start_us.min(s.end_us))
            .sum()
    }
}
