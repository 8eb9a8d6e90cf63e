//! A recording played on a [`Screen`]: from the start, or from the nearest
//! keyframe before a time, then on in time order.
//!
//! Starting at a keyframe takes the pixels from the keyframe and everything
//! else the screen holds (size, pointer, fast-path decoder state) from the
//! records before it, read without drawing (spec/rendering.md, "Starting at
//! a keyframe"). Replaying from the start never uses keyframes: they are a
//! shortcut, and a full replay is what they must agree with.
//!
//! A playback reads its records through [`Seekable`]: a file in memory, or
//! one read by range, for which playing up to a time fetches only the
//! keyframe before it and what follows up to the time.

use tdpr::read::{RecordSource, Step};
use tdpr::{Inflater, Record, RecordBody};

use crate::error::Result;
use crate::keyframe_state::{before_keyframe, BeforeKeyframe};
use crate::screen::Screen;
use crate::seekable::{RecordAt, Seekable};

/// A recording being played on a screen, its records read from `R`: the
/// [`Records`](tdpr::Records) of a file in memory, or the
/// [`RangedRecords`](tdpr::read::RangedRecords) of one read by range.
pub struct Playback<R> {
    records: R,
    /// The frames of the record being played: each one's time and the end
    /// of its message in `messages`, where they are copied out of the record
    /// (inflated first when it is compressed) into buffers reused from
    /// record to record; those from `next_frame` on are not yet applied.
    frames: Vec<(u64, usize)>,
    messages: Vec<u8>,
    next_frame: usize,
    inflater: Inflater,
    /// A record without frames read but not yet due.
    next_record: Option<Pending>,
    screen: Screen,
    time_us: u64,
}

/// What playback keeps of a record without frames until it is due: its
/// time, and the size it gives the screen, if any.
#[derive(Debug, Clone, Copy)]
struct Pending {
    time_us: u64,
    screen_size: Option<(u32, u32)>,
}

impl Pending {
    fn of(record: &Record<'_>) -> Self {
        Pending {
            time_us: record.time_us,
            screen_size: match record.body {
                RecordBody::ScreenSize { width, height } => Some((width, height)),
                _ => None,
            },
        }
    }
}

impl<R> std::fmt::Debug for Playback<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Playback")
            .field("time_us", &self.time_us)
            .field("screen", &self.screen)
            .finish_non_exhaustive()
    }
}

impl<R: RecordSource> Playback<R> {
    /// Plays `recording` from its start, on a black screen of the
    /// metadata's size, never using keyframes.
    pub fn from_start<'s, S>(recording: &'s S) -> Result<Self>
    where
        S: Seekable<Records<'s> = R>,
    {
        let (width, height) = recording.screen_size();
        Ok(Playback {
            records: recording.content_records(None, true)?,
            frames: Vec::new(),
            messages: Vec::new(),
            next_frame: 0,
            inflater: Inflater::default(),
            next_record: None,
            screen: Screen::new(width, height)?,
            time_us: 0,
        })
    }

    /// Plays `recording` up to `time_us`, starting from the latest keyframe
    /// at or before it when the index names one (from the start otherwise),
    /// and plays on from there when asked.
    pub fn at<'s, S>(recording: &'s S, time_us: u64) -> Result<Self>
    where
        S: Seekable<Records<'s> = R>,
    {
        Self::up_to(recording, time_us, false)
    }

    /// The screen of `recording` at `time_us`, played as [`Playback::at`]
    /// does, reading nothing after the last record at or before the time
    /// that the index can tell apart: for a recording read by range, the
    /// request after the time is never made. Playing on from it ends there.
    pub fn still<'s, S>(recording: &'s S, time_us: u64) -> Result<Self>
    where
        S: Seekable<Records<'s> = R>,
    {
        Self::up_to(recording, time_us, true)
    }

    fn up_to<'s, S>(recording: &'s S, time_us: u64, bounded: bool) -> Result<Self>
    where
        S: Seekable<Records<'s> = R>,
    {
        let mut playback = Self::from_start(recording)?;
        if let Some(start) = recording.keyframe_at_or_before(time_us)? {
            let until = start.until.filter(|_| bounded);
            playback.records = recording.records_at(start.keyframe, until, true)?;
            if !playback.start_at_keyframe(recording, start.keyframe)? {
                // An index entry that names no keyframe: play from the start.
                playback.records = recording.content_records(None, true)?;
            }
        }
        playback.advance_to(time_us)?;
        Ok(playback)
    }

    /// The screen as played so far.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The screen, to take its damage or change it.
    pub fn screen_mut(&mut self) -> &mut Screen {
        &mut self.screen
    }

    /// The time played up to, microseconds since the session start.
    pub fn time_us(&self) -> u64 {
        self.time_us
    }

    /// The time of the next frame or record not yet applied; `None` at the
    /// end of the recording.
    pub fn next_time_us(&mut self) -> Result<Option<u64>> {
        self.fill()?;
        Ok(self
            .frames
            .get(self.next_frame)
            .map(|&(time_us, _)| time_us)
            .or(self.next_record.as_ref().map(|r| r.time_us)))
    }

    /// Applies every frame and record whose time is at most `time_us`.
    /// A message the screen cannot draw is counted in its
    /// [`undrawn`](Screen::undrawn) report and playback goes on; a record
    /// that cannot be read ends playback with its error.
    pub fn advance_to(&mut self, time_us: u64) -> Result<()> {
        loop {
            self.fill()?;
            if let Some(&(_, end)) = self.frames.get(self.next_frame).filter(|f| f.0 <= time_us) {
                let start = match self.next_frame {
                    0 => 0,
                    i => self.frames[i - 1].1,
                };
                self.next_frame += 1;
                // What the screen cannot draw it counts; playback goes on.
                let _ = self.screen.apply(&self.messages[start..end]);
                continue;
            }
            if self.next_frame == self.frames.len() {
                if let Some(record) = self.next_record.take_if(|r| r.time_us <= time_us) {
                    self.apply_record(record);
                    continue;
                }
            }
            break;
        }
        self.time_us = self.time_us.max(time_us);
        Ok(())
    }

    /// Reads ahead: the next frame of the current record, or the next record.
    fn fill(&mut self) -> Result<()> {
        while self.next_frame == self.frames.len() && self.next_record.is_none() {
            let record = match self.records.step() {
                Step::End(_) => break,
                Step::Fault(e) => return Err(e.into()),
                Step::Record(record) => record,
            };
            match record.body {
                RecordBody::Frame(_) | RecordBody::FrameBatch(_) => {
                    self.frames.clear();
                    self.messages.clear();
                    self.next_frame = 0;
                    for frame in record.frames(&mut self.inflater)? {
                        self.messages.extend_from_slice(frame.message);
                        self.frames.push((frame.time_us, self.messages.len()));
                    }
                }
                _ => self.next_record = Some(Pending::of(&record)),
            }
        }
        Ok(())
    }

    fn apply_record(&mut self, record: Pending) {
        if let Some((width, height)) = record.screen_size {
            if let Err(e) = self.screen.resize(width, height) {
                self.screen.count_undrawn(&"screen_size record", &e);
            }
        }
    }

    /// Starts at the keyframe the records begin with: the state its `tdST`
    /// chunk holds, the decoder state rebuilt from the records it names (or,
    /// for a keyframe without the chunk, everything from the records before
    /// it), then its pixels.
    /// False when the first record is not a keyframe.
    fn start_at_keyframe<'s, S>(&mut self, recording: &'s S, at: RecordAt) -> Result<bool>
    where
        S: Seekable<Records<'s> = R>,
    {
        let (width, height, png, time_us) = match self.records.step() {
            Step::Record(Record {
                body: RecordBody::Keyframe { width, height, png },
                time_us,
                ..
            }) => (width, height, png, time_us),
            Step::Fault(e) => return Err(e.into()),
            _ => return Ok(false),
        };
        // Nothing read before the keyframe is drawn: CRCs are left to the
        // records drawn after it (format.md 4.1 lets a player skip them).
        let before = match before_keyframe(png) {
            BeforeKeyframe::Nothing => None,
            BeforeKeyframe::AllRecords => Some(recording.content_records(Some(at.offset), false)?),
            BeforeKeyframe::RecordsFrom { offset, time_us } => {
                let origin = RecordAt { offset, time_us };
                Some(recording.records_at(origin, Some(at.offset), false)?)
            }
        };
        if let Some(records) = before {
            prime(&mut self.screen, &mut self.inflater, records, at.offset)?;
        }
        if let Err(e) = self.screen.load_keyframe(width, height, png) {
            // Too late to draw what came before: say so, and play on from here.
            self.screen.count_undrawn(&"keyframe", &e);
        }
        self.time_us = time_us;
        Ok(true)
    }
}

/// Applies to `screen` the state `records` leave up to `offset`, drawing
/// nothing.
fn prime<R: RecordSource>(
    screen: &mut Screen,
    inflater: &mut Inflater,
    mut records: R,
    offset: u64,
) -> Result<()> {
    loop {
        let record = match records.step() {
            Step::Record(record) if record.offset < offset => record,
            Step::Fault(e) => return Err(e.into()),
            _ => return Ok(()),
        };
        for frame in record.frames(inflater)? {
            let message = frame.message;
            if !draws_pixels_only(message) {
                screen.prime(message);
            }
        }
        if let RecordBody::ScreenSize { width, height } = record.body {
            let _ = screen.resize(width, height);
        }
    }
}

/// True for a message that only draws pixels (a PNG tile), which a screen
/// being primed can skip without decoding: legacy types 2 and 27, or a TDPB
/// envelope whose payload is `PngFrame` (field 3).
fn draws_pixels_only(message: &[u8]) -> bool {
    const TDPB_PNG_FRAME_KEY: u8 = 0x1A;
    match message.first() {
        Some(2 | 27) => true,
        Some(0) => message.get(4) == Some(&TDPB_PNG_FRAME_KEY),
        _ => false,
    }
}
