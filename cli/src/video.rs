//! `tdpr export video FILE OUT [--from T] [--to T] [--speed X]
//! [--idle-limit 2s] [--fps N]`: the recording as a video. An animated PNG
//! (`.png`, `.apng`) is encoded here; MP4 and WebM (`.mp4`, `.webm`) by
//! `ffmpeg`, found on the PATH, which reads raw RGBA frames on its standard
//! input, as Teleport's own exporter does.

use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use tdpr::Recording;
use tdpr_render::{export_apng, Undrawn, VideoFrames, VideoOptions};

use crate::output::Output;
use crate::rendering::{frames_bar, open, report_undrawn};
use crate::{clock, CommandResult};

/// The containers a video is written in, by the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Apng,
    Mp4,
    WebM,
}

impl Container {
    fn of(path: &Path) -> Result<Container, String> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("png" | "apng") => Ok(Container::Apng),
            Some("mp4") => Ok(Container::Mp4),
            Some("webm") => Ok(Container::WebM),
            _ => Err(format!(
                "{}: the extension says the format: .apng or .png (animated PNG), .mp4 or .webm (with ffmpeg)",
                path.display()
            )),
        }
    }

    /// ffmpeg's encoder options: widely playable H.264 or VP9, 4:2:0
    /// chroma (which needs even sides: an odd one gets a black pixel more).
    fn ffmpeg_codec(self) -> &'static [&'static str] {
        match self {
            Container::Apng => &[],
            Container::Mp4 => &[
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "23",
                "-movflags",
                "+faststart",
            ],
            Container::WebM => &[
                "-c:v",
                "libvpx-vp9",
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
                "-crf",
                "32",
                "-b:v",
                "0",
            ],
        }
    }
}

pub fn run(file: &Path, out: &Path, options: &VideoOptions) -> CommandResult {
    let container = Container::of(out)?;
    let mapped = open(file)?;
    let recording = mapped
        .recording()
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let mut output = Output::create(out, &[file])?;
    let (frames, size, undrawn) = match container {
        Container::Apng => apng(&recording, options, &mut output)?,
        Container::Mp4 | Container::WebM => ffmpeg(&recording, options, container, &output)?,
    };
    report_undrawn(&undrawn);
    let len = output.persist()?;
    println!(
        "wrote {frames} frames ({} × {}, {} a second: {} of video) to {} ({len} bytes)",
        size.0,
        size.1,
        options.fps,
        clock(frames * 1_000_000 / u64::from(options.fps)),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

type Written = (u64, (u32, u32), Undrawn);

fn apng(
    recording: &Recording<'_>,
    options: &VideoOptions,
    output: &mut Output,
) -> Result<Written, String> {
    let bar = frames_bar(0);
    let sink = BufWriter::new(output.file());
    let stats = export_apng(recording, options, sink, |done, all| {
        bar.set_length(all);
        bar.set_position(done);
    })
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    Ok((stats.frames, stats.size, stats.undrawn))
}

fn ffmpeg(
    recording: &Recording<'_>,
    options: &VideoOptions,
    container: Container,
    output: &Output,
) -> Result<Written, String> {
    let mut frames = VideoFrames::new(recording, options).map_err(|e| e.to_string())?;
    let (width, height) = (frames.width(), frames.height());
    let mut child = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(["-f", "rawvideo", "-pix_fmt", "rgba"])
        .args(["-s", &format!("{width}x{height}")])
        .args(["-framerate", &options.fps.to_string(), "-i", "-"])
        .args([
            "-vf",
            "pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-pix_fmt",
            "yuv420p",
        ])
        .args(container.ffmpeg_codec())
        .arg(output.temp_path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "ffmpeg is not on the PATH: MP4 and WebM need it \
                 (Debian: apt-get install ffmpeg); an animated PNG (.apng) needs no other program"
                .to_string(),
            _ => format!("cannot run ffmpeg: {e}"),
        })?;
    // Read ffmpeg's messages as they come, so that it never blocks on them.
    let mut messages = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = messages.read_to_string(&mut text);
        text
    });
    let mut stdin = BufWriter::new(child.stdin.take().expect("piped"));
    let bar = frames_bar(frames.count());
    let mut fed = Ok(());
    while let Some((_, pixels)) = frames.next_frame().map_err(|e| e.to_string())? {
        if let Err(e) = stdin.write_all(pixels) {
            fed = Err(e);
            break;
        }
        bar.inc(1);
    }
    let fed = fed.and_then(|()| stdin.flush());
    drop(stdin);
    bar.finish_and_clear();
    let status = child.wait().map_err(|e| format!("ffmpeg: {e}"))?;
    let messages = reader.join().unwrap_or_default();
    if !status.success() || fed.is_err() {
        return Err(format!("ffmpeg failed ({status}): {}", messages.trim()));
    }
    Ok((frames.count(), (width, height), frames.undrawn().clone()))
}
