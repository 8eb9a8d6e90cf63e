//! The excerpt proof record's payload (spec/signing.md 7.2): the anchor, the
//! described intervals and the Merkle hashes, read in place.

use tdpr::format::{decode_uleb128, encode_uleb128, ULEB128_MAX_LEN};

use crate::checkpoint::{Checkpoint, Malformed, SCHEME};
use crate::digest::Hash;

/// An excerpt proof, borrowing from its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcerptProof<'a> {
    /// The proof's scheme: 1.
    pub scheme: u8,
    /// The original checkpoint the excerpt is proven against.
    pub anchor: Checkpoint,
    /// The anchor's time in the original.
    pub anchor_time_us: u64,
    /// The described intervals, numbers increasing.
    pub intervals: Vec<IntervalProof<'a>>,
    /// The Merkle hashes, 32 bytes each.
    pub hashes: &'a [u8],
}

/// One described interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervalProof<'a> {
    /// Its number in the original.
    pub number: u64,
    /// The number of covered records it holds in the original.
    pub slots: u64,
    /// Bit i set: record i is in the excerpt.
    pub present: &'a [u8],
    /// The digests of the records that are not, 32 bytes each.
    pub digests: &'a [u8],
}

impl IntervalProof<'_> {
    /// True when the interval's record `slot` is in the excerpt.
    pub fn is_present(&self, slot: u64) -> bool {
        self.present[(slot / 8) as usize] & (1 << (slot % 8)) != 0
    }

    /// The `n`-th digest of an absent record.
    pub fn digest(&self, n: usize) -> Hash {
        self.digests[n * 32..n * 32 + 32].try_into().unwrap()
    }
}

impl<'a> ExcerptProof<'a> {
    /// Reads an excerpt proof payload.
    pub fn parse(payload: &'a [u8]) -> Result<Self, Malformed> {
        let short = |what: &str| Malformed(format!("the excerpt proof ends inside {what}"));
        let (&scheme, rest) = payload.split_first().ok_or_else(|| short("its scheme"))?;
        if scheme == 0 {
            return Err(Malformed("scheme 0".into()));
        }
        let time = rest.get(..8).ok_or_else(|| short("its anchor's time"))?;
        let anchor_time_us = u64::from_le_bytes(time.try_into().unwrap());
        let (anchor, rest) = Checkpoint::parse_prefix(&rest[8..])?;
        let mut rest = rest;
        let count = uleb(&mut rest, "the interval count")?;
        if count == 0 {
            return Err(Malformed("an excerpt proof describes no interval".into()));
        }
        let mut intervals = Vec::new();
        for _ in 0..count {
            let number = uleb(&mut rest, "an interval number")?;
            if number > anchor.sequence {
                return Err(Malformed(format!(
                    "interval {number} is after the anchor's {}",
                    anchor.sequence
                )));
            }
            if intervals
                .last()
                .is_some_and(|previous: &IntervalProof<'_>| previous.number >= number)
            {
                return Err(Malformed(format!("interval {number} is out of order")));
            }
            let slots = uleb(&mut rest, "an interval's record count")?;
            let bitmap_len = slots.div_ceil(8);
            if bitmap_len > rest.len() as u64 {
                return Err(short("a bitmap"));
            }
            let (present, after) = rest.split_at(bitmap_len as usize);
            if slots % 8 != 0 && present[present.len() - 1] >> (slots % 8) != 0 {
                return Err(Malformed(format!(
                    "interval {number}: a bit is set past its {slots} records"
                )));
            }
            let ones: u64 = present.iter().map(|b| u64::from(b.count_ones())).sum();
            let digests_len = (slots - ones) * 32;
            if digests_len > after.len() as u64 {
                return Err(short("an interval's digests"));
            }
            let (digests, after) = after.split_at(digests_len as usize);
            intervals.push(IntervalProof {
                number,
                slots,
                present,
                digests,
            });
            rest = after;
        }
        let hash_count = uleb(&mut rest, "the hash count")?;
        if hash_count.checked_mul(32) != Some(rest.len() as u64) {
            return Err(Malformed(format!(
                "{hash_count} hashes announced, {} bytes hold them",
                rest.len()
            )));
        }
        Ok(ExcerptProof {
            scheme,
            anchor,
            anchor_time_us,
            intervals,
            hashes: rest,
        })
    }

    /// The Merkle hashes.
    pub fn hashes(&self) -> Vec<Hash> {
        self.hashes
            .chunks_exact(32)
            .map(|h| h.try_into().unwrap())
            .collect()
    }
}

/// One described interval, owned, for writing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntervalDescription {
    /// Its number in the original.
    pub number: u64,
    /// Per record of the interval: `None` when it is in the excerpt, its
    /// digest when it is not.
    pub slots: Vec<Option<Hash>>,
}

/// Appends an excerpt proof payload.
pub fn encode_proof(
    anchor: &Checkpoint,
    anchor_time_us: u64,
    intervals: &[IntervalDescription],
    hashes: &[Hash],
    out: &mut Vec<u8>,
) {
    out.push(SCHEME);
    out.extend_from_slice(&anchor_time_us.to_le_bytes());
    anchor.encode(out);
    put_uleb(out, intervals.len() as u64);
    for interval in intervals {
        put_uleb(out, interval.number);
        put_uleb(out, interval.slots.len() as u64);
        let mut bitmap = vec![0u8; interval.slots.len().div_ceil(8)];
        for (i, slot) in interval.slots.iter().enumerate() {
            if slot.is_none() {
                bitmap[i / 8] |= 1 << (i % 8);
            }
        }
        out.extend_from_slice(&bitmap);
        for digest in interval.slots.iter().flatten() {
            out.extend_from_slice(digest);
        }
    }
    put_uleb(out, hashes.len() as u64);
    for hash in hashes {
        out.extend_from_slice(hash);
    }
}

fn uleb(input: &mut &[u8], what: &str) -> Result<u64, Malformed> {
    let (value, rest) = decode_uleb128(input)
        .ok_or_else(|| Malformed(format!("the excerpt proof has a bad uleb128 in {what}")))?;
    *input = rest;
    Ok(value)
}

fn put_uleb(out: &mut Vec<u8>, value: u64) {
    let mut bytes = [0; ULEB128_MAX_LEN];
    let len = encode_uleb128(value, &mut bytes);
    out.extend_from_slice(&bytes[..len]);
}
