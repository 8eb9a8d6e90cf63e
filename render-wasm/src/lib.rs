//! # tdpr-render-wasm: the renderer for the browser player
//!
//! The browser player (`web/`) draws PNG tiles with the browser's own
//! decoder, and hands RDP fast-path updates (RemoteFX, QOIZ, bitmaps) to
//! this module: `tdpr-render`'s [`Screen`] compiled to
//! `wasm32-unknown-unknown`, so that the browser and `tdpr snapshot` draw
//! the same pixels with the same decoder (IronRDP's).
//!
//! The interface is a handful of exported functions over numbers, written by
//! hand rather than generated with wasm-bindgen: it needs no tool besides
//! cargo and the rustup target, no generated JavaScript to ship and keep in
//! step, and its one caller is typed in `web/src/player/wasm-decoder.ts`.
//! Bytes cross the boundary through this module's own memory: the caller
//! asks [`tdpr_input`] for a buffer, writes into it, then names its length;
//! it reads the screen's pixels where [`tdpr_pixels`] says. The module holds
//! one screen (a page makes one instance per player).
//!
//! Exporting a function under a fixed name (`#[no_mangle]`) is the only
//! construct here the `unsafe_code` lint counts; there is no `unsafe` block.
//! A panic aborts (the target does not unwind): the caller then makes a new
//! instance.

use std::cell::RefCell;

use tdpr_render::{RgbaImage, Screen};

/// Status of a call: done.
const OK: u32 = 0;
/// Status of a call: refused or not drawn; [`tdpr_error`] says why.
const FAILED: u32 = 1;

/// The module's one screen and its buffers.
struct State {
    screen: Screen,
    /// What the caller writes: a TDP message, or an image's RGBA pixels.
    input: Vec<u8>,
    image: RgbaImage,
    /// The damaged area [`tdpr_damage`] reports: x, y, width, height.
    damage: [u32; 4],
    /// Why the last call failed, UTF-8.
    error: String,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State {
        screen: Screen::new(0, 0).expect("a screen of unknown size"),
        input: Vec::new(),
        image: RgbaImage::default(),
        damage: [0; 4],
        error: String::new(),
    });
}

fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    STATE.with(|state| f(&mut state.borrow_mut()))
}

/// The status of `result`, keeping its error's text for [`tdpr_error`].
fn status(state: &mut State, result: Result<(), impl std::fmt::Display>) -> u32 {
    match result {
        Ok(()) => OK,
        Err(e) => {
            state.error = e.to_string();
            FAILED
        }
    }
}

/// A buffer of `len` bytes for the caller to write the next input into;
/// returns its address in this module's memory (valid until the next call
/// of this function).
#[no_mangle]
pub extern "C" fn tdpr_input(len: u32) -> usize {
    with_state(|state| {
        state.input.resize(len as usize, 0);
        state.input.as_mut_ptr() as usize
    })
}

/// Starts over with a black screen of `width` × `height` and a new decoder
/// (a seek, a new connection).
#[no_mangle]
pub extern "C" fn tdpr_reset(width: u32, height: u32) -> u32 {
    with_state(|state| {
        let screen = Screen::new(width, height);
        let result = screen.map(|screen| state.screen = screen);
        status(state, result)
    })
}

/// The screen takes this size: black when it is not the current one
/// ([`Screen::resize`]).
#[no_mangle]
pub extern "C" fn tdpr_resize(width: u32, height: u32) -> u32 {
    with_state(|state| {
        let result = state.screen.resize(width, height);
        status(state, result)
    })
}

/// Applies the TDP message of `len` bytes in the input buffer
/// ([`Screen::apply`]).
#[no_mangle]
pub extern "C" fn tdpr_apply(len: u32) -> u32 {
    with_state(|state| {
        let message = state.input.get(..len as usize).unwrap_or_default();
        let result = state.screen.apply(message);
        status(state, result)
    })
}

/// Takes in the decoder state of the message of `len` bytes in the input
/// buffer, read before a keyframe, without drawing it ([`Screen::prime`]).
#[no_mangle]
pub extern "C" fn tdpr_prime(len: u32) {
    with_state(|state| {
        let message = state.input.get(..len as usize).unwrap_or_default();
        state.screen.prime(message);
    })
}

/// Draws the `width` × `height` RGBA image in the input buffer at
/// (`left`, `top`): pixels the caller drew itself ([`Screen::draw_image`]).
#[no_mangle]
pub extern "C" fn tdpr_draw_image(left: u32, top: u32, width: u32, height: u32) -> u32 {
    with_state(|state| {
        let len = width as usize * height as usize * 4;
        let Some(pixels) = state.input.get(..len) else {
            state.error = format!(
                "{} bytes of input for a {width}×{height} image",
                state.input.len()
            );
            return FAILED;
        };
        state.image.width = width;
        state.image.height = height;
        state.image.pixels.clear();
        state.image.pixels.extend_from_slice(pixels);
        let State { screen, image, .. } = state;
        screen.draw_image(left, top, image);
        OK
    })
}

/// The screen area changed since the last call ([`Screen::take_damage`]):
/// the address of four `u32`s, x, y, width and height (width 0: nothing).
#[no_mangle]
pub extern "C" fn tdpr_damage() -> usize {
    with_state(|state| {
        let area = state.screen.take_damage().area;
        state.damage = area.map_or([0; 4], |a| [a.x, a.y, a.width, a.height]);
        state.damage.as_ptr() as usize
    })
}

/// The address of the screen's RGBA pixels, `width × height × 4` bytes.
#[no_mangle]
pub extern "C" fn tdpr_pixels() -> usize {
    with_state(|state| state.screen.pixels().as_ptr() as usize)
}

/// The screen's width.
#[no_mangle]
pub extern "C" fn tdpr_width() -> u32 {
    with_state(|state| state.screen.width())
}

/// The screen's height.
#[no_mangle]
pub extern "C" fn tdpr_height() -> u32 {
    with_state(|state| state.screen.height())
}

/// The address of why the last failed call failed, UTF-8, [`tdpr_error_len`]
/// bytes.
#[no_mangle]
pub extern "C" fn tdpr_error() -> usize {
    with_state(|state| state.error.as_ptr() as usize)
}

/// The length of [`tdpr_error`]'s text.
#[no_mangle]
pub extern "C" fn tdpr_error_len() -> u32 {
    with_state(|state| state.error.len() as u32)
}
