import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32c } from "../src/format/crc32c.js";

test("CRC32C check value of spec section 1", () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

test("CRC32C of the worked example's header bytes 0-15 (spec section 14)", () => {
  const first = Uint8Array.of(0x89, 0x54, 0x44, 0x50, 0x52, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00);
  assert.equal(crc32c(first), 0x9283f15f);
});

test("CRC32C of a range equals CRC32C of the copied range, at every alignment and length", () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff);
  // Bitwise reference: one bit at a time, the definition itself.
  const slow = (b: Uint8Array) => {
    let c = 0xffffffff;
    for (const x of b) {
      c ^= x;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  for (let start = 0; start < 9; start++) {
    for (const length of [0, 1, 7, 8, 9, 15, 16, 17, 100, 291 - start]) {
      assert.equal(crc32c(bytes, start, start + length), slow(bytes.slice(start, start + length)), `start ${start} length ${length}`);
    }
  }
});
