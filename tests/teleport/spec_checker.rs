//! Every import checked by `conformance/teleport/check_import.py`, which a
//! helper wrote from `spec/conversion.md` alone (no tdpr code read): for each
//! Teleport case, each edge-case probe (`conformance/teleport/probes/`) and
//! exports of synthetic sessions, the canonical JSON of our import must be
//! exactly what the spec derives from the stream.

use std::path::Path;
use std::process::Command;

use tdpr::teleport::{export, ExportOptions};
use tdpr::{Limits, Recording};

use super::fixtures::{cases, import_bytes};

/// Runs the checker on `stream` and the dump of its import; panics with
/// its report unless it says `ok`.
fn check(name: &str, stream: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let (stream_path, dump_path) = (
        dir.path().join(format!("{name}.tar")),
        dir.path().join(format!("{name}.json")),
    );
    std::fs::write(&stream_path, stream).unwrap();
    let (imported, report) = import_bytes(stream);
    // An input that yields no record leaves no output (spec/conversion.md §3.6).
    let dump = if report.records == 0 && report.stopped.is_some() {
        String::new()
    } else {
        serde_json::to_string(&tdpr::json::dump(&imported, Limits::default())).unwrap()
    };
    std::fs::write(&dump_path, dump).unwrap();
    let output = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/teleport/check_import.py"))
        .args([&stream_path, &dump_path])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{name}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_case_imports_as_the_spec_says() {
    for path in cases() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        check(&name, &std::fs::read(&path).unwrap());
    }
}

#[test]
fn every_probe_imports_as_the_spec_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/teleport/probes");
    let mut probes: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    probes.sort();
    assert!(probes.len() >= 50, "the probes are present");
    for path in probes {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        check(&format!("probe-{name}"), &std::fs::read(&path).unwrap());
    }
}

#[test]
fn exported_synthetic_sessions_import_as_the_spec_says() {
    for (profile, seconds, seed) in [
        (tdpr_synth::Profile::Office, 180, 1),
        (tdpr_synth::Profile::Video, 10, 2),
        (tdpr_synth::Profile::Idle, 300, 3),
    ] {
        let options = tdpr_synth::SynthOptions {
            duration_us: seconds * 1_000_000,
            seed,
            profile,
            ..Default::default()
        };
        let bytes = tdpr_synth::write_synthetic(Vec::new(), &options).unwrap();
        let recording = Recording::parse(&bytes).unwrap();
        let (stream, _) = export(&recording, Vec::new(), &ExportOptions::default()).unwrap();
        check(&format!("synth-{}", profile.name()), &stream);
    }
}
