//! Reading: a whole file in memory, a stream as it arrives, and full passes
//! that check every byte (spec/format.md 8 to 10).
//!
//! | module | spec | what |
//! |---|---|---|
//! | `recording` | 9.1 | opening a whole file: header, metadata, trailer, index; seeking |
//! | `records` | 9.2 | iterating over records in place |
//! | `sequence` | 8 | the order rules and the clock, shared by every reader |
//! | `stream` | 9.3 | the push parser for bytes as they arrive |
//! | `file` | | a recording file mapped or read |
//! | `source` | | where a full pass reads its records: memory or a stream |
//! | `range_source` | 9.5 | byte ranges from memory, a file or (tdpr-store) an object store; a bounded cache |
//! | `ranged` | 9.5, 7.2, 7.4 | opening and seeking through byte ranges |
//! | `scan` | 8, 10 | the full pass: every payload checked, the index rebuilt |
//! | `validate` | 10 | the validator's verdict |
//! | `census` | 10.1 | the TDP level: one TDP message a frame, counts by kind |

mod census;
mod file;
mod range_source;
mod ranged;
mod recording;
mod records;
mod scan;
mod sequence;
mod source;
mod stream;
mod validate;

pub use census::{Census, MessageStats};
pub use file::{FileReader, FileRecords, RecordingFile};
pub use range_source::{Ends, RangeCache, RangeSource};
pub use ranged::{OpenOptions, RangedRecording, RangedRecords, SeekPlan, SeekStart};
pub(crate) use recording::find_index;
pub use recording::Recording;
pub use records::{Records, ScanEnd};
pub use scan::{Scan, ScannedRecord, TypeStats};
pub use source::{ReadRecords, RecordSource, Step};
pub use stream::StreamReader;
pub(crate) use validate::index_options;
pub use validate::{
    validate, validate_frames, validate_frames_from_reader, validate_frames_with_limits,
    validate_with_limits, Validation,
};
