//! Helpers shared by the TDP tests.

use tdpr::tdp::{decode, Message};

/// Big-endian bytes of a `u32`.
pub fn be32(value: u32) -> [u8; 4] {
    value.to_be_bytes()
}

/// Concatenates byte pieces into one message.
pub fn bytes(pieces: &[&[u8]]) -> Vec<u8> {
    pieces.concat()
}

/// `| length uint32 | bytes |`
pub fn prefixed(data: &[u8]) -> Vec<u8> {
    bytes(&[&be32(data.len() as u32), data])
}

/// A real 1×1 RGBA PNG (67 bytes): signature, IHDR, IDAT, IEND.
pub const TINY_PNG: [u8; 67] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, // signature
    0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, // IHDR, 13 bytes
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, //
    0x1f, 0x15, 0xc4, 0x89, // CRC
    0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, // IDAT, 10 bytes
    0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, //
    0x0d, 0x0a, 0x2d, 0xb4, // CRC
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, // IEND, 0 bytes
    0xae, 0x42, 0x60, 0x82, // CRC
];

/// `wire` decodes to `expected`, using all of it, and encodes back to
/// exactly `wire`.
pub fn assert_exact(wire: &[u8], expected: &Message<'_>) {
    let (decoded, consumed) = decode(wire).unwrap_or_else(|e| panic!("decode {wire:02x?}: {e}"));
    assert_eq!(&decoded, expected, "decoded value of {wire:02x?}");
    assert_eq!(consumed, wire.len(), "bytes consumed of {wire:02x?}");
    let mut encoded = Vec::new();
    expected.encode(&mut encoded).unwrap();
    assert_eq!(encoded, wire, "encoding of {expected:?}");
    assert_eq!(
        expected.encoded_len(),
        wire.len(),
        "encoded_len of {expected:?}"
    );
}
