/**
 * What a TDP message does to the screen (spec/tdp.md for the layouts, the rendering
 * model of spec/rendering.md for the meaning): PNG tiles (legacy types 2 and 27, TDPB
 * `PNGFrame`) are drawn natively; RDP fast-path updates (legacy 29, TDPB
 * `FastPathPDU`) go to a `FrameDecoder`; screen sizes are announced by legacy 1 and 31
 * and TDPB `ClientScreenSpec` and `ServerHello` (the last two kinds also start a new
 * RDP connection); pointer moves (3, TDPB `MouseMove`) move the pointer. Other known
 * messages (input, alerts, directory sharing…) draw nothing; unknown ones and
 * malformed ones are not drawable.
 *
 * TDPB is told from legacy by the first byte (0: a 4-byte big-endian length, then the
 * `teleport.desktop.v1.Envelope`, tdp.md §1 and §4).
 */

import { ProtobufFault, WIRE_LENGTH, WIRE_VARINT, asUint32, walkMessage } from "../format/protobuf.js";

export type ScreenOp =
  /** A PNG image to draw with its top-left corner at (left, top). */
  | { readonly kind: "png"; readonly left: number; readonly top: number; readonly png: Uint8Array }
  /** An RDP fast-path update: the whole TDP message, for a `FrameDecoder`. */
  | { readonly kind: "fast_path"; readonly message: Uint8Array }
  | { readonly kind: "pointer"; readonly x: number; readonly y: number }
  /** A screen size announced; `connection`: a new RDP connection (the decoder starts over). */
  | { readonly kind: "size"; readonly width: number; readonly height: number; readonly connection: boolean }
  /** A new RDP connection without a size (a `ServerHello` without an activation spec). */
  | { readonly kind: "connection" }
  /** A known message that does not change the screen. */
  | { readonly kind: "none" }
  /** A message unknown, too short or malformed for its type: counted, never drawn. */
  | { readonly kind: "undrawable"; readonly reason: string };

const LEGACY_CLIENT_SCREEN_SPEC = 1;
const LEGACY_PNG_FRAME = 2;
const LEGACY_MOUSE_MOVE = 3;
const LEGACY_PNG2_FRAME = 27;
const LEGACY_FAST_PATH = 29;
const LEGACY_CONNECTION_ACTIVATED = 31;
/** Legacy types 1 to 38 are known (tdp.md §3). */
const LEGACY_LAST_KNOWN = 38;

const TDPB_SERVER_HELLO = 2;
const TDPB_PNG_FRAME = 3;
const TDPB_FAST_PATH = 4;
const TDPB_MOUSE_MOVE = 7;
const TDPB_CLIENT_SCREEN_SPEC = 10;
/** Envelope payload fields 1 to 22 are known (tdp.md §4). */
const TDPB_LAST_KNOWN = 22;

function u16be(m: Uint8Array, at: number): number {
  return (m[at]! << 8) | m[at + 1]!;
}

function u32be(m: Uint8Array, at: number): number {
  return ((m[at]! << 24) | (m[at + 1]! << 16) | (m[at + 2]! << 8) | m[at + 3]!) >>> 0;
}

function undrawable(reason: string): ScreenOp {
  return { kind: "undrawable", reason };
}

function legacy(m: Uint8Array): ScreenOp {
  switch (m[0]) {
    case LEGACY_PNG_FRAME:
      if (m.length < 17 + 8) return undrawable("png_frame shorter than its header and a PNG signature");
      return { kind: "png", left: u32be(m, 1), top: u32be(m, 5), png: m.subarray(17) };
    case LEGACY_PNG2_FRAME: {
      if (m.length < 21) return undrawable("png2_frame shorter than its header");
      const length = u32be(m, 1);
      if (m.length - 21 < length) return undrawable("png2_frame PNG cut short");
      return { kind: "png", left: u32be(m, 5), top: u32be(m, 9), png: m.subarray(21, 21 + length) };
    }
    case LEGACY_FAST_PATH:
      if (m.length < 5 || m.length - 5 < u32be(m, 1)) return undrawable("rdp_fast_path_pdu cut short");
      return { kind: "fast_path", message: m };
    case LEGACY_MOUSE_MOVE:
      if (m.length < 9) return undrawable("mouse_move cut short");
      return { kind: "pointer", x: u32be(m, 1), y: u32be(m, 5) };
    case LEGACY_CLIENT_SCREEN_SPEC:
      if (m.length < 9) return undrawable("client_screen_spec cut short");
      return { kind: "size", width: u32be(m, 1), height: u32be(m, 5), connection: false };
    case LEGACY_CONNECTION_ACTIVATED:
      if (m.length < 9) return undrawable("rdp_connection_activated cut short");
      return { kind: "size", width: u16be(m, 5), height: u16be(m, 7), connection: true };
    default:
      return m[0]! <= LEGACY_LAST_KNOWN ? { kind: "none" } : undrawable(`unknown_${m[0]}`);
  }
}

/** The varint fields of a small message, by number (later occurrences win). */
function varintFields(payload: Uint8Array): Map<number, number> {
  const fields = new Map<number, number>();
  walkMessage(payload, (field, wireType, r) => {
    if (wireType !== WIRE_VARINT) return false;
    fields.set(field, asUint32(r.varint()));
    return true;
  });
  return fields;
}

function tdpbServerHello(payload: Uint8Array): ScreenOp {
  let op: ScreenOp = { kind: "connection" };
  walkMessage(payload, (field, wireType, r) => {
    if (field !== 1 || wireType !== WIRE_LENGTH) return false;
    const activation = varintFields(r.lengthDelimited());
    op = { kind: "size", width: activation.get(3) ?? 0, height: activation.get(4) ?? 0, connection: true };
    return true;
  });
  return op;
}

function tdpbPngFrame(payload: Uint8Array): ScreenOp {
  let left = 0;
  let top = 0;
  let png: Uint8Array = new Uint8Array(0);
  walkMessage(payload, (field, wireType, r) => {
    if (wireType !== WIRE_LENGTH || (field !== 1 && field !== 2)) return false;
    if (field === 1) {
      const rect = varintFields(r.lengthDelimited());
      left = rect.get(1) ?? 0;
      top = rect.get(2) ?? 0;
    } else {
      png = r.lengthDelimited();
    }
    return true;
  });
  return png.length === 0 ? undrawable("PNGFrame without data") : { kind: "png", left, top, png };
}

function tdpb(m: Uint8Array): ScreenOp {
  if (m.length < 4) return undrawable("TDPB length cut short");
  const length = u32be(m, 0);
  if (m.length - 4 < length) return undrawable("TDPB envelope cut short");
  let op: ScreenOp = undrawable("tdpb: no payload this version knows");
  walkMessage(m.subarray(4, 4 + length), (field, wireType, r) => {
    if (wireType !== WIRE_LENGTH || field < 1 || field > TDPB_LAST_KNOWN) return false;
    const payload = r.lengthDelimited();
    switch (field) {
      case TDPB_PNG_FRAME:
        op = tdpbPngFrame(payload);
        break;
      case TDPB_FAST_PATH:
        op = { kind: "fast_path", message: m };
        break;
      case TDPB_MOUSE_MOVE: {
        const xy = varintFields(payload);
        op = { kind: "pointer", x: xy.get(1) ?? 0, y: xy.get(2) ?? 0 };
        break;
      }
      case TDPB_CLIENT_SCREEN_SPEC: {
        const spec = varintFields(payload);
        op = { kind: "size", width: spec.get(1) ?? 0, height: spec.get(2) ?? 0, connection: false };
        break;
      }
      case TDPB_SERVER_HELLO:
        op = tdpbServerHello(payload);
        break;
      default:
        op = { kind: "none" };
    }
    return true;
  });
  return op;
}

/** What `message` (one whole TDP message, as a frame holds it) does to the screen. */
export function screenOp(message: Uint8Array): ScreenOp {
  if (message.length === 0) return undrawable("empty message");
  try {
    return message[0] === 0 ? tdpb(message) : legacy(message);
  } catch (e) {
    if (e instanceof ProtobufFault) return undrawable(`TDPB: ${e.message}`);
    throw e;
  }
}
