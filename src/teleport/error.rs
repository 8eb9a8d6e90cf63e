//! Why a Teleport session recording could not be read further.
//!
//! The classes are tdpr's own (Teleport's reader has none): they name what is
//! wrong with the container, and the error says where — the part, the part
//! header's byte offset in the input and, for faults inside the records, the
//! offset in the part's decompressed body. `spec/conversion.md` §1 defines them.

use std::fmt;

/// What kind of fault stopped the reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StreamErrorClass {
    /// The input ends inside a part header, a part body, a record or the
    /// padding.
    Truncated,
    /// A part header's version is neither 1 nor 2, or a version 2 header
    /// sets flags other than "encrypted".
    UnsupportedVersion,
    /// The part is encrypted (age), and only Teleport's auth service holds
    /// the key.
    Encrypted,
    /// The part body is not one valid gzip stream within its declared size.
    Gzip,
    /// A record length is 0 or above 65 536 bytes.
    RecordLength,
    /// A record is not a protobuf `events.OneOf` holding one event.
    Protobuf,
    /// Reading the input failed (an I/O error other than its end).
    Io,
}

impl StreamErrorClass {
    /// The class's name as the spec and the JSON write it.
    pub fn name(self) -> &'static str {
        match self {
            StreamErrorClass::Truncated => "truncated",
            StreamErrorClass::UnsupportedVersion => "unsupported_version",
            StreamErrorClass::Encrypted => "encrypted",
            StreamErrorClass::Gzip => "gzip",
            StreamErrorClass::RecordLength => "record_length",
            StreamErrorClass::Protobuf => "protobuf",
            StreamErrorClass::Io => "io",
        }
    }
}

impl fmt::Display for StreamErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A fault of a Teleport session recording, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamError {
    /// What is wrong.
    pub class: StreamErrorClass,
    /// Number of the part, from 0 (empty parts count).
    pub part: u64,
    /// Byte offset of that part's header in the input.
    pub part_offset: u64,
    /// For a fault in the records: the byte offset in the part's
    /// decompressed body where the faulty record starts.
    pub body_offset: Option<u64>,
    /// What exactly was found.
    pub detail: String,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in part {} (header at byte {}",
            self.class, self.part, self.part_offset
        )?;
        if let Some(offset) = self.body_offset {
            write!(f, ", decompressed byte {offset}")?;
        }
        write!(f, "): {}", self.detail)
    }
}

impl std::error::Error for StreamError {}
