/**
 * The protobuf rules of spec/json.md on the metadata and event messages, case by case.
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeEvent, decodeMetadata, eventKindName } from "../src/format/messages.js";
import { ProtobufFault } from "../src/format/protobuf.js";
import { concat, uleb } from "./support/record-bytes.js";

const te = new TextEncoder();
const key = (field: number, wire: number) => uleb((BigInt(field) << 3n) | BigInt(wire));
const ld = (field: number, payload: Uint8Array) => concat(key(field, 2), uleb(payload.length), payload);
const refused = (f: () => unknown) => assert.throws(f, ProtobufFault);

test("every metadata field, labels and unknown fields kept in order", () => {
  const unknownA = concat(key(40, 0), uleb(300));
  const unknownB = ld(41, te.encode("x"));
  const m = decodeMetadata(concat(
    ld(1, te.encode("sid")), unknownA, ld(3, te.encode("alice")),
    key(7, 0), uleb(BigInt.asUintN(64, -1n)),
    key(8, 0), uleb(1920), key(9, 0), uleb(1080),
    ld(12, concat(ld(1, te.encode("env")), ld(2, te.encode("prod")))),
    unknownB, ld(13, Uint8Array.of(1, 2, 3)),
  ));
  assert.equal(m.sessionId, "sid");
  assert.equal(m.user, "alice");
  assert.equal(m.startTimeUnixUs, -1n);
  assert.equal(m.screenWidth, 1920);
  assert.equal(m.screenHeight, 1080);
  assert.deepEqual([...m.labels], [["env", "prod"]]);
  assert.deepEqual(m.teleportStartEvent, Uint8Array.of(1, 2, 3));
  assert.deepEqual(m.unknownFields, concat(unknownA, unknownB));
});

test("event kinds: signed 32-bit values, names for the defined ones only", () => {
  assert.equal(decodeEvent(concat(key(1, 0), uleb(8))).kind, 8);
  assert.equal(decodeEvent(concat(key(1, 0), uleb(BigInt.asUintN(64, -2n)))).kind, -2);
  assert.equal(decodeEvent(concat(key(1, 0), uleb(0x1_0000_0003n))).kind, 3);
  assert.equal(eventKindName(0), "unspecified");
  assert.equal(eventKindName(9), "session_end");
  assert.equal(eventKindName(10), null);
  assert.equal(eventKindName(-2), null);
});

test("bool: any non-zero varint is true", () => {
  assert.equal(decodeEvent(concat(key(9, 0), uleb(256))).failed, true);
  assert.equal(decodeEvent(concat(key(9, 0), uleb(0))).failed, false);
});

test("a string keeps a leading byte-order mark", () => {
  assert.equal(decodeEvent(ld(2, Uint8Array.of(0xef, 0xbb, 0xbf, 0x41))).label, "\ufeffA");
});

test("map entries: missing value defaults, last duplicate wins, unknown fields inside dropped", () => {
  const e = decodeEvent(concat(
    ld(10, ld(1, te.encode("k"))),
    ld(10, concat(ld(1, te.encode("j")), key(5, 0), uleb(1), ld(2, te.encode("v1")))),
    ld(10, concat(ld(2, te.encode("v2")), ld(1, te.encode("j")))),
  ));
  assert.deepEqual([...e.attributes], [["k", ""], ["j", "v2"]]);
  assert.deepEqual(e.unknownFields, new Uint8Array(0));
});

test("refusals: wrong wire type, bad UTF-8, field 0, big key, bad varint, short length, stray end-group", () => {
  refused(() => decodeMetadata(concat(key(8, 2), uleb(1), Uint8Array.of(5))));
  refused(() => decodeMetadata(concat(key(8, 3), key(8, 4))));
  refused(() => decodeMetadata(ld(3, Uint8Array.of(0xff))));
  refused(() => decodeEvent(ld(10, ld(1, Uint8Array.of(0xc3)))));
  refused(() => decodeMetadata(concat(key(0, 0), uleb(1))));
  refused(() => decodeMetadata(uleb(1n << 32n)));
  refused(() => decodeMetadata(concat(key(8, 0), Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02))));
  refused(() => decodeMetadata(concat(key(3, 2), uleb(10), te.encode("ab"))));
  refused(() => decodeMetadata(key(50, 4)));
  refused(() => decodeMetadata(concat(key(50, 3), key(51, 4))));
  refused(() => decodeMetadata(concat(key(50, 6))));
});

test("unknown groups are kept whole; nesting stops at the recursion limit", () => {
  const group = (depth: number): Uint8Array => (depth === 0 ? new Uint8Array(0) : concat(key(50, 3), group(depth - 1), key(50, 4)));
  assert.deepEqual(decodeMetadata(group(100)).unknownFields, group(100));
  refused(() => decodeMetadata(group(101)));
});
