// `npm run build`'s step for the renderer: compiles render-wasm/ (tdpr-render with a
// small C ABI) for wasm32-unknown-unknown and copies it to dist/tdpr-render.wasm,
// beside the bundle, where the demo page loads it. The module is built here, never
// committed. Without cargo or the target (`rustup target add wasm32-unknown-unknown`;
// zstd's C sources need clang) it says so and the player draws no fast-path update;
// the tests that need the module are then skipped, or fail under TDPR_WEB_REQUIRE_ALL.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { WEB_DIR } from "./player-bundle.mjs";

const REPO_DIR = resolve(WEB_DIR, "..");
const TARGET = "wasm32-unknown-unknown";
const OUT = join(WEB_DIR, "dist", "tdpr-render.wasm");

const cargo = spawnSync(
  "cargo",
  ["build", "--quiet", "--locked", "--profile", "wasm", "--target", TARGET, "-p", "tdpr-render-wasm"],
  { cwd: REPO_DIR, stdio: "inherit" },
);
mkdirSync(join(WEB_DIR, "dist"), { recursive: true });
if (cargo.error || cargo.status !== 0) {
  rmSync(OUT, { force: true });
  console.warn(`build-wasm: the renderer module was not built (${cargo.error?.message ?? `cargo exited with ${cargo.status}`})`);
} else {
  copyFileSync(join(REPO_DIR, "target", TARGET, "wasm", "tdpr_render_wasm.wasm"), OUT);
}
