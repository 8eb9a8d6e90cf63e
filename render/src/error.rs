//! What can go wrong while rendering, as one error type.
//!
//! A renderer meets two kinds of trouble: a message it cannot draw (a PNG
//! that does not decode, a fast-path update IronRDP refuses, a screen larger
//! than the renderer allows), which is reported for that message while the
//! screen stays usable; and a recording it cannot read, which ends playback.

use thiserror::Error;

/// Everything the renderer reports.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A screen size above the renderer's limit ([`crate::MAX_SIDE`] pixels
    /// a side) or with a zero side. The screen keeps its size.
    #[error("screen of {width}×{height} pixels refused: each side must be 1 to {max} pixels", max = crate::MAX_SIDE)]
    ScreenSize {
        /// The width asked for.
        width: u32,
        /// The height asked for.
        height: u32,
    },
    /// A PNG image (a PNG tile or a keyframe) that does not decode within the
    /// renderer's limits.
    #[error("PNG image: {0}")]
    Png(String),
    /// An RDP fast-path update the renderer cannot draw.
    #[error("RDP fast-path update: {0}")]
    FastPath(String),
    /// A message this renderer does not know, or a drawing that lands
    /// wholly outside the screen.
    #[error("{0}")]
    NotDrawable(String),
    /// A TDP message that does not decode.
    #[error("TDP message: {0}")]
    Tdp(#[from] tdpr::tdp::Error),
    /// The recording cannot be read.
    #[error(transparent)]
    Recording(#[from] tdpr::Error),
    /// Options that cannot be met: a speed or frame rate of 0, a video that
    /// ends before it starts, more frames than an APNG can count.
    #[error("{0}")]
    Options(String),
    /// An encoder of the renderer's output (PNG, APNG) failed.
    #[error("output: {0}")]
    Output(String),
    /// The sink an output was written to failed: a full disk, a closed pipe.
    #[error("writing the output: {0}")]
    Sink(#[source] std::io::Error),
}

impl From<png::EncodingError> for RenderError {
    fn from(e: png::EncodingError) -> Self {
        match e {
            png::EncodingError::IoError(e) => RenderError::Sink(e),
            other => RenderError::Output(other.to_string()),
        }
    }
}

/// The renderer's result type.
pub type Result<T, E = RenderError> = std::result::Result<T, E>;
