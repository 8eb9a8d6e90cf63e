//! Walking protobuf wire bytes without decoding them into structs.
//!
//! Why it exists: a Teleport recording is millions of `DesktopRecording`
//! events, and decoding each with prost would copy every TDP message into a
//! fresh `Vec`. Walking the fields instead borrows the message bytes straight
//! from the decompressed record. The same walk rewrites one field of an event
//! (its `Index`) while carrying every other field, known or not, through byte
//! for byte, which prost cannot do because it drops unknown fields.

use prost::encoding::{decode_varint, encode_key, encode_varint, WireType};

/// Why bytes are not a protobuf message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub &'static str);

/// The value of one field, borrowed from the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 1.
    Fixed64(u64),
    /// Wire type 2: a string, bytes, a sub-message or a packed array.
    Bytes(&'a [u8]),
    /// Wire type 5.
    Fixed32(u32),
    /// Wire types 3 and 4: a group (proto2's deprecated nesting), the bytes
    /// between its start and end tags.
    Group(&'a [u8]),
}

/// One field of a message: its number, its value and its whole encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field number.
    pub number: u32,
    /// The value.
    pub value: Value<'a>,
    /// Key and value as they appear on the wire.
    pub raw: &'a [u8],
}

/// The fields of `message`, in wire order. Groups, which proto3 never writes
/// but a message may still carry as unknown fields, are walked over whole; an
/// unmatched end tag, or groups nested deeper than 64, are an error.
pub fn fields(message: &[u8]) -> Fields<'_> {
    Fields { rest: message }
}

/// Iterator returned by [`fields`]; it stops after the first error.
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<Field<'a>, WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let field = next_field(&mut self.rest);
        if field.is_err() {
            self.rest = &[];
        }
        Some(field)
    }
}

/// How deep groups may nest.
const MAX_GROUP_DEPTH: usize = 64;

fn next_field<'a>(rest: &mut &'a [u8]) -> Result<Field<'a>, WireError> {
    next_field_at(rest, 0)
}

fn next_field_at<'a>(rest: &mut &'a [u8], depth: usize) -> Result<Field<'a>, WireError> {
    let start: &'a [u8] = rest;
    let key = decode_varint(rest).map_err(|_| WireError("bad varint in a field key"))?;
    let number = key >> 3;
    if number == 0 || number > u64::from(u32::MAX >> 3) {
        return Err(WireError("field number out of range"));
    }
    let value = match key & 7 {
        3 => Value::Group(group_body(rest, number, depth)?),
        0 => Value::Varint(decode_varint(rest).map_err(|_| WireError("bad varint"))?),
        1 => Value::Fixed64(u64::from_le_bytes(
            take(rest, 8)?.try_into().expect("8 bytes"),
        )),
        2 => {
            let len = decode_varint(rest).map_err(|_| WireError("bad length varint"))?;
            let len = usize::try_from(len).map_err(|_| WireError("length out of range"))?;
            Value::Bytes(take(rest, len)?)
        }
        5 => Value::Fixed32(u32::from_le_bytes(
            take(rest, 4)?.try_into().expect("4 bytes"),
        )),
        _ => return Err(WireError("unsupported wire type")),
    };
    let raw = &start[..start.len() - rest.len()];
    Ok(Field {
        number: number as u32,
        value,
        raw,
    })
}

/// Walks the fields of a group that started with field `number`, up to and
/// including its end tag; returns the bytes between the tags.
fn group_body<'a>(rest: &mut &'a [u8], number: u64, depth: usize) -> Result<&'a [u8], WireError> {
    if depth >= MAX_GROUP_DEPTH {
        return Err(WireError("groups nested too deep"));
    }
    let body: &'a [u8] = rest;
    loop {
        if rest.is_empty() {
            return Err(WireError("a group is not closed"));
        }
        let before = rest.len();
        let mut peek: &[u8] = rest;
        let key = decode_varint(&mut peek).map_err(|_| WireError("bad varint in a field key"))?;
        if key & 7 == 4 {
            if key >> 3 != number {
                return Err(WireError("a group ends with another group's tag"));
            }
            *rest = peek;
            return Ok(&body[..body.len() - before]);
        }
        next_field_at(rest, depth + 1)?;
    }
}

fn take<'a>(rest: &mut &'a [u8], len: usize) -> Result<&'a [u8], WireError> {
    if rest.len() < len {
        return Err(WireError("a field runs past the end of its message"));
    }
    let (head, tail) = rest.split_at(len);
    *rest = tail;
    Ok(head)
}

/// Appends a length-delimited field.
pub fn put_bytes(out: &mut Vec<u8>, number: u32, bytes: &[u8]) {
    encode_key(number, WireType::LengthDelimited, out);
    encode_varint(bytes.len() as u64, out);
    out.extend_from_slice(bytes);
}

/// Appends a varint field.
pub fn put_varint(out: &mut Vec<u8>, number: u32, value: u64) {
    encode_key(number, WireType::Varint, out);
    encode_varint(value, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_every_wire_type_and_keeps_raw_bytes() {
        let message = [
            0x08, 0x96, 0x01, // 1: varint 150
            0x12, 0x02, b'h', b'i', // 2: "hi"
            0x19, 1, 2, 3, 4, 5, 6, 7, 8, // 3: fixed64
            0x25, 9, 8, 7, 6, // 4: fixed32
        ];
        let fields: Vec<Field> = fields(&message).collect::<Result<_, _>>().unwrap();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0].value, Value::Varint(150));
        assert_eq!(fields[1].value, Value::Bytes(b"hi"));
        assert_eq!(fields[2].value, Value::Fixed64(0x0807060504030201));
        assert_eq!(fields[3].value, Value::Fixed32(0x06070809));
        let joined: Vec<u8> = fields.iter().flat_map(|f| f.raw.iter().copied()).collect();
        assert_eq!(joined, message);
    }

    #[test]
    fn walks_over_groups_whole() {
        // 1: group { 2: varint 5, 3: group { } }, then 4: varint 1
        let message = [0x0b, 0x10, 0x05, 0x1b, 0x1c, 0x0c, 0x20, 0x01];
        let fields: Vec<Field> = fields(&message).collect::<Result<_, _>>().unwrap();
        assert_eq!(fields[0].value, Value::Group(&[0x10, 0x05, 0x1b, 0x1c]));
        assert_eq!(fields[0].raw, &message[..6]);
        assert_eq!(fields[1].value, Value::Varint(1));
        let deep: Vec<u8> = std::iter::repeat_n(0x0b, 65).collect();
        let result: Result<Vec<Field>, WireError> = super::fields(&deep).collect();
        assert_eq!(result.unwrap_err(), WireError("groups nested too deep"));
    }

    #[test]
    fn rejects_what_is_not_protobuf() {
        for (bytes, why) in [
            (
                &[0x12, 0x05, b'a'][..],
                "a field runs past the end of its message",
            ),
            (&[0x08, 0xff][..], "bad varint"),
            (&[0x0b][..], "a group is not closed"),
            (&[0x0c][..], "unsupported wire type"),
            (&[0x0b, 0x14][..], "a group ends with another group's tag"),
            (&[0x0e][..], "unsupported wire type"),
            (&[0x00, 0x00][..], "field number out of range"),
            (&[0xff; 11][..], "bad varint in a field key"),
        ] {
            let result: Result<Vec<Field>, WireError> = fields(bytes).collect();
            assert_eq!(result.unwrap_err(), WireError(why), "{bytes:02x?}");
        }
    }
}
