//! # tdpr: recordings of Teleport Desktop Protocol sessions
//!
//! A tdpr file archives the TDP messages of a remote-desktop session with
//! their timing, so that a player can replay it, seek anywhere at once, skip
//! idle time and list key events. The format is specified in `spec/`; this
//! crate is its reference implementation.
//!
//! ## Which API for which job
//!
//! | you are | use |
//! |---|---|
//! | a recorder writing live | [`Writer`]: one call per message, [`Writer::flush`] at will, [`Writer::finish`] at the end |
//! | a player with the whole file (a memory map, a `Vec`) | [`Recording::parse`], then [`Recording::seek`] or [`Recording::records`] |
//! | a live viewer receiving bytes | [`StreamReader`]: [`StreamReader::push`] then [`StreamReader::next_record`] |
//! | an auditor | [`validate()`] ([`validate_frames()`] to check every TDP message too), or [`Scan::run`] for counts and the first fault, [`summarize()`] for a report |
//! | repairing a cut-off file | [`recover()`] |
//! | comparing with another implementation | [`dump()`] to the canonical JSON, [`encode()`] back |
//! | looking inside frames | [`tdp::decode_any`] for one TDP or TDPB message, [`census()`] for counts |
//!
//! Records borrow their payloads from the input; nothing is copied unless a
//! payload is stored compressed ([`Payload::bytes`]). A TDP message is stored
//! in a frame record of its own or, with others, in a frame batch;
//! [`Record::frames`] hands out the messages of both alike.
//!
//! ```
//! use tdpr::{Recording, RecordBody, Writer, WriterOptions, proto::Metadata};
//!
//! let metadata = Metadata { user: "alice".into(), screen_width: 1024, screen_height: 768, ..Default::default() };
//! let mut writer = Writer::new(Vec::new(), metadata, WriterOptions::default())?;
//! writer.write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0, 20])?; // a TDP mouse move
//! writer.write_frame(16_000, &[3, 0, 0, 0, 11, 0, 0, 0, 21])?;
//! let bytes = writer.finish()?;
//!
//! let recording = Recording::parse(&bytes)?;
//! assert_eq!(recording.metadata().message.user, "alice");
//! assert_eq!(recording.index().unwrap().frame_count, 2);
//! // The writer gathered both messages into one frame batch record;
//! // `frames()` lists the messages of any record that holds some.
//! let records: Vec<_> = recording.seek(10_000)?.collect::<Result<_, _>>()?;
//! assert!(matches!(records[0].body, RecordBody::FrameBatch(_))); // the seek entry at or before 10 ms
//! let times: Vec<u64> = records.iter().flat_map(|r| r.frames()).map(|f| f.time_us).collect();
//! assert_eq!(times, [0, 16_000]);
//! # Ok::<(), tdpr::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod census;
mod dump;
mod encode;
mod error;
mod extensible;
mod frame;
mod frame_batch;
mod framing;
mod header;
mod index;
mod limits;
mod payload;
pub mod proto;
mod record;
mod record_type;
mod recording;
mod recover;
pub mod sample;
mod scan;
mod sequence;
mod stream;
mod summary;
pub mod synth;
pub mod tdp;
pub mod teleport;
mod validate;
mod varint;
mod writer;

pub use census::{census, Census, MessageStats};
pub use dump::{
    dump, event_kind_name, BodyJson, Canonical, End, EventEntryJson, EventJson, FrameJson,
    IdleJson, IndexJson, MetadataJson, RecordJson, SeekJson,
};
pub use encode::encode;
pub use error::{Error, ErrorClass, Result};
pub use extensible::{Extensible, KnownFields};
pub use frame::{Frame, Frames};
pub use frame_batch::{BatchFrame, BatchFrames, FrameBatch};
pub use framing::{RECORD_CRC_LEN, RECORD_HEADER_LEN};
pub use header::{FileHeader, FORMAT_VERSION, HEADER_LEN, SIGNATURE};
pub use index::{EventEntry, IdleSpan, IndexBuilder, IndexOptions, IndexView, SeekEntry};
pub use limits::Limits;
pub use payload::Payload;
pub use record::{OwnedRecord, Record, RecordBody, PNG_SIGNATURE};
pub use record_type::{RecordFlags, RecordType};
pub use recording::{Recording, Records, ScanEnd, TRAILER_LEN};
pub use recover::{recover, Recovery};
pub use scan::{Scan, TypeStats};
pub use sequence::MAX_TIME_US;
pub use stream::StreamReader;
pub use summary::{summarize, EventInfo, Fault, MessageInfo, Summary, TypeInfo};
pub use validate::{validate, validate_frames, Validation};
pub use writer::{Batching, Compression, Writer, WriterOptions};
