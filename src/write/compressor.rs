//! The writer's compression decisions, shared by the live [`crate::Writer`]
//! and [`crate::write::recompress`] so that a recording written live and
//! one recompressed later store the same payloads the same way (spec 6, 5.8,
//! 11).
//!
//! A frame batch's messages are deflated as one block; a frame written alone
//! is deflated unless it carries a PNG image (which does not shrink alone).
//! Either is kept only when it makes the record smaller. The deflater and
//! its output buffer are reused, so compressing allocates nothing once the
//! buffer has grown.

use flate2::{Compress, Compression as Level};

use super::writer::Compression;
use crate::error::Result;
use crate::format::{
    deflate, varint, BatchBuilder, Payload, RecordBody, RecordFlags, PNG_SIGNATURE,
};

/// Decides, for each frame record and frame batch, whether its payload is
/// stored or deflated, and deflates it.
#[derive(Debug)]
pub(crate) struct Compressor {
    /// `None` when compression is off.
    deflater: Option<Compress>,
    min_len: usize,
    /// The last deflated payload.
    out: Vec<u8>,
}

impl Compressor {
    pub fn new(compression: Compression) -> Self {
        let (deflater, min_len) = match compression {
            Compression::None => (None, 0),
            Compression::Deflate { level, min_len } => (
                Some(Compress::new(Level::new(level.min(9)), false)),
                min_len,
            ),
        };
        Compressor {
            deflater,
            min_len,
            out: Vec::new(),
        }
    }

    /// The flags and body of a frame record holding `message`.
    pub fn frame<'s>(&'s mut self, message: &'s [u8]) -> Result<(RecordFlags, RecordBody<'s>)> {
        if holds_png(message) || !self.deflate(message)? {
            return Ok((
                RecordFlags::NONE,
                RecordBody::Frame(Payload::Stored(message)),
            ));
        }
        let body = RecordBody::Frame(Payload::Deflated {
            inflated_len: message.len() as u64,
            data: &self.out,
            offset: 0,
        });
        Ok((RecordFlags::COMPRESSED, body))
    }

    /// The flags and body of a frame batch record holding what `batch`
    /// holds (at least two frames).
    pub fn batch<'s>(
        &'s mut self,
        batch: &'s BatchBuilder,
    ) -> Result<(RecordFlags, RecordBody<'s>)> {
        if !self.deflate(batch.messages())? {
            return Ok((RecordFlags::NONE, RecordBody::FrameBatch(batch.as_batch())));
        }
        let body = RecordBody::FrameBatch(batch.as_compressed_batch(&self.out));
        Ok((RecordFlags::COMPRESSED, body))
    }

    /// Deflates `payload` into `out` when compression is on and the payload
    /// is long enough; true when the result is smaller, so to be used. (A
    /// compressed frame record's payload also holds the inflated length, up
    /// to ten bytes; a compressed batch's does not, so it has that margin.)
    fn deflate(&mut self, payload: &[u8]) -> Result<bool> {
        let Some(deflater) = &mut self.deflater else {
            return Ok(false);
        };
        if payload.len() < self.min_len {
            return Ok(false);
        }
        deflate(deflater, payload, &mut self.out)?;
        Ok(self.out.len() + varint::MAX_LEN < payload.len())
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
