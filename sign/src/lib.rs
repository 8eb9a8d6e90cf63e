//! Tamper evidence for tdpr recordings (spec/signing.md): a recorder signs
//! checkpoints as it writes, an auditor verifies a file up to its last
//! checkpoint (or to its signed end), and an excerpt cut from a signed
//! recording proves that it came, unchanged, from the original.
//!
//! The format library `tdpr` holds no cryptography: it names the signing
//! records and calls a [`tdpr::write::Sealer`] for every record it writes.
//! This crate is the sealer and everything around it, so that a recorder
//! that does not sign compiles none of it.
//!
//! | job | API |
//! |---|---|
//! | sign while recording | [`signed_writer`] (a [`tdpr::Writer`] with a [`Signer`]) |
//! | sign an existing file | [`sign_recording`] |
//! | verify a file or an excerpt | [`verify`], giving a [`Verdict`] |
//! | cut an excerpt | [`clip`] |
//! | keys | [`key`]: generate, read and write PEM and raw forms |
//!
//! ```
//! use tdpr::{proto::Metadata, WriterOptions};
//! use tdpr_sign::{signed_writer, verify, SignerOptions};
//!
//! let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
//! let public = key.verifying_key();
//! let metadata = Metadata { session_id: "s1".into(), ..Default::default() };
//! let mut writer = signed_writer(Vec::new(), metadata, WriterOptions::default(), key, SignerOptions::default())?;
//! writer.write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0, 20])?;
//! writer.write_frame(12_000_000, &[3, 0, 0, 0, 11, 0, 0, 0, 21])?; // a checkpoint follows
//! let file = writer.finish()?;                                   // the final checkpoint
//! let verdict = verify(&file, &public);
//! assert!(verdict.verified && verdict.finished);
//! # Ok::<(), tdpr::Error>(())
//! ```

#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod checkpoint;
pub mod digest;
mod error;
mod excerpt;
pub mod key;
pub mod proof;
mod sign_file;
mod signer;
pub mod tree;
mod verdict;
mod verify;

pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use error::SignError;
pub use excerpt::{clip, Excerpt};
pub use key::KeyId;
pub use sign_file::{sign_recording, Signed};
pub use signer::{signed_writer, Signer, SignerOptions};
pub use verdict::{Anchor, Break, BreakClass, FileKind, Proven, Unproven, Verdict};
pub use verify::verify;

/// The README's example, compiled with the tests so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
