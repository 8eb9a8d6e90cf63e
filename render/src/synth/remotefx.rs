//! RemoteFX surface commands, encoded with IronRDP's public stages: colour
//! conversion to YCbCr, then DWT, quantization and RLGR per component
//! (`ironrdp_graphics::rfx_encode_component`), framed by `ironrdp-pdu`'s
//! RemoteFX blocks. The header (channel size, entropy coder) is sent with the
//! first message of a connection only, as Windows and IronRDP's server do.

use ironrdp_graphics::color_conversion::to_64x64_ycbcr_tile;
use ironrdp_graphics::image_processing::PixelFormat;
use ironrdp_graphics::rfx_encode_component;
use ironrdp_pdu::codecs::rfx::{
    Block, ChannelsPdu, CodecChannel, CodecVersionsPdu, ContextPdu, EntropyAlgorithm,
    FrameBeginPdu, FrameEndPdu, OperatingMode, Quant, RegionPdu, RfxChannel, RfxRectangle, SyncPdu,
    Tile, TileSetPdu,
};

use super::{crop, SynthError};
use crate::{Rect, RgbaImage};

const ENTROPY: EntropyAlgorithm = EntropyAlgorithm::Rlgr3;

/// The RemoteFX encoder of one connection.
pub struct RemoteFx {
    screen: (u32, u32),
    header_sent: bool,
    frame: u32,
}

impl RemoteFx {
    /// A new connection on a screen of `width` × `height`.
    pub fn new(width: u32, height: u32) -> Self {
        RemoteFx {
            screen: (width, height),
            header_sent: false,
            frame: 0,
        }
    }

    /// The RemoteFX message drawing `area` of `image` (the surface command
    /// places it at `area`'s corner).
    pub fn encode(&mut self, image: &RgbaImage, area: Rect) -> Result<Vec<u8>, SynthError> {
        let mut out = Vec::new();
        if !self.header_sent {
            self.header_sent = true;
            push(&mut out, &Block::Sync(SyncPdu))?;
            push(
                &mut out,
                &Block::CodecChannel(CodecChannel::Context(ContextPdu {
                    flags: OperatingMode::IMAGE_MODE,
                    entropy_algorithm: ENTROPY,
                })),
            )?;
            push(
                &mut out,
                &Block::Channels(ChannelsPdu(vec![RfxChannel {
                    width: self.screen.0 as i16,
                    height: self.screen.1 as i16,
                }])),
            )?;
            push(&mut out, &Block::CodecVersions(CodecVersionsPdu))?;
        }
        push(
            &mut out,
            &Block::CodecChannel(CodecChannel::FrameBegin(FrameBeginPdu {
                index: self.frame,
                number_of_regions: 1,
            })),
        )?;
        self.frame += 1;
        push(
            &mut out,
            &Block::CodecChannel(CodecChannel::Region(RegionPdu {
                rectangles: vec![RfxRectangle {
                    x: 0,
                    y: 0,
                    width: area.width as u16,
                    height: area.height as u16,
                }],
            })),
        )?;
        let pixels = crop(image, area);
        let quant = Quant::default();
        let stride = area.width * 4;
        let mut encoded: Vec<(u16, u16, [Vec<u8>; 3])> = Vec::new();
        for ty in 0..area.height.div_ceil(64) {
            for tx in 0..area.width.div_ceil(64) {
                let (x, y) = (tx * 64, ty * 64);
                let (w, h) = ((area.width - x).min(64), (area.height - y).min(64));
                let input = &pixels[(y * stride + x * 4) as usize..];
                let mut planes = [[0i16; 64 * 64]; 3];
                let [yp, cb, cr] = &mut planes;
                to_64x64_ycbcr_tile(input, w, h, stride, PixelFormat::RgbA32, yp, cb, cr)
                    .map_err(|e| SynthError(format!("RemoteFX colour conversion: {e:?}")))?;
                let mut components: [Vec<u8>; 3] = Default::default();
                for (plane, data) in planes.iter_mut().zip(&mut components) {
                    let mut buffer = vec![0u8; 64 * 64 * 2];
                    let len = rfx_encode_component(plane, &mut buffer, &quant, ENTROPY)
                        .map_err(|e| SynthError(format!("RemoteFX tile: {e:?}")))?;
                    buffer.truncate(len);
                    *data = buffer;
                }
                encoded.push((tx as u16, ty as u16, components));
            }
        }
        let tiles = encoded
            .iter()
            .map(|(x, y, [y_data, cb_data, cr_data])| Tile {
                y_quant_index: 0,
                cb_quant_index: 0,
                cr_quant_index: 0,
                x: *x,
                y: *y,
                y_data,
                cb_data,
                cr_data,
            })
            .collect();
        push(
            &mut out,
            &Block::CodecChannel(CodecChannel::TileSet(TileSetPdu {
                entropy_algorithm: ENTROPY,
                quants: vec![quant],
                tiles,
            })),
        )?;
        push(
            &mut out,
            &Block::CodecChannel(CodecChannel::FrameEnd(FrameEndPdu)),
        )?;
        Ok(out)
    }
}

fn push(out: &mut Vec<u8>, block: &Block<'_>) -> Result<(), SynthError> {
    out.extend_from_slice(&ironrdp_core::encode_vec(block)?);
    Ok(())
}
