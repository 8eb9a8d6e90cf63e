/**
 * The playback clock: recording time advances with wall time times the speed, and a
 * gap between two things that happen which is longer than the idle limit is shortened
 * to that limit (as asciinema's `idle_time_limit`). Pure functions, so they are tested
 * without a browser.
 */

export const SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 4, 8, 16];

export interface ClockState {
  /** The time shown now, µs. */
  readonly timeUs: number;
  /** Idleness is measured from here: the last thing that happened, or where playing started. */
  readonly idleFromUs: number;
  /** The time of the next thing that happens, or null when unknown or at the end. */
  readonly nextUs: number | null;
  readonly speed: number;
  /** Longest stretch of nothing played in real time, µs; null to play idle time as it was. */
  readonly idleLimitUs: number | null;
}

/** A jump over idle time, from where the limit ran out to the next thing that happens. */
export interface IdleSkip {
  readonly fromUs: number;
  readonly toUs: number;
}

/** The time after `wallMs` milliseconds of playing, and the idle skip taken on the way, if any. */
export function advance(state: ClockState, wallMs: number): { timeUs: number; skip: IdleSkip | null } {
  const t = state.timeUs + wallMs * 1000 * state.speed;
  const { nextUs, idleLimitUs } = state;
  if (idleLimitUs === null || nextUs === null) return { timeUs: t, skip: null };
  const from = Math.max(state.idleFromUs + idleLimitUs, state.timeUs);
  if (nextUs <= from || t <= from) return { timeUs: t, skip: null };
  return { timeUs: nextUs + (t - from), skip: { fromUs: from, toUs: nextUs } };
}

/** The next speed up or down the ladder of `SPEEDS`. */
export function stepSpeed(speed: number, direction: 1 | -1): number {
  const i = SPEEDS.indexOf(speed);
  const at = i < 0 ? SPEEDS.indexOf(1) : i;
  return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, at + direction))]!;
}
