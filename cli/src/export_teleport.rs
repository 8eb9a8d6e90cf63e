//! `tdpr export teleport IN OUT [--allow-loss] [--json]`: a tdpr recording
//! as a Teleport desktop session recording (spec/conversion.md §4).
//!
//! Every frame goes across: a frame too large for one Teleport event is cut
//! into several (§4.4). What cannot go across at all (a frame neither PNG
//! nor fast-path that is too large, an event Teleport has no event for)
//! stops the export, with nothing written, unless `--allow-loss` accepts
//! the loss; the report then counts what was left out.

use std::path::Path;

use schemars::JsonSchema;
use serde::Serialize;
use tdpr::teleport::ExportOptions;
use tdpr::ErrorClass;

use crate::input::Input;
use crate::output::Output;
use crate::status::{CommandResult, Failure, Status};
use crate::text::count;
use crate::{diagnosis, json_needs_stdout, print};

/// The options of `tdpr export teleport`.
pub struct ExportFlags {
    /// A part ends once its gzip body reaches this many bytes.
    pub part_size: u64,
    /// Leave out what Teleport cannot carry instead of stopping.
    pub allow_loss: bool,
    /// Print the report as JSON.
    pub json: bool,
}

/// What `tdpr export teleport --json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExportReport {
    /// The tdpr recording, as named on the command line.
    pub input: String,
    /// The Teleport recording written, as named on the command line.
    pub output: String,
    /// Teleport events written (the start, recordings, other events).
    pub records: u64,
    /// Parts written.
    pub parts: u64,
    /// Frames carried, each in one `DesktopRecording` or, when split, in
    /// several.
    pub frames: u64,
    /// Frames too large for one Teleport event, carried as several: PNG
    /// tiles, or one fast-path PDU per update (spec/conversion.md §4.4).
    pub frames_split: u64,
    /// `DesktopRecording` events those split frames became.
    pub split_events: u64,
    /// tdpr events written as Teleport events.
    pub events: u64,
    /// Whether the start event is the one imported from Teleport (false:
    /// built from the metadata).
    pub start_kept: bool,
    /// Frames whose time was not a whole millisecond (Teleport's delays are
    /// milliseconds; the remainder was dropped).
    pub times_rounded: u64,
    /// Client screen specs added so that Teleport sees every screen size.
    pub screen_specs_added: u64,
    /// Frames Teleport cannot carry, left out (only with `--allow-loss`).
    pub frames_left_out: u64,
    /// Events Teleport has no event for, left out (only with
    /// `--allow-loss`).
    pub events_left_out: u64,
}

pub fn run(input_path: &Path, output_path: &Path, flags: &ExportFlags) -> CommandResult {
    json_needs_stdout(output_path, flags.json)?;
    let input = Input::new(input_path)?;
    let output = Output::create(output_path, &[&input])?;
    let target = output.target();
    let file = input.recording()?;
    let recording = file
        .recording()
        .map_err(|e| diagnosis::unreadable(&input, file.bytes(), &e, Some(&target)))?;
    let mut options = ExportOptions::default();
    options.part_size = flags.part_size;
    options.allow_loss = flags.allow_loss;
    let (output, report) = match tdpr::teleport::export(&recording, output, &options) {
        Ok(done) => done,
        Err(e) if e.class() == ErrorClass::InvalidInput => {
            return Err(Failure::InvalidInput(format!(
                "cannot export {}: {e}; {} (`--allow-loss` exports without what \
                 Teleport cannot carry)",
                input.name(),
                target.unchanged()
            )))
        }
        Err(tdpr::Error::Io(e)) => return Err(target.write_failure(&e)),
        Err(fault) => {
            return Err(Failure::InvalidInput(format!(
                "cannot export {}: {fault}{}; {}",
                input.name(),
                diagnosis::advice(&input, file.bytes(), &fault),
                target.unchanged()
            )))
        }
    };
    output.commit()?;
    let report = ExportReport {
        input: input_path.display().to_string(),
        output: output_path.display().to_string(),
        records: report.records,
        parts: report.parts,
        frames: report.frames,
        frames_split: report.frames_split,
        split_events: report.split_events,
        events: report.events,
        start_kept: report.start_kept,
        times_rounded: report.times_rounded,
        screen_specs_added: report.screen_specs_added,
        frames_left_out: report.frames_left_out,
        events_left_out: report.events_without_equivalent,
    };
    if flags.json {
        print::out(&(serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"))?;
    } else {
        print::err(&describe(&report, &target.name));
    }
    Ok(Status::Success)
}

/// The report in words.
fn describe(report: &ExportReport, output: &str) -> String {
    let mut text = format!(
        "exported {} ({}) into {output}: {}, {}, start event {}\n",
        count(report.records, "Teleport event", "Teleport events"),
        count(report.parts, "part", "parts"),
        count(report.frames, "TDP message", "TDP messages"),
        count(report.events, "event", "events"),
        if report.start_kept {
            "as imported"
        } else {
            "built from the metadata"
        }
    );
    if report.frames_split > 0 {
        text += &format!(
            "split {} too large for one Teleport event into {} (PNG tiles with the same \
             pixels, or one fast-path PDU per update)\n",
            count(report.frames_split, "frame", "frames"),
            count(report.split_events, "event", "events")
        );
    }
    if report.times_rounded > 0 {
        text += &format!(
            "{} not whole milliseconds, rounded down (Teleport's delays are milliseconds)\n",
            count(report.times_rounded, "frame time was", "frame times were")
        );
    }
    if report.screen_specs_added > 0 {
        text += &format!(
            "added {} where a screen size was not announced by a TDP message\n",
            count(
                report.screen_specs_added,
                "client screen spec",
                "client screen specs"
            )
        );
    }
    if report.frames_left_out + report.events_left_out > 0 {
        text += &format!(
            "left out, as --allow-loss allowed: {} Teleport cannot carry and {} Teleport has \
             no event for\n",
            count(report.frames_left_out, "frame", "frames"),
            count(report.events_left_out, "event", "events")
        );
    }
    text
}
