//! The browser player, embedded in the binary: the page and the bundle that
//! `npm run cli-assets` (in `web/`) writes to `cli/assets/`. They are committed,
//! so that building `tdpr` needs no npm; `web/test/cli-assets.test.ts` fails when
//! they differ from what the sources in `web/` make.

/// A file of the player: its bytes and their media type.
pub struct Asset {
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

/// The player page (`web/index.html`): it plays the recording at `?src=URL`.
pub const PAGE_PATH: &str = "/index.html";

/// The page and the bundle, at the paths the page expects (it imports
/// `./dist/tdpr-player.js`).
const ASSETS: [(&str, Asset); 2] = [
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
];

/// The asset served at `path`, if any.
pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS
        .iter()
        .find(|(at, _)| *at == path)
        .map(|(_, asset)| asset)
}
