/**
 * What a test needs beyond node (the reference binary, Chromium): without it the test
 * is skipped with the reason, except under `TDPR_WEB_REQUIRE_ALL=1` (set by the
 * repository's ./test.sh, which installs everything), where a missing tool fails the
 * run instead of letting it pass with less tested.
 */

/** The `skip` option of a test that needs something: false when it is there, else the reason. */
export function skipWithout(available: boolean, reason: string): false | string {
  if (available) return false;
  if (process.env.TDPR_WEB_REQUIRE_ALL === "1") throw new Error(`${reason}; TDPR_WEB_REQUIRE_ALL=1 forbids skipping`);
  return reason;
}
