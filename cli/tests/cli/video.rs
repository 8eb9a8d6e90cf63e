//! `tdpr export video`: an animated PNG made in-process; MP4 and WebM made
//! by ffmpeg when it is on the PATH (./test.sh installs it and sets
//! TDPR_REQUIRE_FFMPEG, so that there a missing ffmpeg fails the test), and
//! a clear error when it is not.

use std::fs;
use std::path::Path;
use std::process::Command;

use tdpr_render::{decode_png, RgbaImage, VideoFrames, VideoOptions};

use crate::support::{arg, names, sample_in, scratch, tdpr_ok, transcript};

/// The number of frames an APNG says it has (its `acTL` chunk).
fn apng_frames(apng: &[u8]) -> u32 {
    let at = apng
        .windows(4)
        .position(|w| w == b"acTL")
        .expect("an animated PNG");
    u32::from_be_bytes(apng[at + 4..at + 8].try_into().unwrap())
}

#[test]
fn an_animated_png_of_a_span_at_a_speed() {
    let dir = scratch("video-apng");
    let sample = sample_in(&dir);
    // 2 s of recording at twice the speed, 5 frames a second: 1 s of video.
    insta::assert_snapshot!(transcript(
        &dir,
        &[
            "export",
            "video",
            "sample.tdpr",
            "clip.apng",
            "--from",
            "0:00.2",
            "--to",
            "2.2",
            "--speed",
            "2",
            "--fps",
            "5"
        ]
    ));
    let apng = fs::read(dir.join("clip.apng")).unwrap();
    assert_eq!(apng_frames(&apng), 6);
    // The default image is the first frame: the screen at 0.2 s.
    let mut first = RgbaImage::default();
    decode_png(&apng, &mut first).unwrap();
    let bytes = fs::read(&sample).unwrap();
    let recording = tdpr::Recording::parse(&bytes).unwrap();
    let options = VideoOptions {
        from_us: 200_000,
        to_us: Some(2_200_000),
        speed: 2.0,
        fps: 5,
        ..VideoOptions::default()
    };
    let mut frames = VideoFrames::new(&recording, &options).unwrap();
    let (time_us, pixels) = frames.next_frame().unwrap().unwrap();
    assert_eq!(time_us, 200_000);
    assert!(first.pixels == pixels);
    // Idle gaps: the sample's 8 s pause lasts 2 s by default, all of it
    // with --keep-idle.
    for (name, keep_idle) in [("a.png", false), ("b.png", true)] {
        let out = dir.join(name);
        let mut args = vec!["export", "video", arg(&sample), arg(&out), "--fps", "1"];
        if keep_idle {
            args.push("--keep-idle");
        }
        let printed = tdpr_ok(&args);
        let options = VideoOptions {
            fps: 1,
            idle_limit_us: (!keep_idle).then_some(2_000_000),
            ..VideoOptions::default()
        };
        let count = VideoFrames::new(&recording, &options).unwrap().count();
        assert!(
            printed.starts_with(&format!("wrote {count} frames")),
            "{printed}"
        );
        assert_eq!(u64::from(apng_frames(&fs::read(&out).unwrap())), count);
    }
}

#[test]
fn mp4_and_webm_need_ffmpeg_and_say_so() {
    let dir = scratch("video-no-ffmpeg");
    sample_in(&dir);
    let output = Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(["export", "video", "sample.tdpr", "clip.mp4"])
        .current_dir(&dir)
        .env("PATH", dir.join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ffmpeg is not on the PATH"), "{stderr}");
    assert_eq!(names(&dir), ["sample.tdpr"], "nothing left behind");
    insta::assert_snapshot!(transcript(
        &dir,
        &["export", "video", "sample.tdpr", "clip.gif"]
    ));
}

/// An animated PNG written to a full disk (a link named .apng to
/// /dev/full): the output's failure, status 1 as for every other output,
/// and the options' checks still say what cannot run (status 2).
#[cfg(target_os = "linux")]
#[test]
fn an_animated_png_on_a_full_disk_fails_as_an_output() {
    let dir = scratch("video-full-disk");
    sample_in(&dir);
    std::os::unix::fs::symlink("/dev/full", dir.join("full.apng")).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tdpr"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let full = run(&["export", "video", "sample.tdpr", "full.apng"]);
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert_eq!(full.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("tdpr: cannot write full.apng: No space left on device"),
        "{stderr}"
    );
    let no_frames = run(&["export", "video", "sample.tdpr", "clip.apng", "--fps", "0"]);
    let stderr = String::from_utf8_lossy(&no_frames.stderr);
    assert_eq!(no_frames.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("frame rate must be above 0"), "{stderr}");
    assert_eq!(
        names(&dir),
        ["full.apng", "sample.tdpr"],
        "nothing left behind"
    );
}

fn ffmpeg_available() -> bool {
    let found = Command::new("ffprobe").arg("-version").output().is_ok()
        && Command::new("ffmpeg").arg("-version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("TDPR_REQUIRE_FFMPEG").is_none(),
            "TDPR_REQUIRE_FFMPEG is set but ffmpeg or ffprobe is not on the PATH"
        );
        eprintln!("ffmpeg is not on the PATH: MP4 and WebM export not tested");
    }
    found
}

/// Width, height and frame count of a video's stream, by ffprobe.
fn probe(video: &Path) -> String {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
        .args([
            "-show_entries",
            "stream=codec_name,width,height,nb_read_frames",
        ])
        .args(["-of", "csv=p=0"])
        .arg(video)
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

#[test]
fn mp4_and_webm_by_ffmpeg() {
    if !ffmpeg_available() {
        return;
    }
    let dir = scratch("video-ffmpeg");
    let sample = sample_in(&dir);
    for (name, codec) in [("clip.mp4", "h264"), ("clip.webm", "vp9")] {
        let video = dir.join(name);
        let printed = tdpr_ok(&[
            "export",
            "video",
            arg(&sample),
            arg(&video),
            "--to",
            "3",
            "--fps",
            "4",
            "--keep-idle",
        ]);
        // 3 s at 4 a second: 13 frames of the largest screen in the span.
        assert!(
            printed.starts_with("wrote 13 frames (640 × 400,"),
            "{printed}"
        );
        assert_eq!(probe(&video), format!("{codec},640,400,13"), "{name}");
    }
    assert_eq!(names(&dir), ["clip.mp4", "clip.webm", "sample.tdpr"]);
}
