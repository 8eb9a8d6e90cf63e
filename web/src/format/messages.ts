/**
 * The two protobuf payloads of a recording: `tdpr.v1.Metadata` (spec/format.md 5.1,
 * proto/tdpr/v1/metadata.proto) and `tdpr.v1.Event` (5.4, event.proto), decoded by
 * the proto3 rules of spec/json.md, unknown fields kept byte for byte.
 */

import { WIRE_LENGTH, WIRE_VARINT, asInt32, asUint32, expectWireType, mergeStringMapEntry, walkMessage } from "./protobuf.js";

/** `tdpr.v1.Metadata`: who recorded what, where and when. */
export interface Metadata {
  sessionId: string;
  cluster: string;
  user: string;
  desktopName: string;
  desktopAddr: string;
  login: string;
  /** Microseconds since 1970-01-01T00:00:00Z. */
  startTimeUnixUs: bigint;
  screenWidth: number;
  screenHeight: number;
  recorderName: string;
  recorderVersion: string;
  labels: Map<string, string>;
  teleportStartEvent: Uint8Array;
  /** Wire bytes of the fields this version does not define, in file order. */
  unknownFields: Uint8Array;
}

/** `tdpr.v1.EventKind` values this version defines, by number. */
export const EVENT_KIND_NAMES: readonly string[] = [
  "unspecified",
  "clipboard_send",
  "clipboard_receive",
  "shared_directory_read",
  "shared_directory_write",
  "shared_directory_start",
  "session_join",
  "session_leave",
  "marker",
  "session_end",
];

/** The kind's name without `EVENT_KIND_`, lower case, or null for a value the enum does not define. */
export function eventKindName(kind: number): string | null {
  return EVENT_KIND_NAMES[kind] ?? null;
}

/** `tdpr.v1.Event`: a key event a player lists and jumps to. */
export interface SessionEvent {
  /** The `EventKind` value, as protobuf's `enum` (a signed 32-bit integer) decodes it. */
  kind: number;
  label: string;
  user: string;
  length: bigint;
  directoryName: string;
  directoryId: number;
  path: string;
  offset: bigint;
  failed: boolean;
  attributes: Map<string, string>;
  teleportEvent: Uint8Array;
  unknownFields: Uint8Array;
}

/** Decodes a metadata payload; throws `ProtobufFault`. */
export function decodeMetadata(payload: Uint8Array): Metadata {
  const m: Metadata = {
    sessionId: "",
    cluster: "",
    user: "",
    desktopName: "",
    desktopAddr: "",
    login: "",
    startTimeUnixUs: 0n,
    screenWidth: 0,
    screenHeight: 0,
    recorderName: "",
    recorderVersion: "",
    labels: new Map(),
    teleportStartEvent: new Uint8Array(0),
    unknownFields: new Uint8Array(0),
  };
  m.unknownFields = walkMessage(payload, (field, wireType, r) => {
    switch (field) {
      case 1: expectWireType(field, wireType, WIRE_LENGTH); m.sessionId = r.string(); break;
      case 2: expectWireType(field, wireType, WIRE_LENGTH); m.cluster = r.string(); break;
      case 3: expectWireType(field, wireType, WIRE_LENGTH); m.user = r.string(); break;
      case 4: expectWireType(field, wireType, WIRE_LENGTH); m.desktopName = r.string(); break;
      case 5: expectWireType(field, wireType, WIRE_LENGTH); m.desktopAddr = r.string(); break;
      case 6: expectWireType(field, wireType, WIRE_LENGTH); m.login = r.string(); break;
      case 7: expectWireType(field, wireType, WIRE_VARINT); m.startTimeUnixUs = BigInt.asIntN(64, r.varint()); break;
      case 8: expectWireType(field, wireType, WIRE_VARINT); m.screenWidth = asUint32(r.varint()); break;
      case 9: expectWireType(field, wireType, WIRE_VARINT); m.screenHeight = asUint32(r.varint()); break;
      case 10: expectWireType(field, wireType, WIRE_LENGTH); m.recorderName = r.string(); break;
      case 11: expectWireType(field, wireType, WIRE_LENGTH); m.recorderVersion = r.string(); break;
      case 12: expectWireType(field, wireType, WIRE_LENGTH); mergeStringMapEntry(r.lengthDelimited(), m.labels); break;
      case 13: expectWireType(field, wireType, WIRE_LENGTH); m.teleportStartEvent = r.lengthDelimited(); break;
      default: return false;
    }
    return true;
  });
  return m;
}

/** Decodes an event payload; throws `ProtobufFault`. */
export function decodeEvent(payload: Uint8Array): SessionEvent {
  const e: SessionEvent = {
    kind: 0,
    label: "",
    user: "",
    length: 0n,
    directoryName: "",
    directoryId: 0,
    path: "",
    offset: 0n,
    failed: false,
    attributes: new Map(),
    teleportEvent: new Uint8Array(0),
    unknownFields: new Uint8Array(0),
  };
  e.unknownFields = walkMessage(payload, (field, wireType, r) => {
    switch (field) {
      case 1: expectWireType(field, wireType, WIRE_VARINT); e.kind = asInt32(r.varint()); break;
      case 2: expectWireType(field, wireType, WIRE_LENGTH); e.label = r.string(); break;
      case 3: expectWireType(field, wireType, WIRE_LENGTH); e.user = r.string(); break;
      case 4: expectWireType(field, wireType, WIRE_VARINT); e.length = r.varint(); break;
      case 5: expectWireType(field, wireType, WIRE_LENGTH); e.directoryName = r.string(); break;
      case 6: expectWireType(field, wireType, WIRE_VARINT); e.directoryId = asUint32(r.varint()); break;
      case 7: expectWireType(field, wireType, WIRE_LENGTH); e.path = r.string(); break;
      case 8: expectWireType(field, wireType, WIRE_VARINT); e.offset = r.varint(); break;
      case 9: expectWireType(field, wireType, WIRE_VARINT); e.failed = r.varint() !== 0n; break;
      case 10: expectWireType(field, wireType, WIRE_LENGTH); mergeStringMapEntry(r.lengthDelimited(), e.attributes); break;
      case 11: expectWireType(field, wireType, WIRE_LENGTH); e.teleportEvent = r.lengthDelimited(); break;
      default: return false;
    }
    return true;
  });
  return e;
}
