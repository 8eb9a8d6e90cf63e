//! The one error type of the crate.
//!
//! Every failure carries a *class* (the stable names of the spec's error table,
//! which the conformance suite checks) and, where it concerns the bytes of a
//! recording, the byte offset at which the fault was found. nom's types never
//! leave the crate: the framer and the body parsers translate them here.

use std::fmt;
use std::io;
use std::sync::Arc;

/// The error classes defined by the specification (`spec/format.md`, "Errors").
///
/// The names returned by [`ErrorClass::as_str`] are part of the format: tools
/// print them and the conformance suite compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The file does not start with the tdpr signature.
    BadSignature,
    /// The file needs a newer reader than this one.
    UnsupportedVersion,
    /// A CRC32C check failed (file header or record).
    ChecksumMismatch,
    /// The input ends inside the file header or inside a record.
    Truncated,
    /// The input ends cleanly after a record but the recording has no trailer.
    Unfinished,
    /// A record type this reader does not know, marked critical.
    UnknownCriticalRecord,
    /// A record of a known type sets flag bits this version does not define.
    UnknownFlags,
    /// A length or count is larger than the reader's configured limit.
    LimitExceeded,
    /// A record's body does not match the layout of its type.
    MalformedRecord,
    /// A record stands where the format does not allow it.
    MisplacedRecord,
    /// An absolute time exceeds 2^63 - 1 microseconds.
    TimeOverflow,
    /// The index or trailer is inconsistent with itself or with the records.
    BadIndex,
    /// The writer was asked to do something the format cannot express.
    InvalidInput,
    /// Reading or writing the underlying stream failed.
    Io,
}

impl ErrorClass {
    /// The class name used by the spec, the CLI and the conformance suite.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BadSignature => "bad_signature",
            Self::UnsupportedVersion => "unsupported_version",
            Self::ChecksumMismatch => "checksum_mismatch",
            Self::Truncated => "truncated",
            Self::Unfinished => "unfinished",
            Self::UnknownCriticalRecord => "unknown_critical_record",
            Self::UnknownFlags => "unknown_flags",
            Self::LimitExceeded => "limit_exceeded",
            Self::MalformedRecord => "malformed_record",
            Self::MisplacedRecord => "misplaced_record",
            Self::TimeOverflow => "time_overflow",
            Self::BadIndex => "bad_index",
            Self::InvalidInput => "invalid_input",
            Self::Io => "io",
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error reading or writing a recording.
///
/// Match on [`Error::class`] rather than on the variant's private detail; the
/// detail text may change between versions, the class names do not.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A fault in the bytes of a recording, at a byte offset from the start of
    /// the file.
    #[error("{class} at offset {offset}: {detail}")]
    Format {
        /// What kind of fault.
        class: ErrorClass,
        /// Byte offset of the fault from the start of the file.
        offset: u64,
        /// A human-readable description.
        detail: String,
    },
    /// The writer was given something the format cannot hold.
    #[error("invalid_input: {0}")]
    InvalidInput(String),
    /// A protobuf message (metadata, event) did not decode: class
    /// `malformed_record`, without an offset when it did not come from a
    /// record's bytes (a record's own faults are [`Error::Format`]).
    #[error("malformed_record: {0}")]
    Protobuf(#[from] prost::DecodeError),
    /// The underlying reader or writer failed (shared, so that an error can
    /// be reported again, as a failed stream reader does).
    #[error("io: {0}")]
    Io(Arc<io::Error>),
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(Arc::new(e))
    }
}

impl Error {
    /// A format fault of `class` at `offset`. Cold, so that the readers'
    /// hot paths keep their error branches (and the `format!` calls in them)
    /// out of line.
    #[cold]
    #[inline(never)]
    pub(crate) fn at(class: ErrorClass, offset: u64, detail: impl Into<String>) -> Self {
        Self::Format {
            class,
            offset,
            detail: detail.into(),
        }
    }

    /// The spec's class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            Self::Format { class, .. } => *class,
            Self::InvalidInput(_) => ErrorClass::InvalidInput,
            Self::Protobuf(_) => ErrorClass::MalformedRecord,
            Self::Io(_) => ErrorClass::Io,
        }
    }

    /// Byte offset of the fault from the start of the file, when the error is
    /// about the file's bytes.
    pub fn offset(&self) -> Option<u64> {
        match self {
            Self::Format { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
