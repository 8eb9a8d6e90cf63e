//! The order rules every reader applies to the records it has framed
//! (spec/format.md 8).
//!
//! The slice reader and the streaming reader frame records differently (from
//! a borrowed file, from a growing buffer) but must agree on everything else:
//! the metadata comes first, times add up without overflow, nothing follows
//! the trailer, the trailer points at the index just before it. This is that
//! shared part.

use crate::error::{Error, ErrorClass, Result};
use crate::format::{
    parse_body, FrameBatch, ParsedBody, RawRecord, Record, RecordBody, RecordType, MAX_TIME_US,
};
use crate::limits::Limits;

/// Where a reader stands in the sequence of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// The next record must be the metadata.
    Metadata,
    /// Content records, or the index.
    Content,
    /// The index was at this offset; the trailer must follow.
    Trailer { index_offset: u64 },
    /// The trailer was read; nothing may follow.
    Finished,
}

/// Applies the order rules and keeps the clock.
#[derive(Debug, Clone)]
pub(crate) struct Sequencer {
    stage: Stage,
    clock: u64,
}

impl Sequencer {
    /// A sequencer for a reader at the first record of a file.
    pub fn at_start() -> Self {
        Self {
            stage: Stage::Metadata,
            clock: 0,
        }
    }

    /// A sequencer for a reader that starts at a content record whose time
    /// delta brings the clock to `clock + delta` (seeking from the index).
    pub fn at_content(clock: u64) -> Self {
        Self {
            stage: Stage::Content,
            clock,
        }
    }

    /// True until the metadata record has been read.
    pub fn expects_metadata(&self) -> bool {
        self.stage == Stage::Metadata
    }

    /// True once the trailer has been read.
    pub fn is_finished(&self) -> bool {
        self.stage == Stage::Finished
    }

    /// Parses a framed record and checks it may stand where it does.
    #[inline]
    pub fn accept<'a>(&mut self, raw: RawRecord<'a>, limits: &Limits) -> Result<Record<'a>> {
        let ParsedBody {
            delta,
            body,
            payload: raw_payload,
            payload_offset,
        } = parse_body(&raw, limits)?;
        let misplaced = |detail: &str| Error::at(ErrorClass::MisplacedRecord, raw.offset, detail);
        check_untimed(&raw, delta)?;
        let next_stage = match (self.stage, &body) {
            (Stage::Metadata, RecordBody::Metadata(_)) => Stage::Content,
            (Stage::Metadata, _) => return Err(misplaced("the first record must be the metadata")),
            (Stage::Finished, _) => return Err(misplaced("a record follows the trailer")),
            (_, RecordBody::Metadata(_)) => return Err(misplaced("a second metadata record")),
            (Stage::Content, RecordBody::Index(_)) => Stage::Trailer {
                index_offset: raw.offset,
            },
            (Stage::Content, RecordBody::Trailer { .. }) => {
                return Err(misplaced("a trailer without an index before it"))
            }
            (Stage::Content, _) => Stage::Content,
            (
                Stage::Trailer { index_offset },
                RecordBody::Trailer {
                    index_offset: points_to,
                },
            ) => {
                if *points_to != index_offset {
                    return Err(Error::at(
                        ErrorClass::BadIndex,
                        raw.body_offset() + 1,
                        format!("the trailer points at offset {points_to}, the index is at {index_offset}"),
                    ));
                }
                Stage::Finished
            }
            (Stage::Trailer { .. }, _) => {
                return Err(misplaced("the index must be followed by the trailer"))
            }
        };
        let time_us = self
            .clock
            .checked_add(delta)
            .filter(|&t| t <= MAX_TIME_US)
            .ok_or_else(|| {
                Error::at(
                    ErrorClass::TimeOverflow,
                    raw.body_offset(),
                    format!(
                        "time {} + {delta} exceeds 2^63 - 1 microseconds",
                        self.clock
                    ),
                )
            })?;
        self.clock = match &body {
            RecordBody::FrameBatch(batch) => batch_end_time(batch, time_us, raw.body_offset())
                .map_err(|at| {
                    Error::at(
                        ErrorClass::TimeOverflow,
                        at,
                        "a frame of the batch is after 2^63 - 1 microseconds",
                    )
                })?,
            _ => time_us,
        };
        self.stage = next_stage;
        Ok(Record {
            offset: raw.offset,
            time_us,
            record_type: raw.record_type,
            flags: raw.flags,
            raw_payload,
            payload_offset,
            body,
        })
    }
}

/// The time of a batch's last frame, the first at `time_us`, or the offset
/// of the delta that takes the times past [`MAX_TIME_US`] (a span past the
/// limit always has one; `body_offset` stands in should it not).
#[inline]
fn batch_end_time(
    batch: &FrameBatch<'_>,
    time_us: u64,
    body_offset: u64,
) -> std::result::Result<u64, u64> {
    match time_us.checked_add(batch.span_us()) {
        Some(end) if end <= MAX_TIME_US => Ok(end),
        _ => Err(batch
            .first_time_over(time_us, MAX_TIME_US)
            .unwrap_or(body_offset)),
    }
}

/// Metadata, index and trailer records have a time delta of 0.
#[inline]
pub(crate) fn check_untimed(raw: &RawRecord<'_>, delta: u64) -> Result<()> {
    let untimed = matches!(
        raw.record_type,
        RecordType::METADATA | RecordType::INDEX | RecordType::TRAILER
    );
    // The trailer's delta is the single byte 0, so the trailer has a fixed
    // size and can be found from the end of the file.
    let overlong_trailer_delta =
        raw.record_type == RecordType::TRAILER && raw.body.first() != Some(&0);
    if untimed && (delta != 0 || overlong_trailer_delta) {
        return Err(Error::at(
            ErrorClass::MalformedRecord,
            raw.body_offset(),
            format!(
                "{} records have a time delta of 0, this one {delta}",
                raw.record_type
            ),
        ));
    }
    Ok(())
}
