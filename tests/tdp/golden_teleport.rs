//! Byte vectors taken from Teleport's own codec tests.
//!
//! Sources (gravitational/teleport):
//! * `web/packages/shared/libs/tdp/codec.test.ts` (web client codec tests);
//! * `lib/srv/desktop/tdp/protocol/legacy/proto_test.go` (`TestEncodeDecode`,
//!   `FuzzDecode` seed corpus, `TestBadDecode`), with the bytes their Go
//!   `Encode` methods write, read from `protocol/legacy/proto.go`.

use std::borrow::Cow;

use tdpr::tdp::{decode, Message, MessageType};

use super::support::{assert_exact, be32, bytes, prefixed};

const HELLO: &[u8] = b"Helloworld!*@123";

// codec.test.ts: 'encodes and decodes the screen spec' (1800 x 1200).
#[test]
fn web_screen_spec() {
    assert_exact(
        &[1, 0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x04, 0xb0],
        &Message::ClientScreenSpec {
            width: 1800,
            height: 1200,
        },
    );
}

// codec.test.ts: 'encodes mouse moves' (x = 0, y = 2^32 - 1).
#[test]
fn web_mouse_move_extremes() {
    assert_exact(
        &[3, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],
        &Message::MouseMove { x: 0, y: u32::MAX },
    );
}

// codec.test.ts: 'encodes mouse buttons' (buttons 0..=2, DOWN = 1, UP = 0).
#[test]
fn web_mouse_buttons() {
    for button in 0..=2u8 {
        for state in [1u8, 0] {
            assert_exact(&[4, button, state], &Message::MouseButton { button, state });
        }
    }
}

// codec.test.ts: 'encodes typical characters for username and password'.
#[test]
fn web_username_ascii() {
    let wire = bytes(&[&[7], &prefixed(HELLO)]);
    assert_eq!(wire[1..5], [0, 0, 0, 16]);
    assert_exact(
        &wire,
        &Message::ClientUsername {
            username: "Helloworld!*@123",
        },
    );
}

// codec.test.ts: 'encodes utf8 characters correctly up to 3 bytes'.
#[test]
fn web_username_utf8_ranges() {
    let utf8 = [
        0x00, 0x7f, 0xc2, 0x80, 0xdf, 0xbf, 0xe0, 0xa0, 0x80, 0xef, 0xbf, 0xbf,
    ];
    assert_exact(
        &bytes(&[&[7, 0, 0, 0, 12], &utf8]),
        &Message::ClientUsername {
            username: "\u{0000}\u{007F}\u{0080}\u{07FF}\u{0800}\u{FFFF}",
        },
    );
}

// codec.test.ts: 'encodes mouse wheel scroll event' (vertical, delta 860).
#[test]
fn web_mouse_wheel() {
    assert_exact(
        &[8, 0, 0x03, 0x5c],
        &Message::MouseWheel {
            axis: 0,
            delta: 860,
        },
    );
}

// codec.test.ts: 'decodes errors' ("An error occurred").
// proto_test.go TestEncodeDecode: Error{Message: "An error occurred"}.
#[test]
fn error_message() {
    assert_exact(
        &bytes(&[&[9, 0, 0, 0, 17], b"An error occurred"]),
        &Message::Error {
            message: "An error occurred",
        },
    );
}

// codec.test.ts: 'encodes and decodes clipboard data'.
#[test]
fn web_clipboard() {
    assert_exact(
        &bytes(&[&[6, 0, 0, 0, 16], HELLO]),
        &Message::ClipboardData {
            data: Cow::Borrowed(HELLO),
        },
    );
}

// proto_test.go TestEncodeDecode: the fixed-layout messages.
#[test]
fn go_encode_decode_cases() {
    assert_exact(
        &[3, 0, 0, 0, 1, 0, 0, 0, 2],
        &Message::MouseMove { x: 1, y: 2 },
    );
    // MiddleMouseButton = 1, ButtonPressed = 1.
    assert_exact(
        &[4, 1, 1],
        &Message::MouseButton {
            button: 1,
            state: 1,
        },
    );
    assert_exact(
        &[5, 0, 0, 0, 1, 1],
        &Message::KeyboardButton {
            key_code: 1,
            state: 1,
        },
    );
    assert_exact(
        &bytes(&[&[1], &be32(123), &be32(456)]),
        &Message::ClientScreenSpec {
            width: 123,
            height: 456,
        },
    );
    assert_exact(
        &bytes(&[&[7, 0, 0, 0, 5], b"admin"]),
        &Message::ClientUsername { username: "admin" },
    );
    // HorizontalWheelAxis = 1, delta -123 = 0xff85 as int16.
    assert_exact(
        &[8, 1, 0xff, 0x85],
        &Message::MouseWheel {
            axis: 1,
            delta: -123,
        },
    );
}

// proto_test.go FuzzDecode seed: "\nn\x00\x00\x00\x04  {}" is an MFA
// message of type 'n' carrying the 4-byte JSON "  {}".
#[test]
fn go_fuzz_seed_mfa() {
    assert_exact(
        b"\nn\x00\x00\x00\x04  {}",
        &Message::Mfa {
            mfa_type: b'n',
            json: "  {}",
        },
    );
}

// proto_test.go FuzzDecode seed with trailing bytes: only the message is
// consumed, the rest is left to the caller.
#[test]
fn go_fuzz_seed_mfa_with_trailing_bytes() {
    let mut wire = b"\nn\x00\x00\x00\x04 { }".to_vec();
    wire.extend_from_slice(&[b'0'; 105]);
    let (message, consumed) = decode(&wire).unwrap();
    assert_eq!(consumed, 10);
    assert_eq!(
        message,
        Message::Mfa {
            mfa_type: b'n',
            json: " { }"
        }
    );
}

// proto_test.go FuzzDecode seed: "\v00000000\x00\x00\x00\x00" is a shared
// directory announce whose discard and directory_id are both "0000"
// (0x30303030) and whose name is empty.
#[test]
fn go_fuzz_seed_announce() {
    assert_exact(
        b"\x0b00000000\x00\x00\x00\x00",
        &Message::SharedDirectoryAnnounce {
            discard: 0x3030_3030,
            directory_id: 0x3030_3030,
            name: "",
        },
    );
}

// proto_test.go FuzzDecode seeds that are cut short.
#[test]
fn go_fuzz_seeds_truncated() {
    // PNG frame with nothing after the type byte.
    let error = decode(b"\x02").unwrap_err();
    assert_eq!(
        (error.class(), error.offset()),
        ("truncated_message", Some(1))
    );
    // PNG2 frame whose rectangle is cut off.
    for seed in [&b"\x1b\xff\xff\x800"[..], b"\x1b\xff\xff\xff\xeb"] {
        let error = decode(seed).unwrap_err();
        assert_eq!(error.class(), "truncated_message", "{seed:?}");
        assert_eq!(error.offset(), Some(5), "{seed:?}");
    }
}

// proto_test.go FuzzDecode seed "0" and TestBadDecode ([254]): Teleport
// rejects unknown types; tdpr keeps them.
#[test]
fn unknown_types_are_kept() {
    for code in [b'0', 254] {
        assert_exact(
            &[code],
            &Message::Unknown {
                message_type: MessageType(code),
                body: Cow::Borrowed(&[]),
            },
        );
    }
    assert_exact(
        &[200, 1, 2, 3],
        &Message::Unknown {
            message_type: MessageType(200),
            body: Cow::Borrowed(&[1, 2, 3]),
        },
    );
}
