//! `tdpr recompress IN OUT`: the same recording with its frames compressed
//! (or, with `--store`, stored) as the writer would write them now.
//!
//! The output goes to a temporary file beside OUT, renamed into place only
//! once it is complete and synced, so that OUT is never a half-written
//! recording; IN is never written.

use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;

use tdpr::{Compression, RecordingFile};

use crate::{same_file, CommandResult};

pub fn run(input: &Path, output: &Path, compression: Compression) -> CommandResult {
    if same_file(input, output) {
        return Err("the output must not be the input".into());
    }
    let mapped =
        RecordingFile::open(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let directory = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temporary = tempfile::NamedTempFile::new_in(directory)
        .map_err(|e| format!("cannot write in {}: {e}", directory.display()))?;
    let (sink, done) = tdpr::recompress(mapped.bytes(), BufWriter::new(temporary), compression)
        .map_err(|e| format!("cannot recompress {}: {e}", input.display()))?;
    let temporary = sink.into_inner().map_err(|e| e.to_string())?;
    temporary.as_file().sync_all().map_err(|e| e.to_string())?;
    temporary
        .persist(output)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    let before = mapped.bytes().len() as u64;
    println!(
        "wrote {} ({} bytes, {:.1} % of {} bytes): {} records, {} frame payloads compressed, {} stored",
        output.display(),
        done.bytes,
        100.0 * done.bytes as f64 / before.max(1) as f64,
        before,
        done.records,
        done.compressed,
        done.stored
    );
    Ok(ExitCode::SUCCESS)
}
