//! `tdpr dump FILE`: print the canonical JSON form of a recording (`-` reads
//! it from standard input, as the conformance runner feeds a decoder),
//! streamed record by record.

use std::io::Write;
use std::path::Path;

use tdpr::json::EndJson;
use tdpr::Limits;

use crate::input::Input;
use crate::print::{self, Stdout};
use crate::progress;
use crate::status::{CommandResult, Status};

pub fn run(path: &Path) -> CommandResult {
    let input = Input::new(path)?;
    let file = input.recording()?;
    let bar = progress::bytes(Some(file.bytes().len() as u64));
    let mut out = Stdout::new();
    let end = tdpr::json::write_canonical_file_with_progress(
        &file,
        Limits::default(),
        &mut out,
        &mut |at| bar.set_position(at),
    )
    .and_then(|end| out.write_all(b"\n").map(|_| end))
    .map_err(print::stdout_failure)?;
    out.finish()?;
    bar.finish_and_clear();
    Ok(if end == EndJson::Finished {
        Status::Success
    } else {
        Status::Invalid
    })
}
