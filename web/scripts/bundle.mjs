// `npm run build`'s last step: the player bundle dist/tdpr-player.js with its source map.
import { bundlePlayer } from "./player-bundle.mjs";

await bundlePlayer({ outfile: "dist/tdpr-player.js", sourcemap: true, write: true });
