//! `tdpr dump FILE`: print the canonical JSON form of a recording (`-` reads
//! it from standard input, as the conformance runner feeds a decoder),
//! streamed record by record; an object (a URL) is streamed once
//! ([`Input::pass`]).

use std::io::Write;
use std::path::Path;

use tdpr::json::EndJson;
use tdpr::Limits;

use crate::input::{Input, Pass};
use crate::print::{self, Stdout};
use crate::progress;
use crate::status::{CommandResult, Status};

pub fn run(path: &Path) -> CommandResult {
    let input = Input::new(path)?;
    let pass = input.pass()?;
    let bar = progress::bytes(Some(pass.size()));
    let mut out = Stdout::new();
    let limits = Limits::default();
    let end = match pass {
        Pass::Whole(file) => {
            tdpr::json::write_canonical_file_with_progress(&file, limits, &mut out, &mut |at| {
                bar.set_position(at)
            })
        }
        Pass::Stream(stream) => tdpr::json::write_canonical_reader(
            &stream.head,
            stream.opened,
            bar.wrap_read(stream.reader),
            limits,
            &mut out,
        ),
    }
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
