/**
 * The timeline under the screen: the played part, the idle spans of the index, the
 * screen resizes and the key events (clipboard, shared directories, markers, joins),
 * each a marker that jumps to its time when clicked. Hovering shows the time and a
 * thumbnail of the keyframe at or before it. Click anywhere on the track to seek.
 */

import { formatTime } from "./time-format.js";

export interface TimelineMarker {
  readonly timeUs: number;
  /** CSS class suffix: `clipboard`, `directory`, `marker`, `session`, `resize`, `other`. */
  readonly group: string;
  readonly title: string;
  /** More detail, fetched on hover (a marker's label). */
  readonly detail?: () => Promise<string | null>;
}

export interface TimelineSpan {
  readonly startUs: number;
  readonly endUs: number;
}

export interface TimelineCallbacks {
  seek(timeUs: number): void;
  /** An object URL of a thumbnail for the time, or null. */
  thumbnail(timeUs: number): Promise<string | null>;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  parent?.appendChild(e);
  return e;
}

export class Timeline {
  readonly root: HTMLDivElement;
  private readonly track: HTMLDivElement;
  private readonly progress: HTMLDivElement;
  private readonly hover: HTMLDivElement;
  private readonly hoverImage: HTMLImageElement;
  private readonly hoverText: HTMLSpanElement;
  private durationUs = 0;
  private hoverToken = 0;

  constructor(
    parent: HTMLElement,
    private readonly callbacks: TimelineCallbacks,
  ) {
    this.root = element("div", "tdpr-timeline", parent);
    this.track = element("div", "tdpr-track", this.root);
    this.track.setAttribute("role", "slider");
    this.track.setAttribute("aria-label", "position");
    this.progress = element("div", "tdpr-progress", this.track);
    this.hover = element("div", "tdpr-hover", this.root);
    this.hoverImage = element("img", "tdpr-thumbnail", this.hover);
    this.hoverImage.alt = "";
    this.hoverText = element("span", "tdpr-hover-time", this.hover);
    this.track.addEventListener("click", (e) => this.callbacks.seek(this.timeAt(e.clientX)));
    this.track.addEventListener("mousemove", (e) => this.showHover(e.clientX, null));
    this.track.addEventListener("mouseleave", () => {
      this.hoverToken++;
      this.hover.style.display = "none";
    });
  }

  private timeAt(clientX: number): number {
    const box = this.track.getBoundingClientRect();
    return Math.max(0, Math.min(1, (clientX - box.left) / box.width)) * this.durationUs;
  }

  private percent(us: number): string {
    return this.durationUs > 0 ? `${Math.min(100, (100 * us) / this.durationUs)}%` : "0%";
  }

  private showHover(clientX: number, marker: TimelineMarker | null): void {
    const t = marker ? marker.timeUs : this.timeAt(clientX);
    const token = ++this.hoverToken;
    this.hover.style.display = "block";
    this.hover.style.left = this.percent(t);
    this.hoverText.textContent = marker ? `${formatTime(t)} ${marker.title}` : formatTime(t);
    void this.callbacks.thumbnail(t).then((url) => {
      if (token !== this.hoverToken) return;
      if (url) this.hoverImage.src = url;
      this.hoverImage.style.display = url ? "block" : "none";
    });
    void marker?.detail?.().then((detail) => {
      if (token === this.hoverToken && detail) this.hoverText.textContent = `${formatTime(t)} ${marker.title}: ${detail}`;
    });
  }

  /** Lays out the spans and markers for a recording of this duration. */
  layout(durationUs: number, idle: readonly TimelineSpan[], markers: readonly TimelineMarker[]): void {
    this.durationUs = durationUs;
    this.track.setAttribute("aria-valuemin", "0");
    this.track.setAttribute("aria-valuemax", String(durationUs));
    for (const old of this.track.querySelectorAll(".tdpr-idle, .tdpr-marker")) old.remove();
    for (const span of idle) {
      const e = element("div", "tdpr-idle", this.track);
      e.style.left = this.percent(span.startUs);
      e.style.width = `calc(${this.percent(span.endUs)} - ${this.percent(span.startUs)})`;
      e.title = `idle ${formatTime(span.endUs - span.startUs)}`;
    }
    for (const { marker: m, more } of this.merged(markers)) {
      const e = element("button", `tdpr-marker tdpr-marker-${m.group}`, this.track);
      e.type = "button";
      e.style.left = this.percent(m.timeUs);
      e.dataset.timeUs = String(m.timeUs);
      e.dataset.group = m.group;
      e.setAttribute("aria-label", `${m.title}${more ? ` and ${more} more` : ""} at ${formatTime(m.timeUs)}`);
      e.addEventListener("click", (ev) => {
        ev.stopPropagation();
        this.callbacks.seek(m.timeUs);
      });
      e.addEventListener("mouseenter", (ev) => {
        ev.stopPropagation();
        this.showHover(0, more ? { ...m, title: `${m.title} and ${more} more` } : m);
      });
      e.addEventListener("mousemove", (ev) => ev.stopPropagation());
    }
  }

  /**
   * Markers of one group closer than 1/800 of the duration merge into the first of
   * them (a day-long recording has thousands of events, more than the track has pixels).
   */
  private merged(markers: readonly TimelineMarker[]): { marker: TimelineMarker; more: number }[] {
    const out: { marker: TimelineMarker; more: number }[] = [];
    const lastOfGroup = new Map<string, { marker: TimelineMarker; more: number }>();
    const gap = this.durationUs / 800;
    for (const m of [...markers].sort((a, b) => a.timeUs - b.timeUs)) {
      const last = lastOfGroup.get(m.group);
      if (last && m.timeUs - last.marker.timeUs < gap) {
        last.more++;
        continue;
      }
      const kept = { marker: m, more: 0 };
      out.push(kept);
      lastOfGroup.set(m.group, kept);
    }
    return out;
  }

  /** Moves the played part to `timeUs`. */
  update(timeUs: number, durationUs: number): void {
    if (durationUs !== this.durationUs) this.durationUs = durationUs;
    this.progress.style.width = this.percent(timeUs);
    this.track.setAttribute("aria-valuenow", String(Math.floor(timeUs)));
  }
}
