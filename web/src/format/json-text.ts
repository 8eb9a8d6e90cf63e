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

function write(value: JsonValue, out: string[]): void {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    out.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an exact integer`);
    out.push(String(value));
  } else if (typeof value === "bigint") {
    out.push(value.toString());
  } else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item: JsonValue, i: number) => {
      if (i > 0) out.push(",");
      write(item, out);
    });
    out.push("]");
  } else {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    out.push("{");
    entries.forEach(([k, v], i) => {
      if (i > 0) out.push(",");
      out.push(JSON.stringify(k), ":");
      write(v as JsonValue, out);
    });
    out.push("}");
  }
}

/** The JSON text of `value`, compact. */
export function jsonText(value: JsonValue): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}
