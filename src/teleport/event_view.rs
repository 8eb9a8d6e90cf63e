//! A Teleport audit event, read in place from its record.
//!
//! Why it exists: the importer must know, for every record, which event it
//! is, its `Metadata.Index` (to drop the duplicates a resumed upload leaves)
//! and its time — and for a `DesktopRecording`, the TDP message and delay —
//! without decoding the whole event. [`EventView::parse`] walks the wire bytes
//! once and borrows everything from the record.

use super::wire::{fields, Value, WireError};

/// `OneOf` member number of `DesktopRecording`.
pub const DESKTOP_RECORDING: u32 = 69;

/// Seconds of Go's zero `time.Time` as gogo's `stdtime` encodes it: the time
/// of an event whose time was never set.
const GO_ZERO_TIME_SECONDS: i64 = -62_135_596_800;

/// One event of a Teleport recording, borrowed from its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventView<'a> {
    /// The `OneOf` member number (69 for `DesktopRecording`).
    pub member: u32,
    /// The member's message bytes.
    pub body: &'a [u8],
    /// `Metadata.Index`; `None` when the event has no `Metadata` (field 1).
    pub index: Option<i64>,
    /// `Metadata.Type`, e.g. `desktop.recording` (empty when absent or not
    /// UTF-8).
    pub event_type: &'a str,
    /// `Metadata.Time` in microseconds since the Unix epoch; `None` when it
    /// is absent or is Go's zero time.
    pub time_unix_us: Option<i64>,
    /// The `DesktopRecording` fields, when this is one (member 69).
    pub recording: Option<RecordingView<'a>>,
}

/// The fields of a `DesktopRecording`, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordingView<'a> {
    /// `Message`: a legacy TDP message (may be empty).
    pub message: &'a [u8],
    /// `TDPBMessage`: a TDPB frame with its length prefix (may be empty).
    pub tdpb_message: &'a [u8],
    /// `DelayMilliseconds`.
    pub delay_ms: i64,
}

impl<'a> RecordingView<'a> {
    /// The TDP message to record: `Message` when set, else `TDPBMessage`.
    pub fn frame(&self) -> &'a [u8] {
        if self.message.is_empty() {
            self.tdpb_message
        } else {
            self.message
        }
    }
}

impl<'a> EventView<'a> {
    /// Reads a serialized `events.OneOf`. As protobuf says of a oneof, the
    /// last member on the wire wins.
    pub fn parse(record: &'a [u8]) -> Result<Self, WireError> {
        let mut member = None;
        for field in fields(record) {
            let field = field?;
            match field.value {
                Value::Bytes(body) => member = Some((field.number, body)),
                _ => return Err(WireError("a OneOf member is not a message")),
            }
        }
        let (member, body) = member.ok_or(WireError("a OneOf holds no event"))?;
        let mut view = EventView {
            member,
            body,
            index: None,
            event_type: "",
            time_unix_us: None,
            recording: (member == DESKTOP_RECORDING).then(RecordingView::default),
        };
        // One walk over the event: its `Metadata` and, for a recording, the
        // TDP message and delay. Several `Metadata` fields merge, as protobuf
        // says: a later value of a field replaces an earlier one, and so
        // within `Time`.
        let mut time: Option<(i64, i32)> = None;
        for field in fields(body) {
            let field = field?;
            if let (Some(recording), 2..=4) = (view.recording.as_mut(), field.number) {
                match (field.number, field.value) {
                    (2, Value::Bytes(message)) => recording.message = message,
                    (3, Value::Varint(delay)) => recording.delay_ms = delay as i64,
                    (4, Value::Bytes(frame)) => recording.tdpb_message = frame,
                    _ => {
                        return Err(WireError(
                            "a DesktopRecording field has the wrong wire type",
                        ))
                    }
                }
                continue;
            }
            if field.number != 1 {
                continue;
            }
            let Value::Bytes(metadata) = field.value else {
                return Err(WireError("an event's Metadata is not a message"));
            };
            view.index.get_or_insert(0);
            for field in fields(metadata) {
                let field = field?;
                match (field.number, field.value) {
                    (1, Value::Varint(index)) => view.index = Some(index as i64),
                    (2, Value::Bytes(text)) => {
                        view.event_type = std::str::from_utf8(text).unwrap_or("")
                    }
                    (5, Value::Bytes(timestamp)) => {
                        let (seconds, nanos) = time.get_or_insert((0, 0));
                        read_timestamp(timestamp, seconds, nanos)?;
                    }
                    _ => {}
                }
            }
        }
        view.time_unix_us = time.and_then(|(seconds, nanos)| unix_us(seconds, nanos));
        Ok(view)
    }
}

/// Reads a `Timestamp`'s fields over `seconds` and `nanos` (protobuf's
/// merge: fields present replace, absent ones stay).
fn read_timestamp(timestamp: &[u8], seconds: &mut i64, nanos: &mut i32) -> Result<(), WireError> {
    for field in fields(timestamp) {
        let field = field?;
        match (field.number, field.value) {
            (1, Value::Varint(value)) => *seconds = value as i64,
            (2, Value::Varint(value)) => *nanos = value as i32,
            _ => {}
        }
    }
    Ok(())
}

/// Seconds and nanoseconds since the epoch in microseconds; `None` for the
/// zero timestamp, Go's zero time (both mean "not set") and times out of
/// range.
pub fn unix_us(seconds: i64, nanos: i32) -> Option<i64> {
    if (seconds == 0 && nanos == 0) || seconds == GO_ZERO_TIME_SECONDS {
        return None;
    }
    seconds
        .checked_mul(1_000_000)
        .and_then(|us| us.checked_add(i64::from(nanos) / 1_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record of `spec/teleport.md` §1.5 (without its length prefix).
    const SPEC_EXAMPLE: [u8; 49] = [
        0xaa, 0x04, 0x2e, 0x0a, 0x1e, 0x12, 0x11, b'd', b'e', b's', b'k', b't', b'o', b'p', b'.',
        b'r', b'e', b'c', b'o', b'r', b'd', b'i', b'n', b'g', 0x2a, 0x06, 0x08, 0x80, 0x81, 0xc8,
        0xac, 0x06, 0x32, 0x01, b'c', 0x12, 0x09, 0x03, 0, 0, 0, 0x0a, 0, 0, 0, 0x14, 0x18, 0xdc,
        0x0b,
    ];

    #[test]
    fn reads_the_spec_example() {
        let view = EventView::parse(&SPEC_EXAMPLE).unwrap();
        assert_eq!(view.member, DESKTOP_RECORDING);
        assert_eq!(view.index, Some(0));
        assert_eq!(view.event_type, "desktop.recording");
        assert_eq!(view.time_unix_us, Some(1_704_067_200_000_000));
        let recording = view.recording.unwrap();
        assert_eq!(recording.frame(), [3, 0, 0, 0, 10, 0, 0, 0, 20]);
        assert_eq!(recording.delay_ms, 1500);
    }

    #[test]
    fn refuses_a_oneof_without_an_event() {
        assert_eq!(
            EventView::parse(&[]),
            Err(WireError("a OneOf holds no event"))
        );
        assert_eq!(
            EventView::parse(&[0x08, 0x01]),
            Err(WireError("a OneOf member is not a message"))
        );
    }

    #[test]
    fn go_zero_time_is_unset() {
        let seconds = |timestamp: &[u8]| {
            let (mut seconds, mut nanos) = (0, 0);
            read_timestamp(timestamp, &mut seconds, &mut nanos).unwrap();
            unix_us(seconds, nanos)
        };
        // seconds = -62135596800 as a 10-byte varint
        let go_zero = [
            0x08, 0x80, 0x92, 0xb8, 0xc3, 0x98, 0xfe, 0xff, 0xff, 0xff, 0x01,
        ];
        assert_eq!(seconds(&go_zero), None);
        assert_eq!(seconds(&[]), None);
        assert_eq!(seconds(&[0x08, 0x01, 0x10, 0xe8, 0x07]), Some(1_000_001));
    }

    #[test]
    fn metadata_fields_merge_as_protobuf_says() {
        // OneOf 70 { Metadata { Index 4, Time { seconds 10 } },
        //            Metadata { Type "t", Time { nanos 5000 } } }
        let body = [
            0x0a, 0x06, 0x08, 0x04, 0x2a, 0x02, 0x08, 0x0a, // the first Metadata
            0x0a, 0x08, 0x12, 0x01, b't', 0x2a, 0x03, 0x10, 0x88, 0x27, // the second
        ];
        let mut event = vec![0xb2, 0x04, body.len() as u8];
        event.extend_from_slice(&body);
        let view = EventView::parse(&event).unwrap();
        assert_eq!(view.member, 70);
        assert_eq!(view.index, Some(4));
        assert_eq!(view.event_type, "t");
        assert_eq!(view.time_unix_us, Some(10_000_005));
    }
}
