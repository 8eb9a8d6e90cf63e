//! # tdpr-store: recordings where Teleport keeps them
//!
//! Teleport keeps session recordings in S3, GCS or Azure Blob storage. This
//! crate reads and writes tdpr recordings there, and on any HTTP server
//! that answers range requests, through the `object_store` crate, so that
//! the `tdpr` library a recorder depends on compiles no network code.
//!
//! | you are | use |
//! |---|---|
//! | a player | [`ObjectSource`] with [`tdpr::RangedRecording`]: open with two range requests, show any time with one more |
//! | an auditor | [`validate_frames`] (one object), [`validate_many`] (a bucket's worth, bounded concurrency) |
//! | a tool | [`write_canonical`], [`download`], [`ObjectSource::stream`] (another format's reader, a Teleport recording), [`ObjectSource::stream`] with [`open_for_pass`] (a pass over the records of one's own) |
//! | a recorder | [`MultipartSink`] under [`tdpr::Writer`]: the recording goes up in 5 MiB parts as it is written |
//! | recovering a dead recorder's upload | [`complete_interrupted`], then [`tdpr::recover`] |
//!
//! URLs are parsed by [`Location::parse`]; credentials come from the
//! environment as `object_store`'s builders read it. Every error names the
//! URL. The API blocks: requests run on a runtime of the crate's own.
//!
//! ```no_run
//! use tdpr_store::{Location, ObjectSource};
//!
//! let location = Location::parse("s3://recordings/session.tdpr").unwrap()?;
//! let source = ObjectSource::new(&location)?;
//! let recording = tdpr::RangedRecording::open(&source)?; // two requests
//! let plan = recording.seek_plan(60_000_000, false)?.expect("a finished recording");
//! let mut records = recording.read_plan(&plan, 1 << 20)?; // one more
//! while let Some(record) = records.next_record()? {
//!     if record.time_us > 60_000_000 { break; }
//! }
//! println!("{:?}", source.transfer());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod location;
mod pass;
mod runtime;
mod source;
mod upload;

pub use error::StoreError;
pub use location::Location;
pub use pass::{
    download, open_for_pass, validate_frames, validate_frames_with, validate_many, write_canonical,
    write_canonical_with, Pass, IN_MEMORY_LIMIT,
};
pub use source::{ObjectReader, ObjectSource, Transfer};
pub use upload::{complete_interrupted, journal_location, Journal, MultipartSink, MIN_PART_SIZE};
