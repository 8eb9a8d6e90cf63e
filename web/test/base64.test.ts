import assert from "node:assert/strict";
import { test } from "node:test";
import { base64 } from "../src/format/base64.js";

test("base64 of RFC 4648's test vectors", () => {
  const e = new TextEncoder();
  for (const [plain, encoded] of [["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"], ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"]]) {
    assert.equal(base64(e.encode(plain)), encoded);
  }
});

test("base64 across its 24 KiB pieces equals node's", () => {
  for (const length of [24575, 24576, 24577, 100_003]) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 251 + 17) & 0xff);
    assert.equal(base64(bytes), Buffer.from(bytes).toString("base64"), `length ${length}`);
  }
});
