//! The seek cases of the conformance suite: for golden recordings with
//! keyframes and resizes (and seek entries before the first keyframe),
//! queries "state at time t" with the answer a player
//! needs: the record to start replaying from (the latest keyframe at or before
//! t, or the first content record when there is none) and the screen size in
//! effect at t. The answers are derived here by a linear walk over the
//! records, independently of the index code, and the reference's index lookup
//! must agree. `TDPR_BLESS=1` rewrites `conformance/seek/`.

use serde_json::json;
use tdpr::{RecordBody, Recording};

use crate::golden;
use crate::invalid::conformance_dir;

#[test]
fn seek_answers_agree_with_a_linear_walk() {
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    let dir = conformance_dir().join("seek");
    for name in ["sample", "resizes_and_keyframes", "keyframe_later"] {
        let bytes = golden::fixtures()
            .into_iter()
            .find(|(n, _, _)| *n == name)
            .unwrap()
            .2;
        let recording = Recording::parse(&bytes).unwrap();
        let records: Vec<_> = recording.records().map(|r| r.unwrap()).collect();
        let metadata = &recording.metadata().message;
        let index = recording.index().unwrap();
        let first_content = &records[1];
        let mut queries = Vec::new();
        let step = (index.duration_us / 40).max(1);
        let mut times: Vec<u64> = (0..=index.duration_us + step)
            .step_by(step as usize)
            .collect();
        // Exactly at every keyframe and resize, and just before.
        for r in &records {
            if matches!(
                r.body,
                RecordBody::Keyframe { .. } | RecordBody::ScreenSize { .. }
            ) {
                times.extend([r.time_us.saturating_sub(1), r.time_us]);
            }
        }
        times.sort();
        times.dedup();
        for t in times {
            let in_effect = records.iter().take_while(|r| r.time_us <= t);
            let mut screen = (metadata.screen_width, metadata.screen_height);
            let mut start = first_content;
            for r in in_effect {
                match r.body {
                    RecordBody::ScreenSize { width, height } => screen = (width, height),
                    RecordBody::Keyframe { .. } => start = r,
                    _ => {}
                }
            }
            let found = index
                .keyframe_at_or_before(t)
                .map_or(first_content.offset, |e| e.offset);
            assert_eq!(found, start.offset, "{name}: start for t = {t}");
            queries.push(json!({
                "time_us": t,
                "start_offset": start.offset,
                "start_time_us": start.time_us,
                "start_is_keyframe": matches!(start.body, RecordBody::Keyframe { .. }),
                "screen_width": screen.0,
                "screen_height": screen.1,
            }));
        }
        let value = json!({
            "recording": format!("valid/{name}.tdpr"),
            "section": "7.2",
            "queries": queries,
        });
        let text = serde_json::to_string_pretty(&value).unwrap() + "\n";
        let path = dir.join(format!("{name}.json"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            text,
            "{name}.json is stale"
        );
    }
}
