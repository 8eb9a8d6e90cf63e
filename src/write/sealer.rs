//! The hook through which a signer sees every record as it is written and
//! adds its own (spec/signing.md 6).
//!
//! Signing needs cryptography, and a recorder that does not sign must not
//! compile it, so the format library only defines this trait: the
//! `tdpr-sign` crate implements it, and [`crate::Writer::with_sealer`] or
//! [`crate::write::RecordWriter::start_sealed`] takes it. The record-writing layer
//! hands the sealer the exact pieces it writes, so a signer hashes every
//! byte without a copy, and asks it after each record whether a signing
//! record (a checkpoint) is due.

use std::fmt;

use crate::format::{RecordFlags, RecordType};

/// A covered record (spec/signing.md 3.1) as it was just written.
#[derive(Debug, Clone, Copy)]
pub struct WrittenRecord<'a> {
    /// Its type.
    pub record_type: RecordType,
    /// Its flags byte.
    pub flags: RecordFlags,
    /// Its time (a frame batch's first frame's).
    pub time_us: u64,
    /// Its stored payload, in pieces written one after the other.
    pub payload: &'a [&'a [u8]],
}

/// Sees every covered record a [`crate::write::RecordWriter`] writes, and may add
/// signing records (type 0x85 to 0x8F) of its own.
pub trait Sealer: fmt::Debug + Send {
    /// A covered record has been written: every record but the index, the
    /// trailer and the signing records.
    fn record(&mut self, record: &WrittenRecord<'_>);

    /// Called after each covered record, and once more (`end` true) before
    /// the index of a finished file: when a signing record is due at
    /// `time_us` (the clock), writes its payload into `payload` and returns
    /// its type; the writer writes it with time delta 0 and flags 0.
    fn seal(&mut self, time_us: u64, end: bool, payload: &mut Vec<u8>) -> Option<RecordType>;
}
