//! What a TDP message means to the screen.
//!
//! This is the one place that reads TDP messages (through `tdpr::tdp`), so
//! that the rest of the renderer sees only drawing operations, whichever wire
//! form (legacy TDP or TDPB) carried them.

use std::borrow::Cow;

use tdpr::tdp::tdpb::Payload;
use tdpr::tdp::{decode_any, AnyMessage, Message, MessageKind};

/// A message as the renderer sees it.
#[derive(Debug)]
pub(crate) enum Drawing<'m> {
    /// Draw a PNG image with its top-left pixel at (`left`, `top`).
    Png {
        left: u32,
        top: u32,
        png: Cow<'m, [u8]>,
    },
    /// An RDP server fast-path update PDU, header included.
    FastPath(Cow<'m, [u8]>),
    /// The client asks for a screen of this size.
    ClientScreenSpec { width: u32, height: u32 },
    /// The server (re)activated the connection with a screen of this size:
    /// a new RDP connection state, so a new fast-path decoder.
    ServerHello {
        /// `None` for a TDPB `ServerHello` without an activation spec.
        size: Option<(u32, u32)>,
        io_channel_id: u16,
        user_channel_id: u16,
    },
    /// The user moved the pointer.
    MouseMove { x: u32, y: u32 },
    /// A message that changes nothing on the screen (input, clipboard,
    /// shared directories, alerts...).
    Nothing,
    /// A message whose meaning this renderer does not know.
    Unknown,
}

/// Decodes `message` (one legacy TDP message or TDPB frame). Returns what it
/// draws and its kind (for the report of what could not be drawn).
pub(crate) fn read(message: &[u8]) -> (MessageKind, Result<Drawing<'_>, tdpr::tdp::Error>) {
    let decoded = match decode_any(message) {
        Ok((decoded, _)) => decoded,
        Err(e) => return (raw_kind(message), Err(e)),
    };
    let kind = decoded.kind();
    let drawing = match decoded {
        AnyMessage::Tdp(message) => legacy(message),
        AnyMessage::Tdpb(frame) => match frame.payload() {
            Some(payload) => tdpb(payload),
            None => Drawing::Unknown,
        },
    };
    (kind, Ok(drawing))
}

/// The kind a message claims by its first bytes, for one that fails to decode.
fn raw_kind(message: &[u8]) -> MessageKind {
    match message.first() {
        Some(0) | None => MessageKind::Tdpb("undecodable"),
        Some(&code) => MessageKind::Tdp(tdpr::tdp::MessageType(code)),
    }
}

fn legacy(message: Message<'_>) -> Drawing<'_> {
    match message {
        Message::PngFrame { left, top, png, .. } | Message::Png2Frame { left, top, png, .. } => {
            Drawing::Png { left, top, png }
        }
        Message::RdpFastPathPdu { pdu } => Drawing::FastPath(pdu),
        Message::ClientScreenSpec { width, height } => Drawing::ClientScreenSpec { width, height },
        Message::RdpConnectionActivated {
            io_channel_id,
            user_channel_id,
            screen_width,
            screen_height,
        } => Drawing::ServerHello {
            size: Some((u32::from(screen_width), u32::from(screen_height))),
            io_channel_id,
            user_channel_id,
        },
        Message::MouseMove { x, y } => Drawing::MouseMove { x, y },
        Message::Unknown { .. } => Drawing::Unknown,
        _ => Drawing::Nothing,
    }
}

fn tdpb(payload: &Payload) -> Drawing<'static> {
    match payload {
        Payload::PngFrame(frame) => {
            let at = frame.coordinates.unwrap_or_default();
            Drawing::Png {
                left: at.left,
                top: at.top,
                png: Cow::Owned(frame.data.clone()),
            }
        }
        Payload::FastPathPdu(pdu) => Drawing::FastPath(Cow::Owned(pdu.pdu.clone())),
        Payload::ClientScreenSpec(spec) => Drawing::ClientScreenSpec {
            width: spec.width,
            height: spec.height,
        },
        Payload::ServerHello(hello) => {
            let spec = hello.activation_spec;
            let spec_or_default = spec.unwrap_or_default();
            Drawing::ServerHello {
                size: spec.map(|s| (s.screen_width, s.screen_height)),
                // Channel ids only name the channels the frame acknowledgements
                // go to; an out-of-range one changes nothing on the screen.
                io_channel_id: spec_or_default.io_channel_id as u16,
                user_channel_id: spec_or_default.user_channel_id as u16,
            }
        }
        Payload::MouseMove(moved) => Drawing::MouseMove {
            x: moved.x,
            y: moved.y,
        },
        _ => Drawing::Nothing,
    }
}
