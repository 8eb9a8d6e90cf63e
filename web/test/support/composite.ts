/**
 * The screen a PNG session shows at a time, composited in node with pngjs from the
 * keyframe at or before the time (spec/format.md 7.2), by the rendering model of
 * spec/rendering.md: the keyframe gives the screen its size and pixels; later
 * keyframes draw nothing; a size other than the current one starts a black screen of
 * that size; tiles are drawn source over at their left and top. These are the
 * expected pixels the browser player's canvas is compared with.
 */

import { PNG } from "pngjs";
import { openFile, iterateFrom } from "../../src/format/reader.js";
import { seekStart } from "../../src/format/seek.js";
import { screenOp } from "../../src/player/tdp-message.js";

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, opaque. */
  data: Uint8Array;
}

function black(width: number, height: number): Pixels {
  const data = new Uint8Array(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width, height, data };
}

/** Draws a PNG onto the screen at (left, top), clipped, source-over onto opaque pixels. */
function blit(screen: Pixels, png: Uint8Array, left: number, top: number): void {
  const image = PNG.sync.read(Buffer.from(png));
  for (let y = 0; y < image.height; y++) {
    const sy = top + y;
    if (sy >= screen.height) break;
    for (let x = 0; x < image.width; x++) {
      const sx = left + x;
      if (sx >= screen.width) break;
      const s = (y * image.width + x) * 4;
      const d = (sy * screen.width + sx) * 4;
      const a = image.data[s + 3]!;
      for (let c = 0; c < 3; c++) {
        screen.data[d + c] = a === 255 ? image.data[s + c]! : Math.round((image.data[s + c]! * a + screen.data[d + c]! * (255 - a)) / 255);
      }
    }
  }
}

/**
 * The screen at time `t` µs of a finished PNG recording, from the keyframe at or before
 * `t`, or (`fromStart`) replayed from the first content record without keyframes.
 */
export function expectedScreen(bytes: Uint8Array, t: bigint, fromStart = false): Pixels {
  const opened = openFile(bytes);
  const { index, indexOffset } = opened.index!;
  const start = fromStart ? seekStart(index, 0n, indexOffset)! : seekStart(index, t, indexOffset)!;
  let screen = black(start.entry.width, start.entry.height);
  const resize = (width: number, height: number) => {
    if (width >= 1 && height >= 1 && width <= 8192 && height <= 8192 && (width !== screen.width || height !== screen.height)) {
      screen = black(width, height);
    }
  };
  for (const r of iterateFrom(bytes, index, start)) {
    if (r.timeUs > t || r.type === "index") break;
    if (r.type === "keyframe" && r.offset === start.offset && !fromStart) {
      screen = black(r.width, r.height);
      blit(screen, r.png, 0, 0);
    } else if (r.type === "screen_size") {
      resize(r.width, r.height);
    }
    const messages = r.type === "frame" ? [r.message] : r.type === "frame_batch" ? r.frames.filter((f) => f.timeUs <= t).map((f) => f.message) : [];
    for (const m of messages) {
      const op = screenOp(m);
      if (op.kind === "png" && op.left < screen.width && op.top < screen.height) blit(screen, op.png, op.left, op.top);
      else if (op.kind === "size") resize(op.width, op.height);
    }
  }
  return screen;
}

/** Decodes a PNG (a canvas capture) into pixels. */
export function decodePng(png: Uint8Array): Pixels {
  const image = PNG.sync.read(Buffer.from(png));
  return { width: image.width, height: image.height, data: new Uint8Array(image.data) };
}

/** How many pixels differ (any channel), and the first one that does. */
export function diffPixels(a: Pixels, b: Pixels): { differing: number; first: string | null } {
  if (a.width !== b.width || a.height !== b.height) return { differing: Infinity, first: `size ${a.width}×${a.height} vs ${b.width}×${b.height}` };
  let differing = 0;
  let first: string | null = null;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2] || a.data[i + 3] !== b.data[i + 3]) {
      if (first === null) {
        const p = i / 4;
        first = `(${p % a.width}, ${Math.floor(p / a.width)}): ${[...a.data.subarray(i, i + 4)]} vs ${[...b.data.subarray(i, i + 4)]}`;
      }
      differing++;
    }
  }
  return { differing, first };
}
