/**
 * `TdprPlayer`: a recording in a web page. `new TdprPlayer(element, url, options)`
 * opens the recording with two range requests and shows it on a canvas, with
 * play/pause, speed (0.25× to 16×), skipping idle time, a timeline of idle spans,
 * resizes and key events, keyframe thumbnails, a permalink (`#t=1:23.5`) and
 * keyboard shortcuts: space plays and pauses, ←/→ go 5 s back and forth, `<`/`>`
 * change speed, Home/End go to the start and the end.
 *
 * It is an `EventTarget`: `ready`, `timeupdate`, `seeked`, `idleskip` (detail: the
 * skip), `ended`, `error` (detail: the error).
 */

import { TdprError } from "../format/errors.js";
import { NO_KEYFRAME } from "../format/recording-index.js";
import { eventKindName } from "../format/messages.js";
import { BlobSource, type ByteSource } from "../loader/byte-source.js";
import { HttpRangeSource } from "../loader/http-range-source.js";
import { openRecording, type Recording } from "../loader/recording.js";
import { SPEEDS, advance, stepSpeed, type IdleSkip } from "./clock.js";
import type { FrameDecoder } from "./frame-decoder.js";
import { Playback } from "./playback.js";
import { Screen } from "./screen.js";
import { injectStyles } from "./styles.js";
import { formatPreciseTime, formatTime, timeFromHash } from "./time-format.js";
import { Timeline, type TimelineMarker } from "./timeline.js";

export interface TdprPlayerOptions {
  /** Playback speed, one of 0.25, 0.5, 1, 2, 4, 8, 16 (default 1). */
  readonly speed?: number;
  /** Shorten every stretch without activity to this many seconds (default 2). */
  readonly idleTimeLimit?: number;
  /** Start with idle skipping on (default false). */
  readonly skipIdle?: boolean;
  /** Start playing once open (default false). */
  readonly autoplay?: boolean;
  /** Where to start, µs (default: the permalink's time, else 0). */
  readonly startAt?: number;
  /** Read and write `#t=` in the page's location (default true). */
  readonly permalink?: boolean;
  /** Where keyboard shortcuts are listened to: the player element (default) or the whole document. */
  readonly keyboard?: "element" | "document";
  /**
   * Decoder of RDP fast-path updates: the renderer compiled to WebAssembly,
   * `WasmFrameDecoder.load(url of tdpr-render.wasm)`, or a promise of it (awaited
   * before the first screen; if it fails, fast-path updates are counted as not
   * drawable, with the reason).
   */
  readonly frameDecoder?: FrameDecoder | Promise<FrameDecoder>;
  /** Extra HTTP headers for range requests. */
  readonly headers?: Record<string, string>;
}

/** A snapshot of what the player is doing, for a page or a test. */
export interface PlayerState {
  readonly ready: boolean;
  readonly playing: boolean;
  readonly timeUs: number;
  readonly durationUs: number;
  readonly speed: number;
  readonly skipIdle: boolean;
  readonly screen: { readonly width: number; readonly height: number };
  readonly notDrawable: number;
  readonly idleSkips: readonly IdleSkip[];
  readonly error: string | null;
}

const EVENT_GROUPS: Record<string, string> = {
  clipboard_send: "clipboard",
  clipboard_receive: "clipboard",
  shared_directory_read: "directory",
  shared_directory_write: "directory",
  shared_directory_start: "directory",
  marker: "marker",
  session_join: "session",
  session_leave: "session",
  session_end: "session",
};

const SEEK_STEP_US = 5_000_000;
/** The most wall time one animation frame of playback accounts for, ms. */
const MAX_TICK_MS = 100;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  parent.appendChild(e);
  return e;
}

export class TdprPlayer extends EventTarget {
  readonly root: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  /** Resolves once the recording is open and the first frame is shown; rejects on failure. */
  readonly ready: Promise<void>;
  private recording: Recording | null = null;
  private playback: Playback | null = null;
  private readonly screen: Screen;
  private readonly timeline: Timeline;
  private readonly pointer: HTMLDivElement;
  private readonly playButton: HTMLButtonElement;
  private readonly timeText: HTMLSpanElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly idleCheckbox: HTMLInputElement;
  private readonly permalinkAnchor: HTMLAnchorElement;
  private readonly status: HTMLSpanElement;
  /** True once the recording is open and its first screen shown (`ready` resolved). */
  private opened = false;
  private playing = false;
  private looping = false;
  private loopDone: Promise<void> = Promise.resolve();
  private playFromUs = 0;
  private speed: number;
  private skipIdle: boolean;
  private readonly idleLimitUs: number;
  private readonly idleSkips: IdleSkip[] = [];
  private error: string | null = null;
  private readonly thumbnails = new Map<number, Promise<string | null>>();
  private readonly keyListener = (e: KeyboardEvent) => this.onKey(e);
  private readonly keyTarget: EventTarget;

  constructor(
    container: HTMLElement,
    source: string | ByteSource | Blob,
    private readonly options: TdprPlayerOptions = {},
  ) {
    super();
    injectStyles(container.ownerDocument);
    this.speed = SPEEDS.includes(options.speed ?? 1) ? (options.speed ?? 1) : 1;
    this.skipIdle = options.skipIdle ?? false;
    this.idleLimitUs = (options.idleTimeLimit ?? 2) * 1_000_000;

    this.root = el("div", "tdpr-player", container);
    this.root.tabIndex = 0;
    const stage = el("div", "tdpr-stage", this.root);
    this.canvas = el("canvas", "tdpr-canvas", stage);
    this.pointer = el("div", "tdpr-pointer", stage);
    const controls = el("div", "tdpr-controls", this.root);
    this.playButton = el("button", "tdpr-play", controls);
    this.playButton.type = "button";
    this.playButton.addEventListener("click", () => this.toggle());
    this.timeText = el("span", "tdpr-time", controls);
    this.timeline = new Timeline(controls, { seek: (t) => void this.seek(t), thumbnail: (t) => this.thumbnail(t) });
    this.speedSelect = el("select", "tdpr-speed", controls);
    this.speedSelect.setAttribute("aria-label", "speed");
    for (const s of SPEEDS) this.speedSelect.add(new Option(`${s}×`, String(s)));
    this.speedSelect.addEventListener("change", () => this.setSpeed(Number(this.speedSelect.value)));
    const idleLabel = el("label", "tdpr-idle-label", controls);
    this.idleCheckbox = el("input", "tdpr-skip-idle", idleLabel);
    this.idleCheckbox.type = "checkbox";
    idleLabel.append(` skip idle > ${this.idleLimitUs / 1e6} s`);
    this.idleCheckbox.addEventListener("change", () => this.setSkipIdle(this.idleCheckbox.checked));
    this.permalinkAnchor = el("a", "tdpr-permalink", controls);
    this.permalinkAnchor.textContent = "link";
    this.status = el("span", "tdpr-status", controls);

    this.screen = new Screen(this.canvas, null);
    this.screen.onPointer = (x, y) => {
      this.pointer.style.display = "block";
      this.pointer.style.left = `${(100 * x) / Math.max(1, this.canvas.width)}%`;
      this.pointer.style.top = `${(100 * y) / Math.max(1, this.canvas.height)}%`;
    };
    this.screen.onResize = () => (this.pointer.style.display = "none");

    this.keyTarget = options.keyboard === "document" ? container.ownerDocument : this.root;
    this.keyTarget.addEventListener("keydown", this.keyListener as EventListener);
    this.root.addEventListener("click", () => this.root.focus());

    this.ready = this.open(source);
    this.ready.catch(() => {});
    this.render();
  }

  private async open(source: string | ByteSource | Blob): Promise<void> {
    try {
      const byteSource =
        typeof source === "string"
          ? await HttpRangeSource.open(new URL(source, location.href).href, { headers: this.options.headers ?? {} })
          : source instanceof Blob
            ? new BlobSource(source)
            : source;
      this.recording = await openRecording(byteSource);
      await this.loadDecoder();
      this.playback = new Playback(this.recording, this.screen);
      const fromHash = this.options.permalink === false ? null : timeFromHash(location.hash);
      const start = this.options.startAt ?? fromHash ?? 0;
      await this.seek(start);
      this.layoutTimeline();
      this.opened = true;
      this.dispatchEvent(new Event("ready"));
      if (this.options.autoplay) this.play();
    } catch (e) {
      this.fail(e);
      throw e;
    }
  }

  private async loadDecoder(): Promise<void> {
    if (!this.options.frameDecoder) return;
    try {
      this.screen.decoder = await this.options.frameDecoder;
    } catch (e) {
      this.screen.noDecoder = `decoder not loaded: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private fail(e: unknown): void {
    this.playing = false;
    this.error = e instanceof TdprError ? e.message : `error: ${e instanceof Error ? e.message : String(e)}`;
    this.render();
    this.dispatchEvent(new CustomEvent("error", { detail: e }));
  }

  private get durationUs(): number {
    const d = this.recording?.durationUs;
    return d !== null && d !== undefined ? Number(d) : (this.playback?.latestUs ?? 0);
  }

  private layoutTimeline(): void {
    const index = this.recording?.index;
    if (!index || !this.recording) {
      this.timeline.layout(this.durationUs, [], []);
      return;
    }
    const idle = [];
    for (let i = 0; i < index.idleCount; i++) {
      const s = index.idleSpan(i);
      idle.push({ startUs: Number(s.startUs), endUs: Number(s.endUs) });
    }
    const markers: TimelineMarker[] = [];
    let last: [number, number] = [this.recording.metadata.screenWidth, this.recording.metadata.screenHeight];
    for (let i = 0; i < index.seekCount; i++) {
      const e = index.seekEntry(i);
      if (e.width !== last[0] || e.height !== last[1]) {
        markers.push({ timeUs: Number(e.timeUs), group: "resize", title: `screen ${e.width}×${e.height}` });
        last = [e.width, e.height];
      }
    }
    const recording = this.recording;
    for (let i = 0; i < index.eventCount; i++) {
      const e = index.eventEntry(i);
      const name = eventKindName(e.kind | 0) ?? `kind ${e.kind}`;
      markers.push({
        timeUs: Number(e.timeUs),
        group: EVENT_GROUPS[name] ?? "other",
        title: name.replace(/_/g, " "),
        detail: async () => {
          const r = await recording.readRecordAt(Number(e.offset), e.timeUs, index.eventEntryOffset(i), 4096);
          if (r.type !== "event") return null;
          return r.event.label || r.event.path || r.event.directoryName || r.event.user || (r.event.length ? `${r.event.length} bytes` : null);
        },
      });
    }
    this.timeline.layout(this.durationUs, idle, markers);
  }

  /** A thumbnail of the keyframe at or before `t` (an object URL), fetched once. */
  private thumbnail(t: number): Promise<string | null> {
    const index = this.recording?.index;
    const recording = this.recording;
    if (!index || !recording) return Promise.resolve(null);
    const at = index.lastEntryAtOrBefore(BigInt(Math.floor(t)));
    if (at < 0) return Promise.resolve(null);
    const entry = index.seekEntry(at);
    const k = entry.keyframe ? at : (entry.keyframeEntry ?? NO_KEYFRAME);
    if (k === NO_KEYFRAME || k > at) return Promise.resolve(null);
    let url = this.thumbnails.get(k);
    if (!url) {
      const keyframe = index.seekEntry(k);
      const next = k + 1 < index.seekCount ? Number(index.seekEntry(k + 1).offset) : recording.indexInfo!.indexOffset;
      const readAhead = Math.min(next - Number(keyframe.offset), 256 * 1024);
      url = recording
        .readRecordAt(Number(keyframe.offset), keyframe.timeUs, index.seekEntryFieldOffset(k, "time_us"), readAhead)
        .then((r) => (r.type === "keyframe" ? URL.createObjectURL(new Blob([r.png as Uint8Array<ArrayBuffer>], { type: "image/png" })) : null))
        .catch(() => null);
      this.thumbnails.set(k, url);
    }
    return url;
  }

  /** What the player is doing. */
  get state(): PlayerState {
    return {
      ready: this.opened,
      playing: this.playing,
      timeUs: this.playback?.timeUs ?? 0,
      durationUs: this.durationUs,
      speed: this.speed,
      skipIdle: this.skipIdle,
      screen: { width: this.canvas.width, height: this.canvas.height },
      notDrawable: this.screen.notDrawable.total,
      idleSkips: [...this.idleSkips],
      error: this.error,
    };
  }

  play(): void {
    if (!this.playback || this.playing) return;
    if (this.playback.atEnd && this.playback.timeUs >= this.durationUs) {
      void this.seek(0).then(() => this.play());
      return;
    }
    this.playing = true;
    this.playFromUs = this.playback.timeUs;
    this.render();
    if (!this.looping) this.loopDone = this.loop();
  }

  /** Stops playing; resolves once the time shown is final (and the permalink written). */
  async pause(): Promise<void> {
    this.playing = false;
    this.render();
    await this.loopDone;
    this.render();
    this.writePermalink();
  }

  toggle(): void {
    if (this.playing) void this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    if (SPEEDS.includes(speed)) this.speed = speed;
    this.render();
  }

  setSkipIdle(on: boolean): void {
    this.skipIdle = on;
    this.render();
  }

  /** Shows time `t` (µs); playing goes on from there if it was playing. */
  async seek(t: number): Promise<void> {
    if (!this.playback) return;
    const target = Math.max(0, this.recording?.finished ? Math.min(t, this.durationUs) : t);
    try {
      if (!(await this.playback.seek(target))) return;
    } catch (e) {
      this.fail(e);
      return;
    }
    this.playFromUs = target;
    this.render();
    this.writePermalink();
    this.dispatchEvent(new Event("seeked"));
  }

  private async loop(): Promise<void> {
    this.looping = true;
    const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
    let last = await frame();
    try {
      while (this.playing && this.playback) {
        const now = await frame();
        // A tick that took long (drawing could not keep up with the speed) counts
        // as at most MAX_TICK_MS: playback then runs slower than asked but keeps
        // showing screens, instead of applying ever larger batches between them.
        const wall = Math.min(now - last, MAX_TICK_MS);
        last = now;
        const playback = this.playback;
        const next = await playback.nextTime();
        const { timeUs, skip } = advance(
          {
            timeUs: playback.timeUs,
            idleFromUs: Math.max(playback.lastItemUs, this.playFromUs),
            nextUs: next,
            speed: this.speed,
            idleLimitUs: this.skipIdle ? this.idleLimitUs : null,
          },
          wall,
        );
        if (!this.playing) break;
        // A finished recording stops at its duration; an unfinished one where its records end.
        const end = this.durationUs;
        const target = this.recording?.finished ? Math.min(timeUs, end) : next === null ? Math.min(timeUs, Math.max(end, playback.timeUs)) : timeUs;
        if (skip) {
          this.idleSkips.push(skip);
          this.dispatchEvent(new CustomEvent("idleskip", { detail: skip }));
        }
        if (!(await playback.advanceTo(target))) continue;
        if (next === null && target >= end) {
          this.playing = false;
          this.dispatchEvent(new Event("ended"));
        }
        this.render();
        this.dispatchEvent(new Event("timeupdate"));
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.looping = false;
      this.render();
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = this.playback?.timeUs ?? 0;
    switch (e.key) {
      case " ":
        this.toggle();
        break;
      case "ArrowLeft":
        void this.seek(t - SEEK_STEP_US);
        break;
      case "ArrowRight":
        void this.seek(t + SEEK_STEP_US);
        break;
      case "<":
      case ",":
        this.setSpeed(stepSpeed(this.speed, -1));
        break;
      case ">":
      case ".":
        this.setSpeed(stepSpeed(this.speed, 1));
        break;
      case "Home":
        void this.seek(0);
        break;
      case "End":
        void this.seek(this.durationUs);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private permalinkHash(): string {
    return `#t=${formatPreciseTime(this.playback?.timeUs ?? 0)}`;
  }

  private writePermalink(): void {
    if (this.options.permalink === false || this.playing || !this.playback) return;
    history.replaceState(history.state, "", this.permalinkHash());
  }

  private render(): void {
    const t = this.playback?.timeUs ?? 0;
    const duration = this.durationUs;
    this.playButton.textContent = this.playing ? "❚❚" : "▶";
    this.playButton.setAttribute("aria-label", this.playing ? "pause" : "play");
    this.timeText.textContent = `${formatTime(t)} / ${formatTime(duration)}`;
    this.timeline.update(t, duration);
    this.speedSelect.value = String(this.speed);
    this.idleCheckbox.checked = this.skipIdle;
    this.permalinkAnchor.href = this.permalinkHash();
    const notDrawable = this.screen.notDrawable;
    const parts = [];
    if (this.error) parts.push(this.error);
    if (notDrawable.total > 0) {
      parts.push(`${notDrawable.total} not drawable (${[...notDrawable.reasons].map(([r, n]) => `${n} ${r}`).join(", ")})`);
    }
    this.status.textContent = parts.join(" · ");
  }

  /** Stops playing and removes the player from the page. */
  destroy(): void {
    this.playing = false;
    this.keyTarget.removeEventListener("keydown", this.keyListener as EventListener);
    for (const url of this.thumbnails.values()) void url.then((u) => u && URL.revokeObjectURL(u));
    this.root.remove();
  }
}
