/**
 * The protobuf wire format, for the metadata and event payloads, with the acceptance
 * rules of spec/json.md "Protobuf decoding" (those of prost, the reference's decoder):
 * keys above 2^32 − 1, field number 0, wire types 6 and 7, an end-group without its
 * start, groups nested past the recursion limit, varints over 10 bytes or with a 10th
 * byte above 1, and lengths past the end are refused; over-long varints are accepted.
 */

import { concatBytes } from "./bytes.js";

/** A protobuf payload that the rules refuse; the record reader turns it into `malformed_record`. */
export class ProtobufFault extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = "ProtobufFault";
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

/** prost's recursion limit: a message's own fields are skipped with this much depth left. */
export const RECURSION_LIMIT = 100;

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A cursor over one message's bytes. */
export class WireReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly end: number = bytes.length,
    start = 0,
  ) {
    this.pos = start;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  varint(): bigint {
    let value = 0n;
    let shift = 0n;
    for (let n = 0; n < 10; n++) {
      if (this.pos >= this.end) throw new ProtobufFault("varint cut short");
      const b = this.bytes[this.pos++]!;
      if (n === 9 && b > 1) throw new ProtobufFault("varint above 64 bits");
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return value;
      shift += 7n;
    }
    throw new ProtobufFault("varint longer than 10 bytes");
  }

  /** Reads a key; returns the field number and sets `wireType`. */
  key(): { field: number; wireType: number } {
    const key = this.varint();
    if (key > 0xffffffffn) throw new ProtobufFault("key above 2^32 - 1");
    const wireType = Number(key & 7n);
    if (wireType > WIRE_FIXED32) throw new ProtobufFault(`invalid wire type ${wireType}`);
    const field = Number(key >> 3n);
    if (field === 0) throw new ProtobufFault("field number 0");
    return { field, wireType };
  }

  lengthDelimited(): Uint8Array {
    const length = this.varint();
    if (length > BigInt(this.end - this.pos)) throw new ProtobufFault("length past the end of the message");
    const start = this.pos;
    this.pos += Number(length);
    return this.bytes.subarray(start, this.pos);
  }

  string(): string {
    try {
      return UTF8.decode(this.lengthDelimited());
    } catch (e) {
      if (e instanceof ProtobufFault) throw e;
      throw new ProtobufFault("string not UTF-8");
    }
  }

  private advance(n: number): void {
    if (this.end - this.pos < n) throw new ProtobufFault("fixed-size value cut short");
    this.pos += n;
  }

  /**
   * Skips the value of a field this decoder does not know, as prost's `skip_field`
   * does with `depthLeft` levels of recursion left: nothing is skipped at 0, and each
   * group goes one level deeper.
   */
  skip(field: number, wireType: number, depthLeft: number): void {
    if (depthLeft <= 0) throw new ProtobufFault("recursion limit reached");
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LENGTH:
        this.lengthDelimited();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      case WIRE_START_GROUP:
        for (;;) {
          const inner = this.key();
          if (inner.wireType === WIRE_END_GROUP) {
            if (inner.field !== field) throw new ProtobufFault("end-group tag of another group");
            return;
          }
          this.skip(inner.field, inner.wireType, depthLeft - 1);
        }
      default:
        throw new ProtobufFault("end-group tag without its start");
    }
  }
}

/** Refuses a known field sent with another wire type (packed or group encodings included). */
export function expectWireType(field: number, actual: number, expected: number): void {
  if (actual !== expected) throw new ProtobufFault(`field ${field}: wire type ${actual}, expected ${expected}`);
}

/** Decodes a `map<string, string>` entry into `map`; unknown fields inside are dropped. */
export function mergeStringMapEntry(entry: Uint8Array, map: Map<string, string>): void {
  const r = new WireReader(entry);
  let key = "";
  let value = "";
  while (!r.atEnd()) {
    const { field, wireType } = r.key();
    if (field === 1) {
      expectWireType(field, wireType, WIRE_LENGTH);
      key = r.string();
    } else if (field === 2) {
      expectWireType(field, wireType, WIRE_LENGTH);
      value = r.string();
    } else {
      r.skip(field, wireType, RECURSION_LIMIT - 1);
    }
  }
  map.set(key, value);
}

/** Low 32 bits of a varint, unsigned (`uint32`). */
export function asUint32(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

/** Low 32 bits of a varint, signed (`int32`, enums). */
export function asInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/**
 * Walks the fields of a message. `readKnown` reads the value of a field the message
 * defines and returns true, or returns false for one it does not; those are skipped
 * and their wire bytes (key included) are returned, concatenated in file order.
 */
export function walkMessage(payload: Uint8Array, readKnown: (field: number, wireType: number, r: WireReader) => boolean): Uint8Array {
  const unknown: Uint8Array[] = [];
  const r = new WireReader(payload);
  while (!r.atEnd()) {
    const tagStart = r.pos;
    const { field, wireType } = r.key();
    if (!readKnown(field, wireType, r)) {
      r.skip(field, wireType, RECURSION_LIMIT);
      unknown.push(payload.subarray(tagStart, r.pos));
    }
  }
  return concatBytes(unknown);
}
