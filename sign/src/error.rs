//! Why signing a file or cutting an excerpt failed.

use crate::key::KeyId;

/// A failure of [`crate::sign_recording`] or [`crate::clip`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The input is not a readable recording, or the output could not be
    /// written.
    #[error(transparent)]
    Format(#[from] tdpr::Error),
    /// The input is signed already; signing it again drops its signatures,
    /// which must be asked for.
    #[error("the recording is signed already{}", .0.map(|k| format!(", by key {k}")).unwrap_or_default())]
    AlreadySigned(Option<KeyId>),
    /// The input holds nothing a checkpoint proves.
    #[error("the recording has no checkpoint that proves its records")]
    NotSigned,
    /// No proven record of the original meets the time range.
    #[error("no record proven by the original's signatures is between {from_us} and {to_us} µs")]
    EmptyRange {
        /// Start of the range.
        from_us: u64,
        /// End of the range.
        to_us: u64,
    },
}
