//! Verifying a signed recording or an excerpt (spec/signing.md 5, 7.3):
//! one pass over the records in file order, hashing each covered record's
//! stored bytes in place, checking each checkpoint as it comes, and
//! stopping at the first break.

use ed25519_dalek::VerifyingKey;
use tdpr::read::Records;
use tdpr::{Limits, Record, RecordBody, RecordType, ScanEnd};

use crate::checkpoint::{Checkpoint, SCHEME};
use crate::digest::{digest_of, is_covered, Hash, LeafHasher};
use crate::key::KeyId;
use crate::proof::ExcerptProof;
use crate::tree::{root_from_proof, Frontier, ProofFault};
use crate::verdict::{Anchor, Break, BreakClass, FileKind, Proven, Unproven, Verdict};

/// Verifies the recording or excerpt `data` against `key`.
pub fn verify(data: &[u8], key: &VerifyingKey) -> Verdict {
    let key_id = KeyId::of(key);
    let mut verdict = Verdict {
        key_id: key_id.to_string(),
        kind: FileKind::Recording,
        verified: false,
        finished: false,
        proven: None,
        unproven: None,
        first_break: None,
        excerpt: None,
    };
    let mut records = match Records::of_file(data, Limits::default()) {
        Ok(records) => records,
        Err(e) => {
            verdict.first_break = Some(Break::container(&e));
            return verdict;
        }
    };
    let metadata = match records.next() {
        Some(Ok(record)) => record,
        Some(Err(e)) => {
            verdict.first_break = Some(Break::container(&e));
            return verdict;
        }
        None => {
            // The header and nothing after it: no metadata record.
            verdict.first_break = Some(Break::container(&tdpr::Error::Format {
                class: tdpr::ErrorClass::Truncated,
                offset: tdpr::format::HEADER_LEN as u64,
                detail: "the file ends before the metadata record".into(),
            }));
            return verdict;
        }
    };
    let mut walk = Walk {
        records,
        key: *key,
        key_id,
        metadata_digest: digest_of(&metadata),
        clock: 0,
    };
    let mut first = Some(metadata);
    let result = match walk.peek_excerpt_proof() {
        Some(proof) => {
            verdict.kind = FileKind::Excerpt;
            walk.excerpt(first.take().expect("the metadata"), proof, &mut verdict)
        }
        None => walk.recording(first.take().expect("the metadata"), &mut verdict),
    };
    if let Err(found) = result {
        verdict.first_break = Some(found);
        verdict.unproven = None;
        verdict.finished = false;
    } else {
        verdict.finished = verdict.finished && walk.records.end() == ScanEnd::Finished;
    }
    verdict.verified = verdict.first_break.is_none() && verdict.finished;
    verdict
}

/// The pass over the records after the metadata.
struct Walk<'a> {
    records: Records<'a>,
    key: VerifyingKey,
    key_id: KeyId,
    metadata_digest: Hash,
    /// Time of the clock after the last record read (spec/format.md 4.1).
    clock: u64,
}

/// What stands where a record may: a covered record, or the end.
enum Next<'a> {
    Covered(Record<'a>),
    Checkpoint(Record<'a>),
    End,
}

impl<'a> Walk<'a> {
    /// The record after the metadata, when it is an excerpt proof: the
    /// file is then an excerpt.
    fn peek_excerpt_proof(&mut self) -> Option<Record<'a>> {
        let mut ahead = self.records.clone();
        match ahead.next() {
            Some(Ok(record)) if record.record_type == RecordType::EXCERPT_PROOF => {
                self.records = ahead;
                Some(record)
            }
            _ => None,
        }
    }

    /// The next record that matters: covered records and checkpoints;
    /// container faults and misplaced excerpt proofs are breaks.
    fn next(&mut self) -> Result<Next<'a>, Break> {
        loop {
            let record = match self.records.next() {
                None => return Ok(Next::End),
                Some(Err(e)) => return Err(Break::container(&e)),
                Some(Ok(record)) => record,
            };
            let before = self.clock;
            self.clock = match &record.body {
                RecordBody::FrameBatch(batch) => record.time_us + batch.span_us(),
                _ => record.time_us,
            };
            if is_covered(record.record_type) {
                return Ok(Next::Covered(record));
            }
            if record.record_type == RecordType::CHECKPOINT
                || record.record_type == RecordType::EXCERPT_PROOF
            {
                check_placement(&record, before)?;
            }
            if record.record_type == RecordType::CHECKPOINT {
                return Ok(Next::Checkpoint(record));
            }
            if record.record_type == RecordType::EXCERPT_PROOF {
                return Err(Break::new(
                    BreakClass::MisplacedSigningRecord,
                    record.offset,
                    "an excerpt proof stands only right after the metadata",
                ));
            }
        }
    }

    /// Checks a checkpoint's scheme and key.
    fn check_key(&self, checkpoint: &Checkpoint, offset: u64) -> Result<(), Break> {
        if checkpoint.scheme != SCHEME {
            return Err(unsupported(checkpoint.scheme, offset));
        }
        if checkpoint.key_id != self.key_id {
            return Err(Break::new(
                BreakClass::WrongKey,
                offset,
                format!("signed with key {}, not {}", checkpoint.key_id, self.key_id),
            ));
        }
        Ok(())
    }

    /// Checks a checkpoint against the records whose root is `root`
    /// (spec/signing.md 5.2 rules 7 and 8): its root prefix must be that
    /// root's, else the records are not those signed (or the prefix, which
    /// the signature does not cover, was edited); then its signature must
    /// verify, else the checkpoint itself was changed.
    fn check_signature(
        &self,
        checkpoint: &Checkpoint,
        root: &Hash,
        time_us: u64,
        offset: u64,
    ) -> Result<(), Break> {
        if !checkpoint.names_root(root) {
            return Err(Break::new(
                BreakClass::RootMismatch,
                offset,
                "the checkpoint does not sign these records: a record was changed, or the checkpoint comes from elsewhere",
            ));
        }
        if checkpoint.verifies(&self.key, root, time_us, &self.metadata_digest) {
            return Ok(());
        }
        Err(Break::new(
            BreakClass::BadSignature,
            offset,
            "the signature does not verify for this session at this time",
        ))
    }

    /// spec/signing.md 5.2.
    fn recording(&mut self, metadata: Record<'a>, verdict: &mut Verdict) -> Result<(), Break> {
        let mut leaf = LeafHasher::default();
        leaf.push(&self.metadata_digest);
        let mut tree = Frontier::default();
        let mut covered = 1u64;
        let mut last = (metadata.offset, metadata.time_us);
        let mut first_unproven = metadata.offset;
        let mut ended = false;
        loop {
            match self.next()? {
                Next::End => break,
                Next::Covered(record) => {
                    if ended {
                        return Err(Break::new(
                            BreakClass::RecordAfterFinal,
                            record.offset,
                            "a record after the final checkpoint",
                        ));
                    }
                    if leaf.records() == 0 {
                        first_unproven = record.offset;
                    }
                    leaf.push(&digest_of(&record));
                    covered += 1;
                    last = (record.offset, self.clock);
                }
                Next::Checkpoint(record) => {
                    let checkpoint = parse_checkpoint(&record)?;
                    self.check_key(&checkpoint, record.offset)?;
                    if checkpoint.sequence != tree.leaves() {
                        return Err(Break::new(
                            BreakClass::SequenceMismatch,
                            record.offset,
                            format!(
                                "checkpoint {} where checkpoint {} was due",
                                checkpoint.sequence,
                                tree.leaves()
                            ),
                        ));
                    }
                    if checkpoint.record_count != covered {
                        return Err(Break::new(
                            BreakClass::RecordCountMismatch,
                            record.offset,
                            format!(
                                "{} records were signed up to here, {covered} are here",
                                checkpoint.record_count
                            ),
                        ));
                    }
                    tree.push(leaf.finish());
                    let root = tree.root().expect("a leaf was just pushed");
                    self.check_signature(&checkpoint, &root, record.time_us, record.offset)?;
                    verdict.proven = Some(Proven {
                        checkpoint_offset: record.offset,
                        sequence: checkpoint.sequence,
                        records: covered,
                        last_record_offset: last.0,
                        time_us: last.1,
                    });
                    ended = checkpoint.is_final();
                }
            }
        }
        verdict.finished = ended;
        if leaf.records() > 0 {
            verdict.unproven = Some(Unproven {
                records: leaf.records(),
                first_offset: first_unproven,
            });
        }
        Ok(())
    }

    /// spec/signing.md 7.3.
    fn excerpt(
        &mut self,
        metadata: Record<'a>,
        proof_record: Record<'a>,
        verdict: &mut Verdict,
    ) -> Result<(), Break> {
        let at = proof_record.offset;
        check_placement(&proof_record, 0)?;
        let RecordBody::Signing(payload) = proof_record.body else {
            unreachable!("an excerpt proof's body is a signing record's");
        };
        let proof = ExcerptProof::parse(payload)
            .map_err(|e| Break::new(BreakClass::MalformedSigningRecord, at, e.0))?;
        if proof.scheme != SCHEME {
            return Err(unsupported(proof.scheme, at));
        }
        self.check_key(&proof.anchor, at)?;
        let mut described = Vec::with_capacity(proof.intervals.len());
        let mut metadata_left = Some(&metadata);
        let mut records = 0u64;
        let mut last = (metadata.offset, metadata.time_us);
        for interval in &proof.intervals {
            let mut leaf = LeafHasher::default();
            let mut absent = 0;
            for slot in 0..interval.slots {
                if !interval.is_present(slot) {
                    leaf.push(&interval.digest(absent));
                    absent += 1;
                    continue;
                }
                let digest = if interval.number == 0 && slot == 0 {
                    metadata_left.take().map(|_| self.metadata_digest)
                } else {
                    None
                };
                let digest = match digest {
                    Some(digest) => digest,
                    None => match self.next()? {
                        Next::Covered(record) => {
                            last = (record.offset, self.clock);
                            digest_of(&record)
                        }
                        Next::Checkpoint(record) => return Err(checkpoint_in_excerpt(&record)),
                        Next::End => {
                            return Err(Break::new(
                                BreakClass::BadProof,
                                at,
                                format!(
                                    "interval {} needs more records than the excerpt holds",
                                    interval.number
                                ),
                            ))
                        }
                    },
                };
                leaf.push(&digest);
                records += 1;
            }
            described.push((interval.number, leaf.finish()));
        }
        match self.next()? {
            Next::End => {}
            Next::Checkpoint(record) => return Err(checkpoint_in_excerpt(&record)),
            Next::Covered(record) => {
                return Err(Break::new(
                    BreakClass::BadProof,
                    record.offset,
                    "a record that the proof does not describe",
                ))
            }
        }
        let root = root_from_proof(proof.anchor.sequence + 1, &described, &proof.hashes())
            .map_err(|fault| {
                let what = match fault {
                    ProofFault::Short => "the proof ends before the root is reached",
                    ProofFault::Long => "hashes are left over once the root is reached",
                };
                Break::new(BreakClass::BadProof, at, what)
            })?;
        self.check_signature(&proof.anchor, &root, proof.anchor_time_us, at)?;
        // The metadata counts as an excerpt record either way: proven by the
        // leaf of interval 0 or by the anchor's signature.
        verdict.proven = Some(Proven {
            checkpoint_offset: at,
            sequence: proof.anchor.sequence,
            records: records + u64::from(metadata_left.is_some()),
            last_record_offset: last.0,
            time_us: last.1,
        });
        verdict.excerpt = Some(Anchor {
            sequence: proof.anchor.sequence,
            time_us: proof.anchor_time_us,
            original_records: proof.anchor.record_count,
            is_final: proof.anchor.is_final(),
            intervals: proof.intervals.len() as u64,
        });
        verdict.finished = proof.anchor.is_final();
        Ok(())
    }
}

/// A signing record's flags and time delta must be 0 (spec/signing.md 5.2).
fn check_placement(record: &Record<'_>, clock_before: u64) -> Result<(), Break> {
    if record.flags.0 != 0 || record.time_us != clock_before {
        return Err(Break::new(
            BreakClass::MisplacedSigningRecord,
            record.offset,
            format!(
                "a {} record has flags {:#04x} and time delta {} µs; both must be 0",
                record.record_type,
                record.flags.0,
                record.time_us - clock_before
            ),
        ));
    }
    Ok(())
}

fn unsupported(scheme: u8, offset: u64) -> Break {
    Break::new(
        BreakClass::UnsupportedScheme,
        offset,
        format!("scheme {scheme} is not implemented here"),
    )
}

fn parse_checkpoint(record: &Record<'_>) -> Result<Checkpoint, Break> {
    let RecordBody::Signing(payload) = record.body else {
        unreachable!("a checkpoint's body is a signing record's");
    };
    Checkpoint::parse(payload)
        .map_err(|e| Break::new(BreakClass::MalformedSigningRecord, record.offset, e.0))
}

fn checkpoint_in_excerpt(record: &Record<'_>) -> Break {
    Break::new(
        BreakClass::MisplacedSigningRecord,
        record.offset,
        "an excerpt holds no checkpoint",
    )
}
