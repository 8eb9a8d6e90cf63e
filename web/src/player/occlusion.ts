/**
 * Which images of a batch of screen commands nobody will see: an image wholly painted
 * over by later opaque images of the same batch, or drawn before a later resize (which
 * clears the screen). A seek applies every tile from the keyframe to the time sought,
 * and most are painted over again and again (two thirds of the tiles in the synthetic
 * office sessions); not decoding those is most of the seek's work saved. Exact: an
 * image counts as opaque only when its PNG colour type has no alpha and no `tRNS`
 * chunk comes before its image data.
 */

import type { ScreenSize } from "./frame-decoder.js";
import type { ScreenCommand } from "./screen.js";

/** Below this many images a batch is drawn as it is (the coverage map costs a byte a pixel). */
const MIN_IMAGES = 32;

interface PngFacts {
  readonly width: number;
  readonly height: number;
  readonly opaque: boolean;
}

/** Size and opacity from a PNG's IHDR and the chunks before its data; null when unreadable. */
export function pngFacts(png: Uint8Array): PngFacts | null {
  if (png.length < 33) return null;
  const v = new DataView(png.buffer, png.byteOffset, png.length);
  const colourType = png[25]!;
  let opaque = colourType === 0 || colourType === 2;
  for (let at = 8; opaque && at + 8 <= png.length; ) {
    const type = String.fromCharCode(png[at + 4]!, png[at + 5]!, png[at + 6]!, png[at + 7]!);
    if (type === "IDAT") break;
    if (type === "tRNS") opaque = false;
    at += 12 + v.getUint32(at);
  }
  return { width: v.getUint32(16), height: v.getUint32(20), opaque };
}

function imageOf(c: ScreenCommand): { left: number; top: number; png: Uint8Array } | null {
  if (c.kind === "keyframe") return { left: 0, top: 0, png: c.png };
  if (c.kind === "message" && c.op.kind === "png") return c.op;
  return null;
}

/**
 * For each command, true when it is an image that would be entirely hidden at the end
 * of the batch. `finalSize` is the screen's size once the batch is applied.
 */
export function hiddenImages(commands: readonly ScreenCommand[], finalSize: ScreenSize): boolean[] {
  const hidden = commands.map(() => false);
  if (commands.filter((c) => imageOf(c) !== null).length < MIN_IMAGES) return hidden;
  const { width: w, height: h } = finalSize;
  const covered = new Uint8Array(w * h);
  let cleared = false;
  for (let i = commands.length - 1; i >= 0; i--) {
    const c = commands[i]!;
    if (c.kind === "resize") cleared = true;
    const image = imageOf(c);
    if (!image) continue;
    if (cleared) {
      hidden[i] = true;
      continue;
    }
    const facts = pngFacts(image.png);
    if (!facts) continue;
    const x0 = Math.min(w, image.left);
    const y0 = Math.min(h, image.top);
    const x1 = Math.min(w, image.left + facts.width);
    const y1 = Math.min(h, image.top + facts.height);
    let all = true;
    for (let y = y0; y < y1 && all; y++) {
      const row = y * w;
      for (let x = x0; x < x1; x++) {
        if (covered[row + x] === 0) {
          all = false;
          break;
        }
      }
    }
    if (all) {
      hidden[i] = true;
      continue;
    }
    if (facts.opaque) for (let y = y0; y < y1; y++) covered.fill(1, y * w + x0, y * w + x1);
  }
  return hidden;
}
