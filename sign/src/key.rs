//! Keys in their text forms (spec/signing.md 8): PKCS#8 and
//! SubjectPublicKeyInfo PEM, as OpenSSL writes them, or the raw 32 bytes
//! in base64, as WireGuard writes its keys; and the key id that names a key
//! in a checkpoint (spec/signing.md 2).

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// A key that could not be read, made or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is neither PEM of the expected kind nor 32 bytes in base64.
    #[error("not an Ed25519 {expected} key (PEM or 32 bytes in base64): {detail}")]
    Unreadable {
        /// "secret" or "public".
        expected: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The operating system gave no random bytes.
    #[error("no random bytes for a new key: {0}")]
    Random(String),
}

/// The first 8 bytes of SHA-256 of a public key: its name in checkpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    /// The id of `key`.
    pub fn of(key: &VerifyingKey) -> KeyId {
        let hash = Sha256::digest(key.as_bytes());
        let mut id = [0; 8];
        id.copy_from_slice(&hash[..8]);
        KeyId(id)
    }
}

/// Sixteen lower-case hex digits.
impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// A new secret key from the operating system's random source.
pub fn generate() -> Result<SigningKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Reads a secret key: PKCS#8 PEM (`PRIVATE KEY`) or the 32-byte seed in
/// base64.
pub fn parse_secret_key(text: &str) -> Result<SigningKey, KeyError> {
    let unreadable = |detail: String| KeyError::Unreadable {
        expected: "secret",
        detail,
    };
    let text = text.trim();
    if text.starts_with("-----BEGIN PUBLIC KEY") {
        return Err(unreadable("this is a public key".into()));
    }
    if text.starts_with("-----BEGIN") {
        return SigningKey::from_pkcs8_pem(text).map_err(|e| unreadable(e.to_string()));
    }
    raw_key(text)
        .map(|seed| SigningKey::from_bytes(&seed))
        .map_err(unreadable)
}

/// Reads a public key: SubjectPublicKeyInfo PEM (`PUBLIC KEY`) or the 32
/// bytes in base64. A secret key is refused, so that it is not passed
/// around where a public one will do.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, KeyError> {
    let unreadable = |detail: String| KeyError::Unreadable {
        expected: "public",
        detail,
    };
    let text = text.trim();
    if text.starts_with("-----BEGIN PRIVATE KEY") {
        return Err(unreadable(
            "this is a secret key; give its public key instead".into(),
        ));
    }
    if text.starts_with("-----BEGIN") {
        return VerifyingKey::from_public_key_pem(text).map_err(|e| unreadable(e.to_string()));
    }
    let bytes = raw_key(text).map_err(unreadable)?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| unreadable(e.to_string()))
}

/// The secret key as PKCS#8 PEM.
pub fn secret_key_pem(key: &SigningKey) -> String {
    key.to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .expect("an Ed25519 key encodes")
        .to_string()
}

/// The public key as SubjectPublicKeyInfo PEM.
pub fn public_key_pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .expect("an Ed25519 key encodes")
}

/// 32 key bytes in base64, one line.
pub fn raw_base64(bytes: &[u8; 32]) -> String {
    BASE64.encode(bytes)
}

fn raw_key(text: &str) -> Result<[u8; 32], String> {
    let bytes = BASE64
        .decode(text)
        .map_err(|e| format!("not base64: {e}"))?;
    bytes
        .try_into()
        .map_err(|b: Vec<u8>| format!("{} bytes, not 32", b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_in_every_form() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = key.verifying_key();
        let pem = secret_key_pem(&key);
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert_eq!(parse_secret_key(&pem).unwrap().to_bytes(), [7; 32]);
        assert_eq!(
            parse_secret_key(&raw_base64(&[7; 32])).unwrap().to_bytes(),
            [7; 32]
        );
        let public_pem = public_key_pem(&public);
        assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert_eq!(parse_public_key(&public_pem).unwrap(), public);
        assert_eq!(
            parse_public_key(&format!(" {}\n", raw_base64(public.as_bytes()))).unwrap(),
            public
        );
        assert!(parse_public_key(&pem).is_err());
        assert!(parse_secret_key(&public_pem).is_err());
        assert!(parse_public_key("AAAA").is_err());
    }

    #[test]
    fn an_openssl_key_reads() {
        // `openssl genpkey -algorithm ed25519` (RFC 8410 section 10.3's example key).
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
        let key = parse_secret_key(pem).unwrap();
        assert_eq!(key.to_bytes()[..4], [0xd4, 0xee, 0x72, 0xdb]);
    }
}
