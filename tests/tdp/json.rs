//! JSON form: hand-written expected JSON, and JSON back to bytes.

use std::borrow::Cow;

use serde_json::json;
use tdpr::tdp::{from_json, to_json, Message, MessageType};

use super::support::{be32, bytes, prefixed};

#[test]
fn fields_and_type_name() {
    assert_eq!(
        to_json(&Message::MouseMove { x: 1, y: 2 }).unwrap(),
        json!({"type": "mouse_move", "x": 1, "y": 2})
    );
    assert_eq!(
        to_json(&Message::Upgrade).unwrap(),
        json!({"type": "upgrade"})
    );
    assert_eq!(
        to_json(&Message::SharedDirectoryListResponse {
            completion_id: 1,
            err_code: 0,
            fso_list: vec![tdpr::tdp::FileSystemObject {
                last_modified: 5,
                size: 6,
                file_type: 0,
                is_empty: 0,
                path: "a",
            }],
        })
        .unwrap(),
        json!({"type": "shared_directory_list_response", "completion_id": 1, "err_code": 0,
               "fso_list": [{"last_modified": 5, "size": 6, "file_type": 0, "is_empty": 0, "path": "a"}]})
    );
}

#[test]
fn bytes_are_standard_base64() {
    assert_eq!(
        to_json(&Message::ClipboardData {
            data: Cow::Borrowed(&[0x00, 0xff, 0x80]),
        })
        .unwrap(),
        json!({"type": "clipboard_data", "data": "AP+A"})
    );
    assert_eq!(
        to_json(&Message::Ping { uuid: [0; 16] }).unwrap(),
        json!({"type": "ping", "uuid": "AAAAAAAAAAAAAAAAAAAAAA=="})
    );
    assert_eq!(
        to_json(&Message::Unknown {
            message_type: MessageType(200),
            body: Cow::Borrowed(&[1, 2, 3]),
        })
        .unwrap(),
        json!({"type": "unknown", "message_type": 200, "body": "AQID"})
    );
}

#[test]
fn json_to_bytes() {
    assert_eq!(
        from_json(&json!({"type": "alert", "message": "hi", "severity": 2})).unwrap(),
        bytes(&[&[28], &prefixed(b"hi"), &[2]])
    );
    assert_eq!(
        from_json(
            &json!({"type": "shared_directory_write_request", "completion_id": 1,
                          "directory_id": 2, "offset": 3, "path": "p", "data": "AP+A"})
        )
        .unwrap(),
        bytes(&[
            &[21],
            &be32(1),
            &be32(2),
            &[0, 0, 0, 0, 0, 0, 0, 3],
            &prefixed(b"p"),
            &prefixed(&[0, 0xff, 0x80])
        ])
    );
    assert_eq!(
        from_json(&json!({"type": "unknown", "message_type": 99, "body": "AQID"})).unwrap(),
        vec![99, 1, 2, 3]
    );
}

#[test]
fn bad_json_is_refused() {
    for value in [
        json!({"x": 1}),
        json!({"type": "mouse_move", "x": 1}),
        json!({"type": "mouse_move", "x": -1, "y": 0}),
        json!({"type": "no_such_message"}),
        json!({"type": "clipboard_data", "data": "not base64!"}),
        json!({"type": "ping", "uuid": "AQID"}),
        // An unknown message may not use a code Teleport defines.
        json!({"type": "unknown", "message_type": 3, "body": ""}),
        json!({"type": "tdpb", "envelope": 5}),
    ] {
        let error = from_json(&value).unwrap_err();
        assert_eq!(error.class(), "bad_json", "{value}: {error}");
        assert_eq!(error.offset(), None);
    }
}

#[test]
fn json_that_does_not_read_back_is_refused() {
    // PNG frame data must be a PNG.
    let error = from_json(
        &json!({"type": "png_frame", "left": 0, "top": 0, "right": 1,
                                  "bottom": 1, "png": "AQID"}),
    )
    .unwrap_err();
    assert_eq!(error.class(), "malformed_message");
}
