/**
 * Reading a recording held whole in memory (spec/format.md sections 9.1 and 9.2):
 * opening it (header, metadata, trailer and index, without reading a frame) and
 * iterating its records from offset 20 or from a seek entry's offset.
 */

import { TdprError } from "./errors.js";
import { frameRecord, type FramedRecord, type Framing } from "./framing.js";
import { HEADER_LENGTH, parseHeader, type FileHeader } from "./header.js";
import { checkLayout } from "./layout.js";
import type { Metadata } from "./messages.js";
import { resolveOptions, type ReadOptions, type ResolvedOptions } from "./options.js";
import { completeRecord } from "./payloads.js";
import type { MetadataRecord, TdprRecord } from "./records.js";
import type { RecordingIndex } from "./recording-index.js";
import type { SeekStart } from "./seek.js";
import { RecordSequence } from "./sequence.js";
import { TRAILER_LENGTH, readIndexRecord, readTrailer, type IndexInfo } from "./trailer.js";

/** Steps 2 to 7 of section 8 for a framed record, in the sequence it belongs to. */
export function parseFramedRecord(framed: FramedRecord, sequence: RecordSequence, options: ResolvedOptions): TdprRecord {
  const layout = checkLayout(framed, options.limits);
  return completeRecord(layout, sequence.place(layout));
}

/** Frames the next record of `sequence`, a fault reported as `RecordSequence.framingFault` says. */
export function frameNext(sequence: RecordSequence, frame: () => Framing): Framing {
  try {
    return frame();
  } catch (e) {
    throw e instanceof TdprError ? sequence.framingFault(e) : e;
  }
}

/** How an iteration ended without a fault. */
export interface IterationEnd {
  /** True when the trailer was read. */
  readonly finished: boolean;
  /** The end offset: the file size. */
  readonly offset: number;
}

/**
 * The records of a whole input, one after the other, each framed and checked. The
 * first fault is thrown as a `TdprError`; after it, and after the end, the iterator
 * is done.
 */
export class RecordIterator implements IterableIterator<TdprRecord> {
  private pos: number;
  private done = false;
  private ended: IterationEnd | null = null;

  /**
   * @param bytes the whole file
   * @param start the offset of the first record to read: 20, or a seek entry's offset
   * @param sequence `RecordSequence.fromStart()` at 20, or one resumed at the entry
   */
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly sequence: RecordSequence,
    private readonly options: ResolvedOptions,
  ) {
    this.pos = start;
  }

  /** How the iteration ended, once it has ended without a fault. */
  get end(): IterationEnd | null {
    return this.ended;
  }

  [Symbol.iterator](): IterableIterator<TdprRecord> {
    return this;
  }

  next(): IteratorResult<TdprRecord> {
    if (this.done) return { done: true, value: undefined };
    if (this.pos === this.bytes.length) {
      this.done = true;
      this.ended = { finished: this.sequence.finished, offset: this.pos };
      return { done: true, value: undefined };
    }
    try {
      const framing = frameNext(this.sequence, () =>
        frameRecord(this.bytes, this.pos, this.bytes.length, this.pos, this.options.limits, this.options.verifyChecksums),
      );
      if (!("record" in framing)) throw this.sequence.framingFault(new TdprError("truncated", this.pos, "the input ends inside a record"));
      const record = parseFramedRecord(framing.record, this.sequence, this.options);
      this.pos += framing.record.size;
      return { done: false, value: record };
    } catch (e) {
      this.done = true;
      throw e;
    }
  }
}

/** What opening a whole file finds (9.1). */
export interface OpenedFile {
  readonly header: FileHeader;
  readonly metadataRecord: MetadataRecord;
  readonly metadata: Metadata;
  /** The index of a finished file, or null for an unfinished one. */
  readonly index: IndexInfo | null;
}

/** Reads and checks the metadata record at offset 20 (9.1 step 2). */
export function readMetadataRecord(bytes: Uint8Array, bytesOffset: number, end: number, options: ResolvedOptions): MetadataRecord {
  const pos = HEADER_LENGTH - bytesOffset;
  const framing = frameRecord(bytes, pos, end, HEADER_LENGTH, options.limits, options.verifyChecksums);
  if (!("record" in framing)) throw new TdprError("truncated", HEADER_LENGTH, "the input ends inside the first record");
  const record = parseFramedRecord(framing.record, RecordSequence.fromStart(), options);
  if (record.type !== "metadata") throw new Error("unreachable: the sequence admits only metadata first");
  return record;
}

/** Opens a recording held whole in memory (9.1). Throws the first fault. */
export function openFile(bytes: Uint8Array, readOptions?: ReadOptions): OpenedFile {
  const options = resolveOptions(readOptions);
  const header = parseHeader(bytes);
  const metadataRecord = readMetadataRecord(bytes, 0, bytes.length, options);
  const trailer = bytes.length >= TRAILER_LENGTH ? readTrailer(bytes.subarray(bytes.length - TRAILER_LENGTH), bytes.length, options) : null;
  const index = trailer === null ? null : readIndexRecord(bytes, 0, trailer, options);
  return { header, metadataRecord, metadata: metadataRecord.metadata, index };
}

/**
 * Iterates the records of a whole file from a seek start (7.2): the clock before the
 * first record is the entry's time minus that record's time_delta.
 */
export function iterateFrom(bytes: Uint8Array, index: RecordingIndex, start: SeekStart, readOptions?: ReadOptions): RecordIterator {
  const sequence = RecordSequence.resumeAt(start.entry.timeUs, index.seekEntryFieldOffset(start.position, "time_us"));
  return new RecordIterator(bytes, start.offset, sequence, resolveOptions(readOptions));
}

/** Iterates every record of a whole file from offset 20. */
export function iterateRecords(bytes: Uint8Array, readOptions?: ReadOptions): RecordIterator {
  return new RecordIterator(bytes, HEADER_LENGTH, RecordSequence.fromStart(), resolveOptions(readOptions));
}
