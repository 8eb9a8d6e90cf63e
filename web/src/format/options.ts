/**
 * What a user of the reader may choose: the limits (section 12) and whether record
 * CRCs are checked (section 4.1 step 4 may be skipped for a file validated before).
 */

import { DEFAULT_LIMITS, type Limits } from "./limits.js";

export interface ReadOptions {
  /** Limits at least as strict as memory allows; the spec's defaults when absent. */
  readonly limits?: Limits;
  /** Check every record's CRC32C (default true). Validators never turn this off. */
  readonly verifyChecksums?: boolean;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly limits: Limits;
  readonly verifyChecksums: boolean;
}

export function resolveOptions(options: ReadOptions = {}): ResolvedOptions {
  return { limits: options.limits ?? DEFAULT_LIMITS, verifyChecksums: options.verifyChecksums ?? true };
}
