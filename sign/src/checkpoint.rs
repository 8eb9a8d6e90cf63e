//! The checkpoint record's payload (spec/signing.md 4) and the message its
//! signature is over.

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use tdpr::format::{decode_uleb128, encode_uleb128, ULEB128_MAX_LEN};

use crate::digest::Hash;
use crate::key::KeyId;

/// The scheme of spec/signing.md: SHA-256 and Ed25519.
pub const SCHEME: u8 = 1;
/// Bit 0 of a checkpoint's flags: the recording ends here.
pub const FINAL: u8 = 0x01;
/// Size of the fixed fields of a checkpoint's payload, before `sequence`.
const FIXED_LEN: usize = 82;
/// What the signature's message starts with.
const CONTEXT: &[u8; 16] = b"tdpr checkpoint\0";
/// Size of the signed message.
pub const MESSAGE_LEN: usize = CONTEXT.len() + 1 + 1 + 8 + 8 + 8 + 32 + 8 + 32;

/// A checkpoint's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// 1: SHA-256 and Ed25519.
    pub scheme: u8,
    /// Bit 0: final.
    pub flags: u8,
    /// The signing key's id.
    pub key_id: KeyId,
    /// The first 8 bytes of the root of intervals 0 to `sequence`.
    pub root_prefix: [u8; 8],
    /// Ed25519 over [`Checkpoint::signed_message`].
    pub signature: [u8; 64],
    /// The checkpoint's number, 0 for the first.
    pub sequence: u64,
    /// Covered records from the metadata up to the checkpoint.
    pub record_count: u64,
}

/// A checkpoint payload that does not match the layout.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub String);

impl Checkpoint {
    /// Reads the payload of a checkpoint record: all of it.
    pub fn parse(payload: &[u8]) -> Result<Checkpoint, Malformed> {
        match Self::parse_prefix(payload)? {
            (checkpoint, []) => Ok(checkpoint),
            (_, rest) => Err(Malformed(format!(
                "{} bytes after the checkpoint's last field",
                rest.len()
            ))),
        }
    }

    /// Reads a checkpoint payload at the start of `input` (an excerpt's
    /// anchor holds one); returns it and the bytes after it.
    pub fn parse_prefix(input: &[u8]) -> Result<(Checkpoint, &[u8]), Malformed> {
        let fixed: &[u8; FIXED_LEN] = input
            .get(..FIXED_LEN)
            .and_then(|f| f.try_into().ok())
            .ok_or_else(|| Malformed("a checkpoint is cut short".into()))?;
        let (scheme, flags) = (fixed[0], fixed[1]);
        if scheme == 0 {
            return Err(Malformed("scheme 0".into()));
        }
        if flags & !FINAL != 0 {
            return Err(Malformed(format!("checkpoint flags {flags:#04x}")));
        }
        let (sequence, rest) = uleb(&input[FIXED_LEN..], "sequence")?;
        let (record_count, rest) = uleb(rest, "record count")?;
        let checkpoint = Checkpoint {
            scheme,
            flags,
            key_id: KeyId(fixed[2..10].try_into().unwrap()),
            root_prefix: fixed[10..18].try_into().unwrap(),
            signature: fixed[18..82].try_into().unwrap(),
            sequence,
            record_count,
        };
        Ok((checkpoint, rest))
    }

    /// Appends the payload.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.scheme);
        out.push(self.flags);
        out.extend_from_slice(&self.key_id.0);
        out.extend_from_slice(&self.root_prefix);
        out.extend_from_slice(&self.signature);
        let mut bytes = [0; ULEB128_MAX_LEN];
        for value in [self.sequence, self.record_count] {
            let len = encode_uleb128(value, &mut bytes);
            out.extend_from_slice(&bytes[..len]);
        }
    }

    /// True when the recording ends at this checkpoint.
    pub fn is_final(&self) -> bool {
        self.flags & FINAL != 0
    }

    /// True when `root` starts with the stored prefix.
    pub fn names_root(&self, root: &Hash) -> bool {
        root[..8] == self.root_prefix
    }

    /// The message the signature is over (spec/signing.md 4.2), with the
    /// whole `root` the records give.
    pub fn signed_message(
        &self,
        root: &Hash,
        time_us: u64,
        metadata_digest: &Hash,
    ) -> [u8; MESSAGE_LEN] {
        let mut message = [0; MESSAGE_LEN];
        let fields = [
            &CONTEXT[..],
            &[self.scheme, self.flags],
            &self.key_id.0,
            &self.sequence.to_le_bytes(),
            &self.record_count.to_le_bytes(),
            root,
            &time_us.to_le_bytes(),
            metadata_digest,
        ];
        let mut at = 0;
        for field in fields {
            message[at..at + field.len()].copy_from_slice(field);
            at += field.len();
        }
        message
    }

    /// Sets the root prefix and signs the checkpoint with `key`, for the
    /// records whose root is `root`, at `time_us`, in the session whose
    /// metadata has `metadata_digest`.
    pub fn sign(&mut self, key: &SigningKey, root: &Hash, time_us: u64, metadata_digest: &Hash) {
        self.root_prefix.copy_from_slice(&root[..8]);
        let message = self.signed_message(root, time_us, metadata_digest);
        self.signature = key.sign(&message).to_bytes();
    }

    /// True when the signature verifies with `key` (strictly, RFC 8032)
    /// for the records whose root is `root`.
    pub fn verifies(
        &self,
        key: &VerifyingKey,
        root: &Hash,
        time_us: u64,
        metadata_digest: &Hash,
    ) -> bool {
        let message = self.signed_message(root, time_us, metadata_digest);
        key.verify_strict(&message, &Signature::from_bytes(&self.signature))
            .is_ok()
    }
}

fn uleb<'a>(input: &'a [u8], what: &str) -> Result<(u64, &'a [u8]), Malformed> {
    decode_uleb128(input)
        .ok_or_else(|| Malformed(format!("the checkpoint's {what} is a bad uleb128")))
}
