/**
 * Steps 5 and 6 of the per-record checks (spec/format.md section 8): the order rules
 * (metadata first and once, index then trailer, nothing after the trailer, the
 * trailer pointing at the index before it) and the clock, which gives every record
 * (and every frame of a batch) its time and refuses times above 2^63 − 1.
 */

import { TdprError } from "./errors.js";
import type { RecordLayout } from "./layout.js";
import { RecordCode } from "./records.js";

export const MAX_TIME_US = (1n << 63n) - 1n;

/** Where the previous record leaves the order rules. */
type Previous = "nothing" | "metadata_or_content" | "index" | "trailer";

/** The times a record gets. */
export interface PlacedTimes {
  readonly timeUs: bigint;
  /** The clock after the record. */
  readonly endTimeUs: bigint;
  /** For a frame batch, each frame's time; empty otherwise. */
  readonly frameTimes: readonly bigint[];
}

/** The order and clock state of a reader going through records in file order. */
export class RecordSequence {
  private previous: Previous;
  private clock: bigint | null;
  private indexOffset = -1;
  private readonly resumeEntryOffset: number;
  private readonly resumeTimeUs: bigint;

  private constructor(previous: Previous, clock: bigint | null, resumeTimeUs: bigint, resumeEntryOffset: number) {
    this.previous = previous;
    this.clock = clock;
    this.resumeTimeUs = resumeTimeUs;
    this.resumeEntryOffset = resumeEntryOffset;
  }

  /** A sequence that starts at offset 20, with the metadata. */
  static fromStart(): RecordSequence {
    return new RecordSequence("nothing", 0n, 0n, -1);
  }

  /**
   * A sequence that starts at a content record whose time an index entry states
   * (spec 7.2): the clock before it is that time minus the record's own time_delta.
   * `entryOffset` is the file offset of the entry, a seek or an event entry: both
   * start with `time_us`, then `offset` (7.1). A time_delta above the stated time is
   * `bad_index` at `time_us`; a record that does not frame there, at `offset`
   * (`framingFault`).
   */
  static resumeAt(timeUs: bigint, entryOffset: number): RecordSequence {
    return new RecordSequence("metadata_or_content", null, timeUs, entryOffset);
  }

  /** True once a trailer was placed: the recording is finished. */
  get finished(): boolean {
    return this.previous === "trailer";
  }

  /** The clock after the last record placed. */
  get clockUs(): bigint {
    return this.clock ?? this.resumeTimeUs;
  }

  /**
   * What a framing fault (4.1) of the next record is: the fault itself, except at the
   * first record read from an index entry, which the entry says frames there (7.2):
   * then the entry is at fault, `bad_index` at its `offset` field.
   */
  framingFault(fault: TdprError): TdprError {
    if (this.clock !== null) return fault;
    return new TdprError("bad_index", this.resumeEntryOffset + 8, `the index entry points at bytes that are not a record (${fault.message})`);
  }

  /** Checks a record's place and time, and moves past it. */
  place(layout: RecordLayout): PlacedTimes {
    const { code, offset } = layout.framed;
    this.checkOrder(layout);
    if (this.clock === null) {
      if (layout.timeDelta > this.resumeTimeUs) {
        throw new TdprError("bad_index", this.resumeEntryOffset, "the index entry's time is below the time_delta of the record it points at");
      }
      this.clock = this.resumeTimeUs - layout.timeDelta;
    }
    const timeUs = this.clock + layout.timeDelta;
    if (timeUs > MAX_TIME_US) throw new TdprError("time_overflow", layout.timeDeltaOffset, `time ${timeUs} µs`);
    let endTimeUs = timeUs;
    const frameTimes: bigint[] = [];
    if (layout.body.type === "frame_batch") {
      const { deltas, deltaOffsets } = layout.body.table;
      for (let i = 0; i < deltas.length; i++) {
        endTimeUs += deltas[i]!;
        if (endTimeUs > MAX_TIME_US) throw new TdprError("time_overflow", deltaOffsets[i]!, `frame ${i} time ${endTimeUs} µs`);
        frameTimes.push(endTimeUs);
      }
    }
    this.clock = endTimeUs;
    this.previous =
      code === RecordCode.index ? "index" : code === RecordCode.trailer ? "trailer" : "metadata_or_content";
    if (code === RecordCode.index) this.indexOffset = offset;
    return { timeUs, endTimeUs, frameTimes };
  }

  private checkOrder(layout: RecordLayout): void {
    const { code, offset } = layout.framed;
    const misplaced = (why: string) => new TdprError("misplaced_record", offset, why);
    switch (this.previous) {
      case "nothing":
        if (code !== RecordCode.metadata) throw misplaced("the first record is not the metadata");
        return;
      case "trailer":
        throw misplaced("a record after the trailer");
      case "index":
        if (code !== RecordCode.trailer) throw misplaced("a record between the index and the trailer");
        break;
      case "metadata_or_content":
        if (code === RecordCode.metadata) throw misplaced("a second metadata record");
        if (code === RecordCode.trailer) throw misplaced("a trailer without an index before it");
        break;
    }
    if (layout.body.type === "trailer" && layout.body.indexOffset !== BigInt(this.indexOffset)) {
      throw new TdprError("bad_index", layout.timeDeltaOffset + 1, `trailer points at ${layout.body.indexOffset}, the index is at ${this.indexOffset}`);
    }
  }
}
