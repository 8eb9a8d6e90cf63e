/**
 * Records read forward from an offset through a range cache: each record is framed
 * from its 6-byte prefix (the record-length limit is checked before its body is asked
 * for), then fetched whole and checked as the whole-file reader checks it. The cache
 * fetches in chunks of `readAhead` bytes, so a forward walk costs one request a chunk.
 */

import { TdprError } from "../format/errors.js";
import { frameRecord } from "../format/framing.js";
import type { ResolvedOptions } from "../format/options.js";
import { frameNext, parseFramedRecord } from "../format/reader.js";
import type { TdprRecord } from "../format/records.js";
import type { RecordSequence } from "../format/sequence.js";
import type { RangeCache } from "./range-cache.js";

export class RecordStream {
  private done = false;

  constructor(
    private readonly cache: RangeCache,
    private pos: number,
    private readonly sequence: RecordSequence,
    private readonly options: ResolvedOptions,
    private readonly readAhead: number,
  ) {}

  /** Offset of the next record. */
  get offset(): number {
    return this.pos;
  }

  /** The clock after the last record read. */
  get clockUs(): bigint {
    return this.sequence.clockUs;
  }

  /**
   * The next record, or null at the end of the file (a finished file ends after its
   * trailer). Throws the first fault as a `TdprError`; after it, returns null.
   */
  async next(): Promise<TdprRecord | null> {
    if (this.done) return null;
    const remaining = this.cache.size - this.pos;
    if (remaining === 0) {
      this.done = true;
      return null;
    }
    try {
      const { limits, verifyChecksums } = this.options;
      let bytes = await this.cache.read(this.pos, Math.min(6, remaining), this.readAhead);
      let framing = frameNext(this.sequence, () => frameRecord(bytes, 0, bytes.length, this.pos, limits, verifyChecksums));
      if ("needed" in framing && framing.needed <= remaining) {
        bytes = await this.cache.read(this.pos, framing.needed, this.readAhead);
        framing = frameNext(this.sequence, () => frameRecord(bytes, 0, bytes.length, this.pos, limits, verifyChecksums));
      }
      if (!("record" in framing)) throw this.sequence.framingFault(new TdprError("truncated", this.pos, "the file ends inside a record"));
      const record = parseFramedRecord(framing.record, this.sequence, this.options);
      this.pos += framing.record.size;
      return record;
    } catch (e) {
      this.done = true;
      throw e;
    }
  }
}
