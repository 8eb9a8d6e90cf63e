/**
 * The canonical JSON form of a decoded recording (spec/json.md), which conformance
 * compares between implementations.
 */

import { base64 } from "./base64.js";
import type { JsonValue } from "./json-text.js";
import { eventKindName, type Metadata, type SessionEvent } from "./messages.js";
import type { RecordingIndex } from "./recording-index.js";
import { recordTypeName, type TdprRecord } from "./records.js";
import type { ValidatedRecording, Verdict } from "./validate.js";

export function metadataJson(m: Metadata): JsonValue {
  return {
    session_id: m.sessionId,
    cluster: m.cluster,
    user: m.user,
    desktop_name: m.desktopName,
    desktop_addr: m.desktopAddr,
    login: m.login,
    start_time_unix_us: m.startTimeUnixUs,
    screen_width: m.screenWidth,
    screen_height: m.screenHeight,
    recorder_name: m.recorderName,
    recorder_version: m.recorderVersion,
    labels: m.labels,
    teleport_start_event: base64(m.teleportStartEvent),
    unknown_fields: base64(m.unknownFields),
  };
}

export function eventJson(e: SessionEvent): JsonValue {
  return {
    kind: e.kind,
    kind_name: eventKindName(e.kind),
    label: e.label,
    user: e.user,
    length: e.length,
    directory_name: e.directoryName,
    directory_id: e.directoryId,
    path: e.path,
    offset: e.offset,
    failed: e.failed,
    attributes: e.attributes,
    teleport_event: base64(e.teleportEvent),
    unknown_fields: base64(e.unknownFields),
  };
}

export function indexJson(index: RecordingIndex): JsonValue {
  const seek: JsonValue[] = [];
  for (let i = 0; i < index.seekCount; i++) {
    const e = index.seekEntry(i);
    seek.push({ time_us: e.timeUs, offset: e.offset, width: e.width, height: e.height, keyframe: e.keyframe, keyframe_entry: e.keyframeEntry });
  }
  const events: JsonValue[] = [];
  for (let i = 0; i < index.eventCount; i++) {
    const e = index.eventEntry(i);
    events.push({ time_us: e.timeUs, offset: e.offset, kind: e.kind });
  }
  const idle: JsonValue[] = [];
  for (let i = 0; i < index.idleCount; i++) {
    const s = index.idleSpan(i);
    idle.push({ start_us: s.startUs, end_us: s.endUs });
  }
  const json: { [key: string]: JsonValue } = {
    duration_us: index.durationUs,
    record_count: index.recordCount,
    frame_count: index.frameCount,
    frame_bytes: index.frameBytes,
    seek_interval_us: index.seekIntervalUs,
    idle_threshold_us: index.idleThresholdUs,
    seek,
    events,
    idle,
  };
  if (index.directory) {
    json.directory = {
      sample_interval: index.directory.sampleInterval,
      samples: index.directory.samples.map((s) => ({ time_us: s.timeUs, offset: s.offset, entry: s.entry, keyframe: s.keyframe })),
    };
  }
  return json;
}

function typeKeys(r: TdprRecord): { [key: string]: JsonValue } {
  switch (r.type) {
    case "metadata": return {};
    case "frame": return { payload: base64(r.message) };
    case "frame_batch": return { frames: r.frames.map((f) => ({ time_us: f.timeUs, payload: base64(f.message) })) };
    case "screen_size": return { width: r.width, height: r.height };
    case "event": return { event: eventJson(r.event) };
    case "keyframe": return { width: r.width, height: r.height, png: base64(r.png) };
    case "index": return { index: indexJson(r.index) };
    case "trailer": return { index_offset: r.indexOffset };
    case "unknown": return { payload: base64(r.payload) };
  }
}

export function recordJson(r: TdprRecord): JsonValue {
  return { offset: r.offset, time_us: r.timeUs, type: recordTypeName(r.code), code: r.code, flags: r.flags, ...typeKeys(r) };
}

export function verdictJson(end: Verdict): JsonValue {
  switch (end.state) {
    case "finished": return { state: "finished" };
    case "unfinished": return { state: "unfinished", offset: end.offset };
    case "error": return { state: "error", class: end.error.errorClass, offset: end.error.offset };
  }
}

/** The whole canonical object; keys whose condition (spec/json.md "Top level") fails are left out. */
export function canonicalJson(v: ValidatedRecording): JsonValue {
  const out: { [key: string]: JsonValue } = {};
  if (v.header) {
    out.version_written = v.header.versionWritten;
    out.version_required = v.header.versionRequired;
  }
  if (v.metadata) out.metadata = metadataJson(v.metadata);
  if (v.records) out.records = v.records.map(recordJson);
  out.end = verdictJson(v.end);
  return out;
}
