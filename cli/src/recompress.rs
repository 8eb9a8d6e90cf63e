//! `tdpr recompress IN OUT`: the same recording with its frames compressed
//! (or, with `--store`, stored) as the writer would write them now.
//!
//! The output goes through [`crate::output`]: OUT is never a half-written
//! recording, and IN is never written.

use std::path::Path;

use tdpr::Compression;

use crate::input::Input;
use crate::output::Output;
use crate::print;
use crate::status::{CommandResult, Failure, Status};

pub fn run(input_path: &Path, output_path: &Path, compression: Compression) -> CommandResult {
    let input = Input::new(input_path)?;
    let mut output = Output::create(output_path, &[&input])?;
    let mapped = input.recording()?;
    let target = output.target();
    let (_, done) =
        tdpr::recompress(mapped.bytes(), &mut output, compression).map_err(|e| match e {
            tdpr::Error::Io(e) => target.write_failure(&e),
            fault => Failure::InvalidInput(format!(
                "cannot recompress {}: {fault}; {}",
                input.name(),
                target.unchanged()
            )),
        })?;
    output.commit()?;
    let before = mapped.bytes().len() as u64;
    print::err(&format!(
        "wrote {} ({} bytes, {:.1} % of {} bytes): {} records, {} frame payloads compressed, {} stored\n",
        target.name,
        done.bytes,
        100.0 * done.bytes as f64 / before.max(1) as f64,
        before,
        done.records,
        done.compressed,
        done.stored
    ));
    Ok(Status::Success)
}
