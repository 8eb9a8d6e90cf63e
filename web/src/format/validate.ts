/**
 * The validator (spec/format.md section 10, container level): opens the file (9.1),
 * reads every record (9.2), and reports the first fault in the spec's order: faults
 * found while opening, then the records in order, then an unfinished end, then a
 * stored index that differs from the one section 7.3 builds. It keeps what a
 * canonical dump prints (spec/json.md): the header, the metadata and every record
 * read before the first fault.
 */

import { TdprError } from "./errors.js";
import { parseHeader, type FileHeader } from "./header.js";
import { IndexBuilder } from "./index-builder.js";
import type { Limits } from "./limits.js";
import type { Metadata } from "./messages.js";
import { resolveOptions } from "./options.js";
import { iterateRecords, openFile } from "./reader.js";
import type { IndexRecord, TdprRecord } from "./records.js";

/** The validator's verdict (spec/json.md `end`). */
export type Verdict =
  | { readonly state: "finished" }
  | { readonly state: "unfinished"; readonly offset: number }
  | { readonly state: "error"; readonly error: TdprError };

/** Everything a canonical dump shows. */
export interface ValidatedRecording {
  /** The header, when it passes every check of section 3. */
  readonly header: FileHeader | null;
  /** The metadata, when the record at offset 20 passes every check. */
  readonly metadata: Metadata | null;
  /** The records read before the first fault or the end; null when the header fails. */
  readonly records: TdprRecord[] | null;
  readonly end: Verdict;
}

function asFault(e: unknown): TdprError {
  if (e instanceof TdprError) return e;
  throw e;
}

/** Compares the stored index with the one the records build (7.3). */
function compareIndex(metadata: Metadata, records: readonly TdprRecord[], indexRecord: IndexRecord): TdprError | null {
  const stored = indexRecord.index;
  const builder = new IndexBuilder(metadata, stored.seekIntervalUs, stored.idleThresholdUs, stored.directory?.sampleInterval ?? null);
  for (const r of records) {
    if (r.type !== "metadata" && r.type !== "index" && r.type !== "trailer") builder.add(r);
  }
  const built = builder.payload();
  const payload = stored.payload;
  const common = Math.min(built.length, payload.length);
  for (let i = 0; i < common; i++) {
    if (built[i] !== payload[i]) return new TdprError("bad_index", stored.payloadOffset + i, "the stored index differs from the one the records build");
  }
  if (built.length !== payload.length) {
    return new TdprError("bad_index", stored.payloadOffset + common, "the stored index differs in length from the one the records build");
  }
  return null;
}

/** Validates a recording held whole in memory. CRCs are always checked. */
export function validateRecording(bytes: Uint8Array, limits?: Limits): ValidatedRecording {
  const options = resolveOptions(limits ? { limits, verifyChecksums: true } : {});
  let header: FileHeader;
  try {
    header = parseHeader(bytes);
  } catch (e) {
    return { header: null, metadata: null, records: null, end: { state: "error", error: asFault(e) } };
  }

  let openFault: TdprError | null = null;
  let metadata: Metadata | null = null;
  try {
    metadata = openFile(bytes, options).metadata;
  } catch (e) {
    openFault = asFault(e);
  }

  const records: TdprRecord[] = [];
  const iterator = iterateRecords(bytes, options);
  let readFault: TdprError | null = null;
  try {
    for (const record of iterator) records.push(record);
  } catch (e) {
    readFault = asFault(e);
  }
  if (metadata === null && records[0]?.type === "metadata") metadata = records[0].metadata;

  const fault = openFault ?? readFault;
  if (fault !== null) return { header, metadata, records, end: { state: "error", error: fault } };
  const end = iterator.end!;
  if (!end.finished) return { header, metadata, records, end: { state: "unfinished", offset: end.offset } };
  const indexRecord = records[records.length - 2] as IndexRecord;
  const indexFault = compareIndex(metadata!, records, indexRecord);
  return { header, metadata, records, end: indexFault ? { state: "error", error: indexFault } : { state: "finished" } };
}
