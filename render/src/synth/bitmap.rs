//! Bitmap updates: 64 × 64 tiles, each an RDP 6.0 planar bitmap stream
//! (32 bits a pixel, RLE), encoded with IronRDP's public
//! `BitmapStreamEncoder`, as IronRDP's server sends bitmaps.

use ironrdp_graphics::rdp6::{BitmapStreamEncoder, RgbAChannels};
use ironrdp_pdu::bitmap::{BitmapData, BitmapUpdateData, CompressedDataHeader, Compression};
use ironrdp_pdu::geometry::InclusiveRectangle;

use super::{crop, SynthError};
use crate::{Rect, RgbaImage};

/// The bitmap update drawing `area` of `image`, widened to columns of
/// multiples of 4 (the planar codec's scan width must be one); the image's
/// width must be a multiple of 4.
pub fn encode(image: &RgbaImage, area: Rect) -> Result<Vec<u8>, SynthError> {
    let left = area.x / 4 * 4;
    let right = (area.x + area.width).div_ceil(4) * 4;
    let area = Rect::new(left, area.y, right - left, area.height).clip(image.width, image.height);
    let mut streams = Vec::new();
    for y in (area.y..area.y + area.height).step_by(64) {
        for x in (area.x..area.x + area.width).step_by(64) {
            let tile = Rect::new(x, y, 64, 64).clip(area.x + area.width, area.y + area.height);
            let pixels = crop(image, tile);
            // Rows bottom to top, as RDP bitmaps are.
            let rows = pixels
                .chunks_exact(tile.width as usize * 4)
                .rev()
                .flat_map(|row| row.chunks_exact(4));
            let mut stream = vec![0u8; tile.width as usize * tile.height as usize * 4 + 64];
            let len = BitmapStreamEncoder::new(tile.width as usize, tile.height as usize)
                .encode_pixels_stream::<_, RgbAChannels>(rows, &mut stream, true)
                .map_err(|e| SynthError(format!("RDP 6.0 bitmap stream: {e:?}")))?;
            stream.truncate(len);
            streams.push((tile, stream));
        }
    }
    let rectangles = streams
        .iter()
        .map(|(tile, stream)| BitmapData {
            rectangle: InclusiveRectangle {
                left: tile.x as u16,
                top: tile.y as u16,
                right: (tile.x + tile.width - 1) as u16,
                bottom: (tile.y + tile.height - 1) as u16,
            },
            width: tile.width as u16,
            height: tile.height as u16,
            bits_per_pixel: 32,
            compression_flags: Compression::BITMAP_COMPRESSION,
            compressed_data_header: Some(CompressedDataHeader {
                main_body_size: stream.len() as u16,
                scan_width: tile.width as u16,
                uncompressed_size: (tile.width * tile.height * 4) as u16,
            }),
            bitmap_data: stream,
        })
        .collect();
    Ok(ironrdp_core::encode_vec(&BitmapUpdateData { rectangles })?)
}
