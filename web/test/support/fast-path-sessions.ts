/**
 * Synthetic fast-path sessions (RemoteFX, QOIZ, bitmaps) with keyframes, and the
 * renderer's screens of them at given times, made by tdpr-render's
 * `browser_reference` example (`cargo build --release --example browser_reference
 * --features synth -p tdpr-render`; ./test.sh builds it). Written once into
 * web/test-output/. Tests that need it are skipped without it.
 */

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { decodePng, type Pixels } from "./composite.js";
import { REPO_DIR, WEB_DIR } from "./reference.js";
import { skipWithout } from "./requirements.js";
import { TEST_OUTPUT } from "./synthetic.js";

export const BROWSER_REFERENCE = process.env.TDPR_BROWSER_REFERENCE ?? resolve(REPO_DIR, "target/release/examples/browser_reference");
export const RENDERER_WASM = join(WEB_DIR, "dist/tdpr-render.wasm");
export const SKIP_WITHOUT_FAST_PATH = skipWithout(
  existsSync(BROWSER_REFERENCE) && existsSync(RENDERER_WASM),
  existsSync(RENDERER_WASM)
    ? `no ${BROWSER_REFERENCE} (cargo build --release --example browser_reference --features synth -p tdpr-render)`
    : `no ${RENDERER_WASM} (npm run build needs cargo and the wasm32-unknown-unknown target)`,
);

export interface FastPathSession {
  /** The file name under TEST_OUTPUT. */
  readonly file: string;
  /** The renderer's screen (pointer not drawn) at each time asked. */
  readonly screens: Map<number, Pixels>;
}

/**
 * A session of `codec` at `width`×`height` (smaller by 128×64 from its middle frame
 * on), `frames` frames `intervalUs` apart, a keyframe every 4 frames.
 */
export function fastPathSession(codec: string, width: number, height: number, frames: number, intervalUs: number, times: number[]): FastPathSession {
  const file = `${codec}-${width}x${height}-${frames}.tdpr`;
  const shot = (t: number) => join(TEST_OUTPUT, `${file}-at-${t}.png`);
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const missing = [file, ...times.map(shot)].some((p) => !existsSync(resolve(TEST_OUTPUT, p)));
  if (missing) {
    const args = [codec, String(width), String(height), String(frames), String(intervalUs), String(4 * intervalUs), join(TEST_OUTPUT, file), ...times.flatMap((t) => [String(t), shot(t)])];
    const r = spawnSync(BROWSER_REFERENCE, args, { stdio: ["ignore", "inherit", "pipe"] });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`browser_reference ${args.join(" ")}: exit ${r.status}: ${r.stderr.toString()}`);
  }
  return { file, screens: new Map(times.map((t) => [t, decodePng(new Uint8Array(readFileSync(shot(t))))])) };
}
