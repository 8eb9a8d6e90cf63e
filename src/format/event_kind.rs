//! The kind of a key event, one type for every place that names it: the
//! event record's `tdpr.v1.Event.kind`, the index's event entries and the
//! canonical JSON (spec/format.md 5.4 and 7.1).
//!
//! It is an open newtype, as record types are: a kind a newer writer defines
//! passes through this version intact, and only its name is unknown.

use std::fmt;

use prost::bytes::Buf;
use prost::encoding::{decode_key, decode_varint, skip_field, DecodeContext, WireType};

use crate::proto;

/// The kind of a key event: a `tdpr.v1.EventKind` value, known or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct EventKind(pub i32);

impl EventKind {
    /// Clipboard data went from the user's machine to the desktop.
    pub const CLIPBOARD_SEND: EventKind = Self::of(proto::EventKind::ClipboardSend);
    /// Clipboard data went from the desktop to the user's machine.
    pub const CLIPBOARD_RECEIVE: EventKind = Self::of(proto::EventKind::ClipboardReceive);
    /// The desktop read a file from a shared directory.
    pub const SHARED_DIRECTORY_READ: EventKind = Self::of(proto::EventKind::SharedDirectoryRead);
    /// The desktop wrote a file in a shared directory.
    pub const SHARED_DIRECTORY_WRITE: EventKind = Self::of(proto::EventKind::SharedDirectoryWrite);
    /// The user shared a directory with the desktop.
    pub const SHARED_DIRECTORY_START: EventKind = Self::of(proto::EventKind::SharedDirectoryStart);
    /// A participant joined the session.
    pub const SESSION_JOIN: EventKind = Self::of(proto::EventKind::SessionJoin);
    /// A participant left the session.
    pub const SESSION_LEAVE: EventKind = Self::of(proto::EventKind::SessionLeave);
    /// A marker with a label.
    pub const MARKER: EventKind = Self::of(proto::EventKind::Marker);
    /// The session ended.
    pub const SESSION_END: EventKind = Self::of(proto::EventKind::SessionEnd);

    const fn of(kind: proto::EventKind) -> Self {
        EventKind(kind as i32)
    }

    /// The kind as the schema defines it, or `None` for a value this version
    /// does not know.
    pub fn known(self) -> Option<proto::EventKind> {
        proto::EventKind::try_from(self.0).ok()
    }

    /// The name the canonical JSON gives it: the enum value's name without
    /// `EVENT_KIND_`, in lower case (`clipboard_send`); `None` for a value
    /// this version does not know.
    pub fn name(self) -> Option<String> {
        self.known().map(|kind| {
            kind.as_str_name()
                .trim_start_matches("EVENT_KIND_")
                .to_ascii_lowercase()
        })
    }

    /// The kind of the encoded `tdpr.v1.Event` in `bytes`, read without
    /// decoding (or allocating) the rest: what the index needs of every
    /// event a writer writes. The last `kind` field wins, as in protobuf.
    pub(crate) fn of_encoded_event(mut bytes: &[u8]) -> Result<Self, prost::DecodeError> {
        let mut kind = EventKind::default();
        while bytes.has_remaining() {
            let (number, wire_type) = decode_key(&mut bytes)?;
            if number == 1 && wire_type == WireType::Varint {
                // An enum is an int32 on the wire: its low 32 bits.
                kind = EventKind(decode_varint(&mut bytes)? as i32);
            } else {
                skip_field(wire_type, number, &mut bytes, DecodeContext::default())?;
            }
        }
        Ok(kind)
    }

    /// The kind as an index event entry stores it: the value's 32 bits.
    pub(crate) fn index_value(self) -> u32 {
        self.0 as u32
    }

    /// The kind an index event entry stores.
    pub(crate) fn from_index(value: u32) -> Self {
        EventKind(value as i32)
    }
}

impl From<proto::EventKind> for EventKind {
    fn from(kind: proto::EventKind) -> Self {
        Self::of(kind)
    }
}

/// The name, or the number when the kind is unknown.
impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(&name),
            None => write!(f, "{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_schema() {
        assert_eq!(
            EventKind::CLIPBOARD_SEND.name().as_deref(),
            Some("clipboard_send")
        );
        assert_eq!(EventKind(0).name().as_deref(), Some("unspecified"));
        assert_eq!(EventKind(77).name(), None);
        assert_eq!(EventKind(77).to_string(), "77");
        assert_eq!(EventKind::SESSION_END.to_string(), "session_end");
    }

    #[test]
    fn the_kind_is_read_from_the_encoded_event() {
        use prost::Message;
        let event = proto::Event {
            kind: EventKind::MARKER.0,
            label: "here".into(),
            ..Default::default()
        };
        let bytes = event.encode_to_vec();
        assert_eq!(EventKind::of_encoded_event(&bytes), Ok(EventKind::MARKER));
        assert_eq!(EventKind::of_encoded_event(&[]), Ok(EventKind(0)));
        // A negative kind takes ten bytes on the wire; its low 32 bits stay.
        let negative = proto::Event {
            kind: -2,
            ..Default::default()
        };
        assert_eq!(
            EventKind::of_encoded_event(&negative.encode_to_vec()),
            Ok(EventKind(-2))
        );
        assert!(EventKind::of_encoded_event(&[0x08]).is_err(), "cut short");
    }

    #[test]
    fn index_values_keep_every_bit() {
        for kind in [EventKind(-1), EventKind(i32::MIN), EventKind(9)] {
            assert_eq!(EventKind::from_index(kind.index_value()), kind);
        }
        assert_eq!(EventKind(-1).index_value(), u32::MAX);
    }
}
