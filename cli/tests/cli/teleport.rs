//! `tdpr import teleport` and `tdpr export teleport` as a user runs them:
//! exit codes, the files they leave, what they print; and issue #13,
//! case 3: export keeps every frame, and what Teleport cannot carry stops
//! it unless the user accepts the loss.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use tdpr::tdp::{decode_any, AnyMessage, Message};
use tdpr::Recording;

use super::support::{assert_exit, files, sample, scratch, stderr, stdout, tdpr_in, teleport_case};

#[test]
fn import_then_export_then_import_again() {
    let dir = scratch("round_trip");
    std::fs::copy(teleport_case("clipboard_and_directory"), dir.join("in.tar")).unwrap();
    let import = tdpr_in(&dir, &["import", "teleport", "in.tar", "a.tdpr"]);
    assert_exit(&import, 0);
    assert!(stderr(&import).contains("a Windows desktop session"));
    assert_exit(&tdpr_in(&dir, &["validate", "a.tdpr"]), 0);

    let export = tdpr_in(&dir, &["export", "teleport", "a.tdpr", "a.tar"]);
    assert_exit(&export, 0);
    assert!(stderr(&export).contains("start event as imported"));
    assert_exit(
        &tdpr_in(&dir, &["import", "teleport", "a.tar", "b.tdpr"]),
        0,
    );
    let (a, b) = (
        tdpr_in(&dir, &["dump", "a.tdpr"]).stdout,
        tdpr_in(&dir, &["dump", "b.tdpr"]).stdout,
    );
    // The same frames and events; only the kept events' indexes differ.
    let count = |dump: &[u8], what: &str| String::from_utf8_lossy(dump).matches(what).count();
    assert_eq!(count(&a, "\"frame\""), count(&b, "\"frame\""));
    assert_eq!(count(&a, "\"event\""), count(&b, "\"event\""));
}

#[test]
fn a_stream_that_stops_early_exits_1_and_keeps_what_came_before() {
    let dir = scratch("stops_early");
    std::fs::copy(teleport_case("truncated_in_body"), dir.join("in.tar")).unwrap();
    let import = tdpr_in(&dir, &["import", "teleport", "in.tar", "out.tdpr"]);
    assert_exit(&import, 1);
    assert!(
        stderr(&import).contains("the input stopped early: truncated in part 1"),
        "{}",
        stderr(&import)
    );
    assert_exit(&tdpr_in(&dir, &["validate", "out.tdpr"]), 0);
}

#[test]
fn an_encrypted_stream_exits_1_and_leaves_no_file() {
    let dir = scratch("encrypted");
    std::fs::copy(teleport_case("encrypted"), dir.join("in.tar")).unwrap();
    let import = tdpr_in(&dir, &["import", "teleport", "in.tar", "out.tdpr"]);
    assert_exit(&import, 1);
    assert!(
        stderr(&import).contains("encrypted in part 0 (header at byte 0)"),
        "{}",
        stderr(&import)
    );
    assert!(!dir.join("out.tdpr").exists());
}

/// Case 3: the frames of a video session above Teleport's 64 KiB event
/// limit are cut into PNG tiles, and a player that draws every PNG where
/// it says paints the same screen at every moment from the export as from
/// the original.
#[test]
fn export_keeps_every_frame_with_the_same_pixels() {
    let dir = scratch("video_export");
    let synth = tdpr_in(
        &dir,
        &[
            "synth",
            "video.tdpr",
            "--profile",
            "video",
            "--seed",
            "4",
            "--duration",
            "1s",
        ],
    );
    assert_exit(&synth, 0);
    let export = tdpr_in(&dir, &["export", "teleport", "video.tdpr", "video.tar"]);
    assert_exit(&export, 0);
    assert_eq!(stdout(&export), "");
    let original = std::fs::read(dir.join("video.tdpr")).unwrap();
    let large = png_frames(&original)
        .iter()
        .filter(|(_, message)| message.len() > 60_000)
        .count();
    assert!(
        large >= 5,
        "the session has frames too large for one event: {large}"
    );
    let report = stderr(&export);
    assert!(
        report.contains(&format!(
            "split {large} frames too large for one Teleport event"
        )),
        "{report}"
    );
    assert!(!report.contains("left out"), "{report}");

    assert_exit(
        &tdpr_in(&dir, &["import", "teleport", "video.tar", "again.tdpr"]),
        0,
    );
    let again = std::fs::read(dir.join("again.tdpr")).unwrap();
    assert_eq!(
        screens(&png_frames(&original)),
        screens(&png_frames(&again))
    );
    assert!(png_frames(&again).len() > png_frames(&original).len());
}

/// Case 3: an event Teleport has no event for, or a frame too large that
/// cannot be cut, stops the export (status 1, nothing written) unless
/// `--allow-loss` accepts the loss, which is then counted.
#[test]
fn what_teleport_cannot_carry_stops_the_export_unless_allowed() {
    let dir = scratch("loss");
    // The sample has a marker event.
    std::fs::write(dir.join("sample.tdpr"), sample()).unwrap();
    // 70 000 bytes of clipboard data in one frame: not PNG, not fast-path.
    let mut writer = tdpr::Writer::new(
        Vec::new(),
        tdpr::proto::Metadata::default(),
        Default::default(),
    )
    .unwrap();
    let mut clipboard = vec![6, 0, 1, 0x11, 0x70];
    clipboard.resize(5 + 70_000, b'x');
    writer.write_frame(1_000, &clipboard).unwrap();
    std::fs::write(dir.join("clipboard.tdpr"), writer.finish().unwrap()).unwrap();
    let before = files(&dir);

    let refused = tdpr_in(&dir, &["export", "teleport", "sample.tdpr", "out.tar"]);
    assert_exit(&refused, 1);
    assert_eq!(
        stderr(&refused),
        "tdpr: cannot export sample.tdpr: invalid_input: the event at offset 11727 (time \
         581000 µs, kind marker) has no Teleport equivalent; nothing written to out.tar \
         (`--allow-loss` exports without what Teleport cannot carry)\n"
    );
    let refused = tdpr_in(&dir, &["export", "teleport", "clipboard.tdpr", "out.tar"]);
    assert_exit(&refused, 1);
    assert!(
        stderr(&refused).contains(
            "the frame at offset 31 (time 1000 µs) is too large for one Teleport event and \
             cannot be cut: only PNG frames and fast-path PDUs can be cut, not a clipboard_data"
        ),
        "{}",
        stderr(&refused)
    );
    assert_eq!(files(&dir), before, "nothing written");

    let allowed = tdpr_in(
        &dir,
        &[
            "export",
            "teleport",
            "sample.tdpr",
            "out.tar",
            "--allow-loss",
        ],
    );
    assert_exit(&allowed, 0);
    assert!(stderr(&allowed).contains(
        "left out, as --allow-loss allowed: 0 frames Teleport cannot carry and 1 event \
         Teleport has no event for"
    ));
    let allowed = tdpr_in(
        &dir,
        &[
            "export",
            "teleport",
            "clipboard.tdpr",
            "clip.tar",
            "--allow-loss",
            "--json",
        ],
    );
    assert_exit(&allowed, 0);
    let report: serde_json::Value = serde_json::from_slice(&allowed.stdout).unwrap();
    assert_eq!(report["frames_left_out"], 1);
    assert_eq!(report["frames"], 0);
}

/// Every PNG frame of a recording: its time and message.
fn png_frames(recording: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let recording = Recording::parse(recording).unwrap();
    let mut frames = Vec::new();
    let mut inflater = tdpr::Inflater::default();
    for record in recording.records() {
        for frame in record.unwrap().frames(&mut inflater).unwrap() {
            let message = frame.message.to_vec();
            if message[0] == 2 {
                frames.push((frame.time_us, message));
            }
        }
    }
    frames
}

/// The screen a player draws after each millisecond in which frames arrive
/// (Teleport's delays are milliseconds): every PNG painted at its left,
/// top, in order.
fn screens(frames: &[(u64, Vec<u8>)]) -> Vec<(u64, u64)> {
    let (width, height) = (1440usize, 900usize);
    let mut screen = vec![0u8; width * height * 3];
    let mut moments: Vec<(u64, u64)> = Vec::new();
    for (time_us, message) in frames {
        let time = time_us / 1000;
        let (AnyMessage::Tdp(Message::PngFrame { left, top, png, .. }), _) =
            decode_any(message).unwrap()
        else {
            unreachable!("a PNG frame")
        };
        let mut reader = png::Decoder::new(std::io::Cursor::new(&png[..]))
            .read_info()
            .unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let row = info.width as usize * 3;
        for (y, line) in pixels.chunks_exact(row).enumerate() {
            let at = ((top as usize + y) * width + left as usize) * 3;
            screen[at..at + row].copy_from_slice(line);
        }
        let mut hasher = DefaultHasher::new();
        screen.hash(&mut hasher);
        match moments.last_mut() {
            Some((t, hash)) if *t == time => *hash = hasher.finish(),
            _ => moments.push((time, hasher.finish())),
        }
    }
    moments
}
