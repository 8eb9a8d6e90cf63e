//! PNG images in and out: tiles and keyframes decoded to RGBA within the
//! renderer's memory limit, screens encoded for keyframes and snapshots.

use std::io::Cursor;

use png::{BitDepth, ColorType, Transformations};

use crate::error::{RenderError, Result};
use crate::MAX_PIXELS;

/// A decoded image: RGBA, 8 bits a channel, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RgbaImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height × 4` bytes.
    pub pixels: Vec<u8>,
}

/// What decoding a PNG tells about its pixels' alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alpha {
    /// No alpha channel and no transparency chunk: every pixel is opaque
    /// (alpha 255), and drawing the image is a copy.
    Opaque,
    /// Some pixels may be translucent.
    Varies,
}

/// Decodes a PNG image of at most [`MAX_PIXELS`] pixels to RGBA into `out`
/// (reused). Any bit depth, colour type, palette or transparency chunk is
/// expanded to 8-bit RGBA (16-bit samples keep their high byte).
pub fn decode_png(png: &[u8], out: &mut RgbaImage) -> Result<Alpha> {
    let bad = |e: png::DecodingError| RenderError::Png(e.to_string());
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(png),
        png::Limits {
            bytes: MAX_PIXELS as usize * 8,
        },
    );
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(bad)?;
    let info = reader.info();
    let (width, height) = (info.width, info.height);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(RenderError::Png(format!(
            "{width}×{height} pixels exceed the renderer's limit of {MAX_PIXELS}"
        )));
    }
    let alpha = match info.color_type {
        ColorType::Rgb | ColorType::Grayscale if info.trns.is_none() => Alpha::Opaque,
        _ => Alpha::Varies,
    };
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| RenderError::Png("image too large".into()))?;
    let rgba_len = width as usize * height as usize * 4;
    out.pixels.clear();
    out.pixels.resize(size.max(rgba_len), 0);
    let frame = reader.next_frame(&mut out.pixels).map_err(bad)?;
    let (width_px, height_px) = (width as usize, height as usize);
    let buffer = &mut out.pixels;
    let channels = match (frame.color_type, frame.bit_depth) {
        (ColorType::Rgba, BitDepth::Eight) => 4,
        (ColorType::Rgb, BitDepth::Eight) => 3,
        (ColorType::GrayscaleAlpha, BitDepth::Eight) => 2,
        (ColorType::Grayscale, BitDepth::Eight) => 1,
        (color, depth) => {
            return Err(RenderError::Png(format!(
                "unexpected {color:?} at {depth:?} after expansion"
            )));
        }
    };
    if frame.line_size != width_px * channels {
        return Err(RenderError::Png(
            "unexpected row length after expansion".into(),
        ));
    }
    match channels {
        3 => widen::<3>(buffer, width_px, height_px, |p| [p[0], p[1], p[2], 255]),
        2 => widen::<2>(buffer, width_px, height_px, |p| [p[0], p[0], p[0], p[1]]),
        1 => widen::<1>(buffer, width_px, height_px, |p| [p[0], p[0], p[0], 255]),
        _ => {}
    }
    out.pixels.truncate(rgba_len);
    out.width = width;
    out.height = height;
    Ok(alpha)
}

/// Widens `height` rows of `width` pixels of `C` bytes, packed at the start
/// of `buffer`, to RGBA in place, with `pixel` making each RGBA pixel. Rows
/// go backwards, so nothing is overwritten before it is read; every row but
/// the first few lies wholly before its widened copy and is widened in one
/// pass the compiler can vectorise.
fn widen<const C: usize>(
    buffer: &mut [u8],
    width: usize,
    height: usize,
    pixel: impl Fn(&[u8]) -> [u8; 4],
) {
    let (narrow_row, wide_row) = (width * C, width * 4);
    for y in (0..height).rev() {
        if y * wide_row >= (y + 1) * narrow_row {
            let (before, from_row) = buffer.split_at_mut(y * wide_row);
            let narrow = &before[y * narrow_row..(y + 1) * narrow_row];
            for (wide, narrow) in from_row[..wide_row]
                .chunks_exact_mut(4)
                .zip(narrow.chunks_exact(C))
            {
                wide.copy_from_slice(&pixel(narrow));
            }
        } else {
            for at in (y * width..(y + 1) * width).rev() {
                let wide = pixel(&buffer[at * C..at * C + C]);
                buffer[at * 4..at * 4 + 4].copy_from_slice(&wide);
            }
        }
    }
}

/// Encodes an RGBA image as a PNG (RGB when every pixel is opaque).
/// `fast` trades size for speed (for images written and read often, such as
/// keyframes: 5 times smaller than the fastest setting on a desktop, for
/// about 10 ms a 1280 × 800 screen, with the filter quickest to undo);
/// otherwise the default compression.
pub fn encode_png(
    width: u32,
    height: u32,
    rgba: &[u8],
    fast: bool,
    out: &mut Vec<u8>,
) -> Result<()> {
    encode_png_with_chunk(width, height, rgba, fast, None, out)
}

/// [`encode_png`], with one more chunk (type, data) before the image data.
pub(crate) fn encode_png_with_chunk(
    width: u32,
    height: u32,
    rgba: &[u8],
    fast: bool,
    chunk: Option<([u8; 4], &[u8])>,
    out: &mut Vec<u8>,
) -> Result<()> {
    let opaque = rgba.chunks_exact(4).all(|p| p[3] == 255);
    let mut encoder = png::Encoder::new(&mut *out, width, height);
    encoder.set_depth(BitDepth::Eight);
    encoder.set_color(if opaque {
        ColorType::Rgb
    } else {
        ColorType::Rgba
    });
    if fast {
        encoder.set_compression(png::Compression::Balanced);
        encoder.set_filter(png::Filter::Up);
    }
    let mut writer = encoder.write_header()?;
    if let Some((kind, data)) = chunk {
        writer.write_chunk(png::chunk::ChunkType(kind), data)?;
    }
    if opaque {
        let rgb: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        writer.write_image_data(&rgb)?;
    } else {
        writer.write_image_data(rgba)?;
    }
    writer.finish()?;
    Ok(())
}

/// Draws `image` with its top-left pixel at (`left`, `top`) on a screen of
/// `width` × `height` RGBA pixels, clipped to it, "source over": a pixel of
/// alpha `a` gives `(src·a + dst·(255 − a) + 127) / 255` per colour channel,
/// and the screen stays opaque (an [`Alpha::Opaque`] image is copied).
/// Returns the rectangle it changed.
pub(crate) fn draw(
    screen: &mut [u8],
    width: u32,
    height: u32,
    (left, top): (u32, u32),
    image: &RgbaImage,
    alpha: Alpha,
) -> crate::Rect {
    let area = crate::Rect::new(left, top, image.width, image.height).clip(width, height);
    if area.is_empty() {
        return area;
    }
    let row_bytes = area.width as usize * 4;
    for row in 0..area.height as usize {
        let src_at = row * image.width as usize * 4;
        let src = &image.pixels[src_at..src_at + row_bytes];
        let dst_at = ((area.y as usize + row) * width as usize + area.x as usize) * 4;
        let dst = &mut screen[dst_at..dst_at + row_bytes];
        match alpha {
            Alpha::Opaque => dst.copy_from_slice(src),
            Alpha::Varies => blend_row(dst, src),
        }
    }
    area
}

/// Source-over of one row of RGBA pixels onto an opaque row.
pub(crate) fn blend_row(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
        match s[3] {
            255 => d.copy_from_slice(s),
            0 => {}
            a => {
                let a = u32::from(a);
                for c in 0..3 {
                    d[c] = ((u32::from(s[c]) * a + u32::from(d[c]) * (255 - a) + 127) / 255) as u8;
                }
                d[3] = 255;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_images_widen_to_rgba() {
        let mut png = Vec::new();
        let mut encoder = png::Encoder::new(&mut png, 3, 2);
        encoder.set_color(ColorType::GrayscaleAlpha);
        encoder.set_depth(BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_image_data(&[0, 255, 50, 128, 100, 0, 150, 255, 200, 255, 250, 1])
            .unwrap();
        writer.finish().unwrap();
        let mut image = RgbaImage::default();
        decode_png(&png, &mut image).unwrap();
        assert_eq!(&image.pixels[..8], &[0, 0, 0, 255, 50, 50, 50, 128]);
        assert_eq!(&image.pixels[20..], &[250, 250, 250, 1]);
    }

    #[test]
    fn every_colour_type_widens_to_the_same_pixels() {
        // A grey ramp, 7 × 9: every row wholly after the first three is
        // widened apart from its own bytes, the first three in place.
        let (width, height) = (7u32, 9u32);
        let grey: Vec<u8> = (0..width * height).map(|i| (i * 4) as u8).collect();
        let rgba: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g, 255]).collect();
        let cases = [
            (ColorType::Grayscale, 1, Alpha::Opaque),
            (ColorType::GrayscaleAlpha, 2, Alpha::Varies),
            (ColorType::Rgb, 3, Alpha::Opaque),
            (ColorType::Rgba, 4, Alpha::Varies),
        ];
        for (color, channels, alpha) in cases {
            let samples: Vec<u8> = rgba
                .chunks_exact(4)
                .flat_map(|p| match channels {
                    1 => vec![p[0]],
                    2 => vec![p[0], p[3]],
                    3 => p[..3].to_vec(),
                    _ => p.to_vec(),
                })
                .collect();
            let mut png = Vec::new();
            let mut encoder = png::Encoder::new(&mut png, width, height);
            encoder.set_color(color);
            encoder.set_depth(BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&samples).unwrap();
            writer.finish().unwrap();
            let mut image = RgbaImage::default();
            assert_eq!(decode_png(&png, &mut image).unwrap(), alpha, "{color:?}");
            assert_eq!((image.width, image.height), (width, height));
            assert_eq!(image.pixels, rgba, "{color:?}");
        }
    }

    #[test]
    fn round_trips_opaque_and_translucent_images() {
        for alpha in [255u8, 128] {
            let pixels: Vec<u8> = (0..6 * 4u32)
                .flat_map(|i| [i as u8 * 9, 255 - i as u8, (i * 3) as u8, alpha])
                .collect();
            let mut png = Vec::new();
            encode_png(6, 4, &pixels, false, &mut png).unwrap();
            let mut image = RgbaImage::default();
            decode_png(&png, &mut image).unwrap();
            assert_eq!((image.width, image.height), (6, 4));
            assert_eq!(image.pixels, pixels);
        }
    }

    #[test]
    fn refuses_what_is_not_a_png_and_images_over_the_limit() {
        let mut image = RgbaImage::default();
        assert!(matches!(
            decode_png(b"not a png", &mut image),
            Err(RenderError::Png(_))
        ));
        // A header claiming 65535 × 65535 pixels: refused before any pixel is allocated.
        let mut png = Vec::new();
        encode_png(1, 1, &[0, 0, 0, 255], false, &mut png).unwrap();
        let ihdr_data = 16;
        png[ihdr_data..ihdr_data + 4].copy_from_slice(&65535u32.to_be_bytes());
        png[ihdr_data + 4..ihdr_data + 8].copy_from_slice(&65535u32.to_be_bytes());
        let crc = crc32fast::hash(&png[12..ihdr_data + 13]);
        png[ihdr_data + 13..ihdr_data + 17].copy_from_slice(&crc.to_be_bytes());
        let error = decode_png(&png, &mut image).unwrap_err().to_string();
        assert!(error.contains("exceed"), "{error}");
    }

    #[test]
    fn source_over_rounds_to_nearest() {
        let mut dst = [0, 100, 200, 255];
        blend_row(&mut dst, &[255, 255, 255, 128]);
        // (255·128 + 0·127 + 127) / 255 = 128; (255·128 + 100·127 + 127)/255 = 178; ... = 228
        assert_eq!(dst, [128, 178, 228, 255]);
    }
}
