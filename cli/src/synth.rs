//! `tdpr synth OUT --duration 10m --seed N [--profile office|video|idle]`:
//! write a synthetic desktop session, the corpus of the benchmarks.

use std::path::Path;
use std::time::Duration;

use tdpr::{Compression, WriterOptions};
use tdpr_synth::{write_synthetic_with_progress, Profile, SynthOptions};

use crate::output::Output;
use crate::status::{CommandResult, Failure, Status};
use crate::{print, progress};

pub fn run(
    out: &Path,
    duration: Duration,
    seed: u64,
    profile: Profile,
    no_compression: bool,
) -> CommandResult {
    let duration_us = u64::try_from(duration.as_micros()).map_err(|_| {
        Failure::CannotRun(format!(
            "a duration of {} is too long",
            humantime::format_duration(duration)
        ))
    })?;
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
    let output = Output::create(out, &[])?;
    let target = output.target();
    let bar = progress::session_time(duration_us);
    let output = write_synthetic_with_progress(output, &options, &mut |us| {
        bar.set_position(us);
        bar.set_message(crate::text::clock(us));
    })
    .map_err(|e| target.failure("cannot write the session", &e))?;
    bar.finish_and_clear();
    let len = output.commit()?;
    print::err(&format!(
        "wrote a synthetic session ({profile} profile, {}, seed {seed}) to {} ({len} bytes)\n",
        humantime::format_duration(duration),
        target.name
    ));
    Ok(Status::Success)
}
