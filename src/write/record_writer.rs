//! The one record-writing layer: every record any tool writes goes through
//! here (spec/format.md 4.1, 7.3, 11).
//!
//! [`RecordWriter`] owns the sink, the file offset, the clock and the index
//! builder. It writes the header and the metadata, then each record from its
//! [`RecordBody`] with the time delta from the clock, feeding the index as it
//! goes, and on `finish` the index and trailer. The live [`crate::Writer`],
//! `recover`, the JSON encoder and the keyframe inserter all write through
//! it, so the order of a record, its delta, its bytes and its place in the
//! index are decided in one place. A [`Sealer`] given at the start sees every
//! covered record written and adds its checkpoints (spec/signing.md 6).

use std::io::Write;

use crate::error::{Error, Result};
use crate::format::{
    body_len, varint, write_record, FileHeader, IndexBuilder, IndexOptions, IndexView, Payload,
    Record, RecordBody, RecordFlags, RecordType, HEADER_LEN, MAX_TIME_US, RECORD_HEADER_LEN,
};
use crate::limits::Limits;
use crate::write::sealer::{Sealer, WrittenRecord};

/// Writes records to a sink, keeping the offset, the clock and the index.
#[derive(Debug)]
pub struct RecordWriter<W: Write> {
    sink: W,
    limits: Limits,
    /// File offset of the next record.
    offset: u64,
    /// Time of the last record written (of a batch, its last frame).
    clock: u64,
    index: IndexBuilder,
    /// Set when a write failed part-way: the sink may hold part of a record.
    poisoned: bool,
    /// The signer, if the file is signed as it is written.
    sealer: Option<Box<dyn Sealer>>,
    /// The payload of the signing record being written, reused.
    seal_payload: Vec<u8>,
}

impl<W: Write> RecordWriter<W> {
    /// Writes `header` and the metadata record holding `metadata` (its
    /// protobuf bytes) to `sink`; the index will start from the screen size
    /// the metadata gives.
    pub fn start(
        sink: W,
        header: FileHeader,
        metadata: Payload<'_>,
        screen: (u32, u32),
        index: IndexOptions,
        limits: Limits,
    ) -> Result<Self> {
        Self::start_sealed(sink, header, metadata, screen, index, limits, None)
    }

    /// [`RecordWriter::start`], with a `sealer` that sees every covered
    /// record from the metadata on and adds its signing records.
    pub fn start_sealed(
        sink: W,
        header: FileHeader,
        metadata: Payload<'_>,
        screen: (u32, u32),
        index: IndexOptions,
        limits: Limits,
        sealer: Option<Box<dyn Sealer>>,
    ) -> Result<Self> {
        let mut writer = Self::header(sink, header, screen, index, limits, sealer)?;
        let flags = if metadata.is_compressed() {
            RecordFlags::COMPRESSED
        } else {
            RecordFlags::NONE
        };
        writer.write(
            RecordType::METADATA,
            flags,
            0,
            &RecordBody::Metadata(metadata),
        )?;
        Ok(writer)
    }

    /// Writes `header` and a copy of the metadata record `metadata` from
    /// another file, its stored payload byte for byte (so that a signature's
    /// digest of it is the same, spec/signing.md 7.1); otherwise as
    /// [`RecordWriter::start_sealed`].
    pub fn start_from(
        sink: W,
        header: FileHeader,
        metadata: &Record<'_>,
        index: IndexOptions,
        limits: Limits,
        sealer: Option<Box<dyn Sealer>>,
    ) -> Result<Self> {
        let decoded = metadata.metadata()?.ok_or_else(|| {
            Error::InvalidInput(format!("a {} record is not metadata", metadata.record_type))
        })?;
        let screen = (decoded.message.screen_width, decoded.message.screen_height);
        let mut writer = Self::header(sink, header, screen, index, limits, sealer)?;
        writer.rewrite(metadata)?;
        Ok(writer)
    }

    /// Writes the file header; the metadata record comes next.
    fn header(
        mut sink: W,
        header: FileHeader,
        screen: (u32, u32),
        index: IndexOptions,
        limits: Limits,
        sealer: Option<Box<dyn Sealer>>,
    ) -> Result<Self> {
        sink.write_all(&header.to_bytes())?;
        Ok(RecordWriter {
            sink,
            limits,
            offset: HEADER_LEN as u64,
            clock: 0,
            index: IndexBuilder::new(index, screen.0, screen.1),
            poisoned: false,
            sealer,
            seal_payload: Vec::new(),
        })
    }

    /// Continues a file whose first `offset` bytes, header and records up to
    /// time `clock`, are already in `sink` and accounted for in `index`.
    pub fn resume(sink: W, offset: u64, clock: u64, index: IndexBuilder, limits: Limits) -> Self {
        RecordWriter {
            sink,
            limits,
            offset,
            clock,
            index,
            poisoned: false,
            sealer: None,
            seal_payload: Vec::new(),
        }
    }

    /// Writes one record of `record_type` with `flags` at `time_us` holding
    /// `body`, and accounts for it in the index. Nothing is allocated.
    pub fn write(
        &mut self,
        record_type: RecordType,
        flags: RecordFlags,
        time_us: u64,
        body: &RecordBody<'_>,
    ) -> Result<()> {
        let mut scratch = [0; varint::MAX_LEN];
        let pieces = body.pieces(&mut scratch);
        self.write_pieces(record_type, flags, time_us, body, &pieces)
    }

    /// Writes `record`, read from another file, at its time here: the same
    /// type, flags and stored payload byte for byte, with the time delta
    /// from this file's clock (an excerpt's records, spec/signing.md 7.1).
    pub fn rewrite(&mut self, record: &Record<'_>) -> Result<()> {
        self.write_pieces(
            record.record_type,
            record.flags,
            record.time_us,
            &record.body,
            &[record.raw_payload],
        )
    }

    /// Writes a record whose stored payload is `pieces`, which `body` means.
    fn write_pieces(
        &mut self,
        record_type: RecordType,
        flags: RecordFlags,
        time_us: u64,
        body: &RecordBody<'_>,
        pieces: &[&[u8]],
    ) -> Result<()> {
        let delta = self.delta_to(time_us)?;
        let end_time = self.end_time(time_us, body)?;
        self.check_len(record_type, delta, pieces)?;
        self.observe(time_us, body)?;
        self.put(record_type, flags, delta, pieces)?;
        self.clock = end_time;
        self.sealed(record_type, flags, time_us, pieces)
    }

    /// Writes `record` exactly as its bytes `raw` (header to CRC) stand in
    /// another file, and accounts for it in the index. Its time delta must
    /// still be right here: the clock must be where it was before the record
    /// in its own file.
    pub fn copy(&mut self, record: &Record<'_>, raw: &[u8]) -> Result<()> {
        let end_time = self.end_time(record.time_us, &record.body)?;
        let delta = self.delta_to(record.time_us)?;
        let (_, written_delta) = varint::parse(raw.get(RECORD_HEADER_LEN..).unwrap_or_default())
            .map_err(|_| Error::InvalidInput("a copied record has no time delta".into()))?;
        if written_delta != delta {
            return Err(Error::InvalidInput(format!(
                "the record at offset {} has a time delta of {written_delta} µs, {delta} µs here",
                record.offset
            )));
        }
        self.observe(record.time_us, &record.body)?;
        self.check_usable()?;
        if let Err(e) = self.sink.write_all(raw) {
            self.poisoned = true;
            return Err(e.into());
        }
        self.offset += raw.len() as u64;
        self.clock = end_time;
        self.sealed(
            record.record_type,
            record.flags,
            record.time_us,
            &[record.raw_payload],
        )
    }

    /// Writes the index and trailer, flushes, and returns the sink and the
    /// file's length.
    pub fn finish(mut self) -> Result<(W, u64)> {
        self.seal(true)?;
        let mut index = Vec::with_capacity(self.index.tables_len());
        self.index.encode(&mut index, &self.limits)?;
        let index_offset = self.offset;
        let view = IndexView::parse(&index, index_offset, &self.limits)?;
        self.put_untimed(RecordType::INDEX, &RecordBody::Index(view))?;
        self.put_untimed(RecordType::TRAILER, &RecordBody::Trailer { index_offset })?;
        self.flush()?;
        Ok((self.sink, self.offset))
    }

    /// The sink, as it is: an unfinished recording (no index and trailer).
    pub fn into_inner(self) -> W {
        self.sink
    }

    /// Flushes the sink.
    pub fn flush(&mut self) -> Result<()> {
        self.sink.flush()?;
        Ok(())
    }

    /// File offset of the next record.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Time of the last record written.
    pub fn clock(&self) -> u64 {
        self.clock
    }

    /// The sink.
    pub fn get_ref(&self) -> &W {
        &self.sink
    }

    /// The limits the file respects.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Shows the sealer a record just written, unless it is not covered
    /// (spec/signing.md 3.1), then writes the signing record it asks for.
    fn sealed(
        &mut self,
        record_type: RecordType,
        flags: RecordFlags,
        time_us: u64,
        payload: &[&[u8]],
    ) -> Result<()> {
        let Some(sealer) = self.sealer.as_mut() else {
            return Ok(());
        };
        if record_type.is_signing() {
            return Ok(());
        }
        sealer.record(&WrittenRecord {
            record_type,
            flags,
            time_us,
            payload,
        });
        self.seal(false)
    }

    /// Writes the signing record the sealer asks for now, if any, at the
    /// clock (time delta 0).
    fn seal(&mut self, end: bool) -> Result<()> {
        let Some(sealer) = self.sealer.as_mut() else {
            return Ok(());
        };
        let mut payload = std::mem::take(&mut self.seal_payload);
        payload.clear();
        let result = match sealer.seal(self.clock, end, &mut payload) {
            Some(record_type) => self.write(
                record_type,
                RecordFlags::NONE,
                self.clock,
                &RecordBody::Signing(&payload),
            ),
            None => Ok(()),
        };
        self.seal_payload = payload;
        result
    }

    /// The time delta from the clock to `time_us`.
    fn delta_to(&self, time_us: u64) -> Result<u64> {
        delta(self.clock, time_us)
    }

    /// The clock after a record at `time_us` holding `body`: a batch ends at
    /// its last frame.
    fn end_time(&self, time_us: u64, body: &RecordBody<'_>) -> Result<u64> {
        match body {
            RecordBody::FrameBatch(batch) => time_us
                .checked_add(batch.span_us())
                .filter(|&end| end <= MAX_TIME_US)
                .ok_or_else(|| {
                    Error::InvalidInput("a frame of the batch is after 2^63 - 1 µs".into())
                }),
            _ => Ok(time_us),
        }
    }

    /// Accounts for a record about to be written at the current offset.
    fn observe(&mut self, time_us: u64, body: &RecordBody<'_>) -> Result<()> {
        self.index
            .observe(self.offset, time_us, body)
            .map_err(|e| Error::InvalidInput(format!("{e}")))
    }

    /// Writes the index or the trailer: time delta 0, no flags.
    fn put_untimed(&mut self, record_type: RecordType, body: &RecordBody<'_>) -> Result<()> {
        let mut scratch = [0; varint::MAX_LEN];
        let pieces = body.pieces(&mut scratch);
        self.check_len(record_type, 0, &pieces)?;
        self.put(record_type, RecordFlags::NONE, 0, &pieces)
    }

    /// Fails when a record would exceed the record-length limit.
    fn check_len(&self, record_type: RecordType, delta: u64, pieces: &[&[u8]]) -> Result<()> {
        body_len(record_type, delta, pieces, &self.limits).map(|_| ())
    }

    fn check_usable(&self) -> Result<()> {
        if self.poisoned {
            return Err(Error::InvalidInput(
                "an earlier write failed; the recording can only be recovered".into(),
            ));
        }
        Ok(())
    }

    /// Writes one record whose length is checked and advances the offset; a
    /// failed write poisons the writer, since the sink may now hold part of
    /// a record.
    fn put(
        &mut self,
        record_type: RecordType,
        flags: RecordFlags,
        delta: u64,
        pieces: &[&[u8]],
    ) -> Result<()> {
        self.check_usable()?;
        match write_record(&mut self.sink, record_type, flags, delta, pieces) {
            Ok(len) => {
                self.offset += len;
                Ok(())
            }
            Err(e) => {
                self.poisoned = true;
                Err(e.into())
            }
        }
    }
}

/// The time delta from `clock` to `time_us`: an error when time would go
/// back or past the largest time a recording may hold.
pub(crate) fn delta(clock: u64, time_us: u64) -> Result<u64> {
    if time_us < clock {
        return Err(Error::InvalidInput(format!(
            "time {time_us} µs is before the previous record's {clock} µs"
        )));
    }
    if time_us > MAX_TIME_US {
        return Err(Error::InvalidInput(format!(
            "time {time_us} µs exceeds 2^63 - 1"
        )));
    }
    Ok(time_us - clock)
}
