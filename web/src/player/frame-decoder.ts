/**
 * The interface a decoder of RDP fast-path updates implements for the player: the
 * renderer crate (`render/`) compiled to WebAssembly does (`wasm-decoder.ts`), so
 * that the browser and the CLI draw the same pixels from RemoteFX and other bitmap
 * updates. Without one, such messages are counted as not drawable and the count is
 * shown; none is skipped silently.
 */

export interface ScreenSize {
  readonly width: number;
  readonly height: number;
}

/** A rectangle of the screen that a message changed, with its new pixels. */
export interface DirtyRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** `width * height` pixels, RGBA, row by row, not premultiplied. */
  readonly rgba: Uint8ClampedArray;
}

export interface FrameDecoder {
  /**
   * Forgets all codec state and starts over for a screen of this size: called when the
   * player seeks (it then starts at a keyframe) and when the screen is resized.
   */
  reset(screen: ScreenSize): void;
  /**
   * Decodes one whole TDP message carrying an RDP fast-path update (legacy type 29, or
   * a TDPB envelope holding `FastPathPDU`) and returns the rectangles it changed, in
   * the order they are to be drawn. Throws when it cannot decode the message; the
   * player counts it as not drawable and goes on.
   */
  decode(message: Uint8Array, screen: ScreenSize): DirtyRect[];
  /**
   * Takes in the state a fast-path message carries (RemoteFX header, palette, pointer
   * cache, unfinished fragments, the QOIZ zstd stream) without drawing it
   * (spec/rendering.md §6). When it is present and a seek starts at a keyframe whose
   * `tdST` chunk does not say that no state is needed, the player reads every record
   * from the first content record to the keyframe, at the first fast-path update
   * after it, and hands it each fast-path message before the keyframe: for a
   * fast-path session a seek then costs the bytes before the keyframe too (a session
   * of PNG tiles, none). Without it, drawing resumes at the keyframe with a decoder
   * that has only been reset.
   */
  prime?(message: Uint8Array, screen: ScreenSize): void;
  /**
   * Pixels the player drew itself (a keyframe, PNG tiles), handed over before the
   * next `decode`, for a decoder that draws updates over the screen it keeps: an
   * update may redraw a rectangle around the tiles it carries from what the screen
   * held.
   */
  draw?(rect: DirtyRect, screen: ScreenSize): void;
}
