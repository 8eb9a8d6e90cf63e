//! Rewriting a recording with its frames compressed, or stored, as a writer
//! with other options would have written them (spec 6, 5.8, 11).
//!
//! Recordings written before frame batches could be compressed, or by a
//! recorder that saved its CPU, can be made smaller afterwards, and a
//! compressed one stored again for a reader that wants every message in
//! place. The records stay the records they were, in the same order, with
//! the same frames, times and contents: only the flags and the payloads of
//! frame and frame batch records change, and with them every offset, so the
//! canonical JSON is the same apart from offsets and flags. Everything else
//! (keyframes, events, screen sizes, records of unknown ancillary types, the
//! metadata as stored) is written as it was, and the index is rebuilt with
//! the original's parameters.

use std::io::Write;

use super::compressor::Compressor;
use super::record_writer::RecordWriter;
use super::writer::Compression;
use crate::error::Result;
use crate::format::{BatchBuilder, Inflater, RecordBody};
use crate::limits::Limits;
use crate::read::{validate_with_limits, Recording};

/// What [`recompress`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recompression {
    /// Records written, the metadata, index and trailer included.
    pub records: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Frame and frame batch records whose payload is now compressed.
    pub compressed: u64,
    /// Frame and frame batch records whose payload is now stored.
    pub stored: u64,
}

/// Writes the recording in `data` to `sink` again, its frame and frame
/// batch payloads compressed as `compression` says. `data` must be a valid
/// recording (spec 10): a damaged or unfinished one is `recover`ed first.
/// Returns the sink and what was written.
pub fn recompress<W: Write>(
    data: &[u8],
    sink: W,
    compression: Compression,
) -> Result<(W, Recompression)> {
    let limits = Limits::default();
    validate_with_limits(data, limits)?;
    let recording = Recording::parse_with_limits(data, limits)?;
    let index = recording
        .index()
        .expect("a valid recording has an index")
        .options;
    let mut records = recording.records();
    let metadata = records.next().expect("a valid recording has metadata")?;
    let RecordBody::Metadata(stored_metadata) = metadata.body else {
        unreachable!("the first record of a valid recording is the metadata")
    };
    let screen = recording.metadata().message.screen_width;
    let screen = (screen, recording.metadata().message.screen_height);
    let mut out = RecordWriter::start(
        sink,
        recording.header(),
        stored_metadata,
        screen,
        index,
        limits,
    )?;
    let mut done = Recompression {
        records: 1,
        ..Recompression::default()
    };
    let mut compressor = Compressor::new(compression);
    let mut inflater = Inflater::default();
    let mut batch = BatchBuilder::default();
    for record in records {
        let record = record?;
        let (flags, body) = match &record.body {
            RecordBody::Index(_) | RecordBody::Trailer { .. } => break,
            RecordBody::Frame(message) => compressor.frame(message.bytes_in(&mut inflater)?)?,
            RecordBody::FrameBatch(_) => {
                batch.clear();
                for frame in record.frames(&mut inflater)? {
                    batch.push(frame.time_us, frame.message);
                }
                compressor.batch(&batch)?
            }
            _ => {
                out.write(
                    record.record_type,
                    record.flags,
                    record.time_us,
                    &record.body,
                )?;
                done.records += 1;
                continue;
            }
        };
        if flags.is_compressed() {
            done.compressed += 1;
        } else {
            done.stored += 1;
        }
        out.write(record.record_type, flags, record.time_us, &body)?;
        done.records += 1;
    }
    let (sink, bytes) = out.finish()?;
    done.records += 2;
    done.bytes = bytes;
    Ok((sink, done))
}
