/**
 * Opening a recording from any byte source and reading it as a player needs it
 * (spec/format.md 9.1 and 7.2): the header, metadata, trailer and index from the first
 * and last 64 KiB (one more read when the index or the metadata is larger), then, to
 * show time t, the records from the keyframe at or before t on, fetched in chunks as
 * playback asks for them. Nothing else is read. A recording without a trailer
 * (unfinished, or still being written) opens too, and plays from its start.
 */

import { TdprError } from "../format/errors.js";
import { RECORD_OVERHEAD, frameRecord } from "../format/framing.js";
import { HEADER_LENGTH, parseHeader, type FileHeader } from "../format/header.js";
import type { Metadata } from "../format/messages.js";
import { resolveOptions, type ReadOptions, type ResolvedOptions } from "../format/options.js";
import { parseFramedRecord } from "../format/reader.js";
import type { RecordingIndex } from "../format/recording-index.js";
import type { TdprRecord } from "../format/records.js";
import { seekStart, type SeekStart } from "../format/seek.js";
import { RecordSequence } from "../format/sequence.js";
import { TRAILER_LENGTH, readIndexRecord, readTrailer, type IndexInfo } from "../format/trailer.js";
import type { ByteSource } from "./byte-source.js";
import { RangeCache, type RangeCacheOptions } from "./range-cache.js";
import { RecordStream } from "./record-stream.js";

export interface OpenOptions extends ReadOptions, RangeCacheOptions {
  /** Bytes read from the start and from the end at open (default 64 KiB each). */
  readonly window?: number;
  /** Bytes fetched at a time while playing (default 512 KiB). */
  readonly readAhead?: number;
}

/**
 * Where to read to show a time: from the seek start's record up to `until`, the offset
 * of the first seek entry after the time (or the index): every record at or before the
 * time starts before it, so the player needs these bytes and no others.
 */
export interface SeekPlan extends SeekStart {
  readonly until: number;
}

export class Recording {
  private constructor(
    readonly cache: RangeCache,
    readonly header: FileHeader,
    readonly metadata: Metadata,
    /** The trailer and index of a finished recording; null for an unfinished one. */
    readonly indexInfo: IndexInfo | null,
    private readonly options: ResolvedOptions,
    private readonly readAhead: number,
  ) {}

  /** Opens a recording: header, metadata, trailer and index, and no frame. */
  static async open(source: ByteSource, openOptions: OpenOptions = {}): Promise<Recording> {
    const options = resolveOptions(openOptions);
    const cache = source instanceof RangeCache ? source : new RangeCache(source, openOptions);
    const window = openOptions.window ?? 65536;
    const size = cache.size;
    const tailStart = Math.max(0, size - window);
    const [head, tail] = await Promise.all([cache.read(0, Math.min(window, size)), cache.read(tailStart, size - tailStart)]);

    const header = parseHeader(head);
    // The first record: from the head window, or read again once its length is known.
    let first = frameRecord(head, HEADER_LENGTH, head.length, HEADER_LENGTH, options.limits, options.verifyChecksums);
    while ("needed" in first) {
      if (HEADER_LENGTH + first.needed > size) throw new TdprError("truncated", HEADER_LENGTH, "the file ends inside the first record");
      const bytes = await cache.read(HEADER_LENGTH, first.needed);
      first = frameRecord(bytes, 0, bytes.length, HEADER_LENGTH, options.limits, options.verifyChecksums);
    }
    const metadataRecord = parseFramedRecord(first.record, RecordSequence.fromStart(), options);
    if (metadataRecord.type !== "metadata") throw new Error("unreachable: the sequence admits only metadata first");

    let indexInfo: IndexInfo | null = null;
    const trailer = size >= TRAILER_LENGTH ? readTrailer(tail.subarray(tail.length - TRAILER_LENGTH), size, options) : null;
    if (trailer) {
      if (trailer.indexOffset >= tailStart) {
        indexInfo = readIndexRecord(tail, tailStart, trailer, options);
      } else {
        // An index record longer than the record-length limit is refused by its first
        // six bytes (9.1 steps 3.3 and 3.4), so a lying index_offset far back in a large
        // file costs six bytes, not the whole distance.
        const distance = trailer.trailerOffset - trailer.indexOffset;
        const bytes = await cache.read(trailer.indexOffset, distance > RECORD_OVERHEAD + options.limits.recordLength ? 6 : distance);
        indexInfo = readIndexRecord(bytes, trailer.indexOffset, trailer, options);
      }
    }
    return new Recording(cache, header, metadataRecord.metadata, indexInfo, options, openOptions.readAhead ?? 512 * 1024);
  }

  get size(): number {
    return this.cache.size;
  }

  get index(): RecordingIndex | null {
    return this.indexInfo?.index ?? null;
  }

  /** True when the file has a trailer and an index. */
  get finished(): boolean {
    return this.indexInfo !== null;
  }

  /** The duration from the index; null for an unfinished recording (known only by reading it). */
  get durationUs(): bigint | null {
    return this.indexInfo?.index.durationUs ?? null;
  }

  /** Where to read to show time `t` (7.2), or null for an unfinished recording (read from its start). */
  seek(t: bigint): SeekPlan | null {
    if (!this.indexInfo) return null;
    const { index, indexOffset } = this.indexInfo;
    const start = seekStart(index, t, indexOffset);
    if (start === null) return null;
    const next = index.lastEntryAtOrBefore(t) + 1;
    const until = next > 0 && next < index.seekCount ? Number(index.seekEntry(next).offset) : indexOffset;
    if (!(until > start.offset && until <= indexOffset)) {
      throw new TdprError("bad_index", index.seekEntryFieldOffset(next, "offset"), "seek entries out of file order");
    }
    return { ...start, until };
  }

  /** Fetches the bytes a seek plan needs, in one read. */
  async prefetch(plan: SeekPlan): Promise<void> {
    await this.cache.read(plan.offset, plan.until - plan.offset);
  }

  /**
   * Records from a seek start on (from the metadata at offset 20 when `start` is
   * null), read as needed.
   */
  recordsFrom(start: SeekStart | null): RecordStream {
    if (start === null) return new RecordStream(this.cache, HEADER_LENGTH, RecordSequence.fromStart(), this.options, this.readAhead);
    const index = this.indexInfo!.index;
    const sequence = RecordSequence.resumeAt(start.entry.timeUs, index.seekEntryFieldOffset(start.position, "time_us"));
    return new RecordStream(this.cache, start.offset, sequence, this.options, this.readAhead);
  }

  /**
   * One record at `offset` whose time the index states (an event entry's or a seek
   * entry's, the entry at file offset `entryOffset`), fetched alone: an event's
   * details, a keyframe for a thumbnail. `readAhead` is how many bytes to fetch at once
   * (a good guess at the record's size makes it one request).
   */
  async readRecordAt(offset: number, timeUs: bigint, entryOffset: number, readAhead: number): Promise<TdprRecord> {
    const stream = new RecordStream(this.cache, offset, RecordSequence.resumeAt(timeUs, entryOffset), this.options, readAhead);
    const record = await stream.next();
    if (record === null) throw new TdprError("bad_index", entryOffset + 8, "the index points at the end of the file");
    return record;
  }
}

/** Opens a recording from a byte source (see `Recording.open`). */
export function openRecording(source: ByteSource, options?: OpenOptions): Promise<Recording> {
  return Recording.open(source, options);
}
