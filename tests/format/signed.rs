//! The signed cases of the conformance suite (spec/signing.md): golden files
//! signed with the suite's public test key, an excerpt, and one file for each
//! kind of tampering, each with the verdict a verifier must reach.
//!
//! The tampered files are valid recordings at the container level (their
//! CRCs and index are right): only the signatures tell. Each case's expected
//! break (class and offset) is computed here from the structure of the file,
//! independently of the verifier, and `conformance/signed/NAME.json` holds
//! the whole verdict as `tdpr verify --json` prints it, reviewed by hand.
//! `TDPR_BLESS=1` rewrites `conformance/signed/`.

use std::path::PathBuf;

use serde_json::Value;
use tdpr::format::OwnedRecord;
use tdpr::proto::{Event, EventKind, Metadata};
use tdpr::write::RecordWriter;
use tdpr::{FileHeader, IndexOptions, Limits, RecordType, Records, WriterOptions};
use tdpr_sign::{
    clip, sign_recording, signed_writer, verify, BreakClass, SignerOptions, SigningKey,
};

use crate::common::{fix_crc, sample};
use crate::invalid::conformance_dir;

/// The suite's test key: its seed is the bytes 0, 1, …, 31. Its secret is
/// public, in `conformance/signed/test_key.pem`: never sign anything real
/// with it.
pub fn test_key() -> SigningKey {
    SigningKey::from_bytes(&std::array::from_fn(|i| i as u8))
}

/// Another key, for the case of a file signed with a key not given.
fn other_key() -> SigningKey {
    SigningKey::from_bytes(&[0x42; 32])
}

/// Checkpoints every 5 s of recording time, so that the small files of the
/// suite have several.
fn every_5s() -> SignerOptions {
    SignerOptions {
        interval_us: 5_000_000,
        ..SignerOptions::default()
    }
}

/// A PNG image for keyframes (the signature is what a reader checks).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n-an-image-for-the-tests";

/// 30 s of a session signed live: pointer moves every 100 ms, a keyframe at
/// the start, a resize with a keyframe at 12 s, markers, a session end.
fn live_session(session_id: &str, key: SigningKey) -> Vec<u8> {
    let metadata = Metadata {
        session_id: session_id.into(),
        user: "alice".into(),
        screen_width: 1024,
        screen_height: 768,
        ..Metadata::default()
    };
    let mut writer = signed_writer(
        Vec::new(),
        metadata,
        WriterOptions::default(),
        key,
        every_5s(),
    )
    .unwrap();
    writer.write_keyframe(0, 1024, 768, PNG).unwrap();
    for n in 0..300u32 {
        let time = u64::from(n) * 100_000;
        if n == 120 {
            writer.write_screen_size(time, 1280, 800).unwrap();
            writer.write_keyframe(time, 1280, 800, PNG).unwrap();
        }
        if n % 70 == 35 {
            let marker = Event {
                kind: EventKind::Marker as i32,
                label: format!("marker {n}"),
                ..Event::default()
            };
            writer.write_event(time, marker).unwrap();
        }
        let mut moved = [3, 0, 0, 0, 0, 0, 0, 0, 0];
        moved[1..5].copy_from_slice(&n.to_be_bytes());
        writer.write_frame(time, &moved).unwrap();
    }
    let end = Event {
        kind: EventKind::SessionEnd as i32,
        ..Event::default()
    };
    writer.write_event(30_000_000, end).unwrap();
    writer.finish().unwrap()
}

/// The golden signed recording: signed live.
pub fn signed_live() -> Vec<u8> {
    live_session("signed-live", test_key())
}

/// The sample session, signed afterwards by `tdpr sign`.
pub fn signed_sample() -> Vec<u8> {
    let mut out = Vec::new();
    sign_recording(&sample(), &mut out, test_key(), every_5s(), false).unwrap();
    out
}

/// The excerpt of [`signed_live`] from 12.5 s to 18 s: it starts with the
/// resize and the keyframe of 12 s.
pub fn excerpt() -> Vec<u8> {
    let mut out = Vec::new();
    clip(&signed_live(), 12_500_000, 18_000_000, &mut out).unwrap();
    out
}

/// The records of a recording, owned, without its index and trailer.
fn records_of(data: &[u8]) -> Vec<OwnedRecord> {
    Records::of_file(data, Limits::default())
        .unwrap()
        .map(|r| r.unwrap().to_owned_record())
        .filter(|r| r.record_type != RecordType::INDEX && r.record_type != RecordType::TRAILER)
        .collect()
}

/// A valid recording of `records` (times as they say), with a new index.
fn rebuilt(records: &[OwnedRecord]) -> Vec<u8> {
    let limits = Limits::default();
    let mut writer = RecordWriter::start_from(
        Vec::new(),
        FileHeader::CURRENT,
        &records[0].as_record(&limits).unwrap(),
        IndexOptions::default(),
        limits,
        None,
    )
    .unwrap();
    for record in &records[1..] {
        writer.rewrite(&record.as_record(&limits).unwrap()).unwrap();
    }
    writer.finish().unwrap().0
}

/// Positions (in `records`) of the checkpoints.
fn checkpoints(records: &[OwnedRecord]) -> Vec<usize> {
    (0..records.len())
        .filter(|&i| records[i].record_type == RecordType::CHECKPOINT)
        .collect()
}

/// The offset of the first checkpoint at or after `offset` in `data`.
fn checkpoint_after(data: &[u8], offset: u64) -> u64 {
    records_of(data)
        .iter()
        .find(|r| r.record_type == RecordType::CHECKPOINT && r.offset >= offset)
        .expect("a checkpoint after the change")
        .offset
}

/// The offset of the record at position `i` of `data`'s records.
fn offset_of(data: &[u8], i: usize) -> u64 {
    records_of(data)[i].offset
}

/// The offset of the excerpt proof: right after the metadata.
fn proof_offset(data: &[u8]) -> u64 {
    offset_of(data, 1)
}

/// A frame batch of the first interval after the first checkpoint.
fn batch_in_second_interval(records: &[OwnedRecord]) -> usize {
    let first = checkpoints(records)[0];
    (first..records.len())
        .find(|&i| records[i].record_type == RecordType::FRAME_BATCH)
        .unwrap()
}

/// One signed case: a file, and what verifying it with the test key gives.
pub struct Case {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    /// The spec section that decides it.
    pub section: &'static str,
    /// The break a verifier must report, or `None` when there is none.
    pub expected_break: Option<(BreakClass, u64)>,
    /// True when the verdict is `verified`.
    pub verified: bool,
}

fn case(
    name: &'static str,
    section: &'static str,
    bytes: Vec<u8>,
    expected_break: Option<(BreakClass, u64)>,
) -> Case {
    Case {
        name,
        bytes,
        section,
        verified: false,
        expected_break,
    }
}

fn verified(name: &'static str, section: &'static str, bytes: Vec<u8>) -> Case {
    Case {
        verified: true,
        ..case(name, section, bytes, None)
    }
}

/// Every signed case.
pub fn cases() -> Vec<Case> {
    use BreakClass::*;
    let live = signed_live();
    let records = records_of(&live);
    let marks = checkpoints(&records);
    let mut cases = vec![
        verified("signed_live", "6", live.clone()),
        verified("signed_sample", "6", signed_sample()),
        verified("excerpt", "7", excerpt()),
        case("not_signed", "5.3", sample(), None),
    ];

    // A crash between two checkpoints, then `tdpr recover`: proven up to
    // the last checkpoint, the records after it unproven.
    let cut = records[marks[3] + 3].offset as usize;
    let mut recovered = Vec::new();
    tdpr::recover(&live[..cut], &mut recovered, Limits::default()).unwrap();
    cases.push(case("recovered_after_crash", "6", recovered, None));

    // One byte of a TDP message changed, its record's CRC recomputed.
    let mut edited = live.clone();
    let target = &records[batch_in_second_interval(&records)];
    let at = target.payload_offset as usize + target.payload.len() - 3;
    edited[at] ^= 0x01;
    fix_crc(&mut edited, target.offset as usize);
    let found = checkpoint_after(&edited, target.offset);
    cases.push(case(
        "edited_frame_byte",
        "5.2",
        edited,
        Some((RootMismatch, found)),
    ));

    // A record removed, the times of the others kept.
    let mut removed = records.clone();
    let gone = batch_in_second_interval(&records) + 1;
    assert_ne!(removed[gone].record_type, RecordType::CHECKPOINT);
    removed.remove(gone);
    let data = rebuilt(&removed);
    let found = checkpoint_after(&data, offset_of(&data, gone));
    cases.push(case(
        "removed_record",
        "5.2",
        data,
        Some((RecordCountMismatch, found)),
    ));

    // Two records swapped: the resize and the keyframe of 12 s, which have
    // the same time.
    let mut swapped = records.clone();
    let resize = (0..records.len())
        .find(|&i| records[i].record_type == RecordType::SCREEN_SIZE)
        .unwrap();
    assert_eq!(records[resize + 1].record_type, RecordType::KEYFRAME);
    swapped.swap(resize, resize + 1);
    let data = rebuilt(&swapped);
    let found = checkpoint_after(&data, offset_of(&data, resize));
    cases.push(case(
        "swapped_records",
        "5.2",
        data,
        Some((RootMismatch, found)),
    ));

    // Checkpoint 2 replaced by checkpoint 2 of another session signed with
    // the same key: same number, same record count, another root.
    let other = records_of(&live_session("another-session", test_key()));
    let mut spliced = records.clone();
    let theirs = &other[checkpoints(&other)[2]];
    assert_eq!(theirs.time_us, spliced[marks[2]].time_us);
    spliced[marks[2]].payload = theirs.payload.clone();
    let data = rebuilt(&spliced);
    let found = offset_of(&data, marks[2]);
    cases.push(case(
        "checkpoint_from_another_file",
        "5.2",
        data,
        Some((RootMismatch, found)),
    ));

    // Checkpoint 1 removed: checkpoint 2 comes where 1 was due.
    let mut dropped = records.clone();
    dropped.remove(marks[1]);
    let data = rebuilt(&dropped);
    let found = offset_of(&data, marks[2] - 1);
    cases.push(case(
        "removed_checkpoint",
        "5.2",
        data,
        Some((SequenceMismatch, found)),
    ));

    // A bit of checkpoint 1's signature flipped.
    let mut forged = records.clone();
    forged[marks[1]].payload[40] ^= 0x80;
    let data = rebuilt(&forged);
    let found = offset_of(&data, marks[1]);
    cases.push(case(
        "edited_signature",
        "5.2",
        data,
        Some((BadSignature, found)),
    ));

    // A byte of checkpoint 1's root prefix changed: the signature, which does
    // not cover the prefix, still verifies, and the prefix no longer names
    // the root of the records.
    let mut prefixed = records.clone();
    prefixed[marks[1]].payload[10] ^= 0x01;
    let data = rebuilt(&prefixed);
    let found = offset_of(&data, marks[1]);
    cases.push(case(
        "edited_root_prefix",
        "5.2",
        data,
        Some((RootMismatch, found)),
    ));

    // Checkpoint 1 moved 1 µs later than the record before it.
    let mut late = records.clone();
    late[marks[1]].time_us += 1;
    assert!(late[marks[1] + 1].time_us >= late[marks[1]].time_us);
    let data = rebuilt(&late);
    let found = offset_of(&data, marks[1]);
    cases.push(case(
        "checkpoint_with_time_delta",
        "5.2",
        data,
        Some((MisplacedSigningRecord, found)),
    ));

    // A frame appended after the final checkpoint.
    let mut appended = records.clone();
    let mut extra = records[marks[0] - 1].clone();
    extra.time_us = 31_000_000;
    appended.push(extra);
    let data = rebuilt(&appended);
    let found = offset_of(&data, appended.len() - 1);
    cases.push(case(
        "record_after_final",
        "5.2",
        data,
        Some((RecordAfterFinal, found)),
    ));

    // The same session signed with another key.
    let data = live_session("signed-live", other_key());
    let found = checkpoint_after(&data, 0);
    cases.push(case(
        "signed_with_another_key",
        "5.2",
        data,
        Some((WrongKey, found)),
    ));

    // Excerpts: a byte of a message changed; a record added; the proof's
    // last hash removed (its count fixed); the proof's last byte cut.
    let excerpt = excerpt();
    let excerpt_records = records_of(&excerpt);
    let proof_at = proof_offset(&excerpt);
    let mut edited = excerpt.clone();
    let target = excerpt_records
        .iter()
        .find(|r| r.record_type == RecordType::FRAME_BATCH)
        .unwrap();
    edited[target.payload_offset as usize + target.payload.len() - 3] ^= 0x01;
    fix_crc(&mut edited, target.offset as usize);
    cases.push(case(
        "excerpt_edited_frame_byte",
        "7.3",
        edited,
        Some((RootMismatch, proof_at)),
    ));

    let mut added = excerpt_records.clone();
    let mut extra = added.last().unwrap().clone();
    extra.time_us = 20_000_000;
    added.push(extra);
    let data = rebuilt(&added);
    let found = offset_of(&data, added.len() - 1);
    cases.push(case(
        "excerpt_with_extra_record",
        "7.3",
        data,
        Some((BadProof, found)),
    ));

    let mut short = excerpt_records.clone();
    let proof = &mut short[1].payload;
    let count_at = proof.len() - 32 * count_hashes(proof) as usize - 1;
    proof.truncate(proof.len() - 32);
    let count = proof[count_at];
    assert!(count < 0x80 && count > 0, "one byte of hash count");
    proof[count_at] = count - 1;
    let data = rebuilt(&short);
    cases.push(case(
        "excerpt_truncated_proof",
        "7.4",
        data,
        Some((BadProof, proof_at)),
    ));

    let mut cut = excerpt_records.clone();
    cut[1].payload.pop();
    let data = rebuilt(&cut);
    cases.push(case(
        "excerpt_truncated_proof_bytes",
        "7.2",
        data,
        Some((MalformedSigningRecord, proof_at)),
    ));
    cases
}

/// The hash count of an excerpt proof payload: what its hashes take.
fn count_hashes(proof: &[u8]) -> u64 {
    let parsed = tdpr_sign::proof::ExcerptProof::parse(proof).unwrap();
    (parsed.hashes.len() / 32) as u64
}

fn dir() -> PathBuf {
    conformance_dir().join("signed")
}

#[test]
fn signed_cases_verify_as_the_spec_says() {
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    let public = test_key().verifying_key();
    for case in cases() {
        assert!(
            tdpr::validate(&case.bytes).is_ok(),
            "{}: a valid recording",
            case.name
        );
        let verdict = verify(&case.bytes, &public);
        let found = verdict
            .first_break
            .as_ref()
            .map(|found| (found.class, found.offset));
        assert_eq!(found, case.expected_break, "{}: {verdict:?}", case.name);
        assert_eq!(verdict.verified, case.verified, "{}", case.name);
        let json = serde_json::to_string_pretty(&verdict).unwrap() + "\n";
        let tdpr_path = dir().join(format!("{}.tdpr", case.name));
        let json_path = dir().join(format!("{}.json", case.name));
        if bless {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&tdpr_path, &case.bytes).unwrap();
            std::fs::write(&json_path, &json).unwrap();
        }
        assert!(
            std::fs::read(&tdpr_path).unwrap_or_default() == case.bytes,
            "{}.tdpr differs from what the tests make now",
            case.name
        );
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(
            expected,
            serde_json::from_str::<Value>(&json).unwrap(),
            "{}.json",
            case.name
        );
    }
}

#[test]
fn the_test_keys_in_the_suite_are_the_test_key() {
    let key = test_key();
    let secret = tdpr_sign::key::secret_key_pem(&key);
    let public = tdpr_sign::key::public_key_pem(&key.verifying_key());
    if std::env::var_os("TDPR_BLESS").is_some() {
        std::fs::create_dir_all(dir()).unwrap();
        std::fs::write(dir().join("test_key.pem"), &secret).unwrap();
        std::fs::write(dir().join("test_key.pub"), &public).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(dir().join("test_key.pem")).unwrap_or_default(),
        secret
    );
    assert_eq!(
        std::fs::read_to_string(dir().join("test_key.pub")).unwrap_or_default(),
        public
    );
}
