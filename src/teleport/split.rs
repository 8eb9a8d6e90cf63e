//! Cutting a frame too large for one Teleport event into messages that
//! Teleport's player shows as that one frame (`spec/conversion.md` §4.4).
//!
//! Why it exists: Teleport's reader cannot read a record above 64 KiB, and a
//! video or full-screen PNG tile is often larger. Dropping such a frame (as
//! Teleport's recorder does) loses part of the picture. A PNG frame is cut
//! into PNG tiles with the same pixels; a message of several RDP fast-path
//! PDUs into one PDU per update, which Teleport's player reads one a message
//! (joining fragmented updates across messages as before). Anything else is
//! [`Unsplittable`].

use std::borrow::Cow;
use std::fmt;
use std::io::Cursor;

use crate::tdp::tdpb::proto::teleport::desktop::v1::{FastPathPdu, PngFrame, Rectangle};
use crate::tdp::tdpb::{self, Payload};
use crate::tdp::{decode_any, AnyMessage, FastPathUpdates, Message};

/// The largest length a fast-path header can state (15 bits): no update
/// of a PDU is longer.
const MAX_PDU_LEN: usize = 0x7fff;
/// Bytes of a PDU header written here: the first byte and a two-byte length.
const PDU_HEADER_LEN: usize = 3;
/// Pixels, in bytes, a PNG may decode to.
const MAX_DECODED_BYTES: usize = 256 << 20;

/// Why a frame cannot be cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsplittable(String);

impl fmt::Display for Unsplittable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn unsplittable(why: impl Into<String>) -> Unsplittable {
    Unsplittable(why.into())
}

/// Cuts `frame` into messages of at most `limit` bytes each, in the order
/// they are to be played.
pub fn split(frame: &[u8], limit: usize) -> Result<Vec<Vec<u8>>, Unsplittable> {
    let (message, _) =
        decode_any(frame).map_err(|e| unsplittable(format!("it is not one TDP message ({e})")))?;
    let form = Form::of(&message)?;
    let pieces = match &form {
        Form::Png { png, .. } => png_tiles(png, &form, limit)?,
        Form::FastPath { pdu, .. } => fast_path_pieces(pdu, &form, limit)?,
    };
    Ok(pieces)
}

/// The frame's message, as far as cutting it needs.
enum Form<'a> {
    /// A PNG frame: `tdpb` tells TDPB from legacy, `code` 2 from 27.
    Png {
        code: u8,
        tdpb: bool,
        rect: [u32; 4],
        png: Cow<'a, [u8]>,
    },
    /// A fast-path PDU, legacy or TDPB.
    FastPath { tdpb: bool, pdu: Cow<'a, [u8]> },
}

impl<'a> Form<'a> {
    fn of(message: &'a AnyMessage<'a>) -> Result<Self, Unsplittable> {
        let form = match message {
            AnyMessage::Tdp(Message::PngFrame {
                left,
                top,
                right,
                bottom,
                png,
            }) => Form::Png {
                code: 2,
                tdpb: false,
                rect: [*left, *top, *right, *bottom],
                png: Cow::Borrowed(png),
            },
            AnyMessage::Tdp(Message::Png2Frame {
                left,
                top,
                right,
                bottom,
                png,
            }) => Form::Png {
                code: 27,
                tdpb: false,
                rect: [*left, *top, *right, *bottom],
                png: Cow::Borrowed(png),
            },
            AnyMessage::Tdp(Message::RdpFastPathPdu { pdu }) => Form::FastPath {
                tdpb: false,
                pdu: Cow::Borrowed(pdu),
            },
            AnyMessage::Tdpb(frame) => match frame.payload() {
                Some(Payload::PngFrame(png)) => {
                    let c = png.coordinates.unwrap_or_default();
                    Form::Png {
                        code: 0,
                        tdpb: true,
                        rect: [c.left, c.top, c.right, c.bottom],
                        png: Cow::Borrowed(&png.data),
                    }
                }
                Some(Payload::FastPathPdu(pdu)) => Form::FastPath {
                    tdpb: true,
                    pdu: Cow::Borrowed(&pdu.pdu),
                },
                _ => {
                    return Err(unsplittable(format!(
                        "only PNG frames and fast-path PDUs can be cut, not a {}",
                        message.kind()
                    )))
                }
            },
            other => {
                return Err(unsplittable(format!(
                    "only PNG frames and fast-path PDUs can be cut, not a {}",
                    other.kind()
                )))
            }
        };
        Ok(form)
    }

    /// The message of this form holding a tile's `rect` and `png`.
    fn png_message(&self, rect: [u32; 4], png: Vec<u8>) -> Vec<u8> {
        let Form::Png { code, tdpb, .. } = self else {
            unreachable!("only a PNG frame has tiles")
        };
        let [left, top, right, bottom] = rect;
        let mut out = Vec::new();
        if *tdpb {
            let envelope = tdpb::proto::teleport::desktop::v1::Envelope {
                payload: Some(Payload::PngFrame(PngFrame {
                    coordinates: Some(Rectangle {
                        left,
                        top,
                        right,
                        bottom,
                    }),
                    data: png,
                })),
            };
            // A tile's envelope is smaller than the limit checked below.
            let _ = tdpb::encode_envelope(&envelope, &mut out);
            return out;
        }
        let png = Cow::Owned(png);
        let message = match code {
            2 => Message::PngFrame {
                left,
                top,
                right,
                bottom,
                png,
            },
            _ => Message::Png2Frame {
                left,
                top,
                right,
                bottom,
                png,
            },
        };
        message.encode(&mut out).expect("a PNG frame encodes");
        out
    }

    /// The message of this form holding the fast-path PDU `pdu`.
    fn fast_path_message(&self, pdu: Vec<u8>) -> Vec<u8> {
        let Form::FastPath { tdpb, .. } = self else {
            unreachable!("only a fast-path frame has PDUs")
        };
        let mut out = Vec::new();
        if *tdpb {
            let envelope = tdpb::proto::teleport::desktop::v1::Envelope {
                payload: Some(Payload::FastPathPdu(FastPathPdu { pdu })),
            };
            let _ = tdpb::encode_envelope(&envelope, &mut out);
            return out;
        }
        Message::RdpFastPathPdu {
            pdu: Cow::Owned(pdu),
        }
        .encode(&mut out)
        .expect("a fast-path PDU encodes");
        out
    }
}

/// A decoded image: samples of `channels` per pixel, `depth` bytes each.
struct Image<'i> {
    info: png::Info<'i>,
    pixels: Vec<u8>,
    width: u32,
    height: u32,
    /// Bytes per pixel.
    pixel_bytes: usize,
}

/// Tiles of the PNG frame `form`, each message at most `limit` bytes.
fn png_tiles(png: &[u8], form: &Form<'_>, limit: usize) -> Result<Vec<Vec<u8>>, Unsplittable> {
    let image = decode(png)?;
    let Form::Png { rect, .. } = form else {
        unreachable!("png_tiles is given a PNG frame")
    };
    // What right − left and bottom − top add to the image's size.
    let extra = [
        i64::from(rect[2]) - i64::from(rect[0]) - i64::from(image.width),
        i64::from(rect[3]) - i64::from(rect[1]) - i64::from(image.height),
    ];
    let mut tiles = Vec::new();
    let mut pending = halves([0, 0, image.width, image.height]);
    pending.reverse();
    while let Some(tile) = pending.pop() {
        let [x, y, w, h] = tile;
        let coordinate = |origin: u32, offset: u32, size: u32, extra: i64| {
            let start = i64::from(origin) + i64::from(offset);
            let end = start + i64::from(size) + extra;
            match (u32::try_from(start), u32::try_from(end)) {
                (Ok(start), Ok(end)) => Ok((start, end)),
                _ => Err(unsplittable("a tile's coordinates would not fit 32 bits")),
            }
        };
        let (left, right) = coordinate(rect[0], x, w, extra[0])?;
        let (top, bottom) = coordinate(rect[1], y, h, extra[1])?;
        let message = form.png_message([left, top, right, bottom], encode(&image, tile)?);
        if message.len() <= limit {
            tiles.push(message);
        } else if w * h > 1 {
            for half in halves(tile).into_iter().rev() {
                pending.push(half);
            }
        } else {
            return Err(unsplittable(
                "a tile of a single pixel is still too large for one event",
            ));
        }
    }
    Ok(tiles)
}

/// The two halves of `[x, y, w, h]`, cut across its longer side; the first
/// takes the larger half.
fn halves([x, y, w, h]: [u32; 4]) -> Vec<[u32; 4]> {
    if w >= h {
        let first = w.div_ceil(2);
        vec![[x, y, first, h], [x + first, y, w - first, h]]
    } else {
        let first = h.div_ceil(2);
        vec![[x, y, w, first], [x, y + first, w, h - first]]
    }
}

/// Decodes `png` into samples a browser would draw.
fn decode(png: &[u8]) -> Result<Image<'static>, Unsplittable> {
    let bad = |e: png::DecodingError| unsplittable(format!("its PNG does not decode ({e})"));
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(png),
        png::Limits {
            bytes: MAX_DECODED_BYTES,
        },
    );
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().map_err(bad)?;
    if reader.info().animation_control.is_some() {
        return Err(unsplittable("its PNG is animated"));
    }
    let size = reader
        .output_buffer_size()
        .filter(|&size| size <= MAX_DECODED_BYTES)
        .ok_or_else(|| unsplittable("its PNG decodes to more than 256 MiB"))?;
    let mut pixels = vec![0; size];
    let output = reader.next_frame(&mut pixels).map_err(bad)?;
    pixels.truncate(output.buffer_size());
    let source = reader.info();
    let mut info = png::Info::with_size(output.width, output.height);
    info.color_type = output.color_type;
    info.bit_depth = output.bit_depth;
    info.source_gamma = source.source_gamma;
    info.source_chromaticities = source.source_chromaticities;
    info.srgb = source.srgb;
    info.icc_profile = source
        .icc_profile
        .clone()
        .map(|p| Cow::Owned(p.into_owned()));
    let pixel_bytes = output.color_type.samples()
        * if output.bit_depth == png::BitDepth::Sixteen {
            2
        } else {
            1
        };
    Ok(Image {
        info,
        pixels,
        width: output.width,
        height: output.height,
        pixel_bytes,
    })
}

/// The PNG of the tile `[x, y, w, h]` of `image`.
fn encode(image: &Image<'_>, [x, y, w, h]: [u32; 4]) -> Result<Vec<u8>, Unsplittable> {
    let fail = |e: png::EncodingError| unsplittable(format!("a tile does not encode ({e})"));
    let mut info = image.info.clone();
    info.width = w;
    info.height = h;
    let row = image.width as usize * image.pixel_bytes;
    let (start, len) = (
        x as usize * image.pixel_bytes,
        w as usize * image.pixel_bytes,
    );
    let mut samples = Vec::with_capacity(len * h as usize);
    for line in image
        .pixels
        .chunks_exact(row)
        .skip(y as usize)
        .take(h as usize)
    {
        samples.extend_from_slice(&line[start..start + len]);
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::with_info(&mut out, info).map_err(fail)?;
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(&samples).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(out)
}

/// One update of a PDU, as the pieces are built from it.
struct Update<'a> {
    /// The first byte of the PDU it came from.
    pdu_header: u8,
    /// Its update header: code, fragmentation and compression bits.
    header: u8,
    compression_flags: Option<u8>,
    data: &'a [u8],
}

/// The fast-path PDUs of `form`, one update each, each message at most
/// `limit` bytes. An update came in a PDU of at most [`MAX_PDU_LEN`] bytes,
/// so it fits one again; its fragmentation bits go with it, so that the
/// player joins fragments across messages as before.
fn fast_path_pieces(
    pdus: &[u8],
    form: &Form<'_>,
    limit: usize,
) -> Result<Vec<Vec<u8>>, Unsplittable> {
    let mut pieces = Vec::new();
    for update in updates(pdus)? {
        let message = form.fast_path_message(pdu(&update));
        if message.len() > limit {
            return Err(unsplittable(
                "one fast-path update is still too large for one event",
            ));
        }
        pieces.push(message);
    }
    Ok(pieces)
}

/// Every update of the whole PDUs in `bytes`.
fn updates(mut bytes: &[u8]) -> Result<Vec<Update<'_>>, Unsplittable> {
    let mut all = Vec::new();
    while !bytes.is_empty() {
        let mut updates = FastPathUpdates::new(bytes);
        let header = updates
            .header()
            .ok_or_else(|| unsplittable("its bytes are not whole fast-path PDUs"))?;
        if header.flags != 0 {
            return Err(unsplittable(
                "a fast-path PDU is encrypted or signed, and cannot be re-framed",
            ));
        }
        let length = usize::from(header.length);
        if length < header.header_len || length > bytes.len() {
            return Err(unsplittable("its bytes are not whole fast-path PDUs"));
        }
        for update in updates.by_ref() {
            all.push(Update {
                pdu_header: bytes[0],
                header: update.code.0 | (update.fragmentation << 4) | (update.compression << 6),
                compression_flags: update.compression_flags,
                data: update.data,
            });
        }
        if !updates.unparsed().is_empty() {
            return Err(unsplittable("a fast-path update runs past its PDU"));
        }
        bytes = &bytes[length..];
    }
    Ok(all)
}

/// A PDU holding `update` alone, its length in the two-byte form.
fn pdu(update: &Update<'_>) -> Vec<u8> {
    let length = PDU_HEADER_LEN
        + 1
        + usize::from(update.compression_flags.is_some())
        + 2
        + update.data.len();
    debug_assert!(length <= MAX_PDU_LEN, "an update of a PDU fits a PDU");
    let mut out = Vec::with_capacity(length);
    out.push(update.pdu_header);
    out.extend_from_slice(&(0x8000 | length as u16).to_be_bytes());
    out.push(update.header);
    out.extend(update.compression_flags);
    out.extend_from_slice(&(update.data.len() as u16).to_le_bytes());
    out.extend_from_slice(update.data);
    out
}
