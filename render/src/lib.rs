//! # tdpr-render: the screen of a recording at any moment
//!
//! A tdpr recording holds the TDP messages a remote desktop sent; this crate
//! turns them into pixels, as `spec/rendering.md` says, so that every player
//! draws the same screen.
//!
//! | you want | use |
//! |---|---|
//! | to draw messages as they come (a live viewer, a browser player) | [`Screen`]: [`Screen::apply`] each message, [`Screen::take_damage`] to redraw what changed; to start at a keyframe, [`before_keyframe`] says what to [`Screen::prime`] with, then [`Screen::load_keyframe`] |
//! | the screen of a recording at a time | [`snapshot`], or [`Playback`]: [`Playback::at`] starts from the nearest keyframe, [`Playback::advance_to`] plays on; of a file in memory ([`tdpr::Recording`]) or read by range from an object store or a web server ([`tdpr::RangedRecording`]: [`Playback::still`] then fetches only the keyframe and the records up to the time), both [`Seekable`] |
//! | keyframes in a recording that has none | [`insert_keyframes`]; while recording, [`LiveKeyframes`] |
//! | thumbnails for a timeline | [`thumbnails`] |
//! | a video | [`export_apng`] (animated PNG), or [`VideoFrames`] to pipe raw RGBA frames to an encoder |
//! | test sessions of RemoteFX, QOIZ or bitmaps from known images | `synth` (feature `synth`) |
//!
//! Pixels are RGBA, 8 bits a channel, rows top to bottom. The pointer is kept
//! apart and drawn over them on request ([`Screen::composite`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod fast_path;
mod keyframe_state;
mod keyframes;
mod message;
mod playback;
mod png_image;
mod pointer;
mod rect;
mod screen;
mod seekable;
mod snapshot;
mod undrawn;
mod video;

pub use error::{RenderError, Result};
pub use fast_path::MAX_UPDATE_LEN;
pub use keyframe_state::{before_keyframe, BeforeKeyframe};
pub use keyframes::{insert_keyframes, Inserted, KeyframeSchedule, LiveKeyframes};
pub use playback::Playback;
pub use png_image::{decode_png, encode_png, Alpha, RgbaImage};
pub use pointer::{default_arrow, Pointer, PointerImage, PointerShape};
pub use rect::Rect;
pub use screen::{Damage, Screen, MAX_PIXELS, MAX_SIDE};
pub use seekable::{KeyframeStart, RecordAt, Seekable};
pub use snapshot::{duration_us, scale_to_width, snapshot, thumbnails, Thumbnail, Thumbnails};
pub use undrawn::{Undrawn, UndrawnKind};
pub use video::{export_apng, VideoFrames, VideoOptions, VideoStats};
#[cfg(feature = "synth")]
pub mod synth;

/// The README's example, compiled with the tests so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
