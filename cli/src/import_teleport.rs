//! `tdpr import teleport IN OUT [--json]`: a Teleport desktop session
//! recording into a tdpr recording (spec/conversion.md §3).
//!
//! Interrupted once, the import finishes OUT with every event read so far,
//! since its input may be a stream (a pipe, standard input) that cannot be
//! read again; interrupted twice, it leaves nothing (see
//! [`crate::interrupt`]).

use std::io::{self, Read};
use std::path::Path;

use schemars::JsonSchema;
use serde::Serialize;
use tdpr::teleport::{DesktopKind, ImportOptions, StreamError};

use crate::input::Input;
use crate::output::Output;
use crate::status::{CommandResult, Failure, Status};
use crate::text::{clock, count};
use crate::{file_kind, interrupt, json_needs_stdout, print, progress};

/// What `tdpr import teleport --json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImportReport {
    /// The Teleport recording, as named on the command line.
    pub input: String,
    /// The tdpr recording written, as named on the command line.
    pub output: String,
    /// `windows` or `linux`; `null` when the input had no session start.
    pub desktop: Option<String>,
    /// Records read from the Teleport stream, duplicates included.
    pub records: u64,
    /// Parts read, empty ones included.
    pub parts: u64,
    /// TDP messages written as frames.
    pub frames: u64,
    /// tdpr events written.
    pub events: u64,
    /// Screen-size records written.
    pub screen_sizes: u64,
    /// Events dropped because their index was not above the last one kept.
    pub duplicates_dropped: u64,
    /// Places where the index jumped by more than one.
    pub index_gaps: u64,
    /// Recordings whose delay was raised to keep time order.
    pub delays_raised: u64,
    /// Recordings without a TDP message, skipped.
    pub empty_recordings: u64,
    /// Events of kinds tdpr has no name for, kept as `unspecified`.
    pub unknown_events: u64,
    /// Time of the last record, microseconds from the session start.
    pub duration_us: u64,
    /// The fault that stopped the reading early; the output holds every
    /// complete event before it.
    pub stopped: Option<StreamFault>,
    /// Whether SIGINT or SIGTERM stopped the reading; the output holds
    /// every complete event read before.
    pub interrupted: bool,
}

/// A fault of a Teleport stream (spec/conversion.md §1).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StreamFault {
    /// The class: `truncated`, `unsupported_version`, `encrypted`, `gzip`,
    /// `record_length`, `protobuf` or `io`.
    pub class: String,
    /// The part, from 0.
    pub part: u64,
    /// Byte offset of the part's header in the input.
    pub part_offset: u64,
    /// For a fault in the records, the offset in the part's decompressed
    /// body where the faulty record starts.
    pub body_offset: Option<u64>,
    /// A human-readable description.
    pub message: String,
}

pub fn run(input_path: &Path, output_path: &Path, json: bool) -> CommandResult {
    json_needs_stdout(output_path, json)?;
    let input = Input::new(input_path)?;
    let output = Output::create(output_path, &[&input])?;
    let target = output.target();
    // At once: from here a signal must finish the output, not remove it.
    interrupt::finish_on_interrupt(target.name.clone());
    let (source, len) = input.reader()?;
    let bar = progress::bytes(len);
    let mut source = Head::new(Interruptible(bar.wrap_read(source)));
    let (output, report) = tdpr::teleport::import(&mut source, output, &ImportOptions::default())
        .map_err(|e| target.failure("cannot import", &e))?;
    bar.finish_and_clear();
    let interrupted = interrupt::interrupted();
    if report.records == 0 {
        // Nothing came out of the input: an empty recording would mislead.
        drop(output);
        let head = source.head.as_slice();
        let why = match (&report.stopped, interrupted) {
            (_, true) => "interrupted before a record was read".to_string(),
            (None, false) if head.is_empty() => "it is empty".to_string(),
            (Some(fault), false) => fault.to_string(),
            (None, false) => "it holds no record".to_string(),
        };
        let looks = Some(head)
            .filter(|head| !interrupted && !head.is_empty() && !file_kind::is_teleport_part(head))
            .and_then(file_kind::describe)
            .map(|looks| format!("; {looks}"))
            .unwrap_or_default();
        let message = format!(
            "cannot import {}: {why}{looks}; {}",
            input.name(),
            target.unchanged()
        );
        return match interrupted {
            true => {
                print::err(&format!("tdpr: {message}\n"));
                Ok(Status::Interrupted)
            }
            false => Err(Failure::InvalidInput(message)),
        };
    }
    output.commit()?;
    let stopped = report.stopped.as_ref().filter(|_| !interrupted);
    let summary = ImportReport {
        input: input_path.display().to_string(),
        output: output_path.display().to_string(),
        desktop: report.desktop.map(|kind| {
            match kind {
                DesktopKind::Windows => "windows",
                DesktopKind::Linux => "linux",
            }
            .to_string()
        }),
        records: report.records,
        parts: report.parts,
        frames: report.frames,
        events: report.events,
        screen_sizes: report.screen_sizes,
        duplicates_dropped: report.duplicates_dropped,
        index_gaps: report.index_gaps,
        delays_raised: report.delays_raised,
        empty_recordings: report.empty_recordings,
        unknown_events: report.unknown_events,
        duration_us: report.duration_us,
        stopped: stopped.map(StreamFault::of),
        interrupted,
    };
    if json {
        print::out(&(serde_json::to_string_pretty(&summary).expect("a report serializes") + "\n"))?;
    } else {
        print::err(&describe(&summary, &target.name));
    }
    if interrupted {
        print::err(&format!(
            "tdpr: interrupted: {} holds every complete event read before\n",
            target.name
        ));
        return Ok(Status::Interrupted);
    }
    if let Some(fault) = stopped {
        print::err(&format!(
            "tdpr: the input stopped early: {fault}\n{} holds every complete event before that point\n",
            target.name
        ));
        return Ok(Status::Invalid);
    }
    Ok(Status::Success)
}

/// The report in words.
fn describe(report: &ImportReport, output: &str) -> String {
    let desktop = match report.desktop.as_deref() {
        Some("windows") => "a Windows desktop session",
        Some(_) => "a Linux desktop session",
        None => "a session without a start event",
    };
    let mut text = format!(
        "imported {desktop} into {output}: {}, {}, {}, {}\n",
        count(report.frames, "TDP message", "TDP messages"),
        count(report.events, "event", "events"),
        count(report.screen_sizes, "screen size", "screen sizes"),
        clock(report.duration_us)
    );
    text += &format!(
        "read {} from {}; dropped {}; {}; {} raised to keep time order\n",
        count(report.records, "record", "records"),
        count(report.parts, "part", "parts"),
        count(report.duplicates_dropped, "duplicate", "duplicates"),
        count(report.index_gaps, "index gap", "index gaps"),
        count(report.delays_raised, "delay", "delays")
    );
    if report.empty_recordings + report.unknown_events > 0 {
        text += &format!(
            "skipped {} without a message; kept {} of unknown kinds\n",
            count(report.empty_recordings, "recording", "recordings"),
            count(report.unknown_events, "event", "events")
        );
    }
    text
}

impl StreamFault {
    fn of(fault: &StreamError) -> Self {
        StreamFault {
            class: fault.class.name().to_string(),
            part: fault.part,
            part_offset: fault.part_offset,
            body_offset: fault.body_offset,
            message: fault.to_string(),
        }
    }
}

/// A reader that fails once a signal asked the import to stop, so that the
/// importer ends as at a fault and finishes its output.
struct Interruptible<R>(R);

impl<R: Read> Read for Interruptible<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if interrupt::interrupted() {
            return Err(io::Error::other("interrupted by a signal"));
        }
        self.0.read(buf)
    }
}

/// A reader that keeps the first bytes it passes on, to say what the input
/// looks like when it is no Teleport recording.
struct Head<R> {
    inner: R,
    head: Vec<u8>,
}

impl<R> Head<R> {
    fn new(inner: R) -> Self {
        Head {
            inner,
            head: Vec::new(),
        }
    }
}

impl<R: Read> Read for Head<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let wanted = file_kind::SNIFF_LEN.saturating_sub(self.head.len()).min(n);
        self.head.extend_from_slice(&buf[..wanted]);
        Ok(n)
    }
}
