/**
 * A JSON parser that keeps integers exact (as bigint), for comparing canonical JSON
 * from two implementations as values: `JSON.parse` rounds integers above 2^53.
 */

export type ExactJson = null | boolean | bigint | number | string | ExactJson[] | { [key: string]: ExactJson };

export function parseExactJson(text: string): ExactJson {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const value = (): ExactJson => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: { [key: string]: ExactJson } = Object.create(null);
      ws();
      if (text[i] === "}") { i++; return out; }
      for (;;) {
        ws();
        const k = value();
        if (typeof k !== "string") throw new SyntaxError(`key at ${i}`);
        ws();
        if (text[i++] !== ":") throw new SyntaxError(`colon at ${i}`);
        out[k] = value();
        ws();
        const d = text[i++];
        if (d === "}") return out;
        if (d !== ",") throw new SyntaxError(`comma at ${i}`);
      }
    }
    if (c === "[") {
      i++;
      const out: ExactJson[] = [];
      ws();
      if (text[i] === "]") { i++; return out; }
      for (;;) {
        out.push(value());
        ws();
        const d = text[i++];
        if (d === "]") return out;
        if (d !== ",") throw new SyntaxError(`comma at ${i}`);
      }
    }
    if (c === '"') {
      const start = i;
      i++;
      while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(text.slice(i, i + 400));
    if (!m) throw new SyntaxError(`value at ${i}`);
    i += m[0].length;
    if (m[0] === "true") return true;
    if (m[0] === "false") return false;
    if (m[0] === "null") return null;
    return m[1] || m[2] ? Number(m[0]) : BigInt(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) throw new SyntaxError(`trailing text at ${i}`);
  return v;
}

/** Deep equality of two parsed values; object key order does not matter. */
export function exactEqual(a: ExactJson, b: ExactJson): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, k) => exactEqual(x, b[k]!));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && exactEqual(a[k]!, b[k]!));
}
