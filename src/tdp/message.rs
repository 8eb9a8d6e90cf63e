//! The typed form of one legacy TDP message, and how it is written back.
//!
//! Why it exists: players, converters and the `tdpr tdp` CLI need to look
//! inside messages without caring about byte offsets, and the recording
//! format needs the very bytes Teleport wrote. `Message` borrows every byte
//! string and text field from the decoded input (zero-copy), keeps every
//! numeric field at its wire width (so odd values survive), and re-encodes
//! to exactly the bytes it was decoded from.
//!
//! Byte-string fields are `Cow<'a, [u8]>`: borrowed when decoded, owned when
//! built from JSON (where they are base64). Text fields are `&'a str`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::fast_path::FastPathUpdates;
use super::file_system_object::FileSystemObject;
use super::json::{base64_bytes, base64_uuid};
use super::wire::{length_u32, ByteCounter, Sink};
use super::{Error, MessageType};

/// One legacy TDP message. Layouts are given as `| field type |`, big-endian,
/// after the one-byte message type. Directions are as Teleport uses them.
///
/// Fields are named as in Teleport's codec; each variant's doc gives their
/// layout, and `spec/tdp.md` their meaning.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message<'a> {
    /// 1, client → server. `| width uint32 | height uint32 |`
    ClientScreenSpec { width: u32, height: u32 },
    /// 2, server → client. `| left uint32 | top uint32 | right uint32 | bottom uint32 | png []byte |`.
    /// The PNG has no length field; its end is found by walking its chunks
    /// to `IEND`. `png` is the whole PNG file, signature to `IEND` CRC.
    PngFrame {
        left: u32,
        top: u32,
        right: u32,
        bottom: u32,
        #[serde(with = "base64_bytes")]
        png: Cow<'a, [u8]>,
    },
    /// 3, client → server. `| x uint32 | y uint32 |`
    MouseMove { x: u32, y: u32 },
    /// 4, client → server. `| button byte | state byte |`; button 0 left,
    /// 1 middle, 2 right; state 0 released, 1 pressed.
    MouseButton { button: u8, state: u8 },
    /// 5, client → server. `| key_code uint32 | state byte |`; key_code is a
    /// PC scan code (0xE0xx for extended keys).
    KeyboardButton { key_code: u32, state: u8 },
    /// 6, both ways. `| length uint32 | data []byte |`
    ClipboardData {
        #[serde(with = "base64_bytes")]
        data: Cow<'a, [u8]>,
    },
    /// 7, client → server. `| length uint32 | username []byte |`
    ClientUsername { username: &'a str },
    /// 8, client → server. `| axis byte | delta int16 |`; axis 0 vertical,
    /// 1 horizontal.
    MouseWheel { axis: u8, delta: i16 },
    /// 9, server → client. `| length uint32 | message []byte |`
    Error { message: &'a str },
    /// 10, both ways. `| mfa_type byte | length uint32 | json []byte |`;
    /// mfa_type `'n'` WebAuthn, `'u'` U2F.
    Mfa { mfa_type: u8, json: &'a str },
    /// 11, client → server. `| discard uint32 | directory_id uint32 | length uint32 | name []byte |`.
    /// `discard` is a field Teleport keeps for compatibility (see the spec).
    SharedDirectoryAnnounce {
        discard: u32,
        directory_id: u32,
        name: &'a str,
    },
    /// 12, server → client. `| err_code uint32 | directory_id uint32 |`
    SharedDirectoryAcknowledge { err_code: u32, directory_id: u32 },
    /// 13, server → client. `| completion_id uint32 | directory_id uint32 | length uint32 | path []byte |`
    SharedDirectoryInfoRequest {
        completion_id: u32,
        directory_id: u32,
        path: &'a str,
    },
    /// 14, client → server. `| completion_id uint32 | err_code uint32 | fso |`
    SharedDirectoryInfoResponse {
        completion_id: u32,
        err_code: u32,
        #[serde(borrow)]
        fso: FileSystemObject<'a>,
    },
    /// 15, server → client. `| completion_id uint32 | directory_id uint32 | file_type uint32 | length uint32 | path []byte |`
    SharedDirectoryCreateRequest {
        completion_id: u32,
        directory_id: u32,
        file_type: u32,
        path: &'a str,
    },
    /// 16, client → server. `| completion_id uint32 | err_code uint32 | fso |`
    SharedDirectoryCreateResponse {
        completion_id: u32,
        err_code: u32,
        #[serde(borrow)]
        fso: FileSystemObject<'a>,
    },
    /// 17, server → client. `| completion_id uint32 | directory_id uint32 | length uint32 | path []byte |`
    SharedDirectoryDeleteRequest {
        completion_id: u32,
        directory_id: u32,
        path: &'a str,
    },
    /// 18, client → server. `| completion_id uint32 | err_code uint32 |`
    SharedDirectoryDeleteResponse { completion_id: u32, err_code: u32 },
    /// 19, server → client. `| completion_id uint32 | directory_id uint32 | length uint32 | path []byte | offset uint64 | length uint32 |`
    SharedDirectoryReadRequest {
        completion_id: u32,
        directory_id: u32,
        path: &'a str,
        offset: u64,
        length: u32,
    },
    /// 20, client → server. `| completion_id uint32 | err_code uint32 | length uint32 | data []byte |`
    SharedDirectoryReadResponse {
        completion_id: u32,
        err_code: u32,
        #[serde(with = "base64_bytes")]
        data: Cow<'a, [u8]>,
    },
    /// 21, server → client. `| completion_id uint32 | directory_id uint32 | offset uint64 | length uint32 | path []byte | length uint32 | data []byte |`
    /// (offset comes before path, whatever Teleport's comments say).
    SharedDirectoryWriteRequest {
        completion_id: u32,
        directory_id: u32,
        offset: u64,
        path: &'a str,
        #[serde(with = "base64_bytes")]
        data: Cow<'a, [u8]>,
    },
    /// 22, client → server. `| completion_id uint32 | err_code uint32 | bytes_written uint32 |`
    SharedDirectoryWriteResponse {
        completion_id: u32,
        err_code: u32,
        bytes_written: u32,
    },
    /// 23, server → client. `| completion_id uint32 | directory_id uint32 | length uint32 | original_path []byte | length uint32 | new_path []byte |`
    SharedDirectoryMoveRequest {
        completion_id: u32,
        directory_id: u32,
        original_path: &'a str,
        new_path: &'a str,
    },
    /// 24, client → server. `| completion_id uint32 | err_code uint32 |`
    SharedDirectoryMoveResponse { completion_id: u32, err_code: u32 },
    /// 25, server → client. `| completion_id uint32 | directory_id uint32 | length uint32 | path []byte |`
    SharedDirectoryListRequest {
        completion_id: u32,
        directory_id: u32,
        path: &'a str,
    },
    /// 26, client → server. `| completion_id uint32 | err_code uint32 | count uint32 | fso × count |`
    SharedDirectoryListResponse {
        completion_id: u32,
        err_code: u32,
        #[serde(borrow)]
        fso_list: Vec<FileSystemObject<'a>>,
    },
    /// 27, server → client. `| png_length uint32 | left uint32 | top uint32 | right uint32 | bottom uint32 | png []byte |`
    Png2Frame {
        left: u32,
        top: u32,
        right: u32,
        bottom: u32,
        #[serde(with = "base64_bytes")]
        png: Cow<'a, [u8]>,
    },
    /// 28, server → client. `| length uint32 | message []byte | severity byte |`;
    /// severity 0 info, 1 warning, 2 error.
    Alert { message: &'a str, severity: u8 },
    /// 29, server → client. `| length uint32 | pdu []byte |`; a raw RDP
    /// server fast-path update PDU (see [`Message::fast_path_updates`]).
    RdpFastPathPdu {
        #[serde(with = "base64_bytes")]
        pdu: Cow<'a, [u8]>,
    },
    /// 30, client → server. `| length uint32 | pdu []byte |`
    RdpResponsePdu {
        #[serde(with = "base64_bytes")]
        pdu: Cow<'a, [u8]>,
    },
    /// 31, server → client. `| io_channel_id uint16 | user_channel_id uint16 | screen_width uint16 | screen_height uint16 |`
    RdpConnectionActivated {
        io_channel_id: u16,
        user_channel_id: u16,
        screen_width: u16,
        screen_height: u16,
    },
    /// 32, client → server. `| scroll_lock byte | num_lock byte | caps_lock byte | kana_lock byte |`; 0 off, 1 on.
    SyncKeys {
        scroll_lock: u8,
        num_lock: u8,
        caps_lock: u8,
        kana_lock: u8,
    },
    /// 33, server → client. `| completion_id uint32 | directory_id uint32 | length uint32 | path []byte | end_of_file uint32 |`
    SharedDirectoryTruncateRequest {
        completion_id: u32,
        directory_id: u32,
        path: &'a str,
        end_of_file: u32,
    },
    /// 34, client → server. `| completion_id uint32 | err_code uint32 |`
    SharedDirectoryTruncateResponse { completion_id: u32, err_code: u32 },
    /// 35, server → client. `| client_latency uint32 | server_latency uint32 |` (milliseconds)
    LatencyStats {
        client_latency_ms: u32,
        server_latency_ms: u32,
    },
    /// 36, proxy ↔ desktop service. `| uuid [16]byte |`
    Ping {
        #[serde(with = "base64_uuid")]
        uuid: [u8; 16],
    },
    /// 37, client → server. `| length uint32 (always 4) | keyboard_layout uint32 |`
    ClientKeyboardLayout { keyboard_layout: u32 },
    /// 38, server → client. No body.
    Upgrade,
    /// Any type code Teleport does not define (as of this crate): the body is
    /// everything after the type byte, kept as is.
    Unknown {
        message_type: MessageType,
        #[serde(with = "base64_bytes")]
        body: Cow<'a, [u8]>,
    },
}

impl<'a> Message<'a> {
    /// The type code this message is written with.
    pub fn message_type(&self) -> MessageType {
        match self {
            Message::ClientScreenSpec { .. } => MessageType::CLIENT_SCREEN_SPEC,
            Message::PngFrame { .. } => MessageType::PNG_FRAME,
            Message::MouseMove { .. } => MessageType::MOUSE_MOVE,
            Message::MouseButton { .. } => MessageType::MOUSE_BUTTON,
            Message::KeyboardButton { .. } => MessageType::KEYBOARD_BUTTON,
            Message::ClipboardData { .. } => MessageType::CLIPBOARD_DATA,
            Message::ClientUsername { .. } => MessageType::CLIENT_USERNAME,
            Message::MouseWheel { .. } => MessageType::MOUSE_WHEEL,
            Message::Error { .. } => MessageType::ERROR,
            Message::Mfa { .. } => MessageType::MFA,
            Message::SharedDirectoryAnnounce { .. } => MessageType::SHARED_DIRECTORY_ANNOUNCE,
            Message::SharedDirectoryAcknowledge { .. } => MessageType::SHARED_DIRECTORY_ACKNOWLEDGE,
            Message::SharedDirectoryInfoRequest { .. } => {
                MessageType::SHARED_DIRECTORY_INFO_REQUEST
            }
            Message::SharedDirectoryInfoResponse { .. } => {
                MessageType::SHARED_DIRECTORY_INFO_RESPONSE
            }
            Message::SharedDirectoryCreateRequest { .. } => {
                MessageType::SHARED_DIRECTORY_CREATE_REQUEST
            }
            Message::SharedDirectoryCreateResponse { .. } => {
                MessageType::SHARED_DIRECTORY_CREATE_RESPONSE
            }
            Message::SharedDirectoryDeleteRequest { .. } => {
                MessageType::SHARED_DIRECTORY_DELETE_REQUEST
            }
            Message::SharedDirectoryDeleteResponse { .. } => {
                MessageType::SHARED_DIRECTORY_DELETE_RESPONSE
            }
            Message::SharedDirectoryReadRequest { .. } => {
                MessageType::SHARED_DIRECTORY_READ_REQUEST
            }
            Message::SharedDirectoryReadResponse { .. } => {
                MessageType::SHARED_DIRECTORY_READ_RESPONSE
            }
            Message::SharedDirectoryWriteRequest { .. } => {
                MessageType::SHARED_DIRECTORY_WRITE_REQUEST
            }
            Message::SharedDirectoryWriteResponse { .. } => {
                MessageType::SHARED_DIRECTORY_WRITE_RESPONSE
            }
            Message::SharedDirectoryMoveRequest { .. } => {
                MessageType::SHARED_DIRECTORY_MOVE_REQUEST
            }
            Message::SharedDirectoryMoveResponse { .. } => {
                MessageType::SHARED_DIRECTORY_MOVE_RESPONSE
            }
            Message::SharedDirectoryListRequest { .. } => {
                MessageType::SHARED_DIRECTORY_LIST_REQUEST
            }
            Message::SharedDirectoryListResponse { .. } => {
                MessageType::SHARED_DIRECTORY_LIST_RESPONSE
            }
            Message::Png2Frame { .. } => MessageType::PNG2_FRAME,
            Message::Alert { .. } => MessageType::ALERT,
            Message::RdpFastPathPdu { .. } => MessageType::RDP_FAST_PATH_PDU,
            Message::RdpResponsePdu { .. } => MessageType::RDP_RESPONSE_PDU,
            Message::RdpConnectionActivated { .. } => MessageType::RDP_CONNECTION_ACTIVATED,
            Message::SyncKeys { .. } => MessageType::SYNC_KEYS,
            Message::SharedDirectoryTruncateRequest { .. } => {
                MessageType::SHARED_DIRECTORY_TRUNCATE_REQUEST
            }
            Message::SharedDirectoryTruncateResponse { .. } => {
                MessageType::SHARED_DIRECTORY_TRUNCATE_RESPONSE
            }
            Message::LatencyStats { .. } => MessageType::LATENCY_STATS,
            Message::Ping { .. } => MessageType::PING,
            Message::ClientKeyboardLayout { .. } => MessageType::CLIENT_KEYBOARD_LAYOUT,
            Message::Upgrade => MessageType::UPGRADE,
            Message::Unknown { message_type, .. } => *message_type,
        }
    }

    /// Appends the wire form of this message to `out`. For a decoded message
    /// these are exactly the bytes it was decoded from. Fails only if a field
    /// is longer than its `uint32` length prefix can say.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        self.write(out)
    }

    /// How many bytes [`encode`](Self::encode) appends.
    pub fn encoded_len(&self) -> usize {
        let mut counter = ByteCounter::default();
        // Oversized fields make `encode` fail; their length is still counted.
        let _ = self.write(&mut counter);
        counter.0
    }

    /// The fast-path updates inside an [`RdpFastPathPdu`](Message::RdpFastPathPdu)
    /// (best-effort, see [`FastPathUpdates`]); `None` for any other message.
    pub fn fast_path_updates(&self) -> Option<FastPathUpdates<'_>> {
        match self {
            Message::RdpFastPathPdu { pdu } => Some(FastPathUpdates::new(pdu)),
            _ => None,
        }
    }

    fn write<S: Sink>(&self, sink: &mut S) -> Result<(), Error> {
        sink.put_u8(self.message_type().0);
        match self {
            Message::ClientScreenSpec { width, height } => {
                sink.put_u32(*width);
                sink.put_u32(*height);
            }
            Message::PngFrame {
                left,
                top,
                right,
                bottom,
                png,
            } => {
                write_rectangle(sink, [*left, *top, *right, *bottom]);
                sink.put(png);
            }
            Message::MouseMove { x, y } => {
                sink.put_u32(*x);
                sink.put_u32(*y);
            }
            Message::MouseButton { button, state } => {
                sink.put_u8(*button);
                sink.put_u8(*state);
            }
            Message::KeyboardButton { key_code, state } => {
                sink.put_u32(*key_code);
                sink.put_u8(*state);
            }
            Message::ClipboardData { data } => {
                sink.put_length_prefixed(data, "clipboard length")?
            }
            Message::ClientUsername { username } => {
                sink.put_length_prefixed(username.as_bytes(), "username length")?
            }
            Message::MouseWheel { axis, delta } => {
                sink.put_u8(*axis);
                sink.put_i16(*delta);
            }
            Message::Error { message } => {
                sink.put_length_prefixed(message.as_bytes(), "message length")?
            }
            Message::Mfa { mfa_type, json } => {
                sink.put_u8(*mfa_type);
                sink.put_length_prefixed(json.as_bytes(), "MFA JSON length")?;
            }
            Message::SharedDirectoryAnnounce {
                discard,
                directory_id,
                name,
            } => write_ids_and_path(sink, *discard, *directory_id, name)?,
            Message::SharedDirectoryAcknowledge {
                err_code,
                directory_id,
            } => {
                sink.put_u32(*err_code);
                sink.put_u32(*directory_id);
            }
            Message::SharedDirectoryInfoRequest {
                completion_id,
                directory_id,
                path,
            }
            | Message::SharedDirectoryDeleteRequest {
                completion_id,
                directory_id,
                path,
            }
            | Message::SharedDirectoryListRequest {
                completion_id,
                directory_id,
                path,
            } => write_ids_and_path(sink, *completion_id, *directory_id, path)?,
            Message::SharedDirectoryInfoResponse {
                completion_id,
                err_code,
                fso,
            }
            | Message::SharedDirectoryCreateResponse {
                completion_id,
                err_code,
                fso,
            } => {
                sink.put_u32(*completion_id);
                sink.put_u32(*err_code);
                fso.write(sink)?;
            }
            Message::SharedDirectoryCreateRequest {
                completion_id,
                directory_id,
                file_type,
                path,
            } => {
                sink.put_u32(*completion_id);
                sink.put_u32(*directory_id);
                sink.put_u32(*file_type);
                sink.put_length_prefixed(path.as_bytes(), "path length")?;
            }
            Message::SharedDirectoryDeleteResponse {
                completion_id,
                err_code,
            }
            | Message::SharedDirectoryMoveResponse {
                completion_id,
                err_code,
            }
            | Message::SharedDirectoryTruncateResponse {
                completion_id,
                err_code,
            } => {
                sink.put_u32(*completion_id);
                sink.put_u32(*err_code);
            }
            Message::SharedDirectoryReadRequest {
                completion_id,
                directory_id,
                path,
                offset,
                length,
            } => {
                write_ids_and_path(sink, *completion_id, *directory_id, path)?;
                sink.put_u64(*offset);
                sink.put_u32(*length);
            }
            Message::SharedDirectoryReadResponse {
                completion_id,
                err_code,
                data,
            } => {
                sink.put_u32(*completion_id);
                sink.put_u32(*err_code);
                sink.put_length_prefixed(data, "read data length")?;
            }
            Message::SharedDirectoryWriteRequest {
                completion_id,
                directory_id,
                offset,
                path,
                data,
            } => {
                sink.put_u32(*completion_id);
                sink.put_u32(*directory_id);
                sink.put_u64(*offset);
                sink.put_length_prefixed(path.as_bytes(), "path length")?;
                sink.put_length_prefixed(data, "write data length")?;
            }
            Message::SharedDirectoryWriteResponse {
                completion_id,
                err_code,
                bytes_written,
            } => {
                sink.put_u32(*completion_id);
                sink.put_u32(*err_code);
                sink.put_u32(*bytes_written);
            }
            Message::SharedDirectoryMoveRequest {
                completion_id,
                directory_id,
                original_path,
                new_path,
            } => {
                write_ids_and_path(sink, *completion_id, *directory_id, original_path)?;
                sink.put_length_prefixed(new_path.as_bytes(), "path length")?;
            }
            Message::SharedDirectoryListResponse {
                completion_id,
                err_code,
                fso_list,
            } => {
                sink.put_u32(*completion_id);
                sink.put_u32(*err_code);
                sink.put_u32(length_u32(fso_list.len(), "fso count")?);
                for fso in fso_list {
                    fso.write(sink)?;
                }
            }
            Message::Png2Frame {
                left,
                top,
                right,
                bottom,
                png,
            } => {
                sink.put_u32(length_u32(png.len(), "png length")?);
                write_rectangle(sink, [*left, *top, *right, *bottom]);
                sink.put(png);
            }
            Message::Alert { message, severity } => {
                sink.put_length_prefixed(message.as_bytes(), "message length")?;
                sink.put_u8(*severity);
            }
            Message::RdpFastPathPdu { pdu } | Message::RdpResponsePdu { pdu } => {
                sink.put_length_prefixed(pdu, "PDU length")?
            }
            Message::RdpConnectionActivated {
                io_channel_id,
                user_channel_id,
                screen_width,
                screen_height,
            } => {
                for value in [io_channel_id, user_channel_id, screen_width, screen_height] {
                    sink.put_u16(*value);
                }
            }
            Message::SyncKeys {
                scroll_lock,
                num_lock,
                caps_lock,
                kana_lock,
            } => sink.put(&[*scroll_lock, *num_lock, *caps_lock, *kana_lock]),
            Message::SharedDirectoryTruncateRequest {
                completion_id,
                directory_id,
                path,
                end_of_file,
            } => {
                write_ids_and_path(sink, *completion_id, *directory_id, path)?;
                sink.put_u32(*end_of_file);
            }
            Message::LatencyStats {
                client_latency_ms,
                server_latency_ms,
            } => {
                sink.put_u32(*client_latency_ms);
                sink.put_u32(*server_latency_ms);
            }
            Message::Ping { uuid } => sink.put(uuid),
            Message::ClientKeyboardLayout { keyboard_layout } => {
                sink.put_length_prefixed(&keyboard_layout.to_be_bytes(), "layout length")?
            }
            Message::Upgrade => {}
            Message::Unknown { body, .. } => sink.put(body),
        }
        Ok(())
    }
}

/// `| left uint32 | top uint32 | right uint32 | bottom uint32 |`
fn write_rectangle<S: Sink>(sink: &mut S, sides: [u32; 4]) {
    for side in sides {
        sink.put_u32(side);
    }
}

/// `| first uint32 | second uint32 | length uint32 | path []byte |`, the
/// head of most directory-sharing requests (and of the announce message).
fn write_ids_and_path<S: Sink>(
    sink: &mut S,
    first: u32,
    second: u32,
    path: &str,
) -> Result<(), Error> {
    sink.put_u32(first);
    sink.put_u32(second);
    sink.put_length_prefixed(path.as_bytes(), "path length")
}
