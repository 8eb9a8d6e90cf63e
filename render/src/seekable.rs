//! What a [`Playback`](crate::Playback) reads a recording through: a whole
//! file in memory ([`Recording`]), or a file read by range from an object
//! store or a web server ([`RangedRecording`]). Through ranges, the screen at
//! a time costs the keyframe before it and the records up to the time (plus,
//! for a fast-path session, the records its decoder state is rebuilt from),
//! never the whole file (spec/format.md 9.5, spec/rendering.md 6).

use tdpr::proto::Metadata;
use tdpr::read::{RangedRecords, RecordSource};
use tdpr::{RangeSource, RangedRecording, Recording, Records, SeekEntry};

use crate::error::Result;

/// Bytes a ranged playback fetches at a time past what a seek plan bounds.
const READ_AHEAD: u64 = 4 << 20;

/// A record to start reading at: its offset and its time (the index's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordAt {
    /// File offset of a content record.
    pub offset: u64,
    /// Its time, microseconds.
    pub time_us: u64,
}

/// Where playing up to a time starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyframeStart {
    /// The latest keyframe at or before the time.
    pub keyframe: RecordAt,
    /// A file offset past every record at or before the time, when the
    /// index gives one without reading more of it.
    pub until: Option<u64>,
}

/// A recording a [`Playback`](crate::Playback) can start anywhere in.
pub trait Seekable {
    /// Its records from a place on.
    type Records<'s>: RecordSource
    where
        Self: 's;

    /// The session metadata.
    fn session(&self) -> &Metadata;

    /// The screen's width and height from the metadata.
    fn screen_size(&self) -> (u32, u32) {
        let metadata = self.session();
        (metadata.screen_width, metadata.screen_height)
    }

    /// The duration the index gives; `None` for an unfinished recording.
    fn index_duration_us(&self) -> Option<u64>;

    /// The latest keyframe at or before `time_us` that the index names.
    fn keyframe_at_or_before(&self, time_us: u64) -> Result<Option<KeyframeStart>>;

    /// The records after the metadata; none from `until` on when it is
    /// given. `checked`: their CRCs are checked (a reader of a whole file
    /// may skip them for records it does not draw, format.md 4.1; a ranged
    /// reader always checks).
    fn content_records(&self, until: Option<u64>, checked: bool) -> Result<Self::Records<'_>>;

    /// The records from `start` on; none from `until` on when it is given.
    fn records_at(
        &self,
        start: RecordAt,
        until: Option<u64>,
        checked: bool,
    ) -> Result<Self::Records<'_>>;
}

impl<'a> Seekable for Recording<'a> {
    type Records<'s>
        = Records<'a>
    where
        Self: 's;

    fn session(&self) -> &Metadata {
        &self.metadata().message
    }

    fn index_duration_us(&self) -> Option<u64> {
        self.index().map(|index| index.duration_us)
    }

    fn keyframe_at_or_before(&self, time_us: u64) -> Result<Option<KeyframeStart>> {
        Ok(self
            .index()
            .and_then(|index| index.keyframe_at_or_before(time_us))
            .map(|entry| KeyframeStart {
                keyframe: RecordAt {
                    offset: entry.offset,
                    time_us: entry.time_us,
                },
                until: None,
            }))
    }

    /// Every record after the metadata: in memory, bounding them saves
    /// nothing.
    fn content_records(&self, _until: Option<u64>, checked: bool) -> Result<Records<'a>> {
        let mut records = self.records();
        if !checked {
            records = records.skip_checksums();
        }
        records.next().transpose()?; // the metadata
        Ok(records)
    }

    /// Every record from `start` on: in memory, bounding them saves nothing.
    fn records_at(
        &self,
        start: RecordAt,
        _until: Option<u64>,
        checked: bool,
    ) -> Result<Records<'a>> {
        let records = self.records_from(&SeekEntry {
            time_us: start.time_us,
            offset: start.offset,
            width: 0,
            height: 0,
            is_keyframe: false,
            keyframe_entry: None,
        })?;
        Ok(if checked {
            records
        } else {
            records.skip_checksums()
        })
    }
}

impl<S: RangeSource> Seekable for RangedRecording<S> {
    type Records<'s>
        = RangedRecords<'s, S>
    where
        Self: 's;

    fn session(&self) -> &Metadata {
        &self.metadata().message
    }

    fn index_duration_us(&self) -> Option<u64> {
        self.index_header().map(|header| header.duration_us)
    }

    /// From the index's directory alone when it has one (no request).
    fn keyframe_at_or_before(&self, time_us: u64) -> Result<Option<KeyframeStart>> {
        Ok(self
            .seek_plan(time_us, false)?
            .filter(|plan| plan.start.is_keyframe)
            .map(|plan| KeyframeStart {
                keyframe: RecordAt {
                    offset: plan.start.offset,
                    time_us: plan.start.time_us,
                },
                until: Some(plan.until),
            }))
    }

    fn content_records(&self, until: Option<u64>, _checked: bool) -> Result<RangedRecords<'_, S>> {
        Ok(ending_at(
            RangedRecording::content_records(self, READ_AHEAD),
            until,
        ))
    }

    fn records_at(
        &self,
        start: RecordAt,
        until: Option<u64>,
        _checked: bool,
    ) -> Result<RangedRecords<'_, S>> {
        let bound = until.unwrap_or(start.offset);
        let records =
            RangedRecording::records_at(self, start.offset, start.time_us, bound, READ_AHEAD)?;
        Ok(ending_at(records, until))
    }
}

/// `records`, ending at `until` when it is given.
fn ending_at<S: RangeSource>(
    records: RangedRecords<'_, S>,
    until: Option<u64>,
) -> RangedRecords<'_, S> {
    match until {
        Some(until) => records.ending_at(until),
        None => records,
    }
}
