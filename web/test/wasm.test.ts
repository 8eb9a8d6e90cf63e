/**
 * RDP fast-path sessions in headless Chromium, drawn by the renderer compiled to
 * WebAssembly (dist/tdpr-render.wasm): after seeks, after playing through, and after
 * reloading a permalink, the canvas is the renderer's own screen at that time
 * (tdpr-render's `snapshot`), pixel for pixel, for RemoteFX, QOIZ and bitmap updates;
 * the requests and bytes the player made are counted. `tdpr play` serves the module
 * it embeds (cli/assets/), and draws the same.
 *
 * Needs the reference, Chromium, the module and the renderer's `browser_reference`
 * example; skipped without them.
 */

import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "puppeteer-core";
import { SKIP_WITHOUT_CHROMIUM, launchChromium } from "./support/browser.js";
import { decodePng, diffPixels, type Pixels } from "./support/composite.js";
import { SKIP_WITHOUT_FAST_PATH, fastPathSession } from "./support/fast-path-sessions.js";
import { RangeServer } from "./support/range-server.js";
import { SKIP_WITHOUT_REFERENCE, WEB_DIR } from "./support/reference.js";
import { TEST_OUTPUT } from "./support/synthetic.js";
import { startTdprServer } from "./support/tdpr-server.js";

const skip = SKIP_WITHOUT_REFERENCE || SKIP_WITHOUT_CHROMIUM || SKIP_WITHOUT_FAST_PATH;
const server = new RangeServer({ "/rec/": TEST_OUTPUT, "/": WEB_DIR });
let base = "";
let browser: Browser;
let closeBrowser: () => Promise<void> = async () => {};

before(async () => {
  if (skip) return;
  base = await server.start();
  ({ browser, close: closeBrowser } = await launchChromium());
});
after(async () => {
  await closeBrowser();
  await server.stop();
});

interface State {
  ready: boolean;
  timeUs: number;
  durationUs: number;
  playing: boolean;
  screen: { width: number; height: number };
  notDrawable: number;
  error: string | null;
}

// `window.player` and `window.ended` are declared in browser.test.ts.

/** 24 frames 100 ms apart, 320×192 then 192×128 from 1.2 s, ending at 2.4 s; keyframes every 400 ms. */
const FRAMES = 24;
const INTERVAL_US = 100_000;
const END_US = FRAMES * INTERVAL_US;
/** Times on frames, between them, just after keyframes, across the resize, the end. */
const TIMES = [0, 50_000, 350_000, 400_000, 950_000, 1_150_000, 1_200_000, 1_730_000, END_US];

async function openPlayer(file: string, hash = ""): Promise<Page> {
  return openPlayerAt(`${base}/index.html?src=/rec/${file}${hash}`);
}

async function openPlayerAt(url: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.player?.state.ready || window.player?.state.error, { timeout: 30_000 });
  assert.equal((await playerState(page)).error, null);
  assert.deepEqual(errors, []);
  return page;
}

function playerState(page: Page): Promise<State> {
  return page.evaluate(() => window.player.state);
}

async function canvasPixels(page: Page): Promise<Pixels> {
  const url = await page.evaluate(() => document.querySelector("canvas")!.toDataURL("image/png"));
  return decodePng(new Uint8Array(Buffer.from(url.slice(url.indexOf(",") + 1), "base64")));
}

async function assertShows(page: Page, expected: Pixels | undefined, what: string): Promise<void> {
  assert.ok(expected, `${what}: no reference screen`);
  const diff = diffPixels(await canvasPixels(page), expected);
  assert.equal(diff.differing, 0, `${what}: ${diff.differing} pixels differ, first ${diff.first}`);
}

for (const codec of ["remotefx", "qoiz", "bitmap"]) {
  test(`${codec}: every seek shows the renderer's screen, pixel for pixel`, { skip }, async (t) => {
    const session = fastPathSession(codec, 320, 192, FRAMES, INTERVAL_US, TIMES);
    const size = statSync(join(TEST_OUTPUT, session.file)).size;
    const since = server.log.length;
    const page = await openPlayer(session.file);
    const opened = server.count("/rec/", since);
    const module = server.count("/dist/tdpr-render.wasm", since);
    assert.equal(module.requests, 1, "the module is fetched once");
    for (const at of TIMES) {
      await page.evaluate((at) => window.player.seek(at), at);
      assert.equal((await playerState(page)).timeUs, at);
      await assertShows(page, session.screens.get(at), `${codec} at ${at} µs`);
    }
    const state = await playerState(page);
    assert.equal(state.notDrawable, 0);
    assert.deepEqual(state.screen, { width: 192, height: 128 }, "the canvas followed the resize");
    const all = server.count("/rec/", since);
    t.diagnostic(
      `${session.file} (${size} bytes): open ${opened.requests} requests / ${opened.bytes} bytes, ` +
        `then ${TIMES.length} seeks: ${all.requests - opened.requests} requests / ${all.bytes - opened.bytes} bytes; ` +
        `module ${module.bytes} bytes`,
    );
    await page.close();
  });
}

test("remotefx: playing through at 16× draws the renderer's last screen", { skip }, async () => {
  const session = fastPathSession("remotefx", 320, 192, FRAMES, INTERVAL_US, TIMES);
  const page = await openPlayer(session.file);
  await page.evaluate(() => {
    window.ended = new Promise<void>((resolve) => (window.player as unknown as EventTarget).addEventListener("ended", () => resolve()));
  });
  await page.select(".tdpr-speed", "16");
  await page.click(".tdpr-play");
  await page.evaluate(() => window.ended);
  const state = await playerState(page);
  assert.equal(state.timeUs, END_US);
  assert.equal(state.notDrawable, 0);
  await assertShows(page, session.screens.get(END_US), "remotefx after playing to the end");
  await page.close();
});

test("remotefx: a permalink reloads to its time and the renderer's screen", { skip }, async () => {
  const session = fastPathSession("remotefx", 320, 192, FRAMES, INTERVAL_US, TIMES);
  const page = await openPlayer(session.file, "#t=0:00.95");
  assert.equal((await playerState(page)).timeUs, 950_000);
  await assertShows(page, session.screens.get(950_000), "remotefx at #t=0:00.95");
  await page.evaluate(() => window.player.seek(1_730_000));
  await page.reload();
  await page.waitForFunction(() => window.player?.state.ready, { timeout: 30_000 });
  assert.equal((await playerState(page)).timeUs, 1_730_000);
  await assertShows(page, session.screens.get(1_730_000), "remotefx after reloading #t=0:01.73");
  await page.close();
});

test("remotefx through tdpr play: the module it embeds draws the renderer's screen", { skip }, async () => {
  const session = fastPathSession("remotefx", 320, 192, FRAMES, INTERVAL_US, TIMES);
  const served = await startTdprServer(["play", join(TEST_OUTPUT, session.file)]);
  try {
    const player = await openPlayerAt(served.url);
    for (const at of [400_000, 1_730_000, END_US]) {
      await player.evaluate((at) => window.player.seek(at), at);
      await assertShows(player, session.screens.get(at), `remotefx through tdpr play at ${at} µs`);
    }
    assert.equal((await playerState(player)).notDrawable, 0, "every fast-path update was drawn");
    await player.close();
  } finally {
    await served.stop();
  }
});
