//! Frames by TDP message kind, and the check that every frame holds exactly
//! one TDP message.
//!
//! The container does not look inside frames; this does, with the codec of
//! [`crate::tdp`]. `tdpr info` shows the counts, and `tdpr validate` applies
//! the check as the TDP level of validation (spec/format.md, section 10.1).

use std::collections::BTreeMap;

use crate::error::{Error, ErrorClass};
use crate::recording::Recording;
use crate::tdp::{decode_any, MessageKind};

/// Frames of one TDP message kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessageStats {
    /// Number of frames.
    pub count: u64,
    /// Bytes of those messages.
    pub bytes: u64,
}

/// Frames counted by message kind, up to the first fault.
#[derive(Debug, Default)]
pub struct Census {
    /// Counts by message kind.
    pub by_kind: BTreeMap<MessageKind, MessageStats>,
    /// The first fault: a fault in the records, or `malformed_record` at the
    /// first frame that is not exactly one TDP message.
    pub fault: Option<Error>,
}

/// Counts the frames of `recording` by TDP message kind.
pub fn census(recording: &Recording<'_>) -> Census {
    let mut census = Census::default();
    let mut scratch = Vec::new();
    'records: for record in recording.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                census.fault = Some(e);
                break;
            }
        };
        for frame in record.frames() {
            match frame.message.bytes(&mut scratch) {
                Ok(message) => census.add(frame.offset, message),
                Err(e) => census.fault = Some(e),
            }
            if census.fault.is_some() {
                break 'records;
            }
        }
    }
    census
}

impl Census {
    /// Counts the TDP message of a frame whose faults are reported at
    /// `offset` ([`crate::Frame::offset`]); after the first fault, counts
    /// nothing more.
    pub(crate) fn add(&mut self, offset: u64, message: &[u8]) {
        if self.fault.is_some() {
            return;
        }
        let malformed = |detail: String| {
            Error::at(
                ErrorClass::MalformedRecord,
                offset,
                format!("the frame is not one TDP message: {detail}"),
            )
        };
        let kind = match decode_any(message) {
            Ok((_, used)) if used != message.len() => Err(malformed(format!(
                "{} bytes follow the {}-byte message",
                message.len() - used,
                used
            ))),
            Ok((decoded, _)) => Ok(decoded.kind()),
            Err(e) => Err(malformed(e.to_string())),
        };
        match kind {
            Ok(kind) => {
                let entry = self.by_kind.entry(kind).or_default();
                entry.count += 1;
                entry.bytes += message.len() as u64;
            }
            Err(e) => self.fault = Some(e),
        }
    }
}
