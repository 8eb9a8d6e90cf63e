//! Writes the rendering conformance cases to `conformance/render/`: small
//! QOIZ, bitmap and PNG-tile sessions with keyframes, and `manifest.json`,
//! which gives for times in each the screen size, the CRC32C of the screen's
//! RGBA pixels (pointer not drawn) and the pointer. The expected pixels are
//! the images the sessions were encoded from (all three codecs are
//! lossless), not what this renderer draws.
//!
//! `cargo run --example render_goldens --features synth`

use serde_json::json;
use tdpr_render::insert_keyframes;
use tdpr_render::synth::{write_session, Codec, SessionOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/render");
    std::fs::create_dir_all(&dir)?;
    let mut cases = Vec::new();
    for codec in [Codec::Qoiz, Codec::Bitmap, Codec::Png] {
        let options = SessionOptions {
            codec,
            width: 256,
            height: 128,
            frames: 8,
            frame_interval_us: 100_000,
            seed: 5,
            ..SessionOptions::default()
        };
        let (bytes, _) =
            insert_keyframes(&write_session(Vec::new(), &options)?, 250_000, Vec::new())?;
        let file = format!("{codec}.tdpr");
        std::fs::write(dir.join(&file), &bytes)?;
        let mut queries = Vec::new();
        for frame in 0..options.frames {
            // Just at the frame, and halfway to the next.
            for offset in [0, options.frame_interval_us / 2] {
                let image = options.image(frame);
                let (x, y) = options.pointer_at(frame);
                let shape = match options.pointer_shown(frame) {
                    Some(_) => "image",
                    None => "default",
                };
                queries.push(json!({
                    "time_us": options.frame_time_us(frame) + offset,
                    "width": image.width,
                    "height": image.height,
                    "rgba_crc32c": crc32c::crc32c(&image.pixels),
                    "pointer": [x, y],
                    "pointer_shape": shape,
                }));
            }
        }
        cases.push(json!({ "file": file, "queries": queries }));
    }
    let manifest = json!({
        "what": "the screen at times of each recording, as spec/rendering.md describes it: CRC32C of the RGBA pixels without the pointer, rows top to bottom",
        "cases": cases,
    });
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    Ok(())
}
