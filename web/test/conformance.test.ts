/**
 * The whole conformance suite (conformance/README.md) through this package's decoder,
 * run by the reference's runner: `tdpr conformance --decoder 'node dist/src/cli/decode.js'`.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { REPO_DIR, SKIP_WITHOUT_REFERENCE, TDPR_BIN, WEB_DIR } from "./support/reference.js";

test("the conformance suite passes with 0 failed", { skip: SKIP_WITHOUT_REFERENCE }, () => {
  const decoder = `node ${join(WEB_DIR, "dist/src/cli/decode.js")}`;
  const r = spawnSync(TDPR_BIN, ["conformance", "--decoder", decoder], { cwd: REPO_DIR, encoding: "utf8" });
  const summary = /^(\d+) passed, (\d+) failed/m.exec(r.stdout);
  assert.ok(summary, `no summary line in: ${r.stdout}${r.stderr}`);
  assert.equal(summary[2], "0", r.stdout);
  assert.ok(Number(summary[1]) >= 100, `only ${summary[1]} cases ran`);
  assert.equal(r.status, 0);
});
