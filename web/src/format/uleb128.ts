/**
 * The container's variable-length integer (spec/format.md section 1): ULEB128 of at
 * most 10 bytes whose value fits in 64 bits. Over-long encodings within 10 bytes are
 * accepted; an 11th byte, or a 10th byte above 1, is invalid.
 */

/** A decoded uleb128: its value and the position just after its last byte. */
export interface Uleb128 {
  readonly value: bigint;
  readonly next: number;
}

const SMALL: bigint[] = Array.from({ length: 128 }, (_, i) => BigInt(i));

/**
 * Reads the uleb128 at `bytes[pos]`, not reading at or past `end`. Returns null when
 * the encoding is invalid or `end` cuts it short; either way the fault belongs at
 * `pos`, its first byte.
 */
export function readUleb128(bytes: Uint8Array, pos: number, end: number): Uleb128 | null {
  if (pos < end) {
    const first = bytes[pos]!;
    if (first < 0x80) return { value: SMALL[first]!, next: pos + 1 };
  }
  // Up to 7 bytes (49 bits) are exact in a double; the rest goes through bigint.
  let low = 0;
  let scale = 1;
  let i = pos;
  for (let n = 0; n < 7; n++, i++) {
    if (i >= end) return null;
    const b = bytes[i]!;
    low += (b & 0x7f) * scale;
    if (b < 0x80) return { value: BigInt(low), next: i + 1 };
    scale *= 128;
  }
  let value = BigInt(low);
  let shift = 49n;
  for (let n = 7; n < 10; n++, i++) {
    if (i >= end) return null;
    const b = bytes[i]!;
    if (n === 9 && b > 1) return null;
    value |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return { value, next: i + 1 };
    shift += 7n;
  }
  return null;
}

/** A bigint as a number when it is a safe integer, else Infinity (for lengths and counts). */
export function toLength(value: bigint): number {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Infinity;
}
