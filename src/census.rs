//! Frames by TDP message kind, and the check that every frame holds exactly
//! one TDP message.
//!
//! The container does not look inside frames; this does, with the codec of
//! [`crate::tdp`]. `tdpr info` shows the counts, and `tdpr validate` applies
//! the check as the TDP level of validation (spec/format.md, section 10.1).

use std::collections::BTreeMap;

use crate::error::{Error, ErrorClass, Result};
use crate::record::RecordBody;
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
    if let Err(e) = count(recording, &mut census.by_kind) {
        census.fault = Some(e);
    }
    census
}

fn count(recording: &Recording<'_>, stats: &mut BTreeMap<MessageKind, MessageStats>) -> Result<()> {
    let mut scratch = Vec::new();
    for record in recording.records() {
        let record = record?;
        let RecordBody::Frame(payload) = &record.body else {
            continue;
        };
        let message = payload.bytes(&mut scratch)?;
        let malformed = |detail: String| {
            Error::at(
                ErrorClass::MalformedRecord,
                record.offset,
                format!("the frame is not one TDP message: {detail}"),
            )
        };
        let (decoded, used) = decode_any(message).map_err(|e| malformed(e.to_string()))?;
        if used != message.len() {
            return Err(malformed(format!(
                "{} bytes follow the {}-byte message",
                message.len() - used,
                used
            )));
        }
        let entry = stats.entry(decoded.kind()).or_default();
        entry.count += 1;
        entry.bytes += message.len() as u64;
    }
    Ok(())
}
