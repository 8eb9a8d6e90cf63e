//! Importing a Teleport session recording into tdpr.
//!
//! Why it exists: every desktop recording made so far was written by
//! Teleport. [`import`] streams one through [`StreamReader`] and a tdpr
//! [`Writer`]: each `DesktopRecording` becomes a frame at its delay, the
//! session start becomes the metadata, and session end, clipboard and
//! shared-directory events become tdpr events (`spec/conversion.md` §3).
//! Memory stays flat: only the first records are held back, until the start
//! event and the first TDP message have been seen, because tdpr's metadata
//! comes first and Teleport records the start event after a few frames.

use std::io::{Read, Write};

use super::error::{StreamError, StreamErrorClass};
use super::event_view::EventView;
use super::mapping::{event_from_teleport, is_start, metadata_from_start, DesktopKind};
use super::stream_reader::StreamReader;
use crate::error::Result;
use crate::format::MAX_TIME_US;
use crate::proto::{Event, EventKind, Metadata};
use crate::tdp::announced_screen_size;
use crate::write::{Writer, WriterOptions};

/// The largest delay whose time tdpr can hold.
const MAX_DELAY_MS: i64 = (MAX_TIME_US / 1000) as i64;

/// Options of [`import`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportOptions {
    /// How the tdpr file is written.
    pub writer: WriterOptions,
    /// Records held back, at most, while looking for the session start.
    pub lookahead_records: usize,
    /// Bytes of records held back, at most, while looking for the start.
    pub lookahead_bytes: usize,
    /// Events held back, at most, while waiting for the next frame to bound
    /// their time.
    pub held_events: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            writer: WriterOptions::default(),
            lookahead_records: 4096,
            lookahead_bytes: 16 << 20,
            held_events: 1024,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportReport {
    /// Records read from the Teleport stream (duplicates included).
    pub records: u64,
    /// Parts read (empty ones included).
    pub parts: u64,
    /// TDP messages written as frames.
    pub frames: u64,
    /// tdpr events written.
    pub events: u64,
    /// Screen-size records written (derived from the TDP messages).
    pub screen_sizes: u64,
    /// Events dropped because their index was not above the last one (a
    /// resumed upload repeats events; Teleport's reader drops them too).
    pub duplicates_dropped: u64,
    /// Places where the index jumped by more than one.
    pub index_gaps: u64,
    /// Recordings whose delay was negative or below an earlier one, played
    /// at the latest delay so far (as Teleport's player does).
    pub delays_raised: u64,
    /// Recordings with neither a TDP nor a TDPB message, skipped.
    pub empty_recordings: u64,
    /// Events of a kind tdpr has no name for, kept as `unspecified`.
    pub unknown_events: u64,
    /// The desktop's kind, when a session start was found.
    pub desktop: Option<DesktopKind>,
    /// Time of the last record, in microseconds from the session start.
    pub duration_us: u64,
    /// Why the reading stopped early; every complete event before it was
    /// imported and the tdpr file is finished.
    pub stopped: Option<StreamError>,
}

/// Reads the Teleport session recording `input` and writes it to `sink` as a
/// finished tdpr recording. A fault in the input (a truncated or corrupt
/// stream) ends the import early but not in error: the output holds every
/// complete event before it, and [`ImportReport::stopped`] says where and
/// why. Errors are the output's (writing failed).
pub fn import<R: Read, W: Write>(
    input: R,
    sink: W,
    options: &ImportOptions,
) -> Result<(W, ImportReport)> {
    let mut reader = StreamReader::new(input);
    let mut importer = Importer::new(sink, *options);
    loop {
        match reader.next_record() {
            Ok(Some(record)) => {
                importer.report.records += 1;
                if let Err(detail) = importer.accept(record)? {
                    let position = reader.position();
                    importer.report.stopped = Some(StreamError {
                        class: StreamErrorClass::Protobuf,
                        part: position.part,
                        part_offset: position.part_offset,
                        body_offset: Some(position.body_offset),
                        detail: detail.to_string(),
                    });
                    break;
                }
            }
            Ok(None) => break,
            Err(error) => {
                importer.report.stopped = Some(error);
                break;
            }
        }
    }
    importer.report.parts = reader.parts_seen();
    importer.finish()
}

struct Importer<W: Write> {
    options: ImportOptions,
    sink: Option<W>,
    writer: Option<Writer<W>>,
    /// Records held back until the metadata can be written.
    pending: Vec<Vec<u8>>,
    pending_bytes: usize,
    seen_start: bool,
    seen_recording: bool,
    last_index: Option<i64>,
    /// Session start, µs since the epoch.
    origin_us: i64,
    /// Largest delay so far, in milliseconds.
    delay_ms: i64,
    /// Time of the last record written, µs from the start.
    time_us: u64,
    screen: (u32, u32),
    /// Events waiting for the next frame, with their wall-clock times.
    held: Vec<(Event, Option<i64>)>,
    report: ImportReport,
}

impl<W: Write> Importer<W> {
    fn new(sink: W, options: ImportOptions) -> Self {
        Importer {
            options,
            sink: Some(sink),
            writer: None,
            pending: Vec::new(),
            pending_bytes: 0,
            seen_start: false,
            seen_recording: false,
            last_index: None,
            origin_us: 0,
            delay_ms: 0,
            time_us: 0,
            screen: (0, 0),
            held: Vec::new(),
            report: ImportReport::default(),
        }
    }

    /// Takes one record. The inner error says why a record is not an event
    /// (the import stops there, as Teleport's reader would).
    fn accept(&mut self, record: &[u8]) -> Result<std::result::Result<(), &'static str>> {
        let view = match EventView::parse(record) {
            Ok(view) => view,
            Err(error) => return Ok(Err(error.0)),
        };
        if let Some(index) = view.index {
            if let Some(last) = self.last_index {
                if index <= last {
                    self.report.duplicates_dropped += 1;
                    return Ok(Ok(()));
                }
                if index > last.saturating_add(1) {
                    self.report.index_gaps += 1;
                }
            }
            self.last_index = Some(index);
        }
        if self.writer.is_some() {
            self.process(record, &view)?;
            return Ok(Ok(()));
        }
        self.seen_start |= is_start(view.member);
        self.seen_recording |= view.recording.is_some();
        self.pending.push(record.to_vec());
        self.pending_bytes += record.len();
        if (self.seen_start && self.seen_recording)
            || self.pending.len() >= self.options.lookahead_records
            || self.pending_bytes >= self.options.lookahead_bytes
        {
            self.begin()?;
        }
        Ok(Ok(()))
    }

    /// Writes the metadata from the records held back, then processes them.
    fn begin(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let views: Vec<EventView<'_>> = pending
            .iter()
            .map(|record| EventView::parse(record).expect("parsed when accepted"))
            .collect();
        let start = views
            .iter()
            .enumerate()
            .filter(|(_, view)| is_start(view.member))
            .find_map(|(i, _)| metadata_from_start(&pending[i]).map(|found| (i, found)));
        let first_recording_time = views
            .iter()
            .find(|view| view.recording.is_some_and(|r| r.delay_ms <= 0))
            .and_then(|view| view.time_unix_us);
        let start_time = start.as_ref().and_then(|(i, _)| views[*i].time_unix_us);
        self.origin_us = first_recording_time
            .or(start_time)
            .or_else(|| views.iter().find_map(|view| view.time_unix_us))
            .unwrap_or(0);
        self.screen = views
            .iter()
            .filter_map(|view| view.recording.as_ref())
            .find_map(|recording| announced_screen_size(recording.frame()))
            .unwrap_or((0, 0));
        let (mut metadata, start_position) = match start {
            Some((i, (metadata, kind))) => {
                self.report.desktop = Some(kind);
                (metadata, Some(i))
            }
            None => (Metadata::default(), None),
        };
        metadata.start_time_unix_us = self.origin_us;
        (metadata.screen_width, metadata.screen_height) = self.screen;
        metadata.recorder_name = "tdpr import teleport".into();
        metadata.recorder_version = env!("CARGO_PKG_VERSION").into();
        let sink = self.sink.take().expect("begun once");
        self.writer = Some(Writer::new(sink, metadata, self.options.writer)?);
        for (i, view) in views.iter().enumerate() {
            if Some(i) != start_position {
                self.process(&pending[i], view)?;
            }
        }
        Ok(())
    }

    fn process(&mut self, record: &[u8], view: &EventView<'_>) -> Result<()> {
        let Some(recording) = view.recording else {
            let (event, wall_us) = event_from_teleport(record, view);
            if event.kind == EventKind::Unspecified as i32 {
                self.report.unknown_events += 1;
            }
            self.held.push((event, wall_us));
            if self.held.len() >= self.options.held_events {
                self.release_held(self.time_us)?;
            }
            return Ok(());
        };
        let frame = recording.frame();
        if frame.is_empty() {
            self.report.empty_recordings += 1;
            return Ok(());
        }
        if recording.delay_ms < self.delay_ms {
            self.report.delays_raised += 1;
        }
        // tdpr times stop at 2^63 - 1 µs; a delay beyond it is bogus but
        // must not end the import.
        self.delay_ms = self.delay_ms.max(recording.delay_ms).min(MAX_DELAY_MS);
        let time_us = (self.delay_ms as u64 * 1000).max(self.time_us);
        self.release_held(time_us)?;
        let writer = self.writer.as_mut().expect("begun");
        if let Some(size) = announced_screen_size(frame) {
            if size != self.screen {
                writer.write_screen_size(time_us, size.0, size.1)?;
                self.screen = size;
                self.report.screen_sizes += 1;
            }
        }
        writer.write_frame(time_us, frame)?;
        self.report.frames += 1;
        self.time_us = time_us;
        Ok(())
    }

    /// Writes the held events, each at its wall-clock time from the start,
    /// kept between the last record written and `until`.
    fn release_held(&mut self, until: u64) -> Result<()> {
        let writer = self.writer.as_mut().expect("begun");
        for (event, wall_us) in self.held.drain(..) {
            let from_start =
                wall_us.map_or(0, |wall| wall.saturating_sub(self.origin_us).max(0) as u64);
            let time_us = from_start.clamp(self.time_us, until.max(self.time_us));
            writer.write_event(time_us, event)?;
            self.report.events += 1;
            self.time_us = time_us;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(W, ImportReport)> {
        if self.writer.is_none() {
            self.begin()?;
        }
        self.release_held(u64::MAX)?;
        self.report.duration_us = self.time_us;
        let sink = self.writer.take().expect("begun").finish()?;
        Ok((sink, self.report))
    }
}
