/**
 * Where to start reading to show the screen at a time (spec/format.md section 7.2):
 * the last seek entry at or before the time, then its keyframe, or the first content
 * record when no keyframe precedes it.
 *
 * A seeking reader checks only the index's sizes (7.1), so an entry that points
 * outside the file or at a later or non-keyframe entry is refused here as `bad_index`
 * at the field that says so, instead of being followed.
 */

import { TdprError } from "./errors.js";
import { HEADER_LENGTH } from "./header.js";
import type { RecordingIndex, SeekEntry } from "./recording-index.js";

/** The entry to start from and its record's offset as a checked number. */
export interface SeekStart {
  readonly position: number;
  readonly entry: SeekEntry;
  readonly offset: number;
}

/**
 * The seek entry to start reading from to show time `t`, or null when the recording
 * has no content records. `contentEnd` is the offset where content records stop (the
 * index's offset).
 */
export function seekStart(index: RecordingIndex, t: bigint, contentEnd: number): SeekStart | null {
  if (index.seekCount === 0) return null;
  const last = Math.max(0, index.lastEntryAtOrBefore(t));
  const lastEntry = index.seekEntry(last);
  let position = 0;
  if (lastEntry.keyframe) {
    position = last;
  } else if (lastEntry.keyframeEntry !== null) {
    position = lastEntry.keyframeEntry;
    if (position > last || !index.seekEntry(position).keyframe) {
      throw new TdprError("bad_index", index.seekEntryFieldOffset(last, "keyframe_entry"), `keyframe_entry ${position} is not a keyframe entry at or before ${last}`);
    }
  }
  const entry = index.seekEntry(position);
  if (entry.offset < BigInt(HEADER_LENGTH) || entry.offset >= BigInt(contentEnd)) {
    throw new TdprError("bad_index", index.seekEntryFieldOffset(position, "offset"), `seek entry offset ${entry.offset} outside the content records`);
  }
  return { position, entry, offset: Number(entry.offset) };
}
