/**
 * Standard base64 with padding (RFC 4648 section 4), the byte-string form of
 * spec/json.md, without node's Buffer so that it also runs in a browser: the platform's
 * `btoa` over binary strings of 24 KiB (a multiple of 3 bytes, so the pieces join).
 */

const PIECE = 3 * 8192;

export function base64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += PIECE) {
    parts.push(btoa(String.fromCharCode.apply(null, bytes.subarray(i, i + PIECE) as unknown as number[])));
  }
  return parts.join("");
}
