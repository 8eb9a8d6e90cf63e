//! Keyframes from any recording: after the fact ([`insert_keyframes`]) or
//! live, as a recorder writes ([`LiveKeyframes`]).
//!
//! A keyframe is the screen's pixels at a record boundary (spec/format.md
//! 5.5, spec/rendering.md "Keyframes"). Both functions follow one schedule
//! ([`KeyframeSchedule`]): a keyframe at the first record boundary at least
//! `every` after the previous keyframe (or after the start), and one after
//! every record that changed the screen's size; an existing keyframe counts
//! as one written.
//!
//! Inserting keeps every original record byte for byte: a keyframe is put
//! at the clock of the boundary (time delta 0), so the delta of the record
//! after it still counts from the same clock. The index is rebuilt, with
//! the parameters of the original one. Running it again inserts nothing:
//! wherever a keyframe is due, the first run left one.

use std::io::Write;

use tdpr::write::RecordWriter;
use tdpr::{IndexOptions, Limits, RecordBody, RecordFlags, RecordType, Recording, Writer};

use crate::error::{RenderError, Result};
use crate::keyframe_state::DecoderOrigin;
use crate::screen::Screen;
use crate::undrawn::Undrawn;

/// When keyframes are due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyframeSchedule {
    every_us: u64,
    next_due_us: u64,
    resized: bool,
}

impl KeyframeSchedule {
    /// A keyframe every `every_us` (at least 1 µs), the first `every_us`
    /// after the start.
    pub fn new(every_us: u64) -> Self {
        let every_us = every_us.max(1);
        KeyframeSchedule {
            every_us,
            next_due_us: every_us,
            resized: false,
        }
    }

    /// True when a keyframe is due at a boundary whose clock is `clock_us`.
    pub fn is_due(&self, clock_us: u64) -> bool {
        self.resized || clock_us >= self.next_due_us
    }

    /// A keyframe was written (or found) at `time_us`.
    pub fn keyframe_at(&mut self, time_us: u64) {
        self.next_due_us = time_us.saturating_add(self.every_us);
        self.resized = false;
    }

    /// The screen changed size: a keyframe is due at the next boundary.
    pub fn resized(&mut self) {
        self.resized = true;
    }
}

/// What [`insert_keyframes`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    /// Keyframes inserted.
    pub keyframes: u64,
    /// Bytes they take, record framing included.
    pub keyframe_bytes: u64,
    /// The messages that could not be drawn (the keyframes after them show
    /// what the others drew).
    pub undrawn: Undrawn,
}

/// Rewrites a finished or unfinished recording, `input`, into `sink` with
/// keyframes on [`KeyframeSchedule::new`]`(every_us)`, and a new index and
/// trailer; returns the sink and what was inserted. Every original content
/// record is kept byte for byte (the old index and trailer are replaced),
/// and written as it is read: the output is never held in memory. Messages
/// that cannot be drawn are drawn as far as they can be; the keyframes show
/// the screen the renderer holds. A failure of the sink is
/// [`RenderError::Sink`].
pub fn insert_keyframes<W: Write>(input: &[u8], every_us: u64, sink: W) -> Result<(W, Inserted)> {
    let recording = Recording::parse(input)?;
    let metadata = &recording.metadata().message;
    let mut screen = Screen::new(metadata.screen_width, metadata.screen_height)?;
    let mut schedule = KeyframeSchedule::new(every_us);
    let mut inserted = Inserted {
        keyframes: 0,
        keyframe_bytes: 0,
        undrawn: Undrawn::default(),
    };
    let mut records = recording.records();
    let Some(metadata_record) = records.next().transpose()? else {
        return Err(tdpr::Error::InvalidInput("a recording without metadata".into()).into());
    };
    let index_options = recording
        .index()
        .map_or_else(IndexOptions::default, |index| index.options);
    let mut writer = RecordWriter::start_from(
        sink,
        recording.header(),
        &metadata_record,
        index_options,
        Limits::default(),
        None,
    )
    .map_err(sink_failure)?;
    let mut inflater = tdpr::Inflater::default();
    let mut png = Vec::new();
    let mut clock = 0u64;
    let mut started = false;
    // Where fast-path decoder state starts: the first content record, then
    // each record holding a server hello.
    let mut origin: Option<DecoderOrigin> = None;
    for record in records {
        let record = record?;
        if matches!(
            record.body,
            RecordBody::Index(_) | RecordBody::Trailer { .. }
        ) {
            break;
        }
        let existing_keyframe_here =
            matches!(record.body, RecordBody::Keyframe { .. }) && record.time_us == clock;
        if started && !existing_keyframe_here && schedule.is_due(clock) && screen.width() > 0 {
            png.clear();
            let origin = origin.unwrap_or(DecoderOrigin {
                offset: 0,
                time_us: 0,
            });
            screen.keyframe_png(origin, &mut png)?;
            let before = writer.offset();
            let keyframe = RecordBody::Keyframe {
                width: screen.width(),
                height: screen.height(),
                png: &png,
            };
            writer
                .write(RecordType::KEYFRAME, RecordFlags::NONE, clock, &keyframe)
                .map_err(sink_failure)?;
            inserted.keyframes += 1;
            inserted.keyframe_bytes += writer.offset() - before;
            schedule.keyframe_at(clock);
        }
        started = true;
        // The record's offset in the new file.
        let here = DecoderOrigin {
            offset: writer.offset(),
            time_us: record.time_us,
        };
        origin.get_or_insert(here);
        let end = (record.payload_offset + record.raw_payload.len() as u64) as usize
            + tdpr::format::RECORD_CRC_LEN;
        writer
            .copy(&record, &input[record.offset as usize..end])
            .map_err(sink_failure)?;
        let size_before = (screen.width(), screen.height());
        let connections = screen.connections();
        clock = record.time_us;
        match record.body {
            RecordBody::Keyframe { .. } => schedule.keyframe_at(record.time_us),
            RecordBody::ScreenSize { width, height } => {
                if let Err(e) = screen.resize(width, height) {
                    screen.count_undrawn(&"screen_size record", &e);
                }
            }
            _ => {
                for frame in record.frames(&mut inflater)? {
                    clock = frame.time_us;
                    let _ = screen.apply(frame.message);
                }
            }
        }
        if (screen.width(), screen.height()) != size_before {
            schedule.resized();
        }
        if screen.connections() != connections {
            origin = Some(here);
        }
    }
    let (sink, _) = writer.finish().map_err(sink_failure)?;
    inserted.undrawn = screen.undrawn().clone();
    Ok((sink, inserted))
}

/// A failure of the record writer: its sink's I/O error is the output's
/// ([`RenderError::Sink`]); anything else is the recording's.
fn sink_failure(error: tdpr::Error) -> RenderError {
    match error {
        tdpr::Error::Io(e) => RenderError::Sink(
            std::sync::Arc::try_unwrap(e)
                .unwrap_or_else(|e| std::io::Error::new(e.kind(), e.to_string())),
        ),
        other => other.into(),
    }
}

/// Keyframes for a recorder that writes live: it shows every message and
/// screen size to this, and asks it to write a keyframe before each record
/// (or now and then). Unlike [`insert_keyframes`], which must keep every
/// record's bytes, a live keyframe takes the time it is written at: the
/// writer computes the deltas.
///
/// ```
/// use tdpr::{proto::Metadata, Writer, WriterOptions};
/// use tdpr_render::LiveKeyframes;
///
/// let metadata = Metadata { screen_width: 320, screen_height: 200, ..Default::default() };
/// let mut writer = Writer::new(Vec::new(), metadata, WriterOptions::default())?;
/// let mut keyframes = LiveKeyframes::new(320, 200, 10_000_000)?;
/// for (time, message) in [(0, [3u8, 0, 0, 0, 1, 0, 0, 0, 2]), (12_000_000, [3, 0, 0, 0, 5, 0, 0, 0, 6])] {
///     keyframes.write_if_due(&mut writer, time)?; // before the message
///     writer.write_frame(time, &message)?;
///     keyframes.apply_frame(time, &message);
/// }
/// let bytes = writer.finish()?;
/// assert_eq!(tdpr::Recording::parse(&bytes)?.index().unwrap().seek_entries().filter(|e| e.is_keyframe).count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct LiveKeyframes {
    screen: Screen,
    schedule: KeyframeSchedule,
    clock_us: u64,
    started: bool,
    png: Vec<u8>,
}

impl LiveKeyframes {
    /// For a session whose screen starts at `width` × `height`, a keyframe
    /// every `every_us`.
    pub fn new(width: u32, height: u32, every_us: u64) -> Result<Self> {
        Ok(LiveKeyframes {
            screen: Screen::new(width, height)?,
            schedule: KeyframeSchedule::new(every_us),
            clock_us: 0,
            started: false,
            png: Vec::new(),
        })
    }

    /// The recorder wrote a frame with this message at `time_us`.
    pub fn apply_frame(&mut self, time_us: u64, message: &[u8]) {
        let size = (self.screen.width(), self.screen.height());
        let _ = self.screen.apply(message);
        self.wrote(time_us, size);
    }

    /// The recorder wrote a screen-size record at `time_us`.
    pub fn apply_screen_size(&mut self, time_us: u64, width: u32, height: u32) {
        let size = (self.screen.width(), self.screen.height());
        let _ = self.screen.resize(width, height);
        self.wrote(time_us, size);
    }

    fn wrote(&mut self, time_us: u64, size_before: (u32, u32)) {
        self.started = true;
        self.clock_us = self.clock_us.max(time_us);
        if (self.screen.width(), self.screen.height()) != size_before {
            self.schedule.resized();
        }
    }

    /// The screen as the recorder's messages left it.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// Writes a keyframe at `now_us` (no earlier than the last record
    /// written) when one is due then; call it before writing each record,
    /// with that record's time, or at any moment. Returns whether it wrote
    /// one.
    pub fn write_if_due<W: Write>(&mut self, writer: &mut Writer<W>, now_us: u64) -> Result<bool> {
        let now_us = now_us.max(self.clock_us);
        if !self.started || !self.schedule.is_due(now_us) || self.screen.width() == 0 {
            return Ok(false);
        }
        self.png.clear();
        let (width, height) = (self.screen.width(), self.screen.height());
        // The recorder's offsets are its writer's: fast-path state is rebuilt
        // from the first record.
        let from_start = DecoderOrigin {
            offset: 0,
            time_us: 0,
        };
        self.screen.keyframe_png(from_start, &mut self.png)?;
        writer
            .write_keyframe(now_us, width, height, &self.png)
            .map_err(RenderError::from)?;
        self.clock_us = now_us;
        self.schedule.keyframe_at(now_us);
        Ok(true)
    }
}
