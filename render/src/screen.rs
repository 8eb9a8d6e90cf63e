//! The screen: RGBA pixels and the pointer, changed by TDP messages applied
//! in order (spec/rendering.md).

use crate::error::{RenderError, Result};
use crate::fast_path::{FastPath, Mode, Target};
use crate::keyframe_state::{self, DecoderOrigin, KeyframeState};
use crate::message::{self, Drawing};
use crate::png_image::{self, Alpha, RgbaImage};
use crate::pointer::Pointer;
use crate::undrawn::Undrawn;
use crate::Rect;

/// The largest screen side the renderer accepts, in pixels: RDP's largest
/// desktop (MS-RDPBCGR caps a desktop at 8192 × 8192).
pub const MAX_SIDE: u32 = 8192;

/// The most pixels a screen or a decoded image may have (`MAX_SIDE²`, 2²⁶):
/// 256 MiB of RGBA.
pub const MAX_PIXELS: u64 = MAX_SIDE as u64 * MAX_SIDE as u64;

/// What changed since the last [`Screen::take_damage`]: what a player must
/// redraw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Damage {
    /// The screen pixels that may have changed (their bounding rectangle).
    pub area: Option<Rect>,
    /// The screen changed size (redraw everything).
    pub resized: bool,
    /// The pointer moved or changed shape.
    pub pointer: bool,
}

/// A remote desktop's screen as a recording's messages leave it.
///
/// ```
/// use tdpr_render::Screen;
///
/// let mut screen = Screen::new(64, 48)?;
/// screen.apply(&[3, 0, 0, 0, 10, 0, 0, 0, 20])?; // a TDP mouse move
/// assert_eq!(screen.pointer().position, Some((10, 20)));
/// assert!(screen.take_damage().pointer);
/// assert_eq!(&screen.pixels()[..4], &[0, 0, 0, 255]); // a new screen is opaque black
/// # Ok::<(), tdpr_render::RenderError>(())
/// ```
pub struct Screen {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
    /// False while the screen is the black of its last resize.
    drawn: bool,
    pointer: Pointer,
    fast_path: Option<FastPath>,
    channels: (u16, u16),
    /// Server hellos applied: each starts a new fast-path connection.
    connections: u64,
    damage: Damage,
    undrawn: Undrawn,
    mode: Mode,
    image: RgbaImage,
}

impl std::fmt::Debug for Screen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screen")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("pointer", &self.pointer)
            .field("undrawn", &self.undrawn)
            .finish_non_exhaustive()
    }
}

impl Screen {
    /// A black screen of `width` × `height` pixels; 0 × 0 for a screen whose
    /// size is not known yet. Refuses a side above [`MAX_SIDE`] or one zero
    /// side.
    pub fn new(width: u32, height: u32) -> Result<Screen> {
        if (width == 0) != (height == 0) {
            return Err(RenderError::ScreenSize { width, height });
        }
        let mut screen = Screen {
            width: 0,
            height: 0,
            pixels: Vec::new(),
            drawn: false,
            pointer: Pointer::default(),
            fast_path: None,
            channels: (0, 0),
            connections: 0,
            damage: Damage::default(),
            undrawn: Undrawn::default(),
            mode: Mode::Draw,
            image: RgbaImage::default(),
        };
        if width > 0 {
            screen.resize(width, height)?;
        }
        screen.damage = Damage::default();
        Ok(screen)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The screen's pixels without the pointer: RGBA, rows top to bottom,
    /// `width × 4` bytes a row, every alpha 255.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// The pointer's position and shape.
    pub fn pointer(&self) -> &Pointer {
        &self.pointer
    }

    /// What the renderer could not draw so far.
    pub fn undrawn(&self) -> &Undrawn {
        &self.undrawn
    }

    /// What changed since the last call: the player redraws that.
    pub fn take_damage(&mut self) -> Damage {
        std::mem::take(&mut self.damage)
    }

    /// The screen's pixels with the pointer drawn over them, into `out`.
    pub fn composite(&self, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&self.pixels);
        self.pointer.draw_on(out, self.width, self.height);
    }

    /// The screen as a PNG image, with the pointer or without.
    pub fn to_png(&self, with_pointer: bool) -> Result<Vec<u8>> {
        let mut png = Vec::new();
        if with_pointer {
            let mut pixels = Vec::new();
            self.composite(&mut pixels);
            png_image::encode_png(self.width, self.height, &pixels, false, &mut png)?;
        } else {
            png_image::encode_png(self.width, self.height, &self.pixels, false, &mut png)?;
        }
        Ok(png)
    }

    /// Applies one TDP message (legacy TDP or TDPB). A message that changes
    /// nothing on the screen is accepted and ignored. A message the renderer
    /// cannot draw returns its error and is counted in
    /// [`undrawn`](Self::undrawn); the screen stays as it was, save for what
    /// the message drew before the error.
    pub fn apply(&mut self, message: &[u8]) -> Result<()> {
        let (kind, drawing) = message::read(message);
        let result = drawing
            .map_err(RenderError::from)
            .and_then(|d| self.draw(d));
        if let Err(e) = &result {
            if self.mode == Mode::Draw {
                self.undrawn.count(&kind, e);
            }
        }
        result
    }

    /// The screen takes a new size (a screen-size record, a screen spec, a
    /// server hello). The same size changes nothing; another one makes the
    /// screen black. The pointer keeps its position.
    pub fn resize(&mut self, width: u32, height: u32) -> Result<()> {
        self.take_size(width, height, None)
    }

    /// [`resize`](Self::resize), its pixels swapped with `pixels` (the
    /// right length) when given instead of made black.
    fn take_size(&mut self, width: u32, height: u32, pixels: Option<&mut Vec<u8>>) -> Result<()> {
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(RenderError::ScreenSize { width, height });
        }
        let resized = (width, height) != (self.width, self.height);
        if let Some(pixels) = pixels {
            std::mem::swap(&mut self.pixels, pixels);
        } else if resized {
            let len = width as usize * height as usize * 4;
            self.pixels.clear();
            self.pixels
                .try_reserve_exact(len)
                .map_err(|_| RenderError::ScreenSize { width, height })?;
            self.pixels.resize(len, 0);
            paint_black(&mut self.pixels);
        }
        if !resized {
            return Ok(());
        }
        self.width = width;
        self.height = height;
        self.drawn = false;
        if let Some(fast_path) = &mut self.fast_path {
            fast_path.resize(width, height);
        }
        self.damage.resized = true;
        self.damage.area = Some(Rect::new(0, 0, width, height));
        Ok(())
    }

    /// Replaces the whole screen with a keyframe's image (spec/format.md
    /// 5.5): the screen takes the keyframe's size and the image is drawn at
    /// its top-left corner; the pointer takes the state the image's `tdST`
    /// chunk gives, if any (spec/rendering.md §6).
    pub fn load_keyframe(&mut self, width: u32, height: u32, png: &[u8]) -> Result<()> {
        let mut image = std::mem::take(&mut self.image);
        let result = png_image::decode_png(png, &mut image).and_then(|alpha| {
            let whole = (image.width, image.height) == (width, height);
            if whole && alpha == Alpha::Opaque {
                // The usual keyframe: the image is the screen.
                self.take_size(width, height, Some(&mut image.pixels))?;
            } else {
                if (width, height) == (self.width, self.height) {
                    paint_black(&mut self.pixels);
                } else {
                    self.resize(width, height)?; // black already
                }
                png_image::draw(&mut self.pixels, width, height, (0, 0), &image, alpha);
            }
            self.touched(Rect::new(0, 0, width, height));
            if let Some(state) = KeyframeState::find(png) {
                self.pointer = state.pointer;
                self.damage.pointer = true;
            }
            Ok(())
        });
        self.image = image;
        result
    }

    /// Draws an image the player decoded itself (a browser draws PNG tiles
    /// and keyframes with its own decoder) with its top-left pixel at
    /// (`left`, `top`), clipped to the screen, so that the fast-path decoder
    /// draws over the same pixels the player shows. Drawn "source over", as
    /// PNG tiles are (an opaque image is copied).
    pub fn draw_image(&mut self, left: u32, top: u32, image: &RgbaImage) {
        let area = png_image::draw(
            &mut self.pixels,
            self.width,
            self.height,
            (left, top),
            image,
            Alpha::Varies,
        );
        if !area.is_empty() {
            self.touched(area);
        }
    }

    /// Counts something other than a message (a record) that could not be
    /// drawn.
    pub(crate) fn count_undrawn(
        &mut self,
        kind: &dyn std::fmt::Display,
        error: &dyn std::fmt::Display,
    ) {
        if self.mode == Mode::Draw {
            self.undrawn.count(kind, error);
        }
    }

    /// Server hellos applied so far.
    pub(crate) fn connections(&self) -> u64 {
        self.connections
    }

    /// True when fast-path updates were applied since the last server
    /// hello: the decoder holds state a keyframe's pixels do not.
    pub(crate) fn decoder_active(&self) -> bool {
        self.fast_path.is_some()
    }

    /// The screen as a keyframe image: its pixels, and a `tdST` chunk with
    /// the pointer and, when fast-path decoder state exists, the record it
    /// is rebuilt from (`origin`).
    pub(crate) fn keyframe_png(&self, origin: DecoderOrigin, out: &mut Vec<u8>) -> Result<()> {
        let state = KeyframeState {
            pointer: self.pointer.clone(),
            decoder: self.decoder_active().then_some(origin),
        };
        png_image::encode_png_with_chunk(
            self.width,
            self.height,
            &self.pixels,
            true,
            Some((keyframe_state::CHUNK_TYPE, &state.encode())),
            out,
        )
    }

    /// Applies a message read before a keyframe a player starts at
    /// ([`before_keyframe`](crate::before_keyframe)): only the state a
    /// keyframe's pixels lack is kept (size, pointer, fast-path decoder
    /// state); nothing is drawn or counted. PNG tiles may be skipped unread.
    pub fn prime(&mut self, message: &[u8]) {
        self.mode = Mode::Prime;
        let _ = self.apply(message);
        self.mode = Mode::Draw;
        if let Some(fast_path) = &mut self.fast_path {
            fast_path.after_priming();
        }
    }

    fn draw(&mut self, drawing: Drawing<'_>) -> Result<()> {
        match drawing {
            Drawing::Png { left, top, png } => {
                if self.mode == Mode::Prime {
                    return Ok(());
                }
                let mut image = std::mem::take(&mut self.image);
                let result = png_image::decode_png(&png, &mut image).and_then(|alpha| {
                    let area = png_image::draw(
                        &mut self.pixels,
                        self.width,
                        self.height,
                        (left, top),
                        &image,
                        alpha,
                    );
                    if area.is_empty() {
                        return Err(RenderError::NotDrawable(format!(
                            "a {}×{} image at ({left}, {top}) is outside the {}×{} screen",
                            image.width, image.height, self.width, self.height
                        )));
                    }
                    self.touched(area);
                    Ok(())
                });
                self.image = image;
                result
            }
            Drawing::FastPath(pdu) => self.fast_path(&pdu),
            Drawing::ClientScreenSpec { width, height } => self.resize(width, height),
            Drawing::ServerHello {
                size,
                io_channel_id,
                user_channel_id,
            } => {
                self.fast_path = None;
                self.connections += 1;
                self.channels = (io_channel_id, user_channel_id);
                match size {
                    Some((width, height)) => self.resize(width, height),
                    None => Ok(()),
                }
            }
            Drawing::MouseMove { x, y } => {
                self.pointer.position = Some((x, y));
                self.damage.pointer = true;
                Ok(())
            }
            Drawing::Nothing => Ok(()),
            Drawing::Unknown => Err(RenderError::NotDrawable(
                "a message this renderer does not know".into(),
            )),
        }
    }

    fn fast_path(&mut self, pdu: &[u8]) -> Result<()> {
        if self.width == 0 {
            return Err(RenderError::NotDrawable(
                "a fast-path update before any screen size".into(),
            ));
        }
        let fast_path = self.fast_path.get_or_insert_with(|| {
            let mut decoder =
                FastPath::new(self.width, self.height, self.channels.0, self.channels.1);
            if self.drawn {
                decoder.mark_stale(Rect::new(0, 0, self.width, self.height));
            }
            decoder
        });
        let pointer_before = self.pointer.clone();
        let mut dirty = None;
        let mut target = Target {
            pixels: &mut self.pixels,
            width: self.width,
            height: self.height,
            pointer: &mut self.pointer,
        };
        let result = fast_path.apply(pdu, &mut target, self.mode, &mut dirty);
        if fast_path.is_broken() {
            self.fast_path = None;
        }
        if let Some(area) = dirty {
            self.drawn = true;
            self.damage.area = Some(area.union_with(self.damage.area));
        }
        if self.pointer != pointer_before {
            self.damage.pointer = true;
        }
        result.map_err(RenderError::FastPath)
    }

    /// Pixels in `area` were drawn by something other than the fast-path
    /// decoder.
    fn touched(&mut self, area: Rect) {
        self.drawn = true;
        self.damage.area = Some(area.union_with(self.damage.area));
        if let Some(fast_path) = &mut self.fast_path {
            fast_path.mark_stale(area);
        }
    }
}

/// Makes every RGBA pixel of `pixels` opaque black, by doubling copies.
fn paint_black(pixels: &mut [u8]) {
    if pixels.len() < 4 {
        return;
    }
    pixels[..4].copy_from_slice(&[0, 0, 0, 255]);
    let mut filled = 4;
    while filled < pixels.len() {
        let copied = filled.min(pixels.len() - filled);
        pixels.copy_within(..copied, filled);
        filled += copied;
    }
}
