//! `tdpr verify FILE --pubkey KEY [--json]`: how far a recording or an
//! excerpt is proven, and where its first break is (spec/signing.md 5.3).
//! Exit 0 when it is verified whole, 1 when not.

use std::path::Path;

use tdpr_sign::key::parse_public_key;
use tdpr_sign::{verify, FileKind, Verdict};

use crate::input::Input;
use crate::print;
use crate::status::{CommandResult, Failure, Status};
use crate::text::clock;

pub fn run(file: &Path, pubkey: &Path, json: bool) -> CommandResult {
    let key_text = std::fs::read_to_string(pubkey)
        .map_err(|e| Failure::CannotRun(format!("cannot read {}: {e}", pubkey.display())))?;
    let key = parse_public_key(&key_text)
        .map_err(|e| Failure::CannotRun(format!("{}: {e}", pubkey.display())))?;
    let recording = Input::new(file)?.recording()?;
    let verdict = verify(recording.bytes(), &key);
    if json {
        print::out(
            &(serde_json::to_string_pretty(&verdict).expect("a verdict serializes") + "\n"),
        )?;
    } else {
        print::out(&in_words(&verdict))?;
    }
    Ok(if verdict.verified {
        Status::Success
    } else {
        Status::Invalid
    })
}

/// The verdict in sentences, one a line.
pub fn in_words(verdict: &Verdict) -> String {
    let mut out = String::new();
    let what = match verdict.kind {
        FileKind::Recording => "recording",
        FileKind::Excerpt => "excerpt",
    };
    let state = if verdict.verified {
        "VERIFIED"
    } else if verdict.first_break.is_some() {
        "BROKEN"
    } else {
        "NOT VERIFIED WHOLE"
    };
    out += &format!("{state}: {what}, key {}\n", verdict.key_id);
    match (&verdict.proven, &verdict.excerpt) {
        (Some(proven), Some(anchor)) => {
            out += &format!(
                "proven: its {} records are records of the original, up to {} (offset {}), against the original's checkpoint {} at {}{}\n",
                proven.records,
                clock(proven.time_us),
                proven.last_record_offset,
                anchor.sequence,
                clock(anchor.time_us),
                if anchor.is_final { ", the final one" } else { ", not the final one" }
            )
        }
        (Some(proven), None) => {
            out += &format!(
                "proven: {} records up to {} (the record at offset {}), by checkpoint {} at offset {}\n",
                proven.records,
                clock(proven.time_us),
                proven.last_record_offset,
                proven.sequence,
                proven.checkpoint_offset
            )
        }
        (None, _) => out += "proven: nothing\n",
    }
    out += if verdict.finished {
        "finished: the session is proven to its signed end\n"
    } else {
        "finished: no, the signed end is not proven\n"
    };
    if let Some(unproven) = &verdict.unproven {
        out += &format!(
            "unproven: {} records from offset {} on, after the last checkpoint\n",
            unproven.records, unproven.first_offset
        );
    }
    if let Some(found) = &verdict.first_break {
        out += &format!(
            "break: {} at offset {}: {}\n",
            found.class.as_str(),
            found.offset,
            found.message
        );
    }
    out
}
