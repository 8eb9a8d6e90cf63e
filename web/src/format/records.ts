/**
 * The records a reader hands out (spec/format.md sections 4.2 and 5), one interface a
 * type, with their times. Byte payloads are views into the bytes they were read from,
 * except inflated ones.
 */

import type { Metadata, SessionEvent } from "./messages.js";
import type { RecordingIndex } from "./recording-index.js";

/** The record type codes of spec/format.md 4.2. */
export const RecordCode = {
  metadata: 0x01,
  frame: 0x02,
  screenSize: 0x03,
  frameBatch: 0x04,
  event: 0x81,
  keyframe: 0x82,
  index: 0x83,
  trailer: 0x84,
  /** Signing records (spec/signing.md): named, but opaque here, as unknown ancillary types are (5.10). */
  checkpoint: 0x85,
  excerptProof: 0x86,
} as const;

/** Flag bit 0: the payload is compressed (section 6). */
export const FLAG_COMPRESSED = 0x01;

/** Types with bit 7 clear stop a reader that does not know them. */
export function isCritical(code: number): boolean {
  return code < 0x80;
}

/** What every record has. */
export interface RecordHead {
  /** Offset of the record in the file. */
  readonly offset: number;
  /** The type byte. */
  readonly code: number;
  /** The flags byte. */
  readonly flags: number;
  /** The record's time, µs since the session start (a frame batch's: its first frame's). */
  readonly timeUs: bigint;
  /** The clock after the record: its time, or a frame batch's last frame time. */
  readonly endTimeUs: bigint;
  /** Total bytes of the record, frame included. */
  readonly size: number;
}

export interface MetadataRecord extends RecordHead {
  readonly type: "metadata";
  readonly metadata: Metadata;
}

export interface FrameRecord extends RecordHead {
  readonly type: "frame";
  /** The TDP message, after decompression. */
  readonly message: Uint8Array;
}

/** One frame of a frame batch. */
export interface BatchFrame {
  readonly timeUs: bigint;
  /** The TDP message, read in place. */
  readonly message: Uint8Array;
}

export interface FrameBatchRecord extends RecordHead {
  readonly type: "frame_batch";
  readonly frames: readonly BatchFrame[];
}

export interface ScreenSizeRecord extends RecordHead {
  readonly type: "screen_size";
  readonly width: number;
  readonly height: number;
}

export interface EventRecord extends RecordHead {
  readonly type: "event";
  readonly event: SessionEvent;
}

export interface KeyframeRecord extends RecordHead {
  readonly type: "keyframe";
  readonly width: number;
  readonly height: number;
  /** A PNG image of the whole screen. */
  readonly png: Uint8Array;
}

export interface IndexRecord extends RecordHead {
  readonly type: "index";
  readonly index: RecordingIndex;
}

export interface TrailerRecord extends RecordHead {
  readonly type: "trailer";
  readonly indexOffset: bigint;
}

/** An ancillary record of a type this version does not know, or a signing record (section 5.10): opaque. */
export interface UnknownRecord extends RecordHead {
  readonly type: "unknown";
  /** The payload after time_delta, as stored. */
  readonly payload: Uint8Array;
}

export type TdprRecord =
  | MetadataRecord
  | FrameRecord
  | FrameBatchRecord
  | ScreenSizeRecord
  | EventRecord
  | KeyframeRecord
  | IndexRecord
  | TrailerRecord
  | UnknownRecord;

/** The name of a type code as spec/json.md prints it. */
export function recordTypeName(code: number): string {
  switch (code) {
    case RecordCode.metadata: return "metadata";
    case RecordCode.frame: return "frame";
    case RecordCode.screenSize: return "screen_size";
    case RecordCode.frameBatch: return "frame_batch";
    case RecordCode.event: return "event";
    case RecordCode.keyframe: return "keyframe";
    case RecordCode.index: return "index";
    case RecordCode.trailer: return "trailer";
    case RecordCode.checkpoint: return "checkpoint";
    case RecordCode.excerptProof: return "excerpt_proof";
    default: return `unknown(0x${code.toString(16).padStart(2, "0")})`;
  }
}
