//! Frames by TDP message kind, and the check that every frame holds exactly
//! one TDP message (spec/format.md 10.1).
//!
//! The container does not look inside frames; this does, with the codec of
//! [`crate::tdp`]. [`crate::validate_frames`] applies the check as the TDP
//! level of validation, and `tdpr info` shows the counts, with the frames
//! that are not one TDP message counted apart rather than hidden.

use std::collections::BTreeMap;

use crate::error::{Error, ErrorClass};
use crate::tdp::{decode_any, MessageKind};

/// Frames of one TDP message kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessageStats {
    /// Number of frames.
    pub count: u64,
    /// Bytes of those messages.
    pub bytes: u64,
}

/// Frames counted by TDP message kind.
#[derive(Debug, Default)]
pub struct Census {
    /// Frames holding exactly one TDP message, by kind.
    pub by_kind: BTreeMap<MessageKind, MessageStats>,
    /// Frames that are not exactly one TDP message.
    pub undecodable: MessageStats,
    /// `malformed_record` at the first frame that is not exactly one TDP
    /// message: the TDP level's fault.
    pub first_fault: Option<Error>,
}

impl Census {
    /// Counts the TDP message of a frame whose faults are reported at
    /// `offset` ([`crate::Frame::offset`]).
    pub fn add(&mut self, offset: u64, message: &[u8]) {
        let decoded = decode_any(message);
        if let Ok((message_kind, used)) = &decoded {
            if *used == message.len() {
                let entry = self.by_kind.entry(message_kind.kind()).or_default();
                entry.count += 1;
                entry.bytes += message.len() as u64;
                return;
            }
        }
        self.undecodable.count += 1;
        self.undecodable.bytes += message.len() as u64;
        if self.first_fault.is_none() {
            let detail = match decoded {
                Ok((_, used)) => format!(
                    "{} bytes follow the {used}-byte message",
                    message.len() - used
                ),
                Err(e) => e.to_string(),
            };
            self.first_fault = Some(Error::at(
                ErrorClass::MalformedRecord,
                offset,
                format!("the frame is not one TDP message: {detail}"),
            ));
        }
    }
}
