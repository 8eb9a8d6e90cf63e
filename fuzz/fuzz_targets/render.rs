//! Fuzz target `render`: see `fuzz/render_checks.rs`.
#![no_main]

#[path = "../render_checks.rs"]
mod render_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| render_checks::render(data));
