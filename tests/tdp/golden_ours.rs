//! One hand-written vector per legacy message type, laid out from
//! `lib/srv/desktop/tdp/protocol/legacy/proto.go` (Encode/decode functions)
//! and the web client's `codec.ts`. Odd values (high bits set, non-ASCII
//! text) are used on purpose.

use std::borrow::Cow;

use tdpr::tdp::{FileSystemObject, Message, MessageType};

use super::support::{assert_exact, be32, bytes, prefixed, TINY_PNG};

fn be64(value: u64) -> [u8; 8] {
    value.to_be_bytes()
}

fn fso_bytes(path: &str) -> Vec<u8> {
    bytes(&[
        &be64(0x0102_0304_0506_0708),
        &be64(4096),
        &be32(1),
        &[1],
        &prefixed(path.as_bytes()),
    ])
}

fn fso(path: &str) -> FileSystemObject<'_> {
    FileSystemObject {
        last_modified: 0x0102_0304_0506_0708,
        size: 4096,
        file_type: 1,
        is_empty: 1,
        path,
    }
}

#[test]
fn client_screen_spec() {
    assert_exact(
        &[1, 0x80, 0, 0, 1, 0, 0, 0x04, 0x38],
        &Message::ClientScreenSpec {
            width: 0x8000_0001,
            height: 1080,
        },
    );
}

#[test]
fn png_frame_walks_chunks_to_iend() {
    let wire = bytes(&[&[2], &be32(10), &be32(20), &be32(11), &be32(21), &TINY_PNG]);
    assert_exact(
        &wire,
        &Message::PngFrame {
            left: 10,
            top: 20,
            right: 11,
            bottom: 21,
            png: Cow::Borrowed(&TINY_PNG),
        },
    );
}

#[test]
fn mouse_move() {
    assert_exact(
        &[3, 0, 0, 1, 0, 0, 0, 0, 0xff],
        &Message::MouseMove { x: 256, y: 255 },
    );
}

#[test]
fn mouse_button() {
    assert_exact(
        &[4, 2, 0],
        &Message::MouseButton {
            button: 2,
            state: 0,
        },
    );
}

#[test]
fn keyboard_button_extended_scan_code() {
    assert_exact(
        &[5, 0, 0, 0xe0, 0x5b, 1],
        &Message::KeyboardButton {
            key_code: 0xe05b,
            state: 1,
        },
    );
}

#[test]
fn clipboard_data_binary() {
    assert_exact(
        &[6, 0, 0, 0, 3, 0x00, 0xff, 0x80],
        &Message::ClipboardData {
            data: Cow::Borrowed(&[0x00, 0xff, 0x80]),
        },
    );
}

#[test]
fn client_username_non_ascii() {
    assert_exact(
        &bytes(&[&[7], &prefixed("Zoë".as_bytes())]),
        &Message::ClientUsername { username: "Zoë" },
    );
}

#[test]
fn mouse_wheel_negative() {
    assert_exact(
        &[8, 0, 0x80, 0x00],
        &Message::MouseWheel {
            axis: 0,
            delta: i16::MIN,
        },
    );
}

#[test]
fn error() {
    assert_exact(&[9, 0, 0, 0, 0], &Message::Error { message: "" });
}

#[test]
fn mfa_u2f() {
    assert_exact(
        &bytes(&[&[10, b'u'], &prefixed(br#"{"a":1}"#)]),
        &Message::Mfa {
            mfa_type: b'u',
            json: r#"{"a":1}"#,
        },
    );
}

#[test]
fn shared_directory_announce() {
    assert_exact(
        &bytes(&[&[11], &be32(0), &be32(7), &prefixed(b"share")]),
        &Message::SharedDirectoryAnnounce {
            discard: 0,
            directory_id: 7,
            name: "share",
        },
    );
}

#[test]
fn shared_directory_acknowledge() {
    // err_code comes first, then directory_id.
    assert_exact(
        &bytes(&[&[12], &be32(3), &be32(7)]),
        &Message::SharedDirectoryAcknowledge {
            err_code: 3,
            directory_id: 7,
        },
    );
}

#[test]
fn shared_directory_path_requests() {
    let head = bytes(&[&be32(0xdead_beef), &be32(7), &prefixed(b"dir/a.txt")]);
    let cases: [(u8, Message<'_>); 3] = [
        (
            13,
            Message::SharedDirectoryInfoRequest {
                completion_id: 0xdead_beef,
                directory_id: 7,
                path: "dir/a.txt",
            },
        ),
        (
            17,
            Message::SharedDirectoryDeleteRequest {
                completion_id: 0xdead_beef,
                directory_id: 7,
                path: "dir/a.txt",
            },
        ),
        (
            25,
            Message::SharedDirectoryListRequest {
                completion_id: 0xdead_beef,
                directory_id: 7,
                path: "dir/a.txt",
            },
        ),
    ];
    for (code, message) in cases {
        assert_exact(&bytes(&[&[code], &head]), &message);
    }
}

#[test]
fn shared_directory_info_and_create_responses() {
    let body = bytes(&[&be32(5), &be32(0), &fso_bytes("a")]);
    assert_exact(
        &bytes(&[&[14], &body]),
        &Message::SharedDirectoryInfoResponse {
            completion_id: 5,
            err_code: 0,
            fso: fso("a"),
        },
    );
    assert_exact(
        &bytes(&[&[16], &body]),
        &Message::SharedDirectoryCreateResponse {
            completion_id: 5,
            err_code: 0,
            fso: fso("a"),
        },
    );
}

#[test]
fn shared_directory_create_request() {
    assert_exact(
        &bytes(&[&[15], &be32(1), &be32(2), &be32(1), &prefixed(b"new")]),
        &Message::SharedDirectoryCreateRequest {
            completion_id: 1,
            directory_id: 2,
            file_type: 1,
            path: "new",
        },
    );
}

#[test]
fn shared_directory_two_field_responses() {
    let body = bytes(&[&be32(9), &be32(2)]);
    let cases: [(u8, Message<'_>); 3] = [
        (
            18,
            Message::SharedDirectoryDeleteResponse {
                completion_id: 9,
                err_code: 2,
            },
        ),
        (
            24,
            Message::SharedDirectoryMoveResponse {
                completion_id: 9,
                err_code: 2,
            },
        ),
        (
            34,
            Message::SharedDirectoryTruncateResponse {
                completion_id: 9,
                err_code: 2,
            },
        ),
    ];
    for (code, message) in cases {
        assert_exact(&bytes(&[&[code], &body]), &message);
    }
}

#[test]
fn shared_directory_read_request() {
    assert_exact(
        &bytes(&[
            &[19],
            &be32(1),
            &be32(2),
            &prefixed(b"f"),
            &be64(1 << 40),
            &be32(4096),
        ]),
        &Message::SharedDirectoryReadRequest {
            completion_id: 1,
            directory_id: 2,
            path: "f",
            offset: 1 << 40,
            length: 4096,
        },
    );
}

#[test]
fn shared_directory_read_response() {
    assert_exact(
        &bytes(&[&[20], &be32(1), &be32(0), &prefixed(&[9, 8, 7])]),
        &Message::SharedDirectoryReadResponse {
            completion_id: 1,
            err_code: 0,
            data: Cow::Borrowed(&[9, 8, 7]),
        },
    );
}

#[test]
fn shared_directory_write_request_offset_before_path() {
    assert_exact(
        &bytes(&[
            &[21],
            &be32(1),
            &be32(2),
            &be64(77),
            &prefixed(b"f"),
            &prefixed(b"data"),
        ]),
        &Message::SharedDirectoryWriteRequest {
            completion_id: 1,
            directory_id: 2,
            offset: 77,
            path: "f",
            data: Cow::Borrowed(b"data"),
        },
    );
}

#[test]
fn shared_directory_write_response() {
    assert_exact(
        &bytes(&[&[22], &be32(1), &be32(0), &be32(4)]),
        &Message::SharedDirectoryWriteResponse {
            completion_id: 1,
            err_code: 0,
            bytes_written: 4,
        },
    );
}

#[test]
fn shared_directory_move_request() {
    assert_exact(
        &bytes(&[
            &[23],
            &be32(1),
            &be32(2),
            &prefixed(b"old"),
            &prefixed(b"new"),
        ]),
        &Message::SharedDirectoryMoveRequest {
            completion_id: 1,
            directory_id: 2,
            original_path: "old",
            new_path: "new",
        },
    );
}

#[test]
fn shared_directory_list_response() {
    assert_exact(
        &bytes(&[
            &[26],
            &be32(1),
            &be32(0),
            &be32(2),
            &fso_bytes("a"),
            &fso_bytes("bc"),
        ]),
        &Message::SharedDirectoryListResponse {
            completion_id: 1,
            err_code: 0,
            fso_list: vec![fso("a"), fso("bc")],
        },
    );
    assert_exact(
        &bytes(&[&[26], &be32(1), &be32(2), &be32(0)]),
        &Message::SharedDirectoryListResponse {
            completion_id: 1,
            err_code: 2,
            fso_list: vec![],
        },
    );
}

#[test]
fn png2_frame() {
    assert_exact(
        &bytes(&[
            &[27],
            &be32(67),
            &be32(0),
            &be32(0),
            &be32(1),
            &be32(1),
            &TINY_PNG,
        ]),
        &Message::Png2Frame {
            left: 0,
            top: 0,
            right: 1,
            bottom: 1,
            png: Cow::Borrowed(&TINY_PNG),
        },
    );
}

#[test]
fn alert_severity_after_text() {
    assert_exact(
        &bytes(&[&[28], &prefixed(b"warn"), &[1]]),
        &Message::Alert {
            message: "warn",
            severity: 1,
        },
    );
}

#[test]
fn rdp_fast_path_and_response_pdus() {
    let pdu = [0x00, 0x05, 0x05, 0x00, 0x00];
    assert_exact(
        &bytes(&[&[29], &prefixed(&pdu)]),
        &Message::RdpFastPathPdu {
            pdu: Cow::Borrowed(&pdu),
        },
    );
    assert_exact(
        &bytes(&[&[30], &prefixed(&[3, 0, 0, 4])]),
        &Message::RdpResponsePdu {
            pdu: Cow::Borrowed(&[3, 0, 0, 4]),
        },
    );
}

#[test]
fn rdp_connection_activated_uint16_fields() {
    assert_exact(
        &[31, 0x03, 0xeb, 0x03, 0xef, 0x07, 0x80, 0x04, 0x38],
        &Message::RdpConnectionActivated {
            io_channel_id: 1003,
            user_channel_id: 1007,
            screen_width: 1920,
            screen_height: 1080,
        },
    );
}

#[test]
fn sync_keys() {
    assert_exact(
        &[32, 0, 1, 1, 0],
        &Message::SyncKeys {
            scroll_lock: 0,
            num_lock: 1,
            caps_lock: 1,
            kana_lock: 0,
        },
    );
}

#[test]
fn shared_directory_truncate_request() {
    assert_exact(
        &bytes(&[&[33], &be32(1), &be32(2), &prefixed(b"f"), &be32(1024)]),
        &Message::SharedDirectoryTruncateRequest {
            completion_id: 1,
            directory_id: 2,
            path: "f",
            end_of_file: 1024,
        },
    );
}

#[test]
fn latency_stats() {
    assert_exact(
        &bytes(&[&[35], &be32(12), &be32(34)]),
        &Message::LatencyStats {
            client_latency_ms: 12,
            server_latency_ms: 34,
        },
    );
}

#[test]
fn ping_uuid() {
    let uuid: [u8; 16] = core::array::from_fn(|i| i as u8 * 17);
    assert_exact(&bytes(&[&[36], &uuid]), &Message::Ping { uuid });
}

#[test]
fn client_keyboard_layout_has_length_four() {
    assert_exact(
        &bytes(&[&[37], &be32(4), &be32(0x0409)]),
        &Message::ClientKeyboardLayout {
            keyboard_layout: 0x0409,
        },
    );
}

#[test]
fn upgrade_has_no_body() {
    assert_exact(&[38], &Message::Upgrade);
}

/// Every type code Teleport names is decoded to its own variant.
#[test]
fn every_known_code_has_a_variant() {
    assert_eq!(MessageType::KNOWN.len(), 38);
    for (index, code) in MessageType::KNOWN.iter().enumerate() {
        assert_eq!(code.0 as usize, index + 1);
        let name = code.name().unwrap();
        assert_eq!(MessageType::from_name(name), Some(*code));
    }
    assert_eq!(MessageType::ALERT.to_string(), "28 (alert)");
    assert_eq!(MessageType(99).to_string(), "99 (unknown)");
    assert_eq!(MessageType(39).name(), None);
    assert_eq!(MessageType(0).name(), None);
}
