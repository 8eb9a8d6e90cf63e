// The player as `tdpr play` and `tdpr serve` embed it (cli/src/serve/assets.rs):
// the demo page index.html and the bundle, without a source map, under cli/assets/.
// They are committed so that `cargo build` needs no npm; test/cli-assets.test.ts
// fails when they differ from what this script makes from the sources.
//
//   npm run cli-assets        # writes cli/assets/ from web/
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WEB_DIR, bundlePlayer } from "./player-bundle.mjs";

export const CLI_ASSETS_DIR = resolve(WEB_DIR, "../cli/assets");

/** The assets by file name, as this checkout's sources make them. */
export async function cliAssets() {
  const [bundle] = await bundlePlayer({ outfile: join(CLI_ASSETS_DIR, "tdpr-player.js"), sourcemap: false, write: false });
  return new Map([
    ["index.html", new Uint8Array(await readFile(join(WEB_DIR, "index.html")))],
    ["tdpr-player.js", bundle.contents],
  ]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await mkdir(CLI_ASSETS_DIR, { recursive: true });
  for (const [name, bytes] of await cliAssets()) await writeFile(join(CLI_ASSETS_DIR, name), bytes);
}
