//! `tdpr synth OUT --duration 10m --seed N [--profile P]`: write a synthetic
//! desktop session: the corpus of the benchmarks (`office`, `video`, `idle`:
//! PNG tiles), or RDP fast-path test material coded from known images
//! (`remotefx`, `qoiz`, `bitmap`: `tdpr_render::synth`).

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use tdpr::{Compression, WriterOptions};
use tdpr_render::synth::{write_session, Codec, SessionOptions};
use tdpr_synth::{write_synthetic_with_progress, Profile, SynthOptions};

use crate::output::Output;
use crate::status::{CommandResult, Failure, Status};
use crate::{print, progress};

/// What a synthetic session shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SynthProfile {
    /// A desktop user's session, PNG tiles.
    Desktop(Profile),
    /// A test scene coded with a fast-path codec.
    FastPath(Codec),
}

impl FromStr for SynthProfile {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let desktop = Profile::ALL.into_iter().find(|p| p.name() == s);
        let fast_path = Codec::ALL.into_iter().find(|c| c.name() == s);
        match (desktop, fast_path) {
            (Some(profile), _) => Ok(SynthProfile::Desktop(profile)),
            (None, Some(codec)) => Ok(SynthProfile::FastPath(codec)),
            (None, None) => Err(format!(
                "unknown profile {s:?}: expected office, video, idle, remotefx, qoiz or bitmap"
            )),
        }
    }
}

impl fmt::Display for SynthProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SynthProfile::Desktop(profile) => profile.fmt(f),
            SynthProfile::FastPath(codec) => codec.fmt(f),
        }
    }
}

pub fn run(
    out: &Path,
    duration: Duration,
    seed: u64,
    profile: SynthProfile,
    no_compression: bool,
    keyframe_after_mib: u64,
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
    let output = Output::create(out, &[])?;
    let target = output.target();
    let output = match profile {
        SynthProfile::Desktop(profile) => {
            let options = SynthOptions {
                duration_us,
                seed,
                profile,
                writer,
                keyframe_after_bytes: keyframe_after_mib.saturating_mul(1 << 20),
            };
            let bar = progress::session_time(duration_us);
            let output = write_synthetic_with_progress(output, &options, &mut |us| {
                bar.set_position(us);
                bar.set_message(crate::text::clock(us));
            })
            .map_err(|e| target.failure("cannot write the session", &e))?;
            bar.finish_and_clear();
            output
        }
        SynthProfile::FastPath(codec) => {
            let mut options = SessionOptions {
                codec,
                seed,
                writer,
                ..SessionOptions::default()
            };
            options.frames = u32::try_from(duration_us / options.frame_interval_us)
                .map_err(|_| {
                    Failure::CannotRun(format!(
                        "a duration of {} is too long",
                        humantime::format_duration(duration)
                    ))
                })?
                .max(8);
            write_session(output, &options)
                .map_err(|e| Failure::CannotWrite(format!("cannot write {}: {e}", target.name)))?
        }
    };
    let len = output.commit()?;
    print::err(&format!(
        "wrote a synthetic session ({profile} profile, {}, seed {seed}) to {} ({len} bytes)\n",
        humantime::format_duration(duration),
        target.name
    ));
    Ok(Status::Success)
}
