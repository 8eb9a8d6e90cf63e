//! `tdpr`: inspect, validate, recover and produce tdpr recordings.
//!
//! The command line of the tdpr format. A library as well as a binary, so
//! that its tests and the JSON Schemas of its reports can reach its types
//! ([`reports`]); `src/main.rs` only calls [`main`].
//!
//! A command is a module with a `run` function that returns a
//! [`status::CommandResult`]. What every command shares, and what a new
//! command should use:
//!
//! - [`input::Input`] opens what it reads (`-` is standard input; a URL is
//!   an object in a bucket or on a web server; a directory or a missing
//!   file is a clear error);
//! - [`output::Output`] writes what it produces: beside the destination,
//!   renamed into place only once complete, never over an input;
//! - [`print`] writes to standard output and error without panicking (a
//!   closed pipe ends quietly);
//! - [`status`] defines the exit statuses; [`interrupt`] what SIGINT and
//!   SIGTERM do; [`progress`] the bars shown on a terminal;
//! - [`file_kind`] says what a wrong input looks like; [`text`] writes
//!   counts and times for people.

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod clip;
mod conformance;
mod diagnosis;
mod dump;
mod duration;
mod encode;
mod export_teleport;
pub mod file_kind;
mod import_teleport;
mod info;
mod info_index;
pub mod input;
pub mod interrupt;
mod keyframes;
mod keygen;
pub mod output;
pub mod print;
pub mod progress;
mod recompress;
mod recover;
mod rendering;
pub mod reports;
mod sample;
mod serve;
mod sign;
mod snapshot;
pub mod status;
pub mod summary;
mod synth;
mod tdp;
pub mod text;
mod thumbnails;
mod time_arg;
mod validate;
pub mod verify;
mod video;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use status::{CommandResult, Failure};

/// Tools for tdpr recordings of Teleport Desktop Protocol sessions.
#[derive(Parser)]
#[command(name = "tdpr", version, about, after_help = status::EXIT_STATUS_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the built-in sample session (a short desktop recording) to OUT.
    Sample {
        /// Where to write the recording (`-`: standard output).
        out: PathBuf,
        /// Store every payload uncompressed.
        #[arg(long)]
        no_compression: bool,
    },
    /// Write a synthetic desktop session (the benchmarks' corpus) to OUT.
    ///
    /// Interrupted (SIGINT, SIGTERM), it leaves nothing behind: a session
    /// cut short is not the one asked for, and the same options write it
    /// again byte for byte.
    Synth {
        /// Where to write the recording (`-`: standard output).
        out: PathBuf,
        /// Length of the session: a number and a unit, ms, s, m (minutes),
        /// h or d, e.g. 90s, 10m, 1h30m. `M` (months) is refused.
        #[arg(long, default_value = "10m", value_parser = duration::parse)]
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
        /// A keyframe after this many MiB of screen updates, besides one a
        /// minute, so that a seek reads at most about that much after a
        /// keyframe (0: one a minute only). PNG-tile profiles.
        #[arg(long, default_value_t = 1)]
        keyframe_after_mib: u64,
    },
    /// Describe a recording: session, duration, records, TDP messages, events.
    ///
    /// One pass checks the recording as `tdpr validate` does (both levels),
    /// so its state and first fault are validate's. Exit 0 for a finished or
    /// unfinished recording, 1 for a damaged one.
    Info {
        /// The recording (`-`: standard input), or a URL (s3://, gs://,
        /// az://, http(s)://, file://), of which only the header, metadata
        /// and index are read, by range, and described (schema:
        /// spec/schema/info-index.json).
        file: PathBuf,
        /// Print the description as JSON (schema: spec/schema/info.json).
        #[arg(long)]
        json: bool,
    },
    /// Run the conformance suite against a decoder: each recording goes to
    /// CMD's standard input; CMD prints the canonical JSON and exits 0 when
    /// the recording is valid.
    Conformance {
        /// The decoder's command line, run through `sh -c`.
        #[arg(long, required_unless_present_any = ["encoder", "verifier"])]
        decoder: Option<String>,
        /// An encoder's command line: it reads canonical JSON on standard
        /// input and writes the recording to standard output.
        #[arg(long, conflicts_with_all = ["decoder", "verifier"])]
        encoder: Option<String>,
        /// A verifier's command line (spec/signing.md): it reads a signed
        /// recording on standard input, gets the public key's path as its
        /// last argument, prints the verdict JSON of `tdpr verify --json`
        /// and exits 0 when the recording is verified.
        #[arg(long, conflicts_with = "decoder")]
        verifier: Option<String>,
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
        /// Print the results as JSON (schema: spec/schema/conformance.json).
        #[arg(long)]
        json: bool,
    },
    /// Print everything a reader decodes from a recording as canonical JSON
    /// (spec/json.md).
    ///
    /// The JSON's `end` is the container level's verdict (what
    /// `tdpr validate --level container` says); exit 0 when it is
    /// `finished`, 1 otherwise.
    Dump {
        /// The recording (`-`: standard input; a URL: the object, streamed).
        file: PathBuf,
    },
    /// Read a recording's canonical JSON on standard input and write the
    /// recording to standard output.
    Encode,
    /// Check every byte of a recording; exit 0 when valid, 1 when not.
    ///
    /// By default both levels of spec/format.md section 10 are checked: the
    /// container (framing, checksums, payloads, order, index), then the TDP
    /// level (10.1: every frame holds exactly one TDP message), as the
    /// reference validator does: a frame no player can decode is a fault an
    /// auditor wants to hear about. `--level container` checks the container
    /// only, as `tdpr dump` and the conformance suite do.
    Validate {
        /// The recording (`-`: standard input; a URL: the object, streamed).
        file: PathBuf,
        /// How deep to check: `tdp` (container, then every TDP message) or
        /// `container`.
        #[arg(long, value_enum, default_value_t = summary::Level::Tdp)]
        level: summary::Level,
        /// Print the verdict as JSON (schema: spec/schema/validate.json).
        #[arg(long)]
        json: bool,
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
    /// Watch a recording in a browser: serve the player and FILE (or an
    /// object named by URL, read by range as the player asks, or the
    /// recordings of a directory) on 127.0.0.1, print the URL to open, and
    /// serve until interrupted (Ctrl-C).
    Play {
        /// The recording (a file, or s3://, gs://, az://, http(s):// URL), or
        /// a directory of recordings.
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
        /// The recording (a URL: the object, copied to a temporary file).
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
        /// The recording (a URL: the object, copied to a temporary file).
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
        /// The recording (a URL: the object, copied to a temporary file).
        input: PathBuf,
        /// Where to write the recording with keyframes (not the input).
        output: PathBuf,
        /// Time between two keyframes (e.g. 10s, 1m).
        #[arg(long, default_value = "10s", value_parser = time_arg::parse_duration)]
        every: u64,
    },
    /// Write a complete recording made of the good records of a cut-off or
    /// damaged one.
    ///
    /// Exit 0 when OUTPUT was written (standard error says what was dropped),
    /// 1 when INPUT holds nothing to recover (not even a header and
    /// metadata). Interrupted, it leaves nothing behind: the input is still
    /// there to recover again.
    Recover {
        /// The damaged recording (`-`: standard input; a URL: the object,
        /// copied to a temporary file).
        input: PathBuf,
        /// Where to write the recovered recording (`-`: standard output);
        /// never the input, nor a link to it.
        output: PathBuf,
        /// Print what was recovered as JSON (schema: spec/schema/recover.json).
        #[arg(long)]
        json: bool,
    },
    /// Make an Ed25519 key pair for signing recordings: the secret key in
    /// OUT (PKCS#8 PEM), the public key in OUT.pub (SubjectPublicKeyInfo PEM).
    Keygen {
        /// Where to write the secret key.
        out: PathBuf,
        /// Write both keys as their 32 bytes in base64 instead of PEM.
        #[arg(long)]
        raw: bool,
    },
    /// Sign a recording: write it again with signed checkpoints
    /// (spec/signing.md).
    Sign {
        /// The recording (valid and finished; a URL: the object, copied to a
        /// temporary file).
        input: PathBuf,
        /// Where to write the signed recording (not the input).
        output: PathBuf,
        /// The secret key (PKCS#8 PEM or 32 bytes in base64).
        #[arg(long)]
        key: PathBuf,
        /// Recording time between checkpoints.
        #[arg(long, default_value = "10s", value_parser = humantime::parse_duration)]
        interval: std::time::Duration,
        /// Drop the signatures the recording has already.
        #[arg(long)]
        replace: bool,
    },
    /// Check a signed recording or excerpt: verified up to which time and
    /// record, finished or not, and the first break. Exit 0 when verified
    /// whole, 1 when not.
    Verify {
        /// The recording or excerpt; `-` reads standard input; a URL the
        /// object, copied to a temporary file.
        file: PathBuf,
        /// The signer's public key (PEM or 32 bytes in base64).
        #[arg(long)]
        pubkey: PathBuf,
        /// Print the verdict as JSON (spec/schema/verify.json).
        #[arg(long)]
        json: bool,
    },
    /// Cut the records from one time to another out of a signed recording,
    /// as a recording of its own that proves it comes from the original.
    Clip {
        /// The signed recording (a URL: the object, copied to a temporary
        /// file).
        file: PathBuf,
        /// Start of the range (e.g. 1m30s), from the session start.
        #[arg(long, value_parser = humantime::parse_duration)]
        from: std::time::Duration,
        /// End of the range, from the session start.
        #[arg(long, value_parser = humantime::parse_duration)]
        to: std::time::Duration,
        /// Where to write the excerpt (not the input).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Write a valid recording again with its frames compressed as the
    /// writer compresses them by default, or stored: the same records,
    /// frames and times, only flags and offsets differ.
    Recompress {
        /// The recording (a URL: the object, copied to a temporary file).
        input: PathBuf,
        /// Where to write it (not the input; replaced only once complete).
        output: PathBuf,
        /// Store every frame payload uncompressed instead.
        #[arg(long, conflicts_with = "level")]
        store: bool,
        /// DEFLATE level, 1 (fastest) to 9 (smallest).
        #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=9))]
        level: u32,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A Teleport desktop session recording (its `<session-id>.tar`, the
    /// protostream of gzip'd audit events).
    ///
    /// Exit 0 when the whole input was read; 1 when it stopped at a fault
    /// (OUTPUT then holds every event before it), or when the input holds
    /// nothing to import (empty, encrypted, not a Teleport recording: no
    /// OUTPUT is written). Interrupted once (SIGINT, SIGTERM), it stops
    /// reading and finishes OUTPUT with every event read so far, since its
    /// input may be a stream that cannot be read again; interrupted twice,
    /// it leaves nothing.
    Teleport {
        /// The Teleport recording (`-`: standard input; a URL: the object,
        /// streamed).
        input: PathBuf,
        /// Where to write the tdpr recording (`-`: standard output).
        output: PathBuf,
        /// Print what was imported as JSON (schema: spec/schema/import.json).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// A video of the recording: an animated PNG (OUT ending in .apng or
    /// .png), or MP4 or WebM (.mp4, .webm) made by ffmpeg, which must be on
    /// the PATH.
    Video {
        /// The tdpr recording (a URL: the object, copied to a temporary
        /// file).
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
    ///
    /// Every frame is kept: a PNG frame too large for one Teleport event
    /// (64 KiB) is cut into smaller PNG tiles with the same pixels, a message
    /// of several RDP fast-path PDUs into one PDU per update
    /// (spec/conversion.md §4.4). A frame that cannot be cut, or an event
    /// Teleport has no event for (a marker), stops the export (exit 1, no
    /// OUTPUT) unless `--allow-loss` is given. Interrupted, it leaves
    /// nothing behind.
    Teleport {
        /// The tdpr recording (`-`: standard input; a URL: the object,
        /// copied to a temporary file).
        input: PathBuf,
        /// Where to write the Teleport recording (`-`: standard output).
        output: PathBuf,
        /// A part ends once its gzip body reaches this many bytes (Teleport's
        /// uploader: 5 MiB).
        #[arg(long, default_value_t = tdpr::teleport::DEFAULT_PART_SIZE)]
        part_size: u64,
        /// Leave out, and count, the frames Teleport cannot carry instead of
        /// stopping.
        #[arg(long)]
        allow_loss: bool,
        /// Print what was exported as JSON (schema: spec/schema/export.json).
        #[arg(long)]
        json: bool,
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
    interrupt::install();
    match run(cli.command) {
        Ok(status) => status.exit_code(),
        Err(failure) => {
            if let Some(message) = failure.message() {
                print::err(&format!("tdpr: {message}\n"));
            }
            failure.exit_code()
        }
    }
}

fn run(command: Command) -> CommandResult {
    match command {
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
            keyframe_after_mib,
        } => synth::run(
            &out,
            duration,
            seed,
            profile,
            no_compression,
            keyframe_after_mib,
        ),
        Command::Info { file, json } => info::run(&file, json),
        Command::Dump { file } => dump::run(&file),
        Command::Encode => encode::run(),
        Command::Conformance {
            decoder,
            encoder,
            verifier,
            suite,
            run,
            skip,
            known_failures,
            timeout,
            json,
        } => conformance::run(&conformance::Options {
            program: match (decoder, encoder, verifier) {
                (_, Some(encoder), _) => conformance::Program::Encoder(encoder),
                (_, None, Some(verifier)) => conformance::Program::Verifier(verifier),
                (decoder, None, None) => conformance::Program::Decoder(decoder.unwrap_or_default()),
            },
            suite,
            run,
            skip,
            known_failures,
            timeout: std::time::Duration::from_secs(timeout),
            json,
        }),
        Command::Validate { file, level, json } => validate::run(&file, level, json),
        Command::Recover {
            input,
            output,
            json,
        } => recover::run(&input, &output, json),
        Command::Recompress {
            input,
            output,
            store,
            level,
        } => recompress::run(
            &input,
            &output,
            if store {
                tdpr::Compression::None
            } else {
                tdpr::Compression::deflate(level)
            },
        ),
        Command::Keygen { out, raw } => keygen::run(&out, raw),
        Command::Sign {
            input,
            output,
            key,
            interval,
            replace,
        } => sign::run(&input, &output, &key, interval, replace),
        Command::Verify { file, pubkey, json } => verify::run(&file, &pubkey, json),
        Command::Clip {
            file,
            from,
            to,
            output,
        } => clip::run(&file, from, to, &output),
        Command::Play { target, port } => serve::play(&target, port),
        Command::Serve { dir, port } => serve::serve(&dir, port),
        Command::Import(ImportCommand::Teleport {
            input,
            output,
            json,
        }) => import_teleport::run(&input, &output, json),
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
            allow_loss,
            json,
        }) => export_teleport::run(
            &input,
            &output,
            &export_teleport::ExportFlags {
                part_size,
                allow_loss,
                json,
            },
        ),
        Command::Tdp(TdpCommand::Decode { hex }) => tdp::decode(hex),
        Command::Tdp(TdpCommand::Encode) => tdp::encode(),
    }
}

/// Refuses `--json` when the command's output file is standard output:
/// the JSON would be mixed into it.
fn json_needs_stdout(output: &std::path::Path, json: bool) -> Result<(), Failure> {
    if json && output == std::path::Path::new(input::STDIO) {
        return Err(Failure::CannotRun(
            "--json prints on standard output, which the output `-` already takes: \
             name an output file"
                .into(),
        ));
    }
    Ok(())
}
