// Bundles the browser player (src/player/index.ts and the reader it uses, pako
// included) into dist/tdpr-player.js, an ES module the demo page and embedders load.
import { build } from "esbuild";

await build({
  entryPoints: ["src/player/index.ts"],
  outfile: "dist/tdpr-player.js",
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  sourcemap: true,
  minify: true,
  legalComments: "linked",
  logLevel: "warning",
});
