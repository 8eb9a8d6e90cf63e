//! Reading a whole recording held in memory (a `&[u8]`, a memory map).
//!
//! Opening (spec/format.md 9.1) reads the header, the metadata and, from the
//! end of the file, the trailer and the index, without touching any frame.
//! Records are then iterated from the start, from any seek entry or from any
//! record the index points at, each borrowing its payload from the input.

use super::records::Records;
use super::sequence::{check_untimed, Sequencer};
use crate::error::{Error, ErrorClass, Result};
use crate::format::{
    frame, parse_body, Checksums, EventEntry, FileHeader, Framed, IndexView, Record, RecordBody,
    RecordFlags, RecordType, SeekEntry, HEADER_LEN, RECORD_CRC_LEN, RECORD_HEADER_LEN, TRAILER_LEN,
};
use crate::limits::Limits;
use crate::proto::{Event, Extensible, Metadata};

/// An open recording over borrowed bytes.
///
/// ```
/// use tdpr::{proto::Event, EventKind, Recording, Writer, WriterOptions};
///
/// let mut writer = Writer::new(Vec::new(), tdpr::proto::Metadata::default(), WriterOptions::default())?;
/// for i in 0..100u64 {
///     if i == 50 {
///         writer.write_event(5_000_000, Event { kind: EventKind::MARKER.0, label: "here".into(), ..Default::default() })?;
///     }
///     writer.write_frame(i * 100_000, &[3, 0, 0, 0, i as u8, 0, 0, 0, 20])?; // a pointer move every 0.1 s
/// }
/// let bytes = writer.finish()?;
///
/// let recording = Recording::parse(&bytes)?;   // header, metadata, index: no frame read
/// let index = recording.index().expect("a finished recording");
/// assert_eq!(index.frame_count, 100);
///
/// // Jump to the marker: the index lists events without reading frames.
/// let marker = index.events().find(|e| e.kind == EventKind::MARKER).unwrap();
/// assert_eq!(recording.event(&marker)?.message.label, "here");
///
/// // Replay from 7.25 s: records from the last seek entry at or before it.
/// let (mut frames, mut inflater) = (Vec::new(), tdpr::Inflater::default());
/// for record in recording.seek(7_250_000)? {
///     frames.extend(record?.frames(&mut inflater)?.map(|f| f.time_us));
/// }
/// assert!(frames[0] <= 7_250_000 && frames.contains(&7_300_000));
/// # Ok::<(), tdpr::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Recording<'a> {
    data: &'a [u8],
    limits: Limits,
    header: FileHeader,
    metadata: Extensible<Metadata>,
    index: Option<(u64, IndexView<'a>)>,
}

impl<'a> Recording<'a> {
    /// Opens a recording with the default limits.
    pub fn parse(data: &'a [u8]) -> Result<Self> {
        Self::parse_with_limits(data, Limits::default())
    }

    /// Opens a recording: checks the header, decodes the metadata, and finds
    /// the index from the trailer if the recording was finished.
    pub fn parse_with_limits(data: &'a [u8], limits: Limits) -> Result<Self> {
        let header = FileHeader::parse(data)?;
        let (_, metadata) = Records::from_start(data, limits).read_metadata()?;
        let index = find_index(data, &limits)?;
        Ok(Recording {
            data,
            limits,
            header,
            metadata,
            index,
        })
    }

    /// The file header.
    pub fn header(&self) -> FileHeader {
        self.header
    }

    /// The session metadata.
    pub fn metadata(&self) -> &Extensible<Metadata> {
        &self.metadata
    }

    /// The index, when the recording was finished.
    pub fn index(&self) -> Option<&IndexView<'a>> {
        self.index.as_ref().map(|(_, view)| view)
    }

    /// File offset of the index record, when the recording was finished.
    pub fn index_offset(&self) -> Option<u64> {
        self.index.as_ref().map(|(offset, _)| *offset)
    }

    /// True when the recording has an index and trailer.
    pub fn is_finished(&self) -> bool {
        self.index.is_some()
    }

    /// The limits this recording was opened with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The bytes of the whole file.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Every record, the metadata first.
    pub fn records(&self) -> Records<'a> {
        Records::from_start(self.data, self.limits)
    }

    /// The records from the one at `offset` on, given the time the index
    /// gives that record (a seek entry's or an event entry's): the first one
    /// returned is the record at `offset`, with time `time_us`. A position
    /// the index did not give may fail at once (`bad_index` when no record
    /// can start there) or yield a fault later.
    pub fn records_at(&self, offset: u64, time_us: u64) -> Result<Records<'a>> {
        let bad = |detail: &str| {
            Error::at(
                ErrorClass::BadIndex,
                offset,
                format!("record at time {time_us}: {detail}"),
            )
        };
        let start = usize::try_from(offset)
            .ok()
            .filter(|&o| o >= HEADER_LEN && o < self.data.len())
            .ok_or_else(|| bad("offset outside the file"))?;
        let Framed::Record(raw) =
            frame(&self.data[start..], offset, &self.limits, Checksums::Verify)?
        else {
            return Err(bad("the record there is cut off"));
        };
        let delta = parse_body(&raw, &self.limits)?.delta;
        let clock = time_us
            .checked_sub(delta)
            .ok_or_else(|| bad("its time is less than the record's time delta"))?;
        Ok(Records::new(
            self.data,
            start,
            Sequencer::at_content(clock),
            self.limits,
        ))
    }

    /// The records from a seek entry of this recording's index on.
    pub fn records_from(&self, entry: &SeekEntry) -> Result<Records<'a>> {
        self.records_at(entry.offset, entry.time_us)
    }

    /// The one record at `offset`, whose time the index gives as `time_us`.
    pub fn record_at(&self, offset: u64, time_us: u64) -> Result<Record<'a>> {
        self.records_at(offset, time_us)?
            .next()
            .expect("records_at framed a whole record there")
    }

    /// The event an index event entry points at, decoded. `bad_index` when
    /// the record there is not an event of the entry's kind.
    pub fn event(&self, entry: &EventEntry) -> Result<Extensible<Event>> {
        let record = self.record_at(entry.offset, entry.time_us)?;
        match record.event()? {
            Some(event) if event.message.kind == entry.kind.0 => Ok(event),
            _ => Err(Error::at(
                ErrorClass::BadIndex,
                entry.offset,
                format!(
                    "the index lists a {} event at offset {}, the record there is not one",
                    entry.kind, entry.offset
                ),
            )),
        }
    }

    /// The records from the latest seek entry at or before `time_us`; from the
    /// start when there is no index or no such entry. A player renders from
    /// [`IndexView::keyframe_at_or_before`] instead when it needs a full screen.
    pub fn seek(&self, time_us: u64) -> Result<Records<'a>> {
        match self.index().and_then(|index| index.seek(time_us)) {
            Some(entry) => self.records_from(&entry),
            None => Ok(self.records()),
        }
    }
}

/// Finds the index through the trailer at the end of `data`. `None` when the
/// file does not end with a trailer (an unfinished recording).
pub(crate) fn find_index<'a>(
    data: &'a [u8],
    limits: &Limits,
) -> Result<Option<(u64, IndexView<'a>)>> {
    let Some(trailer_start) = data.len().checked_sub(TRAILER_LEN) else {
        return Ok(None);
    };
    let Some(index_offset) = read_trailer(&data[trailer_start..], data.len() as u64, limits)?
    else {
        return Ok(None);
    };
    let start = usize::try_from(index_offset).expect("below the trailer's offset");
    read_index_record(&data[start..trailer_start], index_offset, limits)
        .map(|view| Some((index_offset, view)))
}

/// Spec 9.1, steps 3.1 and 3.2, and the first check of 3.3: reads the last
/// 19 bytes of a file of `size` bytes as a trailer. `None` when they are not
/// one (an unfinished recording); the index offset when it lies between the
/// metadata's offset and the trailer.
pub(crate) fn read_trailer(last: &[u8], size: u64, limits: &Limits) -> Result<Option<u64>> {
    let Some(trailer_start) = size
        .checked_sub(TRAILER_LEN as u64)
        .filter(|&s| s >= HEADER_LEN as u64)
    else {
        return Ok(None);
    };
    if last.len() != TRAILER_LEN || last[0] != RecordType::TRAILER.0 {
        return Ok(None);
    }
    let Ok(Framed::Record(raw)) = frame(last, trailer_start, limits, Checksums::Verify) else {
        return Ok(None);
    };
    if raw.len() != TRAILER_LEN || raw.flags != RecordFlags::NONE {
        return Ok(None);
    }
    let parsed = parse_body(&raw, limits)?;
    check_untimed(&raw, parsed.delta)?;
    let RecordBody::Trailer { index_offset } = parsed.body else {
        unreachable!("a trailer record parses as a trailer")
    };
    if index_offset < HEADER_LEN as u64 || index_offset >= trailer_start {
        return Err(trailer_fault(
            trailer_start,
            format!("the trailer points at offset {index_offset}, outside the records"),
        ));
    }
    Ok(Some(index_offset))
}

/// `bad_index` at the `index_offset` field of the trailer at `trailer_start`:
/// where the trailer leads is wrong (spec 9.1, step 3.3).
pub(crate) fn trailer_fault(trailer_start: u64, detail: String) -> Error {
    Error::at(
        ErrorClass::BadIndex,
        trailer_start + RECORD_HEADER_LEN as u64 + 1,
        detail,
    )
}

/// Spec 9.1, steps 3.3 and 3.4: `candidate` holds the bytes from
/// `index_offset` (which the trailer gave) to the trailer; they must be an
/// index record ending exactly there.
pub(crate) fn read_index_record<'a>(
    candidate: &'a [u8],
    index_offset: u64,
    limits: &Limits,
) -> Result<IndexView<'a>> {
    let trailer_start = index_offset + candidate.len() as u64;
    // Where the trailer leads is judged by the type and length there before
    // anything is framed (spec 9.1, step 3.3): a trailer that points into
    // another record is a fault of the trailer, not of the bytes it hits.
    let is_index_ending_at_trailer = match *candidate {
        [record_type, _, l0, l1, l2, l3, ..] => {
            let body_len = u64::from(u32::from_le_bytes([l0, l1, l2, l3]));
            record_type == RecordType::INDEX.0
                && (RECORD_HEADER_LEN + RECORD_CRC_LEN) as u64 + body_len == candidate.len() as u64
        }
        _ => false,
    };
    if !is_index_ending_at_trailer {
        return Err(trailer_fault(
            trailer_start,
            format!(
                "the trailer points at offset {index_offset}, where no index record ends at the trailer"
            ),
        ));
    }
    let Framed::Record(raw) = frame(candidate, index_offset, limits, Checksums::Verify)? else {
        unreachable!("a record whose length reaches exactly to the trailer is whole")
    };
    match Sequencer::at_content(0).accept(raw, limits)?.body {
        RecordBody::Index(view) => Ok(view),
        _ => unreachable!("an index record parses as an index"),
    }
}
