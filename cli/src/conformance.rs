//! `tdpr conformance --decoder CMD` (or `--encoder CMD`): run the
//! conformance suite against any decoder or encoder, in any language.
//!
//! The protocol is toml-test's: the runner feeds each recording of the suite
//! on the decoder's standard input; the decoder prints the canonical JSON of
//! spec/json.md and exits 0 when the recording is valid, non-zero otherwise.
//! A valid case passes when the exit status is 0 and the JSON equals the
//! expected JSON; an invalid case passes when the exit status is non-zero
//! and the JSON's `end` names the expected class and offset, and, when the
//! case also names an expected JSON, the JSON equals it. An encoder is
//! given the expected JSON of each valid, finished case and must write a
//! recording that the reference validates and decodes to the same JSON, up
//! to byte offsets (an encoder may compress differently). A verifier
//! (spec/signing.md) is given each signed case on standard input and the
//! path of the suite's public key as its last argument; it prints the
//! verdict as `tdpr verify --json` does and exits 0 exactly when the case is
//! verified, and the verdict must equal the expected one but for its
//! `message`s. One line per failure, then `N passed, N failed`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use globset::{Glob, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use wait_timeout::ChildExt;

use crate::status::{CommandResult, Failure, Status};
use crate::text::count;
use crate::{print, progress};

/// What `tdpr conformance --json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConformanceReport {
    /// `decoder` or `encoder`.
    pub role: String,
    /// The program's command line.
    pub command: String,
    /// Cases passed.
    pub passed: u64,
    /// Cases failed, known failures that passed included.
    pub failed: u64,
    /// Cases skipped: filtered out, or with nothing to encode.
    pub skipped: u64,
    /// Cases that failed as the known-failures list expects.
    pub known_failures: u64,
    /// Each failed case and why.
    pub failures: Vec<CaseFailure>,
}

/// A case that failed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CaseFailure {
    /// The case's id in the manifest.
    pub id: String,
    /// Why it failed.
    pub reason: String,
}

/// The program under test.
pub enum Program {
    /// Recording on standard input, canonical JSON on standard output.
    Decoder(String),
    /// Canonical JSON on standard input, recording on standard output.
    Encoder(String),
    /// Recording on standard input, public key path as the last argument,
    /// verdict JSON on standard output.
    Verifier(String),
}

/// What the user asked for.
pub struct Options {
    pub program: Program,
    pub suite: PathBuf,
    pub run: Vec<String>,
    pub skip: Vec<String>,
    pub known_failures: Option<PathBuf>,
    pub timeout: Duration,
    pub json: bool,
}

pub fn run(options: &Options) -> CommandResult {
    let report = run_cases(options).map_err(Failure::CannotRun)?;
    let text = if options.json {
        serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"
    } else {
        let mut text = String::new();
        for failure in &report.failures {
            let _ = writeln!(text, "FAIL {}: {}", failure.id, failure.reason);
        }
        if report.known_failures > 0 {
            let _ = writeln!(
                text,
                "{}",
                count(report.known_failures, "known failure", "known failures")
            );
        }
        let _ = write!(text, "{} passed, {} failed", report.passed, report.failed);
        if report.skipped > 0 {
            let _ = write!(text, ", {} skipped", report.skipped);
        }
        text + "\n"
    };
    print::out(&text)?;
    Ok(if report.failed == 0 {
        Status::Success
    } else {
        Status::Invalid
    })
}

fn run_cases(options: &Options) -> Result<ConformanceReport, String> {
    let manifest: Value = read_json(&options.suite.join("manifest.json"))?;
    let cases = manifest["cases"]
        .as_array()
        .ok_or("manifest.json has no cases")?;
    let run = globs(&options.run)?;
    let skip = globs(&options.skip)?;
    let known: BTreeSet<String> = match &options.known_failures {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
        None => BTreeSet::new(),
    };
    let (role, command) = match &options.program {
        Program::Decoder(command) => ("decoder", command),
        Program::Encoder(command) => ("encoder", command),
        Program::Verifier(command) => ("verifier", command),
    };
    let mut report = ConformanceReport {
        role: role.into(),
        command: command.clone(),
        passed: 0,
        failed: 0,
        skipped: 0,
        known_failures: 0,
        failures: Vec::new(),
    };
    let bar = progress::count(cases.len() as u64, "cases");
    for case in cases {
        bar.inc(1);
        let id = case["id"].as_str().ok_or("a case without an id")?;
        if (!options.run.is_empty() && !run.is_match(id)) || skip.is_match(id) {
            report.skipped += 1;
            continue;
        }
        let verdict = match &options.program {
            Program::Decoder(command) => check_decoder(command, options, case),
            Program::Encoder(command) => check_encoder(command, options, case),
            Program::Verifier(command) => check_verifier(command, options, case),
        };
        let Some(verdict) = verdict else {
            report.skipped += 1;
            continue;
        };
        let failure = match (verdict, known.contains(id)) {
            (Ok(()), false) => {
                report.passed += 1;
                continue;
            }
            (Err(_), true) => {
                report.known_failures += 1;
                continue;
            }
            (Ok(()), true) => {
                "passes but is listed as a known failure; remove it from the list".to_string()
            }
            (Err(why), false) => why,
        };
        report.failed += 1;
        report.failures.push(CaseFailure {
            id: id.to_string(),
            reason: failure,
        });
    }
    bar.finish_and_clear();
    Ok(report)
}

/// Runs the encoder on a valid, finished case's JSON; `None` for the other
/// cases, which have nothing to encode.
fn check_encoder(command: &str, options: &Options, case: &Value) -> Option<Result<(), String>> {
    if case["kind"] != "valid" {
        return None;
    }
    let expected = match read_json(&options.suite.join(case["expected"].as_str()?)) {
        Ok(expected) => expected,
        Err(e) => return Some(Err(e)),
    };
    if expected["end"]["state"] != "finished" {
        return None;
    }
    Some((|| {
        let input = serde_json::to_vec(&expected).map_err(|e| e.to_string())?;
        let (status, recording) = run_program(command, &input, options.timeout)?;
        if !status {
            return Err("the encoder exited non-zero".into());
        }
        let decoded = serde_json::to_value(tdpr::json::dump(&recording, tdpr::Limits::default()))
            .map_err(|e| e.to_string())?;
        match first_difference(&without_offsets(expected), &without_offsets(decoded), "") {
            Some(difference) => Err(format!("the recording decodes differently: {difference}")),
            None => Ok(()),
        }
    })())
}

/// The canonical JSON without the byte offsets that depend on record sizes.
fn without_offsets(mut value: Value) -> Value {
    for record in value["records"].as_array_mut().into_iter().flatten() {
        let record = record.as_object_mut().expect("records are objects");
        record.remove("offset");
        record.remove("index_offset");
        if let Some(index) = record.get_mut("index") {
            for table in ["seek", "events"] {
                for entry in index[table].as_array_mut().into_iter().flatten() {
                    entry
                        .as_object_mut()
                        .expect("entries are objects")
                        .remove("offset");
                }
            }
        }
    }
    value
}

/// Runs the verifier on a signed case; `None` for the other cases.
fn check_verifier(command: &str, options: &Options, case: &Value) -> Option<Result<(), String>> {
    if case["kind"] != "signed" {
        return None;
    }
    Some((|| {
        let file = options.suite.join(case["file"].as_str().ok_or("no file")?);
        let input =
            std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let key = options
            .suite
            .join(case["pubkey"].as_str().ok_or("no pubkey")?);
        let key = key.to_str().ok_or("the key's path is not UTF-8")?;
        let command = format!("{command} '{}'", key.replace('\'', "'\\''"));
        let (status, stdout) = run_program(&command, &input, options.timeout)?;
        let output: Value = serde_json::from_slice(&stdout)
            .map_err(|e| format!("the verifier's output is not JSON: {e}"))?;
        let verified = case["verified"] == true;
        if status != verified {
            return Err(format!(
                "exit status {} for a case that is {}verified",
                if status { "0" } else { "non-zero" },
                if verified { "" } else { "not " }
            ));
        }
        let expected = read_json(
            &options
                .suite
                .join(case["expected"].as_str().ok_or("no expected")?),
        )?;
        first_difference(&without_messages(expected), &without_messages(output), "")
            .map_or(Ok(()), Err)
    })())
}

/// A verdict without its `message`s, whose words are each verifier's own.
fn without_messages(mut verdict: Value) -> Value {
    if let Some(found) = verdict.get_mut("break").and_then(Value::as_object_mut) {
        found.remove("message");
    }
    verdict
}

/// Runs the decoder on one case; `Err` says why it failed, `None` when the
/// case is not a decoder's (the signed ones).
fn check_decoder(command: &str, options: &Options, case: &Value) -> Option<Result<(), String>> {
    if case["kind"] == "signed" {
        return None;
    }
    Some(decode_case(command, options, case))
}

fn decode_case(command: &str, options: &Options, case: &Value) -> Result<(), String> {
    let file = options.suite.join(case["file"].as_str().ok_or("no file")?);
    let input = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let (status, stdout) = run_program(command, &input, options.timeout)?;
    let output: Value = serde_json::from_slice(&stdout)
        .map_err(|e| format!("the decoder's output is not JSON: {e}"))?;
    match case["kind"].as_str() {
        Some("valid" | "truncated") => {
            let expected = read_json(
                &options
                    .suite
                    .join(case["expected"].as_str().ok_or("no expected")?),
            )?;
            let finished = expected["end"]["state"] == "finished";
            if status != finished {
                return Err(format!(
                    "exit status {} for a recording whose end is {}",
                    if status { "0" } else { "non-zero" },
                    expected["end"]
                ));
            }
            match first_difference(&expected, &output, "") {
                Some(difference) => Err(difference),
                None => Ok(()),
            }
        }
        Some("invalid") => {
            let end = &output["end"];
            let class = end["class"]
                .as_str()
                .or(end["state"].as_str())
                .unwrap_or("");
            let (want_class, want_offset) = (&case["class"], &case["offset"]);
            if status {
                Err("exit status 0 for an invalid recording".into())
            } else if class != want_class || end["offset"] != *want_offset {
                Err(format!(
                    "expected {} at offset {want_offset}, got {class} at offset {}",
                    want_class.as_str().unwrap_or(""),
                    end["offset"]
                ))
            } else if let Some(expected) = case["expected"].as_str() {
                let expected = read_json(&options.suite.join(expected))?;
                first_difference(&expected, &output, "").map_or(Ok(()), Err)
            } else {
                Ok(())
            }
        }
        other => Err(format!("unknown case kind {other:?}")),
    }
}

/// Runs `command` through the shell with `input` on standard input; true when
/// it exited 0, and what it printed.
fn run_program(command: &str, input: &[u8], timeout: Duration) -> Result<(bool, Vec<u8>), String> {
    let mut child = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {command}: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // A decoder may stop reading early; that is its business.
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).map(|_| out)
    });
    let status = match child.wait_timeout(timeout).map_err(|e| e.to_string())? {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("timed out after {} s", timeout.as_secs()));
        }
    };
    let _ = writer.join();
    let out = reader
        .join()
        .map_err(|_| "reading the program's output failed".to_string())?
        .map_err(|e| e.to_string())?;
    Ok((status.success(), out))
}

/// The path and values of the first place where `output` differs from
/// `expected`.
fn first_difference(expected: &Value, output: &Value, path: &str) -> Option<String> {
    match (expected, output) {
        (Value::Object(e), Value::Object(o)) => {
            let keys: BTreeSet<&String> = e.keys().chain(o.keys()).collect();
            keys.into_iter().find_map(|k| match (e.get(k), o.get(k)) {
                (Some(x), Some(y)) => first_difference(x, y, &format!("{path}.{k}")),
                (Some(_), None) => Some(format!("{path}.{k} is missing")),
                (None, _) => Some(format!("{path}.{k} is not expected")),
            })
        }
        (Value::Array(e), Value::Array(o)) if e.len() == o.len() => e
            .iter()
            .zip(o)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
        (Value::Array(e), Value::Array(o)) => Some(format!(
            "{path} has {} elements, {} expected",
            o.len(),
            e.len()
        )),
        _ if expected == output => None,
        _ => Some(format!("{path} is {output}, {expected} expected")),
    }
}

fn globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(Glob::new(pattern).map_err(|e| format!("bad pattern {pattern}: {e}"))?);
    }
    builder.build().map_err(|e| e.to_string())
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}
