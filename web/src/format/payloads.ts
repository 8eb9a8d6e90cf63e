/**
 * Step 7 of the per-record checks (spec/format.md section 8), done last: inflating a
 * compressed payload (section 6) and decoding the metadata and event protobufs (5.1,
 * 5.4). Turns a checked, placed record into the record a reader hands out.
 */

import { malformed } from "./errors.js";
import { inflateExact } from "./inflate.js";
import type { CompressedPayload, RecordLayout } from "./layout.js";
import { decodeEvent, decodeMetadata } from "./messages.js";
import { ProtobufFault } from "./protobuf.js";
import type { BatchFrame, RecordHead, TdprRecord } from "./records.js";
import type { PlacedTimes } from "./sequence.js";

function inflated(c: CompressedPayload): Uint8Array {
  const out = inflateExact(c.data, c.inflatedLength);
  if (out === null) throw malformed(c.dataOffset, `compressed payload does not inflate to exactly ${c.inflatedLength} bytes ending with its data`);
  return out;
}

function protobuf<T>(offset: number, what: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof ProtobufFault) throw malformed(offset, `${what} protobuf: ${e.message}`);
    throw e;
  }
}

/** Inflates and decodes what the record needs, and returns it with its times. */
export function completeRecord(layout: RecordLayout, times: PlacedTimes): TdprRecord {
  const { framed, body } = layout;
  const head: RecordHead = {
    offset: framed.offset,
    code: framed.code,
    flags: framed.flags,
    timeUs: times.timeUs,
    endTimeUs: times.endTimeUs,
    size: framed.size,
  };
  switch (body.type) {
    case "metadata": {
      const payload = body.compressed ? inflated(body.compressed) : body.stored;
      return { ...head, type: "metadata", metadata: protobuf(framed.offset, "metadata", () => decodeMetadata(payload)) };
    }
    case "frame":
      return { ...head, type: "frame", message: body.compressed ? inflated(body.compressed) : body.stored };
    case "frame_batch": {
      const { lengths, stored, compressed } = body.table;
      const messages = compressed ? inflated(compressed) : stored;
      let at = 0;
      const frames: BatchFrame[] = lengths.map((length, i) => {
        const message = messages.subarray(at, at + length);
        at += length;
        return { timeUs: times.frameTimes[i]!, message };
      });
      return { ...head, type: "frame_batch", frames };
    }
    case "screen_size":
      return { ...head, type: "screen_size", width: body.width, height: body.height };
    case "event":
      return { ...head, type: "event", event: protobuf(framed.offset, "event", () => decodeEvent(body.stored)) };
    case "keyframe":
      return { ...head, type: "keyframe", width: body.width, height: body.height, png: body.png };
    case "index":
      return { ...head, type: "index", index: body.index };
    case "trailer":
      return { ...head, type: "trailer", indexOffset: body.indexOffset };
    case "unknown":
      return { ...head, type: "unknown", payload: body.stored };
  }
}
