/**
 * The error every reader function reports for bad input: one of the classes of
 * spec/format.md section 13 and, except for `io` and `invalid_input`, the byte offset
 * in the file where the fault was found.
 *
 * Reader functions throw nothing else for bad input: a `RangeError` or `TypeError`
 * escaping from a parse is a bug.
 */

/** The class names of spec/format.md section 13; tools print them verbatim. */
export type ErrorClass =
  | "bad_signature"
  | "unsupported_version"
  | "checksum_mismatch"
  | "truncated"
  | "unfinished"
  | "unknown_critical_record"
  | "unknown_flags"
  | "limit_exceeded"
  | "malformed_record"
  | "misplaced_record"
  | "time_overflow"
  | "bad_index"
  | "invalid_input"
  | "io";

/** A fault in a recording (or, for `io`, in the source that delivers it). */
export class TdprError extends Error {
  /** The class of the fault (spec/format.md section 13). */
  readonly errorClass: ErrorClass;
  /** Byte offset in the file, or null for `io` and `invalid_input`. */
  readonly offset: number | null;

  constructor(errorClass: ErrorClass, offset: number | null, detail?: string) {
    const where = offset === null ? "" : ` at offset ${offset}`;
    super(`${errorClass}${where}${detail ? `: ${detail}` : ""}`);
    this.name = "TdprError";
    this.errorClass = errorClass;
    this.offset = offset;
  }
}

/** Shorthand for the most common fault, a payload that does not match its layout. */
export function malformed(offset: number, detail: string): TdprError {
  return new TdprError("malformed_record", offset, detail);
}
