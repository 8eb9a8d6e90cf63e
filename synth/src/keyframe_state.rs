//! The `tdST` chunk of the keyframes a synthetic session writes
//! (spec/rendering.md 6.1), so that a player starts at one without reading
//! the session before it, as it does at the renderer's own keyframes.
//!
//! A synthetic session has PNG tiles and pointer moves only: no fast-path
//! decoder state and no pointer shape, so the chunk says where the pointer
//! is (once a move has been sent) and that nothing before the keyframe is
//! needed. The renderer reads the chunk back and checks these keyframes
//! against a full replay (`tdpr-render`'s keyframe tests).

/// The chunk's type: ancillary, private, not safe to copy.
pub(crate) const CHUNK_TYPE: [u8; 4] = *b"tdST";
/// Version 1, flags, pointer x and y, decoder record offset and time, shape.
pub(crate) const CHUNK_LEN: usize = 27;

const VERSION: u8 = 1;
/// Flag bit 0: the pointer position is known.
const HAS_POSITION: u8 = 1;
/// Pointer shape 0: the default arrow.
const DEFAULT_ARROW: u8 = 0;

/// The chunk of a keyframe taken when the last pointer move sent was to
/// `pointer` (`None`: no move yet). Flag bit 1 stays clear and the decoder
/// record fields zero: nothing before the keyframe needs reading.
pub(crate) fn keyframe_state(pointer: Option<(u32, u32)>) -> [u8; CHUNK_LEN] {
    let mut chunk = [0; CHUNK_LEN];
    chunk[0] = VERSION;
    if let Some((x, y)) = pointer {
        chunk[1] = HAS_POSITION;
        chunk[2..6].copy_from_slice(&x.to_be_bytes());
        chunk[6..10].copy_from_slice(&y.to_be_bytes());
    }
    chunk[26] = DEFAULT_ARROW;
    chunk
}
