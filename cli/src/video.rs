//! `tdpr export video FILE OUT [--from T] [--to T] [--speed X]
//! [--idle-limit 2s] [--fps N]`: the recording as a video. An animated PNG
//! (`.png`, `.apng`) is encoded here; MP4 and WebM (`.mp4`, `.webm`) by
//! `ffmpeg`, found on the PATH, which reads raw RGBA frames on its standard
//! input, as Teleport's own exporter does.

use std::io::{BufWriter, Read, Seek, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use tdpr::Recording;
use tdpr_render::{export_apng, RenderError, Undrawn, VideoFrames, VideoOptions};

use crate::input::Input;
use crate::interrupt;
use crate::output::{Output, Target};
use crate::print;
use crate::rendering::{frames_bar, render_failure, report_undrawn};
use crate::status::{CommandResult, Failure, Status};
use crate::text::clock;

/// The containers a video is written in, by the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Apng,
    Mp4,
    WebM,
}

impl Container {
    fn of(path: &Path) -> Result<Container, Failure> {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("png" | "apng") => Ok(Container::Apng),
            Some("mp4") => Ok(Container::Mp4),
            Some("webm") => Ok(Container::WebM),
            _ => Err(Failure::CannotRun(format!(
                "{}: the extension says the format: .apng or .png (animated PNG), .mp4 or .webm (with ffmpeg)",
                path.display()
            ))),
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
    let input = Input::new(file)?;
    let mut output = Output::create(out, &[&input])?;
    let target = output.target();
    let mapped = input.recording()?;
    let recording = mapped
        .recording()
        .map_err(|e| Failure::InvalidInput(format!("{}: {e}", input.name())))?;
    let (frames, size, undrawn) = match container {
        Container::Apng => apng(&input, &recording, options, &mut output)?,
        Container::Mp4 | Container::WebM => {
            ffmpeg(&input, &recording, options, container, out, &mut output)?
        }
    };
    report_undrawn(&undrawn);
    let len = output.commit()?;
    print::err(&format!(
        "wrote {frames} frames ({} × {}, {} a second: {} of video) to {} ({len} bytes)\n",
        size.0,
        size.1,
        options.fps,
        clock(frames * 1_000_000 / u64::from(options.fps)),
        target.name
    ));
    Ok(Status::Success)
}

type Written = (u64, (u32, u32), Undrawn);

fn apng(
    input: &Input,
    recording: &Recording<'_>,
    options: &VideoOptions,
    output: &mut Output,
) -> Result<Written, Failure> {
    let bar = frames_bar(0);
    let target = output.target();
    let stats = export_apng(recording, options, output, |done, all| {
        bar.set_length(all);
        bar.set_position(done);
    })
    .map_err(|e| match e {
        RenderError::Sink(e) => target.write_failure(&e),
        other => render_failure(input, &other),
    })?;
    bar.finish_and_clear();
    Ok((stats.frames, stats.size, stats.undrawn))
}

/// Runs ffmpeg, which writes a file of its own beside `destination` (MP4
/// needs a file it can seek in), then copies that file to `output`.
fn ffmpeg(
    input: &Input,
    recording: &Recording<'_>,
    options: &VideoOptions,
    container: Container,
    destination: &Path,
    output: &mut Output,
) -> Result<Written, Failure> {
    let target = output.target();
    let mut frames = VideoFrames::new(recording, options).map_err(|e| render_failure(input, &e))?;
    let (width, height) = (frames.width(), frames.height());
    let encoded = Scratch::beside(destination, &target)?;
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
        .arg(encoded.file.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Failure::CannotRun(
                "ffmpeg is not on the PATH: MP4 and WebM need it \
                 (Debian: apt-get install ffmpeg); an animated PNG (.apng) needs no other program"
                    .to_string(),
            ),
            _ => Failure::CannotRun(format!("cannot run ffmpeg: {e}")),
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
    let mut drawn = Ok(());
    loop {
        match frames.next_frame() {
            Ok(Some((_, pixels))) => {
                if let Err(e) = stdin.write_all(pixels) {
                    fed = Err(e);
                    break;
                }
                bar.inc(1);
            }
            Ok(None) => break,
            Err(e) => {
                drawn = Err(render_failure(input, &e));
                break;
            }
        }
    }
    let fed = fed.and_then(|()| stdin.flush());
    drop(stdin);
    bar.finish_and_clear();
    let status = child
        .wait()
        .map_err(|e| Failure::CannotRun(format!("ffmpeg: {e}")))?;
    let messages = reader.join().unwrap_or_default();
    drawn?;
    if !status.success() || fed.is_err() {
        return Err(Failure::CannotWrite(format!(
            "ffmpeg failed ({status}): {}; {}",
            messages.trim(),
            target.unchanged()
        )));
    }
    encoded.copy_to(output)?;
    Ok((frames.count(), (width, height), frames.undrawn().clone()))
}

/// The file ffmpeg writes: beside the destination (the same file system),
/// with its extension (ffmpeg chooses the container by it), removed when
/// dropped or on SIGINT and SIGTERM.
struct Scratch {
    file: tempfile::NamedTempFile,
    target: Target,
}

impl Scratch {
    fn beside(destination: &Path, target: &Target) -> Result<Scratch, Failure> {
        let directory = match destination.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let suffix = destination
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let mut registry = interrupt::registry();
        let file = tempfile::Builder::new()
            .prefix(&format!(".{name}.ffmpeg."))
            .suffix(&suffix)
            .tempfile_in(directory)
            .map_err(|e| target.write_failure(&e))?;
        registry.add(file.path().to_path_buf(), destination.to_path_buf());
        Ok(Scratch {
            file,
            target: target.clone(),
        })
    }

    fn copy_to(mut self, output: &mut Output) -> Result<(), Failure> {
        let file = self.file.as_file_mut();
        file.rewind()
            .and_then(|()| std::io::copy(file, output))
            .map_err(|e| self.target.write_failure(&e))?;
        Ok(())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        interrupt::registry().remove(self.file.path());
    }
}
