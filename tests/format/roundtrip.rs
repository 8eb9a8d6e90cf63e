//! Any sequence of records written and read back is what was written: times,
//! types, flags, payloads (compressed or not), unknown ancillary records; the
//! streaming reader agrees with the slice reader whatever the split; recover
//! of a finished file reproduces its bytes.

use proptest::prelude::*;
use tdpr::format::PNG_SIGNATURE;
use tdpr::proto::Metadata;
use tdpr::{
    Batching, Compression, Inflater, Limits, RecordBody, Recording, StreamReader, Writer,
    WriterOptions,
};

use crate::common::{borrowed_from, Seen};

#[path = "../support/session_model.rs"]
mod session_model;

use session_model::{items, mismatch, write_op, Op};

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => prop_oneof![
            proptest::collection::vec(any::<u8>(), 1..64),
            // Compressible: long runs.
            (any::<u8>(), 300..3000usize).prop_map(|(b, n)| vec![b; n]),
        ]
        .prop_map(Op::Frame),
        1 => (any::<u32>(), any::<u32>()).prop_map(|(w, h)| Op::ScreenSize(w, h)),
        1 => (0..12i32, "[a-z ]{0,12}").prop_map(|(k, l)| Op::Event(k, l)),
        1 => (any::<u32>(), any::<u32>(), proptest::collection::vec(any::<u8>(), 0..32))
            .prop_map(|(w, h, rest)| Op::Keyframe(w, h, rest)),
        // Codes whose ancillary form 0x87..=0xff is unknown to this version
        // (0x85 and 0x86 are the signing records, spec 5.10).
        1 => (0x07u8..=0x7f, any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(t, f, p)| Op::Unknown(t, f, p)),
    ]
}

fn session() -> impl Strategy<Value = Vec<(u64, Op)>> {
    proptest::collection::vec(
        (
            prop_oneof![Just(0u64), 0..20_000u64, 0..10_000_000u64, Just(1u64 << 40)],
            op(),
        ),
        0..40,
    )
}

fn write(ops: &[(u64, Op)], compression: Compression) -> (Vec<u8>, Vec<u64>) {
    let metadata = Metadata {
        session_id: "s".into(),
        screen_width: 800,
        screen_height: 600,
        ..Metadata::default()
    };
    let mut options = WriterOptions::default();
    options.compression = compression;
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    let mut time = 0;
    let mut times = Vec::new();
    for (delta, op) in ops {
        time += delta;
        times.push(time);
        write_op(&mut writer, time, op).unwrap();
    }
    (writer.finish().unwrap(), times)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn written_records_read_back(ops in session(), compress in any::<bool>()) {
        let compression = if compress { Compression::Deflate { level: 6, min_len: 16 } } else { Compression::None };
        let (data, times) = write(&ops, compression);
        let recording = Recording::parse(&data).unwrap();
        prop_assert!(recording.is_finished());
        let records: Vec<_> = recording.records().collect::<Result<_, _>>().unwrap();
        for record in &records {
            prop_assert!(borrowed_from(record.raw_payload, &data));
        }
        let items = items(&records);
        // metadata, the ops, index, trailer
        prop_assert_eq!(items.len(), ops.len() + 3);
        for ((time, (_, op)), item) in times.iter().zip(&ops).zip(&items[1..]) {
            prop_assert_eq!(item.time_us(), *time);
            if let Some(why) = mismatch(op, item) {
                prop_assert!(false, "{}", why);
            }
        }
        if !compress {
            // Stored frames are read in place, never copied.
            let mut inflater = Inflater::default();
            for record in &records {
                for frame in record.frames(&mut inflater).unwrap() {
                    prop_assert!(borrowed_from(frame.message, &data));
                }
            }
        }
        tdpr::validate(&data).unwrap();
        let index = recording.index().unwrap();
        let frames = ops.iter().filter(|(_, op)| matches!(op, Op::Frame(_))).count() as u64;
        prop_assert_eq!(index.frame_count, frames);
        prop_assert_eq!(index.duration_us, times.last().copied().unwrap_or(0));

        let mut recovered = Vec::new();
        tdpr::recover(&data, &mut recovered, Limits::default()).unwrap();
        prop_assert_eq!(recovered, data);
    }

    #[test]
    fn stream_reader_agrees_with_slice_reader(ops in session(), cuts in proptest::collection::vec(1..200usize, 0..64)) {
        let (data, _) = write(&ops, Compression::default());
        let expected: Vec<Seen> = Recording::parse(&data).unwrap().records().map(|r| Seen::from(&r.unwrap())).collect();
        let mut reader = StreamReader::default();
        let mut seen = Vec::new();
        let mut rest = &data[..];
        let mut sizes = cuts.into_iter().cycle();
        while !rest.is_empty() {
            let n = sizes.next().unwrap_or(rest.len()).min(rest.len());
            reader.push(&rest[..n]);
            rest = &rest[n..];
            while let Some(record) = reader.next_record().unwrap() {
                seen.push(Seen::from(&record));
            }
        }
        reader.finish().unwrap();
        prop_assert_eq!(seen, expected);
    }
}

#[test]
fn batches_always_fit_in_one_record() {
    // One-byte messages with deltas of 2^63 - 1: 12 bytes of record a byte
    // of message. A bound the record-length limit cannot hold is refused.
    let mut options = WriterOptions::default();
    options.limits.max_record_len = 1_000;
    options.batching = tdpr::Batching::Frames {
        max_bytes: 100,
        max_span_us: u64::MAX,
    };
    let refused = Writer::new(Vec::new(), Metadata::default(), options).unwrap_err();
    assert_eq!(refused.class(), tdpr::ErrorClass::InvalidInput);
    options.batching = tdpr::Batching::Frames {
        max_bytes: 81,
        max_span_us: u64::MAX,
    };
    let mut writer = Writer::new(Vec::new(), Metadata::default(), options).unwrap();
    let mut time = 0u64;
    for i in 0..200u64 {
        writer.write_frame(time, &[3]).unwrap();
        time = if i < 2 { time + (1 << 62) - 1 } else { time };
    }
    let data = writer.finish().unwrap();
    tdpr::validate_with_limits(&data, options.limits).unwrap();
}

#[test]
fn time_going_backwards_is_refused() {
    let mut writer =
        Writer::new(Vec::new(), Metadata::default(), WriterOptions::default()).unwrap();
    writer.write_frame(1_000, &[3]).unwrap();
    let err = writer.write_frame(999, &[3]).unwrap_err();
    assert_eq!(err.class(), tdpr::ErrorClass::InvalidInput);
    // The refused frame left no trace: the recording is still valid.
    let data = writer.finish().unwrap();
    tdpr::validate(&data).unwrap();
}

#[test]
fn compression_is_used_only_where_it_helps() {
    // Frames written alone: text is deflated, a PNG frame is not.
    let mut options = WriterOptions::default();
    options.batching = Batching::None;
    let mut writer = Writer::new(Vec::new(), Metadata::default(), options).unwrap();
    let text = b"The quick brown fox jumps over the lazy dog. ".repeat(20);
    writer.write_frame(0, &text).unwrap();
    let mut png_frame = vec![2u8; 17];
    png_frame.extend_from_slice(&PNG_SIGNATURE);
    png_frame.extend(std::iter::repeat_n(0u8, 1000));
    writer.write_frame(1, &png_frame).unwrap();
    let data = writer.finish().unwrap();
    let recording = Recording::parse(&data).unwrap();
    let frames: Vec<_> = recording
        .records()
        .filter_map(|r| match r.unwrap().body {
            RecordBody::Frame(p) => Some(p),
            _ => None,
        })
        .collect();
    assert!(frames[0].is_compressed(), "repetitive text is compressed");
    assert_eq!(frames[0].to_vec().unwrap(), text);
    assert!(!frames[1].is_compressed(), "PNG frames are stored as is");

    // The same two in a batch: what the PNG frame shares with the text and
    // with itself is worth a block, and the batch is compressed whole.
    let mut writer =
        Writer::new(Vec::new(), Metadata::default(), WriterOptions::default()).unwrap();
    writer.write_frame(0, &text).unwrap();
    writer.write_frame(1, &png_frame).unwrap();
    let data = writer.finish().unwrap();
    let recording = Recording::parse(&data).unwrap();
    let batch = recording.records().nth(1).unwrap().unwrap();
    assert!(matches!(&batch.body, RecordBody::FrameBatch(b) if b.is_compressed()));
    assert!(batch.raw_payload.len() < (text.len() + png_frame.len()) / 4);
    let mut inflater = Inflater::default();
    let messages: Vec<_> = batch
        .frames(&mut inflater)
        .unwrap()
        .map(|f| f.message)
        .collect();
    assert_eq!(messages, [&text[..], &png_frame[..]]);
    tdpr::validate(&data).unwrap();
}

#[test]
fn incompressible_frames_are_stored_as_is() {
    // RemoteFX fast-path updates are already compressed: deflate makes them
    // larger, and the writer must fall back to storing them, alone or in
    // batches.
    let mut writer =
        Writer::new(Vec::new(), Metadata::default(), WriterOptions::default()).unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut frames = Vec::new();
    for len in [256, 300, 1000, 3000, 16_384, 65_536, 70_000] {
        let noise: Vec<u8> = std::iter::once(29)
            .chain((1..len).map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            }))
            .collect();
        writer.write_frame(frames.len() as u64, &noise).unwrap();
        frames.push(noise);
    }
    let data = writer.finish().unwrap();
    let recording = Recording::parse(&data).unwrap();
    let records: Vec<_> = recording.records().map(|r| r.unwrap()).collect();
    assert!(records.iter().all(|r| !r.flags.is_compressed()));
    let mut inflater = Inflater::default();
    let mut stored = Vec::new();
    for record in &records {
        stored.extend(
            record
                .frames(&mut inflater)
                .unwrap()
                .map(|f| f.message.to_vec()),
        );
    }
    assert_eq!(stored, frames);
}

#[test]
fn owned_records_outlive_their_input() {
    let owned: Vec<tdpr::format::OwnedRecord> = {
        let data = crate::common::sample();
        let recording = Recording::parse(&data).unwrap();
        recording
            .records()
            .map(|r| r.unwrap().to_owned_record())
            .collect()
    };
    let data = crate::common::sample();
    let recording = Recording::parse(&data).unwrap();
    for (owned, record) in owned.iter().zip(recording.records()) {
        let record = record.unwrap();
        let again = owned.as_record(&Limits::default()).unwrap();
        assert_eq!(again.body, record.body);
        assert_eq!(
            (again.offset, again.time_us, again.raw_payload),
            (record.offset, record.time_us, record.raw_payload)
        );
    }
    assert_eq!(owned.len(), recording.records().count());
}
