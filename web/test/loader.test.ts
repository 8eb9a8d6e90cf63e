/**
 * The range-request loader against a local HTTP server that counts requests and bytes:
 * opening costs two requests (three when the index is larger than the tail window),
 * seeking costs the bytes from the keyframe to the time shown, in read-ahead chunks,
 * and nothing else is downloaded. The records it reads are the whole-file reader's.
 */

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { crc32c } from "../src/format/crc32c.js";
import { TdprError } from "../src/format/errors.js";
import { iterateRecords, openFile } from "../src/format/reader.js";
import type { TdprRecord } from "../src/format/records.js";
import { BlobSource, BufferSource } from "../src/loader/byte-source.js";
import { HttpRangeSource } from "../src/loader/http-range-source.js";
import { resolveOptions } from "../src/format/options.js";
import { RecordSequence } from "../src/format/sequence.js";
import { RangeCache } from "../src/loader/range-cache.js";
import { RecordStream } from "../src/loader/record-stream.js";
import { openRecording, type Recording } from "../src/loader/recording.js";
import { RangeServer } from "./support/range-server.js";
import { CONFORMANCE_DIR, SKIP_WITHOUT_REFERENCE } from "./support/reference.js";
import { TEST_OUTPUT, bigSynthetic } from "./support/synthetic.js";

const server = new RangeServer({ "/conformance/": CONFORMANCE_DIR, "/out/": TEST_OUTPUT });
let base = "";
before(async () => {
  base = await server.start();
});
after(() => server.stop());

/** Reads what showing time `t` needs, as a player does: the seek plan's bytes, then its records. */
async function showAt(recording: Recording, t: bigint): Promise<TdprRecord[]> {
  const plan = recording.seek(t);
  if (plan) await recording.prefetch(plan);
  const stream = recording.recordsFrom(plan);
  const read: TdprRecord[] = [];
  while (plan === null || stream.offset < plan.until) {
    const r = await stream.next();
    if (r === null || r.timeUs > t) break;
    read.push(r);
  }
  return read;
}

const FINISHED = ["minimal", "sample", "frame_batches", "resizes_and_keyframes", "unknown_ancillary", "every_event_kind", "compressed_metadata", "empty_session"];

test("opening a golden file over HTTP takes two requests and finds what openFile finds", async () => {
  for (const name of FINISHED) {
    const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid", `${name}.tdpr`)));
    const since = server.log.length;
    const source = await HttpRangeSource.open(`${base}/conformance/valid/${name}.tdpr`);
    const recording = await openRecording(source);
    const whole = openFile(bytes);
    assert.equal(server.count("/", since).requests, 2, name);
    assert.deepEqual(source.stats, server.count("/", since), name);
    assert.deepEqual(recording.metadata, whole.metadata, name);
    assert.equal(recording.finished, true);
    assert.deepEqual(recording.index!.payload, whole.index!.index.payload, name);
    assert.equal(recording.size, bytes.length);
  }
});

test("records read through the loader from every seek entry are the whole-file reader's", async () => {
  const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid/sample.tdpr")));
  const all = [...iterateRecords(bytes)];
  const recording = await openRecording(await HttpRangeSource.open(`${base}/conformance/valid/sample.tdpr`), { readAhead: 1024 });
  const index = recording.index!;
  for (let i = 0; i < index.seekCount; i++) {
    const entry = index.seekEntry(i);
    const stream = recording.recordsFrom({ position: i, entry, offset: Number(entry.offset) });
    const got: TdprRecord[] = [];
    for (let r = await stream.next(); r !== null; r = await stream.next()) got.push(r);
    const expected = all.filter((r) => r.offset >= Number(entry.offset));
    assert.deepEqual(got, expected, `from entry ${i}`);
  }
});

test("an unfinished recording opens without an index and plays from its start", async () => {
  const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid/unfinished.tdpr")));
  const recording = await openRecording(await HttpRangeSource.open(`${base}/conformance/valid/unfinished.tdpr`));
  assert.equal(recording.finished, false);
  assert.equal(recording.seek(5_000_000n), null);
  const stream = recording.recordsFrom(null);
  const got: number[] = [];
  let error: unknown = null;
  try {
    for (let r = await stream.next(); r !== null; r = await stream.next()) got.push(r.offset);
  } catch (e) {
    error = e;
  }
  const expected: number[] = [];
  let wholeError: unknown = null;
  try {
    for (const r of iterateRecords(bytes)) expected.push(r.offset);
  } catch (e) {
    wholeError = e;
  }
  assert.deepEqual(got, expected);
  assert.ok(error instanceof TdprError && wholeError instanceof TdprError);
  assert.equal(error.errorClass, "truncated");
  assert.equal(error.offset, wholeError.offset);
});

test("a server that ignores Range is refused with a clear io error", async () => {
  server.ranges = false;
  try {
    await assert.rejects(HttpRangeSource.open(`${base}/conformance/valid/sample.tdpr`), (e: unknown) => {
      return e instanceof TdprError && e.errorClass === "io" && /does not support range requests/.test(e.message);
    });
  } finally {
    server.ranges = true;
  }
});

test("a missing file is an io error naming the status", async () => {
  await assert.rejects(HttpRangeSource.open(`${base}/conformance/valid/nothing.tdpr`), (e: unknown) => e instanceof TdprError && e.errorClass === "io" && /404/.test(e.message));
});

test("Blob and buffer sources open the same recording", async () => {
  const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid/resizes_and_keyframes.tdpr")));
  const fromBlob = await openRecording(new BlobSource(new Blob([bytes])));
  const fromBuffer = await openRecording(new BufferSource(bytes));
  assert.deepEqual(fromBlob.metadata, fromBuffer.metadata);
  assert.deepEqual(await showAt(fromBlob, 1_000_000n), await showAt(fromBuffer, 1_000_000n));
});

test("a damaged record met while playing is a TdprError with its offset", async () => {
  const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid/sample.tdpr")));
  const recording = await openRecording(new BufferSource(bytes));
  const entry = recording.index!.seekEntry(0);
  // The second record read from the entry: a fault of the first one would be the
  // entry's (spec 7.2), this one is the record's own.
  const first = (await recording.recordsFrom({ position: 0, entry, offset: Number(entry.offset) }).next())!;
  const second = first.offset + first.size;
  const damaged = bytes.slice();
  damaged[second + 7] ^= 0x40;
  const stream = (await openRecording(new BufferSource(damaged))).recordsFrom({ position: 0, entry, offset: Number(entry.offset) });
  const playToEnd = async () => {
    while ((await stream.next()) !== null);
  };
  await assert.rejects(playToEnd(), (e: unknown) => e instanceof TdprError && e.errorClass === "checksum_mismatch" && e.offset === second);
  // The first record damaged: the entry names no sound record, bad_index at its offset field.
  // (Read from the entry itself: a player showing the entry's time starts at the sample's
  // keyframe, which follows the full-screen frame the entry names at the same time.)
  const damagedFirst = bytes.slice();
  damagedFirst[Number(entry.offset) + 7] ^= 0x40;
  const field = recording.index!.seekEntryFieldOffset(0, "offset");
  const fromEntry = (await openRecording(new BufferSource(damagedFirst))).recordsFrom({ position: 0, entry, offset: Number(entry.offset) });
  await assert.rejects(fromEntry.next(), (e: unknown) => e instanceof TdprError && e.errorClass === "bad_index" && e.offset === field);
});

test("the range cache holds at most its bound while a whole file is walked", async () => {
  const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid/sample.tdpr")));
  const cache = new RangeCache(new BufferSource(bytes), { maxBytes: 4096 });
  const recording = await openRecording(cache, { readAhead: 1024, window: 1024 });
  const stream = recording.recordsFrom(null);
  let largest = 0;
  let count = 0;
  for (let r = await stream.next(); r !== null; r = await stream.next()) {
    largest = Math.max(largest, r.size);
    count++;
    assert.ok(cache.heldBytes <= 4096 + largest + 1024, `held ${cache.heldBytes}`);
  }
  assert.equal(count, [...iterateRecords(bytes)].length);
});

test("a one-hour recording: open in 2 requests, seek in 1, nothing else", { skip: SKIP_WITHOUT_REFERENCE }, async (t) => {
  const path = bigSynthetic();
  const url = `${base}/out/big.tdpr`;
  const size = readFileSync(path).length;
  const readAhead = 512 * 1024;

  const since = server.log.length;
  const source = await HttpRangeSource.open(url);
  const recording = await openRecording(source, { readAhead });
  const opened = server.count("/", since);
  assert.equal(opened.requests, 2);
  assert.equal(opened.bytes, 2 * 65536);
  const duration = recording.durationUs!;
  assert.ok(duration >= 3_600_000_000n - 1_000_000n, `duration ${duration}`);

  const report: string[] = [`open: ${opened.requests} requests, ${opened.bytes} bytes of ${size}`];
  for (const fraction of [2n, 4n, 10n]) {
    const at = duration / fraction;
    const before = server.log.length;
    const read = await showAt(recording, at);
    const used = server.count("/", before);
    const start = read[0]!;
    assert.equal(start.type, "keyframe", "a seek starts at a keyframe");
    const last = read[read.length - 1]!;
    const span = last.offset + last.size - start.offset;
    // One request: from the keyframe to the next seek entry after t, which is at most
    // one seek interval of records past the last record at or before t.
    const plan = recording.seek(at)!;
    assert.equal(used.requests, 1, `seek to ${at}`);
    assert.equal(used.bytes, plan.until - plan.offset, `seek to ${at}`);
    assert.ok(plan.offset === start.offset && plan.until >= last.offset + last.size, `seek to ${at}: plan ${plan.offset}..${plan.until}`);
    report.push(`seek to ${Number(at) / 1e6} s: ${used.requests} request, ${used.bytes} bytes (keyframe to t: ${span} bytes)`);
  }
  const total = server.count("/", since);
  assert.ok(total.bytes < size / 10, `${total.bytes} of ${size} bytes downloaded`);
  report.push(`total: ${total.requests} requests, ${total.bytes} bytes (${((100 * total.bytes) / size).toFixed(2)} % of the file)`);
  t.diagnostic(report.join("; "));

  const small = await openRecording(await HttpRangeSource.open(url, { headBytes: 4096, tailBytes: 4096 }), { window: 4096 });
  const index = small.indexInfo!;
  assert.ok(index.indexOffset < size - 4096, "the index is larger than the 4 KiB window");
  assert.equal((small.cache.source as HttpRangeSource).stats.requests, 3);
});

test("the range cache serves a read spanning adjacent cached ranges without fetching, and reads ahead", async () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
  const reads: [number, number][] = [];
  const counting = {
    size: bytes.length,
    read: async (offset: number, length: number) => {
      reads.push([offset, length]);
      return bytes.subarray(offset, offset + length);
    },
  };
  const cache = new RangeCache(counting);
  await cache.read(0, 10);
  await cache.read(10, 10);
  assert.deepEqual(await cache.read(5, 10), bytes.subarray(5, 15));
  assert.deepEqual(reads, [[0, 10], [10, 10]]);
  assert.deepEqual(await cache.read(15, 20, 100), bytes.subarray(15, 35));
  assert.deepEqual(reads.at(-1), [20, 100], "only the gap, then read-ahead");
  assert.deepEqual(await cache.read(100, 50), bytes.subarray(100, 150));
  assert.deepEqual(reads.at(-1), [120, 30], "read-ahead served the first part");
  await cache.read(990, 10);
  assert.deepEqual(await cache.read(140, 860, 4096), bytes.subarray(140));
  assert.deepEqual(reads.at(-1), [150, 840], "a gap up to the next cached range, not past it");
});

test("opening every invalid and truncated conformance file over HTTP fails or succeeds as openFile does", async () => {
  let compared = 0;
  for (const dir of ["invalid", "truncated"]) {
    for (const name of readdirSync(join(CONFORMANCE_DIR, dir)).filter((f) => f.endsWith(".tdpr"))) {
      const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, dir, name)));
      const outcome = async (open: () => Promise<unknown>) => {
        try {
          await open();
          return "opened";
        } catch (e) {
          if (!(e instanceof TdprError)) throw e;
          return `${e.errorClass} at ${e.offset}`;
        }
      };
      const whole = await outcome(async () => openFile(bytes));
      const overHttp = await outcome(async () => openRecording(await HttpRangeSource.open(`${base}/conformance/${dir}/${name}`)));
      const small = await outcome(async () => openRecording(new BufferSource(bytes), { window: 24 }));
      assert.equal(overHttp, whole, `${dir}/${name}`);
      assert.equal(small, whole, `${dir}/${name} with 24-byte windows`);
      compared++;
    }
  }
  assert.ok(compared > 80, `${compared} files`);
});

test("the record stream returns the whole-file iterator's records and first fault, whatever its chunk size", async () => {
  let compared = 0;
  for (const dir of ["valid", "invalid", "truncated"]) {
    for (const name of readdirSync(join(CONFORMANCE_DIR, dir)).filter((f) => f.endsWith(".tdpr"))) {
      const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, dir, name)));
      if (bytes.length < 20) continue;
      const expected: string[] = [];
      try {
        for (const r of iterateRecords(bytes)) expected.push(`${r.type}@${r.offset}:${r.timeUs}`);
      } catch (e) {
        expected.push(e instanceof TdprError ? `${e.errorClass} at ${e.offset}` : String(e));
      }
      for (const readAhead of [1, 7, 4096]) {
        const stream = new RecordStream(new RangeCache(new BufferSource(bytes)), 20, RecordSequence.fromStart(), resolveOptions(), readAhead);
        const got: string[] = [];
        try {
          for (let r = await stream.next(); r !== null; r = await stream.next()) got.push(`${r.type}@${r.offset}:${r.timeUs}`);
        } catch (e) {
          got.push(e instanceof TdprError ? `${e.errorClass} at ${e.offset}` : String(e));
        }
        assert.deepEqual(got, expected, `${dir}/${name} read ahead ${readAhead}`);
        assert.equal(await stream.next(), null, "done after the end or the first fault");
      }
      compared++;
    }
  }
  assert.ok(compared > 90, `${compared} files`);
});

test("a trailer that points far back at a record longer than the limit costs six bytes, not the distance", async () => {
  // The sample with its trailer pointing at a frame record past the head window, the
  // trailer's CRC made right; opened with a record-length limit below the distance from
  // there to the trailer.
  const bytes = new Uint8Array(readFileSync(join(CONFORMANCE_DIR, "valid/sample.tdpr")));
  const index = openFile(bytes).index!.index;
  const target = index.seekEntry(1).offset;
  const trailerOffset = bytes.length - 19;
  assert.ok(target > 1024n && BigInt(trailerOffset) - target > 4096n + 10n, "the record is past the head window and far from the trailer");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  view.setBigUint64(trailerOffset + 7, target, true);
  view.setUint32(trailerOffset + 15, crc32c(bytes, trailerOffset, trailerOffset + 15), true);
  const reads: number[] = [];
  const inner = new BufferSource(bytes);
  const counting = { size: inner.size, read: (offset: number, length: number) => (reads.push(length), inner.read(offset, length)) };
  const limits = { ...resolveOptions().limits, recordLength: 4096 };
  await assert.rejects(
    openRecording(counting, { window: 1024, limits }),
    (e: unknown) => e instanceof TdprError && e.errorClass === "bad_index" && e.offset === trailerOffset + 7,
  );
  assert.deepEqual(reads, [1024, 1024, 6]);
});
