//! import → export → import keeps every TDP message, time and event.

use tdpr::teleport::{export, renumbered, ExportOptions};
use tdpr::Recording;

use super::fixtures::{cases, import_bytes, items, Item};

#[test]
fn import_export_import_is_lossless() {
    for path in cases() {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let (first, _) = import_bytes(&std::fs::read(&path).unwrap());
        let first = Recording::parse(&first).unwrap();
        // Small parts, so that every round trip also crosses part boundaries.
        let mut options = ExportOptions::default();
        options.part_size = 512;
        let (teleport, report) = export(&first, Vec::new(), &options).unwrap();
        assert_eq!(report.frames_split + report.frames_left_out, 0, "{id}");
        let (second, reimport) = import_bytes(&teleport);
        assert_eq!(
            reimport.stopped, None,
            "{id}: our export reads back cleanly"
        );
        assert_eq!(reimport.duplicates_dropped, 0, "{id}");
        let second = Recording::parse(&second).unwrap();

        let (a, b) = (
            first.metadata().message.clone(),
            second.metadata().message.clone(),
        );
        // A recording without a kept start event gets one built from its
        // metadata, which the second import keeps.
        if !a.teleport_start_event.is_empty() {
            assert_eq!(
                normalized(&a.teleport_start_event),
                normalized(&b.teleport_start_event),
                "{id}: start event"
            );
        }
        assert_eq!(
            tdpr::proto::Metadata {
                teleport_start_event: vec![],
                ..a
            },
            tdpr::proto::Metadata {
                teleport_start_event: vec![],
                ..b
            },
            "{id}: metadata"
        );
        let strip = |items: Vec<Item>| -> Vec<Item> {
            items
                .into_iter()
                .map(|item| match item {
                    Item::Event(t, mut event) => {
                        event.teleport_event = normalized(&event.teleport_event);
                        Item::Event(t, event)
                    }
                    frame => frame,
                })
                .collect()
        };
        assert_eq!(strip(items(&first)), strip(items(&second)), "{id}: records");
    }
}

/// A kept Teleport event with its index set to 0: export renumbers events
/// 0, 1, 2, … and keeps every other byte.
fn normalized(event: &[u8]) -> Vec<u8> {
    if event.is_empty() {
        return Vec::new();
    }
    renumbered(event, 0).unwrap()
}
