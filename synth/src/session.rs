//! The synthetic user and the server's answers: what happens when, and the
//! records it produces.
//!
//! A session is a sequence of activities drawn from the profile's mix
//! (typing, pointer storms, windows, scrolling, pauses, idle gaps, clipboard,
//! file transfers, resizes, video). Every change drawn on the screen is sent
//! at once as PNG tiles, so a keyframe always shows the screen the frames
//! before it left; nothing is written after the session's duration.

use std::borrow::Cow;
use std::io::Write;

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::keyframe_state::keyframe_state;
use super::screen::{client_area, Rect, Screen, LINE, TASK_BAR};
use super::{synth_metadata, Profile, SynthOptions};
use tdpr::proto::{Event, EventKind};
use tdpr::tdp::Message;
use tdpr::{Error, Result, Writer};

/// Screen sizes a resize picks from.
const SCREENS: [(u32, u32); 5] = [
    (1280, 800),
    (1366, 768),
    (1440, 900),
    (1920, 1080),
    (1024, 768),
];

/// Side of the tiles a server cuts updates into.
const TILE: u32 = 64;
/// Side of the video tiles (large: a video region changes as a whole).
const VIDEO_TILE: (u32, u32) = (240, 136);
/// Size of the video picture.
const VIDEO: (u32, u32) = (480, 272);
/// Frames per second of the video.
const VIDEO_FPS: u64 = 8;
/// Interval between keyframes.
const KEYFRAME_INTERVAL_US: u64 = 60_000_000;

/// The screen size at the start of a session of `profile`.
pub(super) fn initial_screen(profile: Profile) -> (u32, u32) {
    match profile {
        Profile::Office | Profile::Idle => (1280, 800),
        Profile::Video => (1440, 900),
    }
}

/// A session being written.
pub(super) struct Session<W: Write> {
    writer: Writer<W>,
    rng: ChaCha8Rng,
    profile: Profile,
    screen: Screen,
    /// Open windows, the focused one last.
    windows: Vec<Rect>,
    /// Where the next typed character goes in the focused window.
    caret: (u32, u32),
    pointer: (u32, u32),
    /// Where the last pointer move sent put the pointer, as a player knows
    /// it (a resize clamps `pointer` without a move).
    pointer_sent: Option<(u32, u32)>,
    /// The current time; nothing is written once it passes `end`.
    now: u64,
    end: u64,
    next_keyframe: u64,
    /// `SynthOptions::keyframe_after_bytes`, 0 being never.
    keyframe_after_bytes: u64,
    /// Bytes of screen updates sent since the last keyframe.
    bytes_since_keyframe: u64,
    shared_directory: bool,
    files: u32,
    video_frame: u32,
    message: Vec<u8>,
    png: Vec<u8>,
    noise: Vec<u8>,
}

impl<W: Write> Session<W> {
    pub fn new(sink: W, options: &SynthOptions) -> Result<Self> {
        let (width, height) = initial_screen(options.profile);
        let writer = Writer::new(sink, synth_metadata(options), options.writer)?;
        Ok(Session {
            writer,
            rng: ChaCha8Rng::seed_from_u64(options.seed),
            profile: options.profile,
            screen: Screen::desktop(width, height, compression(options.profile)),
            windows: Vec::new(),
            caret: (0, 0),
            pointer: (width / 2, height / 2),
            pointer_sent: None,
            now: 0,
            end: options.duration_us,
            next_keyframe: 0,
            keyframe_after_bytes: match options.keyframe_after_bytes {
                0 => u64::MAX,
                bytes => bytes,
            },
            bytes_since_keyframe: 0,
            shared_directory: false,
            files: 0,
            video_frame: 0,
            message: Vec::new(),
            png: Vec::new(),
            noise: Vec::new(),
        })
    }

    /// Writes the whole session and finishes the recording, telling
    /// `progress` the session time reached after each activity.
    pub fn run(mut self, progress: &mut dyn FnMut(u64)) -> Result<W> {
        // The server paints the desktop, then the first keyframe shows it.
        self.tiles(self.full_screen(), TILE, 300)?;
        self.keyframe()?;
        self.wait(200_000, 600_000);
        let first_windows = match self.profile {
            Profile::Video => 1,
            _ => self.rng.random_range(1..=3),
        };
        for _ in 0..first_windows {
            self.open_window()?;
        }
        while self.live() {
            self.keyframe_if_due()?;
            match self.profile {
                Profile::Office => self.office()?,
                Profile::Video => self.video()?,
                Profile::Idle => self.idle()?,
            }
            // The gap between one activity and the next.
            self.wait(20_000, 400_000);
            progress(self.now.min(self.end));
        }
        self.now = self.end;
        self.event(Event {
            kind: EventKind::SessionEnd as i32,
            ..Event::default()
        })?;
        self.writer.finish()
    }

    /// One activity of office work.
    fn office(&mut self) -> Result<()> {
        match self.rng.random_range(0..100) {
            0..30 => {
                let duration = self.rng.random_range(1_000_000..12_000_000);
                self.typing(duration)
            }
            30..54 => self.pointer_storm(),
            54..61 => self.open_window(),
            61..73 => self.scroll(),
            73..82 => {
                self.wait(300_000, 4_000_000);
                Ok(())
            }
            82..86 => {
                self.wait(6_000_000, 40_000_000);
                Ok(())
            }
            86..91 => self.clipboard(),
            91..93 => self.file_transfer(),
            93 => self.resize(),
            _ => self.switch_application(),
        }
    }

    /// One activity of a user watching videos.
    fn video(&mut self) -> Result<()> {
        match self.rng.random_range(0..100) {
            0..70 => {
                let duration = self.rng.random_range(5_000_000..30_000_000);
                self.play(duration)
            }
            70..82 => self.pointer_storm(),
            82..88 => self.typing(2_000_000),
            88..96 => {
                self.wait(1_000_000, 10_000_000);
                Ok(())
            }
            96..98 => self.clipboard(),
            _ => self.scroll(),
        }
    }

    /// One activity of a session left open.
    fn idle(&mut self) -> Result<()> {
        match self.rng.random_range(0..100) {
            0..75 => {
                self.wait(20_000_000, 180_000_000);
                Ok(())
            }
            75..88 => self.pointer_storm(),
            88..96 => self.typing(1_500_000),
            96..98 => self.clipboard(),
            _ => self.scroll(),
        }
    }

    /// The user types for about `duration_us`: one small update per
    /// keystroke, at the caret of the focused window.
    fn typing(&mut self, duration_us: u64) -> Result<()> {
        let Some(&window) = self.windows.last() else {
            return self.open_window();
        };
        let client = client_area(window);
        if client.width < 32 || client.height < 4 * LINE {
            return Ok(());
        }
        let until = self.now + duration_us;
        while self.live() && self.now < until {
            let (x, y) = self.caret;
            if x + 10 > client.x + client.width || x < client.x || y < client.y {
                self.caret = (client.x + 6, y.max(client.y + 6) + LINE);
                continue;
            }
            if y + LINE > client.y + client.height {
                // The page is full: the document scrolls.
                self.screen.fill(client, [252, 252, 250]);
                self.screen.text(
                    Rect {
                        height: client.height / 2,
                        ..client
                    },
                    &mut self.rng,
                );
                self.tiles(client, TILE, 1_000)?;
                self.caret = (client.x + 6, client.y + 6 + client.height / 2);
                continue;
            }
            if self.rng.random_ratio(1, 6) {
                // A space.
                self.caret.0 += 4;
            } else {
                let ink = [30, 30, 36];
                self.screen.glyph(x, y, 8, ink, &mut self.rng);
                // The server sends the dirty rectangle around the glyph.
                self.tile(Rect {
                    x: x.saturating_sub(2),
                    y: y.saturating_sub(3),
                    width: 10,
                    height: LINE,
                })?;
                self.caret.0 += 5;
            }
            if self.rng.random_ratio(1, 40) {
                self.caret = (client.x + 6, y + LINE);
            }
            // Keystrokes 60 to 250 ms apart, with the odd pause to think.
            if self.rng.random_ratio(1, 30) {
                self.wait(500_000, 2_500_000);
            } else {
                self.wait(60_000, 250_000);
            }
        }
        Ok(())
    }

    /// The pointer sweeps to a target and back, sampled every 8 to 16 ms,
    /// with hover highlights where it stops.
    fn pointer_storm(&mut self) -> Result<()> {
        let moves = self.rng.random_range(20..250);
        let mut target = self.random_point();
        for i in 0..moves {
            if !self.live() {
                break;
            }
            if i % 40 == 39 {
                target = self.random_point();
            }
            let (x, y) = self.pointer;
            let step = |from: u32, to: u32, jitter: i64| {
                let next = from as i64 + (to as i64 - from as i64) / 6 + jitter;
                next.max(0) as u32
            };
            let jx = self.rng.random_range(-3..=3);
            let jy = self.rng.random_range(-3..=3);
            self.pointer = (
                step(x, target.0, jx).min(self.screen.width - 1),
                step(y, target.1, jy).min(self.screen.height - 1),
            );
            self.mouse_move()?;
            self.wait(8_000, 16_000);
        }
        if self.rng.random_ratio(1, 2) {
            // A button under the pointer lights up.
            let (x, y) = self.pointer;
            let button = Rect {
                x: x.saturating_sub(30),
                y: y.saturating_sub(12),
                width: 64,
                height: 24,
            }
            .clip(self.screen.width, self.screen.height);
            if !button.is_empty() {
                self.screen.fill(button, [210, 225, 245]);
                self.screen.text_line(
                    Rect {
                        x: button.x + 8,
                        y: button.y + 8,
                        width: button.width.saturating_sub(16),
                        height: 7,
                    },
                    [20, 40, 90],
                    &mut self.rng,
                );
                self.tile(button)?;
            }
        }
        Ok(())
    }

    /// A window opens and is painted tile by tile; it takes the focus.
    fn open_window(&mut self) -> Result<()> {
        let (width, height) = (self.screen.width, self.screen.height - TASK_BAR);
        let w = self.rng.random_range(320..=(width * 3 / 4).max(320));
        let h = self.rng.random_range(240..=(height * 3 / 4).max(240));
        let rect = Rect {
            x: self.rng.random_range(0..=width.saturating_sub(w)),
            y: self.rng.random_range(0..=height.saturating_sub(h)),
            width: w,
            height: h,
        }
        .clip(width, height);
        let accent = [
            self.rng.random_range(20..90),
            self.rng.random_range(60..140),
            self.rng.random_range(120..220),
        ];
        self.screen.window(rect, accent, &mut self.rng);
        self.windows.push(rect);
        if self.windows.len() > 6 {
            self.windows.remove(0);
        }
        let client = client_area(rect);
        self.caret = (client.x + 6, client.y + 6);
        self.tiles(rect, TILE, 2_000)
    }

    /// The focused window scrolls a few times: its client area is repainted.
    fn scroll(&mut self) -> Result<()> {
        let Some(&window) = self.windows.last() else {
            return self.open_window();
        };
        let client = client_area(window);
        for _ in 0..self.rng.random_range(1..6) {
            if !self.live() {
                break;
            }
            self.screen.fill(client, [252, 252, 250]);
            self.screen.text(client, &mut self.rng);
            self.tiles(client, TILE, 500)?;
            self.wait(80_000, 400_000);
        }
        Ok(())
    }

    /// The user switches to another application: the whole screen is
    /// repainted with new windows.
    fn switch_application(&mut self) -> Result<()> {
        self.redraw();
        self.tiles(self.full_screen(), TILE, 300)
    }

    /// The desktop changes size: a screen-size record, the repainted screen
    /// as tiles, then a keyframe of it.
    fn resize(&mut self) -> Result<()> {
        let (width, height) = SCREENS[self.rng.random_range(0..SCREENS.len())];
        if !self.live() || (width, height) == (self.screen.width, self.screen.height) {
            return Ok(());
        }
        self.writer.write_screen_size(self.now, width, height)?;
        self.screen = Screen::desktop(width, height, compression(self.profile));
        self.pointer = (
            self.pointer.0.min(width - 1),
            self.pointer.1.min(height - 1),
        );
        self.redraw();
        self.tiles(self.full_screen(), TILE, 300)?;
        self.keyframe()
    }

    /// Clipboard data goes one way or the other.
    fn clipboard(&mut self) -> Result<()> {
        let kind = if self.rng.random_ratio(2, 3) {
            EventKind::ClipboardSend
        } else {
            EventKind::ClipboardReceive
        };
        let length = self.rng.random_range(1..20_000);
        self.event(Event {
            kind: kind as i32,
            length,
            user: "alice".into(),
            ..Event::default()
        })
    }

    /// A file is read from or written to the shared directory, in chunks.
    fn file_transfer(&mut self) -> Result<()> {
        if !self.shared_directory {
            self.shared_directory = true;
            self.event(Event {
                kind: EventKind::SharedDirectoryStart as i32,
                user: "alice".into(),
                directory_name: "Documents".into(),
                directory_id: 1,
                ..Event::default()
            })?;
            self.wait(200_000, 1_000_000);
        }
        self.files += 1;
        let (kind, path) = if self.rng.random_ratio(1, 2) {
            (
                EventKind::SharedDirectoryRead,
                format!("reports/q{}-{}.xlsx", self.files % 4 + 1, self.files),
            )
        } else {
            (
                EventKind::SharedDirectoryWrite,
                format!("exports/export-{}.csv", self.files),
            )
        };
        let size: u64 = self.rng.random_range(4_000..6_000_000);
        const CHUNK: u64 = 256 << 10;
        let mut offset = 0;
        while offset < size && self.live() {
            let length = CHUNK.min(size - offset);
            self.event(Event {
                kind: kind as i32,
                user: "alice".into(),
                directory_name: "Documents".into(),
                directory_id: 1,
                path: path.clone(),
                offset,
                length,
                ..Event::default()
            })?;
            offset += length;
            self.wait(5_000, 40_000);
        }
        Ok(())
    }

    /// A video plays for about `duration_us` in the focused window's client
    /// area: every frame replaces the picture, in large tiles.
    fn play(&mut self, duration_us: u64) -> Result<()> {
        let Some(&window) = self.windows.last() else {
            return self.open_window();
        };
        let client = client_area(window);
        let picture = Rect {
            x: client.x + client.width.saturating_sub(VIDEO.0) / 2,
            y: client.y + client.height.saturating_sub(VIDEO.1) / 2,
            width: VIDEO.0.min(client.width),
            height: VIDEO.1.min(client.height),
        };
        let until = self.now + duration_us;
        while self.live() && self.now < until {
            let start = self.now;
            self.video_frame += 1;
            self.screen
                .video(picture, self.video_frame, &mut self.noise, &mut self.rng);
            for tile in picture.tiles(VIDEO_TILE.0, VIDEO_TILE.1) {
                self.tile(tile)?;
                self.now += self.rng.random_range(500..2_000);
            }
            if self.rng.random_ratio(1, 8) {
                self.pointer.0 = (self.pointer.0 + self.rng.random_range(0..9))
                    .saturating_sub(4)
                    .min(self.screen.width - 1);
                self.mouse_move()?;
            }
            self.now = self.now.max(start + 1_000_000 / VIDEO_FPS);
            // Between two pictures everything drawn has been sent.
            self.keyframe_if_due()?;
        }
        Ok(())
    }

    /// Redraws the desktop with a new set of windows (drawn, not sent).
    fn redraw(&mut self) {
        let (width, height) = (self.screen.width, self.screen.height);
        self.screen = Screen::desktop(width, height, compression(self.profile));
        self.windows.clear();
        let count = match self.profile {
            Profile::Video => 1,
            _ => self.rng.random_range(1..=3),
        };
        for _ in 0..count {
            let w = self.rng.random_range(width / 2..=width - 40);
            let h = self
                .rng
                .random_range((height - TASK_BAR) / 2..=height - TASK_BAR - 20);
            let rect = Rect {
                x: self.rng.random_range(0..=width - w),
                y: self.rng.random_range(0..=height - TASK_BAR - h),
                width: w,
                height: h,
            };
            let accent = [40, self.rng.random_range(60..140), 180];
            self.screen.window(rect, accent, &mut self.rng);
            self.windows.push(rect);
        }
        let client = client_area(*self.windows.last().expect("one window at least"));
        self.caret = (client.x + 6, client.y + 6);
    }

    fn full_screen(&self) -> Rect {
        Rect {
            x: 0,
            y: 0,
            width: self.screen.width,
            height: self.screen.height,
        }
    }

    fn random_point(&mut self) -> (u32, u32) {
        (
            self.rng.random_range(0..self.screen.width),
            self.rng.random_range(0..self.screen.height),
        )
    }

    /// True while the session runs.
    fn live(&self) -> bool {
        self.now <= self.end
    }

    /// Advances the clock by a random time in `min..max` microseconds.
    fn wait(&mut self, min: u64, max: u64) {
        self.now += self.rng.random_range(min..max);
    }

    /// Writes a keyframe when one is due: the interval has passed, or the
    /// frames since the last one reached `keyframe_after_bytes`. Called
    /// only when every change drawn has been sent.
    fn keyframe_if_due(&mut self) -> Result<()> {
        if self.now >= self.next_keyframe && self.bytes_since_keyframe == 0 {
            // Nothing drawn since the last keyframe: it still shows the
            // screen, and a seek from it replays no update.
            self.next_keyframe = self.now + KEYFRAME_INTERVAL_US;
        } else if self.now >= self.next_keyframe
            || self.bytes_since_keyframe >= self.keyframe_after_bytes
        {
            self.keyframe()?;
        }
        Ok(())
    }

    /// Writes a keyframe of the whole screen now, and schedules the next.
    /// Every change drawn must have been sent: a keyframe shows what the
    /// frames before it drew.
    fn keyframe(&mut self) -> Result<()> {
        self.next_keyframe = self.now + KEYFRAME_INTERVAL_US;
        self.bytes_since_keyframe = 0;
        if !self.live() {
            return Ok(());
        }
        let full = self.full_screen();
        let state = keyframe_state(self.pointer_sent);
        self.screen.keyframe_png(full, &state, &mut self.png)?;
        self.writer
            .write_keyframe(self.now, full.width, full.height, &self.png)
    }

    /// Sends the tiles covering `rect`, `spacing_us` apart.
    fn tiles(&mut self, rect: Rect, size: u32, spacing_us: u64) -> Result<()> {
        let rect = rect.clip(self.screen.width, self.screen.height);
        for tile in rect.tiles(size, size) {
            self.tile(tile)?;
            self.now += spacing_us;
        }
        Ok(())
    }

    /// Sends one PNG frame of the screen region `rect` now.
    fn tile(&mut self, rect: Rect) -> Result<()> {
        let rect = rect.clip(self.screen.width, self.screen.height);
        if !self.live() || rect.is_empty() {
            return Ok(());
        }
        self.screen.png(rect, &mut self.png)?;
        encode(
            &mut self.message,
            &Message::PngFrame {
                left: rect.x,
                top: rect.y,
                right: rect.x + rect.width,
                bottom: rect.y + rect.height,
                png: Cow::Borrowed(&self.png),
            },
        )?;
        self.bytes_since_keyframe += self.message.len() as u64;
        self.writer.write_frame(self.now, &self.message)
    }

    /// Sends the pointer's position now.
    fn mouse_move(&mut self) -> Result<()> {
        if !self.live() {
            return Ok(());
        }
        let (x, y) = self.pointer;
        encode(&mut self.message, &Message::MouseMove { x, y })?;
        self.pointer_sent = Some((x, y));
        self.writer.write_frame(self.now, &self.message)
    }

    /// Writes an event now.
    fn event(&mut self, event: Event) -> Result<()> {
        if !self.live() {
            return Ok(());
        }
        self.writer.write_event(self.now, event)
    }
}

/// How the tiles of a session of `profile` are compressed.
fn compression(profile: Profile) -> png::Compression {
    match profile {
        // Video tiles are encoded for speed, as a server does under load.
        Profile::Video => png::Compression::Fast,
        Profile::Office | Profile::Idle => png::Compression::Balanced,
    }
}

/// Encodes a TDP message into `out`.
fn encode(out: &mut Vec<u8>, message: &Message<'_>) -> Result<()> {
    out.clear();
    message
        .encode(out)
        .map_err(|e| Error::InvalidInput(format!("TDP encoding failed: {e}")))
}
