//! Building one record's bytes by hand, from the spec's layout (type, flags,
//! body length, body, CRC32C), for the test binaries that craft files
//! (`#[path]`-included).

/// One record with a correct CRC32C.
pub fn record_bytes(record_type: u8, flags: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![record_type, flags];
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    let crc = crc32c::crc32c(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}
