/**
 * Building record bytes by hand for tests: a frame with a correct CRC32C around any
 * body, and a whole recording from records, so that a test states the bytes it feeds
 * the reader.
 */

import { concatBytes } from "../../src/format/bytes.js";
import { crc32c } from "../../src/format/crc32c.js";

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

export function uleb(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? b : b | 0x80);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

export function u32(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v, true);
  return out;
}

export function u64(v: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(v), true);
  return out;
}

/** A record: type, flags, body_length, body, CRC32C. */
export function record(code: number, flags: number, body: Uint8Array): Uint8Array {
  const head = concat(Uint8Array.of(code, flags), u32(body.length), body);
  return concat(head, u32(crc32c(head)));
}

/** The 20-byte header with versions 1/1 and its CRC. */
export function header(versionRequired = 1): Uint8Array {
  const first = concat(Uint8Array.of(0x89, 0x54, 0x44, 0x50, 0x52, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 1, 0), Uint8Array.of(versionRequired & 0xff, versionRequired >> 8, 0, 0));
  return concat(first, u32(crc32c(first)));
}

/** Parses the hex dump lines of spec/format.md (`00000000  89 54 …`) into bytes. */
export function fromHexDump(dump: string): Uint8Array {
  const bytes: number[] = [];
  for (const line of dump.trim().split("\n")) {
    for (const hex of line.trim().split(/\s+/).slice(1)) bytes.push(parseInt(hex, 16));
  }
  return Uint8Array.from(bytes);
}
