//! TDPB: Teleport Desktop Protocol over protobuf.
//!
//! Why it exists: Teleport is replacing hand-laid TDP messages with protobuf
//! messages (`api/proto/teleport/desktop/v1/tdpb.proto`, Go codec in
//! `lib/srv/desktop/tdp/protocol/tdpb`), and its recorder now stores them.
//! A TDPB frame is
//!
//! ```text
//! | length uint32 (big-endian) | Envelope [length]byte (protobuf) |
//! ```
//!
//! with `length < 2^24`, so the first byte is always 0; that is how a reader
//! tells TDPB from legacy TDP, whose type codes are non-zero.
//!
//! A decoded [`Frame`] keeps the envelope's original bytes next to the typed
//! [`Envelope`]: protobuf decoders drop unknown fields and accept many
//! encodings of one value, so the typed form alone could not give the
//! recorded bytes back. Encoding a frame writes the original bytes; building
//! a new frame from a typed envelope is [`encode_envelope`]. A payload this
//! crate does not know leaves [`Frame::payload`] `None`; the frame is kept.

mod legacy_mapping;
pub mod proto;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use nom::bytes::complete::take;
use nom::number::complete::be_u32;
use prost::Message as _;
use serde_json::{json, Value};

use super::wire::{length_u32, WireError};
use super::Error;

pub use legacy_mapping::{from_legacy, to_legacy};
pub use proto::teleport::desktop::v1::envelope::Payload;
pub use proto::teleport::desktop::v1::Envelope;

/// The largest envelope length a frame can state: the length's top byte
/// must stay 0. (Teleport's encoder allows exactly this much; its decoder
/// stops one byte short, see `spec/tdp.md`.)
pub const MAX_ENVELOPE_LEN: usize = (1 << 24) - 1;

/// Bytes of the length field in front of every envelope.
pub const LENGTH_PREFIX_LEN: usize = 4;

/// The `"type"` of a TDPB frame in JSON.
pub(crate) const JSON_TYPE: &str = "tdpb";

/// One decoded TDPB frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<'a> {
    envelope_bytes: &'a [u8],
    envelope: Envelope,
}

impl<'a> Frame<'a> {
    /// The typed envelope.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The message the envelope carries; `None` for a payload this crate does
    /// not know (or an empty envelope).
    pub fn payload(&self) -> Option<&Payload> {
        self.envelope.payload.as_ref()
    }

    /// The envelope exactly as it was on the wire (without the length).
    pub fn envelope_bytes(&self) -> &'a [u8] {
        self.envelope_bytes
    }

    /// Snake-case name of the payload's oneof field, `"unknown"` if none.
    pub fn payload_name(&self) -> &'static str {
        self.payload().map_or("unknown", payload_name)
    }

    /// Appends the frame's exact wire bytes.
    pub fn encode(&self, out: &mut Vec<u8>) {
        // The length was below 2^24 when decoded, so it fits.
        out.extend_from_slice(&(self.envelope_bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(self.envelope_bytes);
    }

    /// How many bytes [`encode`](Self::encode) appends.
    pub fn encoded_len(&self) -> usize {
        LENGTH_PREFIX_LEN + self.envelope_bytes.len()
    }

    /// The legacy TDP messages this frame corresponds to (see [`to_legacy`]).
    pub fn to_legacy(&self) -> Vec<super::Message<'_>> {
        self.payload().map(to_legacy).unwrap_or_default()
    }

    /// JSON form: `{"type": "tdpb", "payload": <name>, "envelope": <base64>,
    /// "fields": <the payload's fields>}`. `envelope` is what
    /// [`from_json`](crate::tdp::from_json) reads back; `fields` (absent for
    /// an unknown payload) is for reading only.
    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "type": JSON_TYPE,
            "payload": self.payload_name(),
            "envelope": STANDARD.encode(self.envelope_bytes),
        });
        if let Some(payload) = self.payload() {
            // The oneof serializes as `{<payload name>: {fields}}`. Turning
            // plain data into a Value cannot fail; if it ever did, the frame
            // would still be described by its envelope.
            if let Ok(Value::Object(mut tagged)) = serde_json::to_value(payload) {
                if let Some(fields) = tagged.remove(self.payload_name()) {
                    value["fields"] = fields;
                }
            }
        }
        value
    }
}

/// Decodes the TDPB frame at the start of `input`; returns it and the bytes
/// it took (4 + envelope length).
pub fn decode(input: &[u8]) -> Result<(Frame<'_>, usize), Error> {
    let (rest, length) =
        be_u32::<_, WireError<'_>>(input).map_err(|error| nom_error(error, input))?;
    if length as usize > MAX_ENVELOPE_LEN {
        return Err(Error::LimitExceeded {
            offset: 0,
            what: "TDPB envelope length",
            actual: u64::from(length),
            limit: MAX_ENVELOPE_LEN as u64,
        });
    }
    let (_, envelope_bytes) =
        take::<_, _, WireError<'_>>(length)(rest).map_err(|error| nom_error(error, input))?;
    let envelope = Envelope::decode(envelope_bytes).map_err(|error| {
        Error::malformed(
            LENGTH_PREFIX_LEN,
            format_args!("bad TDPB envelope: {error}"),
        )
    })?;
    Ok((
        Frame {
            envelope_bytes,
            envelope,
        },
        LENGTH_PREFIX_LEN + envelope_bytes.len(),
    ))
}

/// Appends a new TDPB frame carrying `envelope`.
pub fn encode_envelope(envelope: &Envelope, out: &mut Vec<u8>) -> Result<(), Error> {
    let length = envelope.encoded_len();
    if length > MAX_ENVELOPE_LEN {
        return Err(Error::LimitExceeded {
            offset: 0,
            what: "TDPB envelope length",
            actual: length as u64,
            limit: MAX_ENVELOPE_LEN as u64,
        });
    }
    out.reserve(LENGTH_PREFIX_LEN + length);
    out.extend_from_slice(&length_u32(length, "TDPB envelope length")?.to_be_bytes());
    // Encoding into a Vec only fails for lack of capacity, which `reserve`
    // has ruled out.
    envelope
        .encode(out)
        .map_err(|error| Error::malformed(LENGTH_PREFIX_LEN, error))
}

/// Wire bytes of the TDPB frame the JSON describes (see [`Frame::to_json`]).
pub(crate) fn frame_from_json(value: &Value) -> Result<Vec<u8>, Error> {
    let envelope = value
        .get("envelope")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::bad_json("a TDPB frame needs an \"envelope\" base64 string"))?;
    let envelope_bytes = STANDARD.decode(envelope).map_err(Error::bad_json)?;
    let length = length_u32(envelope_bytes.len(), "TDPB envelope length")?;
    let mut bytes = Vec::with_capacity(LENGTH_PREFIX_LEN + envelope_bytes.len());
    bytes.extend_from_slice(&length.to_be_bytes());
    bytes.extend_from_slice(&envelope_bytes);
    // Refuse what would not read back (too long, not a protobuf message).
    decode(&bytes)?;
    Ok(bytes)
}

fn nom_error(error: nom::Err<WireError<'_>>, input: &[u8]) -> Error {
    match error {
        nom::Err::Error(error) | nom::Err::Failure(error) => error.into_error(input),
        nom::Err::Incomplete(_) => Error::Truncated {
            offset: input.len(),
        },
    }
}

/// Snake-case name of a payload's field in `Envelope.payload`.
pub fn payload_name(payload: &Payload) -> &'static str {
    match payload {
        Payload::ClientHello(_) => "client_hello",
        Payload::ServerHello(_) => "server_hello",
        Payload::PngFrame(_) => "png_frame",
        Payload::FastPathPdu(_) => "fast_path_pdu",
        Payload::RdpResponsePdu(_) => "rdp_response_pdu",
        Payload::SyncKeys(_) => "sync_keys",
        Payload::MouseMove(_) => "mouse_move",
        Payload::MouseButton(_) => "mouse_button",
        Payload::KeyboardButton(_) => "keyboard_button",
        Payload::ClientScreenSpec(_) => "client_screen_spec",
        Payload::Alert(_) => "alert",
        Payload::MouseWheel(_) => "mouse_wheel",
        Payload::ClipboardData(_) => "clipboard_data",
        Payload::Mfa(_) => "mfa",
        Payload::SharedDirectoryAnnounce(_) => "shared_directory_announce",
        Payload::SharedDirectoryAcknowledge(_) => "shared_directory_acknowledge",
        Payload::SharedDirectoryRequest(_) => "shared_directory_request",
        Payload::SharedDirectoryResponse(_) => "shared_directory_response",
        Payload::LatencyStats(_) => "latency_stats",
        Payload::Ping(_) => "ping",
        Payload::SharedDirectoryRemove(_) => "shared_directory_remove",
        Payload::SessionSelection(_) => "session_selection",
    }
}
