//! Golden recordings under `conformance/valid/`: each `.tdpr` file must be
//! exactly what its generator below writes (so fixtures stay in step with the
//! writer), and must decode to the canonical JSON checked in beside it, which
//! was reviewed by hand against the spec. `TDPR_BLESS=1` rewrites both; review
//! the diff before committing it.

use std::path::{Path, PathBuf};

use tdpr::proto::{Event, EventKind, Metadata};
use tdpr::{Compression, Limits, RecordFlags, RecordType, Writer, WriterOptions};

use crate::common::{minimal, sample, stored};

/// Every golden recording: name, the spec section it exercises most, bytes.
pub fn fixtures() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("minimal", "14", minimal()),
        ("sample", "5", sample()),
        ("empty_session", "7.3", empty_session()),
        ("unknown_ancillary", "4.2", unknown_ancillary()),
        ("unfinished", "9.4", unfinished()),
    ]
}

/// Metadata and nothing else, finished.
fn empty_session() -> Vec<u8> {
    Writer::new(Vec::new(), Metadata::default(), stored())
        .unwrap()
        .finish()
        .unwrap()
}

/// A record of a type from a future version between two frames, a marker,
/// a compressed frame and an idle gap.
fn unknown_ancillary() -> Vec<u8> {
    let metadata = Metadata {
        session_id: "future".into(),
        screen_width: 320,
        screen_height: 200,
        ..Metadata::default()
    };
    let mut options = WriterOptions::default();
    options.compression = Compression::Deflate {
        level: 9,
        min_len: 16,
    };
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    writer
        .write_frame(1_000, &[3, 0, 0, 0, 1, 0, 0, 0, 2])
        .unwrap();
    writer
        .write_unknown_ancillary(
            2_000,
            RecordType(0xa0),
            RecordFlags(0x80),
            b"from the future",
        )
        .unwrap();
    writer
        .write_event(
            2_500,
            Event {
                kind: EventKind::Marker as i32,
                label: "look here".into(),
                ..Event::default()
            },
        )
        .unwrap();
    // A clipboard data message (type 6) with a compressible body.
    let mut clipboard = vec![6, 0, 0, 0, 64];
    clipboard.extend_from_slice(&[b'a'; 64]);
    writer.write_frame(9_000_000, &clipboard).unwrap();
    writer.finish().unwrap()
}

/// The sample cut in the middle of a record, as a crashed recorder leaves it.
fn unfinished() -> Vec<u8> {
    let data = sample();
    data[..data.len() / 2].to_vec()
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/valid")
}

#[test]
fn golden_files_are_current_and_decode_as_reviewed() {
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    for (name, _, bytes) in fixtures() {
        let tdpr_path = dir().join(format!("{name}.tdpr"));
        let json_path = dir().join(format!("{name}.json"));
        let json =
            serde_json::to_string_pretty(&tdpr::dump(&bytes, Limits::default())).unwrap() + "\n";
        if bless {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&tdpr_path, &bytes).unwrap();
            std::fs::write(&json_path, &json).unwrap();
        }
        let checked_in = std::fs::read(&tdpr_path).unwrap_or_default();
        assert!(
            checked_in == bytes,
            "{name}.tdpr differs from what the writer makes now"
        );
        let expected = std::fs::read_to_string(&json_path).unwrap_or_default();
        assert_eq!(expected, json, "{name}.json");
    }
}
