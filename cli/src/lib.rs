//! `tdpr`: inspect, validate, recover and produce tdpr recordings.
//!
//! The command line of the tdpr format. A library as well as a binary, so
//! that its tests and the JSON Schemas of its reports can reach its types;
//! `src/main.rs` only calls [`main`].

mod conformance;
mod dump;
mod encode;
mod info;
mod keyframes;
mod output;
mod recover;
mod rendering;
mod sample;
mod serve;
mod snapshot;
pub mod summary;
mod synth;
mod tdp;
mod teleport;
mod thumbnails;
mod time_arg;
mod validate;
mod video;

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
        /// What the user does: office, video or idle (PNG tiles); or the
        /// screen updates of a test scene coded as remotefx, qoiz or bitmap
        /// (RDP fast-path, 640 × 400, 10 frames a second).
        #[arg(long, default_value = "office")]
        profile: synth::SynthProfile,
        /// Store every payload uncompressed.
        #[arg(long)]
        no_compression: bool,
    },
    /// Describe a recording: session, duration, records, events.
    Info {
        /// The recording.
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
        /// The recording.
        file: PathBuf,
    },
    /// Read a recording's canonical JSON on standard input and write the
    /// recording to standard output.
    Encode,
    /// Check every byte of a recording; exit 0 when valid, 1 when not.
    Validate {
        /// The recording.
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
    /// Draw the screen at a time as a PNG image (from the nearest keyframe).
    Snapshot {
        /// The recording.
        file: PathBuf,
        /// The time: a clock (1:23.5, 1:02:03), seconds (83.5) or a
        /// duration (1m23s) since the session start.
        #[arg(long, value_parser = time_arg::parse_time)]
        at: u64,
        /// Where to write the PNG image.
        #[arg(short, long)]
        output: PathBuf,
        /// Leave the mouse pointer out.
        #[arg(long)]
        no_pointer: bool,
    },
    /// Draw the screen at regular times, scaled down, as PNG images in a
    /// directory (named by time: 00-01-00.000.png), for a timeline.
    Thumbnails {
        /// The recording.
        file: PathBuf,
        /// Time between two thumbnails (e.g. 10s, 1m).
        #[arg(long, default_value = "1m", value_parser = time_arg::parse_duration)]
        every: u64,
        /// Width of each thumbnail in pixels (never enlarged).
        #[arg(long, default_value_t = 320)]
        width: u32,
        /// The directory to write them to (created when missing).
        #[arg(short, long)]
        output: PathBuf,
        /// Leave the mouse pointer out.
        #[arg(long)]
        no_pointer: bool,
    },
    /// Rewrite a recording with full-screen keyframes at an interval and
    /// after every resize, and a new index; every original record is kept
    /// byte for byte.
    Keyframes {
        /// The recording.
        input: PathBuf,
        /// Where to write the recording with keyframes (not the input).
        output: PathBuf,
        /// Time between two keyframes (e.g. 10s, 1m).
        #[arg(long, default_value = "10s", value_parser = time_arg::parse_duration)]
        every: u64,
    },
    /// Write a complete recording made of the good records of a cut-off or
    /// damaged one.
    Recover {
        /// The damaged recording.
        input: PathBuf,
        /// Where to write the recovered recording (not the input).
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
        /// The Teleport recording; `-` reads standard input.
        input: PathBuf,
        /// Where to write the tdpr recording.
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A video of the recording: an animated PNG (OUT ending in .apng or
    /// .png), or MP4 or WebM (.mp4, .webm) made by ffmpeg, which must be on
    /// the PATH.
    Video {
        /// The tdpr recording.
        input: PathBuf,
        /// Where to write the video; its extension says the format.
        output: PathBuf,
        /// Recording time of the first frame (1:23.5, 83.5 or 1m23s).
        #[arg(long, default_value = "0", value_parser = time_arg::parse_time)]
        from: u64,
        /// Recording time of the end (the recording's end by default).
        #[arg(long, value_parser = time_arg::parse_time)]
        to: Option<u64>,
        /// Recording seconds per video second.
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// Idle gaps longer than this are shortened to it.
        #[arg(long, default_value = "2s", value_parser = time_arg::parse_duration)]
        idle_limit: u64,
        /// Keep idle gaps whole (no --idle-limit).
        #[arg(long, conflicts_with = "idle_limit")]
        keep_idle: bool,
        /// Frames per video second.
        #[arg(long, default_value_t = 10)]
        fps: u32,
        /// Leave the mouse pointer out.
        #[arg(long)]
        no_pointer: bool,
    },
    /// A Teleport desktop session recording that Teleport's reader accepts.
    Teleport {
        /// The tdpr recording.
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
        Command::Snapshot {
            file,
            at,
            output,
            no_pointer,
        } => snapshot::run(&file, at, &output, !no_pointer),
        Command::Thumbnails {
            file,
            every,
            width,
            output,
            no_pointer,
        } => thumbnails::run(&file, every, width, &output, !no_pointer),
        Command::Keyframes {
            input,
            output,
            every,
        } => keyframes::run(&input, &output, every),
        Command::Play { target, port } => serve::play(&target, port),
        Command::Serve { dir, port } => serve::serve(&dir, port),
        Command::Import(ImportCommand::Teleport { input, output }) => {
            teleport::import(&input, &output)
        }
        Command::Export(ExportCommand::Video {
            input,
            output,
            from,
            to,
            speed,
            idle_limit,
            keep_idle,
            fps,
            no_pointer,
        }) => video::run(
            &input,
            &output,
            &tdpr_render::VideoOptions {
                from_us: from,
                to_us: to,
                speed,
                idle_limit_us: (!keep_idle).then_some(idle_limit),
                fps,
                with_pointer: !no_pointer,
            },
        ),
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
