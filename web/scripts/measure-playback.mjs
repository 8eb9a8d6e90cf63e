// Measures the player in headless Chromium playing a recording through at a speed
// (benches/README.md, "The browser player"): wall time, screens drawn (animation
// frames in which the canvas changed) per second of wall time, and the source's own
// frame rate, beside the fast-path messages decoded per second and the time spent in
// the renderer. Run after `npm run build`:
//
//   node scripts/measure-playback.mjs RECORDING.tdpr [SPEED=16] [SOURCE_FPS]
import { dirname, basename, resolve } from "node:path";
import { launchChromium } from "../dist/test/support/browser.js";
import { RangeServer } from "../dist/test/support/range-server.js";
import { WEB_DIR } from "./player-bundle.mjs";

const [file, speedArg = "16", fpsArg] = process.argv.slice(2);
if (!file) throw new Error("usage: measure-playback.mjs RECORDING.tdpr [SPEED] [SOURCE_FPS]");
const server = new RangeServer({ "/rec/": dirname(resolve(file)), "/": WEB_DIR });
const base = await server.start();
const { browser, close } = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 2000, height: 1300 });
  await page.goto(`${base}/index.html?src=/rec/${basename(file)}`);
  await page.waitForFunction(() => window.player?.state.ready || window.player?.state.error, { timeout: 60_000 });
  const result = await page.evaluate(async (speed) => {
    const player = window.player;
    if (player.state.error) throw new Error(player.state.error);
    // Count what the renderer does (the player's private screen, reached from the page).
    const decoder = player.screen.decoder;
    const counts = { decoded: 0, decodeMs: 0, drawn: 0, ticks: 0 };
    if (decoder) {
      const decode = decoder.decode.bind(decoder);
      decoder.decode = (message, size) => {
        const t0 = performance.now();
        try {
          return decode(message, size);
        } finally {
          counts.decoded++;
          counts.decodeMs += performance.now() - t0;
        }
      };
    }
    // A screen is drawn in an animation frame in which playback applied something.
    let lastItem = -1;
    player.addEventListener("timeupdate", () => {
      counts.ticks++;
      const applied = player.playback.lastItemUs;
      if (applied !== lastItem) counts.drawn++;
      lastItem = applied;
    });
    player.setSpeed(speed);
    const ended = new Promise((resolve) => player.addEventListener("ended", resolve));
    const t0 = performance.now();
    player.play();
    await ended;
    const wallMs = performance.now() - t0;
    return { ...counts, wallMs, durationUs: player.state.durationUs, notDrawable: player.state.notDrawable, screen: player.state.screen };
  }, Number(speedArg));
  const wall = result.wallMs / 1000;
  const sourceFps = fpsArg ? Number(fpsArg) : null;
  console.log(JSON.stringify({ file: basename(file), speed: Number(speedArg), ...result }, null, 1));
  console.log(
    `played ${(result.durationUs / 1e6).toFixed(1)} s at ${speedArg}× in ${wall.toFixed(2)} s of wall time (ideal ${(result.durationUs / 1e6 / Number(speedArg)).toFixed(2)} s); ` +
      `screens drawn ${(result.drawn / wall).toFixed(1)}/s` +
      (sourceFps ? ` against the source's ${sourceFps} fps` : "") +
      `; ${result.decoded} fast-path messages decoded, ${(result.decoded / wall).toFixed(0)}/s, ${(result.decodeMs / Math.max(1, result.decoded)).toFixed(2)} ms each`,
  );
} finally {
  await close();
  await server.stop();
}
