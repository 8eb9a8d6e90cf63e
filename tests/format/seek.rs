//! Seeking through the index gives the same records as reading from the
//! start, and the keyframe lookup finds the latest keyframe.

use tdpr::{RecordBody, Recording};

use crate::common::{sample, Seen};

#[test]
fn seek_matches_a_linear_read() {
    let data = sample();
    let recording = Recording::parse(&data).unwrap();
    let all: Vec<Seen> = recording
        .records()
        .map(|r| Seen::from(&r.unwrap()))
        .collect();
    let index = recording.index().unwrap();
    assert!(index.seek_len() >= 3, "the sample has several seek entries");
    let duration = index.duration_us;
    for t in (0..=duration + 1_000_000).step_by(37_000) {
        let from: Vec<Seen> = recording
            .seek(t)
            .unwrap()
            .map(|r| Seen::from(&r.unwrap()))
            .collect();
        let first = &from[0];
        assert!(
            first.time_us <= t || first.offset == 20,
            "seek({t}) starts at {}",
            first.time_us
        );
        let start = all
            .iter()
            .position(|r| r.offset == first.offset)
            .expect("starts at a record");
        assert_eq!(from, all[start..], "seek({t}) reads the suffix of the file");
        // No later entry at or before t exists.
        let entry = index.seek(t).unwrap();
        assert!(index
            .seek_entries()
            .all(|e| e.time_us > t || e.offset <= entry.offset));
    }
}

#[test]
fn keyframe_lookup_finds_the_latest_keyframe() {
    let data = sample();
    let recording = Recording::parse(&data).unwrap();
    let index = recording.index().unwrap();
    let keyframes: Vec<(u64, u64)> = recording
        .records()
        .map(|r| r.unwrap())
        .filter(|r| matches!(r.body, RecordBody::Keyframe { .. }))
        .map(|r| (r.time_us, r.offset))
        .collect();
    assert_eq!(keyframes.len(), 2);
    for t in (0..=index.duration_us).step_by(50_000) {
        let expected = keyframes
            .iter()
            .rev()
            .find(|(time, _)| *time <= t)
            .map(|(_, o)| *o);
        let found = index.keyframe_at_or_before(t).map(|e| e.offset);
        assert_eq!(found, expected, "keyframe at or before {t}");
    }
}

#[test]
fn seek_entries_carry_the_screen_size_in_effect() {
    let data = sample();
    let recording = Recording::parse(&data).unwrap();
    let index = recording.index().unwrap();
    let mut screen = (
        recording.metadata().message.screen_width,
        recording.metadata().message.screen_height,
    );
    let mut entries = index.seek_entries().peekable();
    for record in recording.records().map(|r| r.unwrap()) {
        if let Some(entry) = entries.peek() {
            if entry.offset == record.offset {
                assert_eq!(
                    (entry.width, entry.height),
                    screen,
                    "entry at {}",
                    record.offset
                );
                assert_eq!(entry.time_us, record.time_us);
                entries.next();
            }
        }
        if let RecordBody::ScreenSize { width, height } = record.body {
            screen = (width, height);
        }
    }
    assert!(entries.next().is_none(), "every entry points at a record");
}
