/**
 * The `FrameDecoder` of the renderer crate compiled to WebAssembly
 * (`render-wasm/`, built by `npm run build:wasm` to `dist/tdpr-render.wasm`): RDP
 * fast-path updates (RemoteFX, QOIZ, bitmaps) are drawn by tdpr-render's `Screen`,
 * IronRDP's decoders included, so the browser shows the pixels `tdpr snapshot`
 * gives. The module keeps its own copy of the screen, since an update may draw a
 * rectangle around the tiles it carries from what the screen held; the player
 * copies into it what it drew itself (keyframes, PNG tiles) through `draw`.
 *
 * The module's exports (render-wasm/src/lib.rs) take and return numbers; bytes
 * cross through its memory. A panic in the module traps (the target does not
 * unwind): the decoder then starts a new instance and throws `DecoderRestarted`,
 * after which the player hands it the whole screen again.
 */

import type { DirtyRect, FrameDecoder, ScreenSize } from "./frame-decoder.js";

interface RendererExports {
  readonly memory: WebAssembly.Memory;
  tdpr_input(len: number): number;
  tdpr_reset(width: number, height: number): number;
  tdpr_resize(width: number, height: number): number;
  tdpr_apply(len: number): number;
  tdpr_prime(len: number): void;
  tdpr_draw_image(left: number, top: number, width: number, height: number): number;
  tdpr_damage(): number;
  tdpr_pixels(): number;
  tdpr_width(): number;
  tdpr_height(): number;
  tdpr_error(): number;
  tdpr_error_len(): number;
}

const EXPORTS: readonly (keyof RendererExports)[] = [
  "memory",
  "tdpr_input",
  "tdpr_reset",
  "tdpr_resize",
  "tdpr_apply",
  "tdpr_prime",
  "tdpr_draw_image",
  "tdpr_damage",
  "tdpr_pixels",
  "tdpr_width",
  "tdpr_height",
  "tdpr_error",
  "tdpr_error_len",
];

/** The module trapped: the decoder runs a new instance, which knows nothing of the screen. */
export class DecoderRestarted extends Error {}

function instantiate(module: WebAssembly.Module): RendererExports {
  const exports = new WebAssembly.Instance(module, {}).exports;
  const missing = EXPORTS.filter((name) => !(name in exports));
  if (missing.length > 0) throw new Error(`not the tdpr renderer module: no ${missing.join(", ")}`);
  return exports as unknown as RendererExports;
}

export class WasmFrameDecoder implements FrameDecoder {
  private renderer: RendererExports;

  private constructor(private readonly module: WebAssembly.Module) {
    this.renderer = instantiate(module);
  }

  /** Fetches and compiles the module at `url`. */
  static async load(url: string | URL): Promise<WasmFrameDecoder> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return WasmFrameDecoder.fromBytes(await response.arrayBuffer());
  }

  /** Compiles the module from its bytes. */
  static async fromBytes(bytes: BufferSource): Promise<WasmFrameDecoder> {
    return new WasmFrameDecoder(await WebAssembly.compile(bytes));
  }

  reset(screen: ScreenSize): void {
    this.call(() => this.check(this.renderer.tdpr_reset(screen.width, screen.height)));
  }

  decode(message: Uint8Array, screen: ScreenSize): DirtyRect[] {
    return this.call(() => {
      this.fit(screen);
      const status = this.renderer.tdpr_apply(this.input(message));
      const damage = this.damage();
      this.check(status);
      return damage;
    });
  }

  prime(message: Uint8Array, screen: ScreenSize): void {
    this.call(() => {
      this.fit(screen);
      this.renderer.tdpr_prime(this.input(message));
      this.renderer.tdpr_damage();
    });
  }

  draw(rect: DirtyRect, screen: ScreenSize): void {
    this.call(() => {
      this.fit(screen);
      this.input(rect.rgba);
      this.check(this.renderer.tdpr_draw_image(rect.x, rect.y, rect.width, rect.height));
      this.renderer.tdpr_damage();
    });
  }

  /** Runs `work`; a trap restarts the module and throws `DecoderRestarted`. */
  private call<T>(work: () => T): T {
    try {
      return work();
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      this.renderer = instantiate(this.module);
      throw new DecoderRestarted(`the renderer crashed (${e.message}) and was restarted`);
    }
  }

  /** The module's screen takes the player's size (black when it changes, as the canvas does). */
  private fit(screen: ScreenSize): void {
    if (this.renderer.tdpr_width() !== screen.width || this.renderer.tdpr_height() !== screen.height) {
      this.check(this.renderer.tdpr_resize(screen.width, screen.height));
    }
  }

  /** Copies `bytes` into the module's input buffer; returns their length. */
  private input(bytes: Uint8Array | Uint8ClampedArray): number {
    const at = this.renderer.tdpr_input(bytes.length);
    new Uint8Array(this.renderer.memory.buffer, at, bytes.length).set(bytes);
    return bytes.length;
  }

  private check(status: number): void {
    if (status === 0) return;
    const r = this.renderer;
    throw new Error(new TextDecoder().decode(new Uint8Array(r.memory.buffer, r.tdpr_error(), r.tdpr_error_len())));
  }

  /** The rectangle the last calls changed, with a copy of its pixels. */
  private damage(): DirtyRect[] {
    const r = this.renderer;
    const [x, y, width, height] = new Uint32Array(r.memory.buffer, r.tdpr_damage(), 4);
    if (!width || !height) return [];
    const stride = r.tdpr_width() * 4;
    const screen = new Uint8Array(r.memory.buffer, r.tdpr_pixels(), stride * r.tdpr_height());
    const rgba = new Uint8ClampedArray(width * height * 4);
    const row = width * 4;
    for (let i = 0; i < height; i++) {
      const from = (y + i) * stride + x * 4;
      rgba.set(screen.subarray(from, from + row), i * row);
    }
    return [{ x, y, width, height, rgba }];
  }
}
