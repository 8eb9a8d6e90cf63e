//! `tdpr`: inspect, validate, recover and produce tdpr recordings.
//!
//! The command line of the tdpr format. A library as well as a binary, so
//! that its tests and the JSON Schemas of its reports can reach its types;
//! `src/main.rs` only calls [`main`].

mod conformance;
mod dump;
mod encode;
mod info;
mod recover;
pub mod remote;
mod sample;
mod serve;
pub mod summary;
mod synth;
mod tdp;
mod teleport;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tools for tdpr recordings of Teleport Desktop Protocol sessions.
#[derive(Parser)]
#[command(name = "tdpr", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the built-in sample session (a short desktop recording) to OUT.
    Sample {
        /// Where to write the recording.
        out: PathBuf,
        /// Store every payload uncompressed.
        #[arg(long)]
        no_compression: bool,
    },
    /// Write a synthetic desktop session (the benchmarks' corpus) to OUT.
    Synth {
        /// Where to write the recording.
        out: PathBuf,
        /// Length of the session (e.g. 90s, 10m, 2h).
        #[arg(long, default_value = "10m", value_parser = humantime::parse_duration)]
        duration: std::time::Duration,
        /// Seed of the pseudo-random choices: the same seed gives the same bytes.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// What the user does: office, video or idle.
        #[arg(long, default_value_t = tdpr_synth::Profile::Office)]
        profile: tdpr_synth::Profile,
        /// Store every payload uncompressed.
        #[arg(long)]
        no_compression: bool,
    },
    /// Describe a recording: session, duration, records, events.
    Info {
        /// The recording: a path, or a URL (s3://, gs://, az://, https://),
        /// of which only the header, metadata and index are read.
        file: PathBuf,
        /// Print the description as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run the conformance suite against a decoder: each recording goes to
    /// CMD's standard input; CMD prints the canonical JSON and exits 0 when
    /// the recording is valid.
    Conformance {
        /// The decoder's command line, run through `sh -c`.
        #[arg(long, required_unless_present = "encoder")]
        decoder: Option<String>,
        /// An encoder's command line: it reads canonical JSON on standard
        /// input and writes the recording to standard output.
        #[arg(long, conflicts_with = "decoder")]
        encoder: Option<String>,
        /// The suite's folder (holding manifest.json).
        #[arg(long, default_value = "conformance")]
        suite: PathBuf,
        /// Run only the cases whose id matches one of these globs.
        #[arg(long)]
        run: Vec<String>,
        /// Skip the cases whose id matches one of these globs.
        #[arg(long)]
        skip: Vec<String>,
        /// A file listing the ids of cases expected to fail, one a line.
        #[arg(long)]
        known_failures: Option<PathBuf>,
        /// Seconds a decoder may take on one case.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
    },
    /// Print everything a reader decodes from a recording as canonical JSON
    /// (spec/json.md).
    Dump {
        /// The recording: a path, `-` for standard input, or a URL (s3://,
        /// gs://, az://, https://).
        file: PathBuf,
    },
    /// Read a recording's canonical JSON on standard input and write the
    /// recording to standard output.
    Encode,
    /// Check every byte of a recording; exit 0 when valid, 1 when not.
    Validate {
        /// The recording: a path or a URL (s3://, gs://, az://, https://).
        file: PathBuf,
    },
    /// Convert another system's recording into a tdpr recording.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Convert a tdpr recording into another system's format.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Decode or encode one TDP message (hex <-> JSON).
    #[command(subcommand)]
    Tdp(TdpCommand),
    /// Watch a recording in a browser: serve the player and FILE (or the
    /// recordings of a directory) on 127.0.0.1, print the URL to open, and
    /// serve until interrupted (Ctrl-C).
    Play {
        /// The recording, or a directory of recordings.
        target: PathBuf,
        /// The port to listen on; 0 takes a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Serve the player and a directory's recordings on 127.0.0.1, with a
    /// page that lists them; print its URL and serve until interrupted (Ctrl-C).
    Serve {
        /// The directory of recordings (`.tdpr` files).
        dir: PathBuf,
        /// The port to listen on; 0 takes a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Write a complete recording made of the good records of a cut-off or
    /// damaged one.
    Recover {
        /// The damaged recording: a path, or a URL; the upload of a recorder
        /// that died is completed first from its journal (`KEY.upload.json`).
        input: PathBuf,
        /// Where to write the recovered recording (not the input): a path
        /// or a URL.
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A Teleport desktop session recording (its `<session-id>.tar`, the
    /// protostream of gzip'd audit events). Exit 0 when the whole input was
    /// read, 1 when it stopped at a fault (OUT then holds every event before
    /// it), 2 when nothing could be done.
    Teleport {
        /// The Teleport recording; `-` reads standard input; a URL reads an
        /// object (s3://, gs://, az://, https://).
        input: PathBuf,
        /// Where to write the tdpr recording.
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A Teleport desktop session recording that Teleport's reader accepts.
    Teleport {
        /// The tdpr recording: a path or a URL.
        input: PathBuf,
        /// Where to write the Teleport recording.
        output: PathBuf,
        /// A part ends once its gzip body reaches this many bytes (Teleport's
        /// uploader: 5 MiB).
        #[arg(long, default_value_t = tdpr::teleport::DEFAULT_PART_SIZE)]
        part_size: u64,
    },
}

#[derive(Subcommand)]
enum TdpCommand {
    /// Print one TDP message, given in hex, as JSON.
    Decode {
        /// The message's bytes in hex; `-` or nothing reads them from standard input.
        hex: Option<String>,
    },
    /// Read one TDP message's JSON on standard input and print its bytes in hex.
    Encode,
}

/// Runs the command line and returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sample {
            out,
            no_compression,
        } => sample::run(&out, no_compression),
        Command::Synth {
            out,
            duration,
            seed,
            profile,
            no_compression,
        } => synth::run(&out, duration, seed, profile, no_compression),
        Command::Info { file, json } => info::run(&file, json),
        Command::Dump { file } => dump::run(&file),
        Command::Encode => encode::run(),
        Command::Conformance {
            decoder,
            encoder,
            suite,
            run,
            skip,
            known_failures,
            timeout,
        } => conformance::run(&conformance::Options {
            program: match (decoder, encoder) {
                (_, Some(encoder)) => conformance::Program::Encoder(encoder),
                (decoder, None) => conformance::Program::Decoder(decoder.unwrap_or_default()),
            },
            suite,
            run,
            skip,
            known_failures,
            timeout: std::time::Duration::from_secs(timeout),
        }),
        Command::Validate { file } => validate::run(&file),
        Command::Recover { input, output } => recover::run(&input, &output),
        Command::Play { target, port } => serve::play(&target, port),
        Command::Serve { dir, port } => serve::serve(&dir, port),
        Command::Import(ImportCommand::Teleport { input, output }) => {
            teleport::import(&input, &output)
        }
        Command::Export(ExportCommand::Teleport {
            input,
            output,
            part_size,
        }) => teleport::export(&input, &output, part_size),
        Command::Tdp(TdpCommand::Decode { hex }) => tdp::decode(hex),
        Command::Tdp(TdpCommand::Encode) => tdp::encode(),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("tdpr: {message}");
            ExitCode::from(2)
        }
    }
}

/// The error of a command that could not run: a message for standard error.
pub type CommandResult = Result<ExitCode, String>;

/// Whether two paths name the same existing file.
pub fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Formats microseconds as `H:MM:SS.mmm`.
pub fn clock(us: u64) -> String {
    let ms = us / 1_000;
    format!(
        "{}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1_000 % 60,
        ms % 1_000
    )
}
