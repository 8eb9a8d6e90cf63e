//! Writes a synthetic fast-path session with keyframes and the renderer's
//! screens of it at given times (pointer not drawn), for the browser
//! player's tests and measurements (web/test/wasm.test.ts): the browser,
//! drawing through this crate compiled to WebAssembly, must show the same
//! pixels. `tdpr synth --profile remotefx` and `tdpr snapshot` are to
//! replace it once the CLI has them.
//!
//! `cargo run --release --example browser_reference --features synth -- \
//!     CODEC WIDTH HEIGHT FRAMES INTERVAL_US KEYFRAME_EVERY_US OUT.tdpr [TIME_US OUT.png]...`

use tdpr_render::synth::{write_session, Codec, SessionOptions};
use tdpr_render::{encode_png, insert_keyframes, snapshot};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [codec, width, height, frames, interval, keyframe_every, out, shots @ ..] = args.as_slice()
    else {
        return Err(concat!(
            "usage: CODEC WIDTH HEIGHT FRAMES INTERVAL_US KEYFRAME_EVERY_US OUT.tdpr",
            " [TIME_US OUT.png]..."
        )
        .into());
    };
    let options = SessionOptions {
        codec: codec.parse::<Codec>()?,
        width: width.parse()?,
        height: height.parse()?,
        frames: frames.parse()?,
        frame_interval_us: interval.parse()?,
        seed: 1,
        ..SessionOptions::default()
    };
    let session = write_session(Vec::new(), &options)?;
    let (bytes, _) = insert_keyframes(&session, keyframe_every.parse()?, Vec::new())?;
    std::fs::write(out, &bytes)?;
    let recording = tdpr::Recording::parse(&bytes)?;
    for pair in shots.chunks(2) {
        let [time, png_path] = pair else {
            return Err("every time needs an output file".into());
        };
        let image = snapshot(&recording, time.parse()?, false)?;
        let mut png = Vec::new();
        encode_png(image.width, image.height, &image.pixels, false, &mut png)?;
        std::fs::write(png_path, png)?;
    }
    Ok(())
}
