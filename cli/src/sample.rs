//! `tdpr sample OUT`: write the built-in sample session.

use std::path::Path;

use tdpr::{Compression, WriterOptions};

use crate::output::Output;
use crate::print;
use crate::status::{CommandResult, Status};

pub fn run(out: &Path, no_compression: bool) -> CommandResult {
    let mut options = WriterOptions::default();
    if no_compression {
        options.compression = Compression::None;
    }
    let output = Output::create(out, &[])?;
    let target = output.target();
    let output = tdpr_synth::sample::write_sample(output, options)
        .map_err(|e| target.failure("cannot write the sample", &e))?;
    let len = output.commit()?;
    print::err(&format!(
        "wrote the sample session to {} ({len} bytes)\n",
        target.name
    ));
    Ok(Status::Success)
}
