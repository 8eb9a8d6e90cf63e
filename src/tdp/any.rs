//! One entry point for both wire forms: legacy TDP and TDPB.
//!
//! Why it exists: a Teleport connection starts in legacy TDP and may be
//! upgraded to TDPB mid-stream (type 38), and newer recordings store TDPB.
//! The two are told apart by the first byte alone: every legacy type code is
//! non-zero, while a TDPB frame starts with the high byte of a length below
//! 2^24, which is zero.

use std::fmt;

use serde_json::Value;

use super::{decode, json, tdpb, Error, Message, MessageType};

/// What kind of message a frame holds, found without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageKind {
    /// A legacy TDP message of this type.
    Tdp(MessageType),
    /// A TDPB envelope whose payload has this name.
    Tdpb(&'static str),
}

/// The legacy type's name (`png_frame`), `unknown_N` for a legacy code this
/// version does not know, or `tdpb:` and the envelope payload's name.
impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageKind::Tdp(code) => match code.name() {
                Some(name) => f.write_str(name),
                None => write!(f, "unknown_{}", code.0),
            },
            MessageKind::Tdpb(name) => write!(f, "tdpb:{name}"),
        }
    }
}

/// A message in either wire form.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyMessage<'a> {
    /// Legacy TDP.
    Tdp(Message<'a>),
    /// TDPB (protobuf) frame.
    Tdpb(tdpb::Frame<'a>),
}

impl AnyMessage<'_> {
    /// The message's kind: its legacy type, or its TDPB payload's name.
    pub fn kind(&self) -> MessageKind {
        match self {
            AnyMessage::Tdp(message) => MessageKind::Tdp(message.message_type()),
            AnyMessage::Tdpb(frame) => MessageKind::Tdpb(frame.payload_name()),
        }
    }

    /// Appends the exact wire bytes.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        match self {
            AnyMessage::Tdp(message) => message.encode(out),
            AnyMessage::Tdpb(frame) => {
                frame.encode(out);
                Ok(())
            }
        }
    }

    /// How many bytes [`encode`](Self::encode) appends.
    pub fn encoded_len(&self) -> usize {
        match self {
            AnyMessage::Tdp(message) => message.encoded_len(),
            AnyMessage::Tdpb(frame) => frame.encoded_len(),
        }
    }

    /// JSON form (see [`to_json`](super::to_json) and `spec/tdp.md` §8).
    pub fn to_json(&self) -> Result<Value, Error> {
        match self {
            AnyMessage::Tdp(message) => json::to_json(message),
            AnyMessage::Tdpb(frame) => Ok(frame.to_json()),
        }
    }
}

/// Decodes one message of either form from the start of `input`, choosing
/// by the first byte (0 = TDPB); returns it and the bytes it took.
pub fn decode_any(input: &[u8]) -> Result<(AnyMessage<'_>, usize), Error> {
    match input.first() {
        None => Err(Error::Truncated { offset: 0 }),
        Some(0) => tdpb::decode(input).map(|(frame, used)| (AnyMessage::Tdpb(frame), used)),
        Some(_) => decode(input).map(|(message, used)| (AnyMessage::Tdp(message), used)),
    }
}
