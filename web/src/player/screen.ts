/**
 * The remote screen, drawn on a canvas: resizes, keyframes, PNG tiles decoded by the
 * browser (`createImageBitmap`, no colour conversion, so pixels are the PNG's own),
 * and fast-path updates through a `FrameDecoder` when one is given. Commands are
 * applied in batches: every image of a batch that stays visible (occlusion.ts) is
 * decoded in parallel, then everything is drawn in file order. A resize clears the screen to opaque black, as does the
 * start of a seek; the recording's next keyframe or tiles repaint it.
 */

import type { FrameDecoder, ScreenSize } from "./frame-decoder.js";
import { hiddenImages } from "./occlusion.js";
import type { ScreenOp } from "./tdp-message.js";

export type ScreenCommand =
  | { readonly kind: "message"; readonly op: ScreenOp }
  | { readonly kind: "keyframe"; readonly png: Uint8Array }
  | { readonly kind: "resize"; readonly width: number; readonly height: number };

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
    private readonly decoder: FrameDecoder | null,
  ) {
    const ctx = canvas.getContext("2d", { alpha: false, willReadFrequently: false });
    if (!ctx) throw new Error("no 2D canvas context");
    this.ctx = ctx;
  }

  get size(): ScreenSize {
    return { width: this.canvas.width, height: this.canvas.height };
  }

  /** Sets the screen's size and clears it to black; the decoder starts over. */
  reset(width: number, height: number): void {
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.onResize({ width, height });
    }
    this.ctx.fillStyle = "#000";
    this.ctx.fillRect(0, 0, width, height);
    this.decoder?.reset({ width, height });
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

  /** The screen's size once `commands` are applied. */
  private sizeAfter(commands: readonly ScreenCommand[]): ScreenSize {
    for (let i = commands.length - 1; i >= 0; i--) {
      const c = commands[i]!;
      if (c.kind === "resize") return { width: c.width, height: c.height };
    }
    return this.size;
  }

  /** Draws a batch of commands in order; images that later ones hide are not decoded. */
  async apply(commands: readonly ScreenCommand[]): Promise<void> {
    const hidden = hiddenImages(commands, this.sizeAfter(commands));
    const images = await Promise.all(
      commands.map((c, i) =>
        hidden[i] ? null : c.kind === "keyframe" ? this.decodeImage(c.png) : c.kind === "message" && c.op.kind === "png" ? this.decodeImage(c.op.png) : null,
      ),
    );
    commands.forEach((c, i) => {
      const image = images[i] ?? null;
      switch (c.kind) {
        case "resize":
          this.reset(c.width, c.height);
          break;
        case "keyframe":
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
        if (image) this.ctx.drawImage(image, op.left, op.top);
        else this.notDrawable.add("PNG tile does not decode");
        return;
      case "fast_path":
        if (!this.decoder) {
          this.notDrawable.add("RDP fast-path update (no decoder)");
          return;
        }
        try {
          for (const r of this.decoder.decode(op.message, this.size)) {
            this.ctx.putImageData(new ImageData(r.rgba as Uint8ClampedArray<ArrayBuffer>, r.width, r.height), r.x, r.y);
          }
        } catch (e) {
          this.notDrawable.add(`RDP fast-path update: ${e instanceof Error ? e.message : String(e)}`);
        }
        return;
      case "pointer":
        this.onPointer(op.x, op.y);
        return;
      case "malformed":
        this.notDrawable.add(op.reason);
        return;
      case "none":
        return;
    }
  }
}
