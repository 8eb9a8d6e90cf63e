//! Protobuf messages that keep the fields this version does not know.
//!
//! prost drops unknown fields when it decodes. A tool that rewrites a
//! recording (recover, import, export) must not lose what a newer writer put
//! into the metadata or an event, so [`Extensible`] keeps every field whose
//! number the message does not define as raw wire bytes, and writes them back
//! after the known fields. Field order on the wire is free in protobuf, so the
//! result is an equivalent message.

use prost::bytes::Buf;
use prost::encoding::{decode_key, skip_field, DecodeContext};
use prost::Message;

use crate::proto;

/// A protobuf message whose field numbers are known at compile time.
pub trait KnownFields: Message + Default {
    /// The field numbers the message defines.
    const FIELD_NUMBERS: &'static [u32];
}

impl KnownFields for proto::Metadata {
    const FIELD_NUMBERS: &'static [u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
}

impl KnownFields for proto::Event {
    const FIELD_NUMBERS: &'static [u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
}

/// A decoded message plus the wire bytes of its unknown fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extensible<M> {
    /// The fields this version knows.
    pub message: M,
    /// Every field with a number `M` does not define, as it was on the wire.
    pub unknown_fields: Vec<u8>,
}

impl<M: KnownFields> From<M> for Extensible<M> {
    fn from(message: M) -> Self {
        Self {
            message,
            unknown_fields: Vec::new(),
        }
    }
}

impl<M: KnownFields> Extensible<M> {
    /// Decodes `bytes`, keeping unknown fields.
    pub fn decode(bytes: &[u8]) -> Result<Self, prost::DecodeError> {
        let message = M::decode(bytes)?;
        let mut unknown_fields = Vec::new();
        let mut rest = bytes;
        while rest.has_remaining() {
            let start = rest;
            let (number, wire_type) = decode_key(&mut rest)?;
            skip_field(wire_type, number, &mut rest, DecodeContext::default())?;
            if !M::FIELD_NUMBERS.contains(&number) {
                unknown_fields.extend_from_slice(&start[..start.len() - rest.len()]);
            }
        }
        Ok(Self {
            message,
            unknown_fields,
        })
    }

    /// Appends the encoded message, unknown fields last, to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(self.encoded_len());
        self.message
            .encode(out)
            .expect("a Vec grows to fit any message");
        out.extend_from_slice(&self.unknown_fields);
    }

    /// The encoded size.
    pub fn encoded_len(&self) -> usize {
        self.message.encoded_len() + self.unknown_fields.len()
    }
}
