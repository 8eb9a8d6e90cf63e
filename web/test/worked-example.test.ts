/**
 * The worked example of spec/format.md section 14, bytes transcribed from the spec's
 * hex dump and tables, read back field by field.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { iterateRecords, openFile } from "../src/format/reader.js";
import type { TdprRecord } from "../src/format/records.js";
import { validateRecording } from "../src/format/validate.js";
import { concat, fromHexDump, record, u64 } from "./support/record-bytes.js";

const MINIMAL = fromHexDump(`
00000000  89 54 44 50 52 0d 0a 1a 0a 00 01 00 01 00 00 00
00000010  5f f1 83 92 01 00 0e 00 00 00 00 1a 05 61 6c 69
00000020  63 65 40 80 08 48 80 06 b9 2f 66 5a 02 00 0a 00
00000030  00 00 00 03 00 00 00 0a 00 00 00 14 29 92 46 db
00000040  02 00 0b 00 00 00 80 7d 03 00 00 00 0b 00 00 00
00000050  15 b1 51 21 a9 83 00 5d 00 00 00 00 80 3e 00 00
00000060  00 00 00 00 03 00 00 00 00 00 00 00 02 00 00 00
00000070  00 00 00 00 12 00 00 00 00 00 00 00 80 84 1e 00
00000080  00 00 00 00 40 4b 4c 00 00 00 00 00 01 00 00 00
00000090  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
000000a0  2c 00 00 00 00 00 00 00 00 04 00 00 00 03 00 00
000000b0  00 00 00 00 ff ff ff ff 10 37 b6 18 84 00 09 00
000000c0  00 00 00 55 00 00 00 00 00 00 00 36 4c 22 a7
`);

const MOVE_1 = Uint8Array.of(0x03, 0, 0, 0, 0x0a, 0, 0, 0, 0x14);
const MOVE_2 = Uint8Array.of(0x03, 0, 0, 0, 0x0b, 0, 0, 0, 0x15);

test("the worked example is 207 bytes and valid", () => {
  assert.equal(MINIMAL.length, 207);
  assert.deepEqual(validateRecording(MINIMAL).end, { state: "finished" });
});

test("opening the worked example reads the metadata and the index, no frame", () => {
  const opened = openFile(MINIMAL);
  assert.deepEqual(opened.header, { versionWritten: 1, versionRequired: 1 });
  assert.equal(opened.metadata.user, "alice");
  assert.equal(opened.metadata.screenWidth, 1024);
  assert.equal(opened.metadata.screenHeight, 768);
  const index = opened.index!;
  assert.equal(index.indexOffset, 85);
  assert.equal(index.trailerOffset, 188);
  assert.equal(index.index.durationUs, 16000n);
  assert.equal(index.index.recordCount, 3n);
  assert.equal(index.index.frameCount, 2n);
  assert.equal(index.index.frameBytes, 18n);
  assert.equal(index.index.seekIntervalUs, 2_000_000n);
  assert.equal(index.index.idleThresholdUs, 5_000_000n);
  assert.deepEqual(index.index.seekEntry(0), { timeUs: 0n, offset: 44n, width: 1024, height: 768, keyframe: false, keyframeEntry: null });
  assert.equal(index.index.eventCount, 0);
  assert.equal(index.index.idleCount, 0);
});

test("iterating the worked example gives its five records with their times (index and trailer at the clock)", () => {
  const records = [...iterateRecords(MINIMAL)];
  assert.deepEqual(records.map((r) => [r.type, r.offset, r.timeUs]), [
    ["metadata", 20, 0n],
    ["frame", 44, 0n],
    ["frame", 64, 16000n],
    ["index", 85, 16000n],
    ["trailer", 188, 16000n],
  ]);
  const frames = records.filter((r): r is Extract<TdprRecord, { type: "frame" }> => r.type === "frame");
  assert.deepEqual(frames.map((f) => f.message), [MOVE_1, MOVE_2]);
  const trailer = records[4]!;
  assert.equal(trailer.type === "trailer" && trailer.indexOffset, 85n);
});

test("the batched variant: one frame batch of 34 bytes with the spec's CRC", () => {
  const batch = record(0x04, 0, concat(Uint8Array.of(0x00, 0x02, 0x09, 0x80, 0x7d, 0x09), MOVE_1, MOVE_2));
  assert.equal(batch.length, 34);
  assert.deepEqual(batch.subarray(30), Uint8Array.of(0xc3, 0x6f, 0x66, 0x25));

  // The index differs only in record_count (2) and its own offset and CRC.
  const indexPayload = MINIMAL.slice(92, 184);
  indexPayload.set(u64(2), 8);
  const index = record(0x83, 0, concat(Uint8Array.of(0), indexPayload));
  const indexOffset = 44 + batch.length;
  const trailer = record(0x84, 0, concat(Uint8Array.of(0), u64(indexOffset)));
  const file = concat(MINIMAL.subarray(0, 44), batch, index, trailer);

  const result = validateRecording(file);
  assert.deepEqual(result.end, { state: "finished" });
  const read = result.records![1]!;
  assert.equal(read.type, "frame_batch");
  if (read.type !== "frame_batch") return;
  assert.equal(read.timeUs, 0n);
  assert.equal(read.endTimeUs, 16000n);
  assert.deepEqual(read.frames.map((f) => [f.timeUs, f.message]), [[0n, MOVE_1], [16000n, MOVE_2]]);
});
