//! Property tests: every message type survives encode → decode and
//! decode → encode unchanged; no input makes a decoder panic.

use std::borrow::Cow;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::Union;
use tdpr::format::PNG_SIGNATURE;
use tdpr::tdp::{
    decode, decode_any, from_json, tdpb, to_json, FileSystemObject, Message, MessageType,
};

/// Text that lives for the rest of the test run (messages borrow their text).
fn text() -> impl Strategy<Value = &'static str> {
    "\\PC{0,12}".prop_map(|s| &*Box::leak(s.into_boxed_str()))
}

fn blob() -> impl Strategy<Value = Cow<'static, [u8]>> {
    vec(any::<u8>(), 0..48).prop_map(Cow::Owned)
}

/// A structurally valid PNG: signature, some chunks, IEND.
fn png() -> impl Strategy<Value = Cow<'static, [u8]>> {
    let chunk = (any::<[u8; 4]>(), vec(any::<u8>(), 0..16), any::<[u8; 4]>())
        .prop_filter("not IEND", |(kind, _, _)| kind != b"IEND");
    (vec(chunk, 0..4), any::<[u8; 4]>()).prop_map(|(chunks, iend_crc)| {
        let mut png = PNG_SIGNATURE.to_vec();
        for (kind, data, crc) in chunks {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(&kind);
            png.extend_from_slice(&data);
            png.extend_from_slice(&crc);
        }
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(b"IEND");
        png.extend_from_slice(&iend_crc);
        Cow::Owned(png)
    })
}

fn fso() -> impl Strategy<Value = FileSystemObject<'static>> {
    (
        any::<u64>(),
        any::<u64>(),
        any::<u32>(),
        any::<u8>(),
        text(),
    )
        .prop_map(
            |(last_modified, size, file_type, is_empty, path)| FileSystemObject {
                last_modified,
                size,
                file_type,
                is_empty,
                path,
            },
        )
}

/// Any message, of every type.
fn message() -> impl Strategy<Value = Message<'static>> {
    let u = any::<u32>;
    Union::new(vec![
        (u(), u())
            .prop_map(|(width, height)| Message::ClientScreenSpec { width, height })
            .boxed(),
        (u(), u(), u(), u(), png())
            .prop_map(|(left, top, right, bottom, png)| Message::PngFrame {
                left,
                top,
                right,
                bottom,
                png,
            })
            .boxed(),
        (u(), u())
            .prop_map(|(x, y)| Message::MouseMove { x, y })
            .boxed(),
        any::<(u8, u8)>()
            .prop_map(|(button, state)| Message::MouseButton { button, state })
            .boxed(),
        (u(), any::<u8>())
            .prop_map(|(key_code, state)| Message::KeyboardButton { key_code, state })
            .boxed(),
        blob()
            .prop_map(|data| Message::ClipboardData { data })
            .boxed(),
        text()
            .prop_map(|username| Message::ClientUsername { username })
            .boxed(),
        any::<(u8, i16)>()
            .prop_map(|(axis, delta)| Message::MouseWheel { axis, delta })
            .boxed(),
        text()
            .prop_map(|message| Message::Error { message })
            .boxed(),
        (any::<u8>(), text())
            .prop_map(|(mfa_type, json)| Message::Mfa { mfa_type, json })
            .boxed(),
        (u(), u(), text())
            .prop_map(
                |(discard, directory_id, name)| Message::SharedDirectoryAnnounce {
                    discard,
                    directory_id,
                    name,
                },
            )
            .boxed(),
        (u(), u())
            .prop_map(
                |(err_code, directory_id)| Message::SharedDirectoryAcknowledge {
                    err_code,
                    directory_id,
                },
            )
            .boxed(),
        (u(), u(), text())
            .prop_map(
                |(completion_id, directory_id, path)| Message::SharedDirectoryInfoRequest {
                    completion_id,
                    directory_id,
                    path,
                },
            )
            .boxed(),
        (u(), u(), fso())
            .prop_map(
                |(completion_id, err_code, fso)| Message::SharedDirectoryInfoResponse {
                    completion_id,
                    err_code,
                    fso,
                },
            )
            .boxed(),
        (u(), u(), u(), text())
            .prop_map(|(completion_id, directory_id, file_type, path)| {
                Message::SharedDirectoryCreateRequest {
                    completion_id,
                    directory_id,
                    file_type,
                    path,
                }
            })
            .boxed(),
        (u(), u(), fso())
            .prop_map(
                |(completion_id, err_code, fso)| Message::SharedDirectoryCreateResponse {
                    completion_id,
                    err_code,
                    fso,
                },
            )
            .boxed(),
        (u(), u(), text())
            .prop_map(
                |(completion_id, directory_id, path)| Message::SharedDirectoryDeleteRequest {
                    completion_id,
                    directory_id,
                    path,
                },
            )
            .boxed(),
        (u(), u())
            .prop_map(
                |(completion_id, err_code)| Message::SharedDirectoryDeleteResponse {
                    completion_id,
                    err_code,
                },
            )
            .boxed(),
        (u(), u(), text(), any::<u64>(), u())
            .prop_map(|(completion_id, directory_id, path, offset, length)| {
                Message::SharedDirectoryReadRequest {
                    completion_id,
                    directory_id,
                    path,
                    offset,
                    length,
                }
            })
            .boxed(),
        (u(), u(), blob())
            .prop_map(
                |(completion_id, err_code, data)| Message::SharedDirectoryReadResponse {
                    completion_id,
                    err_code,
                    data,
                },
            )
            .boxed(),
        (u(), u(), any::<u64>(), text(), blob())
            .prop_map(|(completion_id, directory_id, offset, path, data)| {
                Message::SharedDirectoryWriteRequest {
                    completion_id,
                    directory_id,
                    offset,
                    path,
                    data,
                }
            })
            .boxed(),
        (u(), u(), u())
            .prop_map(|(completion_id, err_code, bytes_written)| {
                Message::SharedDirectoryWriteResponse {
                    completion_id,
                    err_code,
                    bytes_written,
                }
            })
            .boxed(),
        (u(), u(), text(), text())
            .prop_map(|(completion_id, directory_id, original_path, new_path)| {
                Message::SharedDirectoryMoveRequest {
                    completion_id,
                    directory_id,
                    original_path,
                    new_path,
                }
            })
            .boxed(),
        (u(), u())
            .prop_map(
                |(completion_id, err_code)| Message::SharedDirectoryMoveResponse {
                    completion_id,
                    err_code,
                },
            )
            .boxed(),
        (u(), u(), text())
            .prop_map(
                |(completion_id, directory_id, path)| Message::SharedDirectoryListRequest {
                    completion_id,
                    directory_id,
                    path,
                },
            )
            .boxed(),
        (u(), u(), vec(fso(), 0..4))
            .prop_map(
                |(completion_id, err_code, fso_list)| Message::SharedDirectoryListResponse {
                    completion_id,
                    err_code,
                    fso_list,
                },
            )
            .boxed(),
        (u(), u(), u(), u(), blob())
            .prop_map(|(left, top, right, bottom, png)| Message::Png2Frame {
                left,
                top,
                right,
                bottom,
                png,
            })
            .boxed(),
        (text(), any::<u8>())
            .prop_map(|(message, severity)| Message::Alert { message, severity })
            .boxed(),
        blob()
            .prop_map(|pdu| Message::RdpFastPathPdu { pdu })
            .boxed(),
        blob()
            .prop_map(|pdu| Message::RdpResponsePdu { pdu })
            .boxed(),
        any::<(u16, u16, u16, u16)>()
            .prop_map(
                |(io_channel_id, user_channel_id, screen_width, screen_height)| {
                    Message::RdpConnectionActivated {
                        io_channel_id,
                        user_channel_id,
                        screen_width,
                        screen_height,
                    }
                },
            )
            .boxed(),
        any::<(u8, u8, u8, u8)>()
            .prop_map(
                |(scroll_lock, num_lock, caps_lock, kana_lock)| Message::SyncKeys {
                    scroll_lock,
                    num_lock,
                    caps_lock,
                    kana_lock,
                },
            )
            .boxed(),
        (u(), u(), text(), u())
            .prop_map(|(completion_id, directory_id, path, end_of_file)| {
                Message::SharedDirectoryTruncateRequest {
                    completion_id,
                    directory_id,
                    path,
                    end_of_file,
                }
            })
            .boxed(),
        (u(), u())
            .prop_map(
                |(completion_id, err_code)| Message::SharedDirectoryTruncateResponse {
                    completion_id,
                    err_code,
                },
            )
            .boxed(),
        (u(), u())
            .prop_map(
                |(client_latency_ms, server_latency_ms)| Message::LatencyStats {
                    client_latency_ms,
                    server_latency_ms,
                },
            )
            .boxed(),
        any::<[u8; 16]>()
            .prop_map(|uuid| Message::Ping { uuid })
            .boxed(),
        u().prop_map(|keyboard_layout| Message::ClientKeyboardLayout { keyboard_layout })
            .boxed(),
        Just(Message::Upgrade).boxed(),
        (prop_oneof![Just(0u8), 39u8..=255], blob())
            .prop_map(|(code, body)| Message::Unknown {
                message_type: MessageType(code),
                body,
            })
            .boxed(),
    ])
}

fn encoded(message: &Message<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    message.encode(&mut out).unwrap();
    out
}

proptest! {
    #[test]
    fn decode_of_encode_is_identity(message in message()) {
        let wire = encoded(&message);
        prop_assert_eq!(message.encoded_len(), wire.len());
        prop_assert_eq!(wire[0], message.message_type().0);
        let (decoded, consumed) = decode(&wire).unwrap();
        prop_assert_eq!(consumed, wire.len());
        prop_assert_eq!(decoded, message);
    }

    #[test]
    fn trailing_bytes_are_left_alone(message in message(), tail in vec(any::<u8>(), 1..8)) {
        prop_assume!(!matches!(message, Message::Unknown { .. }));
        let wire = encoded(&message);
        let with_tail = [&wire[..], &tail[..]].concat();
        let (decoded, consumed) = decode(&with_tail).unwrap();
        prop_assert_eq!(consumed, wire.len());
        prop_assert_eq!(decoded, message);
    }

    #[test]
    fn json_round_trip(message in message()) {
        let json = to_json(&message).unwrap();
        let expected_type = message.message_type().name().unwrap_or("unknown");
        prop_assert_eq!(json["type"].as_str(), Some(expected_type));
        prop_assert_eq!(from_json(&json).unwrap(), encoded(&message));
    }

    #[test]
    fn legacy_mapping_survives_tdpb_bytes(message in message()) {
        if let Some(payload) = tdpb::from_legacy(&message) {
            let mut wire = Vec::new();
            tdpb::encode_envelope(&tdpb::Envelope { payload: Some(payload.clone()) }, &mut wire).unwrap();
            let (frame, consumed) = tdpb::decode(&wire).unwrap();
            prop_assert_eq!(consumed, wire.len());
            prop_assert_eq!(frame.payload(), Some(&payload));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_reencode_exactly(wire in vec(any::<u8>(), 0..160)) {
        if let Ok((message, consumed)) = decode(&wire) {
            prop_assert_eq!(encoded(&message), &wire[..consumed]);
        }
        if let Ok((message, consumed)) = decode_any(&wire) {
            let mut out = Vec::new();
            message.encode(&mut out).unwrap();
            prop_assert_eq!(out, &wire[..consumed]);
        }
    }

    #[test]
    fn known_type_with_arbitrary_body(code in 1u8..=38, body in vec(any::<u8>(), 0..120)) {
        let wire = [&[code][..], &body[..]].concat();
        match decode(&wire) {
            Ok((message, consumed)) => {
                prop_assert_eq!(message.message_type(), MessageType(code));
                prop_assert_eq!(encoded(&message), &wire[..consumed]);
            }
            Err(error) => prop_assert!(error.offset().unwrap() <= wire.len()),
        }
    }

    #[test]
    fn tdpb_arbitrary_envelopes(envelope in vec(any::<u8>(), 0..120), extra in vec(any::<u8>(), 0..4)) {
        let wire = [&(envelope.len() as u32).to_be_bytes()[..], &envelope[..], &extra[..]].concat();
        if let Ok((frame, consumed)) = tdpb::decode(&wire) {
            prop_assert_eq!(consumed, 4 + envelope.len());
            let mut out = Vec::new();
            frame.encode(&mut out);
            prop_assert_eq!(out, &wire[..consumed]);
            // The mapping never panics either.
            let _ = frame.to_legacy();
        }
    }
}
