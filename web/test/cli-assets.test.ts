/**
 * The player `tdpr play` and `tdpr serve` embed (cli/assets/, committed so that
 * `cargo build` needs no npm) is what this checkout's sources make: the demo page and
 * the bundle of src/player/, byte for byte.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { WEB_DIR } from "./support/reference.js";

interface CliAssetsScript {
  readonly CLI_ASSETS_DIR: string;
  cliAssets(): Promise<Map<string, Uint8Array>>;
}

test("cli/assets/ holds the page and the bundle the sources make (else: npm run cli-assets)", async () => {
  const script = (await import(pathToFileURL(join(WEB_DIR, "scripts/cli-assets.mjs")).href)) as CliAssetsScript;
  const assets = await script.cliAssets();
  assert.deepEqual([...assets.keys()].sort(), ["index.html", "tdpr-player.js"]);
  for (const [name, made] of assets) {
    const committed = new Uint8Array(readFileSync(join(script.CLI_ASSETS_DIR, name)));
    assert.ok(Buffer.from(committed).equals(Buffer.from(made)), `cli/assets/${name} is stale: run \`npm run cli-assets\` in web/ and commit it`);
  }
});
