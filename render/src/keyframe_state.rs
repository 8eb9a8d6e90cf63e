//! The renderer state a keyframe carries besides its pixels, in a private
//! PNG chunk, so that a player can start at a keyframe without reading the
//! recording before it (spec/rendering.md §6.1).
//!
//! A keyframe record's image is a complete PNG (format.md 5.5); PNG lets an
//! image carry private ancillary chunks, which every other reader skips. The
//! chunk `tdST` holds the pointer (position and shape) and says whether a
//! fast-path decoder's state must be rebuilt, and from which record: a
//! QOIZ stream's history cannot be stored (up to 128 MiB), only re-read.

use std::sync::Arc;

use crate::pointer::{Pointer, PointerImage, PointerShape};

/// The chunk's type: ancillary, private, not safe to copy (it describes the
/// screen the image shows).
pub(crate) const CHUNK_TYPE: [u8; 4] = *b"tdST";
const VERSION: u8 = 1;
const HAS_POSITION: u8 = 1;
const NEEDS_DECODER: u8 = 2;
/// RDP's largest pointer side (MS-RDPBCGR large pointers).
const MAX_POINTER_SIDE: u16 = 384;

/// Where a player rebuilds fast-path decoder state from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DecoderOrigin {
    /// Offset of the record to start reading at; 0 for the first content
    /// record.
    pub offset: u64,
    /// That record's time.
    pub time_us: u64,
}

/// What a player reads before starting at a keyframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeforeKeyframe {
    /// Nothing: the keyframe holds all the state there is.
    Nothing,
    /// The records from the one at `offset` (of time `time_us`) up to the
    /// keyframe, each frame's message given to [`Screen::prime`](crate::Screen::prime)
    /// and each screen-size record to [`Screen::resize`](crate::Screen::resize).
    RecordsFrom {
        /// File offset of the first record to read.
        offset: u64,
        /// Its time.
        time_us: u64,
    },
    /// The same from the first content record: a keyframe without a
    /// `tdST` chunk this renderer knows.
    AllRecords,
}

/// What a player must read before starting at the keyframe whose PNG image
/// is `png` (spec/rendering.md §6).
pub fn before_keyframe(png: &[u8]) -> BeforeKeyframe {
    match KeyframeState::find(png) {
        None => BeforeKeyframe::AllRecords,
        Some(KeyframeState { decoder: None, .. }) => BeforeKeyframe::Nothing,
        Some(KeyframeState {
            decoder: Some(DecoderOrigin { offset: 0, .. }),
            ..
        }) => BeforeKeyframe::AllRecords,
        Some(KeyframeState {
            decoder: Some(DecoderOrigin { offset, time_us }),
            ..
        }) => BeforeKeyframe::RecordsFrom { offset, time_us },
    }
}

/// What a keyframe's `tdST` chunk says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyframeState {
    pub pointer: Pointer,
    /// `None` when no decoder state is needed: no fast-path update since
    /// the last connection started.
    pub decoder: Option<DecoderOrigin>,
}

impl KeyframeState {
    /// The chunk's data.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![VERSION, 0];
        if let Some((x, y)) = self.pointer.position {
            out[1] |= HAS_POSITION;
            out.extend_from_slice(&x.to_be_bytes());
            out.extend_from_slice(&y.to_be_bytes());
        } else {
            out.extend_from_slice(&[0; 8]);
        }
        let origin = self.decoder.unwrap_or(DecoderOrigin {
            offset: 0,
            time_us: 0,
        });
        if self.decoder.is_some() {
            out[1] |= NEEDS_DECODER;
        }
        out.extend_from_slice(&origin.offset.to_be_bytes());
        out.extend_from_slice(&origin.time_us.to_be_bytes());
        match &self.pointer.shape {
            PointerShape::Default => out.push(0),
            PointerShape::Hidden => out.push(1),
            PointerShape::Image(image) => {
                out.push(2);
                for value in [image.width, image.height, image.hotspot_x, image.hotspot_y] {
                    out.extend_from_slice(&(value as u16).to_be_bytes());
                }
                out.extend_from_slice(&image.rgba);
            }
        }
        out
    }

    /// Reads the chunk's data; `None` when it is not a version this
    /// renderer knows or is malformed (a player then reads the recording
    /// before the keyframe instead).
    pub fn decode(data: &[u8]) -> Option<Self> {
        let (&version, rest) = data.split_first()?;
        if version != VERSION {
            return None;
        }
        let (&flags, rest) = rest.split_first()?;
        let (x, rest) = rest.split_first_chunk::<4>()?;
        let (y, rest) = rest.split_first_chunk::<4>()?;
        let (offset, rest) = rest.split_first_chunk::<8>()?;
        let (time, rest) = rest.split_first_chunk::<8>()?;
        let (&kind, rest) = rest.split_first()?;
        let shape = match kind {
            0 if rest.is_empty() => PointerShape::Default,
            1 if rest.is_empty() => PointerShape::Hidden,
            2 => {
                let (header, rgba) = rest.split_first_chunk::<8>()?;
                let field = |i: usize| u16::from_be_bytes([header[i], header[i + 1]]);
                let (width, height) = (field(0), field(2));
                if width > MAX_POINTER_SIDE
                    || height > MAX_POINTER_SIDE
                    || rgba.len() != usize::from(width) * usize::from(height) * 4
                {
                    return None;
                }
                PointerShape::Image(Arc::new(PointerImage {
                    width: u32::from(width),
                    height: u32::from(height),
                    hotspot_x: u32::from(field(4)),
                    hotspot_y: u32::from(field(6)),
                    rgba: rgba.to_vec(),
                }))
            }
            _ => return None,
        };
        Some(KeyframeState {
            pointer: Pointer {
                position: (flags & HAS_POSITION != 0)
                    .then(|| (u32::from_be_bytes(*x), u32::from_be_bytes(*y))),
                shape,
            },
            decoder: (flags & NEEDS_DECODER != 0).then(|| DecoderOrigin {
                offset: u64::from_be_bytes(*offset),
                time_us: u64::from_be_bytes(*time),
            }),
        })
    }

    /// Finds the chunk in a PNG image (before its image data) and reads it.
    pub fn find(png: &[u8]) -> Option<Self> {
        let mut rest = png.get(8..)?;
        loop {
            let (length, tail) = rest.split_first_chunk::<4>()?;
            let (kind, tail) = tail.split_first_chunk::<4>()?;
            let length = u32::from_be_bytes(*length) as usize;
            if kind == b"IDAT" || kind == b"IEND" {
                return None;
            }
            let data = tail.get(..length)?;
            if *kind == CHUNK_TYPE {
                return Self::decode(data);
            }
            rest = tail.get(length + 4..)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_it_does_not_know() {
        let states = [
            KeyframeState {
                pointer: Pointer::default(),
                decoder: None,
            },
            KeyframeState {
                pointer: Pointer {
                    position: Some((7, 9)),
                    shape: PointerShape::Image(Arc::new(PointerImage {
                        width: 2,
                        height: 1,
                        hotspot_x: 1,
                        hotspot_y: 0,
                        rgba: vec![1, 2, 3, 4, 5, 6, 7, 8],
                    })),
                },
                decoder: Some(DecoderOrigin {
                    offset: 1234,
                    time_us: 5678,
                }),
            },
            KeyframeState {
                pointer: Pointer {
                    position: Some((0, 0)),
                    shape: PointerShape::Hidden,
                },
                decoder: Some(DecoderOrigin {
                    offset: 0,
                    time_us: 0,
                }),
            },
        ];
        for state in states {
            let data = state.encode();
            assert_eq!(KeyframeState::decode(&data), Some(state.clone()));
            for cut in 0..data.len() {
                assert_eq!(KeyframeState::decode(&data[..cut]), None, "cut at {cut}");
            }
            let mut newer = data.clone();
            newer[0] = 2;
            assert_eq!(KeyframeState::decode(&newer), None);
        }
    }
}
