//! The format's nouns: what the bytes of a tdpr file are, independent of who
//! reads or writes them (spec/format.md sections 3 to 7).
//!
//! | module | spec | what |
//! |---|---|---|
//! | `header` | 3 | the 20-byte file header |
//! | `record_type` | 4.2, 4.3 | type codes (critical or ancillary) and flags |
//! | `framing` | 4.1 | where a record starts and ends, its CRC; the one writer of a record's bytes |
//! | `record` | 5 | typed records: each type's payload, parsed and written |
//! | `payload` | 6 | compressed payloads, and the inflater readers reuse |
//! | `frame_batch` | 5.8 | the frame batch layout |
//! | `frame` | 5.2, 5.8 | TDP messages with their times, whichever record holds them |
//! | `event_kind` | 5.4 | the kinds of key events |
//! | `index` | 7.1, 7.2 | the index, read in place |
//! | `directory` | 7.4 | the directory at the end of a long index, for readers that fetch ranges |
//! | `index_builder` | 7.3 | the index, computed from the records |
//! | `varint` | 1 | ULEB128 integers |
//!
//! Adding a record type touches three files under `src/`: `record_type.rs`
//! (its code and name), `record.rs` (its payload, both ways) and
//! `json/canonical.rs` (its canonical JSON, both ways). Readers, writers,
//! validation, recovery and the index handle records through those.

mod directory;
mod event_kind;
mod frame;
mod frame_batch;
mod framing;
mod header;
mod index;
mod index_builder;
mod payload;
mod record;
mod record_type;
pub(crate) mod varint;

pub use directory::{
    ends_with_directory, DirectoryFooter, DirectoryView, Sample, Samples, DEFAULT_SAMPLE_INTERVAL,
    DIRECTORY_FOOTER_LEN, DIRECTORY_MAGIC, DIRECTORY_THRESHOLD,
};
pub use event_kind::EventKind;
pub use frame::{Frame, Frames};
pub(crate) use frame_batch::BatchBuilder;
pub use frame_batch::{BatchEntries, BatchFrame, BatchFrames, FrameBatch};
pub(crate) use framing::{body_len, frame, write_record, Checksums, Framed, RawRecord};
pub use framing::{RECORD_CRC_LEN, RECORD_HEADER_LEN, TRAILER_LEN};
pub use header::{FileHeader, FORMAT_VERSION, HEADER_LEN, SIGNATURE};
pub use index::{
    DirectoryPolicy, EventEntry, IdleSpan, IndexHeader, IndexOptions, IndexView, SeekEntry,
};
pub(crate) use index::{INDEX_HEADER_LEN, SEEK_ENTRY_LEN};
pub use index_builder::IndexBuilder;
pub(crate) use payload::deflate;
pub use payload::{Inflater, Payload};
pub(crate) use record::{decode_event, parse_body, ParsedBody};
pub use record::{OwnedRecord, Record, RecordBody, PNG_SIGNATURE};
pub use record_type::{RecordFlags, RecordType};
pub use varint::{decode as decode_uleb128, encode as encode_uleb128, MAX_LEN as ULEB128_MAX_LEN};

/// The largest absolute time a recording may reach, in microseconds (spec
/// 4.1): 2^63 − 1.
pub const MAX_TIME_US: u64 = i64::MAX as u64;
