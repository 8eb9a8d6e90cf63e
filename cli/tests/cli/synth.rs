//! `tdpr synth --profile remotefx|qoiz|bitmap`: fast-path sessions coded
//! from known images, which `tdpr snapshot` draws back.

use std::fs;

use tdpr_render::synth::{Codec, SessionOptions};
use tdpr_render::{decode_png, RgbaImage};

use crate::support::{arg, scratch, tdpr, tdpr_ok};

#[test]
fn fast_path_sessions_draw_back_their_images() {
    let dir = scratch("synth-fast-path");
    for codec in Codec::ALL {
        let session = dir.join(format!("{codec}.tdpr"));
        let printed = tdpr_ok(&[
            "synth",
            arg(&session),
            "--profile",
            codec.name(),
            "--duration",
            "2s",
            "--seed",
            "4",
        ]);
        assert!(
            printed.starts_with(&format!(
                "wrote a synthetic session ({codec} profile, 2s, seed 4)"
            )),
            "{printed}"
        );
        tdpr_ok(&["validate", arg(&session)]);
        let options = SessionOptions {
            codec,
            frames: 20,
            seed: 4,
            ..SessionOptions::default()
        };
        let shot = dir.join("shot.png");
        for frame in [3, 15] {
            let at = format!("{}us", options.frame_time_us(frame));
            tdpr_ok(&[
                "snapshot",
                arg(&session),
                "--at",
                &at,
                "-o",
                arg(&shot),
                "--no-pointer",
            ]);
            let mut image = RgbaImage::default();
            decode_png(&fs::read(&shot).unwrap(), &mut image).unwrap();
            let source = options.image(frame);
            assert_eq!((image.width, image.height), (source.width, source.height));
            if codec.is_lossless() {
                assert!(image.pixels == source.pixels, "{codec} frame {frame}");
            }
        }
    }
    let unknown = tdpr(&["synth", arg(&dir.join("x.tdpr")), "--profile", "gif"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("expected office, video, idle, remotefx, qoiz or bitmap"));
}
