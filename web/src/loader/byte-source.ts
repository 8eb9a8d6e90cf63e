/**
 * Where a recording's bytes come from: a random-access source with a known size that
 * hands out byte ranges asynchronously. The loader asks for only what it needs, so the
 * same code opens a file in memory, a local `File`, or a URL through HTTP range requests.
 */

import { TdprError } from "../format/errors.js";

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * The bytes `[offset, offset + length)`; the range lies within `[0, size)`. A failure
   * of the source is a `TdprError` of class `io`.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Refuses a range outside the source (a loader bug, not bad input). */
export function checkRange(source: ByteSource, offset: number, length: number): void {
  if (!(Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= source.size)) {
    throw new RangeError(`range [${offset}, ${offset + length}) outside a source of ${source.size} bytes`);
  }
}

/** A recording already in memory. Reads are views, not copies. */
export class BufferSource implements ByteSource {
  readonly size: number;

  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this, offset, length);
    return this.bytes.subarray(offset, offset + length);
  }
}

/** A `File` or `Blob` (a file the user picked or dropped): each read slices it. */
export class BlobSource implements ByteSource {
  readonly size: number;

  constructor(private readonly blob: Blob) {
    this.size = blob.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this, offset, length);
    try {
      return new Uint8Array(await this.blob.slice(offset, offset + length).arrayBuffer());
    } catch (e) {
      throw new TdprError("io", null, `reading the file failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
