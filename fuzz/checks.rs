//! The properties the fuzz targets check, one function per target, each
//! taking the raw fuzz input.
//!
//! They live in one file shared by the cargo-fuzz targets (`fuzz_targets/`)
//! and by the stable test `tests/fuzz_replay.rs`, which replays every
//! committed corpus and regression file through the same checks, so a bug a
//! fuzzer found stays fixed on every `cargo test`.

use arbitrary::{Arbitrary, Unstructured};
use tdpr::proto::Extensible;
use tdpr::proto::{Event, Metadata};
use tdpr::{
    Compression, Inflater, Limits, Record, RecordBody, RecordType, Recording, StreamReader, Writer,
    WriterOptions,
};

/// Opening, iterating, seeking, validating and dumping arbitrary bytes never
/// panics.
pub fn read_whole(data: &[u8]) {
    if let Ok(recording) = Recording::parse(data) {
        let mut inflater = Inflater::default();
        for record in recording.records().flatten() {
            if let Ok(frames) = record.frames(&mut inflater) {
                frames.for_each(drop);
            }
        }
        if let Some(index) = recording.index() {
            for t in [0, index.duration_us / 2, index.duration_us] {
                if let Ok(records) = recording.seek(t) {
                    records.take(4).for_each(drop);
                }
                let _ = index.keyframe_at_or_before(t);
            }
        }
    }
    let _ = tdpr::json::dump(data, Limits::default());
    let _ = tdpr::validate(data);
    let _ = tdpr::validate_frames(data);
}

type Seen = (u64, u64, u8, u8, Vec<u8>);

fn seen(r: &Record<'_>) -> Seen {
    (
        r.offset,
        r.time_us,
        r.record_type.0,
        r.flags.0,
        r.raw_payload.to_vec(),
    )
}

/// Records and first error of the whole-file reader, `None` when the file
/// does not open.
fn read_all(data: &[u8]) -> Option<(Vec<Seen>, Option<&'static str>)> {
    let recording = Recording::parse(data).ok()?;
    let mut records = Vec::new();
    for record in recording.records() {
        match record {
            Ok(r) => records.push(seen(&r)),
            Err(e) => return Some((records, Some(e.class().as_str()))),
        }
    }
    Some((records, None))
}

/// The same through the streaming reader, fed in pieces of `piece` bytes.
fn stream_all(data: &[u8], piece: usize) -> (Vec<Seen>, Option<&'static str>) {
    let mut reader = StreamReader::default();
    let mut records = Vec::new();
    for chunk in data.chunks(piece.max(1)) {
        reader.push(chunk);
        loop {
            match reader.next_record() {
                Ok(Some(r)) => records.push(seen(&r)),
                Ok(None) => break,
                Err(e) => return (records, Some(e.class().as_str())),
            }
        }
    }
    let error = match reader.finish() {
        Err(e) if e.class() == tdpr::ErrorClass::Truncated => Some("truncated"),
        _ => None,
    };
    (records, error)
}

/// The streaming reader returns the same records and the same first error as
/// the whole-file reader, fed whole, one byte at a time, or in pieces whose
/// size the input's first byte chooses.
pub fn read_stream(data: &[u8]) {
    let Some(expected) = read_all(data) else {
        return;
    };
    let piece = data.first().map_or(1, |&b| usize::from(b) + 1);
    for size in [data.len(), 1, piece] {
        assert_eq!(stream_all(data, size), expected, "pieces of {size} bytes");
    }
}

/// Whatever `recover` writes is valid and holds exactly the content records
/// the whole-file reader returns before its first fault.
pub fn recover(data: &[u8]) {
    let mut recovered = Vec::new();
    let Ok(recovery) = tdpr::recover(data, &mut recovered, Limits::default()) else {
        return;
    };
    if let Err(e) = tdpr::validate(&recovered) {
        panic!("recover wrote an invalid recording: {e}");
    }
    let kept = read_all(&recovered).expect("a valid file opens").0;
    assert_eq!(
        kept.len() as u64,
        recovery.records + 2,
        "content records, index, trailer"
    );
    assert_eq!(
        &recovered[..recovery.kept_bytes as usize],
        &data[..recovery.kept_bytes as usize]
    );
}

/// Verifying arbitrary bytes (spec/signing.md 5, 7) never panics, and a
/// valid recording that verifies whole under the suite's test key is one its
/// signer wrote: signing its records again with that key, every 5 s as the
/// signed golden files are, gives back the same records and checkpoints.
pub fn verify(data: &[u8]) {
    let key = tdpr_sign::SigningKey::from_bytes(&std::array::from_fn(|i| i as u8));
    let verdict = tdpr_sign::verify(data, &key.verifying_key());
    if let Some(found) = &verdict.first_break {
        // At the end of the file when it stops short (an empty one at 0).
        assert!(found.offset <= data.len() as u64, "{found:?}");
    }
    // Verifying leaves the index to a validator (spec/signing.md 5.1), and
    // signing starts by validating: only a valid verified file must sign again.
    if !verdict.verified
        || verdict.kind != tdpr_sign::FileKind::Recording
        || tdpr::validate(data).is_err()
    {
        return;
    }
    let options = tdpr_sign::SignerOptions {
        interval_us: 5_000_000,
        ..tdpr_sign::SignerOptions::default()
    };
    let mut again = Vec::new();
    tdpr_sign::sign_recording(data, &mut again, key, options, true)
        .expect("a verified recording signs again");
    assert!(
        signed_records(data) == signed_records(&again),
        "a verified recording is not what its signer writes"
    );
}

/// The covered records and checkpoints of a recording, without their
/// offsets: what a signature is about.
fn signed_records(data: &[u8]) -> Vec<(u64, u8, u8, Vec<u8>)> {
    let (records, _) = read_all(data).expect("a verified file opens");
    records
        .into_iter()
        .filter(|r| {
            let kind = RecordType(r.2);
            kind == RecordType::CHECKPOINT || tdpr_sign::digest::is_covered(kind)
        })
        .map(|(_, time, kind, flags, payload)| (time, kind, flags, payload))
        .collect()
}

/// What a record holds apart from its offset and flags: its type, time and
/// payload, or, for a frame or a frame batch, each frame's time and message
/// (inflated when compressed).
type Content = (u8, u64, Vec<(u64, Vec<u8>)>);

fn content(data: &[u8]) -> Vec<Content> {
    let recording = Recording::parse(data).expect("a valid file opens");
    let mut inflater = Inflater::default();
    recording
        .records()
        .map(|record| {
            let record = record.expect("a valid file reads");
            let items = match record.body {
                RecordBody::Frame(_) | RecordBody::FrameBatch(_) => record
                    .frames(&mut inflater)
                    .expect("a valid file inflates")
                    .map(|frame| (frame.time_us, frame.message.to_vec()))
                    .collect(),
                // Rebuilt by recompress, at offsets of their own.
                RecordBody::Index(_) | RecordBody::Trailer { .. } => Vec::new(),
                _ => vec![(record.time_us, record.raw_payload.to_vec())],
            };
            (record.record_type.0, record.time_us, items)
        })
        .collect()
}

/// Recompressing a valid recording, its frames compressed or stored, writes
/// a valid recording with the same records, times and messages (spec 11:
/// only flags and offsets change), and compressing depends on the content
/// only: the stored form compressed again is the compressed form, byte for
/// byte. With checksums off under the fuzzer, mutated compressed batches
/// reach the inflater; those that still inflate exactly are valid input.
pub fn recompress(data: &[u8]) {
    if tdpr::validate(data).is_err() {
        return;
    }
    let expected = content(data);
    let rewrite = |input: &[u8], compression| {
        let (out, _) = tdpr::recompress(input, Vec::new(), compression)
            .expect("a valid recording recompresses");
        if let Err(e) = tdpr::validate(&out) {
            panic!("recompress wrote an invalid recording: {e}");
        }
        assert_eq!(content(&out), expected, "recompress keeps the content");
        out
    };
    let compressed = rewrite(data, Compression::default());
    let stored = rewrite(data, Compression::None);
    assert_eq!(
        rewrite(&stored, Compression::default()),
        compressed,
        "compressing depends on the content only"
    );
    assert_eq!(
        rewrite(&compressed, Compression::None),
        stored,
        "storing depends on the content only"
    );
}

/// A TDP message decodes, re-encodes to the same bytes, and goes through its
/// JSON form and back unchanged.
pub fn tdp_message(data: &[u8]) {
    let Ok((message, used)) = tdpr::tdp::decode_any(data) else {
        return;
    };
    let mut encoded = Vec::new();
    message
        .encode(&mut encoded)
        .expect("a decoded message encodes");
    assert_eq!(encoded, &data[..used], "encode(decode(bytes)) == bytes");
    assert_eq!(message.encoded_len(), used);
    if let Ok(json) = message.to_json() {
        let rebuilt = tdpr::tdp::from_json(&json).expect("JSON of a decoded message is accepted");
        assert_eq!(rebuilt, &data[..used], "from_json(to_json(m)) == bytes");
    }
}

/// Metadata and event payloads keep their unknown fields: decode, encode and
/// decode again gives the same value.
pub fn protobuf(data: &[u8]) {
    if let Ok(metadata) = Extensible::<Metadata>::decode(data) {
        let mut bytes = Vec::new();
        metadata.encode(&mut bytes);
        assert_eq!(
            Extensible::<Metadata>::decode(&bytes).expect("re-decodes"),
            metadata
        );
    }
    if let Ok(event) = Extensible::<Event>::decode(data) {
        let mut bytes = Vec::new();
        event.encode(&mut bytes);
        assert_eq!(
            Extensible::<Event>::decode(&bytes).expect("re-decodes"),
            event
        );
    }
}

#[path = "../tests/support/session_model.rs"]
mod session_model;

use session_model::{items, mismatch, write_op, Op};

#[derive(Debug, Arbitrary)]
struct Session {
    user: String,
    compress: bool,
    ops: Vec<(u32, Op)>,
}

/// A session model written then read back gives what was written.
pub fn roundtrip(data: &[u8]) {
    let Ok(session) = Session::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut options = WriterOptions::default();
    options.compression = if session.compress {
        Compression::Deflate {
            level: 1,
            min_len: 8,
        }
    } else {
        Compression::None
    };
    let metadata = Metadata {
        user: session.user.clone(),
        ..Metadata::default()
    };
    let mut writer = Writer::new(Vec::new(), metadata, options).expect("metadata fits");
    let mut time = 0u64;
    let mut written = Vec::new();
    for (delta, op) in &session.ops {
        time += u64::from(*delta);
        let result = write_op(&mut writer, time, op);
        // The writer refuses what the format cannot hold (an empty frame, a
        // known type passed as unknown); anything it accepts must read back.
        if result.is_ok() {
            written.push((time, op));
        }
    }
    let file = writer.finish().expect("finish");
    tdpr::validate(&file).expect("the writer's output is valid");
    let recording = Recording::parse(&file).expect("opens");
    let records: Vec<_> = recording
        .records()
        .collect::<Result<_, _>>()
        .expect("reads");
    // metadata, one item a written operation (frames of batches counted
    // one by one), index, trailer
    let items = items(&records);
    assert_eq!(items.len(), written.len() + 3);
    assert_eq!(recording.metadata().message.user, session.user);
    for ((time, op), item) in written.iter().zip(&items[1..]) {
        assert_eq!(item.time_us(), *time);
        if let Some(why) = mismatch(op, item) {
            panic!("{why}");
        }
    }
}

/// A Teleport recording never makes the import fail or write an invalid
/// recording, and what it imports survives export and a second import. The
/// input is read twice: as a whole stream, and as the decompressed records
/// of one part (wrapped here in a part header and gzip, so that the fuzzer
/// reaches the events without forging gzip checksums).
pub fn teleport_import(data: &[u8]) {
    use std::io::Write;
    use tdpr::teleport::{export, import, ExportOptions, ImportOptions, PartHeader};

    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gzip.write_all(data).expect("in memory");
    let body = gzip.finish().expect("in memory");
    let mut part = PartHeader::plain(body.len() as u64).to_bytes();
    part.extend_from_slice(&body);

    for stream in [data, &part[..]] {
        let (imported, _) = import(stream, Vec::new(), &ImportOptions::default())
            .expect("writing to memory cannot fail");
        if let Err(e) = tdpr::validate(&imported) {
            panic!("import wrote an invalid recording: {e}");
        }
        let first = Recording::parse(&imported).expect("a valid file opens");
        // A frame whose rebuilt event outgrows its record is cut or, when
        // it cannot be, left out (spec/conversion.md §4.4, §4.5): counted.
        let mut options = ExportOptions::default();
        options.allow_loss = true;
        let (exported, exported_report) =
            export(&first, Vec::new(), &options).expect("export of a valid file");
        let (again, report) = import(&exported[..], Vec::new(), &ImportOptions::default())
            .expect("writing to memory cannot fail");
        assert_eq!(report.stopped, None, "our export reads back cleanly");
        let second = Recording::parse(&again).expect("a valid file opens");
        if exported_report.frames_split + exported_report.frames_left_out == 0 {
            assert_eq!(
                frames(&first),
                frames(&second),
                "frames survive the round trip"
            );
        }
    }
}

/// Every frame's time and bytes.
fn frames(recording: &Recording<'_>) -> Vec<(u64, Vec<u8>)> {
    recording
        .records()
        .flat_map(|record| {
            let record = record.expect("a valid file reads");
            record
                .frames(&mut Inflater::default())
                .expect("inflates")
                .map(|frame| (frame.time_us, frame.message.to_vec()))
                .collect::<Vec<_>>()
        })
        .collect()
}
