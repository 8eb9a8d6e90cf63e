//! What a verifier reports (spec/signing.md 5.3): how far the proof goes,
//! whether it reaches the signed end, and the first break. The same value
//! is `tdpr verify --json`'s output (schema `spec/schema/verify.json`).

use serde::Serialize;

/// The verdict on a recording or an excerpt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// The id of the key verified against: 16 hex digits (spec/signing.md 2).
    pub key_id: String,
    /// A whole recording, or an excerpt of one (spec/signing.md 7).
    pub kind: FileKind,
    /// True when everything is proven: no break, and `finished`.
    pub verified: bool,
    /// True when the whole session as the signer ended it is proven: the
    /// final checkpoint (of an excerpt: its anchor) was accepted, nothing
    /// broke, and the recording ends with its trailer.
    pub finished: bool,
    /// How far the proof goes; absent when nothing is proven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proven: Option<Proven>,
    /// Covered records after the last accepted checkpoint, when there is no
    /// break; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unproven: Option<Unproven>,
    /// The first break; absent when there is none.
    #[serde(rename = "break", skip_serializing_if = "Option::is_none")]
    pub first_break: Option<Break>,
    /// Of an excerpt: the original checkpoint it is proven against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<Anchor>,
}

/// A whole recording or an excerpt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// A recording (spec/signing.md 5).
    Recording,
    /// An excerpt: its second record is an excerpt proof (spec/signing.md 7).
    Excerpt,
}

/// How far the proof goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Proven {
    /// Offset of the last accepted checkpoint; of an excerpt, of its proof.
    pub checkpoint_offset: u64,
    /// Its sequence number; of an excerpt, the anchor's.
    pub sequence: u64,
    /// Covered records proven, the metadata included; of an excerpt, its
    /// records that stand for the original's.
    pub records: u64,
    /// Offset of the last of them.
    pub last_record_offset: u64,
    /// The clock after it (of a frame batch, its last frame's time),
    /// microseconds since the session start: the proof reaches this time.
    pub time_us: u64,
}

/// Covered records no checkpoint proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Unproven {
    /// How many.
    pub records: u64,
    /// Offset of the first.
    pub first_offset: u64,
}

/// The first place where the proof fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Break {
    /// Its class (spec/signing.md 5.3).
    pub class: BreakClass,
    /// File offset of the record where it was found.
    pub offset: u64,
    /// Of a `container` break: the class of spec/format.md 13.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_class: Option<String>,
    /// What it means, in words.
    pub message: String,
}

/// The classes of breaks (spec/signing.md 5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BreakClass {
    /// The recording is not readable past this point.
    Container,
    /// A signing record where it may not be.
    MisplacedSigningRecord,
    /// A signing record whose payload does not match its layout.
    MalformedSigningRecord,
    /// A scheme this verifier does not implement.
    UnsupportedScheme,
    /// A checkpoint names another key.
    WrongKey,
    /// A signature that does not verify here.
    BadSignature,
    /// A checkpoint out of sequence.
    SequenceMismatch,
    /// Covered records removed or inserted.
    RecordCountMismatch,
    /// Covered records changed, swapped or replaced, or a checkpoint's
    /// root prefix edited.
    RootMismatch,
    /// A covered record after the final checkpoint.
    RecordAfterFinal,
    /// An excerpt whose proof does not match its records.
    BadProof,
}

impl BreakClass {
    /// The class's name, as spec/signing.md and the JSON print it.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakClass::Container => "container",
            BreakClass::MisplacedSigningRecord => "misplaced_signing_record",
            BreakClass::MalformedSigningRecord => "malformed_signing_record",
            BreakClass::UnsupportedScheme => "unsupported_scheme",
            BreakClass::WrongKey => "wrong_key",
            BreakClass::BadSignature => "bad_signature",
            BreakClass::SequenceMismatch => "sequence_mismatch",
            BreakClass::RecordCountMismatch => "record_count_mismatch",
            BreakClass::RootMismatch => "root_mismatch",
            BreakClass::RecordAfterFinal => "record_after_final",
            BreakClass::BadProof => "bad_proof",
        }
    }
}

/// The original checkpoint an excerpt is proven against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// Its sequence number in the original.
    pub sequence: u64,
    /// Its time in the original.
    pub time_us: u64,
    /// Covered records of the original up to it.
    pub original_records: u64,
    /// True when it is the original's final checkpoint.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// The original's intervals the excerpt's proof describes.
    pub intervals: u64,
}

impl Break {
    pub(crate) fn new(class: BreakClass, offset: u64, message: impl Into<String>) -> Break {
        Break {
            class,
            offset,
            container_class: None,
            message: message.into(),
        }
    }

    pub(crate) fn container(error: &tdpr::Error) -> Break {
        Break {
            class: BreakClass::Container,
            offset: error.offset().unwrap_or(0),
            container_class: Some(error.class().as_str().to_string()),
            message: error.to_string(),
        }
    }
}
