/**
 * Seeking by the index (spec/format.md 7.2) against conformance/seek: for each query
 * time, the record to start from, and the screen size in effect at that time after
 * applying the records from there.
 */

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { crc32c } from "../src/format/crc32c.js";
import { TdprError } from "../src/format/errors.js";
import { iterateFrom, openFile } from "../src/format/reader.js";
import { seekStart } from "../src/format/seek.js";
import { BufferSource } from "../src/loader/byte-source.js";
import { openRecording } from "../src/loader/recording.js";
import { CONFORMANCE_DIR } from "./support/reference.js";

interface Query {
  time_us: number;
  start_offset: number;
  start_time_us: number;
  start_is_keyframe: boolean;
  screen_width: number;
  screen_height: number;
}

for (const name of readdirSync(join(CONFORMANCE_DIR, "seek")).filter((f) => f.endsWith(".json"))) {
  test(`seek queries of conformance/seek/${name}`, () => {
    const fixture = JSON.parse(readFileSync(join(CONFORMANCE_DIR, "seek", name), "utf8")) as { recording: string; queries: Query[] };
    const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, fixture.recording)));
    const opened = openFile(bytes);
    const { index, indexOffset } = opened.index!;
    assert.ok(fixture.queries.length > 0);
    for (const q of fixture.queries) {
      const t = BigInt(q.time_us);
      const start = seekStart(index, t, indexOffset)!;
      assert.equal(start.offset, q.start_offset, `start offset at ${t}`);
      assert.equal(start.entry.timeUs, BigInt(q.start_time_us), `start time at ${t}`);
      assert.equal(start.entry.keyframe, q.start_is_keyframe, `start keyframe at ${t}`);
      let [width, height] = [start.entry.width, start.entry.height];
      for (const r of iterateFrom(bytes, index, start)) {
        if (r.timeUs > t || r.type === "index") break;
        if (r.type === "screen_size") [width, height] = [r.width, r.height];
      }
      assert.deepEqual([width, height], [q.screen_width, q.screen_height], `screen at ${t}`);
    }
  });
}

test("a keyframe_entry that points past its own entry is bad_index at that field", () => {
  const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid/sample.tdpr")));
  const opened = openFile(bytes);
  const { index, indexOffset } = opened.index!;
  // Find an entry that is not a keyframe but follows one, and point it at a later entry.
  let i = 0;
  while (i < index.seekCount && (index.seekEntry(i).keyframe || index.seekEntry(i).keyframeEntry === null)) i++;
  assert.ok(i < index.seekCount, "the sample has a non-keyframe entry after a keyframe");
  const field = index.seekEntryFieldOffset(i, "keyframe_entry");
  const damaged = bytes.slice();
  new DataView(damaged.buffer).setUint32(field, i + 1, true);
  const damagedIndex = openFile(damaged, { verifyChecksums: false }).index!.index;
  assert.throws(
    () => seekStart(damagedIndex, index.seekEntry(i).timeUs, indexOffset),
    (e: unknown) => e instanceof TdprError && e.errorClass === "bad_index" && e.offset === field,
  );
});

test("a seek entry whose offset does not frame as a record is bad_index at its offset field, read whole or through the loader", async () => {
  const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid/sample.tdpr")));
  const { index, indexOffset } = openFile(bytes).index!;
  let i = index.seekCount - 1;
  while (!index.seekEntry(i).keyframe) i--;
  const entry = index.seekEntry(i);
  const field = index.seekEntryFieldOffset(i, "offset");
  // One byte into the record the entry names: inside the file, but no record frames
  // there. The index record's CRC is made right again: only the entry is wrong.
  const damaged = bytes.slice();
  const view = new DataView(damaged.buffer);
  view.setBigUint64(field, entry.offset + 1n, true);
  const crcAt = indexOffset + 6 + view.getUint32(indexOffset + 2, true);
  view.setUint32(crcAt, crc32c(damaged, indexOffset, crcAt), true);
  const damagedIndex = openFile(damaged).index!.index;
  const start = seekStart(damagedIndex, entry.timeUs, indexOffset)!;
  assert.equal(start.offset, Number(entry.offset) + 1);
  const isEntryFault = (e: unknown) => e instanceof TdprError && e.errorClass === "bad_index" && e.offset === field;
  assert.throws(() => [...iterateFrom(damaged, damagedIndex, start)], isEntryFault);
  const recording = await openRecording(new BufferSource(damaged));
  await assert.rejects(recording.recordsFrom(start).next(), isEntryFault);
  // Read from the start instead, the same bytes are a sound record.
  assert.equal([...iterateFrom(bytes, index, seekStart(index, entry.timeUs, indexOffset)!)][0]!.offset, Number(entry.offset));
});
