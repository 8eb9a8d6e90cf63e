//! Validation: the auditor's question "is every byte of this recording as the
//! spec says?", answered by one call (spec/format.md 10).
//!
//! A recording is valid when it opens, every record frames with a correct
//! CRC32C and a well-formed body in an allowed place, every compressed payload
//! inflates to its announced length, every event decodes, it ends with an
//! index and trailer, and the index is exactly the one its records determine.
//! The TDP level (10.1) adds: every frame holds exactly one TDP message.
//! Faults found while opening come first, then the first fault of the pass
//! over the records, in file order.

use std::io::Read;

use super::census::Census;
use super::recording::Recording;
use super::records::ScanEnd;
use super::scan::Scan;
use super::source::RecordSource;
use crate::error::{Error, ErrorClass, Result};
use crate::format::IndexOptions;
use crate::limits::Limits;

/// What a valid recording holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validation {
    /// Records, the metadata, index and trailer included.
    pub records: u64,
    /// The file's size.
    pub bytes: u64,
    /// The format version that wrote it.
    pub version_written: u16,
}

/// Checks every byte of `data` with the default limits; the first fault
/// found is the error.
///
/// ```
/// use tdpr::{proto::Metadata, ErrorClass, Writer, WriterOptions};
///
/// let mut writer = Writer::new(Vec::new(), Metadata::default(), WriterOptions::default())?;
/// writer.write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0, 20])?;
/// let mut file = writer.finish()?;
/// assert_eq!(tdpr::validate(&file)?.records, 4);
///
/// // Header (20 bytes), metadata record (11), then the frame record at 31.
/// file[40] ^= 1; // one flipped bit in the frame's TDP message
/// let fault = tdpr::validate(&file).unwrap_err();
/// assert_eq!(fault.class(), ErrorClass::ChecksumMismatch);
/// assert_eq!(fault.offset(), Some(31)); // where the damaged record starts
/// # Ok::<(), tdpr::Error>(())
/// ```
pub fn validate(data: &[u8]) -> Result<Validation> {
    validate_with_limits(data, Limits::default())
}

/// [`validate`] with other limits.
pub fn validate_with_limits(data: &[u8], limits: Limits) -> Result<Validation> {
    check(data, limits, None)
}

/// [`validate`], and then the TDP level (spec/format.md, section 10.1):
/// every frame holds exactly one TDP message. One pass over the records;
/// the census of a valid recording comes with it.
pub fn validate_frames(data: &[u8]) -> Result<(Validation, Census)> {
    validate_frames_with_limits(data, Limits::default())
}

/// [`validate_frames`] with other limits.
pub fn validate_frames_with_limits(data: &[u8], limits: Limits) -> Result<(Validation, Census)> {
    with_census(|census| check(data, limits, Some(census)))
}

/// The container's verdict that `pass` gives, then the TDP level's.
fn with_census(
    pass: impl FnOnce(&mut Census) -> Result<Validation>,
) -> Result<(Validation, Census)> {
    let mut census = Census::default();
    let validation = pass(&mut census)?;
    match census.first_fault.take() {
        Some(fault) => Err(fault),
        None => Ok((validation, census)),
    }
}

/// The index parameters the stored index names, or the defaults; the
/// opening fault, if opening fails (spec 9.1: it comes first).
pub(crate) fn index_options(data: &[u8], limits: Limits) -> Result<IndexOptions> {
    let recording = Recording::parse_with_limits(data, limits)?;
    Ok(recording
        .index()
        .map_or_else(IndexOptions::default, |index| index.options))
}

/// [`validate_frames`] of a recording read from `input` in one pass, holding
/// one record at a time, whose opening (spec 9.1, done by the caller by
/// other means: a ranged reader with [`crate::read::OpenOptions::whole_index`])
/// gave `opened`: its fault, or the stored index's parameters.
pub fn validate_frames_from_reader(
    opened: Result<IndexOptions>,
    input: impl Read,
    limits: Limits,
) -> Result<(Validation, Census)> {
    with_census(|census| run(Scan::from_reader(input, limits, opened?)?, Some(census)))
}

fn check(data: &[u8], limits: Limits, census: Option<&mut Census>) -> Result<Validation> {
    let options = index_options(data, limits)?;
    run(Scan::new(data, limits, options)?, census)
}

/// Runs a pass whose opening succeeded to its verdict.
fn run<S: RecordSource>(mut scan: Scan<S>, mut census: Option<&mut Census>) -> Result<Validation> {
    while let Some(scanned) = scan.next_record() {
        if let Some(census) = census.as_deref_mut() {
            for (offset, message) in scanned.messages() {
                census.add(offset, message);
            }
        }
    }
    scan.verdict()
}

impl<S: RecordSource> Scan<S> {
    /// A validator's verdict on the records of a finished pass (spec 10):
    /// the first fault, else `unfinished` without a trailer, else an index
    /// that differs from the rebuilt one.
    pub fn verdict(&self) -> Result<Validation> {
        if let Some(fault) = &self.fault {
            return Err(fault.clone());
        }
        if let ScanEnd::Unfinished { offset } = self.end {
            return Err(Error::at(
                ErrorClass::Unfinished,
                offset,
                "the recording ends without an index and trailer",
            ));
        }
        self.check_index()?;
        Ok(Validation {
            records: self.by_type.values().map(|s| s.records).sum(),
            bytes: self.position(),
            version_written: self.header.version_written,
        })
    }
}
