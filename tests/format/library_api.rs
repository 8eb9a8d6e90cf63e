//! The library API a recorder and a player rely on, beyond the format:
//! reading what the index points at, decoding events, protobuf errors that
//! convert with `?`, a writer dropped without `finish`, and a stream reader
//! that keeps its fault.

use prost::Message;
use tdpr::proto::{Event, Metadata};
use tdpr::{ErrorClass, EventEntry, EventKind, Recording, StreamReader, Writer, WriterOptions};

/// A session with frames every 100 ms for 10 s and a marker and a clipboard
/// event in the middle.
fn session() -> Vec<u8> {
    let mut writer =
        Writer::new(Vec::new(), Metadata::default(), WriterOptions::default()).unwrap();
    for i in 0..100u64 {
        if i == 40 {
            let marker = Event {
                kind: EventKind::MARKER.0,
                label: "halfway".into(),
                ..Default::default()
            };
            writer.write_event(4_000_000, marker).unwrap();
            let copy = Event {
                kind: EventKind::CLIPBOARD_SEND.0,
                length: 12,
                ..Default::default()
            };
            writer.write_event(4_000_000, copy).unwrap();
        }
        writer
            .write_frame(i * 100_000, &[3, 0, 0, 0, i as u8, 0, 0, 0, 20])
            .unwrap();
    }
    writer.finish().unwrap()
}

#[test]
fn the_records_an_index_entry_points_at_are_read_without_a_seek_entry() {
    let data = session();
    let recording = Recording::parse(&data).unwrap();
    let index = recording.index().unwrap();
    let entries: Vec<EventEntry> = index.events().collect();
    assert_eq!(
        entries.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [EventKind::MARKER, EventKind::CLIPBOARD_SEND]
    );
    let marker = recording.event(&entries[0]).unwrap();
    assert_eq!(marker.message.label, "halfway");
    let copy = recording
        .record_at(entries[1].offset, entries[1].time_us)
        .unwrap();
    assert_eq!((copy.offset, copy.time_us), (entries[1].offset, 4_000_000));
    assert_eq!(copy.event().unwrap().unwrap().message.length, 12);
    // From the marker on: the clipboard event, then the frames from 4 s.
    let times: Vec<u64> = recording
        .records_at(entries[0].offset, entries[0].time_us)
        .unwrap()
        .map(|r| r.unwrap())
        .flat_map(|r| {
            let mut inflater = tdpr::Inflater::default();
            let frames = r.frames(&mut inflater).unwrap();
            frames.map(|f| f.time_us).collect::<Vec<_>>()
        })
        .take(3)
        .collect();
    assert_eq!(times, [4_000_000, 4_100_000, 4_200_000]);
}

#[test]
fn an_entry_that_does_not_lead_to_its_event_is_bad_index() {
    let data = session();
    let recording = Recording::parse(&data).unwrap();
    let marker = recording.index().unwrap().events().next().unwrap();
    let wrong_kind = EventEntry {
        kind: EventKind::SESSION_END,
        ..marker
    };
    let e = recording.event(&wrong_kind).unwrap_err();
    assert_eq!(
        (e.class(), e.offset()),
        (ErrorClass::BadIndex, Some(marker.offset))
    );
    let outside = EventEntry {
        offset: data.len() as u64 + 10,
        ..marker
    };
    let e = recording.event(&outside).unwrap_err();
    assert_eq!(e.class(), ErrorClass::BadIndex);
    // A frame record is not an event either.
    let first_frame = recording.index().unwrap().seek_entry(0).unwrap();
    let not_an_event = EventEntry {
        offset: first_frame.offset,
        time_us: first_frame.time_us,
        kind: EventKind::MARKER,
    };
    assert_eq!(
        recording.event(&not_an_event).unwrap_err().class(),
        ErrorClass::BadIndex
    );
}

#[test]
fn protobuf_errors_convert_into_the_crate_error() {
    fn decode(bytes: &[u8]) -> tdpr::Result<Event> {
        Ok(Event::decode(bytes)?)
    }
    let e = decode(&[0x08]).unwrap_err(); // field 1, varint, cut short
    assert_eq!((e.class(), e.offset()), (ErrorClass::MalformedRecord, None));
    assert_eq!(decode(&[0x08, 0x08]).unwrap().kind, EventKind::MARKER.0);
}

#[test]
fn a_writer_dropped_without_finish_leaves_every_frame_recoverable() {
    let mut file = Vec::new();
    {
        let mut writer =
            Writer::new(&mut file, Metadata::default(), WriterOptions::default()).unwrap();
        for i in 0..10u64 {
            // Ten frames within one batch's span: all still pending.
            writer
                .write_frame(i * 1_000, &[3, 0, 0, 0, i as u8, 0, 0, 0, 1])
                .unwrap();
        }
        // A recorder that stops here, on an error or a panic, drops it.
    }
    let e = tdpr::validate(&file).unwrap_err();
    assert_eq!(
        e.class(),
        ErrorClass::Unfinished,
        "the batch reached the sink: {e}"
    );
    let mut recovered = Vec::new();
    tdpr::recover(&file, &mut recovered, tdpr::Limits::default()).unwrap();
    let recording = Recording::parse(&recovered).unwrap();
    assert_eq!(recording.index().unwrap().frame_count, 10);
}

#[test]
fn a_stream_reader_that_failed_says_so_at_every_call() {
    let mut data = session();
    let at = data.len() / 2;
    data[at] ^= 0x40;
    let mut reader = StreamReader::default();
    reader.push(&data);
    let first = loop {
        match reader.next_record() {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("a whole file in the buffer never needs more bytes"),
            Err(e) => break e,
        }
    };
    assert_eq!(first.class(), ErrorClass::ChecksumMismatch);
    for _ in 0..3 {
        let again = reader.next_record().unwrap_err();
        assert_eq!(
            (again.class(), again.offset()),
            (first.class(), first.offset())
        );
    }
    let at_finish = reader.finish().unwrap_err();
    assert_eq!(
        (at_finish.class(), at_finish.offset()),
        (first.class(), first.offset())
    );
}
