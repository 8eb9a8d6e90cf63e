//! `tdpr snapshot` and `tdpr thumbnails`: their images are the screen the
//! renderer shows when it replays the recording from the start.

use std::fs;
use std::path::Path;

use tdpr_render::{decode_png, Playback, RgbaImage};

use crate::support::{arg, names, sample_in, scratch, tdpr, tdpr_ok, transcript, undrawable};

/// The screen at `time_us`, replayed from the start (no keyframe used).
fn replayed(bytes: &[u8], time_us: u64, with_pointer: bool) -> RgbaImage {
    let recording = tdpr::Recording::parse(bytes).unwrap();
    let mut playback = Playback::from_start(&recording).unwrap();
    playback.advance_to(time_us).unwrap();
    let screen = playback.screen();
    let mut pixels = screen.pixels().to_vec();
    if with_pointer {
        screen.composite(&mut pixels);
    }
    RgbaImage {
        width: screen.width(),
        height: screen.height(),
        pixels,
    }
}

fn read_png(path: &Path) -> RgbaImage {
    let mut image = RgbaImage::default();
    decode_png(&fs::read(path).unwrap(), &mut image).unwrap();
    image
}

#[test]
fn snapshot_is_the_screen_replayed_from_the_start() {
    let dir = scratch("snapshot");
    let sample = sample_in(&dir);
    let bytes = fs::read(&sample).unwrap();
    let shot = dir.join("shot.png");
    // In the first window's painting, in the idle pause, after the resize.
    for (at, us, clock) in [
        ("0:00.5", 500_000, "0:00:00.500"),
        ("8.65", 8_650_000, "0:00:08.650"),
        ("0:00:09.2", 9_200_000, "0:00:09.200"),
    ] {
        let printed = tdpr_ok(&["snapshot", arg(&sample), "--at", at, "-o", arg(&shot)]);
        assert!(
            printed.starts_with(&format!("wrote the screen at {clock} (")),
            "{printed}"
        );
        assert_eq!(read_png(&shot), replayed(&bytes, us, true), "at {at}");
        tdpr_ok(&[
            "snapshot",
            arg(&sample),
            "--at",
            at,
            "-o",
            arg(&shot),
            "--no-pointer",
        ]);
        assert_eq!(read_png(&shot), replayed(&bytes, us, false), "at {at}");
    }
    // The pointer is drawn: the two images differ where it is.
    assert_ne!(
        replayed(&bytes, 500_000, true),
        replayed(&bytes, 500_000, false)
    );
}

#[test]
fn snapshot_refuses_a_time_past_the_end_and_its_input_as_output() {
    let dir = scratch("snapshot-refusals");
    let sample = sample_in(&dir);
    let late = tdpr(&[
        "snapshot",
        arg(&sample),
        "--at",
        "1:00",
        "-o",
        arg(&dir.join("late.png")),
    ]);
    assert_eq!(late.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&late.stderr)
            .contains("0:01:00.000 is after the end of the recording (0:00:"),
        "{}",
        String::from_utf8_lossy(&late.stderr)
    );
    assert!(!dir.join("late.png").exists());
    // Another name of the same file (a hard link) is the input all the same.
    let link = dir.join("link.png");
    fs::hard_link(&sample, &link).unwrap();
    let before = fs::read(&sample).unwrap();
    let refused = tdpr(&["snapshot", arg(&sample), "--at", "1", "-o", arg(&link)]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("it is the input"));
    assert_eq!(fs::read(&sample).unwrap(), before);
    let bad_time = tdpr(&[
        "snapshot",
        arg(&sample),
        "--at",
        "1:2:3:4",
        "-o",
        arg(&link),
    ]);
    assert_eq!(bad_time.status.code(), Some(2));
    // Nothing is left behind: no temporary file.
    assert_eq!(names(&dir), ["link.png", "sample.tdpr"]);
}

/// A message that cannot be drawn is reported by kind on standard error,
/// and the image shows what the others drew.
#[test]
fn snapshot_reports_what_it_could_not_draw() {
    let dir = scratch("snapshot-undrawn");
    let file = undrawable(&dir);
    insta::assert_snapshot!(transcript(
        &dir,
        &[
            "snapshot",
            "undrawable.tdpr",
            "--at",
            "0.003",
            "-o",
            "shot.png"
        ]
    ));
    assert_eq!(
        read_png(&dir.join("shot.png")),
        replayed(&fs::read(&file).unwrap(), 3_000, true)
    );
}

#[test]
fn thumbnails_at_each_interval_scaled_and_named_by_time() {
    let dir = scratch("thumbnails");
    let sample = sample_in(&dir);
    let bytes = fs::read(&sample).unwrap();
    insta::assert_snapshot!(transcript(
        &dir,
        &[
            "thumbnails",
            "sample.tdpr",
            "--every",
            "4s",
            "--width",
            "320",
            "-o",
            "thumbs"
        ]
    ));
    let thumbs = dir.join("thumbs");
    assert_eq!(
        names(&thumbs),
        [
            "00-00-00.000.png",
            "00-00-04.000.png",
            "00-00-08.000.png",
            "00-00-12.000.png"
        ]
    );
    for (name, time_us) in [
        ("00-00-04.000.png", 4_000_000),
        ("00-00-12.000.png", 12_000_000),
    ] {
        let expected = tdpr_render::scale_to_width(&replayed(&bytes, time_us, true), 320);
        assert_eq!(read_png(&thumbs.join(name)), expected, "{name}");
    }
}
