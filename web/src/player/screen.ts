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

export class Screen {
  private readonly ctx: CanvasRenderingContext2D;
  readonly notDrawable = new NotDrawable();
  /** Called with the pointer position of the last pointer move drawn. */
  onPointer: (x: number, y: number) => void = () => {};
  onResize: (size: ScreenSize) => void = () => {};

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly decoder: FrameDecoder | null,
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
          if (image) this.ctx.drawImage(image, 0, 0);
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
        else this.ctx.drawImage(image, op.left, op.top);
        return;
      case "fast_path":
        this.drawFastPath(op.message);
        return;
      case "size":
        if (op.connection) this.decoder?.reset({ width: op.width, height: op.height });
        this.resize(op.width, op.height);
        return;
      case "connection":
        this.decoder?.reset(this.size);
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
      this.notDrawable.add("RDP fast-path update (no decoder)");
      return;
    }
    try {
      for (const r of this.decoder.decode(message, this.size)) {
        this.ctx.putImageData(new ImageData(r.rgba as Uint8ClampedArray<ArrayBuffer>, r.width, r.height), r.x, r.y);
      }
    } catch (e) {
      this.notDrawable.add(`RDP fast-path update: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
