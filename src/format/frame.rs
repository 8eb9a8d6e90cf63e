//! Frames as a player sees them: a TDP message and its time, whichever record
//! holds it.
//!
//! A message is stored either in a frame record of its own (possibly
//! compressed) or among others in a frame batch. Code that replays, counts or
//! converts messages does not care which: [`Record::frames`] hands out the
//! same [`Frame`]s for both, in place.

use super::frame_batch::BatchFrames;
use super::payload::Payload;
use super::record::{Record, RecordBody};

/// One TDP message with its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The message's time, microseconds since the session start.
    pub time_us: u64,
    /// Where a fault in this message is reported (spec 10.1): the frame
    /// record's offset, or for a frame of a batch its message's first byte.
    pub offset: u64,
    /// The TDP message, compressed only in a compressed frame record.
    pub message: Payload<'a>,
}

/// The frames of one record (see [`Record::frames`]).
#[derive(Debug, Clone)]
pub struct Frames<'a>(Inner<'a>);

#[derive(Debug, Clone)]
enum Inner<'a> {
    One(Option<Frame<'a>>),
    Batch(BatchFrames<'a>),
}

impl<'a> Record<'a> {
    /// The TDP messages this record holds with their times: one for a frame
    /// record, every frame of a frame batch, none for other records.
    #[inline]
    pub fn frames(&self) -> Frames<'a> {
        Frames(match &self.body {
            RecordBody::Frame(message) => Inner::One(Some(Frame {
                time_us: self.time_us,
                offset: self.offset,
                message: *message,
            })),
            RecordBody::FrameBatch(batch) => Inner::Batch(batch.frames(self.time_us)),
            _ => Inner::One(None),
        })
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Frame<'a>;

    #[inline]
    fn next(&mut self) -> Option<Frame<'a>> {
        match &mut self.0 {
            Inner::One(frame) => frame.take(),
            Inner::Batch(frames) => frames.next().map(|f| Frame {
                time_us: f.time_us,
                offset: f.offset,
                message: Payload::Stored(f.message),
            }),
        }
    }
}
