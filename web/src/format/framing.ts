/**
 * Record framing (spec/format.md section 4.1): type, flags, body_length, body, CRC32C.
 *
 * This is the only place that may find a record incomplete. It checks the
 * record-length limit before asking for the body, so a lying length never costs
 * memory, and it hands out the body as a view into the caller's bytes, without a copy.
 */

import { crc32c } from "./crc32c.js";
import { TdprError } from "./errors.js";
import type { Limits } from "./limits.js";

/** Bytes of a record around its body: type, flags, body_length before, CRC after. */
export const RECORD_OVERHEAD = 10;
const PREFIX = 6;

/** A record whose frame and CRC are sound; its body is not yet interpreted. */
export interface FramedRecord {
  /** Offset of the record's first byte in the file. */
  readonly offset: number;
  /** The type byte. */
  readonly code: number;
  /** The flags byte. */
  readonly flags: number;
  /** The body (time_delta and payload), a view into the bytes it was framed from. */
  readonly body: Uint8Array;
  /** Total size of the record, `10 + body.length`. */
  readonly size: number;
}

/** The `body_length` of the record whose first byte is `bytes[pos]`; six bytes must be there. */
export function bodyLengthAt(bytes: Uint8Array, pos: number): number {
  return (bytes[pos + 2]! | (bytes[pos + 3]! << 8) | (bytes[pos + 4]! << 16) | (bytes[pos + 5]! << 24)) >>> 0;
}

/** Either a framed record or, when the bytes end inside it, how many bytes from its start it needs. */
export type Framing = { readonly record: FramedRecord } | { readonly needed: number };

/**
 * Frames the record that starts at `bytes[pos]`, which is at file offset `offset`.
 * Only `bytes[pos, end)` is looked at. Throws `limit_exceeded` or `checksum_mismatch`
 * (the latter unless `verifyCrc` is false, spec 4.1 step 4).
 */
export function frameRecord(
  bytes: Uint8Array,
  pos: number,
  end: number,
  offset: number,
  limits: Limits,
  verifyCrc: boolean,
): Framing {
  if (end - pos < PREFIX) return { needed: PREFIX };
  const bodyLength = bodyLengthAt(bytes, pos);
  if (bodyLength > limits.recordLength) {
    throw new TdprError("limit_exceeded", offset + 2, `body_length ${bodyLength} above the record-length limit ${limits.recordLength}`);
  }
  const size = RECORD_OVERHEAD + bodyLength;
  if (end - pos < size) return { needed: size };
  const crcAt = pos + PREFIX + bodyLength;
  if (verifyCrc) {
    const stored = (bytes[crcAt]! | (bytes[crcAt + 1]! << 8) | (bytes[crcAt + 2]! << 16) | (bytes[crcAt + 3]! << 24)) >>> 0;
    if (stored !== crc32c(bytes, pos, crcAt)) throw new TdprError("checksum_mismatch", offset, "record CRC32C");
  }
  return {
    record: {
      offset,
      code: bytes[pos]!,
      flags: bytes[pos + 1]!,
      body: bytes.subarray(pos + PREFIX, crcAt),
      size,
    },
  };
}
