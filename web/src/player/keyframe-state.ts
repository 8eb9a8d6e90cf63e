/**
 * Whether a keyframe leaves fast-path decoder state to rebuild (spec/rendering.md
 * §6): its PNG image's private `tdST` chunk (§6.1) says so. Without the chunk, or
 * of a version this player does not know, a player acts as if it said "from the
 * first content record".
 */

const SIGNATURE_LENGTH = 8;
const VERSION = 1;
const NEEDS_DECODER = 2;

function chunkType(png: Uint8Array, at: number): string {
  return String.fromCharCode(png[at]!, png[at + 1]!, png[at + 2]!, png[at + 3]!);
}

/** False only when the keyframe's `tdST` chunk says no decoder state is needed. */
export function needsDecoderState(png: Uint8Array): boolean {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = SIGNATURE_LENGTH;
  while (at + 8 <= png.length) {
    const length = view.getUint32(at);
    const type = chunkType(png, at + 4);
    if (type === "IDAT" || type === "IEND") return true;
    if (type === "tdST") return !(length >= 2 && at + 10 <= png.length && png[at + 8] === VERSION && (png[at + 9]! & NEEDS_DECODER) === 0);
    at += 12 + length;
  }
  return true;
}
