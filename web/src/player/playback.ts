/**
 * What the screen shows at a time: seeking (the keyframe at or before the time, then
 * every record up to it, fetched in one request), and moving forward as playback goes
 * on (records read ahead in chunks). Each seek starts a new generation; work of an
 * older one stops at its next await, so a user dragging the timeline never waits for
 * a seek they left behind. Operations run one at a time, in the order asked, so a seek
 * never interleaves with the playing loop's reads.
 */

import type { TdprRecord } from "../format/records.js";
import type { RecordStream } from "../loader/record-stream.js";
import type { Recording } from "../loader/recording.js";
import type { SeekPlan } from "../loader/recording.js";
import { sizeAfter, type ScreenCommand } from "./screen-command.js";
import type { Screen } from "./screen.js";
import { needsDecoderState } from "./keyframe-state.js";
import { screenOp } from "./tdp-message.js";

/** One thing that happens at a time: a command for the screen, or nothing to draw (an event). */
interface Item {
  readonly timeUs: number;
  readonly command: ScreenCommand | null;
}

/** The messages a record carries, with their times. */
function messagesOf(record: TdprRecord): { timeUs: number; message: Uint8Array }[] {
  if (record.type === "frame") return [{ timeUs: Number(record.timeUs), message: record.message }];
  if (record.type === "frame_batch") return record.frames.map((f) => ({ timeUs: Number(f.timeUs), message: f.message }));
  return [];
}

/**
 * What a record does, as spec/rendering.md §2 says: frames and screen sizes draw;
 * keyframes draw only as the start of a seek (`isStart`), being a shortcut to what the
 * frames before them drew; events and unknown records draw nothing but still count as
 * activity for idle skipping.
 */
function itemsOf(record: TdprRecord, isStart: boolean): Item[] {
  const t = Number(record.timeUs);
  switch (record.type) {
    case "frame":
    case "frame_batch":
      return messagesOf(record).map((m) => ({ timeUs: m.timeUs, command: { kind: "message", op: screenOp(m.message) } }));
    case "keyframe":
      return [{ timeUs: t, command: isStart ? { kind: "keyframe", width: record.width, height: record.height, png: record.png } : null }];
    case "screen_size":
      return [{ timeUs: t, command: { kind: "resize", width: record.width, height: record.height } }];
    case "event":
    case "unknown":
      return [{ timeUs: t, command: null }];
    case "metadata":
    case "index":
    case "trailer":
      return [];
  }
}

/** A superseded seek; the work that meets it just stops. */
class Superseded extends Error {}

export class Playback {
  /** The time the screen shows, µs. */
  timeUs = 0;
  /** The time of the last item applied, µs (where idleness is measured from). */
  lastItemUs = 0;
  /** The latest time seen in the file (the duration of an unfinished recording, as far as read). */
  latestUs = 0;
  private stream: RecordStream | null = null;
  private queue: Item[] = [];
  private ended = false;
  /** Offset of the keyframe the current seek started at, or -1. */
  private startKeyframe = -1;
  private generation = 0;
  /**
   * The seek whose keyframe may leave fast-path decoder state to rebuild: done at the
   * first fast-path update drawn after it, so that a seek in a session of PNG tiles
   * reads nothing before its keyframe.
   */
  private primeFor: SeekPlan | null = null;

  constructor(
    readonly recording: Recording,
    readonly screen: Screen,
  ) {}

  /** True once the last record was read and applied. */
  get atEnd(): boolean {
    return this.ended && this.queue.length === 0;
  }

  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` after every operation asked before it. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => {});
    return run;
  }

  private check(generation: number): void {
    if (generation !== this.generation) throw new Superseded();
  }

  /**
   * The next item, reading records as needed; null at the end, or when the next record
   * starts at or after `stopAt` (a seek plan's end: everything there is later than the
   * time sought, and is not fetched until playback needs it).
   */
  private async peek(generation: number, stopAt = Infinity): Promise<Item | null> {
    while (this.queue.length === 0 && !this.ended && this.stream && this.stream.offset < stopAt) {
      const record = await this.stream.next();
      this.check(generation);
      if (record === null || record.type === "index") {
        this.ended = true;
        break;
      }
      const isStart = record.offset === this.startKeyframe;
      if (isStart && record.type === "keyframe" && !needsDecoderState(record.png)) this.primeFor = null;
      this.queue.push(...itemsOf(record, isStart));
      if (record.endTimeUs > 0n) this.latestUs = Math.max(this.latestUs, Number(record.endTimeUs));
    }
    return this.queue[0] ?? null;
  }

  /** The time of the next item, or null at the end. Returns null too when superseded. */
  nextTime(): Promise<number | null> {
    const generation = this.generation;
    return this.exclusive(async () => {
      try {
        return generation === this.generation ? ((await this.peek(generation))?.timeUs ?? null) : null;
      } catch (e) {
        if (e instanceof Superseded) return null;
        throw e;
      }
    });
  }

  /** Applies every item up to time `t` and shows `t`. Returns false when a newer seek superseded it. */
  advanceTo(t: number): Promise<boolean> {
    const generation = this.generation;
    return this.run(generation, () => this.applyUntil(t, generation));
  }

  /** Runs `work` of `generation` in turn; false when a newer seek superseded it before or during. */
  private run(generation: number, work: () => Promise<void>): Promise<boolean> {
    return this.exclusive(async () => {
      try {
        this.check(generation);
        await work();
        return generation === this.generation;
      } catch (e) {
        if (e instanceof Superseded) return false;
        throw e;
      }
    });
  }

  private async applyUntil(t: number, generation: number, stopAt = Infinity): Promise<void> {
    const commands: ScreenCommand[] = [];
    for (let item = await this.peek(generation, stopAt); item !== null && item.timeUs <= t; item = await this.peek(generation, stopAt)) {
      this.queue.shift();
      this.lastItemUs = item.timeUs;
      if (item.command) commands.push(item.command);
    }
    const primeFor = this.primeFor;
    if (primeFor && commands.some((c) => c.kind === "message" && c.op.kind === "fast_path")) {
      this.primeFor = null;
      await this.prime(primeFor, generation);
    }
    await this.screen.apply(commands);
    this.check(generation);
    this.timeUs = t;
  }

  /** Shows time `t`: from the keyframe at or before it. Returns false when superseded. */
  async seek(t: number): Promise<boolean> {
    const generation = ++this.generation;
    return this.run(generation, async () => {
      const plan = this.recording.seek(BigInt(Math.floor(t)));
      if (plan) {
        await this.recording.prefetch(plan);
        this.check(generation);
      }
      const metadata = this.recording.metadata;
      const [width, height] = plan ? [plan.entry.width, plan.entry.height] : [metadata.screenWidth, metadata.screenHeight];
      this.screen.startOver(width, height);
      this.screen.notDrawable.clear();
      this.primeFor = plan?.entry.keyframe && this.screen.decoder?.prime ? plan : null;
      this.startKeyframe = plan?.entry.keyframe ? plan.offset : -1;
      this.stream = this.recording.recordsFrom(plan);
      this.queue = [];
      this.ended = false;
      this.lastItemUs = plan ? Number(plan.entry.timeUs) : 0;
      await this.applyUntil(t, generation, plan ? plan.until : Infinity);
    });
  }

  /**
   * Hands the decoder the state every fast-path message before the seek's keyframe
   * carries, and restores the pointer's position (spec/rendering.md §6): reads every
   * record from the first content record to the keyframe (from the start also when
   * the keyframe's `tdST` chunk names a later record: the connection that record
   * starts resets the decoder on the way, so the state is the same).
   */
  private async prime(plan: SeekPlan, generation: number): Promise<void> {
    const index = this.recording.index!;
    const first = index.seekEntry(0);
    const stream = this.recording.recordsFrom({ position: 0, entry: first, offset: Number(first.offset) });
    const decoder = this.screen.decoder!;
    let size = { width: first.width, height: first.height };
    while (stream.offset < plan.offset) {
      const record = await stream.next();
      this.check(generation);
      if (record === null) break;
      if (record.type === "screen_size") size = sizeAfter([{ kind: "resize", width: record.width, height: record.height }], size);
      for (const { message } of messagesOf(record)) {
        const op = screenOp(message);
        if (op.kind === "fast_path") decoder.prime!(message, size);
        else if (op.kind === "pointer") this.screen.onPointer(op.x, op.y);
        else if (op.kind === "connection") decoder.reset(size);
        else if (op.kind === "size") {
          if (op.connection) decoder.reset({ width: op.width, height: op.height });
          size = sizeAfter([{ kind: "message", op }], size);
        }
      }
    }
  }
}
