//! Still images of a recording: the screen at a time, and thumbnails at
//! regular times scaled to a width.
//!
//! What could not be drawn is kept on the screen ([`Playback::screen`],
//! [`Thumbnails::undrawn`]), for the caller to report.

use tdpr::read::{RecordSource, Step};

use crate::error::Result;
use crate::playback::Playback;
use crate::png_image::RgbaImage;
use crate::seekable::Seekable;
use crate::undrawn::Undrawn;

/// The screen of `recording` at `time_us`, from the nearest keyframe, with
/// the pointer drawn or not; nothing after the time is read
/// ([`Playback::still`]).
pub fn snapshot<S: Seekable>(recording: &S, time_us: u64, with_pointer: bool) -> Result<RgbaImage> {
    let playback = Playback::still(recording, time_us)?;
    Ok(screen_image(&playback, with_pointer))
}

/// One thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// The time it shows.
    pub time_us: u64,
    /// The screen at that time, scaled.
    pub image: RgbaImage,
}

/// The screen at 0, `every_us`, 2 × `every_us`… up to the recording's
/// duration, each scaled to `width` pixels wide (never enlarged), played
/// once from the start: one thumbnail at a time, so that a long recording
/// never holds them all.
pub fn thumbnails<'s, S: Seekable>(
    recording: &'s S,
    every_us: u64,
    width: u32,
    with_pointer: bool,
) -> Result<Thumbnails<S::Records<'s>>> {
    Ok(Thumbnails {
        duration_us: duration_us(recording)?,
        playback: Playback::from_start(recording)?,
        next_us: Some(0),
        every_us: every_us.max(1),
        width,
        with_pointer,
    })
}

/// The thumbnails of a recording, in time order (see [`thumbnails`]), its
/// records read from `R`.
pub struct Thumbnails<R> {
    playback: Playback<R>,
    duration_us: u64,
    next_us: Option<u64>,
    every_us: u64,
    width: u32,
    with_pointer: bool,
}

impl<R: RecordSource> Thumbnails<R> {
    /// How many thumbnails there are in all, given or not.
    pub fn total(&self) -> u64 {
        self.duration_us / self.every_us + 1
    }

    /// What could not be drawn so far.
    pub fn undrawn(&self) -> &Undrawn {
        self.playback.screen().undrawn()
    }
}

impl<R: RecordSource> Iterator for Thumbnails<R> {
    type Item = Result<Thumbnail>;

    fn next(&mut self) -> Option<Result<Thumbnail>> {
        let time_us = self.next_us?;
        self.next_us = time_us
            .checked_add(self.every_us)
            .filter(|&next| next <= self.duration_us);
        if let Err(e) = self.playback.advance_to(time_us) {
            self.next_us = None;
            return Some(Err(e));
        }
        Some(Ok(Thumbnail {
            time_us,
            image: scale_to_width(&screen_image(&self.playback, self.with_pointer), self.width),
        }))
    }
}

/// The recording's duration: the index's, or for an unfinished recording
/// the time of its last record.
pub fn duration_us<S: Seekable>(recording: &S) -> Result<u64> {
    if let Some(duration) = recording.index_duration_us() {
        return Ok(duration);
    }
    let (mut end, mut inflater) = (0, tdpr::Inflater::default());
    let mut records = recording.content_records(None, true)?;
    loop {
        let record = match records.step() {
            Step::Record(record) => record,
            Step::Fault(e) => return Err(e.into()),
            Step::End(_) => return Ok(end),
        };
        end = record
            .frames(&mut inflater)?
            .last()
            .map_or(record.time_us, |f| f.time_us)
            .max(end);
    }
}

pub(crate) fn screen_image<R: RecordSource>(
    playback: &Playback<R>,
    with_pointer: bool,
) -> RgbaImage {
    let screen = playback.screen();
    let mut pixels = Vec::new();
    if with_pointer {
        screen.composite(&mut pixels);
    } else {
        pixels.extend_from_slice(screen.pixels());
    }
    RgbaImage {
        width: screen.width(),
        height: screen.height(),
        pixels,
    }
}

/// `image` scaled down to `width` pixels wide (aspect kept, at least one
/// pixel high) by averaging the source pixels each target pixel covers (a
/// box filter); returned as is when it is not wider.
pub fn scale_to_width(image: &RgbaImage, width: u32) -> RgbaImage {
    if width == 0 || image.width <= width || image.height == 0 {
        return image.clone();
    }
    let height = ((u64::from(image.height) * u64::from(width)).div_ceil(u64::from(image.width))
        as u32)
        .max(1);
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 4);
    for y in 0..height {
        let (y0, y1) = span(y, height, image.height);
        for x in 0..width {
            let (x0, x1) = span(x, width, image.width);
            let mut sum = [0u64; 4];
            for sy in y0..y1 {
                let row = (sy as usize * image.width as usize) * 4;
                for sx in x0..x1 {
                    let p = &image.pixels[row + sx as usize * 4..row + sx as usize * 4 + 4];
                    sum.iter_mut().zip(p).for_each(|(s, &v)| *s += u64::from(v));
                }
            }
            let n = u64::from((y1 - y0) * (x1 - x0));
            pixels.extend(sum.map(|s| ((s + n / 2) / n) as u8));
        }
    }
    RgbaImage {
        width,
        height,
        pixels,
    }
}

/// The source rows (or columns) `[start, end)` target row `i` of `target`
/// covers out of `source`; never empty.
fn span(i: u32, target: u32, source: u32) -> (u32, u32) {
    let start = (u64::from(i) * u64::from(source) / u64::from(target)) as u32;
    let end =
        ((u64::from(i + 1) * u64::from(source)).div_ceil(u64::from(target)) as u32).max(start + 1);
    (start, end.min(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_averages_the_pixels_each_target_pixel_covers() {
        // 4 × 2: left half black, right half white, halved to 2 × 1.
        let pixels = [
            0u8, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        ]
        .repeat(2);
        let image = RgbaImage {
            width: 4,
            height: 2,
            pixels,
        };
        let small = scale_to_width(&image, 2);
        assert_eq!((small.width, small.height), (2, 1));
        assert_eq!(small.pixels, [0, 0, 0, 255, 255, 255, 255, 255]);
        // 3 → 2 columns: the middle column counts for both.
        let image = RgbaImage {
            width: 3,
            height: 1,
            pixels: [0u8, 0, 0, 255, 90, 90, 90, 255, 180, 180, 180, 255].to_vec(),
        };
        assert_eq!(
            scale_to_width(&image, 2).pixels,
            [45, 45, 45, 255, 135, 135, 135, 255]
        );
        assert_eq!(scale_to_width(&image, 5), image);
    }
}
