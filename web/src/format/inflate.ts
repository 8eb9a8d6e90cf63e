/**
 * Compressed payloads (spec/format.md section 6): a raw DEFLATE stream (RFC 1951) that
 * must end exactly at the end of its bytes and inflate to exactly the stated length.
 *
 * pako's low-level zlib port is driven directly because it says what its one-shot
 * helpers (and fflate's) do not: how many input bytes are left after the final block,
 * so trailing garbage is caught. Output goes into one buffer of the stated length, so
 * a deflate bomb stops at that length instead of growing memory.
 */

import { ZStream, Z_FINISH, Z_OK, Z_STREAM_END, zlibInflate, zlibInflateEnd, zlibInflateInit2 } from "pako";

/**
 * No DEFLATE stream expands more than 1032 to 1 (a 258-byte match in two bits); a
 * stated length above this for the bytes at hand cannot be met, so it is refused
 * without allocating for it.
 */
function maxInflated(compressedLength: number): number {
  return 1032 * compressedLength + 1032;
}

/**
 * Inflates `data` into exactly `inflatedLength` bytes. Returns null when the stream is
 * invalid, ends before or after the end of `data`, or inflates to another length.
 * The caller has checked `inflatedLength` against its limit.
 */
export function inflateExact(data: Uint8Array, inflatedLength: number): Uint8Array | null {
  if (inflatedLength > maxInflated(data.length)) return null;
  const output = new Uint8Array(inflatedLength);
  const strm = new ZStream();
  if (zlibInflateInit2(strm, -15) !== Z_OK) return null;
  try {
    strm.input = data;
    strm.next_in = 0;
    strm.avail_in = data.length;
    strm.output = output;
    strm.next_out = 0;
    strm.avail_out = inflatedLength;
    const status = zlibInflate(strm, Z_FINISH);
    if (status !== Z_STREAM_END || strm.avail_in !== 0 || strm.avail_out !== 0) return null;
    return output;
  } finally {
    zlibInflateEnd(strm);
  }
}
