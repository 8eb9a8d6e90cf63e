//! The one error type of the `tdp` module.
//!
//! Why a type of its own: a recording reader has to tell a cut-off frame from
//! a corrupt one from one that breaks a size rule, and has to say where in the
//! message it happened. Every error carries a stable class name (for logs,
//! CLI output and tests) and, where it concerns bytes, the offset within the
//! message. Parser-library types never leak out of this module.

use std::fmt;

/// Why a TDP or TDPB message could not be decoded, encoded or built from JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended inside the message.
    #[error("truncated message: input ends inside the message at byte {offset}")]
    Truncated {
        /// Offset, within the message, where more bytes were needed.
        offset: usize,
    },
    /// The bytes are present but do not form the message they claim to be.
    #[error("malformed message at byte {offset}: {reason}")]
    Malformed {
        /// Offset, within the message, of the offending field.
        offset: usize,
        /// What is wrong.
        reason: String,
    },
    /// A length is larger than the format allows.
    #[error("limit exceeded at byte {offset}: {what} is {actual}, at most {limit} allowed")]
    LimitExceeded {
        /// Offset, within the message, of the offending length (0 when
        /// the error comes from encoding).
        offset: usize,
        /// Which length.
        what: &'static str,
        /// Its value.
        actual: u64,
        /// The largest value allowed.
        limit: u64,
    },
    /// JSON that does not describe a message.
    #[error("bad JSON: {reason}")]
    BadJson {
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// A stable, machine-readable name for the kind of error:
    /// `truncated_message`, `malformed_message`, `limit_exceeded` or `bad_json`.
    pub fn class(&self) -> &'static str {
        match self {
            Error::Truncated { .. } => "truncated_message",
            Error::Malformed { .. } => "malformed_message",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::BadJson { .. } => "bad_json",
        }
    }

    /// Byte offset within the message, for errors about bytes.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Truncated { offset }
            | Error::Malformed { offset, .. }
            | Error::LimitExceeded { offset, .. } => Some(*offset),
            Error::BadJson { .. } => None,
        }
    }

    pub(crate) fn malformed(offset: usize, reason: impl fmt::Display) -> Self {
        Error::Malformed {
            offset,
            reason: reason.to_string(),
        }
    }

    pub(crate) fn bad_json(reason: impl fmt::Display) -> Self {
        Error::BadJson {
            reason: reason.to_string(),
        }
    }
}
