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
//! Spec: format.md 7.1 (layout) and 7.2 (using the index).

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

/// The two parameters that, with the records, determine the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    /// A seek entry is made for the first record at least this long after the
    /// previous entry (and for every keyframe).
    pub seek_interval_us: u64,
    /// A gap between two consecutive records longer than this is an idle span.
    pub idle_threshold_us: u64,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self {
            seek_interval_us: 2_000_000,
            idle_threshold_us: 5_000_000,
        }
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
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

impl<'a> IndexView<'a> {
    /// Checks the sizes of an index payload found at file offset `offset`.
    /// Constant time: entries are read when asked for.
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
        let counts = [
            u32_at(payload, 48),
            u32_at(payload, 52),
            u32_at(payload, 56),
        ];
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
        let sizes = [
            counts[0] as usize * SEEK_ENTRY_LEN,
            counts[1] as usize * EVENT_ENTRY_LEN,
            counts[2] as usize * IDLE_SPAN_LEN,
        ];
        let expected = INDEX_HEADER_LEN + sizes.iter().sum::<usize>();
        if payload.len() != expected {
            return Err(bad(
                48,
                format!(
                    "index tables need {expected} bytes, the payload has {}",
                    payload.len()
                ),
            ));
        }
        let (seek, tail) = payload[INDEX_HEADER_LEN..].split_at(sizes[0]);
        let (events, idle) = tail.split_at(sizes[1]);
        Ok(IndexView {
            duration_us: u64_at(payload, 0),
            record_count: u64_at(payload, 8),
            frame_count: u64_at(payload, 16),
            frame_bytes: u64_at(payload, 24),
            options: IndexOptions {
                seek_interval_us: u64_at(payload, 32),
                idle_threshold_us: u64_at(payload, 40),
            },
            payload,
            payload_offset: offset,
            seek,
            events,
            idle,
        })
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
        let e = self
            .seek
            .get(i * SEEK_ENTRY_LEN..(i + 1) * SEEK_ENTRY_LEN)?;
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

    /// All seek entries, in file order.
    pub fn seek_entries(&self) -> impl ExactSizeIterator<Item = SeekEntry> + '_ {
        (0..self.seek_len()).map(|i| self.seek_entry(i).expect("in range"))
    }

    /// The latest seek entry at or before `time_us`, by binary search.
    pub fn seek(&self, time_us: u64) -> Option<SeekEntry> {
        let after = partition_point(self.seek_len(), |i| {
            u64_at(self.seek, i * SEEK_ENTRY_LEN) <= time_us
        });
        after.checked_sub(1).and_then(|i| self.seek_entry(i))
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
        self.events
            .chunks_exact(EVENT_ENTRY_LEN)
            .map(|e| EventEntry {
                time_us: u64_at(e, 0),
                offset: u64_at(e, 8),
                kind: EventKind::from_index(u32_at(e, 16)),
            })
    }

    /// All idle spans, in time order.
    pub fn idle_spans(&self) -> impl ExactSizeIterator<Item = IdleSpan> + '_ {
        self.idle.chunks_exact(IDLE_SPAN_LEN).map(|e| IdleSpan {
            start_us: u64_at(e, 0),
            end_us: u64_at(e, 8),
        })
    }

    /// Total idle time.
    pub fn idle_us(&self) -> u64 {
        self.idle_spans()
            .map(|s| s.end_us - s.start_us.min(s.end_us))
            .sum()
    }
}

/// The first `i` in `0..len` for which `pred(i)` is false, for a `pred` that
/// is true then false.
fn partition_point(len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}
