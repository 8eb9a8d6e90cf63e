//! The 20-byte file header: signature, versions and a checksum.
//!
//! The signature follows PNG's design so that the usual ways a binary file is
//! damaged in transfer (7-bit channels, CRLF/LF translation, NUL stripping)
//! change byte 0..10 and are caught before anything else is read. The version
//! pair follows Matroska: the version a writer implemented, and the minimum
//! version a reader needs, so an old reader can open a newer file that only
//! added things it may skip.

use crate::error::{Error, ErrorClass, Result};

/// The 10 signature bytes every tdpr file starts with: `\x89TDPR\r\n\x1a\n\0`.
pub const SIGNATURE: [u8; 10] = *b"\x89TDPR\r\n\x1a\n\0";

/// Size of the file header in bytes; the first record starts here.
pub const HEADER_LEN: usize = 20;

/// The format version this crate writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;

/// The decoded file header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileHeader {
    /// The format version the writer implemented.
    pub version_written: u16,
    /// The minimum format version a reader must implement to read the file.
    pub version_required: u16,
}

impl FileHeader {
    /// The header this crate writes.
    pub const CURRENT: FileHeader = FileHeader {
        version_written: FORMAT_VERSION,
        version_required: FORMAT_VERSION,
    };

    /// Parses and checks the header at the start of `input`.
    ///
    /// `input` shorter than [`HEADER_LEN`] is `truncated` unless the bytes it
    /// has already contradict the signature.
    pub fn parse(input: &[u8]) -> Result<FileHeader> {
        let available = input.len().min(SIGNATURE.len());
        if input[..available] != SIGNATURE[..available] {
            return Err(Error::at(
                ErrorClass::BadSignature,
                0,
                "the file does not start with the tdpr signature",
            ));
        }
        let Some(bytes) = input.get(..HEADER_LEN) else {
            return Err(Error::at(
                ErrorClass::Truncated,
                0,
                format!(
                    "the file header needs {HEADER_LEN} bytes, {} present",
                    input.len()
                ),
            ));
        };
        let stored = u32::from_le_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        let computed = crc32c::crc32c(&bytes[..16]);
        if stored != computed && !cfg!(fuzzing) {
            return Err(Error::at(
                ErrorClass::ChecksumMismatch,
                16,
                format!("file header CRC32C is {stored:#010x}, computed {computed:#010x}"),
            ));
        }
        let header = FileHeader {
            version_written: u16::from_le_bytes([bytes[10], bytes[11]]),
            version_required: u16::from_le_bytes([bytes[12], bytes[13]]),
        };
        if header.version_required == 0 || header.version_required > FORMAT_VERSION {
            return Err(Error::at(
                ErrorClass::UnsupportedVersion,
                12,
                format!(
                    "the file needs a reader of format version {}, this one reads version {FORMAT_VERSION}",
                    header.version_required
                ),
            ));
        }
        Ok(header)
    }

    /// The 20 bytes of this header.
    pub fn to_bytes(self) -> [u8; HEADER_LEN] {
        let mut bytes = [0u8; HEADER_LEN];
        bytes[..10].copy_from_slice(&SIGNATURE);
        bytes[10..12].copy_from_slice(&self.version_written.to_le_bytes());
        bytes[12..14].copy_from_slice(&self.version_required.to_le_bytes());
        let crc = crc32c::crc32c(&bytes[..16]);
        bytes[16..20].copy_from_slice(&crc.to_le_bytes());
        bytes
    }
}
