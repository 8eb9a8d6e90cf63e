/**
 * Steps 2 to 4 of the per-record checks (spec/format.md section 8): the type, the
 * flags, the layout of the payload (sections 5, 6, 7.1) and the time_delta of the
 * metadata, index and trailer. Nothing here inflates or decodes protobuf (step 7),
 * and nothing here knows about other records (steps 5 and 6).
 */

import { TdprError, malformed } from "./errors.js";
import type { FramedRecord } from "./framing.js";
import type { Limits } from "./limits.js";
import { RecordingIndex } from "./recording-index.js";
import { FLAG_COMPRESSED, RecordCode, isCritical } from "./records.js";
import { readUleb128, toLength } from "./uleb128.js";

/** A compressed payload whose stated length is within its limit, not yet inflated. */
export interface CompressedPayload {
  readonly inflatedLength: number;
  readonly data: Uint8Array;
  readonly dataOffset: number;
}

/** A frame batch's table, walked and checked. */
export interface BatchTable {
  /** `delta[i]` for i ≥ 1; `deltas[0]` is 0 (the first frame is at the record's time). */
  readonly deltas: bigint[];
  /** `length[i]` of every message. */
  readonly lengths: number[];
  /** File offset of each `delta[i]`, and of the record's time_delta for frame 0. */
  readonly deltaOffsets: number[];
  /**
   * The messages back to back: stored (`compressed` null), or a DEFLATE block that
   * inflates to the sum of the lengths (5.8), inflated at step 7.
   */
  readonly stored: Uint8Array;
  readonly compressed: CompressedPayload | null;
}

export type LayoutBody =
  | { readonly type: "metadata"; readonly stored: Uint8Array; readonly compressed: CompressedPayload | null }
  | { readonly type: "frame"; readonly stored: Uint8Array; readonly compressed: CompressedPayload | null }
  | { readonly type: "screen_size"; readonly width: number; readonly height: number }
  | { readonly type: "frame_batch"; readonly table: BatchTable }
  | { readonly type: "event"; readonly stored: Uint8Array }
  | { readonly type: "keyframe"; readonly width: number; readonly height: number; readonly png: Uint8Array }
  | { readonly type: "index"; readonly index: RecordingIndex }
  | { readonly type: "trailer"; readonly indexOffset: bigint }
  | { readonly type: "unknown"; readonly stored: Uint8Array };

/** A record that passed steps 1 to 4. */
export interface RecordLayout {
  readonly framed: FramedRecord;
  readonly timeDelta: bigint;
  /** File offset of the time_delta (the record's offset + 6). */
  readonly timeDeltaOffset: number;
  readonly body: LayoutBody;
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function allowedFlags(code: number): number | null {
  switch (code) {
    case RecordCode.metadata:
    case RecordCode.frame:
    case RecordCode.frameBatch:
      return FLAG_COMPRESSED;
    case RecordCode.screenSize:
    case RecordCode.event:
    case RecordCode.keyframe:
    case RecordCode.index:
    case RecordCode.trailer:
      return 0;
    default:
      return null;
  }
}

/**
 * Checks a payload of fixed-size fields of the given `sizes`: fewer bytes than the
 * fields is a fault at the first field cut short; more (when `exact`) at the first
 * byte after them.
 */
function fixedFields(payload: Uint8Array, payloadOffset: number, sizes: readonly number[], exact: boolean, what: string): DataView {
  let at = 0;
  for (const size of sizes) {
    if (payload.length < at + size) throw malformed(payloadOffset + at, `${what} payload of ${payload.length} bytes cut short`);
    at += size;
  }
  if (exact && payload.length > at) {
    throw malformed(payloadOffset + at, `${what} payload has ${payload.length - at} bytes after its last field`);
  }
  return new DataView(payload.buffer, payload.byteOffset, payload.length);
}

function compressedPayload(stored: Uint8Array, storedOffset: number, limit: number, what: string): CompressedPayload {
  const length = readUleb128(stored, 0, stored.length);
  if (length === null) throw malformed(storedOffset, "inflated_length is not a valid uleb128");
  const inflatedLength = toLength(length.value);
  if (inflatedLength > limit) {
    throw new TdprError("limit_exceeded", storedOffset, `${what} inflated_length ${length.value} above the limit ${limit}`);
  }
  return { inflatedLength, data: stored.subarray(length.next), dataOffset: storedOffset + length.next };
}

/**
 * Walks a batch's table (5.8). `inflatedLimit` is the inflated-length limit of a
 * compressed batch, whose lengths may add up to anything up to it; null for a stored
 * batch, whose lengths add up to the bytes after the table.
 */
function batchTable(stored: Uint8Array, storedOffset: number, timeDeltaOffset: number, inflatedLimit: number | null): BatchTable {
  const end = stored.length;
  const field = (pos: number, name: string): { value: bigint; next: number } => {
    const v = readUleb128(stored, pos, end);
    if (v === null) {
      throw malformed(storedOffset + pos, pos >= end ? `frame batch ends before its ${name}` : `frame batch ${name} is not a valid uleb128`);
    }
    return v;
  };
  const count = field(0, "count");
  if (count.value === 0n) throw malformed(storedOffset, "frame batch count of 0");
  const deltas: bigint[] = [0n];
  const deltaOffsets: number[] = [timeDeltaOffset];
  const lengths: number[] = [];
  let sum = 0;
  let pos = count.next;
  for (let i = 0n; i < count.value; i++) {
    if (i > 0n) {
      const delta = field(pos, `delta[${i}]`);
      deltas.push(delta.value);
      deltaOffsets.push(storedOffset + pos);
      pos = delta.next;
    }
    const length = field(pos, `length[${i}]`);
    if (length.value === 0n) throw malformed(storedOffset + pos, `frame batch length[${i}] of 0`);
    if (inflatedLimit !== null && BigInt(sum) + length.value > BigInt(inflatedLimit)) {
      throw new TdprError("limit_exceeded", storedOffset + pos, `compressed frame batch lengths add up to more than the limit ${inflatedLimit}`);
    }
    lengths.push(toLength(length.value));
    sum += lengths[lengths.length - 1]!;
    pos = length.next;
  }
  const after = stored.subarray(pos);
  if (inflatedLimit !== null) {
    return { deltas, lengths, deltaOffsets, stored: after, compressed: { inflatedLength: sum, data: after, dataOffset: storedOffset + pos } };
  }
  if (sum !== end - pos) {
    throw malformed(storedOffset + pos, `frame batch lengths add up to ${sum}, ${end - pos} bytes follow the table`);
  }
  return { deltas, lengths, deltaOffsets, stored: after, compressed: null };
}

/** Steps 2 to 4 of section 8 for one framed record. */
export function checkLayout(framed: FramedRecord, limits: Limits): RecordLayout {
  const { code, flags, offset, body } = framed;
  const allowed = allowedFlags(code);
  if (allowed === null && isCritical(code)) {
    throw new TdprError("unknown_critical_record", offset, `critical record type 0x${code.toString(16).padStart(2, "0")}`);
  }
  if (allowed !== null && (flags & ~allowed) !== 0) {
    throw new TdprError("unknown_flags", offset + 1, `flags 0x${flags.toString(16).padStart(2, "0")} on a ${code === RecordCode.frameBatch ? "frame batch" : "record"} of type 0x${code.toString(16).padStart(2, "0")}`);
  }
  const timeDeltaOffset = offset + 6;
  const delta = readUleb128(body, 0, body.length);
  if (delta === null) throw malformed(timeDeltaOffset, body.length === 0 ? "empty body, no time_delta" : "time_delta is not a valid uleb128");
  const stored = body.subarray(delta.next);
  const storedOffset = timeDeltaOffset + delta.next;
  const compressed = (flags & FLAG_COMPRESSED) !== 0;

  let layout: LayoutBody;
  switch (code) {
    case RecordCode.metadata:
      if (compressed) {
        layout = { type: "metadata", stored, compressed: compressedPayload(stored, storedOffset, limits.metadataLength, "metadata") };
      } else {
        if (stored.length > limits.metadataLength) {
          throw new TdprError("limit_exceeded", storedOffset, `metadata of ${stored.length} bytes above the limit ${limits.metadataLength}`);
        }
        layout = { type: "metadata", stored, compressed: null };
      }
      break;
    case RecordCode.frame:
      if (compressed) {
        const c = compressedPayload(stored, storedOffset, limits.inflatedLength, "frame");
        if (c.inflatedLength === 0) throw malformed(storedOffset, "frame inflated_length of 0");
        layout = { type: "frame", stored, compressed: c };
      } else {
        if (stored.length === 0) throw malformed(storedOffset, "empty frame");
        layout = { type: "frame", stored, compressed: null };
      }
      break;
    case RecordCode.screenSize: {
      const v = fixedFields(stored, storedOffset, [4, 4], true, "screen_size");
      layout = { type: "screen_size", width: v.getUint32(0, true), height: v.getUint32(4, true) };
      break;
    }
    case RecordCode.frameBatch:
      layout = { type: "frame_batch", table: batchTable(stored, storedOffset, timeDeltaOffset, compressed ? limits.inflatedLength : null) };
      break;
    case RecordCode.event:
      layout = { type: "event", stored };
      break;
    case RecordCode.keyframe: {
      const v = fixedFields(stored, storedOffset, [4, 4], false, "keyframe");
      const png = stored.subarray(8);
      if (png.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((b, i) => png[i] !== b)) {
        throw malformed(storedOffset + 8, "keyframe image does not start with the PNG signature");
      }
      layout = { type: "keyframe", width: v.getUint32(0, true), height: v.getUint32(4, true), png };
      break;
    }
    case RecordCode.index:
      layout = { type: "index", index: new RecordingIndex(stored, storedOffset, limits) };
      break;
    case RecordCode.trailer: {
      const v = fixedFields(stored, storedOffset, [8], true, "trailer");
      layout = { type: "trailer", indexOffset: v.getBigUint64(0, true) };
      break;
    }
    default:
      layout = { type: "unknown", stored };
  }

  // Step 4: metadata, index and trailer are at the clock; a trailer's delta is one byte.
  if (code === RecordCode.metadata || code === RecordCode.index || code === RecordCode.trailer) {
    if (delta.value !== 0n) throw malformed(timeDeltaOffset, `time_delta ${delta.value} on a record that must have 0`);
    if (code === RecordCode.trailer && delta.next !== 1) throw malformed(timeDeltaOffset, "trailer time_delta not the single byte 00");
  }
  return { framed, timeDelta: delta.value, timeDeltaOffset, body: layout };
}
