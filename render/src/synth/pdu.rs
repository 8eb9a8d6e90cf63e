//! Fast-path update PDUs as a server sends them: one update a PDU, cut into
//! fragments of at most 16 374 bytes (the size IronRDP's server uses), each
//! PDU carried by one TDP message.

use ironrdp_core::Encode;
use ironrdp_pdu::fast_path::{EncryptionFlags, FastPathHeader, FastPathUpdatePdu, UpdateCode};

use super::SynthError;

const MAX_FRAGMENT_LEN: usize = 16_374;

/// The PDUs carrying one update.
pub fn fast_path_pdus(code: UpdateCode, data: &[u8]) -> Result<Vec<Vec<u8>>, SynthError> {
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[][..]]
    } else {
        data.chunks(MAX_FRAGMENT_LEN).collect()
    };
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let fragmentation = crate::fast_path::fragmentation(i, count);
            let update = FastPathUpdatePdu {
                fragmentation,
                update_code: code,
                compression_flags: None,
                compression_type: None,
                data: chunk,
            };
            let header = FastPathHeader::new(EncryptionFlags::empty(), update.size());
            let mut pdu = ironrdp_core::encode_vec(&header)?;
            pdu.extend_from_slice(&ironrdp_core::encode_vec(&update)?);
            Ok(pdu)
        })
        .collect()
}
