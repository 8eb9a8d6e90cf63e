/**
 * Hand-made recordings for the places where spec/format.md and spec/json.md leave
 * room for two readings (listed in the spec notes of issue #17): each is decoded by
 * this reader and by the reference, and both must print the same JSON and exit status.
 * Every case states its bytes here. TDPR_SHOW_EDGE_CASES=1 prints this reader's JSON of each.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalJson } from "../src/format/canonical-json.js";
import { jsonText } from "../src/format/json-text.js";
import { validateRecording } from "../src/format/validate.js";
import { exactEqual, parseExactJson } from "./support/exact-json.js";
import { concat, header, record, u32, u64, uleb } from "./support/record-bytes.js";
import { SKIP_WITHOUT_REFERENCE, referenceDump } from "./support/reference.js";

const te = new TextEncoder();
const bytes = (...b: number[]) => Uint8Array.from(b);
const key = (field: number, wire: number) => uleb((BigInt(field) << 3n) | BigInt(wire));
const lengthDelimited = (field: number, payload: Uint8Array) => concat(key(field, 2), uleb(payload.length), payload);

/** An unfinished recording: header, a metadata record with this payload, one frame. */
function withMetadata(payload: Uint8Array, flags = 0): Uint8Array {
  return concat(header(), record(0x01, flags, concat(bytes(0), payload)), record(0x02, 0, bytes(0, 3, 0, 0, 0, 1, 0, 0, 0, 2)));
}

function nestedGroups(depth: number, inner: Uint8Array): Uint8Array {
  let g = inner;
  for (let d = 0; d < depth; d++) g = concat(key(20, 3), g, key(20, 4));
  return g;
}

export const cases: Record<string, Uint8Array> = {
  "wire type 6": withMetadata(concat(key(20, 6), bytes(1))),
  "wire type 7": withMetadata(concat(key(20, 7), bytes(1))),
  "100 nested empty groups": withMetadata(nestedGroups(100, bytes())),
  "101 nested empty groups": withMetadata(nestedGroups(101, bytes())),
  "99 nested groups around a varint": withMetadata(nestedGroups(99, concat(key(21, 0), bytes(5)))),
  "100 nested groups around a varint": withMetadata(nestedGroups(100, concat(key(21, 0), bytes(5)))),
  "end group of another field": withMetadata(concat(key(20, 3), key(21, 4))),
  "end group without start": withMetadata(key(20, 4)),
  "BOM at the start of a string": withMetadata(lengthDelimited(3, bytes(0xef, 0xbb, 0xbf, 0x61))),
  "invalid UTF-8": withMetadata(lengthDelimited(3, bytes(0xc3, 0x28))),
  "map entry holding wire type 7": withMetadata(lengthDelimited(12, concat(lengthDelimited(1, te.encode("k")), key(3, 7)))),
  "map entry holding an unknown group": withMetadata(lengthDelimited(12, concat(lengthDelimited(1, te.encode("k")), nestedGroups(3, bytes())))),
  "map entry holding 99 nested groups": withMetadata(lengthDelimited(12, nestedGroups(99, bytes()))),
  "map entry holding 100 nested groups": withMetadata(lengthDelimited(12, nestedGroups(100, bytes()))),
  "map key with wire type 0": withMetadata(lengthDelimited(12, concat(key(1, 0), bytes(1)))),
  "map entry without value, duplicate keys": withMetadata(concat(lengthDelimited(12, lengthDelimited(1, te.encode("a"))), lengthDelimited(12, concat(lengthDelimited(1, te.encode("a")), lengthDelimited(2, te.encode("second")))))),
  "map field with wire type 0": withMetadata(concat(key(12, 0), bytes(1))),
  "over-long varint of 10 bytes": withMetadata(concat(key(8, 0), bytes(0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00))),
  "varint whose 10th byte is 2": withMetadata(concat(key(8, 0), bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02))),
  "uint32 above 2^32": withMetadata(concat(key(8, 0), uleb(0x1_0000_0005n))),
  "negative start time": withMetadata(concat(key(7, 0), uleb(BigInt.asUintN(64, -5n)))),
  "key above 2^32 - 1": withMetadata(uleb(1n << 32n)),
  "field number 0": withMetadata(concat(key(0, 0), bytes(1))),
  "packed screen_width": withMetadata(concat(key(8, 2), bytes(1, 5))),
  "repeated string keeps the last": withMetadata(concat(lengthDelimited(3, te.encode("a")), lengthDelimited(3, te.encode("b")))),
  "unknown fixed32 and fixed64 kept": withMetadata(concat(key(30, 5), u32(7), key(31, 1), u64(9))),
  "length past the end": withMetadata(concat(key(3, 2), bytes(5, 0x61))),
  "trailer with time_delta 80 00 in a body of 9": concat(
    header(),
    record(0x01, 0, bytes(0)),
    record(0x83, 0, concat(bytes(0), u64(0), u64(1), new Uint8Array(44))),
    record(0x84, 0, concat(bytes(0x80, 0x00), u64(40).subarray(0, 7))),
  ),
  "bad flags and a bad time_delta": concat(header(), record(0x01, 0, bytes(0)), record(0x03, 0x02, bytes(0xff))),
  "unknown critical type with a bad time_delta": concat(header(), record(0x01, 0, bytes(0)), record(0x05, 0, bytes(0xff))),
  "deflate with padding bits set after the final block": concat(header(), record(0x01, 0, bytes(0)), record(0x02, 0x01, concat(bytes(0, 2), bytes(0x63, 0x64, 0x02, 0xfc)))),
  "compressed frame": concat(header(), record(0x01, 0, bytes(0)), record(0x02, 0x01, concat(bytes(0, 2), bytes(0x63, 0x64, 0x02, 0x00)))),
  "keyframe of 4 bytes": concat(header(), record(0x01, 0, bytes(0)), record(0x82, 0, concat(bytes(0), u32(5)))),
  "screen size of 3 bytes": concat(header(), record(0x01, 0, bytes(0)), record(0x03, 0, bytes(0, 1, 2, 3))),
  "trailer of 5 payload bytes": concat(header(), record(0x01, 0, bytes(0)), record(0x84, 0, bytes(0, 1, 2, 3, 4, 5))),
  "event with compressed flag": concat(header(), record(0x01, 0, bytes(0)), record(0x81, 0x01, bytes(0))),
  "unknown ancillary with every flag": concat(header(), record(0x01, 0, bytes(0)), record(0x99, 0xff, bytes(5, 1, 2))),
  "index right after metadata then trailer pointing at metadata": concat(
    header(),
    record(0x01, 0, bytes(0)),
    record(0x83, 0, concat(bytes(0), new Uint8Array(60))),
    record(0x84, 0, concat(bytes(0), u64(20))),
  ),
  "frame batch whose lengths overflow 64 bits": concat(header(), record(0x01, 0, bytes(0)), record(0x04, 0, concat(bytes(0, 2), uleb((1n << 64n) - 1n), bytes(0), uleb(2n), bytes(1, 2)))),
  "trailer pointing at a frame whose CRC is wrong": (() => {
    const frame = record(0x02, 0, bytes(0, 3, 0, 0, 0, 1, 0, 0, 0, 2));
    frame[frame.length - 1] ^= 0xff;
    return concat(header(), record(0x01, 0, bytes(0)), frame, record(0x83, 0, concat(bytes(0), new Uint8Array(60))), record(0x84, 0, concat(bytes(0), u64(31))));
  })(),
  "index payload of 59 bytes": concat(header(), record(0x01, 0, bytes(0)), record(0x83, 0, concat(bytes(0), new Uint8Array(59))), record(0x84, 0, concat(bytes(0), u64(31)))),
  "event of a kind the enum does not define": concat(header(), record(0x01, 0, bytes(0)), record(0x81, 0, concat(bytes(0), key(1, 0), uleb(42)))),
  "compressed metadata of inflated length 0": concat(header(), record(0x01, 0x01, bytes(0, 0, 0x03, 0x00))),
};

for (const [name, file] of Object.entries(cases)) {
  if (process.env.TDPR_SHOW_EDGE_CASES) console.log(name, JSON.stringify(jsonText(canonicalJson(validateRecording(file)))));
  test(`edge case: ${name}`, { skip: SKIP_WITHOUT_REFERENCE }, () => {
    const result = validateRecording(file);
    const ours = jsonText(canonicalJson(result));
    const reference = referenceDump(file);
    const show = (j: string) => JSON.stringify((parseExactJson(j) as { end: unknown }).end, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    assert.equal(result.end.state === "finished" ? 0 : 1, reference.status === 0 ? 0 : 1, `exit: ours ${show(ours)}, reference ${show(reference.json)}`);
    assert.ok(exactEqual(parseExactJson(ours), parseExactJson(reference.json)), `ours ${ours}\nreference ${reference.json}`);
  });
}
