// Measures, in headless Chromium against a local range server, opening a recording
// with the player and showing the frame at its middle, side by side with downloading
// the whole file (what players without an index do). One run each; prints a
// Markdown table row per file. Needs `npm run build` and Debian's chromium.
//
//   node scripts/bench-open.mjs RECORDING.tdpr [...]
import { openAsBlob, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../dist/test/support/browser.js";
import { RangeServer } from "../dist/test/support/range-server.js";
import { BlobSource } from "../dist/src/loader/byte-source.js";
import { openRecording } from "../dist/src/loader/recording.js";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const files = process.argv.slice(2).map((f) => resolve(f));
if (files.length === 0) throw new Error("usage: node scripts/bench-open.mjs RECORDING.tdpr [...]");

const { browser, close } = await launchChromium();
console.log("| recording | size | player: open + frame at the middle | transferred | requests | whole download | transferred |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const file of files) {
  const server = new RangeServer({ "/rec/": dirname(file), "/": web });
  const base = await server.start();
  const size = statSync(file).size;
  const recording = await openRecording(new BlobSource(await openAsBlob(file)));
  const middle = Number(recording.durationUs) / 2;
  const page = await browser.newPage();
  await page.goto(`${base}/index.html`);
  await page.evaluate(() => import("/dist/tdpr-player.js"));
  const since = server.log.length;
  const ms = await page.evaluate(async (url, middle) => {
    const { TdprPlayer } = await import("/dist/tdpr-player.js");
    const t0 = performance.now();
    const player = new TdprPlayer(document.getElementById("player"), url, { startAt: middle, permalink: false });
    await player.ready;
    return performance.now() - t0;
  }, `/rec/${basename(file)}`, middle);
  const player = server.count("/rec/", since);
  const beforeWhole = server.log.length;
  const wholeMs = await page.evaluate(async (url) => {
    const t0 = performance.now();
    const bytes = await (await fetch(url)).arrayBuffer();
    return [performance.now() - t0, bytes.byteLength];
  }, `/rec/${basename(file)}`);
  const whole = server.count("/rec/", beforeWhole);
  const mib = (n) => `${(n / 1048576).toFixed(2)} MiB`;
  console.log(`| ${basename(file)} | ${mib(size)} | ${ms.toFixed(0)} ms | ${mib(player.bytes)} | ${player.requests} | ${wholeMs[0].toFixed(0)} ms | ${mib(whole.bytes)} |`);
  await page.close();
  await server.stop();
}
await close();
