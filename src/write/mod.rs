//! Writing: live recording, recovery of a cut-off file, and the one layer
//! every record goes through (spec/format.md 11).
//!
//! | module | what |
//! |---|---|
//! | `record_writer` | the record-writing layer: header, records, index and trailer |
//! | `writer` | the recorder's [`Writer`](crate::Writer): batching |
//! | `compressor` | which frame payloads are compressed, for the writer and `recompress` |
//! | `recover` | a complete recording from the good records of a damaged one |
//! | `recompress` | a recording rewritten with its frames compressed or stored anew |
//! | `sealer` | the hook a signer implements to sign records as they are written |

mod compressor;
mod recompress;
mod record_writer;
mod recover;
mod sealer;
mod writer;

pub use recompress::{recompress, Recompression};
pub use record_writer::RecordWriter;
pub use recover::{recover, recover_with_progress, Recovery};
pub use sealer::{Sealer, WrittenRecord};
pub use writer::{Batching, Compression, Writer, WriterOptions};
