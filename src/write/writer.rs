//! Writing a recording live, one record per call.
//!
//! A recorder opens a [`Writer`] on any `io::Write` (wrap a file in a
//! `BufWriter`), writes the metadata once, then appends TDP messages, screen
//! size changes, events and keyframes with their times as they happen. Each
//! record is complete and checksummed on its own, so whatever has reached the
//! sink survives a crash; [`Writer::finish`] appends the index and trailer.
//!
//! Consecutive frames are gathered into frame batches (spec 5.8), one record
//! and one CRC for up to 64 KiB of messages, which is what makes a recording
//! of small messages compact and cheap to write and read. A batch reaches the
//! sink when it is full, when its first frame is a second old, before any
//! other record, and on [`Writer::flush`]: a recorder that flushes
//! periodically bounds what a crash can lose. By default a batch's messages
//! are deflated as one block when that makes the record smaller: what the
//! messages share (PNG chunk headers, repeated tiles) is then stored once.
//!
//! Writing allocates nothing once the buffers have grown: headers are built
//! on the stack and the batch, compression and event buffers are reused.
//! Records reach the sink through the one record-writing layer
//! (`record_writer.rs`); this module decides what to batch and compress.

use std::io::Write;

use super::compressor::Compressor;
use super::record_writer::{delta, RecordWriter};
use super::sealer::Sealer;
use crate::error::{Error, Result};
use crate::format::{
    varint, BatchBuilder, FileHeader, IndexOptions, Payload, RecordBody, RecordFlags, RecordType,
    PNG_SIGNATURE,
};
use crate::limits::Limits;
use crate::proto::{Event, Extensible, Metadata};

/// Whether and how the writer compresses frame payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Store every payload as is: the least CPU.
    None,
    /// Deflate the messages of each frame batch as one block (spec 5.8), and
    /// each frame written alone that holds no PNG image; payloads of fewer
    /// than `min_len` bytes are stored as is, and so is every payload the
    /// result would not make smaller.
    Deflate {
        /// zlib level, 0 (none) to 9 (best).
        level: u32,
        /// Smaller payloads are stored as is.
        min_len: usize,
    },
}

impl Compression {
    /// Deflate at `level`, payloads of 256 bytes or more.
    pub const fn deflate(level: u32) -> Self {
        Compression::Deflate {
            level,
            min_len: 256,
        }
    }
}

impl Default for Compression {
    /// Level 6: within 0.3 % of level 9's size on desktop sessions, and
    /// 6 % smaller than level 1's (spec Appendix A).
    fn default() -> Self {
        Compression::deflate(6)
    }
}

/// Whether and how the writer gathers consecutive frames into frame batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batching {
    /// One frame record a frame.
    None,
    /// Gather consecutive frames into one frame batch record.
    Frames {
        /// A batch is written before it would hold more message bytes than
        /// this; a larger frame gets a frame record of its own. At most a
        /// twelfth of the record-length limit, so that even a batch of
        /// one-byte messages with ten-byte deltas fits in one record.
        max_bytes: usize,
        /// A batch is written before a frame this long after its first
        /// frame joins it.
        max_span_us: u64,
    },
}

impl Default for Batching {
    fn default() -> Self {
        Batching::Frames {
            max_bytes: 64 * 1024,
            max_span_us: 1_000_000,
        }
    }
}

/// Options of a [`Writer`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriterOptions {
    /// Compression of frame payloads.
    pub compression: Compression,
    /// Gathering of frames into frame batches.
    pub batching: Batching,
    /// Parameters of the index.
    pub index: IndexOptions,
    /// Limits the written file must respect (a reader with these limits must
    /// be able to read it).
    pub limits: Limits,
}

/// Writes a recording to a sink.
///
/// ```
/// use tdpr::{proto::Metadata, Writer, WriterOptions};
///
/// let metadata = Metadata { user: "alice".into(), screen_width: 1024, screen_height: 768, ..Default::default() };
/// let mut writer = Writer::new(Vec::new(), metadata, WriterOptions::default())?;
/// writer.write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0, 20])?;      // a TDP mouse move at t = 0
/// writer.write_screen_size(500_000, 1280, 800)?;                // a resize at 0.5 s
/// writer.flush()?;                                              // all of it survives a crash now
/// writer.write_frame(900_000, &[3, 0, 0, 0, 11, 0, 0, 0, 21])?;
/// let bytes = writer.finish()?;                                 // index and trailer
/// assert_eq!(tdpr::validate(&bytes)?.records, 6);
/// # Ok::<(), tdpr::Error>(())
/// ```
///
/// A writer dropped without [`Writer::finish`] (a recorder that stops on an
/// error, a panic that unwinds) writes its pending frame batch and flushes
/// the sink, best effort: the file is then an unfinished recording holding
/// every frame written, which `tdpr recover` (or [`crate::recover`]) turns
/// into a finished one.
#[derive(Debug)]
pub struct Writer<W: Write> {
    /// `None` only once `finish` has taken the sink.
    records: Option<RecordWriter<W>>,
    options: WriterOptions,
    /// Time of the last frame or record, the pending batch included.
    clock: u64,
    compressor: Compressor,
    scratch: Vec<u8>,
    batch: BatchBuilder,
}

impl<W: Write> Writer<W> {
    /// Writes the file header and the metadata record to `sink`.
    pub fn new(
        sink: W,
        metadata: impl Into<Extensible<Metadata>>,
        options: WriterOptions,
    ) -> Result<Self> {
        Self::start(sink, metadata.into(), options, None)
    }

    /// A writer that signs as it writes (spec/signing.md 6): `sealer` sees
    /// every record written and adds checkpoints. The `tdpr-sign` crate
    /// makes one from a key; the options stay plain data, and a recorder that
    /// does not sign compiles no cryptography.
    pub fn with_sealer(
        sink: W,
        metadata: impl Into<Extensible<Metadata>>,
        options: WriterOptions,
        sealer: Box<dyn Sealer>,
    ) -> Result<Self> {
        Self::start(sink, metadata.into(), options, Some(sealer))
    }

    fn start(
        sink: W,
        metadata: Extensible<Metadata>,
        options: WriterOptions,
        sealer: Option<Box<dyn Sealer>>,
    ) -> Result<Self> {
        if let Batching::Frames { max_bytes, .. } = options.batching {
            // Per message byte, at worst: the byte, its length (1) and a
            // delta (10); then the time delta and the count.
            let worst = (max_bytes as u64).saturating_mul(12) + 2 * varint::MAX_LEN as u64;
            if worst > u64::from(options.limits.max_record_len) {
                return Err(Error::InvalidInput(format!(
                    "batches of {max_bytes} bytes of messages could exceed the record-length limit of {}",
                    options.limits.max_record_len
                )));
            }
        }
        let mut encoded = Vec::with_capacity(metadata.encoded_len());
        metadata.encode(&mut encoded);
        if encoded.len() > options.limits.max_metadata_len as usize {
            return Err(Error::InvalidInput(format!(
                "metadata of {} bytes exceeds the limit of {}",
                encoded.len(),
                options.limits.max_metadata_len
            )));
        }
        let records = RecordWriter::start_sealed(
            sink,
            FileHeader::CURRENT,
            Payload::Stored(&encoded),
            (
                metadata.message.screen_width,
                metadata.message.screen_height,
            ),
            options.index,
            options.limits,
            sealer,
        )?;
        Ok(Writer {
            records: Some(records),
            options,
            clock: 0,
            compressor: Compressor::new(options.compression),
            scratch: Vec::new(),
            batch: BatchBuilder::default(),
        })
    }

    /// Appends one TDP message received `time_us` microseconds after the
    /// session start.
    pub fn write_frame(&mut self, time_us: u64, message: &[u8]) -> Result<()> {
        if message.is_empty() {
            return Err(Error::InvalidInput(
                "a frame holds at least one byte".into(),
            ));
        }
        if message.len() as u64 > self.options.limits.max_inflated_len {
            return Err(Error::InvalidInput(format!(
                "a frame of {} bytes exceeds the limit of {}",
                message.len(),
                self.options.limits.max_inflated_len
            )));
        }
        self.advance(time_us)?;
        if let Batching::Frames {
            max_bytes,
            max_span_us,
        } = self.options.batching
        {
            if self.batch.len() > 0
                && (self.batch.messages_len() + message.len() > max_bytes
                    || time_us - self.batch.first_time_us() >= max_span_us)
            {
                self.write_batch()?;
            }
            if message.len() <= max_bytes {
                self.batch.push(time_us, message);
                self.clock = time_us;
                return Ok(());
            }
        }
        self.write_batch()?;
        self.write_lone_frame(time_us, message)?;
        self.clock = time_us;
        Ok(())
    }

    /// Writes a frame record holding `message`, deflated when that pays.
    fn write_lone_frame(&mut self, time_us: u64, message: &[u8]) -> Result<()> {
        let (flags, body) = self.compressor.frame(message)?;
        records_of(&mut self.records).write(RecordType::FRAME, flags, time_us, &body)
    }

    /// Records that the screen is `width` × `height` pixels from `time_us` on.
    pub fn write_screen_size(&mut self, time_us: u64, width: u32, height: u32) -> Result<()> {
        self.advance(time_us)?;
        self.write_record(
            RecordType::SCREEN_SIZE,
            RecordFlags::NONE,
            time_us,
            &RecordBody::ScreenSize { width, height },
        )
    }

    /// Records a key event.
    pub fn write_event(&mut self, time_us: u64, event: impl Into<Extensible<Event>>) -> Result<()> {
        let event = event.into();
        self.advance(time_us)?;
        let mut encoded = std::mem::take(&mut self.scratch);
        encoded.clear();
        event.encode(&mut encoded);
        let result = self.write_record(
            RecordType::EVENT,
            RecordFlags::NONE,
            time_us,
            &RecordBody::Event(&encoded),
        );
        self.scratch = encoded;
        result
    }

    /// Records a full-screen PNG image of `width` × `height` pixels a player
    /// can start rendering from.
    pub fn write_keyframe(
        &mut self,
        time_us: u64,
        width: u32,
        height: u32,
        png: &[u8],
    ) -> Result<()> {
        if !png.starts_with(&PNG_SIGNATURE) {
            return Err(Error::InvalidInput("a keyframe holds a PNG image".into()));
        }
        self.advance(time_us)?;
        self.write_record(
            RecordType::KEYFRAME,
            RecordFlags::NONE,
            time_us,
            &RecordBody::Keyframe { width, height, png },
        )
    }

    /// Appends an ancillary record of a type this version does not define (a
    /// newer writer's, carried through by a tool that rewrites files).
    pub fn write_unknown_ancillary(
        &mut self,
        time_us: u64,
        record_type: RecordType,
        flags: RecordFlags,
        payload: &[u8],
    ) -> Result<()> {
        if !record_type.is_ancillary() || record_type.name().is_some() {
            return Err(Error::InvalidInput(format!(
                "{record_type} is not an unknown ancillary type"
            )));
        }
        self.advance(time_us)?;
        self.write_record(record_type, flags, time_us, &RecordBody::Unknown(payload))
    }

    /// Writes the pending frame batch and flushes the sink: every frame and
    /// record written so far is then recoverable.
    pub fn flush(&mut self) -> Result<()> {
        self.write_batch()?;
        self.records().flush()
    }

    /// Writes the pending frames, the index and the trailer, flushes, and
    /// returns the sink.
    pub fn finish(mut self) -> Result<W> {
        self.write_batch()?;
        self.records
            .take()
            .expect("the sink is taken only here")
            .finish()
            .map(|(sink, _)| sink)
    }

    /// The sink.
    pub fn get_ref(&self) -> &W {
        self.records
            .as_ref()
            .expect("the sink is taken only by finish")
            .get_ref()
    }

    /// Bytes written to the sink so far (a pending frame batch is not).
    pub fn bytes_written(&self) -> u64 {
        self.records
            .as_ref()
            .expect("the sink is taken only by finish")
            .offset()
    }

    fn records(&mut self) -> &mut RecordWriter<W> {
        records_of(&mut self.records)
    }

    /// Checks that `time_us` does not go back in time.
    fn advance(&self, time_us: u64) -> Result<()> {
        delta(self.clock, time_us).map(|_| ())
    }

    /// Writes one record after the pending batch.
    fn write_record(
        &mut self,
        record_type: RecordType,
        flags: RecordFlags,
        time_us: u64,
        body: &RecordBody<'_>,
    ) -> Result<()> {
        self.write_batch()?;
        self.records().write(record_type, flags, time_us, body)?;
        self.clock = time_us;
        Ok(())
    }

    /// Writes the pending frame batch, if any: as a frame record when it
    /// holds one frame, with its messages deflated when that pays.
    fn write_batch(&mut self) -> Result<()> {
        if self.batch.len() == 0 {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let time_us = batch.first_time_us();
        let result = if batch.len() == 1 {
            self.write_lone_frame(time_us, batch.messages())
        } else {
            self.compressor.batch(&batch).and_then(|(flags, body)| {
                records_of(&mut self.records).write(RecordType::FRAME_BATCH, flags, time_us, &body)
            })
        };
        self.batch = batch;
        result?;
        self.batch.clear();
        Ok(())
    }
}

/// Best effort for a writer that was not finished: its pending frames reach
/// the sink, which is flushed, so that the file is a recoverable unfinished
/// recording.
impl<W: Write> Drop for Writer<W> {
    fn drop(&mut self) {
        if self.records.is_some() {
            let _ = self.flush();
        }
    }
}

/// The record writer of a writer that is not finished (borrowing only that
/// field, so that the compressor's output can be written through it).
fn records_of<W: Write>(records: &mut Option<RecordWriter<W>>) -> &mut RecordWriter<W> {
    records.as_mut().expect("the sink is taken only by finish")
}
