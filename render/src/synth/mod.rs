//! Synthetic RDP fast-path sessions drawn from known images: the test
//! material for the fast-path renderer, and the `remotefx`, `qoiz` and
//! `bitmap` profiles of `tdpr synth`.
//!
//! Real recordings cannot be shipped (they show real desktops), so these are
//! encoded here, with IronRDP's public encoders, from images [`scene`] draws:
//! a connection announced by a server hello, a full-screen update, then at
//! every frame the rectangle that changed; a pointer shape and pointer
//! moves; halfway, a resize announced by a new server hello, which starts a
//! new connection state (a new RemoteFX header, a new QOIZ stream), then a
//! full-screen update. Decoding gives back the images: exactly for QOIZ and
//! bitmaps, within [`REMOTEFX_MIN_PSNR_DB`] for RemoteFX.
//!
//! ```
//! use tdpr_render::synth::{write_session, Codec, SessionOptions};
//!
//! let options = SessionOptions { codec: Codec::Qoiz, frames: 8, ..SessionOptions::default() };
//! let bytes = write_session(Vec::new(), &options)?;
//! let recording = tdpr::Recording::parse(&bytes)?;
//! let shown = tdpr_render::Playback::at(&recording, options.frame_time_us(3))?;
//! assert_eq!(shown.screen().pixels(), options.image(3).pixels);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bitmap;
mod pdu;
mod qoiz;
mod remotefx;
mod scene;

use std::fmt;
use std::io::Write;
use std::str::FromStr;

use ironrdp_pdu::fast_path::UpdateCode;
use ironrdp_pdu::geometry::ExclusiveRectangle;
use ironrdp_pdu::pointer::{
    CachedPointerAttribute, ColorPointerAttribute, Point16, PointerAttribute,
};
use ironrdp_pdu::surface_commands::{ExtendedBitmapDataPdu, SurfaceBitsPdu, SurfaceCommand};
use tdpr::proto::{Event, EventKind, Metadata};
use tdpr::tdp::tdpb::proto::teleport::desktop::v1::{
    ConnectionActivated, Envelope, FastPathPdu, ServerHello,
};
use tdpr::tdp::tdpb::{self, Payload};
use tdpr::tdp::Message;
use tdpr::{Writer, WriterOptions};

pub use scene::{changed, crop, scene};

use crate::{PointerImage, Rect, RgbaImage};

/// The lowest PSNR (dB, over RGB) of a RemoteFX frame of these sessions
/// against its source image, as decoded by IronRDP with the default
/// quantization. Lossless codecs give the source exactly.
pub const REMOTEFX_MIN_PSNR_DB: f64 = 30.0;

/// A failure of one of the encoders (or of the recording's writer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthError(pub String);

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SynthError {}

impl From<ironrdp_core::EncodeError> for SynthError {
    fn from(e: ironrdp_core::EncodeError) -> Self {
        SynthError(format!("RDP encoding: {e}"))
    }
}

impl From<tdpr::Error> for SynthError {
    fn from(e: tdpr::Error) -> Self {
        SynthError(format!("writing the recording: {e}"))
    }
}

/// How the session's screen updates are coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Codec {
    /// RemoteFX surface commands (Windows desktops), legacy TDP messages.
    #[default]
    RemoteFx,
    /// QOIZ surface commands (Teleport's Linux desktops), TDPB messages.
    Qoiz,
    /// RDP 6.0 planar bitmap updates, legacy TDP messages.
    Bitmap,
    /// PNG tiles (`png2_frame`), as Teleport's older Windows service sent
    /// them: not fast-path, for comparisons on the same images.
    Png,
}

impl Codec {
    /// Every fast-path codec.
    pub const ALL: [Codec; 3] = [Codec::RemoteFx, Codec::Qoiz, Codec::Bitmap];

    /// Its name as a `tdpr synth` profile.
    pub fn name(self) -> &'static str {
        match self {
            Codec::RemoteFx => "remotefx",
            Codec::Qoiz => "qoiz",
            Codec::Bitmap => "bitmap",
            Codec::Png => "png",
        }
    }

    /// True when decoding gives back the source image exactly.
    ///
    pub fn is_lossless(self) -> bool {
        self != Codec::RemoteFx
    }
}

impl fmt::Display for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Codec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Codec::RemoteFx, Codec::Qoiz, Codec::Bitmap, Codec::Png]
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown codec {s:?}: expected remotefx, qoiz, bitmap or png"))
    }
}

/// What [`write_session`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    /// How updates are coded.
    pub codec: Codec,
    /// Screen size at the start; after the resize halfway it is 128 pixels
    /// narrower and 64 shorter.
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// Frames shown, one every `frame_interval_us`, the first at time 0; at
    /// least 8.
    pub frames: u32,
    /// Time between frames.
    pub frame_interval_us: u64,
    /// Seed of the images.
    pub seed: u64,
    /// How the recording is written.
    pub writer: WriterOptions,
}

impl Default for SessionOptions {
    /// 24 frames of 640 × 400, 100 ms apart, RemoteFX.
    fn default() -> Self {
        SessionOptions {
            codec: Codec::RemoteFx,
            width: 640,
            height: 400,
            frames: 24,
            frame_interval_us: 100_000,
            seed: 0,
            writer: WriterOptions::default(),
        }
    }
}

impl SessionOptions {
    /// The frame at which the screen is resized.
    pub fn resize_frame(&self) -> u32 {
        self.frames / 2
    }

    /// The screen size at frame `frame`.
    pub fn screen_at(&self, frame: u32) -> (u32, u32) {
        if frame >= self.resize_frame() && self.frames > 1 {
            (self.width - 128, self.height - 64)
        } else {
            (self.width, self.height)
        }
    }

    /// The time of frame `frame`: the screen shows [`image`](Self::image)
    /// from then until the next frame.
    pub fn frame_time_us(&self, frame: u32) -> u64 {
        u64::from(frame) * self.frame_interval_us
    }

    /// The source image of frame `frame`.
    pub fn image(&self, frame: u32) -> RgbaImage {
        let (width, height) = self.screen_at(frame);
        scene(width, height, frame, self.seed)
    }

    /// The pointer shape the session sends: at frame 1, from its cache at
    /// frame 3 (frame 2 shows the default pointer), and anew after the
    /// resize.
    pub fn pointer_image(&self) -> PointerImage {
        let (width, height) = (24u32, 24u32);
        let rgba = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .flat_map(|(x, y)| {
                let inside = x + y < 24;
                let alpha = if inside { 255 - (x * 8) as u8 } else { 0 };
                [(x * 10) as u8, (y * 10) as u8, 200, alpha]
            })
            .collect();
        PointerImage {
            width,
            height,
            hotspot_x: 2,
            hotspot_y: 3,
            rgba,
        }
    }

    /// The pointer shape shown at frame `frame`: `None` for the default
    /// pointer (throughout a PNG session, which sends no shape).
    pub fn pointer_shown(&self, frame: u32) -> Option<PointerImage> {
        (self.codec != Codec::Png && (frame == 1 || frame >= 3)).then(|| self.pointer_image())
    }

    /// Where the pointer is at frame `frame` (a mouse move at each frame's
    /// time, after its screen update).
    pub fn pointer_at(&self, frame: u32) -> (u32, u32) {
        let (width, height) = self.screen_at(frame);
        ((frame * 37 + 5) % width, (frame * 19 + 7) % height)
    }
}

/// Writes the session to `sink` as a finished tdpr recording.
pub fn write_session<W: Write>(sink: W, options: &SessionOptions) -> Result<W, SynthError> {
    if options.width < 256 || options.height < 128 || options.width > 4096 || options.height > 4096
    {
        return Err(SynthError(
            "the screen must be 256 × 128 to 4096 × 4096 pixels".into(),
        ));
    }
    let metadata = Metadata {
        session_id: format!(
            "5e55a000-0000-4000-8000-{:012x}",
            options.seed & 0xffff_ffff_ffff
        ),
        user: "alice".into(),
        desktop_name: format!("synthetic-{}", options.codec),
        screen_width: options.width,
        screen_height: options.height,
        recorder_name: "tdpr-render synth".into(),
        recorder_version: env!("CARGO_PKG_VERSION").into(),
        labels: [("profile".to_string(), options.codec.name().to_string())].into(),
        ..Metadata::default()
    };
    let mut session = Session {
        writer: Writer::new(sink, metadata, options.writer)?,
        options: *options,
        encoder: Encoder::None,
        message: Vec::new(),
    };
    let mut shown: Option<RgbaImage> = None;
    for frame in 0..options.frames {
        let time = options.frame_time_us(frame);
        let image = options.image(frame);
        let area = match &shown {
            Some(before) if (before.width, before.height) == (image.width, image.height) => {
                changed(before, &image)
            }
            _ => {
                session.connect(time, image.width, image.height)?;
                Some(Rect::new(0, 0, image.width, image.height))
            }
        };
        if let Some(area) = area {
            session.update(time, &image, area)?;
        }
        // A shape, the system pointer, the shape again from the cache; after
        // the resize (a new connection, an empty cache) the shape anew.
        match frame {
            _ if options.codec == Codec::Png => {}
            1 => session.pointer(time, UpdateCode::NewPointer, options)?,
            2 => session.pointer(time, UpdateCode::DefaultPointer, options)?,
            3 => session.pointer(time, UpdateCode::CachedPointer, options)?,
            f if f == options.resize_frame() + 1 => {
                session.pointer(time, UpdateCode::NewPointer, options)?
            }
            _ => {}
        }
        let (x, y) = options.pointer_at(frame);
        session.legacy(time, &Message::MouseMove { x, y })?;
        shown = Some(image);
    }
    let end = options.frame_time_us(options.frames);
    session.writer.write_event(
        end,
        Event {
            kind: EventKind::SessionEnd as i32,
            ..Event::default()
        },
    )?;
    Ok(session.writer.finish()?)
}

/// The encoder of the current connection.
enum Encoder {
    None,
    RemoteFx(remotefx::RemoteFx),
    Qoiz(qoiz::Qoiz),
    Bitmap,
}

struct Session<W: Write> {
    writer: Writer<W>,
    options: SessionOptions,
    encoder: Encoder,
    message: Vec<u8>,
}

const IO_CHANNEL: u16 = 1003;
const USER_CHANNEL: u16 = 1007;
const POINTER_CACHE_INDEX: u16 = 1;

impl<W: Write> Session<W> {
    /// A server hello: a new connection state on a screen of this size.
    fn connect(&mut self, time: u64, width: u32, height: u32) -> Result<(), SynthError> {
        self.encoder = match self.options.codec {
            Codec::RemoteFx => Encoder::RemoteFx(remotefx::RemoteFx::new(width, height)),
            Codec::Qoiz => Encoder::Qoiz(qoiz::Qoiz::new()?),
            Codec::Bitmap | Codec::Png => Encoder::Bitmap,
        };
        match self.options.codec {
            Codec::Qoiz => self.tdpb(
                time,
                Payload::ServerHello(ServerHello {
                    activation_spec: Some(ConnectionActivated {
                        io_channel_id: u32::from(IO_CHANNEL),
                        user_channel_id: u32::from(USER_CHANNEL),
                        screen_width: width,
                        screen_height: height,
                    }),
                    ..ServerHello::default()
                }),
            ),
            _ => self.legacy(
                time,
                &Message::RdpConnectionActivated {
                    io_channel_id: IO_CHANNEL,
                    user_channel_id: USER_CHANNEL,
                    screen_width: width as u16,
                    screen_height: height as u16,
                },
            ),
        }
    }

    /// The screen update drawing `area` of `image`.
    fn update(&mut self, time: u64, image: &RgbaImage, area: Rect) -> Result<(), SynthError> {
        if self.options.codec == Codec::Png {
            return self.png_tiles(time, image, area);
        }
        let (code, data) = match &mut self.encoder {
            Encoder::RemoteFx(encoder) => (
                UpdateCode::SurfaceCommands,
                surface_bits(area, 3, &encoder.encode(image, area)?)?,
            ),
            Encoder::Qoiz(encoder) => (
                UpdateCode::SurfaceCommands,
                surface_bits(area, 0x0B, &encoder.encode(image, area)?)?,
            ),
            Encoder::Bitmap => (UpdateCode::Bitmap, bitmap::encode(image, area)?),
            Encoder::None => return Err(SynthError("an update before the server hello".into())),
        };
        self.fast_path(time, code, &data)
    }

    /// PNG tiles of at most 256 × 256 pixels covering `area`.
    fn png_tiles(&mut self, time: u64, image: &RgbaImage, area: Rect) -> Result<(), SynthError> {
        let mut png = Vec::new();
        for y in (area.y..area.y + area.height).step_by(256) {
            for x in (area.x..area.x + area.width).step_by(256) {
                let tile =
                    Rect::new(x, y, 256, 256).clip(area.x + area.width, area.y + area.height);
                png.clear();
                crate::encode_png(tile.width, tile.height, &crop(image, tile), true, &mut png)
                    .map_err(|e| SynthError(e.to_string()))?;
                self.legacy(
                    time,
                    &Message::Png2Frame {
                        left: tile.x,
                        top: tile.y,
                        right: tile.x + tile.width,
                        bottom: tile.y + tile.height,
                        png: png.as_slice().into(),
                    },
                )?;
            }
        }
        Ok(())
    }

    /// A pointer update: the shape itself, the cached one, or the default.
    fn pointer(
        &mut self,
        time: u64,
        code: UpdateCode,
        options: &SessionOptions,
    ) -> Result<(), SynthError> {
        let data = if code == UpdateCode::DefaultPointer {
            Vec::new()
        } else if code == UpdateCode::CachedPointer {
            ironrdp_core::encode_vec(&CachedPointerAttribute {
                cache_index: POINTER_CACHE_INDEX,
            })?
        } else {
            let image = options.pointer_image();
            // Rows bottom to top, BGRA.
            let xor_mask: Vec<u8> = image
                .rgba
                .chunks_exact(image.width as usize * 4)
                .rev()
                .flat_map(|row| row.chunks_exact(4).flat_map(|p| [p[2], p[1], p[0], p[3]]))
                .collect();
            ironrdp_core::encode_vec(&PointerAttribute {
                xor_bpp: 32,
                color_pointer: ColorPointerAttribute {
                    cache_index: POINTER_CACHE_INDEX,
                    hot_spot: Point16 {
                        x: image.hotspot_x as u16,
                        y: image.hotspot_y as u16,
                    },
                    width: image.width as u16,
                    height: image.height as u16,
                    xor_mask: &xor_mask,
                    and_mask: &[],
                },
            })?
        };
        self.fast_path(time, code, &data)
    }

    /// One update, as fast-path PDUs, each in a TDP message of the
    /// session's wire form.
    fn fast_path(&mut self, time: u64, code: UpdateCode, data: &[u8]) -> Result<(), SynthError> {
        for pdu in pdu::fast_path_pdus(code, data)? {
            match self.options.codec {
                Codec::Qoiz => self.tdpb(time, Payload::FastPathPdu(FastPathPdu { pdu }))?,
                _ => self.legacy(time, &Message::RdpFastPathPdu { pdu: pdu.into() })?,
            }
        }
        Ok(())
    }

    fn legacy(&mut self, time: u64, message: &Message<'_>) -> Result<(), SynthError> {
        self.message.clear();
        message
            .encode(&mut self.message)
            .map_err(|e| SynthError(format!("TDP: {e}")))?;
        Ok(self.writer.write_frame(time, &self.message)?)
    }

    fn tdpb(&mut self, time: u64, payload: Payload) -> Result<(), SynthError> {
        self.message.clear();
        tdpb::encode_envelope(
            &Envelope {
                payload: Some(payload),
            },
            &mut self.message,
        )
        .map_err(|e| SynthError(format!("TDPB: {e}")))?;
        Ok(self.writer.write_frame(time, &self.message)?)
    }
}

/// A surface-bits command drawing `data` of codec `codec_id` at `area`.
fn surface_bits(area: Rect, codec_id: u8, data: &[u8]) -> Result<Vec<u8>, SynthError> {
    Ok(ironrdp_core::encode_vec(&SurfaceCommand::SetSurfaceBits(
        SurfaceBitsPdu {
            destination: ExclusiveRectangle {
                left: area.x as u16,
                top: area.y as u16,
                right: (area.x + area.width) as u16,
                bottom: (area.y + area.height) as u16,
            },
            extended_bitmap_data: ExtendedBitmapDataPdu {
                bpp: 32,
                codec_id,
                width: area.width as u16,
                height: area.height as u16,
                header: None,
                data,
            },
        },
    ))?)
}
