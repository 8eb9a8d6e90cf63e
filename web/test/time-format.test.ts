import assert from "node:assert/strict";
import { test } from "node:test";
import { formatPreciseTime, formatTime, parseTime, timeFromHash } from "../src/player/time-format.js";

test("display times", () => {
  assert.equal(formatTime(0), "0:00.0");
  assert.equal(formatTime(83_560_000), "1:23.5");
  assert.equal(formatTime(3_723_400_000), "1:02:03.4");
});

test("permalink times keep milliseconds and drop trailing zeros", () => {
  assert.equal(formatPreciseTime(83_500_000), "1:23.5");
  assert.equal(formatPreciseTime(83_000_000), "1:23");
  assert.equal(formatPreciseTime(8_701_999), "0:08.701");
});

test("parsing [[h:]m:]s[.f]", () => {
  assert.equal(parseTime("1:23.5"), 83_500_000);
  assert.equal(parseTime("83.5"), 83_500_000);
  assert.equal(parseTime("1:02:03"), 3_723_000_000);
  assert.equal(parseTime("0:08.701"), 8_701_000);
  assert.equal(parseTime("1:60"), null);
  assert.equal(parseTime("abc"), null);
  assert.equal(parseTime("-1"), null);
});

test("a permalink's time comes back as it was written", () => {
  for (const us of [0, 1_000, 8_700_000, 83_500_000, 3_723_456_000]) {
    assert.equal(timeFromHash(`#t=${formatPreciseTime(us)}`), us);
  }
  assert.equal(timeFromHash("#x=1&t=1%3A23.5"), 83_500_000);
  assert.equal(timeFromHash("#nothing"), null);
});
