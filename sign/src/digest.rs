//! What is hashed (spec/signing.md 3): the digest of each covered record and
//! the leaf of each interval between checkpoints.
//!
//! A record's digest covers its type, flags, absolute time and stored
//! payload, not its framing, so a record keeps its digest wherever it is
//! written at the same time: an excerpt re-encodes time deltas and every
//! digest still matches.

use sha2::{Digest, Sha256};
use tdpr::{RecordFlags, RecordType};

/// A SHA-256 value.
pub type Hash = [u8; 32];

/// First byte of an interval leaf's hash input.
pub(crate) const LEAF_PREFIX: u8 = 0x00;
/// First byte of a Merkle node's hash input.
pub(crate) const NODE_PREFIX: u8 = 0x01;
/// First byte of a record digest's hash input.
const RECORD_PREFIX: u8 = 0x02;

/// True for the records a signature covers (spec/signing.md 3.1): all but
/// the index, the trailer and the signing records.
pub fn is_covered(record_type: RecordType) -> bool {
    !record_type.is_signing()
        && record_type != RecordType::INDEX
        && record_type != RecordType::TRAILER
}

/// The digest of a covered record whose stored payload is `payload`, in
/// pieces (spec/signing.md 3.2).
pub fn record_digest(
    record_type: RecordType,
    flags: RecordFlags,
    time_us: u64,
    payload: &[&[u8]],
) -> Hash {
    let mut head = [0u8; 11];
    head[0] = RECORD_PREFIX;
    head[1] = record_type.0;
    head[2] = flags.0;
    head[3..].copy_from_slice(&time_us.to_le_bytes());
    let mut hasher = Sha256::new();
    hasher.update(head);
    for piece in payload {
        hasher.update(piece);
    }
    hasher.finalize().into()
}

/// The digest of a record read from a file.
pub fn digest_of(record: &tdpr::Record<'_>) -> Hash {
    record_digest(
        record.record_type,
        record.flags,
        record.time_us,
        &[record.raw_payload],
    )
}

/// Folds the digests of one interval's records into its leaf
/// (spec/signing.md 3.3).
#[derive(Debug, Clone)]
pub struct LeafHasher {
    hasher: Sha256,
    records: u64,
}

impl Default for LeafHasher {
    fn default() -> Self {
        let mut hasher = Sha256::new();
        hasher.update([LEAF_PREFIX]);
        LeafHasher { hasher, records: 0 }
    }
}

impl LeafHasher {
    /// Adds the next record's digest.
    pub fn push(&mut self, digest: &Hash) {
        self.hasher.update(digest);
        self.records += 1;
    }

    /// Records added since the interval started.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The interval's leaf; the hasher starts the next interval.
    pub fn finish(&mut self) -> Hash {
        std::mem::take(self).hasher.finalize().into()
    }
}

/// The leaf of an interval whose records have `digests`.
pub fn leaf_of<'d>(digests: impl IntoIterator<Item = &'d Hash>) -> Hash {
    let mut leaf = LeafHasher::default();
    for digest in digests {
        leaf.push(digest);
    }
    leaf.finish()
}
