//! Signing an existing recording (spec/signing.md 6): every covered record
//! is written again with its time and stored payload unchanged, and
//! checkpoints are added as a live writer adds them.

use std::io::Write;

use ed25519_dalek::SigningKey;
use tdpr::write::RecordWriter;
use tdpr::{FileHeader, Limits, RecordBody, RecordType, Recording};

use crate::checkpoint::Checkpoint;
use crate::digest::is_covered;
use crate::error::SignError;
use crate::key::KeyId;
use crate::signer::{Signer, SignerOptions};

/// What signing wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed {
    /// Covered records signed, the metadata included.
    pub records: u64,
    /// Signing records of the input that were dropped.
    pub dropped_signing_records: u64,
    /// Size of the signed file.
    pub written_bytes: u64,
}

/// Writes `data`, a valid and finished recording, signed with `key`, to
/// `sink`. A recording that has signing records already is refused unless
/// `replace` is true; they are then dropped.
pub fn sign_recording<W: Write>(
    data: &[u8],
    sink: W,
    key: SigningKey,
    options: SignerOptions,
    replace: bool,
) -> Result<Signed, SignError> {
    tdpr::validate(data)?;
    let recording = Recording::parse(data)?;
    let index = recording
        .index()
        .map(|index| index.options)
        .unwrap_or_default();
    let mut records = recording.records();
    let metadata = records.next().expect("a valid recording has metadata")?;
    let mut writer = RecordWriter::start_from(
        sink,
        FileHeader::CURRENT,
        &metadata,
        index,
        Limits::default(),
        Some(Box::new(Signer::new(key, options))),
    )?;
    let mut signed = Signed {
        records: 1,
        dropped_signing_records: 0,
        written_bytes: 0,
    };
    for record in records {
        let record = record?;
        if record.record_type.is_signing() {
            if !replace {
                return Err(SignError::AlreadySigned(signer_of(&record)));
            }
            signed.dropped_signing_records += 1;
        } else if is_covered(record.record_type) {
            writer.rewrite(&record)?;
            signed.records += 1;
        }
    }
    let (_, written) = writer.finish()?;
    signed.written_bytes = written;
    Ok(signed)
}

/// The key a signing record names, when it is a readable checkpoint.
fn signer_of(record: &tdpr::Record<'_>) -> Option<KeyId> {
    match (&record.body, record.record_type) {
        (RecordBody::Signing(payload), RecordType::CHECKPOINT) => {
            Checkpoint::parse(payload).ok().map(|c| c.key_id)
        }
        _ => None,
    }
}
