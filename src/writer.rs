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
//! periodically bounds what a crash can lose.
//!
//! Writing allocates nothing once the buffers have grown: headers are built
//! on the stack and the batch, compression and event buffers are reused.

use std::io::Write;

use flate2::{Compress, Compression as Level, FlushCompress, Status};

use crate::error::{Error, Result};
use crate::extensible::Extensible;
use crate::frame_batch::BatchBuilder;
use crate::framing::write_record;
use crate::header::{FileHeader, HEADER_LEN};
use crate::index::{IndexBuilder, IndexOptions, Observed};
use crate::limits::Limits;
use crate::proto::{Event, Metadata};
use crate::record::PNG_SIGNATURE;
use crate::record_type::{RecordFlags, RecordType};
use crate::sequence::MAX_TIME_US;
use crate::varint;

/// Whether and how the writer compresses frame payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Store every payload as is.
    None,
    /// Deflate frame payloads of at least `min_len` bytes that hold no PNG
    /// image, and keep the result when it is smaller.
    Deflate {
        /// zlib level, 0 (none) to 9 (best).
        level: u32,
        /// Smaller payloads are stored as is.
        min_len: usize,
    },
}

impl Default for Compression {
    fn default() -> Self {
        Compression::Deflate {
            level: 1,
            min_len: 256,
        }
    }
}

/// Whether and how the writer gathers consecutive frames into frame batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batching {
    /// One frame record a frame.
    None,
    /// Gather consecutive frames that are not compressed into one frame
    /// batch record.
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
#[derive(Debug)]
pub struct Writer<W: Write> {
    sink: W,
    options: WriterOptions,
    offset: u64,
    clock: u64,
    index: IndexBuilder,
    deflater: Option<Compress>,
    scratch: Vec<u8>,
    batch: BatchBuilder,
    /// The time delta of the pending batch's record.
    batch_delta: u64,
    poisoned: bool,
}

impl<W: Write> Writer<W> {
    /// Writes the file header and the metadata record to `sink`.
    pub fn new(
        sink: W,
        metadata: impl Into<Extensible<Metadata>>,
        options: WriterOptions,
    ) -> Result<Self> {
        let metadata = metadata.into();
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
        let deflater = match options.compression {
            Compression::None => None,
            Compression::Deflate { level, .. } => {
                Some(Compress::new(Level::new(level.min(9)), false))
            }
        };
        let mut writer = Writer {
            sink,
            options,
            offset: 0,
            clock: 0,
            index: IndexBuilder::new(
                options.index,
                metadata.message.screen_width,
                metadata.message.screen_height,
            ),
            deflater,
            scratch: Vec::new(),
            batch: BatchBuilder::default(),
            batch_delta: 0,
            poisoned: false,
        };
        writer.sink.write_all(&FileHeader::CURRENT.to_bytes())?;
        writer.offset = HEADER_LEN as u64;
        let mut encoded = Vec::with_capacity(metadata.encoded_len());
        metadata.encode(&mut encoded);
        if encoded.len() > options.limits.max_metadata_len as usize {
            return Err(Error::InvalidInput(format!(
                "metadata of {} bytes exceeds the limit of {}",
                encoded.len(),
                options.limits.max_metadata_len
            )));
        }
        writer.put(RecordType::METADATA, RecordFlags::NONE, 0, &[&encoded])?;
        Ok(writer)
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
        let delta = self.advance(time_us)?;
        let len = message.len() as u64;
        if self.deflate(message)? {
            let mut inflated = [0; varint::MAX_LEN];
            let inflated_len = varint::encode(len, &mut inflated);
            let compressed = std::mem::take(&mut self.scratch);
            let result = self.write_frame_record(
                time_us,
                delta,
                RecordFlags::COMPRESSED,
                &[&inflated[..inflated_len], &compressed],
                len,
            );
            self.scratch = compressed;
            return result;
        }
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
                if self.batch.len() == 0 {
                    // The batch's record will start here: nothing else is
                    // written before it.
                    self.batch_delta = delta;
                    self.index
                        .observe(self.offset, time_us, Observed::Frame { message_len: len });
                } else {
                    self.index.observe_batched_frame(time_us, len);
                }
                self.batch.push(time_us, message);
                self.clock = time_us;
                return Ok(());
            }
        }
        self.write_frame_record(time_us, delta, RecordFlags::NONE, &[message], len)
    }

    /// Writes one frame record of its own, after the pending batch.
    fn write_frame_record(
        &mut self,
        time_us: u64,
        delta: u64,
        flags: RecordFlags,
        parts: &[&[u8]],
        message_len: u64,
    ) -> Result<()> {
        self.write_batch()?;
        let offset = self.offset;
        self.put(RecordType::FRAME, flags, delta, parts)?;
        self.commit(offset, time_us, Observed::Frame { message_len });
        Ok(())
    }

    /// Writes the pending frame batch, if any: as a frame record when it
    /// holds one frame. Its frames are already in the index.
    fn write_batch(&mut self) -> Result<()> {
        if self.batch.len() == 0 {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let mut count = [0; varint::MAX_LEN];
        let result = if batch.len() == 1 {
            let message = batch.only_message();
            self.put(
                RecordType::FRAME,
                RecordFlags::NONE,
                self.batch_delta,
                &[message],
            )
        } else {
            let pieces = batch.pieces(&mut count);
            self.put(
                RecordType::FRAME_BATCH,
                RecordFlags::NONE,
                self.batch_delta,
                &pieces,
            )
        };
        self.batch = batch;
        result?;
        self.batch.clear();
        Ok(())
    }

    /// Records that the screen is `width` × `height` pixels from `time_us` on.
    pub fn write_screen_size(&mut self, time_us: u64, width: u32, height: u32) -> Result<()> {
        let delta = self.advance(time_us)?;
        self.write_batch()?;
        let offset = self.offset;
        let mut payload = [0u8; 8];
        payload[..4].copy_from_slice(&width.to_le_bytes());
        payload[4..].copy_from_slice(&height.to_le_bytes());
        self.put(
            RecordType::SCREEN_SIZE,
            RecordFlags::NONE,
            delta,
            &[&payload],
        )?;
        self.commit(offset, time_us, Observed::ScreenSize { width, height });
        Ok(())
    }

    /// Records a key event.
    pub fn write_event(&mut self, time_us: u64, event: impl Into<Extensible<Event>>) -> Result<()> {
        let event = event.into();
        let delta = self.advance(time_us)?;
        self.write_batch()?;
        let offset = self.offset;
        let mut encoded = std::mem::take(&mut self.scratch);
        encoded.clear();
        event.encode(&mut encoded);
        let result = self.put(RecordType::EVENT, RecordFlags::NONE, delta, &[&encoded]);
        self.scratch = encoded;
        result?;
        self.commit(
            offset,
            time_us,
            Observed::Event {
                kind: event.message.kind as u32,
            },
        );
        Ok(())
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
        let delta = self.advance(time_us)?;
        self.write_batch()?;
        let offset = self.offset;
        let mut size = [0u8; 8];
        size[..4].copy_from_slice(&width.to_le_bytes());
        size[4..].copy_from_slice(&height.to_le_bytes());
        self.put(
            RecordType::KEYFRAME,
            RecordFlags::NONE,
            delta,
            &[&size, png],
        )?;
        self.commit(offset, time_us, Observed::Keyframe);
        Ok(())
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
        let delta = self.advance(time_us)?;
        self.write_batch()?;
        let offset = self.offset;
        self.put(record_type, flags, delta, &[payload])?;
        self.commit(offset, time_us, Observed::Other);
        Ok(())
    }

    /// Writes the pending frame batch and flushes the sink: every frame and
    /// record written so far is then recoverable.
    pub fn flush(&mut self) -> Result<()> {
        self.write_batch()?;
        self.sink.flush()?;
        Ok(())
    }

    /// Writes the index and trailer, flushes, and returns the sink.
    pub fn finish(mut self) -> Result<W> {
        self.write_batch()?;
        let mut index = Vec::with_capacity(self.index.encoded_len());
        self.index.encode(&mut index, &self.options.limits)?;
        let index_offset = self.offset;
        self.put(RecordType::INDEX, RecordFlags::NONE, 0, &[&index])?;
        self.put(
            RecordType::TRAILER,
            RecordFlags::NONE,
            0,
            &[&index_offset.to_le_bytes()],
        )?;
        self.sink.flush()?;
        Ok(self.sink)
    }

    /// The sink.
    pub fn get_ref(&self) -> &W {
        &self.sink
    }

    /// Bytes written to the sink so far (a pending frame batch is not).
    pub fn bytes_written(&self) -> u64 {
        self.offset
    }

    /// The time delta from the last record to `time_us`.
    fn advance(&self, time_us: u64) -> Result<u64> {
        if time_us < self.clock {
            return Err(Error::InvalidInput(format!(
                "time {time_us} µs is before the previous record's {} µs",
                self.clock
            )));
        }
        if time_us > MAX_TIME_US {
            return Err(Error::InvalidInput(format!(
                "time {time_us} µs exceeds 2^63 - 1"
            )));
        }
        Ok(time_us - self.clock)
    }

    /// Notes a written content record.
    fn commit(&mut self, offset: u64, time_us: u64, what: Observed) {
        self.clock = time_us;
        self.index.observe(offset, time_us, what);
    }

    /// Deflates `message` into `scratch`; true when the result is to be used.
    fn deflate(&mut self, message: &[u8]) -> Result<bool> {
        let (Some(deflater), Compression::Deflate { min_len, .. }) =
            (&mut self.deflater, self.options.compression)
        else {
            return Ok(false);
        };
        if message.len() < min_len || holds_png(message) {
            return Ok(false);
        }
        deflater.reset();
        self.scratch.clear();
        // Room for the worst case: zlib-rs 0.6 panics instead of returning
        // when `Finish` runs out of output space, and incompressible frames
        // (RemoteFX updates) make its level-1 encoder, which always writes
        // fixed-Huffman blocks, grow by up to 9 bits a byte.
        self.scratch.reserve(deflate_bound(message.len()));
        let status = deflater
            .compress_vec(message, &mut self.scratch, FlushCompress::Finish)
            .map_err(|e| Error::InvalidInput(format!("deflate failed: {e}")))?;
        Ok(status == Status::StreamEnd && self.scratch.len() + varint::MAX_LEN < message.len())
    }

    /// Writes one record and advances the offset; a failed write poisons
    /// the writer, since the sink may now hold part of a record.
    fn put(
        &mut self,
        record_type: RecordType,
        flags: RecordFlags,
        delta: u64,
        parts: &[&[u8]],
    ) -> Result<()> {
        if self.poisoned {
            return Err(Error::InvalidInput(
                "an earlier write failed; the recording can only be recovered".into(),
            ));
        }
        match write_record(
            &mut self.sink,
            record_type,
            flags,
            delta,
            parts,
            &self.options.limits,
        ) {
            Ok(len) => {
                self.offset += len;
                Ok(())
            }
            Err(e) => {
                self.poisoned = matches!(e, Error::Io(_));
                Err(e)
            }
        }
    }
}

/// True when a TDP message carries a PNG image (PNG and PNG2 frames), which
/// does not compress further: a PNG signature in its first 64 bytes. The
/// places where PNG and PNG2 frames hold it are looked at first, so that
/// the scan runs only for messages that are not image tiles.
fn holds_png(message: &[u8]) -> bool {
    const PNG_FRAME_IMAGE_AT: usize = 17;
    const PNG2_FRAME_IMAGE_AT: usize = 21;
    let signature_at =
        |at: usize| message.get(at..at + PNG_SIGNATURE.len()) == Some(&PNG_SIGNATURE[..]);
    signature_at(PNG2_FRAME_IMAGE_AT)
        || signature_at(PNG_FRAME_IMAGE_AT)
        || message
            .get(..64)
            .unwrap_or(message)
            .windows(PNG_SIGNATURE.len())
            .any(|w| w == PNG_SIGNATURE)
}

/// The most bytes raw DEFLATE can make of `len` bytes at any level: 9 bits a
/// byte in fixed-Huffman blocks, plus block headers and the end.
fn deflate_bound(len: usize) -> usize {
    len + (len >> 3) + 64
}
