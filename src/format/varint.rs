//! ULEB128 variable-length integers, as used for record time deltas and
//! inflated lengths.
//!
//! Small time deltas (most frames follow the previous one by a few
//! milliseconds) take one to three bytes instead of eight. The encoding is the
//! one protobuf calls a varint: seven bits a byte, least significant group
//! first, high bit set on every byte but the last.

use nom::error::{Error as NomError, ErrorKind};
use nom::IResult;

/// The most bytes a `u64` takes in ULEB128.
pub const MAX_LEN: usize = 10;

/// Parses one ULEB128 `u64` in complete mode: running out of input is an
/// error, as is an encoding longer than ten bytes or a value over `u64::MAX`.
/// One- and two-byte values (time deltas under 16 ms, message lengths under
/// 16 KiB: nearly all of them) take a short inlined path.
#[inline]
pub fn parse(input: &[u8]) -> IResult<&[u8], u64> {
    match *input {
        [first, ref rest @ ..] if first < 0x80 => Ok((rest, u64::from(first))),
        [first, second, ref rest @ ..] if second < 0x80 => {
            Ok((rest, u64::from(first & 0x7f) | u64::from(second) << 7))
        }
        _ => parse_long(input),
    }
}

/// [`parse`] for three bytes or more, and for every error.
#[inline(never)]
fn parse_long(input: &[u8]) -> IResult<&[u8], u64> {
    let mut value = 0u64;
    for (i, &byte) in input.iter().enumerate().take(MAX_LEN) {
        let group = u64::from(byte & 0x7f);
        if i == MAX_LEN - 1 && group > 1 {
            return Err(nom::Err::Error(NomError::new(input, ErrorKind::TooLarge)));
        }
        value |= group << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((&input[i + 1..], value));
        }
    }
    let kind = if input.len() >= MAX_LEN {
        ErrorKind::TooLarge
    } else {
        ErrorKind::Eof
    };
    Err(nom::Err::Error(NomError::new(input, kind)))
}

/// Reads one ULEB128 `u64` (spec 1) at the start of `input`: the value and
/// the bytes after it, or `None` when the encoding is invalid or cut short.
/// (Re-exported as `tdpr::format::decode_uleb128`.)
pub fn decode(input: &[u8]) -> Option<(u64, &[u8])> {
    parse(input).ok().map(|(rest, value)| (value, rest))
}

/// Writes `value` into `out` and returns the number of bytes used.
#[inline]
pub fn encode(mut value: u64, out: &mut [u8; MAX_LEN]) -> usize {
    let mut len = 0;
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out[len] = byte;
            return len + 1;
        }
        out[len] = byte | 0x80;
        len += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_encodings() {
        let cases: [(u64, &[u8]); 6] = [
            (0, &[0x00]),
            (127, &[0x7f]),
            (128, &[0x80, 0x01]),
            (16_000, &[0x80, 0x7d]),
            (624_485, &[0xe5, 0x8e, 0x26]),
            (
                u64::MAX,
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
        ];
        for (value, bytes) in cases {
            let mut buf = [0; MAX_LEN];
            let len = encode(value, &mut buf);
            assert_eq!(&buf[..len], bytes, "encode {value}");
            assert_eq!(parse(bytes), Ok((&[][..], value)), "parse {value}");
        }
    }

    #[test]
    fn rejects_overlong_and_short() {
        assert!(parse(&[0x80, 0x80]).is_err());
        assert!(parse(&[]).is_err());
        assert!(parse(&[0xff; 9].iter().chain(&[0x02]).copied().collect::<Vec<_>>()).is_err());
        assert!(parse(&[0x80; 11]).is_err());
    }
}
