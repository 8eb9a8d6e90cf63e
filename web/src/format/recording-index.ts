/**
 * The index record's payload (spec/format.md section 7): totals, the seek table, the
 * event table and the idle table, fixed-size little-endian entries read in place, and
 * the directory that ends a long index (7.4).
 *
 * Construction checks only the sizes and counts of 7.1, which is all a seeking reader
 * needs; agreement with the records is the validator's business (`buildIndex`).
 * Entries are decoded on demand, so a four-million-entry table costs nothing until a
 * binary search touches a few of them.
 */

import { crc32c } from "./crc32c.js";
import { TdprError } from "./errors.js";
import type { Limits } from "./limits.js";

export const INDEX_FIXED_LENGTH = 60;
export const SEEK_ENTRY_LENGTH = 32;
export const EVENT_ENTRY_LENGTH = 20;
export const IDLE_SPAN_LENGTH = 16;
/** `keyframe_entry` when no keyframe precedes an entry. */
export const NO_KEYFRAME = 0xffffffff;
export const SAMPLE_LENGTH = 24;
/** The directory's footer: the header copy, sample_interval, sample_count, CRC, magic. */
export const DIRECTORY_FOOTER_LENGTH = 80;
/** The last 8 bytes of an index payload that ends with a directory: "TDPRDIR" and 0x89. */
export const DIRECTORY_MAGIC = Uint8Array.of(0x54, 0x44, 0x50, 0x52, 0x44, 0x49, 0x52, 0x89);

/** True when `bytes` ends with the directory's magic. */
export function endsWithDirectory(bytes: Uint8Array): boolean {
  if (bytes.length < DIRECTORY_MAGIC.length) return false;
  const tail = bytes.subarray(bytes.length - DIRECTORY_MAGIC.length);
  return DIRECTORY_MAGIC.every((b, i) => tail[i] === b);
}

/** A sample of the directory: a seek entry that is a keyframe or at a multiple of the sample interval. */
export interface Sample {
  readonly timeUs: bigint;
  readonly offset: bigint;
  /** The entry's position in the seek table. */
  readonly entry: number;
  readonly keyframe: boolean;
}

/** The directory of an index (7.4). */
export interface IndexDirectory {
  readonly sampleInterval: number;
  readonly samples: readonly Sample[];
}

/** A seek entry: where a player can start reading records. */
export interface SeekEntry {
  /** The time of the record at `offset`. */
  readonly timeUs: bigint;
  /** The record's offset, as stored (a u64). */
  readonly offset: bigint;
  /** Screen size in effect before that record. */
  readonly width: number;
  readonly height: number;
  /** The record is a keyframe. */
  readonly keyframe: boolean;
  /** Position of the latest keyframe entry at or before this one, or null. */
  readonly keyframeEntry: number | null;
}

/** An event entry: the time, offset and kind of an event record. */
export interface EventEntry {
  readonly timeUs: bigint;
  readonly offset: bigint;
  /** The `EventKind` as an unsigned 32-bit integer. */
  readonly kind: number;
}

/** An idle span: the time before a gap longer than the idle threshold, and after it. */
export interface IdleSpan {
  readonly startUs: bigint;
  readonly endUs: bigint;
}

/** A checked view of an index payload. */
export class RecordingIndex {
  private readonly view: DataView;
  readonly durationUs: bigint;
  readonly recordCount: bigint;
  readonly frameCount: bigint;
  readonly frameBytes: bigint;
  readonly seekIntervalUs: bigint;
  readonly idleThresholdUs: bigint;
  readonly seekCount: number;
  readonly eventCount: number;
  readonly idleCount: number;
  private readonly eventsAt: number;
  private readonly idleAt: number;
  /** The directory, when the index ends with one. */
  readonly directory: IndexDirectory | null;

  /**
   * Checks `payload` (the index record's body after its time_delta, at file offset
   * `payloadOffset`) as section 7.1 says, in its order.
   */
  constructor(
    readonly payload: Uint8Array,
    readonly payloadOffset: number,
    limits: Limits,
  ) {
    if (payload.length < INDEX_FIXED_LENGTH) {
      throw new TdprError("bad_index", payloadOffset, `index payload of ${payload.length} bytes, below ${INDEX_FIXED_LENGTH}`);
    }
    this.view = new DataView(payload.buffer, payload.byteOffset, payload.length);
    const v = this.view;
    const counts = [48, 52, 56].map((at) => {
      const count = v.getUint32(at, true);
      if (count > limits.indexEntries) {
        throw new TdprError("limit_exceeded", payloadOffset + at, `index count ${count} above the limit ${limits.indexEntries}`);
      }
      return count;
    }) as [number, number, number];
    [this.seekCount, this.eventCount, this.idleCount] = counts;
    const expected =
      INDEX_FIXED_LENGTH + SEEK_ENTRY_LENGTH * this.seekCount + EVENT_ENTRY_LENGTH * this.eventCount + IDLE_SPAN_LENGTH * this.idleCount;
    const hasDirectory = payload.length >= expected + DIRECTORY_FOOTER_LENGTH && endsWithDirectory(payload);
    if (payload.length !== expected && !hasDirectory) {
      throw new TdprError("bad_index", payloadOffset + 48, `index payload of ${payload.length} bytes, its counts say ${expected}`);
    }
    this.durationUs = v.getBigUint64(0, true);
    this.recordCount = v.getBigUint64(8, true);
    this.frameCount = v.getBigUint64(16, true);
    this.frameBytes = v.getBigUint64(24, true);
    this.seekIntervalUs = v.getBigUint64(32, true);
    this.idleThresholdUs = v.getBigUint64(40, true);
    this.eventsAt = INDEX_FIXED_LENGTH + SEEK_ENTRY_LENGTH * this.seekCount;
    this.idleAt = this.eventsAt + EVENT_ENTRY_LENGTH * this.eventCount;
    this.directory = hasDirectory ? this.checkDirectory(expected, limits) : null;
  }

  /** The directory after the tables (`tablesLength` bytes), checked in the order of 7.4. */
  private checkDirectory(tablesLength: number, limits: Limits): IndexDirectory {
    const { payload, payloadOffset } = this;
    const v = this.view;
    const footer = payload.length - DIRECTORY_FOOTER_LENGTH;
    for (let i = 0; i < INDEX_FIXED_LENGTH; i++) {
      if (payload[footer + i] !== payload[i]) {
        throw new TdprError("bad_index", payloadOffset + footer + i, "the directory's copy of the index header differs");
      }
    }
    const intervalAt = footer + INDEX_FIXED_LENGTH;
    const sampleInterval = v.getUint32(intervalAt, true);
    const sampleCount = v.getUint32(intervalAt + 4, true);
    const stored = v.getUint32(intervalAt + 8, true);
    if (sampleCount > limits.indexEntries) {
      throw new TdprError("limit_exceeded", payloadOffset + intervalAt + 4, `directory of ${sampleCount} samples above the limit ${limits.indexEntries}`);
    }
    if (payload.length - tablesLength !== DIRECTORY_FOOTER_LENGTH + SAMPLE_LENGTH * sampleCount) {
      throw new TdprError("bad_index", payloadOffset + intervalAt + 4, `a directory of ${sampleCount} samples of another length`);
    }
    if (sampleInterval === 0) throw new TdprError("bad_index", payloadOffset + intervalAt, "the directory's sample interval is 0");
    if (crc32c(payload, this.eventsAt, intervalAt + 8) !== stored) {
      throw new TdprError("bad_index", payloadOffset + intervalAt + 8, "the directory's CRC32C is wrong");
    }
    const samples: Sample[] = [];
    for (let at = tablesLength; at < footer; at += SAMPLE_LENGTH) {
      samples.push({
        timeUs: v.getBigUint64(at, true),
        offset: v.getBigUint64(at + 8, true),
        entry: v.getUint32(at + 16, true),
        keyframe: (v.getUint32(at + 20, true) & 1) === 1,
      });
    }
    return { sampleInterval, samples };
  }

  /** The `time_us` of seek entry `i`, without decoding the rest of it. */
  seekTime(i: number): bigint {
    return this.view.getBigUint64(INDEX_FIXED_LENGTH + SEEK_ENTRY_LENGTH * i, true);
  }

  seekEntry(i: number): SeekEntry {
    if (!(i >= 0 && i < this.seekCount)) throw new RangeError(`seek entry ${i} of ${this.seekCount}`);
    const at = INDEX_FIXED_LENGTH + SEEK_ENTRY_LENGTH * i;
    const v = this.view;
    const keyframeEntry = v.getUint32(at + 28, true);
    return {
      timeUs: v.getBigUint64(at, true),
      offset: v.getBigUint64(at + 8, true),
      width: v.getUint32(at + 16, true),
      height: v.getUint32(at + 20, true),
      keyframe: (v.getUint32(at + 24, true) & 1) === 1,
      keyframeEntry: keyframeEntry === NO_KEYFRAME ? null : keyframeEntry,
    };
  }

  /** File offset of a field of seek entry `i` (for error reports). */
  seekEntryFieldOffset(i: number, field: "time_us" | "offset" | "keyframe_entry"): number {
    const within = { time_us: 0, offset: 8, keyframe_entry: 28 }[field];
    return this.payloadOffset + INDEX_FIXED_LENGTH + SEEK_ENTRY_LENGTH * i + within;
  }

  /** File offset of event entry `i` (its `time_us`), for error reports. */
  eventEntryOffset(i: number): number {
    return this.payloadOffset + this.eventsAt + EVENT_ENTRY_LENGTH * i;
  }

  eventEntry(i: number): EventEntry {
    if (!(i >= 0 && i < this.eventCount)) throw new RangeError(`event entry ${i} of ${this.eventCount}`);
    const at = this.eventsAt + EVENT_ENTRY_LENGTH * i;
    return {
      timeUs: this.view.getBigUint64(at, true),
      offset: this.view.getBigUint64(at + 8, true),
      kind: this.view.getUint32(at + 16, true),
    };
  }

  idleSpan(i: number): IdleSpan {
    if (!(i >= 0 && i < this.idleCount)) throw new RangeError(`idle span ${i} of ${this.idleCount}`);
    const at = this.idleAt + IDLE_SPAN_LENGTH * i;
    return { startUs: this.view.getBigUint64(at, true), endUs: this.view.getBigUint64(at + 8, true) };
  }

  /** Position of the last seek entry with `time_us` ≤ `t` (binary search), or -1. */
  lastEntryAtOrBefore(t: bigint): number {
    let lo = 0;
    let hi = this.seekCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seekTime(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}
