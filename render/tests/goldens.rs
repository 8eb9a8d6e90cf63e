//! The rendering conformance cases (`conformance/render/`): this renderer
//! draws what the manifest says, from the start and from keyframes.

use std::path::Path;

use tdpr::Recording;
use tdpr_render::{Playback, PointerShape};

#[test]
fn the_renderer_draws_what_the_conformance_manifest_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/render");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut checked = 0;
    for case in manifest["cases"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        tdpr::validate_frames(&bytes).unwrap();
        let recording = Recording::parse(&bytes).unwrap();
        assert!(
            recording
                .index()
                .unwrap()
                .seek_entries()
                .any(|e| e.is_keyframe),
            "{file} has keyframes"
        );
        let mut from_start = Playback::from_start(&recording).unwrap();
        for query in case["queries"].as_array().unwrap() {
            let time = query["time_us"].as_u64().unwrap();
            from_start.advance_to(time).unwrap();
            let from_keyframe = Playback::at(&recording, time).unwrap();
            for screen in [from_start.screen(), from_keyframe.screen()] {
                let at = format!("{file} at {time}");
                assert_eq!(
                    u64::from(screen.width()),
                    query["width"].as_u64().unwrap(),
                    "{at}"
                );
                assert_eq!(
                    u64::from(screen.height()),
                    query["height"].as_u64().unwrap(),
                    "{at}"
                );
                assert_eq!(
                    u64::from(crc32c::crc32c(screen.pixels())),
                    query["rgba_crc32c"].as_u64().unwrap(),
                    "{at}"
                );
                let (x, y) = screen.pointer().position.unwrap();
                assert_eq!(
                    [u64::from(x), u64::from(y)],
                    [
                        query["pointer"][0].as_u64().unwrap(),
                        query["pointer"][1].as_u64().unwrap()
                    ],
                    "{at}"
                );
                let shape = match screen.pointer().shape {
                    PointerShape::Image(_) => "image",
                    PointerShape::Default => "default",
                    PointerShape::Hidden => "hidden",
                };
                assert_eq!(shape, query["pointer_shape"].as_str().unwrap(), "{at}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 48);
}
