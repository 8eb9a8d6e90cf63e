//! The header in front of every part of a Teleport session recording.
//!
//! Why it exists: a Teleport recording (the "protostream" of
//! `lib/events/stream.go`) is a concatenation of upload parts, each a header
//! of big-endian u64s, a gzip body and zero padding. The reader and the
//! writer share this one definition of the header's bytes.

/// `ProtoStreamV1`: a plain part (24-byte header).
pub const VERSION_PLAIN: u64 = 1;
/// `ProtoStreamV2`: a part with a flags word (32-byte header); Teleport
/// writes it only for encrypted parts.
pub const VERSION_FLAGS: u64 = 2;
/// `ProtoStreamV1PartHeaderSize`.
pub const V1_HEADER_LEN: usize = 24;
/// `ProtoStreamV2PartHeaderSize`.
pub const V2_HEADER_LEN: usize = 32;
/// `ProtoStreamFlagEncrypted`: the body is an age-encrypted gzip stream.
pub const FLAG_ENCRYPTED: u8 = 0x01;
/// `MaxProtoMessageSizeBytes`: the largest record (a serialized
/// `events.OneOf`) Teleport writes or reads.
pub const MAX_RECORD_LEN: usize = 65_536;
/// `ProtoStreamV1RecordHeaderSize`: each record's big-endian u32 length.
pub const RECORD_HEADER_LEN: usize = 4;
/// `MinUploadPartSizeBytes`: the part size Teleport's uploader aims for.
pub const DEFAULT_PART_SIZE: u64 = 5 * 1024 * 1024;

/// A part header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartHeader {
    /// `VERSION_PLAIN` or `VERSION_FLAGS` (any other value is refused).
    pub version: u64,
    /// Bytes of body after the header.
    pub part_size: u64,
    /// Zero bytes after the body.
    pub padding_size: u64,
    /// The flags byte of a version 2 header (0 for version 1).
    pub flags: u8,
}

impl PartHeader {
    /// A version 1 header for a body of `part_size` bytes and no padding.
    pub fn plain(part_size: u64) -> Self {
        PartHeader {
            version: VERSION_PLAIN,
            part_size,
            padding_size: 0,
            flags: 0,
        }
    }

    /// How many bytes the header takes: 24, or 32 for version 2.
    pub fn encoded_len(&self) -> usize {
        if self.version == VERSION_PLAIN {
            V1_HEADER_LEN
        } else {
            V2_HEADER_LEN
        }
    }

    /// Reads the first 24 bytes. For version 2 the flags word follows; its
    /// first byte goes into `flags`.
    pub fn parse_v1(bytes: &[u8; V1_HEADER_LEN]) -> Self {
        let word = |i: usize| u64::from_be_bytes(bytes[i * 8..i * 8 + 8].try_into().expect("8"));
        PartHeader {
            version: word(0),
            part_size: word(1),
            padding_size: word(2),
            flags: 0,
        }
    }

    /// The header's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(&self.part_size.to_be_bytes());
        out.extend_from_slice(&self.padding_size.to_be_bytes());
        if self.version != VERSION_PLAIN {
            out.push(self.flags);
            out.extend_from_slice(&[0; 7]);
        }
        out
    }
}
