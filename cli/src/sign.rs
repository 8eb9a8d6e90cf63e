//! `tdpr sign IN OUT --key KEY`: sign an existing recording
//! (spec/signing.md 6), then verify what was written.

use std::path::Path;
use std::process::ExitCode;

use tdpr::RecordingFile;
use tdpr_sign::key::parse_secret_key;
use tdpr_sign::{sign_recording, verify, SignerOptions};

use crate::new_file::write_new_file;
use crate::CommandResult;

pub fn run(
    input: &Path,
    output: &Path,
    key: &Path,
    interval: std::time::Duration,
    replace: bool,
) -> CommandResult {
    let key_text =
        std::fs::read_to_string(key).map_err(|e| format!("cannot read {}: {e}", key.display()))?;
    let key = parse_secret_key(&key_text).map_err(|e| format!("{}: {e}", key.display()))?;
    let public = key.verifying_key();
    let mapped =
        RecordingFile::open(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let options = SignerOptions {
        interval_us: u64::try_from(interval.as_micros())
            .unwrap_or(u64::MAX)
            .max(1),
        ..SignerOptions::default()
    };
    let signed = write_new_file(output, &[input], |sink| {
        sign_recording(mapped.bytes(), sink, key, options, replace)
            .map_err(|e| format!("cannot sign {}: {e}", input.display()))
    })?;
    let written = RecordingFile::open(output)
        .map_err(|e| format!("cannot read back {}: {e}", output.display()))?;
    let verdict = verify(written.bytes(), &public);
    let proven = verdict.proven.ok_or("the signed file proves nothing")?;
    if !verdict.verified {
        return Err(format!("{} does not verify: {verdict:?}", output.display()));
    }
    println!(
        "signed {} records of {} into {} ({} bytes) with key {}: {} checkpoints, to {}",
        signed.records,
        input.display(),
        output.display(),
        signed.written_bytes,
        verdict.key_id,
        proven.sequence + 1,
        crate::clock(proven.time_us)
    );
    if signed.dropped_signing_records > 0 {
        println!(
            "dropped {} signing records of the input",
            signed.dropped_signing_records
        );
    }
    Ok(ExitCode::SUCCESS)
}
