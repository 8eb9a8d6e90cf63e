//! Inputs that are not whole, well-formed messages.

use tdpr::tdp::{decode, decode_any, Error};

use super::support::{be32, bytes, prefixed, TINY_PNG};

fn error_of(wire: &[u8]) -> Error {
    match decode(wire) {
        Ok((message, _)) => panic!("{wire:02x?} decoded to {message:?}"),
        Err(error) => error,
    }
}

#[test]
fn empty_input_is_truncated_at_zero() {
    for error in [decode(&[]).unwrap_err(), decode_any(&[]).unwrap_err()] {
        assert_eq!(error, Error::Truncated { offset: 0 });
        assert_eq!(error.class(), "truncated_message");
    }
}

#[test]
fn every_proper_prefix_of_a_message_is_truncated() {
    let wire = bytes(&[
        &[21],
        &be32(1),
        &be32(2),
        &[0; 8],
        &prefixed(b"path"),
        &prefixed(b"xyz"),
    ]);
    for end in 0..wire.len() {
        let error = error_of(&wire[..end]);
        assert_eq!(error.class(), "truncated_message", "prefix of {end} bytes");
        assert!(error.offset().unwrap() <= end, "offset within the prefix");
    }
}

#[test]
fn huge_length_field_is_truncation_not_allocation() {
    // Clipboard data claiming 4 GiB with 3 bytes present.
    let error = error_of(&[6, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    assert_eq!(error, Error::Truncated { offset: 5 });
    // A listing claiming 2^32 - 1 objects in 25 bytes.
    let error = error_of(&bytes(&[
        &[26],
        &be32(0),
        &be32(0),
        &be32(u32::MAX),
        &[0; 25],
    ]));
    assert_eq!(error.class(), "truncated_message");
}

#[test]
fn invalid_utf8_string_is_malformed_at_its_length_field() {
    let error = error_of(&[7, 0, 0, 0, 2, 0xc3, 0x28]);
    assert_eq!(error.class(), "malformed_message");
    assert_eq!(error.offset(), Some(1));
}

#[test]
fn png_frame_without_png_signature_is_malformed() {
    let error = error_of(&bytes(&[&[2], &[0; 16], b"GIF89a.."]));
    assert_eq!(error.class(), "malformed_message");
    assert_eq!(error.offset(), Some(17));
}

#[test]
fn png_frame_cut_inside_the_png_is_truncated() {
    let wire = bytes(&[&[2], &[0; 16], &TINY_PNG]);
    for end in 17..wire.len() {
        assert_eq!(
            error_of(&wire[..end]).class(),
            "truncated_message",
            "end {end}"
        );
    }
}

#[test]
fn png_frame_stops_after_iend() {
    let wire = bytes(&[&[2], &[0; 16], &TINY_PNG, b"next"]);
    let (_, consumed) = decode(&wire).unwrap();
    assert_eq!(consumed, wire.len() - 4);
}

#[test]
fn keyboard_layout_with_wrong_length_is_malformed() {
    let error = error_of(&bytes(&[&[37], &be32(2), &[0, 1]]));
    assert_eq!(error.class(), "malformed_message");
    assert_eq!(error.offset(), Some(1));
}

#[test]
fn errors_say_class_and_offset_in_text() {
    let text = error_of(&[3, 0, 0]).to_string();
    assert!(text.contains("truncated"), "{text}");
    assert!(text.contains('1'), "{text}");
}
