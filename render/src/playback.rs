//! A recording played on a [`Screen`]: from the start, or from the nearest
//! keyframe before a time, then on in time order.
//!
//! Starting at a keyframe takes the pixels from the keyframe and everything
//! else the screen holds (size, pointer, fast-path decoder state) from the
//! records before it, read without drawing (spec/rendering.md, "Starting at
//! a keyframe"). Replaying from the start never uses keyframes: they are a
//! shortcut, and a full replay is what they must agree with.

use tdpr::{Inflater, Record, RecordBody, Recording, Records, SeekEntry};

use crate::error::Result;
use crate::keyframe_state::{before_keyframe, BeforeKeyframe, DecoderOrigin};
use crate::screen::Screen;

/// A recording being played on a screen.
pub struct Playback<'a> {
    records: Records<'a>,
    /// The frames of the record being played: each one's time and the end
    /// of its message in `messages`, where they are copied out of the record
    /// (inflated first when it is compressed) into buffers reused from
    /// record to record; those from `next_frame` on are not yet applied.
    frames: Vec<(u64, usize)>,
    messages: Vec<u8>,
    next_frame: usize,
    inflater: Inflater,
    /// A record read but not yet due.
    next_record: Option<Record<'a>>,
    screen: Screen,
    time_us: u64,
}

impl std::fmt::Debug for Playback<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Playback")
            .field("time_us", &self.time_us)
            .field("screen", &self.screen)
            .finish_non_exhaustive()
    }
}

impl<'a> Playback<'a> {
    /// Plays `recording` from its start, on a black screen of the
    /// metadata's size, never using keyframes.
    pub fn from_start(recording: &Recording<'a>) -> Result<Self> {
        let metadata = &recording.metadata().message;
        let mut records = recording.records();
        records.next().transpose()?; // the metadata
        Ok(Playback {
            records,
            frames: Vec::new(),
            messages: Vec::new(),
            next_frame: 0,
            inflater: Inflater::default(),
            next_record: None,
            screen: Screen::new(metadata.screen_width, metadata.screen_height)?,
            time_us: 0,
        })
    }

    /// Plays `recording` up to `time_us`, starting from the latest keyframe
    /// at or before it when the index names one (from the start otherwise).
    pub fn at(recording: &Recording<'a>, time_us: u64) -> Result<Self> {
        let mut playback = Self::from_start(recording)?;
        let keyframe = recording
            .index()
            .and_then(|index| index.keyframe_at_or_before(time_us));
        if let Some(entry) = keyframe {
            playback.start_at_keyframe(recording, &entry)?;
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
                    self.apply_record(&record);
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
            match self.records.next().transpose()? {
                None => break,
                Some(record) => match record.body {
                    RecordBody::Frame(_) | RecordBody::FrameBatch(_) => {
                        self.frames.clear();
                        self.messages.clear();
                        self.next_frame = 0;
                        for frame in record.frames(&mut self.inflater)? {
                            self.messages.extend_from_slice(frame.message);
                            self.frames.push((frame.time_us, self.messages.len()));
                        }
                    }
                    _ => self.next_record = Some(record),
                },
            }
        }
        Ok(())
    }

    fn apply_record(&mut self, record: &Record<'a>) {
        if let RecordBody::ScreenSize { width, height } = record.body {
            if let Err(e) = self.screen.resize(width, height) {
                self.screen.count_undrawn(&"screen_size record", &e);
            }
        }
    }

    /// Starts at the keyframe of seek entry `entry`: the state its `tdST`
    /// chunk holds, the decoder state rebuilt from the records it names (or,
    /// for a keyframe without the chunk, everything from the records before
    /// it), then its pixels.
    fn start_at_keyframe(&mut self, recording: &Recording<'a>, entry: &SeekEntry) -> Result<()> {
        let mut records = recording.records_from(entry)?;
        let Some(keyframe) = records.next().transpose()? else {
            return Ok(());
        };
        let RecordBody::Keyframe { width, height, png } = keyframe.body else {
            return Ok(());
        };
        let origin = match before_keyframe(png) {
            BeforeKeyframe::Nothing => None,
            BeforeKeyframe::AllRecords => Some(DecoderOrigin {
                offset: 0,
                time_us: 0,
            }),
            BeforeKeyframe::RecordsFrom { offset, time_us } => {
                Some(DecoderOrigin { offset, time_us })
            }
        };
        if let Some(origin) = origin {
            self.prime(recording, origin, entry.offset)?;
        }
        if let Err(e) = self.screen.load_keyframe(width, height, png) {
            // Too late to draw what came before: say so, and play on from here.
            self.screen.count_undrawn(&"keyframe", &e);
        }
        self.records = records;
        self.time_us = keyframe.time_us;
        Ok(())
    }

    /// Applies the state the records from `origin` up to `offset` leave,
    /// drawing nothing.
    fn prime(
        &mut self,
        recording: &Recording<'a>,
        origin: DecoderOrigin,
        offset: u64,
    ) -> Result<()> {
        // Nothing read here is drawn: CRCs are left to the records drawn
        // after the keyframe (format.md 4.1 lets a player skip them).
        let records = if origin.offset == 0 {
            let mut records = recording.records().skip_checksums();
            records.next().transpose()?; // the metadata
            records
        } else {
            let entry = SeekEntry {
                time_us: origin.time_us,
                offset: origin.offset,
                width: 0,
                height: 0,
                is_keyframe: false,
                keyframe_entry: None,
            };
            recording.records_from(&entry)?.skip_checksums()
        };
        for record in records {
            let record = record?;
            if record.offset >= offset {
                break;
            }
            for frame in record.frames(&mut self.inflater)? {
                let message = frame.message;
                if !draws_pixels_only(message) {
                    self.screen.prime(message);
                }
            }
            if let RecordBody::ScreenSize { width, height } = record.body {
                let _ = self.screen.resize(width, height);
            }
        }
        Ok(())
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
