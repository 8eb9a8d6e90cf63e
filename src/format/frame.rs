//! Frames as a player sees them: a TDP message and its time, whichever record
//! holds it.
//!
//! A message is stored either in a frame record of its own (possibly
//! compressed) or among others in a frame batch (stored, or compressed as one
//! block). Code that replays, counts or converts messages does not care
//! which: [`Record::frames`] hands out the same [`Frame`]s for all of them,
//! in place when they are stored, from an [`Inflater`] when they are not.

use super::frame_batch::BatchFrames;
use super::payload::Inflater;
use super::record::{Record, RecordBody};
use crate::error::Result;

/// One TDP message with its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'m> {
    /// The message's time, microseconds since the session start.
    pub time_us: u64,
    /// Where a fault in this message is reported (spec 10.1): the frame
    /// record's offset, for a frame of a batch its message's first byte, or
    /// for a frame of a compressed batch the first byte of its block.
    pub offset: u64,
    /// The TDP message, inflated when it is stored compressed.
    pub message: &'m [u8],
}

/// The frames of one record (see [`Record::frames`]).
#[derive(Debug, Clone)]
pub struct Frames<'m>(Inner<'m>);

#[derive(Debug, Clone)]
enum Inner<'m> {
    One(Option<Frame<'m>>),
    Batch(BatchFrames<'m>),
}

impl<'a> Record<'a> {
    /// The TDP messages this record holds with their times: one for a frame
    /// record, every frame of a frame batch, none for other records. Stored
    /// messages are borrowed in place; a compressed frame or batch is
    /// inflated first, into `inflater` (reuse one for every record).
    /// `malformed_record` when a compressed stream does not inflate as spec
    /// section 6 requires.
    #[inline]
    pub fn frames<'m>(&self, inflater: &'m mut Inflater) -> Result<Frames<'m>>
    where
        'a: 'm,
    {
        Ok(Frames(match &self.body {
            RecordBody::Frame(message) => Inner::One(Some(Frame {
                time_us: self.time_us,
                offset: self.offset,
                message: message.bytes_in(inflater)?,
            })),
            RecordBody::FrameBatch(batch) => {
                let messages = batch.messages().bytes_in(inflater)?;
                Inner::Batch(batch.frames(self.time_us, messages))
            }
            _ => Inner::One(None),
        }))
    }
}

impl<'m> Iterator for Frames<'m> {
    type Item = Frame<'m>;

    #[inline]
    fn next(&mut self) -> Option<Frame<'m>> {
        match &mut self.0 {
            Inner::One(frame) => frame.take(),
            Inner::Batch(frames) => frames.next().map(|f| Frame {
                time_us: f.time_us,
                offset: f.offset,
                message: f.message,
            }),
        }
    }
}
