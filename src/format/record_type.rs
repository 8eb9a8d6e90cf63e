//! Record type codes and record flags.
//!
//! The high bit of a type code says whether a reader that does not know the
//! type may skip the record (*ancillary*) or must stop (*critical*), as PNG's
//! chunk names do. Both are open newtypes so that codes from newer versions
//! pass through this one intact.

use std::fmt;

/// A record type code (byte 0 of every record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordType(pub u8);

impl RecordType {
    /// Session metadata (protobuf `tdpr.v1.Metadata`); the first record.
    pub const METADATA: RecordType = RecordType(0x01);
    /// One TDP message.
    pub const FRAME: RecordType = RecordType(0x02);
    /// A change of the screen size.
    pub const SCREEN_SIZE: RecordType = RecordType(0x03);
    /// Consecutive TDP messages with their times, in one record.
    pub const FRAME_BATCH: RecordType = RecordType(0x04);
    /// A key event (protobuf `tdpr.v1.Event`).
    pub const EVENT: RecordType = RecordType(0x81);
    /// A full-screen PNG image a player can start rendering from.
    pub const KEYFRAME: RecordType = RecordType(0x82);
    /// The index, written when a recording is finished.
    pub const INDEX: RecordType = RecordType(0x83);
    /// The last record: where the index starts.
    pub const TRAILER: RecordType = RecordType(0x84);
    /// A signed checkpoint (spec/signing.md 4); opaque to the container.
    pub const CHECKPOINT: RecordType = RecordType(0x85);
    /// The proof that ties an excerpt to its original (spec/signing.md 7);
    /// opaque to the container.
    pub const EXCERPT_PROOF: RecordType = RecordType(0x86);

    /// The bit that marks a type as ancillary.
    pub const ANCILLARY_BIT: u8 = 0x80;

    /// True when readers that do not know this type skip it.
    pub const fn is_ancillary(self) -> bool {
        self.0 & Self::ANCILLARY_BIT != 0
    }

    /// True for the signing records, 0x85 to 0x8F (spec/format.md 5.10):
    /// ancillary records whose flags and payload only spec/signing.md
    /// interprets, and which no signature covers.
    pub const fn is_signing(self) -> bool {
        matches!(self.0, 0x85..=0x8F)
    }

    /// The spec's name of a type this version defines.
    pub const fn name(self) -> Option<&'static str> {
        match self {
            Self::METADATA => Some("metadata"),
            Self::FRAME => Some("frame"),
            Self::SCREEN_SIZE => Some("screen_size"),
            Self::FRAME_BATCH => Some("frame_batch"),
            Self::EVENT => Some("event"),
            Self::KEYFRAME => Some("keyframe"),
            Self::INDEX => Some("index"),
            Self::TRAILER => Some("trailer"),
            Self::CHECKPOINT => Some("checkpoint"),
            Self::EXCERPT_PROOF => Some("excerpt_proof"),
            _ => None,
        }
    }

    /// True for the types whose payload may be compressed.
    pub const fn may_be_compressed(self) -> bool {
        matches!(self, Self::METADATA | Self::FRAME | Self::FRAME_BATCH)
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "unknown({:#04x})", self.0),
        }
    }
}

/// The flags byte of a record (byte 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RecordFlags(pub u8);

impl RecordFlags {
    /// No flag set.
    pub const NONE: RecordFlags = RecordFlags(0);
    /// The payload is a raw DEFLATE stream preceded by its inflated length
    /// (of a frame batch: its messages are one DEFLATE stream after its
    /// table).
    pub const COMPRESSED: RecordFlags = RecordFlags(0x01);
    /// Every flag bit this version defines.
    pub const KNOWN: RecordFlags = RecordFlags(0x01);

    /// True when the payload is compressed.
    pub const fn is_compressed(self) -> bool {
        self.0 & Self::COMPRESSED.0 != 0
    }

    /// Bits this version does not define.
    pub const fn unknown_bits(self) -> u8 {
        self.0 & !Self::KNOWN.0
    }
}
