//! Decoding one legacy TDP message from the start of a byte slice.
//!
//! Why it exists: a recording frame holds one TDP message and the reader
//! must turn it into a [`Message`] without copying, without trusting any
//! length field, and without ever panicking. Parsers run in nom's complete
//! mode: running out of input is an error (`truncated_message`), never a
//! request for more.

use std::borrow::Cow;

use nom::bytes::complete::take;
use nom::number::complete::{be_i16, be_u16, be_u32, be_u64, u8 as byte};
use nom::Parser;

use super::file_system_object::FileSystemObject;
use super::png::png_image;
use super::wire::{length_prefixed_bytes, length_prefixed_cow, string, Parsed, WireError};
use super::{Error, Message, MessageType};

/// Decodes the message at the start of `input`; returns it and how many
/// bytes it took. Bytes after the message are not looked at (a recording
/// frame holds exactly one message, so a caller checks the count against the
/// frame length). Unknown type codes give [`Message::Unknown`] holding the
/// rest of `input`.
pub fn decode(input: &[u8]) -> Result<(Message<'_>, usize), Error> {
    let Some((&code, body)) = input.split_first() else {
        return Err(Error::Truncated { offset: 0 });
    };
    let parsed = (|body| decode_body(MessageType(code), body)).parse_complete(body);
    match parsed {
        Ok((rest, message)) => Ok((message, input.len() - rest.len())),
        Err(nom::Err::Error(error) | nom::Err::Failure(error)) => Err(error.into_error(input)),
        // Complete-mode parsers never ask for more input; count it as truncation.
        Err(nom::Err::Incomplete(_)) => Err(Error::Truncated {
            offset: input.len(),
        }),
    }
}

fn decode_body(message_type: MessageType, input: &[u8]) -> Parsed<'_, Message<'_>> {
    match message_type {
        MessageType::CLIENT_SCREEN_SPEC => (be_u32, be_u32)
            .map(|(width, height)| Message::ClientScreenSpec { width, height })
            .parse_complete(input),
        MessageType::PNG_FRAME => {
            let (input, [left, top, right, bottom]) = rectangle(input)?;
            let (input, png) = png_image(input)?;
            Ok((
                input,
                Message::PngFrame {
                    left,
                    top,
                    right,
                    bottom,
                    png: Cow::Borrowed(png),
                },
            ))
        }
        MessageType::MOUSE_MOVE => (be_u32, be_u32)
            .map(|(x, y)| Message::MouseMove { x, y })
            .parse_complete(input),
        MessageType::MOUSE_BUTTON => (byte, byte)
            .map(|(button, state)| Message::MouseButton { button, state })
            .parse_complete(input),
        MessageType::KEYBOARD_BUTTON => (be_u32, byte)
            .map(|(key_code, state)| Message::KeyboardButton { key_code, state })
            .parse_complete(input),
        MessageType::CLIPBOARD_DATA => length_prefixed_cow
            .map(|data| Message::ClipboardData { data })
            .parse_complete(input),
        MessageType::CLIENT_USERNAME => string
            .map(|username| Message::ClientUsername { username })
            .parse_complete(input),
        MessageType::MOUSE_WHEEL => (byte, be_i16)
            .map(|(axis, delta)| Message::MouseWheel { axis, delta })
            .parse_complete(input),
        MessageType::ERROR => string
            .map(|message| Message::Error { message })
            .parse_complete(input),
        MessageType::MFA => (byte, string)
            .map(|(mfa_type, json)| Message::Mfa { mfa_type, json })
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_ANNOUNCE => ids_and_path
            .map(
                |(discard, directory_id, name)| Message::SharedDirectoryAnnounce {
                    discard,
                    directory_id,
                    name,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_ACKNOWLEDGE => (be_u32, be_u32)
            .map(
                |(err_code, directory_id)| Message::SharedDirectoryAcknowledge {
                    err_code,
                    directory_id,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_INFO_REQUEST => ids_and_path
            .map(
                |(completion_id, directory_id, path)| Message::SharedDirectoryInfoRequest {
                    completion_id,
                    directory_id,
                    path,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_INFO_RESPONSE => (be_u32, be_u32, FileSystemObject::parse)
            .map(
                |(completion_id, err_code, fso)| Message::SharedDirectoryInfoResponse {
                    completion_id,
                    err_code,
                    fso,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_CREATE_REQUEST => (be_u32, be_u32, be_u32, string)
            .map(|(completion_id, directory_id, file_type, path)| {
                Message::SharedDirectoryCreateRequest {
                    completion_id,
                    directory_id,
                    file_type,
                    path,
                }
            })
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_CREATE_RESPONSE => (be_u32, be_u32, FileSystemObject::parse)
            .map(
                |(completion_id, err_code, fso)| Message::SharedDirectoryCreateResponse {
                    completion_id,
                    err_code,
                    fso,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_DELETE_REQUEST => ids_and_path
            .map(
                |(completion_id, directory_id, path)| Message::SharedDirectoryDeleteRequest {
                    completion_id,
                    directory_id,
                    path,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_DELETE_RESPONSE => (be_u32, be_u32)
            .map(
                |(completion_id, err_code)| Message::SharedDirectoryDeleteResponse {
                    completion_id,
                    err_code,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_READ_REQUEST => (ids_and_path, be_u64, be_u32)
            .map(|((completion_id, directory_id, path), offset, length)| {
                Message::SharedDirectoryReadRequest {
                    completion_id,
                    directory_id,
                    path,
                    offset,
                    length,
                }
            })
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_READ_RESPONSE => (be_u32, be_u32, length_prefixed_cow)
            .map(
                |(completion_id, err_code, data)| Message::SharedDirectoryReadResponse {
                    completion_id,
                    err_code,
                    data,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_WRITE_REQUEST => {
            (be_u32, be_u32, be_u64, string, length_prefixed_cow)
                .map(|(completion_id, directory_id, offset, path, data)| {
                    Message::SharedDirectoryWriteRequest {
                        completion_id,
                        directory_id,
                        offset,
                        path,
                        data,
                    }
                })
                .parse_complete(input)
        }
        MessageType::SHARED_DIRECTORY_WRITE_RESPONSE => (be_u32, be_u32, be_u32)
            .map(
                |(completion_id, err_code, bytes_written)| Message::SharedDirectoryWriteResponse {
                    completion_id,
                    err_code,
                    bytes_written,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_MOVE_REQUEST => (ids_and_path, string)
            .map(|((completion_id, directory_id, original_path), new_path)| {
                Message::SharedDirectoryMoveRequest {
                    completion_id,
                    directory_id,
                    original_path,
                    new_path,
                }
            })
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_MOVE_RESPONSE => (be_u32, be_u32)
            .map(
                |(completion_id, err_code)| Message::SharedDirectoryMoveResponse {
                    completion_id,
                    err_code,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_LIST_REQUEST => ids_and_path
            .map(
                |(completion_id, directory_id, path)| Message::SharedDirectoryListRequest {
                    completion_id,
                    directory_id,
                    path,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_LIST_RESPONSE => {
            let (input, (completion_id, err_code)) = (be_u32, be_u32).parse_complete(input)?;
            let (input, fso_list) = file_system_objects(input)?;
            Ok((
                input,
                Message::SharedDirectoryListResponse {
                    completion_id,
                    err_code,
                    fso_list,
                },
            ))
        }
        MessageType::PNG2_FRAME => {
            let (input, png_length) = be_u32(input)?;
            let (input, [left, top, right, bottom]) = rectangle(input)?;
            let (input, png) = take(png_length)(input)?;
            Ok((
                input,
                Message::Png2Frame {
                    left,
                    top,
                    right,
                    bottom,
                    png: Cow::Borrowed(png),
                },
            ))
        }
        MessageType::ALERT => (string, byte)
            .map(|(message, severity)| Message::Alert { message, severity })
            .parse_complete(input),
        MessageType::RDP_FAST_PATH_PDU => length_prefixed_cow
            .map(|pdu| Message::RdpFastPathPdu { pdu })
            .parse_complete(input),
        MessageType::RDP_RESPONSE_PDU => length_prefixed_cow
            .map(|pdu| Message::RdpResponsePdu { pdu })
            .parse_complete(input),
        MessageType::RDP_CONNECTION_ACTIVATED => (be_u16, be_u16, be_u16, be_u16)
            .map(
                |(io_channel_id, user_channel_id, screen_width, screen_height)| {
                    Message::RdpConnectionActivated {
                        io_channel_id,
                        user_channel_id,
                        screen_width,
                        screen_height,
                    }
                },
            )
            .parse_complete(input),
        MessageType::SYNC_KEYS => (byte, byte, byte, byte)
            .map(
                |(scroll_lock, num_lock, caps_lock, kana_lock)| Message::SyncKeys {
                    scroll_lock,
                    num_lock,
                    caps_lock,
                    kana_lock,
                },
            )
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_TRUNCATE_REQUEST => (ids_and_path, be_u32)
            .map(|((completion_id, directory_id, path), end_of_file)| {
                Message::SharedDirectoryTruncateRequest {
                    completion_id,
                    directory_id,
                    path,
                    end_of_file,
                }
            })
            .parse_complete(input),
        MessageType::SHARED_DIRECTORY_TRUNCATE_RESPONSE => (be_u32, be_u32)
            .map(
                |(completion_id, err_code)| Message::SharedDirectoryTruncateResponse {
                    completion_id,
                    err_code,
                },
            )
            .parse_complete(input),
        MessageType::LATENCY_STATS => (be_u32, be_u32)
            .map(
                |(client_latency_ms, server_latency_ms)| Message::LatencyStats {
                    client_latency_ms,
                    server_latency_ms,
                },
            )
            .parse_complete(input),
        MessageType::PING => {
            let (rest, uuid) = take(16usize)(input)?;
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(uuid);
            Ok((rest, Message::Ping { uuid: bytes }))
        }
        MessageType::CLIENT_KEYBOARD_LAYOUT => {
            let (rest, payload) = length_prefixed_bytes(input)?;
            // Teleport's decoder refuses any payload length but 4.
            match <[u8; 4]>::try_from(payload) {
                Ok(layout) => Ok((
                    rest,
                    Message::ClientKeyboardLayout {
                        keyboard_layout: u32::from_be_bytes(layout),
                    },
                )),
                Err(_) => Err(WireError::malformed(
                    input,
                    "keyboard layout payload length is not 4",
                )),
            }
        }
        MessageType::UPGRADE => Ok((input, Message::Upgrade)),
        unknown => Ok((
            &input[input.len()..],
            Message::Unknown {
                message_type: unknown,
                body: Cow::Borrowed(input),
            },
        )),
    }
}

/// `| left uint32 | top uint32 | right uint32 | bottom uint32 |`
fn rectangle(input: &[u8]) -> Parsed<'_, [u32; 4]> {
    (be_u32, be_u32, be_u32, be_u32)
        .map(|(left, top, right, bottom)| [left, top, right, bottom])
        .parse_complete(input)
}

/// `| uint32 | uint32 | length uint32 | path []byte |`, the head shared by
/// most directory-sharing requests and by the announce message.
fn ids_and_path(input: &[u8]) -> Parsed<'_, (u32, u32, &str)> {
    (be_u32, be_u32, string).parse_complete(input)
}

/// `| count uint32 | fso × count |`. The count is checked against the bytes
/// left before anything is allocated for it.
fn file_system_objects(input: &[u8]) -> Parsed<'_, Vec<FileSystemObject<'_>>> {
    let (mut rest, count) = be_u32(input)?;
    let count = count as usize;
    if count.saturating_mul(FileSystemObject::MIN_ENCODED_LEN) > rest.len() {
        // Not even the smallest objects fit: the message is cut short.
        return Err(nom::Err::Error(WireError::truncated(&rest[rest.len()..])));
    }
    let mut list = Vec::with_capacity(count);
    for _ in 0..count {
        let (after, fso) = FileSystemObject::parse(rest)?;
        list.push(fso);
        rest = after;
    }
    Ok((rest, list))
}
