//! Protobuf fields a newer writer adds survive reading and rewriting.

use prost::Message;
use tdpr::proto::Extensible;
use tdpr::proto::{Event, Metadata};
use tdpr::{Limits, Recording, Writer, WriterOptions};

/// Field 99 (string "future") and field 100 (varint 7): unknown to v1.
const UNKNOWN: [u8; 11] = [
    0x9a, 0x06, 0x06, b'f', b'u', b't', b'u', b'r', b'e', 0xa0, 0x06,
];

fn with_unknown<M: Message>(message: &M) -> Vec<u8> {
    let mut bytes = message.encode_to_vec();
    bytes.extend_from_slice(&UNKNOWN);
    bytes.push(0x07);
    bytes
}

#[test]
fn metadata_unknown_fields_survive_a_rewrite() {
    let metadata = Metadata {
        user: "bob".into(),
        ..Metadata::default()
    };
    let decoded = Extensible::<Metadata>::decode(&with_unknown(&metadata)).unwrap();
    assert_eq!(decoded.message, metadata);
    let mut expected_unknown = UNKNOWN.to_vec();
    expected_unknown.push(0x07);
    assert_eq!(decoded.unknown_fields, expected_unknown);

    let mut writer = Writer::new(Vec::new(), decoded.clone(), WriterOptions::default()).unwrap();
    writer.write_frame(0, &[3]).unwrap();
    let data = writer.finish().unwrap();
    let recording = Recording::parse(&data).unwrap();
    assert_eq!(recording.metadata(), &decoded);

    let mut recovered = Vec::new();
    tdpr::recover(&data[..data.len() - 30], &mut recovered, Limits::default()).unwrap();
    assert_eq!(Recording::parse(&recovered).unwrap().metadata(), &decoded);
}

#[test]
fn event_unknown_fields_survive_a_rewrite() {
    let event = Event {
        kind: 8,
        label: "here".into(),
        ..Event::default()
    };
    let decoded = Extensible::<Event>::decode(&with_unknown(&event)).unwrap();
    let mut bytes = Vec::new();
    decoded.encode(&mut bytes);
    assert_eq!(Extensible::<Event>::decode(&bytes).unwrap(), decoded);
}

#[test]
fn known_field_numbers_match_the_schema() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("proto");
    let fds = protox::compile(["tdpr/v1/metadata.proto", "tdpr/v1/event.proto"], [root]).unwrap();
    for file in &fds.file {
        for message in &file.message_type {
            let mut numbers: Vec<u32> = message.field.iter().map(|f| f.number() as u32).collect();
            numbers.sort();
            let known = match message.name() {
                "Metadata" => <Metadata as tdpr::proto::KnownFields>::FIELD_NUMBERS,
                "Event" => <Event as tdpr::proto::KnownFields>::FIELD_NUMBERS,
                _ => continue,
            };
            assert_eq!(numbers, known, "{}", message.name());
        }
    }
}
