//! JSON form of messages, both ways.
//!
//! Why it exists: people inspect recordings with `jq`, and the planned
//! `tdpr tdp encode` CLI builds messages from hand-written JSON. The JSON is
//! the serde form of [`Message`]: an object whose `"type"` is the snake-case
//! message name ([`MessageType::name`](super::MessageType::name)) and whose
//! other keys are the message's fields. Rules:
//!
//! * byte strings (PNG data, PDUs, clipboard data, file data, unknown bodies,
//!   the ping UUID) are **standard base64 with padding** (RFC 4648 §4);
//! * text fields are JSON strings; numbers are JSON numbers at wire width;
//! * length fields that only restate a byte string's length (PNG2
//!   `png_length`, read/write data lengths, `fso` count) are not in the JSON:
//!   they are recomputed on encode;
//! * a TDPB frame is `{"type": "tdpb", "payload": <oneof name or "unknown">,
//!   "envelope": <base64 of the protobuf Envelope>, "fields": {...}}`;
//!   `payload` and `fields` (the decoded payload, protobuf field names,
//!   enums as numbers) are for reading only; only `envelope` is read back.
//!
//! [`from_json`] checks its result by decoding it again, so JSON that would
//! not read back as the same message (an `unknown` with a known type code, a
//! PNG frame whose data is not a PNG, ...) is refused.

use serde::Deserialize;
use serde_json::Value;

use super::tdpb;
use super::{decode, Error, Message};

/// The JSON form of a legacy TDP message: `{"type": <snake-case name>,
/// <field>: <value>, ...}`, byte strings as standard base64 (padded), length
/// fields that restate a byte string's length left out. `spec/tdp.md` §8.
pub fn to_json(message: &Message<'_>) -> Result<Value, Error> {
    serde_json::to_value(message).map_err(Error::bad_json)
}

/// Builds the wire bytes of the message that `value` describes: a legacy
/// message as [`to_json`] writes it, or a TDPB frame as
/// [`Frame::to_json`](super::tdpb::Frame::to_json) writes it (only its
/// `envelope` is read). The result is checked by decoding it again.
pub fn from_json(value: &Value) -> Result<Vec<u8>, Error> {
    if value.get("type").and_then(Value::as_str) == Some(tdpb::JSON_TYPE) {
        return tdpb::frame_from_json(value);
    }
    let message = Message::deserialize(value).map_err(Error::bad_json)?;
    if let Message::Unknown { message_type, .. } = &message {
        if let Some(name) = message_type.name() {
            return Err(Error::bad_json(format!(
                "type code {} is `{name}`; write it in that form, not as `unknown`",
                message_type.0
            )));
        }
    }
    let mut bytes = Vec::with_capacity(message.encoded_len());
    message.encode(&mut bytes)?;
    let (read_back, consumed) = decode(&bytes)?;
    if consumed != bytes.len() || read_back != message {
        return Err(Error::bad_json(format!(
            "the message does not read back as itself (type code {})",
            message.message_type().0
        )));
    }
    Ok(bytes)
}

/// Serde adapter: `Cow<[u8]>` as a base64 string.
pub(crate) mod base64_bytes {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::borrow::Cow;

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(crate) fn deserialize<'de, 'a, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Cow<'a, [u8]>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD
            .decode(text)
            .map(Cow::Owned)
            .map_err(serde::de::Error::custom)
    }
}

/// Serde adapter: a 16-byte UUID as a base64 string.
pub(crate) mod base64_uuid {
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        uuid: &[u8; 16],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::base64_bytes::serialize(uuid, serializer)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<[u8; 16], D::Error> {
        let bytes = super::base64_bytes::deserialize(deserializer)?;
        <[u8; 16]>::try_from(bytes.as_ref())
            .map_err(|_| serde::de::Error::custom("a ping UUID is exactly 16 bytes"))
    }
}
