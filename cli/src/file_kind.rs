//! What a file looks like, from its first bytes, for the message of a
//! command given the wrong kind of file.
//!
//! Why it exists: "unsupported_version … part version 9895609393004481050"
//! is true of a tdpr recording handed to `tdpr import teleport`, and of no
//! help. When a reader refuses its input at the first bytes, the command
//! says what the input seems to be instead ([`describe`]) and, where there
//! is one, the command that reads it.

/// The first bytes a description needs.
pub const SNIFF_LEN: usize = 512;

/// What the file that starts with `head` seems to be, and what to do with
/// it; `None` when it looks like nothing known.
pub fn describe(head: &[u8]) -> Option<&'static str> {
    let starts = |prefix: &[u8]| head.starts_with(prefix);
    Some(if head.is_empty() {
        "it is empty"
    } else if starts(&tdpr::format::SIGNATURE) {
        "it is a tdpr recording (`tdpr info` describes it, `tdpr export teleport` \
         converts it to Teleport's format)"
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        "it is a PNG image, not a recording"
    } else if is_teleport_part(head) {
        "it is a Teleport session recording (`tdpr import teleport FILE OUT.tdpr` \
         converts it to tdpr)"
    } else if starts(b"\x1f\x8b") {
        "it is a gzip file; a Teleport recording's parts each start with a \
         24-byte header before their gzip body"
    } else if starts(b"age-encryption.org/") {
        "it is an age-encrypted file; Teleport encrypts recordings with a key \
         only its auth service holds"
    } else if head.get(257..262) == Some(b"ustar") {
        "it is a tar archive; Teleport's `<session-id>.tar` is not one, but the \
         recording itself (look inside the archive for it)"
    } else if starts(b"PK\x03\x04") {
        "it is a ZIP archive, not a recording"
    } else if matches!(
        head.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    ) {
        "it is JSON text, not a recording (`tdpr encode` reads a recording's \
         canonical JSON)"
    } else {
        return None;
    })
}

/// Whether `head` starts with a Teleport part header: version 1 or 2 as a
/// big-endian u64 (spec/teleport.md §1.2).
pub fn is_teleport_part(head: &[u8]) -> bool {
    head.get(..8)
        .is_some_and(|version| version[..7] == [0; 7] && matches!(version[7], 1 | 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_kinds_are_named() {
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        for (head, words) in [
            (&b""[..], "empty"),
            (&tdpr::format::SIGNATURE[..], "tdpr recording"),
            (b"\x89PNG\r\n\x1a\n\0\0", "PNG image"),
            (
                &[0, 0, 0, 0, 0, 0, 0, 1, 0][..],
                "Teleport session recording",
            ),
            (b"\x1f\x8b\x08", "gzip"),
            (b"age-encryption.org/v1\n", "age-encrypted"),
            (&tar[..], "tar archive"),
            (b"  {\"end\":", "JSON"),
        ] {
            assert!(describe(head).unwrap().contains(words), "{words}");
        }
        assert_eq!(describe(b"random bytes"), None);
    }
}
