//! `tdpr clip FILE --from T --to T -o OUT`: cut a verifiable excerpt out of
//! a signed recording (spec/signing.md 7).

use std::path::Path;
use std::time::Duration;

use tdpr_sign::clip;

use crate::input::Input;
use crate::output::Output;
use crate::print;
use crate::status::{CommandResult, Failure, Status};
use crate::text::clock;

pub fn run(input_path: &Path, from: Duration, to: Duration, output_path: &Path) -> CommandResult {
    let micros = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
    if from > to {
        return Err(Failure::CannotRun("--from is after --to".into()));
    }
    let input = Input::new(input_path)?;
    let mut output = Output::create(output_path, &[&input])?;
    let mapped = input.recording()?;
    let target = output.target();
    let excerpt = clip(mapped.bytes(), micros(from), micros(to), &mut output)
        .map_err(|e| crate::sign::failure(&target, &format!("cannot clip {}", input.name()), e))?;
    output.commit()?;
    print::err(&format!(
        "wrote {} ({} bytes): {} records from {} to {}, proven against checkpoint {}{} with {} intervals ({} bytes of proof)\n",
        target.name,
        excerpt.written_bytes,
        excerpt.records,
        clock(excerpt.first_us),
        clock(excerpt.last_us),
        excerpt.anchor_sequence,
        if excerpt.anchor_final { " (final)" } else { " (not final: the original is unfinished)" },
        excerpt.intervals,
        excerpt.proof_bytes
    ));
    Ok(Status::Success)
}
