import assert from "node:assert/strict";
import { test } from "node:test";
import { readUleb128 } from "../src/format/uleb128.js";

const read = (...b: number[]) => readUleb128(Uint8Array.from(b), 0, b.length);

test("uleb128 values and lengths", () => {
  assert.deepEqual(read(0x00), { value: 0n, next: 1 });
  assert.deepEqual(read(0x80, 0x7d), { value: 16000n, next: 2 });
  assert.deepEqual(read(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), { value: (1n << 56n) - 1n, next: 8 });
  assert.deepEqual(read(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), { value: (1n << 64n) - 1n, next: 10 });
});

test("over-long encodings within 10 bytes are accepted", () => {
  assert.deepEqual(read(0x80, 0x00), { value: 0n, next: 2 });
  assert.deepEqual(read(0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), { value: 1n, next: 10 });
});

test("a 10th byte above 1, an 11th byte, or a cut encoding is refused", () => {
  assert.equal(read(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02), null);
  assert.equal(read(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00), null);
  assert.equal(read(0x80, 0x80), null);
  assert.equal(read(), null);
});

test("reading stops at the end given, not at the end of the array", () => {
  assert.equal(readUleb128(Uint8Array.of(0x80, 0x01), 0, 1), null);
  assert.deepEqual(readUleb128(Uint8Array.of(0xff, 0x05, 0x80, 0x01), 2, 4), { value: 128n, next: 4 });
});
