//! Lying lengths and counts, up to the largest values their fields hold, cost
//! an error, never memory: every reader path stays far below the configured
//! limits on such input, as a counting allocator measures (per thread).

#[path = "support/counting_allocator.rs"]
mod counting_allocator;
#[path = "support/record_bytes.rs"]
mod record_bytes;

use tdpr::{FileHeader, Limits, Recording, StreamReader};

#[global_allocator]
static ALLOCATOR: counting_allocator::Counting = counting_allocator::Counting;

/// What any reader may allocate for these small inputs.
const BOUND: usize = 1 << 20;

fn file(records: &[Vec<u8>]) -> Vec<u8> {
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    for r in records {
        data.extend_from_slice(r);
    }
    data
}

fn uleb(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// A reader path, named.
type ReaderPath = (&'static str, Box<dyn Fn(&[u8])>);

fn empty_metadata() -> Vec<u8> {
    record_bytes::record_bytes(0x01, 0, &[0])
}

fn cases() -> Vec<(String, Vec<u8>)> {
    let mut cases = Vec::new();
    let sample = tdpr_synth::sample::write_sample(Vec::new(), Default::default()).unwrap();
    cases.push(("the sample, unchanged".to_string(), sample.clone()));
    for len in [u32::MAX, 64 << 20, (64 << 20) + 1] {
        let mut data = sample.clone();
        // The first record after the metadata.
        let at = 20 + 6 + u32::from_le_bytes(data[22..26].try_into().unwrap()) as usize + 4;
        data[at + 2..at + 6].copy_from_slice(&len.to_le_bytes());
        cases.push((format!("record length {len}"), data));
    }
    for inflated in [u64::MAX, 1 << 63, 1 << 40, (64 << 20) + 1, 64 << 20] {
        let mut body = vec![0];
        body.extend(uleb(inflated));
        // A stored DEFLATE block of three bytes.
        body.extend_from_slice(&[0x01, 3, 0, 0xfc, 0xff, b'a', b'b', b'c']);
        cases.push((
            format!("inflated length {inflated}"),
            file(&[empty_metadata(), record_bytes::record_bytes(0x02, 1, &body)]),
        ));
        let mut metadata_body = vec![0];
        metadata_body.extend(uleb(inflated));
        metadata_body.extend_from_slice(&[0x01, 3, 0, 0xfc, 0xff, b'a', b'b', b'c']);
        cases.push((
            format!("metadata inflated length {inflated}"),
            file(&[record_bytes::record_bytes(0x01, 1, &metadata_body)]),
        ));
    }
    for delta in [u64::MAX, 1 << 63] {
        let mut body = uleb(delta);
        body.push(3);
        cases.push((
            format!("time delta {delta}"),
            file(&[empty_metadata(), record_bytes::record_bytes(0x02, 0, &body)]),
        ));
    }
    for count in [u32::MAX, 4 << 20] {
        let mut index = vec![0];
        index.extend_from_slice(&[0u8; 48]);
        for _ in 0..3 {
            index.extend_from_slice(&count.to_le_bytes());
        }
        let metadata = empty_metadata();
        let index_offset = (20 + metadata.len()) as u64;
        let mut trailer_body = vec![0];
        trailer_body.extend_from_slice(&index_offset.to_le_bytes());
        cases.push((
            format!("index counts {count}"),
            file(&[
                metadata,
                record_bytes::record_bytes(0x83, 0, &index),
                record_bytes::record_bytes(0x84, 0, &trailer_body),
            ]),
        ));
    }
    let mut trailer_body = vec![0];
    trailer_body.extend_from_slice(&u64::MAX.to_le_bytes());
    cases.push((
        "trailer offset u64::MAX".into(),
        file(&[
            empty_metadata(),
            record_bytes::record_bytes(0x84, 0, &trailer_body),
        ]),
    ));
    // Protobuf: a string field (1) claiming 2^62 bytes, in metadata and event.
    let mut lying_string = vec![0, 0x0a];
    lying_string.extend(uleb(1 << 62));
    lying_string.push(b'x');
    cases.push((
        "metadata string of 2^62 bytes".into(),
        file(&[record_bytes::record_bytes(0x01, 0, &lying_string)]),
    ));
    let mut lying_label = vec![0, 0x12];
    lying_label.extend(uleb(1 << 62));
    cases.push((
        "event label of 2^62 bytes".into(),
        file(&[
            empty_metadata(),
            record_bytes::record_bytes(0x81, 0, &lying_label),
        ]),
    ));
    // TDP: clipboard data (type 6) claiming 4 GiB - 1 bytes.
    let clipboard = [0, 6, 0xff, 0xff, 0xff, 0xff, b'a'];
    cases.push((
        "TDP clipboard of 4 GiB".into(),
        file(&[
            empty_metadata(),
            record_bytes::record_bytes(0x02, 0, &clipboard),
        ]),
    ));
    cases
}

#[test]
fn lying_lengths_cost_no_memory() {
    for (name, data) in cases() {
        let paths: [ReaderPath; 6] = [
            ("validate", Box::new(|d| drop(tdpr::validate(d)))),
            (
                "dump",
                Box::new(|d| drop(tdpr::json::dump(d, Limits::default()))),
            ),
            (
                "recover",
                Box::new(|d| drop(tdpr::recover(d, &mut Vec::new(), Limits::default()))),
            ),
            (
                "validate_frames (census)",
                Box::new(|d| drop(tdpr::validate_frames(d))),
            ),
            (
                "records",
                Box::new(|d| {
                    if let Ok(recording) = Recording::parse(d) {
                        for record in recording.records() {
                            if let Ok(tdpr::Record {
                                body: tdpr::RecordBody::Frame(p),
                                ..
                            }) = record
                            {
                                drop(p.to_vec());
                            }
                        }
                    }
                }),
            ),
            (
                "stream",
                Box::new(|d| {
                    let mut reader = StreamReader::default();
                    for chunk in d.chunks(7) {
                        reader.push(chunk);
                        while let Ok(Some(_)) = reader.next_record() {}
                    }
                    drop(reader.finish());
                }),
            ),
        ];
        for (path, run) in &paths {
            let ((), _, peak) = counting_allocator::measure(|| run(&data));
            assert!(
                peak < BOUND + 2 * data.len(),
                "{name}: {path} peaked at {peak} bytes"
            );
        }
    }
}
