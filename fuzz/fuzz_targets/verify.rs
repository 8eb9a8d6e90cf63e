//! Fuzz target `verify`: see the function of that name in `fuzz/checks.rs`.
#![no_main]

// Every target includes all the checks and runs one.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::verify(data));
