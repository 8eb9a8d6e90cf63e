/**
 * The limits of spec/format.md section 12: every length and count read from a file is
 * checked against one of these before anything is allocated or awaited because of it.
 */

export interface Limits {
  /** Largest `body_length` of a record. */
  readonly recordLength: number;
  /** Largest metadata payload, after decompression. */
  readonly metadataLength: number;
  /** Largest frame payload after decompression. */
  readonly inflatedLength: number;
  /** Largest `seek_count`, `event_count` and `idle_count` of the index. */
  readonly indexEntries: number;
}

/** The spec's defaults, which every writer stays within. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  recordLength: 64 * 1024 * 1024,
  metadataLength: 1024 * 1024,
  inflatedLength: 64 * 1024 * 1024,
  indexEntries: 4_194_304,
});
