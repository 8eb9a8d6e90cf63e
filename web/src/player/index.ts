/**
 * The browser player's entry point (bundled to dist/tdpr-player.js by `npm run build`).
 */

export { TdprPlayer, type TdprPlayerOptions, type PlayerState } from "./player.js";
export type { FrameDecoder, DirtyRect, ScreenSize } from "./frame-decoder.js";
export { WasmFrameDecoder, DecoderRestarted } from "./wasm-decoder.js";
export { HttpRangeSource } from "../loader/http-range-source.js";
export { BlobSource, BufferSource, type ByteSource } from "../loader/byte-source.js";
