/**
 * What the playback hands the screen: a TDP message's effect, the keyframe a seek
 * starts at, or a screen-size record; and the size rule of spec/rendering.md §3 that
 * both the screen and the occlusion pass apply.
 */

import type { ScreenSize } from "./frame-decoder.js";
import type { ScreenOp } from "./tdp-message.js";

/** The largest side of a screen (spec/rendering.md §1). */
export const MAX_SIDE = 8192;

export type ScreenCommand =
  | { readonly kind: "message"; readonly op: ScreenOp }
  /** The keyframe a seek starts at: the screen takes its size, black, then its image. */
  | { readonly kind: "keyframe"; readonly width: number; readonly height: number; readonly png: Uint8Array }
  | { readonly kind: "resize"; readonly width: number; readonly height: number };

/** The size a batch leaves the screen at, as `resize` would apply them. */
export function sizeAfter(commands: readonly ScreenCommand[], current: ScreenSize): ScreenSize {
  let size = current;
  for (const c of commands) {
    const s = c.kind === "message" ? (c.op.kind === "size" ? c.op : null) : c;
    if (s && s.width >= 1 && s.height >= 1 && s.width <= MAX_SIDE && s.height <= MAX_SIDE) size = { width: s.width, height: s.height };
  }
  return size;
}
