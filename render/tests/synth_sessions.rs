//! Sessions encoded from known images decode back to them: exactly for the
//! lossless codecs, within the stated PSNR floor for RemoteFX; and the pointer
//! is where the mouse moves put it, with the shape the server sent.

use tdpr::Recording;
use tdpr_render::synth::{write_session, Codec, SessionOptions, REMOTEFX_MIN_PSNR_DB};
use tdpr_render::{Playback, PointerShape};

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let (mut sum, mut n) = (0f64, 0f64);
    for (p, q) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
        for c in 0..3 {
            let d = f64::from(p[c]) - f64::from(q[c]);
            sum += d * d;
            n += 1.0;
        }
    }
    if sum == 0.0 {
        return f64::INFINITY;
    }
    10.0 * (255.0 * 255.0 / (sum / n)).log10()
}

#[test]
fn every_frame_decodes_to_its_source_image() {
    for codec in [Codec::RemoteFx, Codec::Qoiz, Codec::Bitmap, Codec::Png] {
        let options = SessionOptions {
            codec,
            frames: 10,
            ..SessionOptions::default()
        };
        let bytes = write_session(Vec::new(), &options).unwrap();
        tdpr::validate_frames(&bytes).unwrap();
        let recording = Recording::parse(&bytes).unwrap();
        let mut playback = Playback::from_start(&recording).unwrap();
        let mut worst = f64::INFINITY;
        for frame in 0..options.frames {
            playback.advance_to(options.frame_time_us(frame)).unwrap();
            let screen = playback.screen();
            let image = options.image(frame);
            assert_eq!(
                (screen.width(), screen.height()),
                (image.width, image.height),
                "{codec} frame {frame}"
            );
            if codec.is_lossless() {
                assert!(
                    screen.pixels() == image.pixels,
                    "{codec} frame {frame} differs"
                );
            } else {
                worst = worst.min(psnr(screen.pixels(), &image.pixels));
            }
            assert_eq!(screen.pointer().position, Some(options.pointer_at(frame)));
            match (&screen.pointer().shape, options.pointer_shown(frame)) {
                (PointerShape::Image(shape), Some(expected)) => {
                    assert_eq!(**shape, expected, "{codec} frame {frame}")
                }
                (PointerShape::Default, None) => {}
                (other, _) => panic!("{codec} frame {frame}: pointer {other:?}"),
            }
        }
        assert!(
            playback.screen().undrawn().is_empty(),
            "{codec}: {}",
            playback.screen().undrawn()
        );
        if !codec.is_lossless() {
            eprintln!("{codec}: worst PSNR {worst:.1} dB");
            assert!(
                worst >= REMOTEFX_MIN_PSNR_DB,
                "{codec}: worst PSNR {worst:.1} dB"
            );
        }
    }
}
