//! Synthetic desktop sessions recorded as tdpr: the built-in sample
//! ([`sample`]) and sessions of any length, the corpus for benchmarks and for
//! tests that need realistic recordings.
//!
//! A crate of its own so that a recorder depending on `tdpr` never compiles
//! it; `tdpr`'s tests and benchmarks and the `tdpr` command line use it.
//!
//! The format promises fluid playback and cheap seeking in large recordings;
//! proving it takes recordings shaped like real ones, which cannot be shipped
//! (they show real desktops) and are too big to commit. [`write_synthetic`]
//! writes one from a seed: a desktop with windows, text and flat areas sent
//! as PNG tiles when they change, as a remote-desktop server sends them;
//! pointer-move storms; typing bursts (seen as screen updates, since Teleport
//! does not record keyboard input); idle gaps; screen resizes; clipboard and
//! file-transfer events; and periodic keyframes. The same options always give
//! the same bytes.
//!
//! ```
//! use tdpr_synth::{write_synthetic, Profile, SynthOptions};
//!
//! let options = SynthOptions { duration_us: 5_000_000, seed: 7, profile: Profile::Office, ..Default::default() };
//! let bytes = write_synthetic(Vec::new(), &options)?;
//! tdpr::validate(&bytes)?;
//! # Ok::<(), tdpr::Error>(())
//! ```

mod keyframe_state;
pub mod sample;
mod screen;
mod session;

use std::fmt;
use std::io::Write;
use std::str::FromStr;

use tdpr::proto::Metadata;
use tdpr::{Result, WriterOptions};

/// What the synthetic user does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Office work: typing, pointer movement, windows opening and
    /// scrolling, clipboard and file transfers, pauses and idle gaps.
    #[default]
    Office,
    /// Watching a video: a large region changing many times a second with
    /// poorly compressible content.
    Video,
    /// A session left open: long idle gaps with rare short activity.
    Idle,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [Profile::Office, Profile::Video, Profile::Idle];

    /// The profile's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Office => "office",
            Profile::Video => "video",
            Profile::Idle => "idle",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| format!("unknown profile {s:?}: expected office, video or idle"))
    }
}

/// What [`write_synthetic`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthOptions {
    /// Length of the session: the time of its last record (the session-end
    /// event).
    pub duration_us: u64,
    /// Seed of the pseudo-random choices; the same options give the same
    /// bytes.
    pub seed: u64,
    /// What the user does.
    pub profile: Profile,
    /// How the recording is written.
    pub writer: WriterOptions,
    /// Bytes of screen updates after which a keyframe is due before the
    /// minute is up, so that a seek anywhere reads at most about this much
    /// after a keyframe (plus the keyframe); 0 for a keyframe a minute
    /// only. A video session sends about 2 MB a second.
    pub keyframe_after_bytes: u64,
}

impl Default for SynthOptions {
    /// Ten minutes of office work, seed 0, default writer options, a
    /// keyframe a minute (when anything was drawn since the last one) or
    /// after 1 MiB of updates (a seek then reads at most about 1 MiB and
    /// a keyframe, under the 2 MiB a player in object storage aims at).
    fn default() -> Self {
        SynthOptions {
            duration_us: 600_000_000,
            seed: 0,
            profile: Profile::Office,
            writer: WriterOptions::default(),
            keyframe_after_bytes: 1 << 20,
        }
    }
}

/// The metadata of a synthetic session.
pub fn synth_metadata(options: &SynthOptions) -> Metadata {
    let (width, height) = session::initial_screen(options.profile);
    let seed = options.seed;
    Metadata {
        session_id: format!(
            "5e55a000-{:04x}-4{:03x}-8{:03x}-{:012x}",
            (seed >> 48) & 0xffff,
            (seed >> 36) & 0xfff,
            (seed >> 24) & 0xfff,
            seed & 0xffff_ffff_ffff
        ),
        cluster: "teleport.example.com".into(),
        user: "alice".into(),
        desktop_name: "win-office-01".into(),
        desktop_addr: "10.0.0.21:3389".into(),
        login: "Administrator".into(),
        start_time_unix_us: 1_764_151_200_000_000,
        screen_width: width,
        screen_height: height,
        recorder_name: "tdpr synth".into(),
        recorder_version: env!("CARGO_PKG_VERSION").into(),
        labels: [
            ("profile".to_string(), options.profile.name().to_string()),
            ("seed".to_string(), seed.to_string()),
        ]
        .into(),
        ..Metadata::default()
    }
}

/// Writes a synthetic session to `sink` and returns the sink.
pub fn write_synthetic<W: Write>(sink: W, options: &SynthOptions) -> Result<W> {
    write_synthetic_with_progress(sink, options, &mut |_| {})
}

/// [`write_synthetic`], telling `progress` how far into the session (in
/// microseconds, up to `duration_us`) the writing has come, for a progress
/// bar.
pub fn write_synthetic_with_progress<W: Write>(
    sink: W,
    options: &SynthOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<W> {
    session::Session::new(sink, options)?.run(progress)
}
