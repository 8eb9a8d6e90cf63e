//! One fault at a time, each reported with the class and offset the spec
//! prescribes (spec/format.md, sections 3–8 and 13). Files are either the
//! worked example with one change, or built by hand from the spec's layout.

use tdpr::{Error, ErrorClass, FileHeader, Limits, RecordBody, Recording};

use crate::common::{fix_crc, minimal, record_bytes};

/// Worked example layout: metadata at 20, frames at 44 and 64, index at 85,
/// trailer at 188, 207 bytes in all.
const FRAME1: usize = 44;
const INDEX: usize = 85;

fn fault(data: &[u8]) -> (ErrorClass, Option<u64>) {
    let err: Error = tdpr::validate(data, Limits::default()).unwrap_err();
    (err.class(), err.offset())
}

/// A file from the header, an empty metadata record, and `records`.
fn handmade(records: &[Vec<u8>]) -> Vec<u8> {
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    data.extend(record_bytes(0x01, 0, &[0]));
    for record in records {
        data.extend(record);
    }
    data
}

fn set_header(data: &mut [u8], at: usize, value: u16) {
    data[at..at + 2].copy_from_slice(&value.to_le_bytes());
    let crc = crc32c::crc32c(&data[..16]);
    data[16..20].copy_from_slice(&crc.to_le_bytes());
}

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
fn signature_damage() {
    let mut data = minimal();
    data[1] = b'X';
    assert_eq!(fault(&data), (ErrorClass::BadSignature, Some(0)));
    // CRLF -> LF translation.
    let mut translated = minimal();
    translated.remove(5);
    assert_eq!(fault(&translated), (ErrorClass::BadSignature, Some(0)));
    // Too short, but what is there contradicts the signature.
    assert_eq!(fault(b"\x89TDQ"), (ErrorClass::BadSignature, Some(0)));
    // Too short and consistent with it: truncated.
    assert_eq!(fault(b"\x89TDPR"), (ErrorClass::Truncated, Some(0)));
}

#[test]
fn header_checksum_and_versions() {
    let mut data = minimal();
    data[14] = 1;
    assert_eq!(fault(&data), (ErrorClass::ChecksumMismatch, Some(16)));
    // Reserved bytes with a correct CRC are ignored.
    let mut data = minimal();
    set_header(&mut data, 14, 7);
    tdpr::validate(&data, Limits::default()).unwrap();
    // A newer version_written alone is fine: the file needs only version 1.
    let mut data = minimal();
    set_header(&mut data, 10, 9);
    tdpr::validate(&data, Limits::default()).unwrap();
    for required in [0, 2, u16::MAX] {
        let mut data = minimal();
        set_header(&mut data, 12, required);
        assert_eq!(
            fault(&data),
            (ErrorClass::UnsupportedVersion, Some(12)),
            "required {required}"
        );
    }
}

#[test]
fn record_checksum() {
    let mut data = minimal();
    data[FRAME1 + 8] ^= 0x01;
    assert_eq!(
        fault(&data),
        (ErrorClass::ChecksumMismatch, Some(FRAME1 as u64))
    );
    let mut data = minimal();
    let last = data.len() - 1;
    data[last] ^= 0x80;
    // The trailer's CRC is wrong: the file reads as unfinished up to the
    // trailer, whose CRC then fails.
    assert_eq!(fault(&data), (ErrorClass::ChecksumMismatch, Some(188)));
}

#[test]
fn unknown_types() {
    let mut data = minimal();
    data[FRAME1] = 0x05;
    fix_crc(&mut data, FRAME1);
    assert_eq!(
        fault(&data),
        (ErrorClass::UnknownCriticalRecord, Some(FRAME1 as u64))
    );

    // An unknown ancillary type is skipped, and its time delta still counts.
    let mut data = minimal();
    data[FRAME1] = 0x90;
    data[FRAME1 + 1] = 0xff; // its flags are not interpreted
    fix_crc(&mut data, FRAME1);
    let recording = Recording::parse(&data).unwrap();
    let records: Vec<_> = recording.records().map(|r| r.unwrap()).collect();
    assert_eq!(records[1].body, RecordBody::Unknown);
    assert_eq!(records[2].time_us, 16_000);
    // ...but the index no longer matches: it counted that record as a frame.
    assert_eq!(fault(&data), (ErrorClass::BadIndex, Some(92 + 16)));
}

#[test]
fn unknown_flags() {
    let mut data = minimal();
    data[FRAME1 + 1] = 0x02;
    fix_crc(&mut data, FRAME1);
    assert_eq!(
        fault(&data),
        (ErrorClass::UnknownFlags, Some(FRAME1 as u64 + 1))
    );
    // `compressed` is not allowed on screen size records.
    let data = handmade(&[record_bytes(0x03, 0x01, &[0, 1, 0, 0, 0, 1, 0, 0, 0])]);
    assert_eq!(fault(&data), (ErrorClass::UnknownFlags, Some(32)));
}

#[test]
fn limits_are_checked_before_reading() {
    let mut data = minimal();
    data[FRAME1 + 2..FRAME1 + 6].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        fault(&data),
        (ErrorClass::LimitExceeded, Some(FRAME1 as u64 + 2))
    );

    // The index record (body 93 bytes) is over a 14-byte limit that the
    // metadata (14) and frames (10, 11) meet.
    let mut small = Limits::default();
    small.max_record_len = 14;
    let err = tdpr::validate(&minimal(), small).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::LimitExceeded, Some(INDEX as u64 + 2))
    );

    // A compressed frame announcing more than the inflated limit: refused
    // before inflating.
    let mut huge = vec![0u8];
    huge.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x40]); // 2^34
    huge.extend_from_slice(&[0x03, 0x00]);
    let data = handmade(&[record_bytes(0x02, 0x01, &huge)]);
    assert_eq!(fault(&data), (ErrorClass::LimitExceeded, Some(38)));

    // An index whose count is over the limit.
    let mut data = minimal();
    let seek_count = INDEX + 7 + 48;
    data[seek_count..seek_count + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    fix_crc(&mut data, INDEX);
    let err = Recording::parse(&data).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::LimitExceeded, Some(seek_count as u64))
    );
}

#[test]
fn malformed_payloads() {
    // Offsets: the hand-made content record starts at 31, its body at 37,
    // its payload at 38 when the time delta takes one byte.
    let cases: Vec<(&str, Vec<u8>, u64)> = vec![
        (
            "screen size of 7 bytes",
            record_bytes(0x03, 0, &[0, 1, 0, 0, 0, 1, 0, 0]),
            42,
        ),
        (
            "screen size of 9 bytes",
            record_bytes(0x03, 0, &[0, 1, 0, 0, 0, 1, 0, 0, 0, 9]),
            46,
        ),
        ("empty frame", record_bytes(0x02, 0, &[0]), 38),
        ("empty body", record_bytes(0x02, 0, &[]), 37),
        (
            "unterminated time delta",
            record_bytes(0x02, 0, &[0x80]),
            37,
        ),
        (
            "keyframe without PNG",
            record_bytes(0x82, 0, &[0, 1, 0, 0, 0, 1, 0, 0, 0, b'G', b'I', b'F']),
            46,
        ),
        (
            "keyframe too short",
            record_bytes(0x82, 0, &[0, 1, 0, 0]),
            38,
        ),
        (
            "trailer of 4 bytes",
            record_bytes(0x84, 0, &[0, 1, 2, 3, 4]),
            38,
        ),
        (
            "deflate garbage",
            record_bytes(0x02, 0x01, &[0, 5, 0xff, 0xff, 0xff]),
            39,
        ),
        // A stored DEFLATE block holding "abc", announced as 4 bytes.
        (
            "deflate short",
            record_bytes(
                0x02,
                0x01,
                &[0, 4, 0x01, 3, 0, 0xfc, 0xff, b'a', b'b', b'c'],
            ),
            39,
        ),
        // The same block followed by a stray byte.
        (
            "deflate with trailing byte",
            record_bytes(
                0x02,
                0x01,
                &[0, 3, 0x01, 3, 0, 0xfc, 0xff, b'a', b'b', b'c', 0],
            ),
            39,
        ),
        (
            "event not protobuf",
            record_bytes(0x81, 0, &[0, 0xff, 0xff]),
            31,
        ),
    ];
    for (name, record, offset) in cases {
        let data = handmade(&[record]);
        assert_eq!(
            fault(&data),
            (ErrorClass::MalformedRecord, Some(offset)),
            "{name}"
        );
    }
    // A valid compressed frame: the stored block inflates to "abc".
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
    // The metadata must decode, and carry a zero time delta.
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    data.extend(record_bytes(0x01, 0, &[0, 0xff]));
    assert_eq!(fault(&data), (ErrorClass::MalformedRecord, Some(20)));
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    data.extend(record_bytes(0x01, 0, &[5]));
    assert_eq!(fault(&data), (ErrorClass::MalformedRecord, Some(26)));
}

#[test]
fn misplaced_records() {
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    data.extend(record_bytes(0x02, 0, &[0, 3]));
    assert_eq!(fault(&data), (ErrorClass::MisplacedRecord, Some(20)));

    let data = handmade(&[record_bytes(0x01, 0, &[0])]);
    assert_eq!(fault(&data), (ErrorClass::MisplacedRecord, Some(31)));

    let mut data = minimal();
    data.extend(record_bytes(0x02, 0, &[0, 3]));
    assert_eq!(fault(&data), (ErrorClass::MisplacedRecord, Some(207)));

    // A trailer with no index before it, in the middle of the file...
    let trailer = record_bytes(0x84, 0, &[0, 20, 0, 0, 0, 0, 0, 0, 0]);
    let data = handmade(&[trailer.clone(), record_bytes(0x02, 0, &[0, 3])]);
    assert_eq!(fault(&data), (ErrorClass::MisplacedRecord, Some(31)));
    // ...and at the end, where opening the file follows it to a metadata
    // record instead of an index.
    let data = handmade(&[trailer]);
    assert_eq!(fault(&data), (ErrorClass::BadIndex, Some(38)));

    // Something other than the trailer after the index.
    let mut data = minimal();
    data.truncate(188);
    data.extend(record_bytes(0x02, 0, &[0, 3]));
    assert_eq!(fault(&data), (ErrorClass::MisplacedRecord, Some(188)));
}

#[test]
fn time_overflow() {
    let max_delta = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]; // 2^63 - 1
    let mut first = max_delta.to_vec();
    first.push(3);
    let data = handmade(&[
        record_bytes(0x02, 0, &first),
        record_bytes(0x02, 0, &[1, 3]),
    ]);
    assert_eq!(fault(&data), (ErrorClass::TimeOverflow, Some(31 + 20 + 6)));
    // 2^63 - 1 itself is allowed.
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
    tdpr::validate(&writer.finish().unwrap(), Limits::default()).unwrap();
}

#[test]
fn index_faults() {
    // The trailer points at a frame.
    let mut data = minimal();
    data[195..203].copy_from_slice(&(FRAME1 as u64).to_le_bytes());
    fix_crc(&mut data, 188);
    let err = Recording::parse(&data).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::BadIndex, Some(195))
    );
    // ...or outside the file.
    data[195..203].copy_from_slice(&u64::MAX.to_le_bytes());
    fix_crc(&mut data, 188);
    let err = Recording::parse(&data).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::BadIndex, Some(195))
    );

    // An index that disagrees with the records: frame_count 3 instead of 2.
    let mut data = minimal();
    data[INDEX + 7 + 16] = 3;
    fix_crc(&mut data, INDEX);
    assert_eq!(
        fault(&data),
        (ErrorClass::BadIndex, Some((INDEX + 7 + 16) as u64))
    );

    // Tables that do not fit the counts.
    let mut data = minimal();
    data[INDEX + 7 + 52] = 1;
    fix_crc(&mut data, INDEX);
    let err = Recording::parse(&data).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::BadIndex, Some((INDEX + 7 + 48) as u64))
    );
}

#[test]
fn unfinished_recordings_read_but_do_not_validate() {
    let mut data = minimal();
    data.truncate(INDEX);
    let recording = Recording::parse(&data).unwrap();
    assert!(!recording.is_finished());
    assert_eq!(recording.records().count(), 3);
    assert_eq!(fault(&data), (ErrorClass::Unfinished, Some(INDEX as u64)));
}
