//! Validation: the auditor's question "is every byte of this recording as the
//! spec says?", answered by one call.
//!
//! A recording is valid when it opens, every record frames with a correct
//! CRC32C and a well-formed body in an allowed place, every compressed payload
//! inflates to its announced length, every event decodes, it ends with an
//! index and trailer, and the index is exactly the one its records determine.

use crate::census::Census;
use crate::error::{Error, ErrorClass, Result};
use crate::index::IndexOptions;
use crate::limits::Limits;
use crate::recording::{Recording, ScanEnd};
use crate::scan::Scan;

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

/// Checks every byte of `data`; the first fault found is the error.
pub fn validate(data: &[u8], limits: Limits) -> Result<Validation> {
    check(data, limits, &mut |_, _| {})
}

/// [`validate`], and then the TDP level (spec/format.md, section 10.1):
/// every frame holds exactly one TDP message. One pass over the records;
/// the census of a valid recording comes with it.
pub fn validate_frames(data: &[u8], limits: Limits) -> Result<(Validation, Census)> {
    let mut census = Census::default();
    let validation = check(data, limits, &mut |offset, message| {
        census.add(offset, message)
    })?;
    match census.fault.take() {
        Some(fault) => Err(fault),
        None => Ok((validation, census)),
    }
}

fn check(data: &[u8], limits: Limits, visit: &mut dyn FnMut(u64, &[u8])) -> Result<Validation> {
    let recording = Recording::parse_with_limits(data, limits)?;
    let options = recording
        .index()
        .map_or_else(IndexOptions::default, |index| index.options);
    let scan = Scan::run_visiting(data, limits, options, visit)?;
    if let Some(fault) = scan.fault {
        return Err(fault);
    }
    if let ScanEnd::Unfinished { offset } = scan.end {
        return Err(Error::at(
            ErrorClass::Unfinished,
            offset,
            "the recording ends without an index and trailer",
        ));
    }
    scan.check_index()?;
    Ok(Validation {
        records: scan.by_type.values().map(|s| s.records).sum(),
        bytes: data.len() as u64,
        version_written: scan.header.version_written,
    })
}
