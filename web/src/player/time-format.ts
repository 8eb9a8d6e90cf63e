/**
 * Times as people write them: `1:23.5`, `1:02:03`, `83.5` (seconds); used by the time
 * display and by permalinks (`#t=1:23.5`).
 */

function clockText(seconds: number, fraction: string): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = String(seconds % 60).padStart(2, "0");
  const tail = fraction === "" ? "" : `.${fraction}`;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}${tail}` : `${m}:${sec}${tail}`;
}

/** `m:ss.s` below an hour, `h:mm:ss.s` above, tenths of a second (for display). */
export function formatTime(us: number): string {
  const tenths = Math.floor(Math.max(0, us) / 100_000);
  return clockText(Math.floor(tenths / 10), String(tenths % 10));
}

/** Like `formatTime` to the millisecond, without trailing zeros (for permalinks). */
export function formatPreciseTime(us: number): string {
  const ms = Math.floor(Math.max(0, us) / 1000);
  return clockText(Math.floor(ms / 1000), String(ms % 1000).padStart(3, "0").replace(/0+$/, ""));
}

/** Parses `[[h:]m:]s[.fraction]` into µs; null when it is not such a time. */
export function parseTime(text: string): number | null {
  const m = /^(?:(?:(\d+):)?(\d+):)?(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  const [, h, min, s, frac] = m;
  if ((h !== undefined || min !== undefined) && Number(s) >= 60) return null;
  if (h !== undefined && Number(min) >= 60) return null;
  const seconds = Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s);
  return seconds * 1_000_000 + Number((frac ?? "").padEnd(6, "0"));
}

/** The time in a location hash such as `#t=1:23.5`, in µs, or null. */
export function timeFromHash(hash: string): number | null {
  const m = /(?:^#|&)t=([^&]+)/.exec(hash);
  return m ? parseTime(decodeURIComponent(m[1]!)) : null;
}
