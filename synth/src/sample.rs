//! The built-in sample session: a short, deterministic desktop recording made
//! of real TDP messages and real PNG images.
//!
//! It exists so that a new user can see the format work with one command
//! (`tdpr sample`), and so that tests and examples have a realistic recording
//! without shipping one: a desktop drawn as PNG tiles, pointer movement, a
//! clipboard copy, a marker, an idle pause, a screen resize and a keyframe.

use std::io::Write;

use tdpr::proto::{Event, EventKind, Metadata};
use tdpr::tdp::Message;
use tdpr::{Error, Result, Writer, WriterOptions};

/// Width and height of the sample's screen at the start.
pub const SAMPLE_SCREEN: (u32, u32) = (640, 400);

/// The metadata of the sample session.
pub fn sample_metadata() -> Metadata {
    Metadata {
        session_id: "6f1f7a0e-3b0c-4d5e-9a43-2b8f4a1d0c77".into(),
        cluster: "teleport.example.com".into(),
        user: "alice".into(),
        desktop_name: "win-dc-01".into(),
        desktop_addr: "10.0.0.12:3389".into(),
        login: "Administrator".into(),
        start_time_unix_us: 1_764_151_200_000_000,
        screen_width: SAMPLE_SCREEN.0,
        screen_height: SAMPLE_SCREEN.1,
        recorder_name: "tdpr sample".into(),
        recorder_version: env!("CARGO_PKG_VERSION").into(),
        labels: [("env".to_string(), "demo".to_string())].into(),
        ..Metadata::default()
    }
}

/// Writes the sample session to `sink` and returns it.
pub fn write_sample<W: Write>(sink: W, options: WriterOptions) -> Result<W> {
    let mut screen = Screen::new(SAMPLE_SCREEN.0, SAMPLE_SCREEN.1);
    let mut writer = Writer::new(sink, sample_metadata(), options)?;
    let mut message = Vec::new();

    // The desktop as the server first paints it, then a keyframe of it.
    full_screen(&mut writer, &mut message, &screen, 0)?;
    // A window opens: tiles arrive over 600 ms while the pointer moves.
    screen.fill(40, 40, 400, 260, [236, 236, 236]);
    let mut time = 20_000;
    for (i, (x, y)) in tiles(40, 40, 400, 260, 64).enumerate() {
        screen.text_rows(x, y, 64, 64, i as u32);
        png_frame(&mut message, &screen, x, y, 64, 64)?;
        writer.write_frame(time, &message)?;
        mouse_move(&mut message, 100 + 7 * i as u32, 120 + 3 * i as u32)?;
        writer.write_frame(time + 4_000, &message)?;
        time += 16_000;
    }
    writer.write_event(
        time,
        Event {
            kind: EventKind::ClipboardSend as i32,
            length: 42,
            user: "alice".into(),
            ..Event::default()
        },
    )?;
    writer.write_event(
        time + 1_000,
        Event {
            kind: EventKind::Marker as i32,
            label: "window opened".into(),
            ..Event::default()
        },
    )?;
    // The user pauses for eight seconds, then the desktop is resized.
    time += 8_000_000;
    mouse_move(&mut message, 320, 200)?;
    writer.write_frame(time, &message)?;
    screen = Screen::new(800, 500);
    time += 50_000;
    writer.write_screen_size(time, screen.width, screen.height)?;
    full_screen(&mut writer, &mut message, &screen, time)?;
    for (i, (x, y)) in tiles(0, 436, 768, 64, 64).enumerate() {
        screen.fill(x, y, 64, 64, [30, 60, 120]);
        png_frame(&mut message, &screen, x, y, 64, 64)?;
        time += 33_000;
        writer.write_frame(time, &message)?;
        mouse_move(&mut message, 20 + 40 * i as u32, 470)?;
        writer.write_frame(time + 2_000, &message)?;
    }
    time += 3_000_000;
    writer.write_event(
        time,
        Event {
            kind: EventKind::SessionEnd as i32,
            ..Event::default()
        },
    )?;
    writer.finish()
}

/// Sends the whole screen as one PNG frame at `time`, then a keyframe of
/// it: a keyframe shows only what frames drew.
fn full_screen<W: Write>(
    writer: &mut Writer<W>,
    message: &mut Vec<u8>,
    screen: &Screen,
    time: u64,
) -> Result<()> {
    let png = screen.png(0, 0, screen.width, screen.height)?;
    encode(
        message,
        &Message::PngFrame {
            left: 0,
            top: 0,
            right: screen.width,
            bottom: screen.height,
            png: png.as_slice().into(),
        },
    )?;
    writer.write_frame(time, message)?;
    writer.write_keyframe(time, screen.width, screen.height, &png)
}

/// Top-left corners of the `size`-pixel tiles covering a rectangle.
fn tiles(x: u32, y: u32, width: u32, height: u32, size: u32) -> impl Iterator<Item = (u32, u32)> {
    (y..y + height).step_by(size as usize).flat_map(move |ty| {
        (x..x + width)
            .step_by(size as usize)
            .map(move |tx| (tx, ty))
    })
}

/// Encodes a TDP PNG frame of the screen region at (`x`, `y`) into `out`.
fn png_frame(
    out: &mut Vec<u8>,
    screen: &Screen,
    x: u32,
    y: u32,
    width: u32,
    height: u32,
) -> Result<()> {
    encode(
        out,
        &Message::PngFrame {
            left: x,
            top: y,
            right: x + width,
            bottom: y + height,
            png: screen.png(x, y, width, height)?.into(),
        },
    )
}

/// Encodes a TDP mouse move into `out`.
fn mouse_move(out: &mut Vec<u8>, x: u32, y: u32) -> Result<()> {
    encode(out, &Message::MouseMove { x, y })
}

fn encode(out: &mut Vec<u8>, message: &Message<'_>) -> Result<()> {
    out.clear();
    message
        .encode(out)
        .map_err(|e| Error::InvalidInput(format!("TDP encoding failed: {e}")))
}

/// An RGB screen the sample draws on.
struct Screen {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Screen {
    /// A desktop background: a vertical gradient with a task bar.
    fn new(width: u32, height: u32) -> Self {
        let mut screen = Screen {
            width,
            height,
            pixels: vec![0; (width * height * 3) as usize],
        };
        for y in 0..height {
            let shade = (40 + 80 * y / height) as u8;
            screen.fill(0, y, width, 1, [shade / 2, shade, 140]);
        }
        screen.fill(0, height - 28, width, 28, [32, 32, 40]);
        screen
    }

    /// Fills a rectangle (clipped to the screen) with one colour.
    fn fill(&mut self, x: u32, y: u32, width: u32, height: u32, rgb: [u8; 3]) {
        for row in y..(y + height).min(self.height) {
            for col in x..(x + width).min(self.width) {
                let at = ((row * self.width + col) * 3) as usize;
                self.pixels[at..at + 3].copy_from_slice(&rgb);
            }
        }
    }

    /// Draws text-like rows of dark dashes in a rectangle; `seed` varies them.
    fn text_rows(&mut self, x: u32, y: u32, width: u32, height: u32, seed: u32) {
        for row in (y + 6..y + height).step_by(12) {
            let mut col = x + 4;
            let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(row);
            while col + 4 < x + width {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let word = 3 + (state >> 16) % 9;
                self.fill(col, row, word.min(x + width - col), 2, [20, 20, 20]);
                col += word + 3;
            }
        }
    }

    /// The region at (`x`, `y`) as a PNG image.
    fn png(&self, x: u32, y: u32, width: u32, height: u32) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| Error::InvalidInput(format!("PNG encoding failed: {e}")))?;
        let mut region = Vec::with_capacity((width * height * 3) as usize);
        for row in y..y + height {
            let start = ((row * self.width + x) * 3) as usize;
            region.extend_from_slice(&self.pixels[start..start + (width * 3) as usize]);
        }
        writer
            .write_image_data(&region)
            .map_err(|e| Error::InvalidInput(format!("PNG encoding failed: {e}")))?;
        writer
            .finish()
            .map_err(|e| Error::InvalidInput(format!("PNG encoding failed: {e}")))?;
        Ok(out)
    }
}
