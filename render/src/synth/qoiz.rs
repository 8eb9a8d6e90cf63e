//! QOIZ surface commands, as IronRDP's server sends them to Teleport's
//! Linux desktops: each update a QOI image (RGB), all updates of a
//! connection compressed as one zstd stream flushed after each update.

use super::{crop, SynthError};
use crate::{Rect, RgbaImage};

/// The QOIZ encoder of one connection.
pub struct Qoiz {
    stream: zstd_safe::CCtx<'static>,
}

impl Qoiz {
    /// A new connection: a new zstd stream.
    pub fn new() -> Result<Self, SynthError> {
        let mut stream = zstd_safe::CCtx::create();
        stream
            .set_parameter(zstd_safe::CParameter::CompressionLevel(3))
            .map_err(zstd_error)?;
        Ok(Qoiz { stream })
    }

    /// The QOIZ payload drawing `area` of `image`.
    pub fn encode(&mut self, image: &RgbaImage, area: Rect) -> Result<Vec<u8>, SynthError> {
        let rgb: Vec<u8> = crop(image, area)
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let qoi = qoi::encode_to_vec(&rgb, area.width, area.height)
            .map_err(|e| SynthError(format!("QOI: {e}")))?;
        let mut input = zstd_safe::InBuffer::around(&qoi);
        let mut out = vec![0u8; zstd_safe::compress_bound(qoi.len()) + 64];
        let mut pos = 0;
        loop {
            let mut output = zstd_safe::OutBuffer::around_pos(out.as_mut_slice(), pos);
            let left = self
                .stream
                .compress_stream2(
                    &mut output,
                    &mut input,
                    zstd_safe::zstd_sys::ZSTD_EndDirective::ZSTD_e_flush,
                )
                .map_err(zstd_error)?;
            pos = output.pos();
            if left == 0 {
                break;
            }
            out.resize(out.len() + left, 0);
        }
        out.truncate(pos);
        Ok(out)
    }
}

fn zstd_error(code: usize) -> SynthError {
    SynthError(format!("zstd: {}", zstd_safe::get_error_name(code)))
}
