/**
 * What a TDP message does to the screen (spec/tdp.md): PNG tiles (legacy types 2 and
 * 27, TDPB `PNGFrame`) are drawn natively; RDP fast-path updates (legacy 29, TDPB
 * `FastPathPDU`) go to a `FrameDecoder`; pointer moves (3, TDPB `MouseMove`) move the
 * pointer overlay; the rest (input, alerts, directory sharing…) draws nothing.
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
  /** A message that does not change the screen. */
  | { readonly kind: "none" }
  /** A message too short or malformed for its type: counted, never drawn. */
  | { readonly kind: "malformed"; readonly reason: string };

const LEGACY_PNG_FRAME = 2;
const LEGACY_MOUSE_MOVE = 3;
const LEGACY_PNG2_FRAME = 27;
const LEGACY_FAST_PATH = 29;

const TDPB_PNG_FRAME = 3;
const TDPB_FAST_PATH = 4;
const TDPB_MOUSE_MOVE = 7;

function u32be(m: Uint8Array, at: number): number {
  return ((m[at]! << 24) | (m[at + 1]! << 16) | (m[at + 2]! << 8) | m[at + 3]!) >>> 0;
}

function malformed(reason: string): ScreenOp {
  return { kind: "malformed", reason };
}

function legacy(m: Uint8Array): ScreenOp {
  switch (m[0]) {
    case LEGACY_PNG_FRAME:
      if (m.length < 17 + 8) return malformed("png_frame shorter than its header and a PNG signature");
      return { kind: "png", left: u32be(m, 1), top: u32be(m, 5), png: m.subarray(17) };
    case LEGACY_PNG2_FRAME: {
      if (m.length < 21) return malformed("png2_frame shorter than its header");
      const length = u32be(m, 1);
      if (m.length - 21 < length) return malformed("png2_frame PNG cut short");
      return { kind: "png", left: u32be(m, 5), top: u32be(m, 9), png: m.subarray(21, 21 + length) };
    }
    case LEGACY_FAST_PATH:
      if (m.length < 5 || m.length - 5 < u32be(m, 1)) return malformed("rdp_fast_path_pdu cut short");
      return { kind: "fast_path", message: m };
    case LEGACY_MOUSE_MOVE:
      if (m.length < 9) return malformed("mouse_move cut short");
      return { kind: "pointer", x: u32be(m, 1), y: u32be(m, 5) };
    default:
      return { kind: "none" };
  }
}

function tdpbPngFrame(payload: Uint8Array): ScreenOp {
  let left = 0;
  let top = 0;
  let png: Uint8Array = new Uint8Array(0);
  walkMessage(payload, (field, wireType, r) => {
    if (field === 1 && wireType === WIRE_LENGTH) {
      walkMessage(r.lengthDelimited(), (f, w, rr) => {
        if (w !== WIRE_VARINT || (f !== 1 && f !== 2)) return false;
        const v = asUint32(rr.varint());
        if (f === 1) left = v;
        else top = v;
        return true;
      });
      return true;
    }
    if (field === 2 && wireType === WIRE_LENGTH) {
      png = r.lengthDelimited();
      return true;
    }
    return false;
  });
  return png.length === 0 ? malformed("PNGFrame without data") : { kind: "png", left, top, png };
}

function tdpbMouseMove(payload: Uint8Array): ScreenOp {
  let x = 0;
  let y = 0;
  walkMessage(payload, (field, wireType, r) => {
    if (wireType !== WIRE_VARINT || (field !== 1 && field !== 2)) return false;
    const v = asUint32(r.varint());
    if (field === 1) x = v;
    else y = v;
    return true;
  });
  return { kind: "pointer", x, y };
}

function tdpb(m: Uint8Array): ScreenOp {
  if (m.length < 4) return malformed("TDPB length cut short");
  const length = u32be(m, 0);
  if (m.length - 4 < length) return malformed("TDPB envelope cut short");
  const envelope = m.subarray(4, 4 + length);
  let op: ScreenOp = { kind: "none" };
  walkMessage(envelope, (field, wireType, r) => {
    if (wireType !== WIRE_LENGTH || (field !== TDPB_PNG_FRAME && field !== TDPB_FAST_PATH && field !== TDPB_MOUSE_MOVE)) return false;
    const payload = r.lengthDelimited();
    op = field === TDPB_PNG_FRAME ? tdpbPngFrame(payload) : field === TDPB_MOUSE_MOVE ? tdpbMouseMove(payload) : { kind: "fast_path", message: m };
    return true;
  });
  return op;
}

/** What `message` (one whole TDP message, as a frame holds it) does to the screen. */
export function screenOp(message: Uint8Array): ScreenOp {
  if (message.length === 0) return malformed("empty message");
  try {
    return message[0] === 0 ? tdpb(message) : legacy(message);
  } catch (e) {
    if (e instanceof ProtobufFault) return malformed(`TDPB: ${e.message}`);
    throw e;
  }
}
