/**
 * The 20-byte file header (spec/format.md section 3): signature, versions, CRC32C.
 * Checked in the order the spec fixes, so that a short or damaged start of a file
 * gets the same error class from every reader.
 */

import { crc32c } from "./crc32c.js";
import { TdprError } from "./errors.js";

/** `\x89TDPR\r\n\x1a\n\0`. */
export const SIGNATURE = Uint8Array.of(0x89, 0x54, 0x44, 0x50, 0x52, 0x0d, 0x0a, 0x1a, 0x0a, 0x00);
export const HEADER_LENGTH = 20;
/** The highest format version this reader implements. */
export const FORMAT_VERSION = 1;

/** The header's informative and required versions. */
export interface FileHeader {
  readonly versionWritten: number;
  readonly versionRequired: number;
}

/**
 * Checks the header at the start of `bytes` (the first bytes of the file, as many as
 * are at hand, at least 20 when the file has them) and returns its versions.
 */
export function parseHeader(bytes: Uint8Array): FileHeader {
  const present = Math.min(bytes.length, SIGNATURE.length);
  for (let i = 0; i < present; i++) {
    if (bytes[i] !== SIGNATURE[i]) throw new TdprError("bad_signature", 0, "not a tdpr file");
  }
  if (bytes.length < HEADER_LENGTH) {
    throw new TdprError("truncated", 0, `the file ends inside its ${HEADER_LENGTH}-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_LENGTH);
  if (view.getUint32(16, true) !== crc32c(bytes, 0, 16)) {
    throw new TdprError("checksum_mismatch", 16, "header CRC32C");
  }
  const versionRequired = view.getUint16(12, true);
  if (versionRequired === 0 || versionRequired > FORMAT_VERSION) {
    throw new TdprError("unsupported_version", 12, `version_required ${versionRequired}`);
  }
  return { versionWritten: view.getUint16(10, true), versionRequired };
}
