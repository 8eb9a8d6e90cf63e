//! The streaming reader: byte-at-a-time input, clean and unclean ends, and
//! lying lengths refused before anything is buffered.

use tdpr::{ErrorClass, Limits, StreamReader};

use crate::common::{all_records, record_bytes, sample, Seen};

#[test]
fn one_byte_at_a_time_gives_every_record() {
    let data = sample();
    let mut reader = StreamReader::default();
    let mut seen = Vec::new();
    for byte in &data {
        reader.push(std::slice::from_ref(byte));
        while let Some(record) = reader.next_record().unwrap() {
            seen.push(Seen::from(&record));
        }
    }
    assert!(reader.is_finished());
    reader.finish().unwrap();
    assert_eq!(seen, all_records(&data));
}

#[test]
fn read_from_pulls_a_reader_to_the_end() {
    let data = sample();
    let mut source = &data[..];
    let mut reader = StreamReader::default();
    let mut count = 0;
    while reader.read_from(&mut source, 333).unwrap() > 0 {
        while reader.next_record().unwrap().is_some() {
            count += 1;
        }
    }
    reader.finish().unwrap();
    assert_eq!(count, all_records(&data).len());
}

#[test]
fn end_of_input_says_how_the_recording_ended() {
    let data = sample();
    let boundaries = crate::common::boundaries(&data);
    // Cut inside the third record: truncated at its start.
    let third = boundaries[2] as usize;
    let mut reader = StreamReader::default();
    reader.push(&data[..third + 3]);
    while reader.next_record().unwrap().is_some() {}
    let err = reader.finish().unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::Truncated, Some(third as u64))
    );
    // Cut at a record boundary: unfinished there.
    let mut reader = StreamReader::default();
    reader.push(&data[..third]);
    while reader.next_record().unwrap().is_some() {}
    let err = reader.finish().unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::Unfinished, Some(third as u64))
    );
    // Nothing at all.
    let err = StreamReader::default().finish().unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::Truncated, Some(0))
    );
}

#[test]
fn a_lying_length_is_refused_before_buffering() {
    let data = crate::common::minimal();
    let mut reader = StreamReader::new(Limits::default());
    reader.push(&data[..44]);
    assert!(reader.next_record().unwrap().is_some(), "the metadata");
    // A frame header claiming 4 GiB - 1 of body: refused with only 6 bytes seen.
    reader.push(&[0x02, 0x00, 0xff, 0xff, 0xff, 0xff]);
    let err = reader.next_record().unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::LimitExceeded, Some(46))
    );
    // Fused on the fault: every later call, and `finish`, returns it again
    // (never `None`, which would read as "need more bytes").
    reader.push(&record_bytes(0x02, 0, &[0, 3]));
    for again in [
        reader.next_record().unwrap_err(),
        reader.finish().unwrap_err(),
    ] {
        assert_eq!(
            (again.class(), again.offset()),
            (ErrorClass::LimitExceeded, Some(46))
        );
    }
}

#[test]
fn a_bad_signature_is_seen_from_the_first_byte() {
    let mut reader = StreamReader::default();
    reader.push(b"P");
    let err = reader.next_record().unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::BadSignature, Some(0))
    );
}

#[test]
fn a_header_alone_is_truncated_where_the_metadata_should_be() {
    let data = crate::common::minimal();
    let mut reader = StreamReader::default();
    reader.push(&data[..20]);
    assert!(reader.next_record().unwrap().is_none());
    let err = reader.finish().unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::Truncated, Some(20))
    );
    let err = tdpr::validate(&data[..20]).unwrap_err();
    assert_eq!(
        (err.class(), err.offset()),
        (ErrorClass::Truncated, Some(20))
    );
}
