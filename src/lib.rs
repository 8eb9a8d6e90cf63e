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
//! | a player with a file on disk | [`RecordingFile::open`], then [`RecordingFile::recording`] |
//! | a player whose file is in an object store or on a web server | [`RangedRecording::open`] over a [`RangeSource`] (crate `tdpr-store` has S3, GCS, Azure and HTTP) |
//! | a player with the bytes in memory | [`Recording::parse`], then [`Recording::seek`], [`Recording::records`], [`Recording::records_at`] |
//! | a live viewer receiving bytes | [`StreamReader`]: [`StreamReader::push`] then [`StreamReader::next_record`] |
//! | an auditor | [`validate()`] ([`validate_frames()`] to check every TDP message too), or [`Scan`] for counts and the first fault |
//! | repairing a cut-off file | [`recover()`] |
//! | compressing an existing file, or storing it uncompressed | [`recompress()`] |
//! | comparing with another implementation | [`json::write_canonical`] to the canonical JSON, [`json::encode`] back |
//! | looking inside frames | [`tdp::decode_any`] for one TDP or TDPB message |
//! | converting Teleport's own recordings | [`teleport`] (feature `teleport`) |
//!
//! Records borrow their payloads from the input; nothing is copied unless a
//! payload is stored compressed ([`Payload::bytes`]). A TDP message is stored
//! in a frame record of its own or, with others, in a frame batch;
//! [`Record::frames`] hands out the messages of both alike.
//!
//! ```
//! use tdpr::{Inflater, Recording, RecordBody, Writer, WriterOptions, proto::Metadata};
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
//! // `frames()` lists the messages of any record that holds some, inflating
//! // them when they are compressed.
//! let records: Vec<_> = recording.seek(10_000)?.collect::<Result<_, _>>()?;
//! assert!(matches!(records[0].body, RecordBody::FrameBatch(_))); // the seek entry at or before 10 ms
//! let mut inflater = Inflater::default();
//! let times: Vec<u64> = records[0].frames(&mut inflater)?.map(|f| f.time_us).collect();
//! assert_eq!(times, [0, 16_000]);
//! # Ok::<(), tdpr::Error>(())
//! ```
//!
//! ## Layout
//!
//! | module | what |
//! |---|---|
//! | [`format`] | the format's nouns: header, record types, records, payloads, frame batches, the index |
//! | [`read`] | whole files, streams, full passes, validation |
//! | [`write`] | the live writer, recovery, the one record-writing layer |
//! | [`json`] | the canonical JSON, both ways |
//! | [`proto`] | the metadata and event messages |
//! | [`tdp`] | the TDP and TDPB codec |
//! | [`teleport`] | Teleport's recordings (feature `teleport`) |
//!
//! ## Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `mmap` | on | [`RecordingFile::open`] maps files into memory (else it reads them) |
//! | `teleport` | off | [`teleport`]: import and export Teleport's own recordings |
//! | `schema` | off | JSON Schemas of the JSON forms (`schemars::JsonSchema`) |

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod error;
pub mod format;
pub mod json;
mod limits;
pub mod proto;
pub mod read;
pub mod tdp;
#[cfg(feature = "teleport")]
pub mod teleport;
pub mod write;

pub use error::{Error, ErrorClass, Result};
pub use format::{
    DirectoryPolicy, EventEntry, EventKind, FileHeader, Frame, Frames, IdleSpan, IndexOptions,
    IndexView, Inflater, Payload, Record, RecordBody, RecordFlags, RecordType, SeekEntry,
};
pub use limits::Limits;
pub use read::{
    validate, validate_frames, validate_frames_from_reader, validate_frames_with_limits,
    validate_with_limits, Census, RangeCache, RangeSource, RangedRecording, Recording,
    RecordingFile, Records, Scan, ScanEnd, StreamReader, Validation,
};
pub use write::{
    recompress, recover, recover_with_progress, Batching, Compression, Recompression, Recovery,
    Writer, WriterOptions,
};
