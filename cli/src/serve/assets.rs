//! The browser player, embedded in the binary: the page, the bundle and the
//! renderer compiled to WebAssembly (`render-wasm/`, which draws RDP fast-path
//! updates: RemoteFX, QOIZ, bitmaps) that `npm run cli-assets` (in `web/`)
//! writes to `cli/assets/`. They are committed, so that building `tdpr` needs
//! no npm, no wasm32 target and no clang; `web/test/cli-assets.test.ts` fails
//! when they differ from what the sources make (for the module: when the
//! digest of the Rust sources it was built from, `tdpr-render.sources`, does).

/// A file of the player: its bytes and their media type.
pub struct Asset {
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

/// The player page (`web/index.html`): it plays the recording at `?src=URL`.
pub const PAGE_PATH: &str = "/index.html";

/// The page, the bundle and the module, at the paths the page expects (it
/// imports `./dist/tdpr-player.js` and loads `./dist/tdpr-render.wasm`).
const ASSETS: [(&str, Asset); 3] = [
    (
        PAGE_PATH,
        Asset {
            content_type: "text/html; charset=utf-8",
            bytes: include_bytes!("../../assets/index.html"),
        },
    ),
    (
        "/dist/tdpr-player.js",
        Asset {
            content_type: "text/javascript; charset=utf-8",
            bytes: include_bytes!("../../assets/tdpr-player.js"),
        },
    ),
    (
        "/dist/tdpr-render.wasm",
        Asset {
            content_type: "application/wasm",
            bytes: include_bytes!("../../assets/tdpr-render.wasm"),
        },
    ),
];

/// The asset served at `path`, if any.
pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS
        .iter()
        .find(|(at, _)| *at == path)
        .map(|(_, asset)| asset)
}
