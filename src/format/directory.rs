//! The index's directory (spec/format.md 7.4): a sample of the seek table
//! and a footer at the end of the index payload.
//!
//! The index's counts are at its start, which for a day-long session lies
//! more than a megabyte before the end of the file. A reader that fetches
//! byte ranges (an object store, a web server) reads the file's last bytes
//! when it opens it; the footer repeats the index header there, and the
//! samples (every keyframe entry and every `sample_interval`-th seek entry)
//! give the keyframe for any time and the stretch of the seek table that
//! holds the exact entry. A reader with the whole payload checks the
//! directory with the rest of the index ([`super::IndexView::parse`]);
//! builders append it ([`append_directory`]).

use super::index::{IndexHeader, INDEX_HEADER_LEN, SEEK_ENTRY_LEN, SEEK_FLAG_KEYFRAME};
use crate::error::{Error, ErrorClass, Result};
use crate::limits::Limits;

/// Size of the directory's footer: header copy, sample interval, sample
/// count, CRC, magic.
pub const DIRECTORY_FOOTER_LEN: usize = INDEX_HEADER_LEN + 4 + 4 + 4 + 8;
/// Size of a sample.
pub(crate) const SAMPLE_LEN: usize = 24;
/// The last 8 bytes of an index payload that has a directory.
pub const DIRECTORY_MAGIC: [u8; 8] = *b"TDPRDIR\x89";
/// The sample interval writers use (spec 7.4).
pub const DEFAULT_SAMPLE_INTERVAL: u32 = 64;
/// Writers add a directory to an index whose tables are longer than this.
pub const DIRECTORY_THRESHOLD: usize = 65_536;

/// Positions in the footer.
const SAMPLE_INTERVAL_AT: usize = INDEX_HEADER_LEN;
const SAMPLE_COUNT_AT: usize = INDEX_HEADER_LEN + 4;
const CRC_AT: usize = INDEX_HEADER_LEN + 8;

/// A seek entry the directory lists: every keyframe entry, and every entry
/// whose position is a multiple of the sample interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// The entry's time.
    pub time_us: u64,
    /// The entry's record offset.
    pub offset: u64,
    /// The entry's position in the seek table.
    pub entry: u32,
    /// True when the entry is a keyframe's.
    pub is_keyframe: bool,
}

/// True when `payload_end` (the last bytes of an index payload, at least 8)
/// ends with the directory's magic: the index has a directory.
pub fn ends_with_directory(payload_end: &[u8]) -> bool {
    payload_end.ends_with(&DIRECTORY_MAGIC)
}

/// The footer of a directory: the last 80 bytes of an index payload that has
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectoryFooter {
    /// The index header, as the footer repeats it.
    pub header: IndexHeader,
    /// The parameter of the sample table.
    pub sample_interval: u32,
    /// Samples in the sample table.
    pub sample_count: u32,
    /// CRC32C of the payload from the event table to the byte before it.
    pub crc: u32,
    /// File offset of the footer's first byte.
    pub offset: u64,
}

impl DirectoryFooter {
    /// Reads the footer in `bytes` (exactly [`DIRECTORY_FOOTER_LEN`] bytes
    /// ending with the magic) at file offset `offset`. Checks nothing.
    pub fn read(bytes: &[u8], offset: u64) -> Self {
        assert_eq!(bytes.len(), DIRECTORY_FOOTER_LEN, "a whole footer");
        DirectoryFooter {
            header: IndexHeader::read(&bytes[..INDEX_HEADER_LEN]),
            sample_interval: u32_at(bytes, SAMPLE_INTERVAL_AT),
            sample_count: u32_at(bytes, SAMPLE_COUNT_AT),
            crc: u32_at(bytes, CRC_AT),
            offset,
        }
    }

    /// File offset of `sample_count`.
    pub fn sample_count_offset(&self) -> u64 {
        self.offset + SAMPLE_COUNT_AT as u64
    }

    /// File offset of `sample_interval`.
    pub fn sample_interval_offset(&self) -> u64 {
        self.offset + SAMPLE_INTERVAL_AT as u64
    }

    /// File offset of `directory_crc`.
    pub fn crc_offset(&self) -> u64 {
        self.offset + CRC_AT as u64
    }

    /// Length of the directory this footer ends.
    pub fn directory_len(&self) -> u64 {
        DIRECTORY_FOOTER_LEN as u64 + SAMPLE_LEN as u64 * u64::from(self.sample_count)
    }

    /// Length of the whole index payload this footer ends: its tables and
    /// the directory.
    pub fn payload_len(&self) -> u64 {
        self.header.tables_len() + self.directory_len()
    }

    /// Bytes from the first byte of the event table to the end of the
    /// payload: what a reader that opens by ranges reads (spec 9.5).
    pub fn tail_len(&self) -> u64 {
        self.payload_len() - INDEX_HEADER_LEN as u64 - self.header.seek_table_len()
    }

    /// The count limits of spec 9.5, step 5: the header copy's counts, then
    /// `sample_count`, each `limit_exceeded` at its field.
    pub fn check_counts(&self, limits: &Limits) -> Result<()> {
        self.header.check_counts(self.offset, limits)?;
        check_sample_count(self.sample_count, self.sample_count_offset(), limits)
    }

    /// `sample_interval` is not 0.
    pub fn check_sample_interval(&self) -> Result<()> {
        if self.sample_interval == 0 {
            return Err(Error::at(
                ErrorClass::BadIndex,
                self.sample_interval_offset(),
                "the directory's sample interval is 0",
            ));
        }
        Ok(())
    }

    /// `directory_crc` against `covered`: the payload from the first byte of
    /// the event table to the byte before the CRC.
    pub fn check_crc(&self, covered: &[u8]) -> Result<()> {
        let computed = crc32c::crc32c(covered);
        if computed != self.crc {
            return Err(Error::at(
                ErrorClass::BadIndex,
                self.crc_offset(),
                format!(
                    "directory CRC32C is {:#010x}, computed {computed:#010x}",
                    self.crc
                ),
            ));
        }
        Ok(())
    }
}

fn check_sample_count(count: u32, at: u64, limits: &Limits) -> Result<()> {
    if count > limits.max_index_entries {
        return Err(Error::at(
            ErrorClass::LimitExceeded,
            at,
            format!(
                "directory of {count} samples exceeds the limit of {}",
                limits.max_index_entries
            ),
        ));
    }
    Ok(())
}

/// The sample table of a directory, read in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Samples<'a> {
    bytes: &'a [u8],
}

impl<'a> Samples<'a> {
    /// The samples in `bytes` (a whole number of samples).
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        debug_assert_eq!(bytes.len() % SAMPLE_LEN, 0);
        Samples { bytes }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.bytes.len() / SAMPLE_LEN
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The sample at position `i`.
    pub fn get(&self, i: usize) -> Option<Sample> {
        let s = self.bytes.get(i * SAMPLE_LEN..(i + 1) * SAMPLE_LEN)?;
        Some(Sample {
            time_us: u64_at(s, 0),
            offset: u64_at(s, 8),
            entry: u32_at(s, 16),
            is_keyframe: u32_at(s, 20) & SEEK_FLAG_KEYFRAME != 0,
        })
    }

    /// All samples, in seek table order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Sample> + '_ {
        (0..self.len()).map(|i| self.get(i).expect("in range"))
    }

    /// The samples around `time_us`: the last one at or before it and the
    /// first one after it. The seek entry at or before `time_us` lies from
    /// the first's entry to before the second's.
    pub fn around(&self, time_us: u64) -> (Option<Sample>, Option<Sample>) {
        let after = partition_point(self.len(), |i| {
            u64_at(self.bytes, i * SAMPLE_LEN) <= time_us
        });
        (
            after.checked_sub(1).and_then(|i| self.get(i)),
            self.get(after),
        )
    }

    /// The latest keyframe sample at or before `time_us`: the keyframe a
    /// player starts from to show that time (spec 7.2), since every keyframe
    /// entry is a sample.
    pub fn keyframe_at_or_before(&self, time_us: u64) -> Option<Sample> {
        let after = partition_point(self.len(), |i| {
            u64_at(self.bytes, i * SAMPLE_LEN) <= time_us
        });
        (0..after)
            .rev()
            .map(|i| self.get(i).expect("in range"))
            .find(|s| s.is_keyframe)
    }
}

/// A directory read in place from a whole index payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectoryView<'a> {
    /// The parameter of the sample table.
    pub sample_interval: u32,
    /// The sample table.
    pub samples: Samples<'a>,
}

impl<'a> DirectoryView<'a> {
    /// Checks the directory that follows the tables (`tables_len` bytes) of
    /// `payload`, at file offset `offset`, in the order of spec 7.4. The
    /// caller has found the magic at the payload's end.
    pub(crate) fn parse(
        payload: &'a [u8],
        tables_len: usize,
        offset: u64,
        limits: &Limits,
    ) -> Result<Self> {
        let footer_start = payload.len() - DIRECTORY_FOOTER_LEN;
        let footer = DirectoryFooter::read(&payload[footer_start..], offset + footer_start as u64);
        if let Some(at) = payload[footer_start..footer_start + INDEX_HEADER_LEN]
            .iter()
            .zip(&payload[..INDEX_HEADER_LEN])
            .position(|(copy, original)| copy != original)
        {
            return Err(Error::at(
                ErrorClass::BadIndex,
                footer.offset + at as u64,
                format!("the directory's copy of the index header differs at its byte {at}"),
            ));
        }
        check_sample_count(footer.sample_count, footer.sample_count_offset(), limits)?;
        if footer.directory_len() != (payload.len() - tables_len) as u64 {
            return Err(Error::at(
                ErrorClass::BadIndex,
                footer.sample_count_offset(),
                format!(
                    "a directory of {} samples needs {} bytes, it has {}",
                    footer.sample_count,
                    footer.directory_len(),
                    payload.len() - tables_len
                ),
            ));
        }
        footer.check_sample_interval()?;
        let events_start = INDEX_HEADER_LEN + footer.header.seek_table_len() as usize;
        footer.check_crc(&payload[events_start..footer_start + CRC_AT])?;
        Ok(DirectoryView {
            sample_interval: footer.sample_interval,
            samples: Samples::new(&payload[tables_len..footer_start]),
        })
    }
}

/// Appends the directory (with `sample_interval`, at least 1) of the index
/// payload that `out` holds from `start` on (its tables, without a
/// directory).
pub(crate) fn append_directory(
    out: &mut Vec<u8>,
    start: usize,
    sample_interval: u32,
    limits: &Limits,
) -> Result<()> {
    if sample_interval == 0 {
        return Err(Error::InvalidInput(
            "a directory's sample interval must be at least 1".into(),
        ));
    }
    let header = IndexHeader::read(&out[start..start + INDEX_HEADER_LEN]);
    let seek_start = start + INDEX_HEADER_LEN;
    let events_start = seek_start + header.seek_table_len() as usize;
    let mut count = 0u32;
    for position in 0..header.seek_count {
        let at = seek_start + position as usize * SEEK_ENTRY_LEN;
        let flags = u32_at(out, at + 24);
        if position % sample_interval == 0 || flags & SEEK_FLAG_KEYFRAME != 0 {
            out.extend_from_within(at..at + 16);
            out.extend_from_slice(&position.to_le_bytes());
            out.extend_from_slice(&flags.to_le_bytes());
            count += 1;
        }
    }
    if count > limits.max_index_entries {
        return Err(Error::InvalidInput(format!(
            "a directory would hold {count} samples, over the limit of {}",
            limits.max_index_entries
        )));
    }
    out.extend_from_within(start..start + INDEX_HEADER_LEN);
    out.extend_from_slice(&sample_interval.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    let crc = crc32c::crc32c(&out[events_start..]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&DIRECTORY_MAGIC);
    Ok(())
}

pub(crate) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

pub(crate) fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// The first `i` in `0..len` for which `pred(i)` is false, for a `pred` that
/// is true then false.
pub(crate) fn partition_point(len: usize, pred: impl Fn(usize) -> bool) -> usize {
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
