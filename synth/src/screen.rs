//! The remote screen the synthetic session draws on, and its PNG tiles.
//!
//! A remote-desktop server keeps a framebuffer and sends the rectangles that
//! changed as PNG images. This is that framebuffer: an RGB desktop with a
//! wallpaper, a task bar, windows with title bars and text-like rows, flat
//! areas and, for video, noisy regions. Tiles are encoded with the `png`
//! crate, so their sizes and compressibility are those of real images.
//!
//! (The drawing primitives overlap `crate::sample`'s private screen; the two
//! could share one module.)

use rand::{Rng, RngExt};

use tdpr::{Error, Result};

use crate::keyframe_state::{CHUNK_LEN, CHUNK_TYPE};

/// A rectangle of the screen, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    /// The part of `self` inside a `width` × `height` screen.
    pub fn clip(self, width: u32, height: u32) -> Rect {
        let x = self.x.min(width);
        let y = self.y.min(height);
        Rect {
            x,
            y,
            width: self.width.min(width - x),
            height: self.height.min(height - y),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    /// The `width` × `height` tiles covering the rectangle, clipped to it.
    pub fn tiles(self, width: u32, height: u32) -> impl Iterator<Item = Rect> {
        (self.y..self.y + self.height)
            .step_by(height as usize)
            .flat_map(move |ty| {
                (self.x..self.x + self.width)
                    .step_by(width as usize)
                    .map(move |tx| Rect {
                        x: tx,
                        y: ty,
                        width: width.min(self.x + self.width - tx),
                        height: height.min(self.y + self.height - ty),
                    })
            })
    }
}

/// Height of a window's title bar.
pub(crate) const TITLE_BAR: u32 = 24;
/// Height of the task bar at the bottom of the screen.
pub(crate) const TASK_BAR: u32 = 32;
/// Height of a text line in a window.
pub(crate) const LINE: u32 = 14;

/// An RGB framebuffer with reusable PNG encoding buffers.
#[derive(Debug)]
pub(crate) struct Screen {
    pub width: u32,
    pub height: u32,
    pixels: Vec<u8>,
    /// Pixels of the region being encoded.
    region: Vec<u8>,
    compression: png::Compression,
}

impl Screen {
    /// A desktop: a gradient wallpaper with a few icons and a task bar.
    pub fn desktop(width: u32, height: u32, compression: png::Compression) -> Self {
        let mut screen = Screen {
            width,
            height,
            pixels: vec![0; (width * height * 3) as usize],
            region: Vec::new(),
            compression,
        };
        for y in 0..height {
            let shade = (30 + 90 * y / height) as u8;
            screen.fill(
                Rect {
                    x: 0,
                    y,
                    width,
                    height: 1,
                },
                [shade / 3, shade / 2 + 20, shade + 60],
            );
        }
        for i in 0..(height.saturating_sub(TASK_BAR + 16) / 80).min(6) {
            let icon = Rect {
                x: 16,
                y: 16 + 80 * i,
                width: 48,
                height: 48,
            };
            screen.fill(icon, [200, 180 - 20 * i as u8, 60 + 30 * i as u8]);
        }
        screen.fill(
            Rect {
                x: 0,
                y: height.saturating_sub(TASK_BAR),
                width,
                height: TASK_BAR,
            },
            [32, 34, 44],
        );
        screen
    }

    /// Fills a rectangle (clipped to the screen) with one colour.
    pub fn fill(&mut self, rect: Rect, rgb: [u8; 3]) {
        let rect = rect.clip(self.width, self.height);
        for row in rect.y..rect.y + rect.height {
            let start = ((row * self.width + rect.x) * 3) as usize;
            let end = start + (rect.width * 3) as usize;
            for pixel in self.pixels[start..end].chunks_exact_mut(3) {
                pixel.copy_from_slice(&rgb);
            }
        }
    }

    /// Draws a window: border, title bar with a title and buttons, and a
    /// white client area with text-like rows.
    pub fn window(&mut self, rect: Rect, accent: [u8; 3], rng: &mut impl Rng) {
        self.fill(rect, [120, 120, 128]);
        let inner = Rect {
            x: rect.x + 1,
            y: rect.y + 1,
            width: rect.width.saturating_sub(2),
            height: rect.height.saturating_sub(2),
        };
        self.fill(
            Rect {
                height: TITLE_BAR.min(inner.height),
                ..inner
            },
            accent,
        );
        self.text_line(
            Rect {
                x: inner.x + 8,
                y: inner.y + 9,
                width: inner.width.saturating_sub(90).min(200),
                height: 6,
            },
            [250, 250, 250],
            rng,
        );
        for (i, colour) in [[230, 80, 70], [230, 190, 60], [90, 190, 80]]
            .into_iter()
            .enumerate()
        {
            self.fill(
                Rect {
                    x: (inner.x + inner.width).saturating_sub(24 * (i as u32 + 1)),
                    y: inner.y + 6,
                    width: 12,
                    height: 12,
                },
                colour,
            );
        }
        let client = client_area(rect);
        self.fill(client, [252, 252, 250]);
        self.text(client, rng);
    }

    /// Fills the rectangle with lines of text-like dark words on their
    /// current background.
    pub fn text(&mut self, rect: Rect, rng: &mut impl Rng) {
        let mut y = rect.y + 6;
        while y + LINE <= rect.y + rect.height {
            // Paragraph breaks and short lines, as in a document.
            if rng.random_ratio(1, 6) {
                y += LINE;
                continue;
            }
            let width = rect.width.saturating_sub(12);
            let width = if rng.random_ratio(1, 4) {
                rng.random_range(0..=width)
            } else {
                width
            };
            self.text_line(
                Rect {
                    x: rect.x + 6,
                    y,
                    width,
                    height: 8,
                },
                [30, 30, 36],
                rng,
            );
            y += LINE;
        }
    }

    /// One line of words: glyph-like strokes of `height` pixels.
    pub fn text_line(&mut self, rect: Rect, ink: [u8; 3], rng: &mut impl Rng) {
        let mut x = rect.x;
        loop {
            let room = (rect.x + rect.width).saturating_sub(x) / 5;
            if room == 0 {
                break;
            }
            let word = rng.random_range(2..10u32).min(room);
            for letter in 0..word {
                self.glyph(x + 5 * letter, rect.y, rect.height, ink, rng);
            }
            x += 5 * word + 4;
        }
    }

    /// A glyph-like shape in a 4-pixel-wide cell: a random subset of strokes.
    pub fn glyph(&mut self, x: u32, y: u32, height: u32, ink: [u8; 3], rng: &mut impl Rng) {
        let shape: u8 = rng.random();
        let strokes = [
            (0, 0, 1, height),
            (3, 0, 1, height),
            (0, 0, 4, 1),
            (0, height / 2, 4, 1),
            (0, height.saturating_sub(1), 4, 1),
            (1, height / 3, 2, 1),
        ];
        for (bit, (dx, dy, width, h)) in strokes.into_iter().enumerate() {
            if shape & (1 << bit) != 0 || bit == 0 && shape & 0x3f == 0 {
                self.fill(
                    Rect {
                        x: x + dx,
                        y: y + dy,
                        width,
                        height: h,
                    },
                    ink,
                );
            }
        }
    }

    /// Draws a frame of video into `rect`: soft moving shapes over a noisy
    /// image, as camera footage looks to a lossless encoder.
    pub fn video(&mut self, rect: Rect, frame: u32, noise: &mut Vec<u8>, rng: &mut impl Rng) {
        let rect = rect.clip(self.width, self.height);
        noise.resize((rect.width * 3) as usize, 0);
        for row in 0..rect.height {
            rng.fill_bytes(noise);
            let start = (((rect.y + row) * self.width + rect.x) * 3) as usize;
            let line = &mut self.pixels[start..start + (rect.width * 3) as usize];
            for (col, (pixel, grain)) in line
                .chunks_exact_mut(3)
                .zip(noise.chunks_exact(3))
                .enumerate()
            {
                let col = col as u32;
                let wave = (col + 2 * frame) ^ (row + frame);
                let r = (col * 255 / rect.width) as u8;
                let g = (row * 255 / rect.height.max(1)) as u8;
                let b = (wave & 0xff) as u8;
                pixel[0] = r.wrapping_add(grain[0] & 0x0f);
                pixel[1] = g.wrapping_add(grain[1] & 0x0f);
                pixel[2] = b.wrapping_add(grain[2] & 0x0f);
            }
        }
    }

    /// Encodes the region `rect` (inside the screen) as a PNG tile into
    /// `out`, as a desktop sends it: the profile's compression, adaptive
    /// filters.
    pub fn png(&mut self, rect: Rect, out: &mut Vec<u8>) -> Result<()> {
        self.encode(rect, out, self.compression, png::Filter::Adaptive, None)
    }

    /// Encodes the region `rect` as a keyframe into `out`, as spec/format.md
    /// 5.5 recommends: no filter and the strongest compression, a fifth
    /// smaller than the tiles' settings for screen content, the same pixels;
    /// with its `tdST` chunk `state` (spec/rendering.md 6.1) before the
    /// image data.
    pub fn keyframe_png(
        &mut self,
        rect: Rect,
        state: &[u8; CHUNK_LEN],
        out: &mut Vec<u8>,
    ) -> Result<()> {
        self.encode(
            rect,
            out,
            png::Compression::High,
            png::Filter::NoFilter,
            Some(state),
        )
    }

    fn encode(
        &mut self,
        rect: Rect,
        out: &mut Vec<u8>,
        compression: png::Compression,
        filter: png::Filter,
        state: Option<&[u8; CHUNK_LEN]>,
    ) -> Result<()> {
        let failed =
            |e: png::EncodingError| Error::InvalidInput(format!("PNG encoding failed: {e}"));
        self.region.clear();
        for row in rect.y..rect.y + rect.height {
            let start = ((row * self.width + rect.x) * 3) as usize;
            self.region
                .extend_from_slice(&self.pixels[start..start + (rect.width * 3) as usize]);
        }
        out.clear();
        let mut encoder = png::Encoder::new(&mut *out, rect.width, rect.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(compression);
        encoder.set_filter(filter);
        let mut writer = encoder.write_header().map_err(failed)?;
        if let Some(state) = state {
            writer
                .write_chunk(png::chunk::ChunkType(CHUNK_TYPE), state)
                .map_err(failed)?;
        }
        writer.write_image_data(&self.region).map_err(failed)?;
        writer.finish().map_err(failed)
    }
}

/// The client area of a window drawn at `rect`: below the title bar, inside
/// the border.
pub(crate) fn client_area(rect: Rect) -> Rect {
    Rect {
        x: rect.x + 1,
        y: rect.y + 1 + TITLE_BAR,
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2 + TITLE_BAR),
    }
}
