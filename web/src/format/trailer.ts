/**
 * Finding the index of a finished recording through its trailer (spec/format.md
 * section 9.1, step 3), from the file's last bytes and the bytes before the trailer.
 * Written over byte windows with their file offsets, so that a range-request loader
 * does it with the file's tail and no more.
 */

import { TdprError } from "./errors.js";
import { RECORD_OVERHEAD, bodyLengthAt, frameRecord } from "./framing.js";
import { HEADER_LENGTH } from "./header.js";
import { checkLayout, type RecordLayout } from "./layout.js";
import type { ResolvedOptions } from "./options.js";
import type { RecordingIndex } from "./recording-index.js";
import { RecordCode } from "./records.js";

/** A trailer is always 19 bytes: `84 00 09 00 00 00 00`, index_offset (u64), CRC. */
export const TRAILER_LENGTH = 19;

/** A sound trailer: where it is and where it says the index is. */
export interface TrailerInfo {
  readonly trailerOffset: number;
  readonly indexOffset: number;
}

/** The index of a finished file, checked as 9.1 says. */
export interface IndexInfo extends TrailerInfo {
  readonly layout: RecordLayout;
  readonly index: RecordingIndex;
}

/**
 * Looks at the last 19 bytes of a file of `fileSize` bytes (`last` holds them). Returns
 * null when they are not a trailer (the recording is unfinished); throws when they are
 * one that fails its checks.
 */
export function readTrailer(last: Uint8Array, fileSize: number, options: ResolvedOptions): TrailerInfo | null {
  if (fileSize < HEADER_LENGTH + TRAILER_LENGTH || last.length !== TRAILER_LENGTH) return null;
  const trailerOffset = fileSize - TRAILER_LENGTH;
  if (last[0] !== RecordCode.trailer || last[1] !== 0 || last[2] !== 9 || last[3] !== 0 || last[4] !== 0 || last[5] !== 0) return null;
  let framing;
  try {
    framing = frameRecord(last, 0, TRAILER_LENGTH, trailerOffset, options.limits, true);
  } catch (e) {
    if (e instanceof TdprError && e.errorClass === "checksum_mismatch") return null;
    throw e;
  }
  if (!("record" in framing)) return null;
  const layout = checkLayout(framing.record, options.limits);
  if (layout.body.type !== "trailer") return null;
  const fieldOffset = trailerOffset + 7;
  const indexOffset = layout.body.indexOffset;
  if (indexOffset < BigInt(HEADER_LENGTH) || indexOffset >= BigInt(trailerOffset)) {
    throw new TdprError("bad_index", fieldOffset, `index_offset ${indexOffset} outside [${HEADER_LENGTH}, ${trailerOffset})`);
  }
  return { trailerOffset, indexOffset: Number(indexOffset) };
}

/**
 * Judges where the trailer's `index_offset` leads (9.1 step 3.3) by the six bytes
 * there alone, then frames and checks the index record (step 3.4). `bytes` holds the
 * file from offset `bytesOffset` up to at least the trailer; when the record there
 * would be longer than the record-length limit, its first six bytes are enough.
 */
export function readIndexRecord(
  bytes: Uint8Array,
  bytesOffset: number,
  trailer: TrailerInfo,
  options: ResolvedOptions,
): IndexInfo {
  const { trailerOffset, indexOffset } = trailer;
  const fieldOffset = trailerOffset + 7;
  const pos = indexOffset - bytesOffset;
  if (trailerOffset - indexOffset < 6) {
    throw new TdprError("bad_index", fieldOffset, `index_offset ${indexOffset} leaves fewer than 6 bytes before the trailer`);
  }
  const code = bytes[pos]!;
  if (code !== RecordCode.index) {
    throw new TdprError("bad_index", fieldOffset, `index_offset points at a record of type 0x${code.toString(16).padStart(2, "0")}`);
  }
  const bodyLength = bodyLengthAt(bytes, pos);
  if (indexOffset + RECORD_OVERHEAD + bodyLength !== trailerOffset) {
    throw new TdprError("bad_index", fieldOffset, `an index record of body_length ${bodyLength} at ${indexOffset} does not end where the trailer starts`);
  }
  const framing = frameRecord(bytes, pos, trailerOffset - bytesOffset, indexOffset, options.limits, options.verifyChecksums);
  if (!("record" in framing)) throw new Error("unreachable: the index record ends at the trailer, inside the bytes");
  const layout = checkLayout(framing.record, options.limits);
  if (layout.body.type !== "index") throw new Error("unreachable: an index record's layout is an index");
  return { ...trailer, layout, index: layout.body.index };
}
