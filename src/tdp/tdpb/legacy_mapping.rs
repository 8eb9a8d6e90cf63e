//! Mapping between TDPB payloads and legacy TDP messages.
//!
//! Why it exists: a player should draw a TDPB recording and a legacy one
//! with the same code. Teleport translates between the two forms in its
//! proxy (`lib/srv/desktop/tdp/protocol/tdpb/translate.go`); this mapping
//! follows that translation, with the differences listed in `spec/tdp.md`
//! ("Legacy ↔ TDPB mapping"). Where the two forms cannot carry the same
//! information (MFA, session selection, the legacy-only username and
//! keyboard-layout messages, ...) nothing is produced.

use std::borrow::Cow;

use super::proto::teleport::desktop::v1::{
    self as pb, shared_directory_request as request, shared_directory_response as response,
};
use super::Payload;
use crate::tdp::{FileSystemObject, Message};

/// Legacy messages equivalent to a TDPB payload, borrowing from it. Usually
/// one; `ClientHello` gives three (username, screen spec, keyboard layout);
/// none when legacy TDP has no equivalent or a value does not fit the
/// legacy field.
pub fn to_legacy(payload: &Payload) -> Vec<Message<'_>> {
    match payload {
        Payload::ClientHello(hello) => {
            let mut messages = vec![Message::ClientUsername {
                username: &hello.username,
            }];
            if let Some(spec) = &hello.screen_spec {
                messages.push(Message::ClientScreenSpec {
                    width: spec.width,
                    height: spec.height,
                });
            }
            messages.push(Message::ClientKeyboardLayout {
                keyboard_layout: hello.keyboard_layout,
            });
            messages
        }
        Payload::ServerHello(hello) => hello
            .activation_spec
            .as_ref()
            .and_then(connection_activated)
            .into_iter()
            .collect(),
        Payload::PngFrame(frame) => {
            let area = frame.coordinates.unwrap_or_default();
            vec![Message::Png2Frame {
                left: area.left,
                top: area.top,
                right: area.right,
                bottom: area.bottom,
                png: Cow::Borrowed(&frame.data),
            }]
        }
        Payload::FastPathPdu(pdu) => vec![Message::RdpFastPathPdu {
            pdu: Cow::Borrowed(&pdu.pdu),
        }],
        Payload::RdpResponsePdu(pdu) => vec![Message::RdpResponsePdu {
            pdu: Cow::Borrowed(&pdu.response),
        }],
        Payload::SyncKeys(keys) => vec![Message::SyncKeys {
            scroll_lock: keys.scroll_lock_pressed.into(),
            num_lock: keys.num_lock_state.into(),
            caps_lock: keys.caps_lock_state.into(),
            kana_lock: keys.kana_lock_state.into(),
        }],
        Payload::MouseMove(moved) => vec![Message::MouseMove {
            x: moved.x,
            y: moved.y,
        }],
        Payload::MouseButton(button) => vec![Message::MouseButton {
            // Teleport computes `byte(button - 1)`: UNSPECIFIED becomes 255.
            button: button.button.wrapping_sub(1) as u8,
            state: button.pressed.into(),
        }],
        Payload::KeyboardButton(key) => vec![Message::KeyboardButton {
            key_code: key.key_code,
            state: key.pressed.into(),
        }],
        Payload::ClientScreenSpec(spec) => vec![Message::ClientScreenSpec {
            width: spec.width,
            height: spec.height,
        }],
        Payload::Alert(alert) => vec![Message::Alert {
            message: &alert.message,
            severity: match pb::AlertSeverity::try_from(alert.severity) {
                Ok(pb::AlertSeverity::Warning) => 1,
                Ok(pb::AlertSeverity::Error) => 2,
                _ => 0,
            },
        }],
        Payload::MouseWheel(wheel) => vec![Message::MouseWheel {
            // Same arithmetic as Teleport: axis - 1, delta cut to 16 bits.
            axis: wheel.axis.wrapping_sub(1) as u8,
            delta: wheel.delta as i16,
        }],
        Payload::ClipboardData(clipboard) => vec![Message::ClipboardData {
            data: Cow::Borrowed(&clipboard.data),
        }],
        Payload::SharedDirectoryAnnounce(announce) => vec![Message::SharedDirectoryAnnounce {
            discard: 0,
            directory_id: announce.directory_id,
            name: &announce.name,
        }],
        Payload::SharedDirectoryAcknowledge(ack) => vec![Message::SharedDirectoryAcknowledge {
            err_code: ack.error_code,
            directory_id: ack.directory_id,
        }],
        Payload::SharedDirectoryRequest(req) => directory_request(req).into_iter().collect(),
        Payload::SharedDirectoryResponse(res) => directory_response(res).into_iter().collect(),
        Payload::LatencyStats(stats) => vec![Message::LatencyStats {
            client_latency_ms: stats.client_latency_ms,
            server_latency_ms: stats.server_latency_ms,
        }],
        Payload::Ping(ping) => <[u8; 16]>::try_from(ping.uuid.as_slice())
            .map(|uuid| Message::Ping { uuid })
            .into_iter()
            .collect(),
        Payload::Mfa(_) | Payload::SharedDirectoryRemove(_) | Payload::SessionSelection(_) => {
            Vec::new()
        }
    }
}

/// The TDPB payload equivalent to a legacy message, or `None` when TDPB has
/// none (username, keyboard layout, MFA JSON, upgrade, unknown types).
pub fn from_legacy(message: &Message<'_>) -> Option<Payload> {
    Some(match message {
        Message::ClientScreenSpec { width, height } => {
            Payload::ClientScreenSpec(pb::ClientScreenSpec {
                width: *width,
                height: *height,
                scale: 0,
            })
        }
        Message::PngFrame {
            left,
            top,
            right,
            bottom,
            png,
        }
        | Message::Png2Frame {
            left,
            top,
            right,
            bottom,
            png,
        } => Payload::PngFrame(pb::PngFrame {
            coordinates: Some(pb::Rectangle {
                left: *left,
                top: *top,
                right: *right,
                bottom: *bottom,
            }),
            data: png.to_vec(),
        }),
        Message::MouseMove { x, y } => Payload::MouseMove(pb::MouseMove { x: *x, y: *y }),
        Message::MouseButton { button, state } => Payload::MouseButton(pb::MouseButton {
            button: i32::from(*button) + 1,
            pressed: *state == 1,
        }),
        Message::KeyboardButton { key_code, state } => {
            Payload::KeyboardButton(pb::KeyboardButton {
                key_code: *key_code,
                pressed: *state == 1,
            })
        }
        Message::ClipboardData { data } => Payload::ClipboardData(pb::ClipboardData {
            data: data.to_vec(),
        }),
        Message::MouseWheel { axis, delta } => Payload::MouseWheel(pb::MouseWheel {
            axis: i32::from(*axis) + 1,
            delta: i32::from(*delta),
        }),
        Message::Error { message } => Payload::Alert(pb::Alert {
            message: (*message).to_owned(),
            severity: pb::AlertSeverity::Error.into(),
        }),
        Message::Alert { message, severity } => Payload::Alert(pb::Alert {
            message: (*message).to_owned(),
            severity: match severity {
                2 => pb::AlertSeverity::Error,
                1 => pb::AlertSeverity::Warning,
                _ => pb::AlertSeverity::Info,
            }
            .into(),
        }),
        Message::RdpFastPathPdu { pdu } => {
            Payload::FastPathPdu(pb::FastPathPdu { pdu: pdu.to_vec() })
        }
        Message::RdpResponsePdu { pdu } => Payload::RdpResponsePdu(pb::RdpResponsePdu {
            response: pdu.to_vec(),
        }),
        Message::RdpConnectionActivated {
            io_channel_id,
            user_channel_id,
            screen_width,
            screen_height,
        } => Payload::ServerHello(pb::ServerHello {
            activation_spec: Some(pb::ConnectionActivated {
                io_channel_id: (*io_channel_id).into(),
                user_channel_id: (*user_channel_id).into(),
                screen_width: (*screen_width).into(),
                screen_height: (*screen_height).into(),
            }),
            // As Teleport assumes: every legacy server shares the clipboard.
            clipboard_enabled: true,
            ..Default::default()
        }),
        Message::SyncKeys {
            scroll_lock,
            num_lock,
            caps_lock,
            kana_lock,
        } => Payload::SyncKeys(pb::SyncKeys {
            scroll_lock_pressed: *scroll_lock == 1,
            num_lock_state: *num_lock == 1,
            caps_lock_state: *caps_lock == 1,
            kana_lock_state: *kana_lock == 1,
        }),
        Message::LatencyStats {
            client_latency_ms,
            server_latency_ms,
        } => Payload::LatencyStats(pb::LatencyStats {
            client_latency_ms: *client_latency_ms,
            server_latency_ms: *server_latency_ms,
        }),
        Message::Ping { uuid } => Payload::Ping(pb::Ping {
            uuid: uuid.to_vec(),
        }),
        Message::SharedDirectoryAnnounce {
            directory_id, name, ..
        } => Payload::SharedDirectoryAnnounce(pb::SharedDirectoryAnnounce {
            directory_id: *directory_id,
            name: (*name).to_owned(),
        }),
        Message::SharedDirectoryAcknowledge {
            err_code,
            directory_id,
        } => Payload::SharedDirectoryAcknowledge(pb::SharedDirectoryAcknowledge {
            directory_id: *directory_id,
            error_code: *err_code,
        }),
        Message::SharedDirectoryInfoRequest {
            completion_id,
            directory_id,
            path,
        } => request_payload(
            *completion_id,
            *directory_id,
            request::Operation::Info(request::Info {
                path: (*path).to_owned(),
            }),
        ),
        Message::SharedDirectoryCreateRequest {
            completion_id,
            directory_id,
            file_type,
            path,
        } => request_payload(
            *completion_id,
            *directory_id,
            request::Operation::Create(request::Create {
                path: (*path).to_owned(),
                file_type: *file_type,
            }),
        ),
        Message::SharedDirectoryDeleteRequest {
            completion_id,
            directory_id,
            path,
        } => request_payload(
            *completion_id,
            *directory_id,
            request::Operation::Delete(request::Delete {
                path: (*path).to_owned(),
            }),
        ),
        Message::SharedDirectoryListRequest {
            completion_id,
            directory_id,
            path,
        } => request_payload(
            *completion_id,
            *directory_id,
            request::Operation::List(request::List {
                path: (*path).to_owned(),
            }),
        ),
        Message::SharedDirectoryReadRequest {
            completion_id,
            directory_id,
            path,
            offset,
            length,
        } => request_payload(
            *completion_id,
            *directory_id,
            request::Operation::Read(request::Read {
                path: (*path).to_owned(),
                offset: *offset,
                length: *length,
            }),
        ),
        Message::SharedDirectoryWriteRequest {
            completion_id,
            directory_id,
            offset,
            path,
            data,
        } => request_payload(
            *completion_id,
            *directory_id,
            request::Operation::Write(request::Write {
                path: (*path).to_owned(),
                offset: *offset,
                data: data.to_vec(),
            }),
        ),
        Message::SharedDirectoryMoveRequest {
            completion_id,
            directory_id,
            original_path,
            new_path,
        } => request_payload(
            *completion_id,
            *directory_id,
            request::Operation::Move(request::Move {
                original_path: (*original_path).to_owned(),
                new_path: (*new_path).to_owned(),
            }),
        ),
        Message::SharedDirectoryTruncateRequest {
            completion_id,
            directory_id,
            path,
            end_of_file,
        } => request_payload(
            *completion_id,
            *directory_id,
            request::Operation::Truncate(request::Truncate {
                path: (*path).to_owned(),
                size: u64::from(*end_of_file),
            }),
        ),
        Message::SharedDirectoryInfoResponse {
            completion_id,
            err_code,
            fso,
        } => response_payload(
            *completion_id,
            *err_code,
            response::Operation::Info(response::Info {
                fso: Some(fso_to_proto(fso)),
            }),
        ),
        Message::SharedDirectoryCreateResponse {
            completion_id,
            err_code,
            fso,
        } => response_payload(
            *completion_id,
            *err_code,
            response::Operation::Create(response::Create {
                fso: Some(fso_to_proto(fso)),
            }),
        ),
        Message::SharedDirectoryDeleteResponse {
            completion_id,
            err_code,
        } => response_payload(
            *completion_id,
            *err_code,
            response::Operation::Delete(response::Delete {}),
        ),
        Message::SharedDirectoryListResponse {
            completion_id,
            err_code,
            fso_list,
        } => response_payload(
            *completion_id,
            *err_code,
            response::Operation::List(response::List {
                fso_list: fso_list.iter().map(fso_to_proto).collect(),
            }),
        ),
        Message::SharedDirectoryReadResponse {
            completion_id,
            err_code,
            data,
        } => response_payload(
            *completion_id,
            *err_code,
            response::Operation::Read(response::Read {
                data: data.to_vec(),
            }),
        ),
        Message::SharedDirectoryWriteResponse {
            completion_id,
            err_code,
            bytes_written,
        } => response_payload(
            *completion_id,
            *err_code,
            response::Operation::Write(response::Write {
                bytes_written: *bytes_written,
            }),
        ),
        Message::SharedDirectoryMoveResponse {
            completion_id,
            err_code,
        } => response_payload(
            *completion_id,
            *err_code,
            response::Operation::Move(response::Move {}),
        ),
        Message::SharedDirectoryTruncateResponse {
            completion_id,
            err_code,
        } => response_payload(
            *completion_id,
            *err_code,
            response::Operation::Truncate(response::Truncate {}),
        ),
        Message::ClientUsername { .. }
        | Message::Mfa { .. }
        | Message::ClientKeyboardLayout { .. }
        | Message::Upgrade
        | Message::Unknown { .. } => return None,
    })
}

fn connection_activated(spec: &pb::ConnectionActivated) -> Option<Message<'static>> {
    Some(Message::RdpConnectionActivated {
        io_channel_id: spec.io_channel_id.try_into().ok()?,
        user_channel_id: spec.user_channel_id.try_into().ok()?,
        screen_width: spec.screen_width.try_into().ok()?,
        screen_height: spec.screen_height.try_into().ok()?,
    })
}

fn directory_request(req: &pb::SharedDirectoryRequest) -> Option<Message<'_>> {
    let completion_id = req.completion_id;
    let directory_id = req.directory_id;
    Some(match req.operation.as_ref()? {
        request::Operation::Info(op) => Message::SharedDirectoryInfoRequest {
            completion_id,
            directory_id,
            path: &op.path,
        },
        request::Operation::Create(op) => Message::SharedDirectoryCreateRequest {
            completion_id,
            directory_id,
            file_type: op.file_type,
            path: &op.path,
        },
        request::Operation::Delete(op) => Message::SharedDirectoryDeleteRequest {
            completion_id,
            directory_id,
            path: &op.path,
        },
        request::Operation::List(op) => Message::SharedDirectoryListRequest {
            completion_id,
            directory_id,
            path: &op.path,
        },
        request::Operation::Read(op) => Message::SharedDirectoryReadRequest {
            completion_id,
            directory_id,
            path: &op.path,
            offset: op.offset,
            length: op.length,
        },
        request::Operation::Write(op) => Message::SharedDirectoryWriteRequest {
            completion_id,
            directory_id,
            offset: op.offset,
            path: &op.path,
            data: Cow::Borrowed(&op.data),
        },
        request::Operation::Move(op) => Message::SharedDirectoryMoveRequest {
            completion_id,
            directory_id,
            original_path: &op.original_path,
            new_path: &op.new_path,
        },
        request::Operation::Truncate(op) => Message::SharedDirectoryTruncateRequest {
            completion_id,
            directory_id,
            path: &op.path,
            // Legacy TDP has 32 bits for the new size.
            end_of_file: op.size.try_into().ok()?,
        },
    })
}

fn directory_response(res: &pb::SharedDirectoryResponse) -> Option<Message<'_>> {
    let completion_id = res.completion_id;
    let err_code = res.error_code;
    Some(match res.operation.as_ref()? {
        response::Operation::Info(op) => Message::SharedDirectoryInfoResponse {
            completion_id,
            err_code,
            fso: fso_from_proto(op.fso.as_ref()?),
        },
        response::Operation::Create(op) => Message::SharedDirectoryCreateResponse {
            completion_id,
            err_code,
            fso: fso_from_proto(op.fso.as_ref()?),
        },
        response::Operation::Delete(_) => Message::SharedDirectoryDeleteResponse {
            completion_id,
            err_code,
        },
        response::Operation::List(op) => Message::SharedDirectoryListResponse {
            completion_id,
            err_code,
            fso_list: op.fso_list.iter().map(fso_from_proto).collect(),
        },
        response::Operation::Read(op) => Message::SharedDirectoryReadResponse {
            completion_id,
            err_code,
            data: Cow::Borrowed(&op.data),
        },
        response::Operation::Write(op) => Message::SharedDirectoryWriteResponse {
            completion_id,
            err_code,
            bytes_written: op.bytes_written,
        },
        response::Operation::Move(_) => Message::SharedDirectoryMoveResponse {
            completion_id,
            err_code,
        },
        response::Operation::Truncate(_) => Message::SharedDirectoryTruncateResponse {
            completion_id,
            err_code,
        },
    })
}

fn request_payload(
    completion_id: u32,
    directory_id: u32,
    operation: request::Operation,
) -> Payload {
    Payload::SharedDirectoryRequest(pb::SharedDirectoryRequest {
        directory_id,
        completion_id,
        operation: Some(operation),
    })
}

fn response_payload(
    completion_id: u32,
    error_code: u32,
    operation: response::Operation,
) -> Payload {
    Payload::SharedDirectoryResponse(pb::SharedDirectoryResponse {
        completion_id,
        error_code,
        operation: Some(operation),
    })
}

fn fso_from_proto(fso: &pb::FileSystemObject) -> FileSystemObject<'_> {
    FileSystemObject {
        last_modified: fso.last_modified,
        size: fso.size,
        file_type: fso.file_type,
        is_empty: fso.is_empty.into(),
        path: &fso.path,
    }
}

fn fso_to_proto(fso: &FileSystemObject<'_>) -> pb::FileSystemObject {
    pb::FileSystemObject {
        last_modified: fso.last_modified,
        size: fso.size,
        file_type: fso.file_type,
        is_empty: fso.is_empty == 1,
        path: fso.path.to_owned(),
    }
}
