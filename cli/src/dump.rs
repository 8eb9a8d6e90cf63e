//! `tdpr dump FILE`: print the canonical JSON form of a recording (`-` reads
//! it from standard input, as the conformance runner feeds a decoder),
//! streamed record by record.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use tdpr::json::EndJson;
use tdpr::{Limits, RecordingFile};

use crate::CommandResult;

pub fn run(path: &Path) -> CommandResult {
    if let Some(location) = crate::remote::location(path)? {
        return crate::remote::dump(&location);
    }
    let file = if path == Path::new("-") {
        RecordingFile::read_from(std::io::stdin().lock())
            .map_err(|e| format!("cannot read standard input: {e}"))?
    } else {
        RecordingFile::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let end = tdpr::json::write_canonical_file(&file, Limits::default(), &mut out)
        .and_then(|end| {
            out.write_all(b"\n")?;
            out.flush()?;
            Ok(end)
        })
        .map_err(|e| format!("cannot write standard output: {e}"))?;
    Ok(if end == EndJson::Finished {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
