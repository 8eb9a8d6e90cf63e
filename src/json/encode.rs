//! Encoding: the canonical JSON form (spec/json.md) back into a recording.
//!
//! It lets the reference implementation act as an *encoder* in the
//! conformance runner, and lets anyone write a test recording by hand as
//! JSON. Every record is written as the JSON says (type, flags, time,
//! payload, compressed when flag `compressed` is set) through the same
//! record-writing layer as the live writer; the index and trailer, when the
//! JSON has them, are rebuilt from the records with the index's own
//! parameters, as spec/format.md section 7.3 requires. Byte offsets in the
//! JSON are not inputs: they follow from the sizes.

use flate2::{Compress, Compression};

use super::canonical::{BodyBuffers, BodyJson, Canonical};
use crate::error::{Error, Result};
use crate::format::{deflate, FileHeader, IndexOptions, Payload, RecordFlags, RecordType};
use crate::limits::Limits;
use crate::write::RecordWriter;

/// Writes the recording `canonical` describes.
pub fn encode(canonical: &Canonical) -> Result<Vec<u8>> {
    let bad = |what: String| Error::InvalidInput(what);
    let header = FileHeader {
        version_written: canonical
            .version_written
            .ok_or_else(|| bad("no version_written".into()))?,
        version_required: canonical
            .version_required
            .ok_or_else(|| bad("no version_required".into()))?,
    };
    let metadata = canonical
        .metadata
        .as_ref()
        .ok_or_else(|| bad("no metadata".into()))?
        .to_metadata()?;
    let records = canonical.records.as_deref().unwrap_or_default();
    let Some((first, rest)) = records.split_first() else {
        return Err(bad("no metadata record".into()));
    };
    if !matches!(first.body, BodyJson::Metadata {}) || first.code != RecordType::METADATA.0 {
        return Err(bad("the first record is not the metadata".into()));
    }
    let mut deflater = Compress::new(Compression::best(), false);
    let mut encoded = Vec::with_capacity(metadata.encoded_len());
    metadata.encode(&mut encoded);
    let mut compressed = Vec::new();
    let payload = if RecordFlags(first.flags).is_compressed() {
        deflate(&mut deflater, &encoded, &mut compressed)?;
        Payload::Deflated {
            inflated_len: encoded.len() as u64,
            data: &compressed,
            offset: 0,
        }
    } else {
        Payload::Stored(&encoded)
    };
    let index_options = rest
        .iter()
        .find_map(|r| match &r.body {
            BodyJson::Index { index } => Some(index.options()),
            _ => None,
        })
        .unwrap_or_else(IndexOptions::default);
    let mut writer = RecordWriter::start(
        Vec::new(),
        header,
        payload,
        (
            metadata.message.screen_width,
            metadata.message.screen_height,
        ),
        index_options,
        Limits::default(),
    )?;
    let mut buffers = BodyBuffers::default();
    let mut records = rest.iter();
    while let Some(record) = records.next() {
        if let BodyJson::Index { .. } = record.body {
            let trailer = records.next();
            if !matches!(trailer.map(|t| &t.body), Some(BodyJson::Trailer { .. })) {
                return Err(bad(format!(
                    "record at {}: an index must be followed by the trailer",
                    record.offset
                )));
            }
            if let Some(after) = records.next() {
                return Err(bad(format!(
                    "record at {}: nothing follows the trailer",
                    after.offset
                )));
            }
            return Ok(writer.finish()?.0);
        }
        let body = record.body(&mut buffers, &mut deflater)?;
        writer.write(
            RecordType(record.code),
            RecordFlags(record.flags),
            record.time_us,
            &body,
        )?;
    }
    Ok(writer.into_inner())
}
