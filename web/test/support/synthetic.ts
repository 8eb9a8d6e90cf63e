/**
 * Recordings made by the reference for tests that need more than the golden files:
 * `tdpr synth` and `tdpr sample`, written once into web/test-output/ (ignored by git).
 */

import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { TDPR_BIN, WEB_DIR, runReference } from "./reference.js";

export const TEST_OUTPUT = join(WEB_DIR, "test-output");

/**
 * A recording made by `tdpr ARGS... PATH`, cached under `name`. A cached file older
 * than the reference binary is made again: what the tests expect follows the
 * binary that makes their recordings, as it does on a fresh clone.
 */
export function referenceRecording(name: string, args: (path: string) => string[]): string {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const path = join(TEST_OUTPUT, name);
  if (!existsSync(path) || statSync(path).mtimeMs < statSync(TDPR_BIN).mtimeMs) runReference(args(path));
  return path;
}

/** The hour-long office session of the issue: `tdpr synth big.tdpr --duration 60m --seed 1`. */
export function bigSynthetic(): string {
  return referenceRecording("big.tdpr", (p) => ["synth", p, "--duration", "60m", "--seed", "1"]);
}

/** `tdpr sample s.tdpr`. */
export function sampleRecording(): string {
  return referenceRecording("s.tdpr", (p) => ["sample", p]);
}
