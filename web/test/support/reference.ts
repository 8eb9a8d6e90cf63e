/**
 * The reference implementation, when it is built: `TDPR_BIN` or
 * ../target/release/tdpr from web/. Tests that compare with it are skipped without it.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { skipWithout } from "./requirements.js";

/** web/ (tests run from dist/test/…). */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const REPO_DIR = resolve(WEB_DIR, "..");
export const CONFORMANCE_DIR = resolve(REPO_DIR, "conformance");

export const TDPR_BIN = process.env.TDPR_BIN ?? resolve(REPO_DIR, "target/release/tdpr");
export const HAVE_REFERENCE = existsSync(TDPR_BIN);
export const SKIP_WITHOUT_REFERENCE = skipWithout(HAVE_REFERENCE, `reference binary not found at ${TDPR_BIN} (set TDPR_BIN)`);

/** `tdpr dump -` on `bytes`: its JSON text and exit status. */
export function referenceDump(bytes: Uint8Array): { json: string; status: number } {
  const r = spawnSync(TDPR_BIN, ["dump", "-"], { input: bytes, maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { json: r.stdout.toString("utf8"), status: r.status ?? -1 };
}

/** Runs the reference CLI with arguments; throws on a non-zero exit. */
export function runReference(args: string[]): string {
  const r = spawnSync(TDPR_BIN, args, { maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`tdpr ${args.join(" ")}: exit ${r.status}: ${r.stderr.toString()}`);
  return r.stdout.toString("utf8");
}
