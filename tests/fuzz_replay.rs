//! Replays every committed fuzz seed and regression, every golden
//! recording, and the empty input (the first one libFuzzer runs) through the
//! checks the fuzz targets run (`fuzz/checks.rs`), on stable Rust and without
//! the fuzzer, so a bug a fuzzer found stays fixed.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

/// A fuzz target's name and its check.
type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 9] = [
    ("read_whole", checks::read_whole),
    ("read_stream", checks::read_stream),
    ("recover", checks::recover),
    ("tdp_message", checks::tdp_message),
    ("protobuf", checks::protobuf),
    ("roundtrip", checks::roundtrip),
    ("teleport_import", checks::teleport_import),
    ("verify", checks::verify),
    ("recompress", checks::recompress),
];

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_seed_and_regression_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden = files(&root.join("conformance/valid"));
    assert!(!golden.is_empty());
    let mut replayed = 0;
    for (target, check) in TARGETS {
        let mut inputs = golden.clone();
        for kind in ["seeds", "regressions"] {
            inputs.extend(files(&root.join("fuzz").join(kind).join(target)));
        }
        let empty = std::panic::catch_unwind(|| check(&[]));
        assert!(empty.is_ok(), "{target} fails on the empty input");
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target} fails on {}", input.display());
            replayed += 1;
        }
    }
    assert!(replayed >= TARGETS.len() * golden.len());
}
