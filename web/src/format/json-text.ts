/**
 * JSON text for values with 64-bit integers. `JSON.stringify` cannot print a bigint,
 * and a double cannot hold the times and offsets of spec/json.md exactly, so bigints
 * are printed as exact integer literals. Maps print as objects (their keys are data
 * and may be "__proto__").
 */

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly JsonValue[]
  | ReadonlyMap<string, JsonValue>
  | { readonly [key: string]: JsonValue };

/** Appends the text of `value` to `out.text` (V8 joins string appends cheaply; an array of millions of tokens costs more in garbage collection than in writing). */
function write(value: JsonValue, out: { text: string }): void {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    out.text += JSON.stringify(value);
  } else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an exact integer`);
    out.text += String(value);
  } else if (typeof value === "bigint") {
    out.text += value.toString();
  } else if (Array.isArray(value)) {
    out.text += "[";
    value.forEach((item: JsonValue, i: number) => {
      if (i > 0) out.text += ",";
      write(item, out);
    });
    out.text += "]";
  } else {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    out.text += "{";
    entries.forEach(([k, v], i) => {
      if (i > 0) out.text += ",";
      out.text += JSON.stringify(k) + ":";
      write(v as JsonValue, out);
    });
    out.text += "}";
  }
}

/** The JSON text of `value`, compact. */
export function jsonText(value: JsonValue): string {
  const out = { text: "" };
  write(value, out);
  return out.text;
}
