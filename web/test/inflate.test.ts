import assert from "node:assert/strict";
import { test } from "node:test";
import { deflateRawSync } from "node:zlib";
import { inflateExact } from "../src/format/inflate.js";

const plain = new TextEncoder().encode("tdpr ".repeat(200));
const stream = new Uint8Array(deflateRawSync(plain));

test("a stream that ends at its last byte and inflates to the stated length", () => {
  assert.deepEqual(inflateExact(stream, plain.length), plain);
});

test("a stated length other than the inflated length is refused", () => {
  assert.equal(inflateExact(stream, plain.length - 1), null);
  assert.equal(inflateExact(stream, plain.length + 1), null);
});

test("a byte after the final block, or a stream cut short, is refused", () => {
  const trailing = new Uint8Array(stream.length + 1);
  trailing.set(stream);
  assert.equal(inflateExact(trailing, plain.length), null);
  assert.equal(inflateExact(stream.subarray(0, stream.length - 1), plain.length), null);
});

test("garbage and an empty stream are refused", () => {
  assert.equal(inflateExact(Uint8Array.of(0xff, 0xff, 0xff), 3), null);
  assert.equal(inflateExact(new Uint8Array(0), 1), null);
});

test("an empty plain payload inflates from the empty stored block", () => {
  assert.deepEqual(inflateExact(Uint8Array.of(0x03, 0x00), 0), new Uint8Array(0));
});

test("a deflate bomb stops at the stated length", () => {
  const bomb = new Uint8Array(deflateRawSync(new Uint8Array(10 << 20)));
  assert.equal(inflateExact(bomb, 1 << 20), null);
  assert.equal(inflateExact(bomb, 10 << 20)!.length, 10 << 20);
});

test("a stated length no stream of that size can reach is refused without inflating", () => {
  assert.equal(inflateExact(Uint8Array.of(0x03, 0x00), 64 << 20), null);
});
