//! A full pass gives the same records, counts and verdict whether it reads a
//! recording in place, from a stream in pieces of any size, or from a file
//! on disk; and the canonical JSON written as the pass goes is the JSON of
//! the whole recording in memory. Checked on every file of the conformance
//! suite: golden, truncated and invalid.

use std::io::Read;

use tdpr::json::{dump, write_canonical, write_canonical_file};
use tdpr::{IndexOptions, Limits, RecordingFile, Scan};

use crate::invalid::conformance_dir;

/// Every recording of the conformance suite, with its path.
fn suite_files() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for dir in ["valid", "truncated", "invalid"] {
        for entry in std::fs::read_dir(conformance_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "tdpr") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 100, "{} files", files.len());
    files
}

/// A reader that hands out at most `piece` bytes a call.
struct Pieces<'a> {
    data: &'a [u8],
    piece: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.piece).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// What a pass found, comparable across sources: each record's offset, time
/// and type, the verdict, and the counts.
type Outcome = (Vec<(u64, u64, u8)>, String, String);

fn outcome<S: tdpr::read::RecordSource>(scan: tdpr::Result<Scan<S>>) -> Result<Outcome, String> {
    let mut scan = scan.map_err(|e| e.to_string())?;
    let mut records = Vec::new();
    while let Some(scanned) = scan.next_record() {
        let r = &scanned.record;
        records.push((r.offset, r.time_us, r.record_type.0));
    }
    let verdict = format!("{:?}", scan.verdict().map_err(|e| e.to_string()));
    let counts = format!("{:?} {:?} {}", scan.by_type, scan.end, scan.content_end);
    Ok((records, verdict, counts))
}

#[test]
fn a_pass_in_place_from_a_stream_and_from_a_file_agree() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    let options = IndexOptions::default();
    for path in suite_files() {
        let data = std::fs::read(&path).unwrap();
        let in_place = outcome(Scan::new(&data, limits, options));
        // Byte by byte on the small files (the costly case in a debug build).
        let pieces: &[usize] = if data.len() < 4096 {
            &[1, 7, 4096]
        } else {
            &[7, 4096]
        };
        for &piece in pieces {
            let streamed = outcome(Scan::from_reader(
                Pieces { data: &data, piece },
                limits,
                options,
            ));
            assert_eq!(
                streamed,
                in_place,
                "{} in pieces of {piece}",
                path.display()
            );
        }
        let copy = dir.path().join("copy.tdpr");
        std::fs::write(&copy, &data).unwrap();
        let file = RecordingFile::open(&copy).unwrap();
        assert_eq!(file.bytes(), &data[..]);
        assert_eq!(
            outcome(file.scan(limits, options)),
            in_place,
            "{}",
            path.display()
        );
    }
}

#[test]
fn streamed_json_is_the_json_of_the_whole_recording() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits::default();
    for path in suite_files() {
        let data = std::fs::read(&path).unwrap();
        let whole = dump(&data, limits);
        let expected = serde_json::to_string_pretty(&whole).unwrap();
        let mut streamed = Vec::new();
        let end = write_canonical(&data, limits, &mut streamed).unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            expected,
            "{}",
            path.display()
        );
        assert_eq!(end, whole.end);
        let copy = dir.path().join("copy.tdpr");
        std::fs::write(&copy, &data).unwrap();
        let mut from_file = Vec::new();
        write_canonical_file(&RecordingFile::open(&copy).unwrap(), limits, &mut from_file).unwrap();
        assert_eq!(
            String::from_utf8(from_file).unwrap(),
            expected,
            "{}",
            path.display()
        );
    }
}
