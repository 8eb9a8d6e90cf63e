//! `tdpr sample OUT`: write the built-in sample session.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;

use tdpr::{Compression, WriterOptions};

use crate::CommandResult;

pub fn run(out: &Path, no_compression: bool) -> CommandResult {
    let file = File::create(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut options = WriterOptions::default();
    if no_compression {
        options.compression = Compression::None;
    }
    let sink = tdpr_synth::sample::write_sample(BufWriter::new(file), options)
        .map_err(|e| e.to_string())?;
    let file = sink.into_inner().map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    println!(
        "wrote the sample session to {} ({len} bytes)",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
