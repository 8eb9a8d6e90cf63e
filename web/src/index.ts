/**
 * @tdpr/player: a reader of the tdpr recording format (spec/format.md), written from
 * the specification alone.
 *
 * Which API for which job:
 * - `openFile` + `iterateRecords`: a recording held whole in memory, record by record;
 * - `validateRecording`: the first fault of a file, as a validator reports it;
 * - `canonicalJson` + `jsonText`: the canonical JSON of spec/json.md;
 * - `HttpRangeSource.open` + `openRecording`: a recording on a web server, read with
 *   range requests (two to open, one a seek); `BlobSource` for a local File;
 * - `Recording.seek` + `prefetch` + `recordsFrom`: what a player reads to show a time.
 */

export { TdprError, type ErrorClass } from "./format/errors.js";
export { DEFAULT_LIMITS, type Limits } from "./format/limits.js";
export type { ReadOptions } from "./format/options.js";
export { parseHeader, type FileHeader } from "./format/header.js";
export { openFile, iterateRecords, iterateFrom, RecordIterator, type OpenedFile, type IterationEnd } from "./format/reader.js";
export { validateRecording, type ValidatedRecording, type Verdict } from "./format/validate.js";
export { canonicalJson } from "./format/canonical-json.js";
export { jsonText, type JsonValue } from "./format/json-text.js";
export { seekStart, type SeekStart } from "./format/seek.js";
export { RecordingIndex, type SeekEntry, type EventEntry, type IdleSpan } from "./format/recording-index.js";
export { eventKindName, type Metadata, type SessionEvent } from "./format/messages.js";
export * from "./format/records.js";

// Loading from byte sources, with range requests for HTTP.
export { BufferSource, BlobSource, type ByteSource } from "./loader/byte-source.js";
export { HttpRangeSource, type HttpRangeOptions, type TransferStats } from "./loader/http-range-source.js";
export { RangeCache, type RangeCacheOptions } from "./loader/range-cache.js";
export { RecordStream } from "./loader/record-stream.js";
export { Recording, openRecording, type OpenOptions, type SeekPlan } from "./loader/recording.js";
