//! Progress bars for long work, on standard error, only when it is a
//! terminal: a log file or a pipe gets no bar and no escape codes.
//!
//! Every command that can take more than a second on a large input shows
//! one: `dump`, `validate`, `info`, `recover` and `import` by bytes of
//! input, `synth` by session time, `conformance` by cases.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar over `total` bytes, or a spinner counting bytes when the total is
/// unknown (standard input).
pub fn bytes(total: Option<u64>) -> ProgressBar {
    match total {
        Some(total) => bar(
            total,
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        ),
        None if on_terminal() => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}")
                .expect("a valid template"),
        ),
        None => ProgressBar::hidden(),
    }
}

/// A bar over `total` things counted, named `unit` ("cases").
pub fn count(total: u64, unit: &str) -> ProgressBar {
    bar(total, &format!("{{bar:40}} {{pos}}/{{len}} {unit} {{eta}}"))
}

/// A bar over a session of `total_us` microseconds, shown in seconds.
pub fn session_time(total_us: u64) -> ProgressBar {
    bar(total_us, "{bar:40} {msg} of the session {eta}")
}

fn bar(total: u64, template: &str) -> ProgressBar {
    if !on_terminal() {
        return ProgressBar::hidden();
    }
    ProgressBar::new(total)
        .with_style(ProgressStyle::with_template(template).expect("a valid template"))
}

fn on_terminal() -> bool {
    std::io::stderr().is_terminal()
}
