//! Building the index from the records, as they are written or scanned
//! (spec/format.md 7.3, normative).
//!
//! The index is a pure function of the records and of its parameters, so
//! one builder serves every producer: the writer feeds it as it writes,
//! `recover` and validators as they scan, and validators compare its bytes
//! with the stored index. Entries are encoded as they come, so finishing is
//! a copy.

use super::directory::append_directory;
use super::event_kind::EventKind;
use super::index::{
    IndexOptions, EVENT_ENTRY_LEN, IDLE_SPAN_LEN, INDEX_HEADER_LEN, NO_KEYFRAME, SEEK_ENTRY_LEN,
    SEEK_FLAG_KEYFRAME,
};
use super::record::RecordBody;
use crate::error::{Error, ErrorClass, Result};
use crate::limits::Limits;

/// What the index builder sees of a content record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Observed {
    /// A frame, or the first frame of a batch, whose TDP message has this
    /// many bytes once inflated.
    Frame { message_len: u64 },
    /// A screen size change.
    ScreenSize { width: u32, height: u32 },
    /// An event of this kind.
    Event { kind: EventKind },
    /// A keyframe.
    Keyframe,
    /// An ancillary record of an unknown type.
    Other,
}

/// Builds the index from the records as they are written or scanned.
#[derive(Debug, Clone)]
pub struct IndexBuilder {
    options: IndexOptions,
    duration_us: u64,
    record_count: u64,
    frame_count: u64,
    frame_bytes: u64,
    screen: (u32, u32),
    previous_time: Option<u64>,
    last_entry_time: Option<u64>,
    last_keyframe_entry: u32,
    seek: Vec<u8>,
    events: Vec<u8>,
    idle: Vec<u8>,
}

impl IndexBuilder {
    /// A builder for a recording whose metadata gives this initial screen
    /// size. The metadata record is counted.
    pub fn new(options: IndexOptions, width: u32, height: u32) -> Self {
        Self {
            options,
            duration_us: 0,
            record_count: 1,
            frame_count: 0,
            frame_bytes: 0,
            screen: (width, height),
            previous_time: None,
            last_entry_time: None,
            last_keyframe_entry: NO_KEYFRAME,
            seek: Vec::new(),
            events: Vec::new(),
            idle: Vec::new(),
        }
    }

    /// Accounts for the record at `offset` with time `time_us`: a content
    /// record (any record after the metadata and before the index) adds to
    /// the index; the metadata, index and trailer records do not. Fails,
    /// changing nothing, when an event's kind cannot be read (checking that
    /// the whole event decodes is the scan's job).
    pub fn observe(&mut self, offset: u64, time_us: u64, body: &RecordBody<'_>) -> Result<()> {
        let what = match body {
            RecordBody::Frame(message) => Observed::Frame {
                message_len: message.len(),
            },
            RecordBody::FrameBatch(batch) => Observed::Frame {
                message_len: batch.entries(time_us).next().map_or(0, |(_, len)| len),
            },
            RecordBody::ScreenSize { width, height } => Observed::ScreenSize {
                width: *width,
                height: *height,
            },
            RecordBody::Event(bytes) => Observed::Event {
                kind: EventKind::of_encoded_event(bytes).map_err(|e| {
                    Error::at(
                        ErrorClass::MalformedRecord,
                        offset,
                        format!("event is not a valid tdpr.v1.Event message: {e}"),
                    )
                })?,
            },
            RecordBody::Keyframe { .. } => Observed::Keyframe,
            RecordBody::Metadata(_) | RecordBody::Index(_) | RecordBody::Trailer { .. } => {
                return Ok(())
            }
            // Unknown ancillary records, and any type the index gives no
            // meaning: they count, and can open a seek entry or an idle span.
            _ => Observed::Other,
        };
        self.observe_content(offset, time_us, what);
        if let RecordBody::FrameBatch(batch) = body {
            for (frame_time_us, len) in batch.entries(time_us).skip(1) {
                self.observe_batched_frame(frame_time_us, len);
            }
        }
        Ok(())
    }

    /// Accounts for one content record.
    #[inline]
    fn observe_content(&mut self, offset: u64, time_us: u64, what: Observed) {
        self.record_count += 1;
        self.note_gap_before(time_us);
        let is_keyframe = what == Observed::Keyframe;
        let due = match self.last_entry_time {
            None => true,
            Some(last) => time_us - last >= self.options.seek_interval_us,
        };
        if is_keyframe || due {
            let position = (self.seek.len() / SEEK_ENTRY_LEN) as u32;
            if is_keyframe {
                self.last_keyframe_entry = position;
            }
            let flags = if is_keyframe { SEEK_FLAG_KEYFRAME } else { 0 };
            self.seek.extend_from_slice(&time_us.to_le_bytes());
            self.seek.extend_from_slice(&offset.to_le_bytes());
            self.seek.extend_from_slice(&self.screen.0.to_le_bytes());
            self.seek.extend_from_slice(&self.screen.1.to_le_bytes());
            self.seek.extend_from_slice(&flags.to_le_bytes());
            self.seek
                .extend_from_slice(&self.last_keyframe_entry.to_le_bytes());
            self.last_entry_time = Some(time_us);
        }
        match what {
            Observed::Frame { message_len } => {
                self.frame_count += 1;
                self.frame_bytes += message_len;
            }
            Observed::ScreenSize { width, height } => self.screen = (width, height),
            Observed::Event { kind } => {
                self.events.extend_from_slice(&time_us.to_le_bytes());
                self.events.extend_from_slice(&offset.to_le_bytes());
                self.events
                    .extend_from_slice(&kind.index_value().to_le_bytes());
            }
            Observed::Keyframe | Observed::Other => {}
        }
        self.previous_time = Some(time_us);
        self.duration_us = time_us;
    }

    /// Accounts for a frame of a frame batch after its first (the first is
    /// observed with its record): the frame counts, an idle span before it,
    /// the clock. Batches get no seek entry inside.
    #[inline]
    fn observe_batched_frame(&mut self, time_us: u64, message_len: u64) {
        self.note_gap_before(time_us);
        self.frame_count += 1;
        self.frame_bytes += message_len;
        self.previous_time = Some(time_us);
        self.duration_us = time_us;
    }

    /// Appends an idle span when `time_us` comes too long after the
    /// previous time.
    #[inline]
    fn note_gap_before(&mut self, time_us: u64) {
        if let Some(previous) = self.previous_time {
            if time_us - previous > self.options.idle_threshold_us {
                self.idle.extend_from_slice(&previous.to_le_bytes());
                self.idle.extend_from_slice(&time_us.to_le_bytes());
            }
        }
    }

    /// Appends the index payload to `out`, failing when a table is over the
    /// limit a default reader accepts.
    pub fn encode(&self, out: &mut Vec<u8>, limits: &Limits) -> Result<()> {
        let counts = [
            self.seek.len() / SEEK_ENTRY_LEN,
            self.events.len() / EVENT_ENTRY_LEN,
            self.idle.len() / IDLE_SPAN_LEN,
        ];
        if let Some(count) = counts
            .iter()
            .find(|&&c| c > limits.max_index_entries as usize)
        {
            return Err(Error::InvalidInput(format!(
                "an index table would hold {count} entries, over the limit of {}",
                limits.max_index_entries
            )));
        }
        let start = out.len();
        out.reserve(self.tables_len());
        for value in [
            self.duration_us,
            self.record_count,
            self.frame_count,
            self.frame_bytes,
            self.options.seek_interval_us,
            self.options.idle_threshold_us,
        ] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        for count in counts {
            out.extend_from_slice(&(count as u32).to_le_bytes());
        }
        out.extend_from_slice(&self.seek);
        out.extend_from_slice(&self.events);
        out.extend_from_slice(&self.idle);
        if let Some(interval) = self.options.directory.sample_interval(self.tables_len()) {
            append_directory(out, start, interval, limits)?;
        }
        Ok(())
    }

    /// Time of the last content record accounted for (0 before any).
    pub fn duration_us(&self) -> u64 {
        self.duration_us
    }

    /// Records accounted for so far, the metadata included.
    pub fn record_count(&self) -> u64 {
        self.record_count
    }

    /// Size of the index payload without a directory: the header and the
    /// tables.
    pub fn tables_len(&self) -> usize {
        INDEX_HEADER_LEN + self.seek.len() + self.events.len() + self.idle.len()
    }
}
