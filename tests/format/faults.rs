//! Faults seen through the library's API, beyond the validator's verdict on
//! the invalid cases (`invalid.rs`): what still reads, what is ignored, and
//! the edges just inside the limits.

use tdpr::{ErrorClass, Limits, RecordBody, Recording};

use crate::common::{fix_crc, minimal, record_bytes};
use crate::invalid::{handmade, set_header, FRAME1, INDEX};

#[test]
fn the_worked_example_is_as_the_spec_shows() {
    let data = minimal();
    assert_eq!(data.len(), 207);
    assert_eq!(&data[..10], b"\x89TDPR\r\n\x1a\n\0");
    assert_eq!(&data[16..20], &[0x5f, 0xf1, 0x83, 0x92]);
    assert_eq!(
        crc32c::crc32c(b"123456789"),
        0xE306_9283,
        "the spec's CRC32C check value"
    );
    assert_eq!(&data[FRAME1..FRAME1 + 6], &[0x02, 0x00, 0x0a, 0, 0, 0]);
    assert_eq!(&data[188..195], &[0x84, 0x00, 0x09, 0, 0, 0, 0x00]);
    assert_eq!(
        u64::from_le_bytes(data[195..203].try_into().unwrap()),
        INDEX as u64
    );
}

#[test]
fn the_batched_worked_example_is_as_the_spec_shows() {
    // Section 14's second table, worked out from section 5.8 by hand: the
    // two mouse moves as the default writer gathers them.
    let data = crate::common::worked_example(crate::common::stored());
    let spec: [u8; 34] = [
        0x04, 0x00, 0x18, 0, 0, 0, 0x00, 0x02, 0x09, 0x80, 0x7d, 0x09, 3, 0, 0, 0, 10, 0, 0, 0, 20,
        3, 0, 0, 0, 11, 0, 0, 0, 21, 0xc3, 0x6f, 0x66, 0x25,
    ];
    assert_eq!(&data[..FRAME1], &minimal()[..FRAME1], "header and metadata");
    assert_eq!(&data[FRAME1..FRAME1 + 34], &spec);
    let recording = Recording::parse(&data).unwrap();
    let index = recording.index().unwrap();
    assert_eq!(
        (
            index.record_count,
            index.frame_count,
            index.frame_bytes,
            index.duration_us
        ),
        (2, 2, 18, 16_000)
    );
}

#[test]
fn reserved_header_bytes_and_a_newer_writer_version_are_ignored() {
    let mut data = minimal();
    set_header(&mut data, 14, 7);
    tdpr::validate(&data).unwrap();
    let mut data = minimal();
    set_header(&mut data, 10, 9);
    tdpr::validate(&data).unwrap();
}

#[test]
fn an_unknown_ancillary_record_is_skipped_and_its_time_counts() {
    let mut data = minimal();
    data[FRAME1] = 0x90;
    data[FRAME1 + 1] = 0xff; // its flags are not interpreted
    fix_crc(&mut data, FRAME1);
    let recording = Recording::parse(&data).unwrap();
    let records: Vec<_> = recording.records().map(|r| r.unwrap()).collect();
    assert!(matches!(records[1].body, RecordBody::Unknown(_)));
    assert_eq!(records[2].time_us, 16_000);
    // ...but the stored index counted that record as a frame.
    let err = tdpr::validate(&data).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::BadIndex, Some(92 + 16))
    );
}

#[test]
fn limits_are_configurable() {
    // The index record (body 93 bytes) is over a 14-byte limit that the
    // metadata (14) and frames (10, 11) meet.
    let mut small = Limits::default();
    small.max_record_len = 14;
    let err = tdpr::validate_with_limits(&minimal(), small).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::LimitExceeded, Some(INDEX as u64 + 2))
    );
}

#[test]
fn a_stored_deflate_block_is_a_valid_compressed_frame() {
    let data = handmade(&[record_bytes(
        0x02,
        0x01,
        &[0, 3, 0x01, 3, 0, 0xfc, 0xff, b'a', b'b', b'c'],
    )]);
    let records: Vec<_> = Recording::parse(&data)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    match &records[1].body {
        RecordBody::Frame(p) => assert_eq!(p.to_vec().unwrap(), b"abc"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_largest_time_is_allowed_and_the_next_refused() {
    let mut writer = tdpr::Writer::new(
        Vec::new(),
        tdpr::proto::Metadata::default(),
        Default::default(),
    )
    .unwrap();
    writer.write_frame(i64::MAX as u64, &[3]).unwrap();
    assert_eq!(
        writer
            .write_frame(i64::MAX as u64 + 1, &[3])
            .unwrap_err()
            .class(),
        ErrorClass::InvalidInput
    );
    tdpr::validate(&writer.finish().unwrap()).unwrap();
}

#[test]
fn opening_reports_index_faults_before_any_frame_is_read() {
    let mut data = minimal();
    data[195..203].copy_from_slice(&(FRAME1 as u64).to_le_bytes());
    fix_crc(&mut data, 188);
    let err = Recording::parse(&data).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::BadIndex, Some(195))
    );
}

#[test]
fn unfinished_recordings_read_to_their_end() {
    let mut data = minimal();
    data.truncate(INDEX);
    let recording = Recording::parse(&data).unwrap();
    assert!(!recording.is_finished());
    assert_eq!(recording.records().count(), 3);
}

#[test]
fn skipping_checksums_reads_the_same_records_and_skips_only_the_crc() {
    // Stored batches, so that a changed message byte is read as it is (in
    // a compressed one it would be a fault of the block when inflated).
    let data =
        tdpr_synth::sample::write_sample(Vec::new(), crate::common::stored()).expect("sample");
    let recording = Recording::parse(&data).unwrap();
    let checked: Vec<_> = recording.records().map(|r| r.unwrap()).collect();
    let unchecked: Vec<_> = recording
        .records()
        .skip_checksums()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(checked, unchecked);

    // A flipped bit in the last message of the first frame batch: the
    // checked reader stops there, the unchecked one reads the changed byte
    // and goes on; a lying length is still caught.
    let batch = checked
        .iter()
        .find(|r| matches!(r.body, RecordBody::FrameBatch(_)))
        .expect("the sample has a frame batch");
    let flip_at = (batch.offset + 6) as usize
        + (batch.raw_payload.len() + (batch.payload_offset - batch.offset - 6) as usize)
        - 1;
    let mut damaged = data.clone();
    damaged[flip_at] ^= 0x01;
    let recording = Recording::parse(&damaged).unwrap();
    let error = recording.records().find_map(|r| r.err()).unwrap();
    assert_eq!(
        (error.class(), error.offset()),
        (ErrorClass::ChecksumMismatch, Some(batch.offset))
    );
    let read: Vec<_> = recording
        .records()
        .skip_checksums()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(read.len(), checked.len());
    let last = |r: &tdpr::Record<'_>| {
        let mut inflater = tdpr::Inflater::default();
        r.frames(&mut inflater)
            .unwrap()
            .last()
            .unwrap()
            .message
            .to_vec()
    };
    let position = checked
        .iter()
        .position(|r| r.offset == batch.offset)
        .unwrap();
    assert_ne!(last(&read[position]), last(batch));

    let mut lying = data.clone();
    let len_at = batch.offset as usize + 2;
    lying[len_at..len_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let recording = Recording::parse(&lying).unwrap();
    let error = recording
        .records()
        .skip_checksums()
        .find_map(|r| r.err())
        .unwrap();
    assert_eq!(error.class(), ErrorClass::LimitExceeded);
}
