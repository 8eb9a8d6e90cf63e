/**
 * The player `tdpr play` and `tdpr serve` embed (cli/assets/, committed so that
 * `cargo build` needs no npm) is what this checkout's sources make: the demo page and
 * the bundle of src/player/, byte for byte; the renderer module built from the Rust
 * sources whose digest is committed beside it, and exporting what the module built
 * here exports.
 */

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { WEB_DIR } from "./support/reference.js";
import { skipWithout } from "./support/requirements.js";

interface CliAssetsScript {
  readonly CLI_ASSETS_DIR: string;
  readonly BUILT_MODULE: string;
  cliAssets(): Promise<Map<string, Uint8Array>>;
}

const script = (await import(pathToFileURL(join(WEB_DIR, "scripts/cli-assets.mjs")).href)) as CliAssetsScript;

test("cli/assets/ holds the page, the bundle and the module's source digest the sources make (else: npm run cli-assets)", async () => {
  const assets = await script.cliAssets();
  assert.deepEqual([...assets.keys()].sort(), ["index.html", "tdpr-player.js", "tdpr-render.sources"]);
  for (const [name, made] of assets) {
    const committed = new Uint8Array(readFileSync(join(script.CLI_ASSETS_DIR, name)));
    assert.ok(Buffer.from(committed).equals(Buffer.from(made)), `cli/assets/${name} is stale: run \`npm run cli-assets\` in web/ and commit it`);
  }
});

const SKIP_WITHOUT_MODULE = skipWithout(existsSync(script.BUILT_MODULE), `the renderer module was not built (${script.BUILT_MODULE})`);

test("cli/assets/tdpr-render.wasm is a module with the exports of the one built here", { skip: SKIP_WITHOUT_MODULE }, async () => {
  const exportsOf = async (path: string) =>
    WebAssembly.Module.exports(await WebAssembly.compile(readFileSync(path)))
      .map((e) => `${e.kind} ${e.name}`)
      .sort();
  const committed = await exportsOf(join(script.CLI_ASSETS_DIR, "tdpr-render.wasm"));
  assert.ok(committed.includes("function tdpr_apply"), `exports: ${committed}`);
  assert.deepEqual(committed, await exportsOf(script.BUILT_MODULE));
});
