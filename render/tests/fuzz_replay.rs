//! Replays the committed seeds and regressions of the `render` fuzz target
//! through its check (`fuzz/render_checks.rs`) on stable Rust, so a bug the
//! fuzzer found stays fixed.

#[path = "../../fuzz/render_checks.rs"]
mod render_checks;

use std::path::Path;

#[test]
fn every_render_seed_and_regression_passes() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut replayed = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(kind).join("render")) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| render_checks::render(&data));
            assert!(outcome.is_ok(), "render fails on {}", path.display());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no seed for the render fuzz target");
}
