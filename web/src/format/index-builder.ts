/**
 * Building the index from the records (spec/format.md section 7.3, normative): a pure
 * function of the content records and its parameters, so a validator rebuilds it and
 * compares it with the stored one byte for byte, its directory (7.4) included.
 */

import { crc32c } from "./crc32c.js";
import type { Metadata } from "./messages.js";
import {
  DIRECTORY_FOOTER_LENGTH,
  DIRECTORY_MAGIC,
  SAMPLE_LENGTH,
  EVENT_ENTRY_LENGTH,
  IDLE_SPAN_LENGTH,
  INDEX_FIXED_LENGTH,
  NO_KEYFRAME,
  SEEK_ENTRY_LENGTH,
} from "./recording-index.js";
import type { TdprRecord } from "./records.js";

interface BuiltSeekEntry {
  timeUs: bigint;
  offset: number;
  width: number;
  height: number;
  keyframe: boolean;
  keyframeEntry: number;
}

/** Feeds on content records in file order; `payload()` is the index record's payload. */
export class IndexBuilder {
  private width: number;
  private height: number;
  private recordCount = 1n;
  private durationUs = 0n;
  private frameCount = 0n;
  private frameBytes = 0n;
  private previousTime: bigint | null = null;
  private lastEntryTime: bigint | null = null;
  private lastKeyframe = NO_KEYFRAME;
  private readonly seek: BuiltSeekEntry[] = [];
  private readonly events: { timeUs: bigint; offset: number; kind: number }[] = [];
  private readonly idle: { startUs: bigint; endUs: bigint }[] = [];

  constructor(
    metadata: Metadata,
    private readonly seekIntervalUs: bigint,
    private readonly idleThresholdUs: bigint,
    /** The directory's sample interval, or null for an index without a directory. */
    private readonly sampleInterval: number | null = null,
  ) {
    this.width = metadata.screenWidth;
    this.height = metadata.screenHeight;
  }

  /** Adds one content record (any record after the metadata and before the index). */
  add(record: TdprRecord): void {
    const t = record.timeUs;
    this.recordCount += 1n;
    if (this.previousTime !== null && t - this.previousTime > this.idleThresholdUs) {
      this.idle.push({ startUs: this.previousTime, endUs: t });
    }
    const keyframe = record.type === "keyframe";
    if (keyframe || this.lastEntryTime === null || t - this.lastEntryTime >= this.seekIntervalUs) {
      const position = this.seek.length;
      this.seek.push({
        timeUs: t,
        offset: record.offset,
        width: this.width,
        height: this.height,
        keyframe,
        keyframeEntry: keyframe ? position : this.lastKeyframe,
      });
      if (keyframe) this.lastKeyframe = position;
      this.lastEntryTime = t;
    }
    switch (record.type) {
      case "screen_size":
        this.width = record.width;
        this.height = record.height;
        break;
      case "frame":
        this.frameCount += 1n;
        this.frameBytes += BigInt(record.message.length);
        break;
      case "event":
        this.events.push({ timeUs: t, offset: record.offset, kind: record.event.kind >>> 0 });
        break;
      case "frame_batch": {
        let q = t;
        for (const frame of record.frames) {
          if (frame.timeUs - q > this.idleThresholdUs) this.idle.push({ startUs: q, endUs: frame.timeUs });
          this.frameCount += 1n;
          this.frameBytes += BigInt(frame.message.length);
          q = frame.timeUs;
        }
        break;
      }
      default:
        break;
    }
    this.previousTime = record.endTimeUs;
    this.durationUs = record.endTimeUs;
  }

  /** The index payload these records give. */
  payload(): Uint8Array {
    const tables =
      INDEX_FIXED_LENGTH + SEEK_ENTRY_LENGTH * this.seek.length + EVENT_ENTRY_LENGTH * this.events.length + IDLE_SPAN_LENGTH * this.idle.length;
    const interval = this.sampleInterval;
    const sampled = interval === null ? [] : this.seek.map((e, position) => ({ e, position })).filter(({ e, position }) => e.keyframe || position % interval === 0);
    const length = tables + (interval === null ? 0 : SAMPLE_LENGTH * sampled.length + DIRECTORY_FOOTER_LENGTH);
    const out = new Uint8Array(length);
    const v = new DataView(out.buffer);
    v.setBigUint64(0, this.durationUs, true);
    v.setBigUint64(8, this.recordCount, true);
    v.setBigUint64(16, this.frameCount, true);
    v.setBigUint64(24, this.frameBytes, true);
    v.setBigUint64(32, this.seekIntervalUs, true);
    v.setBigUint64(40, this.idleThresholdUs, true);
    v.setUint32(48, this.seek.length, true);
    v.setUint32(52, this.events.length, true);
    v.setUint32(56, this.idle.length, true);
    let at = INDEX_FIXED_LENGTH;
    for (const e of this.seek) {
      v.setBigUint64(at, e.timeUs, true);
      v.setBigUint64(at + 8, BigInt(e.offset), true);
      v.setUint32(at + 16, e.width, true);
      v.setUint32(at + 20, e.height, true);
      v.setUint32(at + 24, e.keyframe ? 1 : 0, true);
      v.setUint32(at + 28, e.keyframeEntry, true);
      at += SEEK_ENTRY_LENGTH;
    }
    for (const e of this.events) {
      v.setBigUint64(at, e.timeUs, true);
      v.setBigUint64(at + 8, BigInt(e.offset), true);
      v.setUint32(at + 16, e.kind, true);
      at += EVENT_ENTRY_LENGTH;
    }
    for (const s of this.idle) {
      v.setBigUint64(at, s.startUs, true);
      v.setBigUint64(at + 8, s.endUs, true);
      at += IDLE_SPAN_LENGTH;
    }
    if (interval === null) return out;
    for (const { e, position } of sampled) {
      v.setBigUint64(at, e.timeUs, true);
      v.setBigUint64(at + 8, BigInt(e.offset), true);
      v.setUint32(at + 16, position, true);
      v.setUint32(at + 20, e.keyframe ? 1 : 0, true);
      at += SAMPLE_LENGTH;
    }
    out.copyWithin(at, 0, INDEX_FIXED_LENGTH);
    at += INDEX_FIXED_LENGTH;
    v.setUint32(at, interval, true);
    v.setUint32(at + 4, sampled.length, true);
    v.setUint32(at + 8, crc32c(out, INDEX_FIXED_LENGTH + SEEK_ENTRY_LENGTH * this.seek.length, at + 8), true);
    out.set(DIRECTORY_MAGIC, at + 12);
    return out;
  }
}
