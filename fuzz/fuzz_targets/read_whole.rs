//! Whole-file reading of arbitrary bytes: opening, iterating, seeking,
//! validating, dumping and recovering never panic, and whatever `recover`
//! writes is a valid recording.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tdpr::{Limits, Recording};

fuzz_target!(|data: &[u8]| {
    if let Ok(recording) = Recording::parse(data) {
        for record in recording.records() {
            if let Ok(tdpr::Record { body: tdpr::RecordBody::Frame(payload), .. }) = record {
                let _ = payload.to_vec();
            }
        }
        if let Some(index) = recording.index() {
            for t in [0, index.duration_us / 2, index.duration_us] {
                if let Ok(records) = recording.seek(t) {
                    records.take(4).for_each(drop);
                }
                let _ = index.keyframe_at_or_before(t);
            }
        }
    }
    let _ = tdpr::dump(data, Limits::default());
    let _ = tdpr::validate(data, Limits::default());
    let mut recovered = Vec::new();
    if tdpr::recover(data, &mut recovered, Limits::default()).is_ok() {
        if let Err(e) = tdpr::validate(&recovered, Limits::default()) {
            panic!("recover wrote an invalid recording: {e}");
        }
    }
});
