//! What a player does with a recording on disk: open it without reading a
//! frame, list its key events, and replay from any time through the index.
//!
//! ```sh
//! cargo run --release -- sample sample.tdpr
//! cargo run --example player -- sample.tdpr 5.5
//! ```

use tdpr::RecordingFile;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: player FILE [SECONDS]")?;
    let at_us = (args.next().map_or(Ok(0.0), |s| s.parse::<f64>())? * 1e6) as u64;

    // Maps the file (no unsafe code here) and reads the header, the
    // metadata and, from the end, the index.
    let file = RecordingFile::open(&path)?;
    let recording = file.recording()?;
    let metadata = &recording.metadata().message;
    println!(
        "{} on {}, {}x{}",
        metadata.user, metadata.desktop_name, metadata.screen_width, metadata.screen_height
    );
    let Some(index) = recording.index() else {
        return Err("unfinished recording: run `tdpr recover` first".into());
    };
    for entry in index.events() {
        let event = recording.event(&entry)?;
        println!(
            "{:>10} µs  {}  {}",
            entry.time_us, entry.kind, event.message.label
        );
    }

    // A player that draws starts from the latest keyframe at or before the
    // time; one that only lists frames starts from any seek entry.
    let start = index
        .keyframe_at_or_before(at_us)
        .or_else(|| index.seek(at_us))
        .ok_or("no seek entry")?;
    println!(
        "replaying from {} µs ({}), screen {}x{}",
        start.time_us,
        if start.is_keyframe {
            "a keyframe"
        } else {
            "a seek entry"
        },
        start.width,
        start.height
    );
    let mut shown = 0;
    let mut inflater = tdpr::Inflater::default();
    for record in recording.records_from(&start)? {
        for frame in record?.frames(&mut inflater)? {
            if frame.time_us >= at_us && shown < 5 {
                println!("{:>10} µs  {} bytes", frame.time_us, frame.message.len());
                shown += 1;
            }
        }
    }
    Ok(())
}
