#!/usr/bin/env node
/**
 * The decoder the conformance runner drives (conformance/README.md): reads a
 * recording on standard input, prints its canonical JSON (spec/json.md) on standard
 * output, and exits 0 exactly when the recording is valid, 1 when it is not.
 * Exit 2 means this program failed, not the recording.
 */

import { canonicalJson } from "../format/canonical-json.js";
import { jsonText } from "../format/json-text.js";
import { validateRecording } from "../format/validate.js";

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.length);
}

try {
  const result = validateRecording(await readStdin());
  process.stdout.write(jsonText(canonicalJson(result)) + "\n");
  process.exitCode = result.end.state === "finished" ? 0 : 1;
} catch (e) {
  process.stderr.write(`tdpr decode: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
}
