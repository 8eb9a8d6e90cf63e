//! `tdpr sign IN OUT --key KEY`: sign an existing recording
//! (spec/signing.md 6), then verify what was written.

use std::path::Path;

use tdpr::RecordingFile;
use tdpr_sign::key::parse_secret_key;
use tdpr_sign::{sign_recording, verify, SignError, SignerOptions};

use crate::input::Input;
use crate::output::{Output, Target};
use crate::print;
use crate::status::{CommandResult, Failure, Status};
use crate::text::clock;

pub fn run(
    input_path: &Path,
    output_path: &Path,
    key: &Path,
    interval: std::time::Duration,
    replace: bool,
) -> CommandResult {
    let key_text = std::fs::read_to_string(key)
        .map_err(|e| Failure::CannotRun(format!("cannot read {}: {e}", key.display())))?;
    let key = parse_secret_key(&key_text)
        .map_err(|e| Failure::CannotRun(format!("{}: {e}", key.display())))?;
    let public = key.verifying_key();
    let input = Input::new(input_path)?;
    let mut output = Output::create(output_path, &[&input])?;
    let mapped = input.recording()?;
    let options = SignerOptions {
        interval_us: u64::try_from(interval.as_micros())
            .unwrap_or(u64::MAX)
            .max(1),
        ..SignerOptions::default()
    };
    let target = output.target();
    let signed = sign_recording(mapped.bytes(), &mut output, key, options, replace)
        .map_err(|e| failure(&target, &format!("cannot sign {}", input.name()), e))?;
    output.commit()?;
    let written = RecordingFile::open(output_path).map_err(|e| {
        Failure::CannotWrite(format!("cannot read back {}: {e}", output_path.display()))
    })?;
    let verdict = verify(written.bytes(), &public);
    let proven = match (&verdict.proven, verdict.verified) {
        (Some(proven), true) => proven,
        _ => {
            return Err(Failure::CannotWrite(format!(
                "{} does not verify: {verdict:?}",
                output_path.display()
            )))
        }
    };
    let mut text = format!(
        "signed {} records of {} into {} ({} bytes) with key {}: {} checkpoints, to {}\n",
        signed.records,
        input.name(),
        target.name,
        signed.written_bytes,
        verdict.key_id,
        proven.sequence + 1,
        clock(proven.time_us)
    );
    if signed.dropped_signing_records > 0 {
        text += &format!(
            "dropped {} signing records of the input\n",
            signed.dropped_signing_records
        );
    }
    print::err(&text);
    Ok(Status::Success)
}

/// What a failure of signing or clipping means for the command: a write
/// that failed is the output's; a damaged input is invalid input; the rest
/// (signed already without `--replace`, an empty range) is a request the
/// command cannot carry out.
pub(crate) fn failure(target: &Target, what: &str, error: SignError) -> Failure {
    match error {
        SignError::Format(tdpr::Error::Io(e)) => target.write_failure(&e),
        SignError::Format(fault) => Failure::InvalidInput(format!("{what}: {fault}")),
        SignError::NotSigned => Failure::InvalidInput(format!("{what}: {error}")),
        other => Failure::CannotRun(format!("{what}: {other}")),
    }
}
