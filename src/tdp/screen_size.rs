//! The screen size a TDP message announces, if any.
//!
//! Why it exists: a recorder that writes tdpr records screen-size changes as
//! it sees them, but recordings made elsewhere (Teleport's) carry only the
//! TDP messages. The size is announced by the client's screen spec (legacy
//! type 1, TDPB `ClientScreenSpec`) and by the server's connection activation
//! (legacy type 31, TDPB `ServerHello`); this finds it without decoding any
//! other message.

use super::tdpb::{self, Payload};
use super::{decode, Message, MessageType};

/// First byte of a TDPB envelope whose payload is `ServerHello` (field 2,
/// length-delimited).
const SERVER_HELLO_KEY: u8 = 0x12;
/// First byte of a TDPB envelope whose payload is `ClientScreenSpec` (field
/// 10, length-delimited).
const CLIENT_SCREEN_SPEC_KEY: u8 = 0x52;

/// `(width, height)` in pixels when `message` (one legacy TDP message or TDPB
/// frame) announces a screen size; `None` otherwise, for malformed messages
/// and for a zero width or height.
pub fn announced_screen_size(message: &[u8]) -> Option<(u32, u32)> {
    let size = match *message.first()? {
        0 => {
            let key = *message.get(tdpb::LENGTH_PREFIX_LEN)?;
            if key != SERVER_HELLO_KEY && key != CLIENT_SCREEN_SPEC_KEY {
                return None;
            }
            match tdpb::decode(message).ok()?.0.payload()? {
                Payload::ServerHello(hello) => {
                    let spec = hello.activation_spec.as_ref()?;
                    (spec.screen_width, spec.screen_height)
                }
                Payload::ClientScreenSpec(spec) => (spec.width, spec.height),
                _ => return None,
            }
        }
        code if code == MessageType::CLIENT_SCREEN_SPEC.0
            || code == MessageType::RDP_CONNECTION_ACTIVATED.0 =>
        {
            match decode(message).ok()?.0 {
                Message::ClientScreenSpec { width, height } => (width, height),
                Message::RdpConnectionActivated {
                    screen_width,
                    screen_height,
                    ..
                } => (u32::from(screen_width), u32::from(screen_height)),
                _ => return None,
            }
        }
        _ => return None,
    };
    (size.0 > 0 && size.1 > 0).then_some(size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tdp::tdpb::proto::teleport::desktop::v1::{
        ClientScreenSpec, ConnectionActivated, Envelope, ServerHello,
    };

    fn tdpb_frame(payload: Payload) -> Vec<u8> {
        let mut out = Vec::new();
        tdpb::encode_envelope(
            &Envelope {
                payload: Some(payload),
            },
            &mut out,
        )
        .unwrap();
        out
    }

    #[test]
    fn finds_sizes_in_both_wire_forms() {
        assert_eq!(
            announced_screen_size(&[1, 0, 0, 5, 0, 0, 0, 2, 0xd0]),
            Some((1280, 720))
        );
        assert_eq!(
            announced_screen_size(&[31, 0x03, 0xeb, 0x03, 0xef, 0x05, 0x00, 0x02, 0xd0]),
            Some((1280, 720))
        );
        let hello = tdpb_frame(Payload::ServerHello(ServerHello {
            activation_spec: Some(ConnectionActivated {
                screen_width: 1920,
                screen_height: 1080,
                ..Default::default()
            }),
            ..Default::default()
        }));
        assert_eq!(announced_screen_size(&hello), Some((1920, 1080)));
        let spec = tdpb_frame(Payload::ClientScreenSpec(ClientScreenSpec {
            width: 800,
            height: 600,
            scale: 0,
        }));
        assert_eq!(announced_screen_size(&spec), Some((800, 600)));
    }

    #[test]
    fn other_and_broken_messages_announce_nothing() {
        assert_eq!(announced_screen_size(&[3, 0, 0, 0, 10, 0, 0, 0, 20]), None);
        assert_eq!(announced_screen_size(&[1, 0, 0]), None);
        assert_eq!(announced_screen_size(&[1, 0, 0, 0, 0, 0, 0, 2, 0xd0]), None);
        assert_eq!(announced_screen_size(&[0, 0, 0, 2, 0x12, 0xff]), None);
        assert_eq!(announced_screen_size(&[]), None);
    }
}
