//! The checkpoint record's payload (spec/signing.md 4) and the message its
//! signature is over.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

use crate::digest::Hash;
use crate::key::KeyId;

/// The scheme of spec/signing.md: SHA-256 and Ed25519.
pub const SCHEME: u8 = 1;
/// Bit 0 of a checkpoint's flags: the recording ends here.
pub const FINAL: u8 = 0x01;
/// Size of a checkpoint's payload.
pub const CHECKPOINT_LEN: usize = 122;
/// What the signature's message starts with.
const CONTEXT: &[u8; 16] = b"tdpr checkpoint\0";
/// Size of the signed message.
pub const MESSAGE_LEN: usize = CONTEXT.len() + 58 + 8 + 32;

/// A checkpoint's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// 1: SHA-256 and Ed25519.
    pub scheme: u8,
    /// Bit 0: final.
    pub flags: u8,
    /// The signing key's id.
    pub key_id: KeyId,
    /// The checkpoint's number, 0 for the first.
    pub sequence: u64,
    /// Covered records from the metadata up to the checkpoint.
    pub record_count: u64,
    /// The root of intervals 0 to `sequence`.
    pub root: Hash,
    /// Ed25519 over [`Checkpoint::signed_message`].
    pub signature: [u8; 64],
}

/// A checkpoint payload that does not match the layout.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub String);

impl Checkpoint {
    /// Reads the payload of a checkpoint record.
    pub fn parse(payload: &[u8]) -> Result<Checkpoint, Malformed> {
        if payload.len() != CHECKPOINT_LEN {
            return Err(Malformed(format!(
                "a checkpoint payload is {CHECKPOINT_LEN} bytes, not {}",
                payload.len()
            )));
        }
        let mut checkpoint = Self::parse_fields(&payload[1..])?;
        checkpoint.scheme = payload[0];
        if checkpoint.scheme == 0 {
            return Err(Malformed("scheme 0".into()));
        }
        Ok(checkpoint)
    }

    /// Reads bytes 1 to 121 of a checkpoint's payload (an excerpt's anchor
    /// holds them); the scheme is set to [`SCHEME`].
    pub fn parse_fields(fields: &[u8]) -> Result<Checkpoint, Malformed> {
        let fields: &[u8; CHECKPOINT_LEN - 1] = fields
            .try_into()
            .map_err(|_| Malformed("a checkpoint's fields are cut short".into()))?;
        let flags = fields[0];
        if flags & !FINAL != 0 {
            return Err(Malformed(format!("checkpoint flags {flags:#04x}")));
        }
        let u64_at = |at: usize| u64::from_le_bytes(fields[at..at + 8].try_into().unwrap());
        Ok(Checkpoint {
            scheme: SCHEME,
            flags,
            key_id: KeyId(fields[1..9].try_into().unwrap()),
            sequence: u64_at(9),
            record_count: u64_at(17),
            root: fields[25..57].try_into().unwrap(),
            signature: fields[57..121].try_into().unwrap(),
        })
    }

    /// Appends the payload.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.scheme);
        self.encode_fields(out);
    }

    /// Appends payload bytes 1 to 121.
    pub fn encode_fields(&self, out: &mut Vec<u8>) {
        out.push(self.flags);
        out.extend_from_slice(&self.key_id.0);
        out.extend_from_slice(&self.sequence.to_le_bytes());
        out.extend_from_slice(&self.record_count.to_le_bytes());
        out.extend_from_slice(&self.root);
        out.extend_from_slice(&self.signature);
    }

    /// True when the recording ends at this checkpoint.
    pub fn is_final(&self) -> bool {
        self.flags & FINAL != 0
    }

    /// The message the signature is over (spec/signing.md 4.2).
    pub fn signed_message(&self, time_us: u64, metadata_digest: &Hash) -> [u8; MESSAGE_LEN] {
        let mut message = [0; MESSAGE_LEN];
        let mut payload = Vec::with_capacity(CHECKPOINT_LEN);
        self.encode(&mut payload);
        let (context, rest) = message.split_at_mut(CONTEXT.len());
        context.copy_from_slice(CONTEXT);
        rest[..58].copy_from_slice(&payload[..58]);
        rest[58..66].copy_from_slice(&time_us.to_le_bytes());
        rest[66..].copy_from_slice(metadata_digest);
        message
    }

    /// Signs the checkpoint with `key`, at `time_us`, in the session whose
    /// metadata has `metadata_digest`.
    pub fn sign(&mut self, key: &SigningKey, time_us: u64, metadata_digest: &Hash) {
        let message = self.signed_message(time_us, metadata_digest);
        self.signature = key.sign(&message).to_bytes();
    }

    /// True when the signature verifies with `key` (strictly, RFC 8032).
    pub fn verifies(&self, key: &VerifyingKey, time_us: u64, metadata_digest: &Hash) -> bool {
        let message = self.signed_message(time_us, metadata_digest);
        key.verify_strict(&message, &Signature::from_bytes(&self.signature))
            .is_ok()
    }
}
