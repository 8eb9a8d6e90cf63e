// The player as `tdpr play` and `tdpr serve` embed it (cli/src/serve/assets.rs),
// under cli/assets/: the demo page index.html, the bundle without a source map, and
// the renderer module tdpr-render.wasm (as `npm run build` left it in dist/), with
// tdpr-render.sources, the digest of the Rust sources the module was built from.
// They are committed so that `cargo build` needs no npm, no wasm32 target and no
// clang; test/cli-assets.test.ts fails when the page, the bundle or the digest differ
// from what this checkout's sources make.
//
// The module itself cannot be compared byte for byte across machines (rustc writes
// the paths of the sources it compiled into it), so its freshness is the digest's:
// change a file the digest covers and the test asks for `npm run cli-assets`.
//
//   npm run cli-assets        # builds the module, then writes cli/assets/
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WEB_DIR, bundlePlayer } from "./player-bundle.mjs";

export const CLI_ASSETS_DIR = resolve(WEB_DIR, "../cli/assets");
const REPO_DIR = resolve(WEB_DIR, "..");
export const BUILT_MODULE = join(WEB_DIR, "dist", "tdpr-render.wasm");

/**
 * What the module is built from, in the repository: the manifests and the lock file
 * (dependencies, the `wasm` profile), the sources of the format library, the renderer
 * and its C ABI. Directories are walked whole.
 */
const MODULE_SOURCES = ["Cargo.toml", "Cargo.lock", "src", "render/Cargo.toml", "render/src", "render-wasm"];

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** SHA-256 over each source file's path (relative to the repository) and bytes, in path order. */
export function moduleSourcesDigest() {
  const hash = createHash("sha256");
  const files = MODULE_SOURCES.flatMap((p) => filesUnder(join(REPO_DIR, p)))
    .map((f) => relative(REPO_DIR, f).split("\\").join("/"))
    .sort();
  for (const file of files) {
    const bytes = readFileSync(join(REPO_DIR, file));
    hash.update(`${file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return `${hash.digest("hex")}\n`;
}

/** The page, the bundle and the module's digest by file name, as this checkout's sources make them. */
export async function cliAssets() {
  const [bundle] = await bundlePlayer({ outfile: join(CLI_ASSETS_DIR, "tdpr-player.js"), sourcemap: false, write: false });
  return new Map([
    ["index.html", new Uint8Array(await readFile(join(WEB_DIR, "index.html")))],
    ["tdpr-player.js", bundle.contents],
    ["tdpr-render.sources", new TextEncoder().encode(moduleSourcesDigest())],
  ]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(BUILT_MODULE)) {
    console.error(`cli-assets: ${BUILT_MODULE} is missing: run \`npm run build\` first (it needs the wasm32-unknown-unknown target and clang)`);
    process.exit(1);
  }
  await mkdir(CLI_ASSETS_DIR, { recursive: true });
  for (const [name, bytes] of await cliAssets()) await writeFile(join(CLI_ASSETS_DIR, name), bytes);
  await writeFile(join(CLI_ASSETS_DIR, "tdpr-render.wasm"), await readFile(BUILT_MODULE));
}
