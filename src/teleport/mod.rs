//! Teleport's own desktop session recordings: import into tdpr and export
//! back.
//!
//! Why it exists: every desktop recording made so far was written by
//! Teleport, as gzip'd parts of length-prefixed protobuf audit events (its
//! "protostream"). This module reads and writes that container
//! ([`StreamReader`], [`StreamWriter`]), and converts whole sessions both
//! ways ([`import()`], [`export()`]) without losing a TDP message, a delay or
//! an event field: a frame too large for one Teleport event is cut into
//! several that Teleport's player shows as the one frame (`split`). `spec/teleport.md` describes Teleport's layout, with a
//! citation for each fact, and the mapping.

mod error;
mod event_view;
mod export;
mod import;
mod mapping;
mod part_header;
pub mod proto;
mod split;
mod stream_reader;
mod stream_writer;
mod wire;

pub use error::{StreamError, StreamErrorClass};
pub use event_view::{EventView, RecordingView, DESKTOP_RECORDING};
pub use export::{export, renumbered, ExportOptions, ExportReport};
pub use import::{import, ImportOptions, ImportReport};
pub use mapping::DesktopKind;
pub use part_header::{
    PartHeader, DEFAULT_PART_SIZE, FLAG_ENCRYPTED, MAX_RECORD_LEN, V1_HEADER_LEN, V2_HEADER_LEN,
};
pub use stream_reader::{RecordPosition, StreamReader};
pub use stream_writer::StreamWriter;
pub use wire::WireError;
