//! Signing as a recording is written (spec/signing.md 4.3, 6): the
//! [`Signer`] is the [`Sealer`] a [`tdpr::Writer`] or a
//! [`tdpr::write::RecordWriter`] calls for every covered record; it hashes
//! the record's bytes as they are written and signs a checkpoint when one
//! is due.

use std::fmt;
use std::io::Write;

use ed25519_dalek::SigningKey;
use tdpr::proto::{Extensible, Metadata};
use tdpr::write::{Sealer, WrittenRecord};
use tdpr::{RecordType, Writer, WriterOptions};

use crate::checkpoint::{Checkpoint, FINAL, SCHEME};
use crate::digest::{record_digest, Hash, LeafHasher};
use crate::key::KeyId;
use crate::tree::Frontier;

/// When a signer writes checkpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignerOptions {
    /// A checkpoint is written after the first covered record at least this
    /// long (recording time) after the previous checkpoint.
    pub interval_us: u64,
    /// A checkpoint is written after this many covered records at most.
    pub max_records: u64,
}

impl Default for SignerOptions {
    /// Every 10 s, and every 4 096 records (spec/signing.md 4.3).
    fn default() -> Self {
        SignerOptions {
            interval_us: 10_000_000,
            max_records: 4096,
        }
    }
}

/// Hashes every covered record written and signs checkpoints.
pub struct Signer {
    key: SigningKey,
    key_id: KeyId,
    options: SignerOptions,
    metadata_digest: Option<Hash>,
    leaf: LeafHasher,
    tree: Frontier,
    covered: u64,
    last_checkpoint_us: u64,
    ended: bool,
}

/// The secret key stays out of debug output.
impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .field("options", &self.options)
            .field("checkpoints", &self.tree.leaves())
            .field("covered", &self.covered)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer with `key`.
    pub fn new(key: SigningKey, options: SignerOptions) -> Signer {
        Signer {
            key_id: KeyId::of(&key.verifying_key()),
            key,
            options,
            metadata_digest: None,
            leaf: LeafHasher::default(),
            tree: Frontier::default(),
            covered: 0,
            last_checkpoint_us: 0,
            ended: false,
        }
    }

    /// True when a checkpoint is due at `time_us`.
    fn due(&self, time_us: u64, end: bool) -> bool {
        if self.ended || self.metadata_digest.is_none() {
            return false;
        }
        let pending = self.leaf.records();
        end || (pending > 0
            && (time_us.saturating_sub(self.last_checkpoint_us) >= self.options.interval_us
                || pending >= self.options.max_records))
    }
}

impl Sealer for Signer {
    fn record(&mut self, record: &WrittenRecord<'_>) {
        let digest = record_digest(
            record.record_type,
            record.flags,
            record.time_us,
            record.payload,
        );
        self.metadata_digest.get_or_insert(digest);
        self.leaf.push(&digest);
        self.covered += 1;
    }

    fn seal(&mut self, time_us: u64, end: bool, payload: &mut Vec<u8>) -> Option<RecordType> {
        let metadata_digest = self.metadata_digest?;
        if !self.due(time_us, end) {
            return None;
        }
        self.tree.push(self.leaf.finish());
        let root = self.tree.root().expect("a leaf was just pushed");
        let mut checkpoint = Checkpoint {
            scheme: SCHEME,
            flags: if end { FINAL } else { 0 },
            key_id: self.key_id,
            root_prefix: [0; 8],
            signature: [0; 64],
            sequence: self.tree.leaves() - 1,
            record_count: self.covered,
        };
        checkpoint.sign(&self.key, &root, time_us, &metadata_digest);
        checkpoint.encode(payload);
        self.last_checkpoint_us = time_us;
        self.ended = end;
        Some(RecordType::CHECKPOINT)
    }
}

/// A [`Writer`] that signs `sink`'s recording with `key` as it writes it:
/// checkpoints as `signing` says, and a final one when it is finished.
pub fn signed_writer<W: Write>(
    sink: W,
    metadata: impl Into<Extensible<Metadata>>,
    options: WriterOptions,
    key: SigningKey,
    signing: SignerOptions,
) -> tdpr::Result<Writer<W>> {
    Writer::with_sealer(sink, metadata, options, Box::new(Signer::new(key, signing)))
}
