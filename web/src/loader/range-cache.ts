/**
 * A bounded cache of byte ranges in front of a source, so that playing forward fetches
 * each byte once, in chunks of at least `readAhead`, and going back a little refetches
 * nothing. Ranges are evicted least recently used first once they hold more than
 * `maxBytes`.
 */

import { concatBytes } from "../format/bytes.js";
import { checkRange, type ByteSource } from "./byte-source.js";

interface CachedRange {
  readonly offset: number;
  readonly bytes: Uint8Array;
  lastUse: number;
}

export interface RangeCacheOptions {
  /** Bytes kept at most (default 64 MiB); a single read may exceed it for as long as it is used. */
  readonly maxBytes?: number;
}

export class RangeCache implements ByteSource {
  readonly size: number;
  private readonly ranges: CachedRange[] = [];
  private held = 0;
  private clock = 0;
  private readonly maxBytes: number;

  constructor(
    readonly source: ByteSource,
    options: RangeCacheOptions = {},
  ) {
    this.size = source.size;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Bytes held now. */
  get heldBytes(): number {
    return this.held;
  }

  private containing(offset: number): CachedRange | undefined {
    return this.ranges.find((r) => offset >= r.offset && offset < r.offset + r.bytes.length);
  }

  /** Start of the first cached range that begins after `offset`, or the size. */
  private nextCachedStart(offset: number): number {
    let next = this.size;
    for (const r of this.ranges) if (r.offset > offset && r.offset < next) next = r.offset;
    return next;
  }

  /**
   * The bytes `[offset, offset + length)`, from cached ranges where they are. Each gap
   * is fetched in one request; the last gap's request goes on for `readAhead` bytes
   * (not past the next cached range, nor past the end), so that the next reads of a
   * forward walk are served here. A result spanning several ranges is a copy.
   */
  async read(offset: number, length: number, readAhead = 0): Promise<Uint8Array> {
    checkRange(this, offset, length);
    const end = offset + length;
    const parts: Uint8Array[] = [];
    let pos = offset;
    while (pos < end) {
      const cached = this.containing(pos);
      if (cached) {
        cached.lastUse = ++this.clock;
        const upTo = Math.min(end, cached.offset + cached.bytes.length);
        parts.push(cached.bytes.subarray(pos - cached.offset, upTo - cached.offset));
        pos = upTo;
        continue;
      }
      const nextCached = this.nextCachedStart(pos);
      const fetchEnd = end <= nextCached ? Math.max(end, Math.min(pos + readAhead, nextCached)) : nextCached;
      const fetched = await this.source.read(pos, fetchEnd - pos);
      this.insert({ offset: pos, bytes: fetched, lastUse: ++this.clock });
      const upTo = Math.min(end, fetchEnd);
      parts.push(fetched.subarray(0, upTo - pos));
      pos = upTo;
    }
    return parts.length === 1 ? parts[0]! : concatBytes(parts);
  }

  private insert(range: CachedRange): void {
    this.ranges.push(range);
    this.held += range.bytes.length;
    while (this.held > this.maxBytes && this.ranges.length > 1) {
      let oldest = 0;
      for (let i = 1; i < this.ranges.length; i++) if (this.ranges[i]!.lastUse < this.ranges[oldest]!.lastUse) oldest = i;
      if (this.ranges[oldest] === range) break;
      this.held -= this.ranges[oldest]!.bytes.length;
      this.ranges.splice(oldest, 1);
    }
  }
}
