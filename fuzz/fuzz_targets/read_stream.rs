//! The streaming reader returns the same records and the same first error as
//! the whole-file reader, whether fed the input whole, one byte at a time, or
//! split where the input's first byte says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tdpr::{Limits, Recording, StreamReader};

type Seen = (u64, u64, u8, u8, Vec<u8>);

fn whole(data: &[u8]) -> (Vec<Seen>, Option<String>) {
    let mut seen = Vec::new();
    let recording = match Recording::parse_with_limits(data, Limits::default()) {
        Ok(r) => r,
        // Opening also reads the trailer; compare iteration only.
        Err(_) => return (seen, None),
    };
    for record in recording.records() {
        match record {
            Ok(r) => seen.push((r.offset, r.time_us, r.record_type.0, r.flags.0, r.raw_payload.to_vec())),
            Err(e) => return (seen, Some(e.class().as_str().to_string())),
        }
    }
    (seen, None)
}

fn streamed(data: &[u8], piece: usize) -> (Vec<Seen>, Option<String>) {
    let mut reader = StreamReader::default();
    let mut seen = Vec::new();
    for chunk in data.chunks(piece.max(1)) {
        reader.push(chunk);
        loop {
            match reader.next_record() {
                Ok(Some(r)) => seen.push((r.offset, r.time_us, r.record_type.0, r.flags.0, r.raw_payload.to_vec())),
                Ok(None) => break,
                Err(e) => return (seen, Some(e.class().as_str().to_string())),
            }
        }
    }
    let error = match reader.finish() {
        Err(e) if e.class() == tdpr::ErrorClass::Truncated => Some("truncated".to_string()),
        _ => None,
    };
    (seen, error)
}

fuzz_target!(|data: &[u8]| {
    if Recording::parse(data).is_err() {
        return;
    }
    let expected = whole(data);
    let piece = data.first().map_or(1, |&b| usize::from(b) + 1);
    for size in [data.len(), 1, piece] {
        assert_eq!(streamed(data, size), expected, "pieces of {size} bytes");
    }
});
