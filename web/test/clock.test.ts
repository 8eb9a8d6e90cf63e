import assert from "node:assert/strict";
import { test } from "node:test";
import { advance, stepSpeed } from "../src/player/clock.js";

const base = { timeUs: 1_000_000, idleFromUs: 1_000_000, nextUs: 2_000_000, speed: 1, idleLimitUs: null };

test("time advances with wall time times the speed", () => {
  assert.deepEqual(advance(base, 100), { timeUs: 1_100_000, skip: null });
  assert.deepEqual(advance({ ...base, speed: 16 }, 100), { timeUs: 2_600_000, skip: null });
  assert.deepEqual(advance({ ...base, speed: 0.25 }, 100), { timeUs: 1_025_000, skip: null });
});

test("a gap longer than the idle limit is cut to the limit, the rest of the wall time kept", () => {
  const state = { ...base, nextUs: 60_000_000, idleLimitUs: 2_000_000 };
  assert.deepEqual(advance(state, 1500), { timeUs: 2_500_000, skip: null });
  assert.deepEqual(advance({ ...state, timeUs: 2_500_000 }, 1000), { timeUs: 60_500_000, skip: { fromUs: 3_000_000, toUs: 60_000_000 } });
});

test("a gap within the limit, or no next item, is played as it is", () => {
  assert.deepEqual(advance({ ...base, nextUs: 2_500_000, idleLimitUs: 2_000_000 }, 3000), { timeUs: 4_000_000, skip: null });
  assert.deepEqual(advance({ ...base, nextUs: null, idleLimitUs: 2_000_000 }, 5000), { timeUs: 6_000_000, skip: null });
});

test("idleness counts from where playing started when that is later than the last item", () => {
  const state = { timeUs: 30_000_000, idleFromUs: 30_000_000, nextUs: 60_000_000, speed: 1, idleLimitUs: 2_000_000 };
  assert.deepEqual(advance(state, 2500), { timeUs: 60_500_000, skip: { fromUs: 32_000_000, toUs: 60_000_000 } });
});

test("speed steps along 0.25 to 16 and stops at the ends", () => {
  assert.equal(stepSpeed(1, 1), 2);
  assert.equal(stepSpeed(1, -1), 0.5);
  assert.equal(stepSpeed(16, 1), 16);
  assert.equal(stepSpeed(0.25, -1), 0.25);
  assert.equal(stepSpeed(3, 1), 2, "an off-ladder speed steps from 1×");
});
