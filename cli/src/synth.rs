//! `tdpr synth OUT --duration 10m --seed N [--profile office|video|idle]`:
//! write a synthetic desktop session, the corpus of the benchmarks.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use tdpr::{Compression, WriterOptions};
use tdpr_synth::{write_synthetic, Profile, SynthOptions};

use crate::CommandResult;

pub fn run(
    out: &Path,
    duration: Duration,
    seed: u64,
    profile: Profile,
    no_compression: bool,
) -> CommandResult {
    let duration_us = u64::try_from(duration.as_micros())
        .map_err(|_| format!("a duration of {duration:?} is too long"))?;
    let mut writer = WriterOptions::default();
    if no_compression {
        writer.compression = Compression::None;
    }
    let options = SynthOptions {
        duration_us,
        seed,
        profile,
        writer,
    };
    let file = File::create(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let sink = write_synthetic(BufWriter::new(file), &options).map_err(|e| e.to_string())?;
    let file = sink.into_inner().map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    println!(
        "wrote a {} synthetic session of {} (seed {seed}) to {} ({len} bytes)",
        profile,
        humantime::format_duration(duration),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
