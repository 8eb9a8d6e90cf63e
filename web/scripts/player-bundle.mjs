// The browser player bundled into one ES module: src/player/index.ts and the reader it
// uses, pako included. One definition for both places it goes: dist/ (with a source
// map, for the demo page and embedders) and cli/assets/ (without, embedded in `tdpr`).
import { build } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Bundles the player into `outfile` (relative to web/); `write: false` returns the bytes instead. */
export async function bundlePlayer({ outfile, sourcemap, write }) {
  const result = await build({
    absWorkingDir: WEB_DIR,
    entryPoints: ["src/player/index.ts"],
    outfile,
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    sourcemap,
    minify: true,
    legalComments: sourcemap ? "linked" : "eof",
    logLevel: "warning",
    write,
  });
  return result.outputFiles ?? [];
}
