//! Limits a reader enforces before it allocates or waits for data.
//!
//! A recording may come from an untrusted upload. Every length or count read
//! from a file is checked against these limits before anything is sized by it,
//! so a lying length costs an error, never memory. The defaults are the ones the
//! spec documents (`spec/format.md`, "Limits").

/// Reader (and writer) limits. `Limits::default()` gives the spec's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest record body (time delta and payload), in bytes.
    pub max_record_len: u32,
    /// Largest metadata payload, in bytes, after decompression.
    pub max_metadata_len: u32,
    /// Largest payload a compressed record may inflate to, in bytes.
    pub max_inflated_len: u64,
    /// Largest number of entries in any one table of the index.
    pub max_index_entries: u32,
}

impl Limits {
    /// The defaults of the specification.
    pub const DEFAULT: Limits = Limits {
        max_record_len: 64 << 20,
        max_metadata_len: 1 << 20,
        max_inflated_len: 64 << 20,
        max_index_entries: 4 << 20,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
