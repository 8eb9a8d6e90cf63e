/** Which images of a batch are hidden by later ones, exactly. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { PNG } from "pngjs";
import { hiddenImages, pngFacts } from "../src/player/occlusion.js";
import type { ScreenCommand } from "../src/player/screen-command.js";

function png(width: number, height: number, colorType: 2 | 6): Uint8Array {
  const image = new PNG({ width, height, colorType, inputColorType: 6, inputHasAlpha: true });
  image.data.fill(255);
  return new Uint8Array(PNG.sync.write(image, { colorType }));
}

/** An RGB PNG with a tRNS chunk inserted before IDAT: opaque colour type, yet transparent. */
function withTrns(rgb: Uint8Array): Uint8Array {
  const idat = rgb.findIndex((_, i) => rgb[i + 4] === 0x49 && rgb[i + 5] === 0x44 && rgb[i + 6] === 0x41 && rgb[i + 7] === 0x54);
  const trns = Uint8Array.of(0, 0, 0, 6, 0x74, 0x52, 0x4e, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const out = new Uint8Array(rgb.length + trns.length);
  out.set(rgb.subarray(0, idat));
  out.set(trns, idat);
  out.set(rgb.subarray(idat), idat + trns.length);
  return out;
}

const tile = (left: number, top: number, image: Uint8Array): ScreenCommand => ({ kind: "message", op: { kind: "png", left, top, png: image } });
const screen = { width: 64, height: 64 };
/** 32 small tiles in the corner (64, 64 is off screen), to pass the batch-size threshold. */
const filler = Array.from({ length: 32 }, () => tile(60, 60, png(4, 4, 2)));

test("PNG facts: size from IHDR, opaque only without alpha or tRNS", () => {
  assert.deepEqual(pngFacts(png(7, 5, 2)), { width: 7, height: 5, opaque: true });
  assert.deepEqual(pngFacts(png(7, 5, 6)), { width: 7, height: 5, opaque: false });
  assert.equal(pngFacts(withTrns(png(7, 5, 2)))!.opaque, false);
  assert.equal(pngFacts(Uint8Array.of(1, 2, 3)), null);
});

test("an image wholly painted over by later opaque ones is hidden; partly, it is not", () => {
  const commands = [tile(0, 0, png(16, 16, 2)), tile(8, 0, png(16, 16, 2)), tile(0, 0, png(8, 16, 2)), tile(16, 0, png(8, 8, 2)), ...filler];
  const hidden = hiddenImages(commands, screen);
  assert.deepEqual(hidden.slice(0, 4), [true, false, false, false]);
});

test("images with alpha hide nothing, though they can be hidden", () => {
  const hidden = hiddenImages([tile(0, 0, png(16, 16, 2)), tile(0, 0, png(16, 16, 6)), tile(0, 0, png(16, 16, 2)), ...filler], screen);
  assert.deepEqual(hidden.slice(0, 3), [true, true, false]);
  const trns = hiddenImages([tile(0, 0, png(16, 16, 2)), tile(0, 0, withTrns(png(16, 16, 2))), ...filler], screen);
  assert.deepEqual(trns.slice(0, 2), [false, false]);
});

test("everything before a change of size or a keyframe is hidden; a size that does not change hides nothing", () => {
  const resize: ScreenCommand = { kind: "resize", width: 32, height: 64 };
  const same: ScreenCommand = { kind: "resize", width: 64, height: 64 };
  assert.deepEqual(hiddenImages([tile(0, 0, png(4, 4, 2)), same, tile(10, 10, png(4, 4, 2)), ...filler], screen).slice(0, 3), [false, false, false]);
  const announced: ScreenCommand = { kind: "message", op: { kind: "size", width: 48, height: 48, connection: true } };
  assert.deepEqual(hiddenImages([tile(0, 0, png(4, 4, 2)), announced, ...filler], screen)[0], true);
  const keyframe: ScreenCommand = { kind: "keyframe", width: 64, height: 64, png: png(4, 4, 6) };
  assert.deepEqual(hiddenImages([tile(0, 0, png(4, 4, 2)), resize, tile(0, 0, png(4, 4, 2)), ...filler], screen).slice(0, 3), [true, false, false]);
  assert.deepEqual(hiddenImages([tile(0, 0, png(4, 4, 2)), keyframe, ...filler].slice(0, 34), screen).slice(0, 2), [true, false]);
});

test("parts off screen need no cover; small batches are left alone", () => {
  const hidden = hiddenImages([tile(56, 56, png(16, 16, 2)), tile(56, 56, png(8, 8, 2)), ...filler], screen);
  assert.deepEqual(hidden.slice(0, 2), [true, false]);
  assert.deepEqual(hiddenImages([tile(0, 0, png(4, 4, 2)), tile(0, 0, png(4, 4, 2))], screen), [false, false]);
});
