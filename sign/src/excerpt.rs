//! Cutting an excerpt out of a signed recording (spec/signing.md 7): the
//! records of a time range, with the screen size and keyframe in effect at
//! its start, each with its original time and stored payload, and the proof
//! that ties them to the original's last signed root.

use std::io::Write;

use tdpr::write::RecordWriter;
use tdpr::{FileHeader, Limits, Record, RecordBody, RecordFlags, RecordType, Recording, Records};

use crate::checkpoint::Checkpoint;
use crate::digest::{digest_of, is_covered, leaf_of, Hash};
use crate::error::SignError;
use crate::proof::{encode_proof, IntervalDescription};
use crate::tree::{prove, root_of};

/// What an excerpt holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Excerpt {
    /// Records of the original it holds, the metadata included.
    pub records: u64,
    /// Time of its first record after the context records.
    pub first_us: u64,
    /// Time of its last record (of a batch, its first frame's).
    pub last_us: u64,
    /// The original's checkpoint it is proven against.
    pub anchor_sequence: u64,
    /// True when that is the original's final checkpoint.
    pub anchor_final: bool,
    /// Intervals of the original the proof describes.
    pub intervals: u64,
    /// Size of the proof record's payload.
    pub proof_bytes: u64,
    /// Size of the excerpt.
    pub written_bytes: u64,
}

/// A covered record of the original, with where its digest goes.
struct Covered<'a> {
    record: Record<'a>,
    /// The clock after it: of a batch, its last frame's time.
    end_us: u64,
    digest: Hash,
    interval: u64,
}

/// The original's covered records and the checkpoints whose roots match
/// them (without checking signatures, which needs the public key).
struct Original<'a> {
    covered: Vec<Covered<'a>>,
    leaves: Vec<Hash>,
    /// The last checkpoint that matches the records, and its time.
    anchor: Option<(Checkpoint, u64)>,
}

impl<'a> Original<'a> {
    fn read(data: &'a [u8]) -> Result<Self, SignError> {
        let mut original = Original {
            covered: Vec::new(),
            leaves: Vec::new(),
            anchor: None,
        };
        let mut interval_start = 0;
        for record in Records::of_file(data, Limits::default())? {
            // A fault ends what can be proven; the records before it stand.
            let Ok(record) = record else { break };
            if is_covered(record.record_type) {
                let end_us = match &record.body {
                    RecordBody::FrameBatch(batch) => record.time_us + batch.span_us(),
                    _ => record.time_us,
                };
                original.covered.push(Covered {
                    digest: digest_of(&record),
                    interval: original.leaves.len() as u64,
                    record,
                    end_us,
                });
                continue;
            }
            let (RecordType::CHECKPOINT, RecordBody::Signing(payload)) =
                (record.record_type, &record.body)
            else {
                continue;
            };
            let Ok(checkpoint) = Checkpoint::parse(payload) else {
                break;
            };
            let interval = &original.covered[interval_start..];
            original
                .leaves
                .push(leaf_of(interval.iter().map(|c| &c.digest)));
            let consistent = checkpoint.sequence + 1 == original.leaves.len() as u64
                && checkpoint.record_count == original.covered.len() as u64
                && root_of(&original.leaves).is_some_and(|root| checkpoint.names_root(&root));
            if !consistent {
                original.leaves.pop();
                break;
            }
            interval_start = original.covered.len();
            original.anchor = Some((checkpoint, record.time_us));
        }
        let proven = original.leaves.len();
        original.covered.retain(|c| (c.interval as usize) < proven);
        Ok(original)
    }
}

/// Writes to `sink` the excerpt of the signed recording `data` that holds
/// its records from `from_us` to `to_us` (spec/signing.md 7.1).
pub fn clip<W: Write>(
    data: &[u8],
    from_us: u64,
    to_us: u64,
    sink: W,
) -> Result<Excerpt, SignError> {
    let original = Original::read(data)?;
    let (anchor, anchor_time_us) = original.anchor.clone().ok_or(SignError::NotSigned)?;
    let covered = &original.covered;
    let in_range: Vec<usize> = (1..covered.len())
        .filter(|&i| covered[i].record.time_us <= to_us && covered[i].end_us >= from_us)
        .collect();
    let (&first, &last) = in_range
        .first()
        .zip(in_range.last())
        .ok_or(SignError::EmptyRange { from_us, to_us })?;
    let context_of = |record_type: RecordType| {
        (1..first)
            .rev()
            .find(|&i| covered[i].record.record_type == record_type)
            .filter(|&i| covered[i].record.time_us <= from_us)
    };
    let mut chosen: Vec<usize> = [
        context_of(RecordType::SCREEN_SIZE),
        context_of(RecordType::KEYFRAME),
    ]
    .into_iter()
    .flatten()
    .collect();
    chosen.sort_unstable();
    chosen.extend(first..=last);

    let mut in_excerpt = vec![false; covered.len()];
    for &i in &chosen {
        in_excerpt[i] = true;
    }
    let mut numbers: Vec<u64> = chosen.iter().map(|&i| covered[i].interval).collect();
    numbers.dedup();
    // The metadata is slot 0 of interval 0, in the excerpt in any case.
    in_excerpt[0] = true;
    let intervals: Vec<IntervalDescription> = numbers
        .iter()
        .map(|&number| {
            let start = covered.partition_point(|c| c.interval < number);
            let end = covered.partition_point(|c| c.interval <= number);
            IntervalDescription {
                number,
                slots: (start..end)
                    .map(|i| (!in_excerpt[i]).then_some(covered[i].digest))
                    .collect(),
            }
        })
        .collect();
    let mut hashes = Vec::new();
    prove(&original.leaves, &numbers, &mut hashes);
    let mut proof = Vec::new();
    encode_proof(&anchor, anchor_time_us, &intervals, &hashes, &mut proof);

    let index = Recording::parse(data)
        .ok()
        .and_then(|recording| recording.index().map(|index| index.options))
        .unwrap_or_default();
    let mut writer = RecordWriter::start_from(
        sink,
        FileHeader::CURRENT,
        &covered[0].record,
        index,
        Limits::default(),
        None,
    )?;
    writer.write(
        RecordType::EXCERPT_PROOF,
        RecordFlags::NONE,
        0,
        &RecordBody::Signing(&proof),
    )?;
    for &i in &chosen {
        writer.rewrite(&covered[i].record)?;
    }
    let (_, written_bytes) = writer.finish()?;
    Ok(Excerpt {
        records: chosen.len() as u64 + 1,
        first_us: covered[first].record.time_us,
        last_us: covered[last].record.time_us,
        anchor_sequence: anchor.sequence,
        anchor_final: anchor.is_final(),
        intervals: intervals.len() as u64,
        proof_bytes: proof.len() as u64,
        written_bytes,
    })
}
