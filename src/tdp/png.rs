//! Finding where a PNG file ends, for the one TDP message without a length.
//!
//! Why it exists: PNG frame (type 2) puts a PNG file after its rectangle with
//! no length field; Teleport's decoders learn its end only by decoding the
//! image. To keep bytes exact without decoding pixels we walk the PNG's
//! chunk structure (signature, then `| length uint32 | type [4]byte |
//! data [length]byte | crc uint32 |` chunks) up to and including `IEND`.
//! Chunk contents and CRCs are not checked: they are kept, not interpreted.

use nom::bytes::complete::{tag, take};
use nom::number::complete::be_u32;

use super::wire::{Parsed, WireError};

use crate::format::PNG_SIGNATURE;

/// Chunk type of the last chunk of a PNG file.
const IEND: &[u8; 4] = b"IEND";

/// The PNG file at the start of `input`, signature through the `IEND` chunk.
pub(crate) fn png_image(input: &[u8]) -> Parsed<'_, &[u8]> {
    let (mut rest, _) =
        tag::<_, _, WireError<'_>>(&PNG_SIGNATURE[..])(input).map_err(|error| match error {
            // A shorter input that matches so far is a cut-off PNG.
            nom::Err::Error(_) if PNG_SIGNATURE.starts_with(input) => {
                nom::Err::Error(WireError::truncated(&input[input.len()..]))
            }
            _ => WireError::malformed(
                input,
                "PNG frame data does not start with the PNG signature",
            ),
        })?;
    loop {
        let (after_length, length) = be_u32(rest)?;
        let (after_type, chunk_type) = take(4usize)(after_length)?;
        // `take` checks the length against the input; nothing is allocated.
        let (after_data, _) = take(length)(after_type)?;
        let (after_crc, _) = take(4usize)(after_data)?;
        rest = after_crc;
        if chunk_type == IEND {
            break;
        }
    }
    let length = input.len() - rest.len();
    Ok((rest, &input[..length]))
}
