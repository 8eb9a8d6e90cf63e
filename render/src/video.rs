//! A recording as video: frames at a fixed rate, between two times, at a
//! speed, with idle time shortened, as an animated PNG or as raw RGBA frames
//! for a video encoder (`ffmpeg -f rawvideo -pix_fmt rgba`).
//!
//! The recording keeps true time (spec/format.md, idle spans); the video
//! maps its time to the recording's: a gap between two consecutive messages
//! or records longer than the idle limit lasts only the idle limit, and the
//! rest runs at `speed`. Every video frame has the same size, the largest
//! screen of the span; a smaller screen is drawn at the top-left corner on
//! black.

use std::io::Write;

use tdpr::{Recording, Records};

use crate::error::{RenderError, Result};
use crate::playback::Playback;
use crate::snapshot::duration_us;
use crate::undrawn::Undrawn;
use crate::Rect;

/// What part of a recording becomes video, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VideoOptions {
    /// Recording time of the first frame.
    pub from_us: u64,
    /// Recording time of the end (the recording's end when `None`).
    pub to_us: Option<u64>,
    /// Recording seconds per video second (1.0 plays in real time).
    pub speed: f64,
    /// Gaps longer than this are shortened to it (none when `None`).
    pub idle_limit_us: Option<u64>,
    /// Frames per video second.
    pub fps: u32,
    /// Draw the pointer.
    pub with_pointer: bool,
}

impl Default for VideoOptions {
    /// The whole recording in real time, 10 frames a second, idle gaps
    /// shortened to 2 s, pointer drawn.
    fn default() -> Self {
        VideoOptions {
            from_us: 0,
            to_us: None,
            speed: 1.0,
            idle_limit_us: Some(2_000_000),
            fps: 10,
            with_pointer: true,
        }
    }
}

/// The frames of a video of a recording, one RGBA buffer at a time.
pub struct VideoFrames<'a> {
    playback: Playback<Records<'a>>,
    timeline: Timeline,
    width: u32,
    height: u32,
    count: u64,
    next: u64,
    with_pointer: bool,
    frame: Vec<u8>,
    composite: Vec<u8>,
}

impl<'a> VideoFrames<'a> {
    /// The frames of the video of `recording` `options` describe.
    pub fn new(recording: &Recording<'a>, options: &VideoOptions) -> Result<Self> {
        if !(options.speed.is_finite() && options.speed > 0.0) || options.fps == 0 {
            return Err(RenderError::Options(
                "speed and frame rate must be above 0".into(),
            ));
        }
        let to_us = match options.to_us {
            Some(to) => to,
            None => duration_us(recording)?,
        };
        if to_us < options.from_us {
            return Err(RenderError::Options(
                "the video ends before it starts".into(),
            ));
        }
        let (timeline, (width, height)) = Timeline::read(recording, options, to_us)?;
        let video_us = timeline.video_length_us() as f64 / options.speed;
        let count = (video_us * f64::from(options.fps) / 1e6).floor() as u64 + 1;
        let playback = Playback::at(recording, options.from_us)?;
        Ok(VideoFrames {
            playback,
            timeline,
            width,
            height,
            count,
            next: 0,
            with_pointer: options.with_pointer,
            frame: vec![0; width as usize * height as usize * 4],
            composite: Vec::new(),
        })
    }

    /// Width of every frame.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height of every frame.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// How many frames the video has.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Frames given so far.
    pub fn position(&self) -> u64 {
        self.next
    }

    /// What could not be drawn so far.
    pub fn undrawn(&self) -> &Undrawn {
        self.playback.screen().undrawn()
    }

    /// The next frame: the recording time it shows and its RGBA pixels
    /// (`width × height × 4` bytes); `None` after the last.
    pub fn next_frame(&mut self) -> Result<Option<(u64, &[u8])>> {
        if self.next >= self.count {
            return Ok(None);
        }
        let time_us = self.timeline.recording_time(self.next);
        self.next += 1;
        self.playback.advance_to(time_us)?;
        let screen = self.playback.screen();
        let pixels = if self.with_pointer {
            screen.composite(&mut self.composite);
            &self.composite[..]
        } else {
            screen.pixels()
        };
        let (w, h) = (
            screen.width().min(self.width) as usize,
            screen.height().min(self.height) as usize,
        );
        if (w, h) != (self.width as usize, self.height as usize) {
            self.frame
                .chunks_exact_mut(4)
                .for_each(|p| p.copy_from_slice(&[0, 0, 0, 255]));
        }
        for row in 0..h {
            let src = row * screen.width() as usize * 4;
            let dst = row * self.width as usize * 4;
            self.frame[dst..dst + w * 4].copy_from_slice(&pixels[src..src + w * 4]);
        }
        Ok(Some((time_us, &self.frame)))
    }
}

/// What [`export_apng`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoStats {
    /// Frames written.
    pub frames: u64,
    /// Width and height of the video.
    pub size: (u32, u32),
    /// The messages that could not be drawn.
    pub undrawn: Undrawn,
}

/// Writes the video as an animated PNG (APNG) to `sink`. Each frame after
/// the first stores only the rectangle that changed. `progress` is called
/// after each frame with (frames done, frames in all).
pub fn export_apng<W: Write>(
    recording: &Recording<'_>,
    options: &VideoOptions,
    sink: W,
    mut progress: impl FnMut(u64, u64),
) -> Result<VideoStats> {
    let mut frames = VideoFrames::new(recording, options)?;
    let (width, height, count) = (frames.width(), frames.height(), frames.count());
    let frame_count = u32::try_from(count)
        .map_err(|_| RenderError::Options("too many frames for an APNG".into()))?;
    let delay = u16::try_from(options.fps)
        .map_err(|_| RenderError::Options("frame rate above 65535".into()))?;
    let mut encoder = png::Encoder::new(sink, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_animated(frame_count, 0)?;
    encoder.set_frame_delay(1, delay)?;
    let mut writer = encoder.write_header()?;
    writer.set_blend_op(png::BlendOp::Source)?;
    writer.set_dispose_op(png::DisposeOp::None)?;
    let mut previous: Vec<u8> = Vec::new();
    let mut region = Vec::new();
    while let Some((_, pixels)) = frames.next_frame()? {
        if previous.is_empty() {
            writer.write_image_data(pixels)?;
        } else {
            // At least one pixel per frame: an unchanged frame repeats its corner.
            let area = changed_area(&previous, pixels, width).unwrap_or(Rect::new(0, 0, 1, 1));
            region.clear();
            for row in area.y..area.y + area.height {
                let at = (row as usize * width as usize + area.x as usize) * 4;
                region.extend_from_slice(&pixels[at..at + area.width as usize * 4]);
            }
            // Position first back to the corner, so that no step of the change
            // takes the frame past the canvas.
            writer.reset_frame_position()?;
            writer.set_frame_dimension(area.width, area.height)?;
            writer.set_frame_position(area.x, area.y)?;
            writer.write_image_data(&region)?;
        }
        previous.clear();
        previous.extend_from_slice(pixels);
        progress(frames.position(), count);
    }
    writer.finish()?;
    Ok(VideoStats {
        frames: count,
        size: (width, height),
        undrawn: frames.undrawn().clone(),
    })
}

/// The bounding rectangle of the pixels that differ between two frames of
/// the same size.
fn changed_area(before: &[u8], after: &[u8], width: u32) -> Option<Rect> {
    let stride = width as usize * 4;
    let mut area: Option<Rect> = None;
    for (y, (a, b)) in before
        .chunks_exact(stride)
        .zip(after.chunks_exact(stride))
        .enumerate()
    {
        if a == b {
            continue;
        }
        let first = a
            .chunks_exact(4)
            .zip(b.chunks_exact(4))
            .position(|(p, q)| p != q)?;
        let last = a
            .chunks_exact(4)
            .zip(b.chunks_exact(4))
            .rposition(|(p, q)| p != q)?;
        area =
            Some(Rect::new(first as u32, y as u32, (last - first + 1) as u32, 1).union_with(area));
    }
    area
}

/// Video time to recording time: the span's gaps longer than the idle limit
/// are shortened to it.
#[derive(Debug, Clone)]
struct Timeline {
    from_us: u64,
    to_us: u64,
    /// (recording time the gap starts, time removed from it), in order.
    cuts: Vec<(u64, u64)>,
    speed: f64,
    fps: u32,
}

impl Timeline {
    /// Reads the times of the records and frames in the span (and the
    /// largest screen size in it) from `recording`.
    fn read(
        recording: &Recording<'_>,
        options: &VideoOptions,
        to_us: u64,
    ) -> Result<(Timeline, (u32, u32))> {
        let metadata = &recording.metadata().message;
        let mut size = (metadata.screen_width, metadata.screen_height);
        let mut largest = (0, 0);
        let mut cuts = Vec::new();
        let mut previous: Option<u64> = None;
        let mut inflater = tdpr::Inflater::default();
        let mut note = |time: u64, size: (u32, u32), largest: &mut (u32, u32)| {
            if time < options.from_us || time > to_us {
                return;
            }
            *largest = (largest.0.max(size.0), largest.1.max(size.1));
            let start = previous.unwrap_or(options.from_us);
            if let Some(limit) = options.idle_limit_us {
                if time - start > limit {
                    cuts.push((start, time - start - limit));
                }
            }
            previous = Some(time);
        };
        for record in recording.records() {
            let record = record?;
            if record.time_us > to_us {
                break;
            }
            if let tdpr::RecordBody::ScreenSize { width, height } = record.body {
                size = (width, height);
            }
            let mut frames = record.frames(&mut inflater)?.peekable();
            if frames.peek().is_none() {
                note(record.time_us, size, &mut largest);
            }
            for frame in frames {
                if let Some(announced) = tdpr::tdp::announced_screen_size(frame.message) {
                    size = announced;
                }
                note(frame.time_us, size, &mut largest);
            }
        }
        note(to_us, size, &mut largest);
        let largest = (
            largest.0.clamp(1, crate::MAX_SIDE),
            largest.1.clamp(1, crate::MAX_SIDE),
        );
        Ok((
            Timeline {
                from_us: options.from_us,
                to_us,
                cuts,
                speed: options.speed,
                fps: options.fps,
            },
            largest,
        ))
    }

    /// The span's length once gaps are shortened, in recording µs.
    fn video_length_us(&self) -> u64 {
        self.to_us - self.from_us - self.cuts.iter().map(|(_, removed)| removed).sum::<u64>()
    }

    /// The recording time video frame `n` shows.
    fn recording_time(&self, n: u64) -> u64 {
        let shortened = (n as f64 * 1e6 / f64::from(self.fps) * self.speed) as u64;
        let mut time = self.from_us + shortened;
        for &(start, removed) in &self.cuts {
            if time > start {
                time += removed;
            }
        }
        time.min(self.to_us)
    }
}
