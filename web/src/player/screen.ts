/**
 * The remote screen, drawn on a canvas as spec/rendering.md says: it starts black at
 * the metadata's size; an announced size other than the current one replaces it with
 * a black screen of that size (sides of 1 to 8192 pixels); PNG tiles (and the keyframe
 * a seek starts at) are decoded by the browser (`createImageBitmap`, no colour
 * conversion, so pixels are the PNG's own) and drawn at their left and top;
 * fast-path updates go through a `FrameDecoder` when one is given. Commands are
 * applied in batches: every image of a batch that stays visible (occlusion.ts) is
 * decoded in parallel, then everything is drawn in file order.
 */

import type { FrameDecoder, ScreenSize } from "./frame-decoder.js";
import { DecoderRestarted } from "./wasm-decoder.js";
import { hiddenImages } from "./occlusion.js";
import { MAX_SIDE, type ScreenCommand } from "./screen-command.js";
import type { ScreenOp } from "./tdp-message.js";

/** Messages that could not be drawn since the last seek, by reason; shown to the user. */
export class NotDrawable {
  readonly reasons = new Map<string, number>();
  total = 0;

  add(reason: string): void {
    this.total++;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  clear(): void {
    this.total = 0;
    this.reasons.clear();
  }
}

/** An area of the screen, right and bottom exclusive. */
interface Rect {
  readonly x: number;
  readonly y: number;
  readonly right: number;
  readonly bottom: number;
}

export class Screen {
  private readonly ctx: CanvasRenderingContext2D;
  readonly notDrawable = new NotDrawable();
  /** Called with the pointer position of the last pointer move drawn. */
  onPointer: (x: number, y: number) => void = () => {};
  onResize: (size: ScreenSize) => void = () => {};
  /** Why fast-path updates are not drawn when there is no decoder. */
  noDecoder = "no decoder";
  /** What was drawn on the canvas outside the decoder since it last saw the screen. */
  private decoderStale: Rect | null = null;

  constructor(
    readonly canvas: HTMLCanvasElement,
    public decoder: FrameDecoder | null,
  ) {
    const ctx = canvas.getContext("2d", { alpha: false, willReadFrequently: false });
    if (!ctx) throw new Error("no 2D canvas context");
    this.ctx = ctx;
  }

  get size(): ScreenSize {
    return { width: this.canvas.width, height: this.canvas.height };
  }

  private clear(width: number, height: number): void {
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.onResize({ width, height });
    }
    this.ctx.fillStyle = "#000";
    this.ctx.fillRect(0, 0, width, height);
    this.decoderStale = null;
  }

  /** The canvas changed in this area outside the decoder (clipped to the screen). */
  private drewOutsideDecoder(x: number, y: number, width: number, height: number): void {
    if (!this.decoder?.draw) return;
    const right = Math.min(x + width, this.canvas.width);
    const bottom = Math.min(y + height, this.canvas.height);
    if (right <= x || bottom <= y) return;
    const s = this.decoderStale;
    this.decoderStale = s
      ? { x: Math.min(s.x, x), y: Math.min(s.y, y), right: Math.max(s.right, right), bottom: Math.max(s.bottom, bottom) }
      : { x, y, right, bottom };
  }

  /** A new decoder state (a new connection) over a screen that keeps its pixels. */
  private resetDecoder(size: ScreenSize): void {
    this.decoder?.reset(size);
    this.drewOutsideDecoder(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Starts over, as a seek does: a black screen of this size, the decoder reset. */
  startOver(width: number, height: number): void {
    this.clear(width, height);
    this.decoder?.reset({ width, height });
  }

  /** An announced size: a new black screen unless it is the current size; refused when out of range. */
  private resize(width: number, height: number): void {
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
      this.notDrawable.add(`screen size ${width}×${height} refused`);
      return;
    }
    if (width !== this.canvas.width || height !== this.canvas.height) this.clear(width, height);
  }

  private async decodeImage(png: Uint8Array): Promise<ImageBitmap | null> {
    try {
      return await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>], { type: "image/png" }), {
        premultiplyAlpha: "none",
        colorSpaceConversion: "none",
      });
    } catch {
      return null;
    }
  }

  /** Draws a batch of commands in order; images that later ones hide are not decoded. */
  async apply(commands: readonly ScreenCommand[]): Promise<void> {
    const hidden = hiddenImages(commands, this.size);
    const images = await Promise.all(
      commands.map((c, i) =>
        hidden[i] ? null : c.kind === "keyframe" ? this.decodeImage(c.png) : c.kind === "message" && c.op.kind === "png" ? this.decodeImage(c.op.png) : null,
      ),
    );
    commands.forEach((c, i) => {
      const image = images[i] ?? null;
      switch (c.kind) {
        case "resize":
          this.resize(c.width, c.height);
          break;
        case "keyframe":
          this.clear(c.width, c.height);
          if (image) {
            this.ctx.drawImage(image, 0, 0);
            this.drewOutsideDecoder(0, 0, image.width, image.height);
          }
          else if (!hidden[i]) this.notDrawable.add("keyframe PNG does not decode");
          break;
        case "message":
          if (!hidden[i]) this.draw(c.op, image);
          break;
      }
      image?.close();
    });
  }

  private draw(op: ScreenOp, image: ImageBitmap | null): void {
    switch (op.kind) {
      case "png":
        if (!image) this.notDrawable.add("PNG tile does not decode");
        else if (op.left >= this.canvas.width || op.top >= this.canvas.height) this.notDrawable.add("PNG tile wholly outside the screen");
        else {
          this.ctx.drawImage(image, op.left, op.top);
          this.drewOutsideDecoder(op.left, op.top, image.width, image.height);
        }
        return;
      case "fast_path":
        this.drawFastPath(op.message);
        return;
      case "size":
        if (op.connection) this.resetDecoder({ width: op.width, height: op.height });
        this.resize(op.width, op.height);
        return;
      case "connection":
        this.resetDecoder(this.size);
        return;
      case "pointer":
        this.onPointer(op.x, op.y);
        return;
      case "undrawable":
        this.notDrawable.add(op.reason);
        return;
      case "none":
        return;
    }
  }

  private drawFastPath(message: Uint8Array): void {
    if (!this.decoder) {
      this.notDrawable.add(`RDP fast-path update (${this.noDecoder})`);
      return;
    }
    try {
      const stale = this.decoderStale;
      if (stale && this.decoder.draw) {
        const { x, y } = stale;
        const [width, height] = [stale.right - x, stale.bottom - y];
        this.decoder.draw({ x, y, width, height, rgba: this.ctx.getImageData(x, y, width, height).data }, this.size);
      }
      this.decoderStale = null;
      for (const r of this.decoder.decode(message, this.size)) {
        this.ctx.putImageData(new ImageData(r.rgba as Uint8ClampedArray<ArrayBuffer>, r.width, r.height), r.x, r.y);
      }
    } catch (e) {
      if (e instanceof DecoderRestarted) this.resetDecoder(this.size);
      const why = e instanceof Error ? e.message : String(e);
      // The renderer's errors name the update already.
      this.notDrawable.add(why.startsWith("RDP fast-path update") ? why : `RDP fast-path update: ${why}`);
    }
  }
}
