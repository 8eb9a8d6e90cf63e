//! The file description that directory-sharing responses carry.
//!
//! Why a file of its own: it is the one nested structure in legacy TDP,
//! used by the info, create and list responses (types 14, 16, 26), so its
//! layout is defined once here.
//!
//! `| last_modified uint64 | size uint64 | file_type uint32 | is_empty byte | path_length uint32 | path []byte |`

use nom::number::complete::{be_u32, be_u64, u8 as byte};
use nom::Parser;
use serde::{Deserialize, Serialize};

use super::wire::{string, Parsed, Sink};
use super::Error;

/// One file or directory in a shared directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSystemObject<'a> {
    /// Last modification time as the client reports it (milliseconds since
    /// the Unix epoch in Teleport's web client).
    pub last_modified: u64,
    /// Size in bytes.
    pub size: u64,
    /// 0 = file, 1 = directory.
    pub file_type: u32,
    /// 1 if a directory is empty, else 0; kept as the raw byte.
    pub is_empty: u8,
    /// Path relative to the shared directory.
    pub path: &'a str,
}

impl<'a> FileSystemObject<'a> {
    /// Bytes one object takes at the least (an empty path).
    pub(crate) const MIN_ENCODED_LEN: usize = 8 + 8 + 4 + 1 + 4;

    pub(crate) fn parse(input: &'a [u8]) -> Parsed<'a, Self> {
        let (input, (last_modified, size, file_type, is_empty)) =
            (be_u64, be_u64, be_u32, byte).parse_complete(input)?;
        let (input, path) = string(input)?;
        Ok((
            input,
            FileSystemObject {
                last_modified,
                size,
                file_type,
                is_empty,
                path,
            },
        ))
    }

    pub(crate) fn write<S: Sink>(&self, sink: &mut S) -> Result<(), Error> {
        sink.put_u64(self.last_modified);
        sink.put_u64(self.size);
        sink.put_u32(self.file_type);
        sink.put_u8(self.is_empty);
        sink.put_length_prefixed(self.path.as_bytes(), "path length")
    }
}
