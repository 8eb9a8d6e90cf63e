/** TDP messages as spec/tdp.md lays them out, and what each does to the screen. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { screenOp } from "../src/player/tdp-message.js";
import { concat, uleb } from "./support/record-bytes.js";

const be32 = (...vs: number[]) => {
  const out = new Uint8Array(4 * vs.length);
  vs.forEach((v, i) => new DataView(out.buffer).setUint32(4 * i, v, false));
  return out;
};
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3);
const key = (field: number, wire: number) => uleb((field << 3) | wire);
const ld = (field: number, payload: Uint8Array) => concat(key(field, 2), uleb(payload.length), payload);
const tdpb = (envelope: Uint8Array) => concat(be32(envelope.length), envelope);

test("legacy png_frame (2): left, top, right, bottom, then the PNG", () => {
  assert.deepEqual(screenOp(concat(Uint8Array.of(2), be32(10, 20, 30, 40), PNG)), { kind: "png", left: 10, top: 20, png: PNG });
});

test("legacy png2_frame (27): length, left, top, right, bottom, PNG of that length", () => {
  assert.deepEqual(screenOp(concat(Uint8Array.of(27), be32(PNG.length, 5, 6, 7, 8), PNG)), { kind: "png", left: 5, top: 6, png: PNG });
  assert.equal(screenOp(concat(Uint8Array.of(27), be32(PNG.length + 1, 5, 6, 7, 8), PNG)).kind, "undrawable");
});

test("legacy rdp_fast_path_pdu (29) goes whole to the decoder", () => {
  const m = concat(Uint8Array.of(29), be32(3), Uint8Array.of(0, 1, 2));
  assert.deepEqual(screenOp(m), { kind: "fast_path", message: m });
  assert.equal(screenOp(concat(Uint8Array.of(29), be32(4), Uint8Array.of(0, 1, 2))).kind, "undrawable");
});

test("legacy mouse_move (3) moves the pointer; other known types draw nothing; unknown ones are not drawable", () => {
  assert.deepEqual(screenOp(concat(Uint8Array.of(3), be32(11, 21))), { kind: "pointer", x: 11, y: 21 });
  assert.deepEqual(screenOp(Uint8Array.of(4, 0, 1)), { kind: "none" });
  assert.deepEqual(screenOp(Uint8Array.of(38)), { kind: "none" });
  assert.deepEqual(screenOp(Uint8Array.of(39)), { kind: "undrawable", reason: "unknown_39" });
});

test("sizes: client_screen_spec (1) and rdp_connection_activated (31), the latter a new connection", () => {
  assert.deepEqual(screenOp(concat(Uint8Array.of(1), be32(1024, 768))), { kind: "size", width: 1024, height: 768, connection: false });
  const activated = Uint8Array.of(31, 0x03, 0xeb, 0x03, 0xec, 0x05, 0x00, 0x03, 0x20);
  assert.deepEqual(screenOp(activated), { kind: "size", width: 1280, height: 800, connection: true });
});

test("TDPB PNGFrame, FastPathPDU and MouseMove", () => {
  const rect = concat(key(1, 0), uleb(100), key(2, 0), uleb(50), key(3, 0), uleb(164), key(4, 0), uleb(114));
  assert.deepEqual(screenOp(tdpb(ld(3, concat(ld(1, rect), ld(2, PNG))))), { kind: "png", left: 100, top: 50, png: PNG });
  const fast = tdpb(ld(4, ld(1, Uint8Array.of(0, 9))));
  assert.deepEqual(screenOp(fast), { kind: "fast_path", message: fast });
  assert.deepEqual(screenOp(tdpb(ld(7, concat(key(1, 0), uleb(640), key(2, 0), uleb(480))))), { kind: "pointer", x: 640, y: 480 });
  assert.deepEqual(screenOp(tdpb(ld(13, ld(1, Uint8Array.of(1))))), { kind: "none" });
  assert.equal(screenOp(tdpb(ld(30, ld(1, Uint8Array.of(1))))).kind, "undrawable");
});

test("TDPB ClientScreenSpec and ServerHello announce sizes; a hello without activation only resets", () => {
  assert.deepEqual(screenOp(tdpb(ld(10, concat(key(1, 0), uleb(1920), key(2, 0), uleb(1080), key(3, 0), uleb(100))))), { kind: "size", width: 1920, height: 1080, connection: false });
  const activation = concat(key(1, 0), uleb(1003), key(2, 0), uleb(1004), key(3, 0), uleb(1440), key(4, 0), uleb(900));
  assert.deepEqual(screenOp(tdpb(ld(2, concat(ld(1, activation), key(2, 0), uleb(1))))), { kind: "size", width: 1440, height: 900, connection: true });
  assert.deepEqual(screenOp(tdpb(ld(2, concat(key(2, 0), uleb(1))))), { kind: "connection" });
});

test("TDPB cut short or with a bad envelope is not drawable, never thrown", () => {
  assert.equal(screenOp(Uint8Array.of(0, 0)).kind, "undrawable");
  assert.equal(screenOp(concat(be32(10), Uint8Array.of(1))).kind, "undrawable");
  assert.equal(screenOp(tdpb(Uint8Array.of(0x1a, 0x05, 1))).kind, "undrawable");
  assert.equal(screenOp(new Uint8Array(0)).kind, "undrawable");
});
