//! The canonical JSON form of a recording (spec/json.md): what a reader
//! decodes, in a form any language can compare; conformance compares it.
//!
//! | module | what |
//! |---|---|
//! | `canonical` | the types, and each record's JSON both ways |
//! | `dump` | a recording to its JSON, streamed in one pass |
//! | `encode` | JSON back to a recording |

mod canonical;
mod dump;
mod encode;

pub use canonical::{
    BodyJson, Canonical, DirectoryJson, EndJson, EventEntryJson, EventJson, FrameJson, IdleJson,
    IndexJson, MetadataJson, RecordJson, SampleJson, SeekJson,
};
pub use dump::{
    dump, write_canonical, write_canonical_file, write_canonical_file_with_progress,
    write_canonical_reader,
};
pub use encode::encode;
