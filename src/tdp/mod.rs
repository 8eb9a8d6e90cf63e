//! Teleport Desktop Protocol (TDP) messages: typed, zero-copy, byte-exact.
//!
//! Why this module exists: a tdpr recording stores the TDP messages that
//! Teleport's desktop service exchanged with the browser, one message per
//! frame. Reading, checking, converting and re-writing such recordings needs
//! a codec that agrees with Teleport's own to the byte. This module is that
//! codec, for both of Teleport's wire forms:
//!
//! * legacy TDP ([`decode`], [`Message`]): a type byte, then fixed fields,
//!   big-endian (RFD 0037 and `lib/srv/desktop/tdp/protocol/legacy`);
//! * TDPB ([`tdpb`]): a big-endian `uint32` length, then a protobuf
//!   `teleport.desktop.v1.Envelope`;
//! * either ([`decode_any`]), chosen by the first byte.
//!
//! Decoding never panics, never copies message data, and never allocates
//! by a length field before checking it against the input. Unknown legacy
//! type codes and unknown TDPB payloads are kept, not refused. Encoding a
//! decoded message gives back the very bytes it came from. `spec/tdp.md`
//! documents the wire formats.

mod any;
mod decode;
mod error;
mod fast_path;
mod file_system_object;
mod json;
mod message;
mod message_type;
mod png;
mod screen_size;
pub mod tdpb;
mod wire;

pub use any::{decode_any, AnyMessage, MessageKind};
pub use decode::decode;
pub use error::Error;
pub use fast_path::{FastPathHeader, FastPathUpdate, FastPathUpdateCode, FastPathUpdates};
pub use file_system_object::FileSystemObject;
pub use json::{from_json, to_json};
pub use message::Message;
pub use message_type::MessageType;
pub use screen_size::announced_screen_size;
