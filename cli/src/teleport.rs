//! `tdpr import teleport IN OUT` and `tdpr export teleport IN OUT`: Teleport's
//! own desktop session recordings in and out.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use tdpr::teleport::{DesktopKind, ExportOptions, ImportOptions};
use tdpr::Recording;

use crate::{clock, same_file, CommandResult};

/// Imports the Teleport recording `input` (`-`: standard input) into the
/// tdpr file `output`. Exit 0 when the whole input was read, 1 when it
/// stopped at a fault (the output then holds every event before it).
pub fn import(input: &Path, output: &Path) -> CommandResult {
    if same_file(input, output) {
        return Err("the output must not be the input".into());
    }
    let (source, len): (Box<dyn Read>, Option<u64>) = if input == Path::new("-") {
        (Box::new(io::stdin().lock()), None)
    } else if let Some(location) = crate::remote::location(input)? {
        let (size, reader) = crate::remote::open_stream(&location)?;
        (Box::new(reader), Some(size))
    } else {
        let file =
            File::open(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
        let len = file.metadata().ok().map(|m| m.len());
        (Box::new(file), len)
    };
    let progress = progress_bar(len);
    let source = progress.wrap_read(source);
    let file =
        File::create(output).map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    let (sink, report) =
        tdpr::teleport::import(source, BufWriter::new(file), &ImportOptions::default())
            .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    progress.finish_and_clear();
    finish_file(sink, output)?;
    if let (0, Some(fault)) = (report.records, &report.stopped) {
        // Nothing came out of the input: an empty recording would mislead.
        let _ = std::fs::remove_file(output);
        return Err(format!("cannot import {}: {fault}", input.display()));
    }

    let desktop = match report.desktop {
        Some(DesktopKind::Windows) => "a Windows desktop session",
        Some(DesktopKind::Linux) => "a Linux desktop session",
        None => "a session without a start event",
    };
    println!(
        "imported {desktop} into {}: {} TDP messages, {} events, {} screen sizes, {}",
        output.display(),
        report.frames,
        report.events,
        report.screen_sizes,
        clock(report.duration_us)
    );
    println!(
        "read {} records from {} parts; dropped {} duplicates; {} index gaps; {} delays raised to keep time order",
        report.records, report.parts, report.duplicates_dropped, report.index_gaps, report.delays_raised
    );
    if report.empty_recordings + report.unknown_events > 0 {
        println!(
            "skipped {} recordings without a message; kept {} events of unknown kinds",
            report.empty_recordings, report.unknown_events
        );
    }
    match report.stopped {
        Some(fault) => {
            println!("the input stopped early: {fault}");
            println!(
                "{} holds every complete event before that point",
                output.display()
            );
            Ok(ExitCode::from(1))
        }
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Exports the tdpr recording `input` as a Teleport recording `output`.
pub fn export(input: &Path, output: &Path, part_size: u64) -> CommandResult {
    if same_file(input, output) {
        return Err("the output must not be the input".into());
    }
    let mapped = crate::remote::open_file(input)?;
    let recording = Recording::parse(mapped.bytes())
        .map_err(|e| format!("{} is not a readable recording: {e}", input.display()))?;
    let file =
        File::create(output).map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    let mut options = ExportOptions::default();
    options.part_size = part_size;
    let (sink, report) = tdpr::teleport::export(&recording, BufWriter::new(file), &options)
        .map_err(|e| format!("cannot export {}: {e}", input.display()))?;
    finish_file(sink, output)?;
    println!(
        "exported {} Teleport events ({} parts) into {}: {} TDP messages, {} events, start event {}",
        report.records,
        report.parts,
        output.display(),
        report.frames,
        report.events,
        if report.start_kept { "as imported" } else { "built from the metadata" }
    );
    if report.times_rounded > 0 {
        println!(
            "{} frame times were not whole milliseconds and were rounded down",
            report.times_rounded
        );
    }
    if report.screen_specs_added > 0 {
        println!(
            "added {} client screen specs where a screen size was not announced by a TDP message",
            report.screen_specs_added
        );
    }
    if report.frames_too_large + report.events_without_equivalent > 0 {
        println!(
            "left out {} frames over Teleport's 64 KiB event limit and {} events Teleport has no event for",
            report.frames_too_large, report.events_without_equivalent
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on standard error when it is a terminal; hidden otherwise.
fn progress_bar(len: Option<u64>) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    match len {
        Some(len) => ProgressBar::new(len).with_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
                .expect("a valid template"),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}")
                .expect("a valid template"),
        ),
    }
}

fn finish_file(sink: BufWriter<File>, output: &Path) -> Result<(), String> {
    let mut sink = sink;
    sink.flush()
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    sink.into_inner()
        .map_err(|e| e.to_string())?
        .sync_all()
        .map_err(|e| format!("cannot write {}: {e}", output.display()))
}
