//! Recordings the tests share, and helpers to damage them precisely.

use tdpr::proto::Metadata;
use tdpr::{Batching, Compression, Record, Recording, Writer, WriterOptions};

/// The built-in sample session, compressed as the writer does by default.
pub fn sample() -> Vec<u8> {
    tdpr_synth::sample::write_sample(Vec::new(), WriterOptions::default()).expect("sample")
}

/// Writer options without compression.
pub fn stored() -> WriterOptions {
    let mut options = WriterOptions::default();
    options.compression = Compression::None;
    options
}

/// The spec's worked example (section 14): two mouse moves, one frame
/// record each.
pub fn minimal() -> Vec<u8> {
    let mut options = stored();
    options.batching = Batching::None;
    worked_example(options)
}

/// The worked example ([`minimal`]) with a directory of sample interval 1
/// ending its index (spec 7.4): its payload (at 92) is the header, one seek
/// entry, one sample at 184, and the footer at 208.
pub fn minimal_with_directory() -> Vec<u8> {
    let mut options = stored();
    options.batching = Batching::None;
    options.index.directory = tdpr::DirectoryPolicy::Always(1);
    worked_example(options)
}

/// The worked example's session written with `options`.
pub fn worked_example(options: WriterOptions) -> Vec<u8> {
    let metadata = Metadata {
        user: "alice".into(),
        screen_width: 1024,
        screen_height: 768,
        ..Metadata::default()
    };
    let mut writer = Writer::new(Vec::new(), metadata, options).unwrap();
    writer
        .write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0, 20])
        .unwrap();
    writer
        .write_frame(16_000, &[3, 0, 0, 0, 11, 0, 0, 0, 21])
        .unwrap();
    writer.finish().unwrap()
}

/// What identifies a record for comparisons across readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub offset: u64,
    pub time_us: u64,
    pub record_type: u8,
    pub flags: u8,
    pub raw_payload: Vec<u8>,
}

impl From<&Record<'_>> for Seen {
    fn from(r: &Record<'_>) -> Self {
        Seen {
            offset: r.offset,
            time_us: r.time_us,
            record_type: r.record_type.0,
            flags: r.flags.0,
            raw_payload: r.raw_payload.to_vec(),
        }
    }
}

/// Every record of a recording, failing the test on any error.
pub fn all_records(data: &[u8]) -> Vec<Seen> {
    Recording::parse(data)
        .expect("open")
        .records()
        .map(|r| Seen::from(&r.expect("record")))
        .collect()
}

/// Offsets at which each record starts, and the file length.
pub fn boundaries(data: &[u8]) -> Vec<u64> {
    let mut offsets: Vec<u64> = all_records(data).iter().map(|r| r.offset).collect();
    offsets.push(data.len() as u64);
    offsets
}

/// Recomputes the CRC32C of the record at `offset` after a deliberate change,
/// so that the fault under test is structural, not a checksum mismatch.
pub fn fix_crc(data: &mut [u8], offset: usize) {
    let body_len = u32::from_le_bytes(data[offset + 2..offset + 6].try_into().unwrap()) as usize;
    let end = offset + 6 + body_len;
    let crc = crc32c::crc32c(&data[offset..end]);
    data[end..end + 4].copy_from_slice(&crc.to_le_bytes());
}

#[path = "../support/record_bytes.rs"]
mod record_bytes;
pub use record_bytes::record_bytes;

/// True when `payload` points into `data` (was not copied).
pub fn borrowed_from(payload: &[u8], data: &[u8]) -> bool {
    let range = data.as_ptr_range();
    payload.is_empty() || (range.start <= payload.as_ptr() && payload.as_ptr() < range.end)
}

/// The golden recordings that are finished (valid).
pub fn finished_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/valid");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tdpr") {
            let data = std::fs::read(&path).unwrap();
            if tdpr::validate(&data).is_ok() {
                out.push((
                    path.file_name().unwrap().to_string_lossy().into_owned(),
                    data,
                ));
            }
        }
    }
    assert!(out.len() >= 4, "the finished golden files");
    out
}

/// A metadata message that encodes to exactly `len` bytes (a long cluster
/// name; `len` from 131 to 2^21).
pub fn metadata_of_len(len: usize) -> Vec<u8> {
    use prost::Message;
    let metadata = tdpr::proto::Metadata {
        cluster: "c".repeat(len - 4),
        ..Default::default()
    };
    let bytes = metadata.encode_to_vec();
    assert_eq!(bytes.len(), len);
    bytes
}

/// The header, a metadata record holding `metadata` compressed, and one
/// frame: an unfinished recording.
pub fn with_compressed_metadata(metadata: &[u8]) -> Vec<u8> {
    let mut deflater = flate2::Compress::new(flate2::Compression::best(), false);
    let mut stream = Vec::with_capacity(metadata.len() + 64);
    let status = deflater
        .compress_vec(metadata, &mut stream, flate2::FlushCompress::Finish)
        .unwrap();
    assert_eq!(status, flate2::Status::StreamEnd);
    let mut body = vec![0];
    let mut len = metadata.len();
    while len >= 0x80 {
        body.push((len as u8) | 0x80);
        len >>= 7;
    }
    body.push(len as u8);
    body.extend_from_slice(&stream);
    let mut data = tdpr::FileHeader::CURRENT.to_bytes().to_vec();
    data.extend(record_bytes(0x01, 0x01, &body));
    data.extend(record_bytes(0x02, 0, &[0, 3, 0, 0, 0, 5, 0, 0, 0, 6]));
    data
}

/// `depth` nested protobuf groups of field 102 around `inner`: an unknown
/// field of the metadata and event messages.
pub fn nested_groups(depth: usize, inner: &[u8]) -> Vec<u8> {
    [
        [0xb3, 0x06].repeat(depth),
        inner.to_vec(),
        [0xb4, 0x06].repeat(depth),
    ]
    .concat()
}
