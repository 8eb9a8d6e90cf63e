/**
 * Which images of a batch of screen commands nobody will see: an image wholly painted
 * over by later opaque images of the same batch, or drawn before a later keyframe or
 * change of size (which clear the screen). A seek applies every tile from the keyframe to the time sought,
 * and most are painted over again and again (two thirds of the tiles in the synthetic
 * office sessions); not decoding those is most of the seek's work saved. Exact: an
 * image counts as opaque only when its PNG colour type has no alpha and no `tRNS`
 * chunk comes before its image data.
 */

import type { ScreenSize } from "./frame-decoder.js";
import { sizeAfter, type ScreenCommand } from "./screen-command.js";

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

/** Whether each command replaces the screen with a black one (a keyframe, or an announced size that differs). */
function clearsScreen(commands: readonly ScreenCommand[], initial: ScreenSize): boolean[] {
  let size = initial;
  return commands.map((c) => {
    if (c.kind === "keyframe") {
      size = { width: c.width, height: c.height };
      return true;
    }
    const announced = c.kind === "resize" ? c : c.op.kind === "size" ? c.op : null;
    if (!announced) return false;
    const after = sizeAfter([c], size);
    const cleared = after.width !== size.width || after.height !== size.height;
    size = after;
    return cleared;
  });
}

/**
 * For each command, true when it is an image that would be entirely hidden at the end
 * of the batch. `initialSize` is the screen's size before the batch.
 */
export function hiddenImages(commands: readonly ScreenCommand[], initialSize: ScreenSize): boolean[] {
  const hidden = commands.map(() => false);
  if (commands.filter((c) => imageOf(c) !== null).length < MIN_IMAGES) return hidden;
  const clears = clearsScreen(commands, initialSize);
  const { width: w, height: h } = sizeAfter(commands, initialSize);
  const covered = new Uint8Array(w * h);
  let cleared = false;
  for (let i = commands.length - 1; i >= 0; i--) {
    const c = commands[i]!;
    const image = imageOf(c);
    if (image && cleared) hidden[i] = true;
    else if (image) hidden[i] = coverImage(image, covered, w, h);
    if (clears[i]) cleared = true;
  }
  return hidden;
}

/** True when every on-screen pixel of `image` is already covered; else covers them if it is opaque. */
function coverImage(image: { left: number; top: number; png: Uint8Array }, covered: Uint8Array, w: number, h: number): boolean {
  const facts = pngFacts(image.png);
  if (!facts) return false;
  const x0 = Math.min(w, image.left);
  const y0 = Math.min(h, image.top);
  const x1 = Math.min(w, image.left + facts.width);
  const y1 = Math.min(h, image.top + facts.height);
  if (x0 === x1 || y0 === y1) return false;
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
  if (all) return true;
  if (facts.opaque) for (let y = y0; y < y1; y++) covered.fill(1, y * w + x0, y * w + x1);
  return false;
}
