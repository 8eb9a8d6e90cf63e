/**
 * Differential test against the reference: structured mutations of the golden
 * recordings (a body byte changed, a byte inserted or removed with body_length and
 * CRC kept consistent, a type or flags byte changed, body_length changed, a cut) must
 * give the same canonical JSON and exit status from this reader and `tdpr dump -`.
 * Each mutation keeps the CRC right where it says so, so the reader goes past framing
 * into layouts, order rules and protobuf decoding.
 *
 * TDPR_DIFF_CASES sets the number of mutations (default 300).
 */

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { crc32c } from "../src/format/crc32c.js";
import { canonicalJson } from "../src/format/canonical-json.js";
import { jsonText } from "../src/format/json-text.js";
import { validateRecording } from "../src/format/validate.js";
import { exactEqual, parseExactJson } from "./support/exact-json.js";
import { CONFORMANCE_DIR, SKIP_WITHOUT_REFERENCE, referenceDump } from "./support/reference.js";

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets and body lengths of the complete records of a file. */
function recordSpans(bytes: Uint8Array): { offset: number; bodyLength: number }[] {
  const spans = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let at = 20; at + 10 <= bytes.length; ) {
    const bodyLength = v.getUint32(at + 2, true);
    if (at + 10 + bodyLength > bytes.length) break;
    spans.push({ offset: at, bodyLength });
    at += 10 + bodyLength;
  }
  return spans;
}

function resealed(bytes: Uint8Array, offset: number): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const bodyLength = v.getUint32(offset + 2, true);
  v.setUint32(offset + 6 + bodyLength, crc32c(bytes, offset, offset + 6 + bodyLength), true);
  return bytes;
}

type Mutation = { name: string; bytes: Uint8Array };

function mutate(file: Uint8Array, rand: () => number): Mutation {
  const spans = recordSpans(file);
  const span = spans[Math.floor(rand() * spans.length)]!;
  const pick = (n: number) => Math.floor(rand() * n);
  const kind = pick(6);
  const bytes = file.slice();
  const { offset, bodyLength } = span;
  switch (kind) {
    case 0: {
      if (bodyLength === 0) return { name: "none", bytes };
      const at = offset + 6 + pick(bodyLength);
      bytes[at] = rand() < 0.5 ? pick(256) : bytes[at]! ^ (1 << pick(8));
      return { name: `body byte ${at}`, bytes: resealed(bytes, offset) };
    }
    case 1: {
      const at = offset + 6 + pick(bodyLength + 1);
      const out = new Uint8Array(file.length + 1);
      out.set(file.subarray(0, at));
      out[at] = pick(256);
      out.set(file.subarray(at), at + 1);
      new DataView(out.buffer).setUint32(offset + 2, bodyLength + 1, true);
      return { name: `insert at ${at}`, bytes: resealed(out, offset) };
    }
    case 2: {
      if (bodyLength === 0) return { name: "none", bytes };
      const at = offset + 6 + pick(bodyLength);
      const out = new Uint8Array(file.length - 1);
      out.set(file.subarray(0, at));
      out.set(file.subarray(at + 1), at);
      new DataView(out.buffer).setUint32(offset + 2, bodyLength - 1, true);
      return { name: `delete at ${at}`, bytes: resealed(out, offset) };
    }
    case 3: {
      const codes = [0x01, 0x02, 0x03, 0x04, 0x05, 0x7f, 0x81, 0x82, 0x83, 0x84, 0x85, 0xff];
      bytes[offset] = codes[pick(codes.length)]!;
      return { name: `type ${bytes[offset]} at ${offset}`, bytes: resealed(bytes, offset) };
    }
    case 4:
      bytes[offset + 1] = 1 << pick(8);
      return { name: `flags ${bytes[offset + 1]} at ${offset}`, bytes: resealed(bytes, offset) };
    default: {
      const cut = pick(file.length);
      return { name: `cut at ${cut}`, bytes: file.subarray(0, cut) };
    }
  }
}

function ours(bytes: Uint8Array): { json: string; status: number } {
  const result = validateRecording(bytes);
  return { json: jsonText(canonicalJson(result)), status: result.end.state === "finished" ? 0 : 1 };
}

test("mutated golden files decode as the reference decodes them", { skip: SKIP_WITHOUT_REFERENCE }, () => {
  const dir = join(CONFORMANCE_DIR, "valid");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".tdpr") && f !== "max_metadata.tdpr")
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  const cases = Number(process.env.TDPR_DIFF_CASES ?? 300);
  const rand = prng(17);
  const mismatches: string[] = [];
  for (let n = 0; n < cases; n++) {
    const file = files[n % files.length]!;
    const m = mutate(file.bytes, rand);
    const a = ours(m.bytes);
    const b = referenceDump(m.bytes);
    const same = a.status === b.status && exactEqual(parseExactJson(a.json), parseExactJson(b.json));
    if (!same) {
      const endOf = (j: string) => JSON.stringify((parseExactJson(j) as { end: unknown }).end, (_k, v) => (typeof v === "bigint" ? String(v) : v));
      mismatches.push(`${file.name} ${m.name}: ours ${a.status} ${endOf(a.json)}, reference ${b.status} ${endOf(b.json)}`);
    }
  }
  assert.deepEqual(mismatches, []);
});
