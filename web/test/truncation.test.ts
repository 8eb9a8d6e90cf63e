/**
 * Every cut of every golden recording (spec/format.md 9.4): the reader returns
 * exactly the complete records before the cut, then `truncated` at the cut record's
 * offset, or ends at a record boundary (unfinished). And its iterator yields nothing
 * after its first error.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { TdprError } from "../src/format/errors.js";
import { iterateRecords } from "../src/format/reader.js";
import { CONFORMANCE_DIR } from "./support/reference.js";

const golden = ["minimal", "frame_batches", "resizes_and_keyframes", "unknown_ancillary", "every_event_kind"].map((n) => ({
  name: n,
  bytes: new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid", `${n}.tdpr`))),
}));

test("every cut keeps the records before it and ends with truncated or at a boundary", () => {
  let cuts = 0;
  for (const { name, bytes } of golden) {
    const whole = [...iterateRecords(bytes)];
    const ends = whole.map((r) => r.offset + r.size);
    for (let cut = 20; cut < bytes.length; cut++) {
      const kept = whole.filter((_, i) => ends[i]! <= cut);
      const got: number[] = [];
      const it = iterateRecords(bytes.subarray(0, cut));
      let error: unknown = null;
      try {
        for (const r of it) got.push(r.offset);
      } catch (e) {
        error = e;
      }
      assert.deepEqual(got, kept.map((r) => r.offset), `${name} cut at ${cut}`);
      const boundary = cut === 20 || ends.includes(cut);
      if (boundary) {
        assert.equal(error, null, `${name} cut at boundary ${cut}`);
        assert.deepEqual(it.end, { finished: false, offset: cut });
      } else {
        const at = kept.length === 0 ? 20 : ends[kept.length - 1]!;
        assert.ok(error instanceof TdprError && error.errorClass === "truncated" && error.offset === at, `${name} cut at ${cut}: ${error}`);
      }
      cuts++;
    }
  }
  assert.ok(cuts > 1000);
});

test("the iterator is done after its first error", () => {
  const bytes = golden[0]!.bytes.slice();
  bytes[50] = bytes[50]! ^ 1; // inside the first frame: its CRC no longer matches
  const it = iterateRecords(bytes);
  assert.equal(it.next().value?.type, "metadata");
  assert.throws(() => it.next(), (e: unknown) => e instanceof TdprError && e.errorClass === "checksum_mismatch" && e.offset === 44);
  assert.deepEqual(it.next(), { done: true, value: undefined });
  assert.equal(it.end, null);
});

test("a lying body_length is refused before the body is awaited", () => {
  const bytes = golden[0]!.bytes.slice(0, 50);
  new DataView(bytes.buffer).setUint32(46, 0xffffffff, true);
  const it = iterateRecords(bytes);
  it.next();
  assert.throws(() => it.next(), (e: unknown) => e instanceof TdprError && e.errorClass === "limit_exceeded" && e.offset === 46);
});
