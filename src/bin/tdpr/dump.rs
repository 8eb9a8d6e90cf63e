//! `tdpr dump FILE`: print the canonical JSON form of a recording (`-` reads
//! it from standard input, as the conformance runner feeds a decoder).

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use tdpr::Limits;

use crate::mapped::Mapped;
use crate::CommandResult;

pub fn run(path: &Path) -> CommandResult {
    let value = if path == Path::new("-") {
        let mut data = Vec::new();
        std::io::stdin()
            .read_to_end(&mut data)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        tdpr::dump(&data, Limits::default())
    } else {
        let mapped =
            Mapped::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        tdpr::dump(mapped.bytes(), Limits::default())
    };
    let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    println!("{text}");
    let finished = value.end == tdpr::End::Finished;
    Ok(if finished {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
