//! Fuzz target `render`: see `fuzz/render_checks.rs`.
//!
//! The renderer contains a panic inside IronRDP's decoders (an overflow
//! where overflow checks are on, as in `ironrdp-session`'s RemoteFX
//! clipping rectangles) as an update it cannot draw and a fresh decoder
//! (`render/src/fast_path.rs`), as the stable replay of the regressions
//! checks. libFuzzer's panic hook aborts on every panic, contained or not,
//! so `init` puts Rust's default hook back: a panic the renderer contains
//! is printed and the run goes on; one that escapes it still ends the run
//! (libfuzzer-sys aborts when the target unwinds) with its input saved.
#![no_main]

#[path = "../render_checks.rs"]
mod render_checks;

libfuzzer_sys::fuzz_target!(init: drop(std::panic::take_hook()), |data: &[u8]| {
    render_checks::render(data)
});
