//! The invalid cases of the conformance suite: one fault each, made by
//! changing the spec's worked example (or a file built by hand from the
//! spec's layout), with the class and offset the spec prescribes
//! (spec/format.md, sections 3–8 and 13).
//!
//! `conformance/invalid/NAME.tdpr` must be exactly what [`cases`] makes;
//! `TDPR_BLESS=1` rewrites them. Each case is named after its fault. A case
//! whose JSON decides a rule of spec/json.md (what is listed, what is
//! absent) also has `NAME.json`, the whole canonical JSON, written by hand
//! ([`by_hand`]) and checked against the reference.

use std::path::{Path, PathBuf};

use tdpr::{ErrorClass, FileHeader, Limits};

use serde_json::{json, Value};

use crate::by_hand::{decoded, metadata, record, worked_example_up_to};
use crate::common::{
    fix_crc, metadata_of_len, minimal, minimal_with_directory, nested_groups, record_bytes,
    with_compressed_metadata,
};

/// Worked example layout: metadata at 20, frames at 44 and 64, index at 85
/// (payload at 92), trailer at 188, 207 bytes in all.
pub const FRAME1: usize = 44;
pub const INDEX: usize = 85;
const TRAILER: usize = 188;

/// One invalid recording and what a validator must report.
pub struct Case {
    pub name: &'static str,
    /// The spec section the fault is defined in.
    pub section: &'static str,
    pub bytes: Vec<u8>,
    pub class: ErrorClass,
    pub offset: u64,
    /// The canonical JSON without `end` (which `class` and `offset` give),
    /// when the case decides more than the fault.
    pub decoded: Option<Value>,
}

impl Case {
    /// This case, whose canonical JSON is `decoded` and the fault.
    fn decoding_to(mut self, decoded: Value) -> Case {
        self.decoded = Some(decoded);
        self
    }

    /// The whole canonical JSON the case expects, if it has one.
    pub fn expected_json(&self) -> Option<Value> {
        let mut value = self.decoded.clone()?;
        value["end"] = match self.class {
            ErrorClass::Unfinished => json!({"state": "unfinished", "offset": self.offset}),
            class => json!({"state": "error", "class": class.as_str(), "offset": self.offset}),
        };
        Some(value)
    }
}

/// A file from the header, an empty metadata record (ending at 31), and
/// `records`.
pub fn handmade(records: &[Vec<u8>]) -> Vec<u8> {
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    data.extend(record_bytes(0x01, 0, &[0]));
    for record in records {
        data.extend(record);
    }
    data
}

/// Sets a u16 of the header and recomputes the header CRC.
pub fn set_header(data: &mut [u8], at: usize, value: u16) {
    data[at..at + 2].copy_from_slice(&value.to_le_bytes());
    let crc = crc32c::crc32c(&data[..16]);
    data[16..20].copy_from_slice(&crc.to_le_bytes());
}

/// The worked example with `change` applied and the CRC of the record at
/// `record` recomputed.
fn changed(record: usize, change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut data = minimal();
    change(&mut data);
    fix_crc(&mut data, record);
    data
}

/// Layout of [`minimal_with_directory`]'s directory: the sample, the
/// footer's header copy, `sample_interval`, `sample_count`, `directory_crc`
/// and the magic (the index record's CRC follows at 288).
const SAMPLE: usize = 184;
const HEADER_COPY: usize = 208;
const SAMPLE_INTERVAL: usize = 268;
const SAMPLE_COUNT: usize = 272;
const DIRECTORY_CRC: usize = 276;
const MAGIC: usize = 280;

/// [`minimal_with_directory`] changed by `change`, its directory's CRC
/// computed again when `fix_directory_crc`, and the index record's CRC.
fn directory_changed(fix_directory_crc: bool, change: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut data = minimal_with_directory();
    change(&mut data);
    if fix_directory_crc {
        let crc = crc32c::crc32c(&data[SAMPLE..DIRECTORY_CRC]);
        data[DIRECTORY_CRC..DIRECTORY_CRC + 4].copy_from_slice(&crc.to_le_bytes());
    }
    fix_crc(&mut data, INDEX);
    data
}

fn case(
    name: &'static str,
    section: &'static str,
    bytes: Vec<u8>,
    class: ErrorClass,
    offset: u64,
) -> Case {
    Case {
        name,
        section,
        bytes,
        class,
        offset,
        decoded: None,
    }
}

/// A stored DEFLATE block holding "abc".
const ABC: [u8; 8] = [0x01, 3, 0, 0xfc, 0xff, b'a', b'b', b'c'];

fn with_stream(prefix: &[u8], suffix: &[u8]) -> Vec<u8> {
    [prefix, &ABC[..], suffix].concat()
}

/// A fixed-Huffman DEFLATE stream of "abc" × 20 (`4b 4c 4a 4e 24 17 01 00`)
/// with bit 5 of its sixth byte flipped: its back reference now reaches
/// before the start of the output.
const DAMAGED_ABC_X20: [u8; 8] = [0x4b, 0x4c, 0x4a, 0x4e, 0x24, 0x37, 0x01, 0x00];

/// A dynamic-Huffman DEFLATE stream of "aa" whose header declares 257
/// literal/length codes (`a` and end of block of length 1), 31 distance
/// codes (two of length 1, 29 of length 0) and 18 code-length codes (1 and
/// 18 of length 1), the zero runs coded with symbol 18.
const THIRTY_ONE_DISTANCE_CODES: [u8; 14] = [
    0x05, 0xde, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x90, 0x56, 0xff, 0x13, 0x28, 0x21,
];

/// A raw DEFLATE stream of `len` zeros: about a thousandth of `len`.
fn deflated_zeros(len: usize) -> Vec<u8> {
    let mut deflater = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(len / 500 + 1024);
    let status = deflater
        .compress_vec(&vec![0; len], &mut out, flate2::FlushCompress::Finish)
        .unwrap();
    assert_eq!(status, flate2::Status::StreamEnd);
    out
}

/// The worked example with bit `bit` of the little-endian u32 at `at`
/// flipped, and no CRC recomputed.
fn flipped(at: usize, bit: u32) -> Vec<u8> {
    let mut data = minimal();
    let value = u32::from_le_bytes(data[at..at + 4].try_into().unwrap()) ^ (1 << bit);
    data[at..at + 4].copy_from_slice(&value.to_le_bytes());
    data
}

/// A hand-made file with one event record (at 31) whose payload is `payload`.
fn event_with(payload: &[u8]) -> Vec<u8> {
    handmade(&[record_bytes(0x81, 0, &[&[0][..], payload].concat())])
}

/// A header and a metadata record whose protobuf payload is `payload`, and
/// nothing after it.
fn metadata_with(payload: &[u8]) -> Vec<u8> {
    let mut data = FileHeader::CURRENT.to_bytes().to_vec();
    data.extend(record_bytes(0x01, 0, &[&[0][..], payload].concat()));
    data
}

/// A map field (its key byte `key`: 0x52 for the event's attributes, 0x62
/// for the metadata's labels) holding one entry of the bytes `entry`.
fn map_entry(key: u8, entry: &[u8]) -> Vec<u8> {
    let mut field = vec![key];
    let mut len = entry.len();
    while len >= 0x80 {
        field.push(len as u8 | 0x80);
        len >>= 7;
    }
    field.push(len as u8);
    field.extend_from_slice(entry);
    field
}

/// Every invalid case. Content records of hand-made files start at 31,
/// their body at 37 and their payload at 38.
pub fn cases() -> Vec<Case> {
    use ErrorClass::*;
    let mut max_delta = vec![0xff; 8];
    max_delta.push(0x7f); // 2^63 - 1
    max_delta.push(3);
    let mut huge_inflated = vec![0, 0x80, 0x80, 0x80, 0x80, 0x40]; // 2^34
    huge_inflated.extend_from_slice(&ABC);
    let mut cut_signature = minimal();
    cut_signature.remove(5); // CRLF -> LF
    let mut trailing_record = minimal();
    trailing_record.extend(record_bytes(0x02, 0, &[0, 3]));
    let mut after_index = minimal();
    after_index.truncate(TRAILER);
    after_index.extend(record_bytes(0x02, 0, &[0, 3]));
    let mut header_crc = minimal();
    header_crc[14] = 1;
    let mut record_crc = minimal();
    record_crc[FRAME1 + 8] ^= 1;
    let mut trailer_crc = minimal();
    trailer_crc[206] ^= 0x80;
    let mut unfinished = minimal();
    unfinished.truncate(INDEX);
    let mut lying_length = minimal();
    lying_length[FRAME1 + 2..FRAME1 + 6].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut first_frame = FileHeader::CURRENT.to_bytes().to_vec();
    first_frame.extend(record_bytes(0x02, 0, &[0, 3]));
    let mut bad_metadata = FileHeader::CURRENT.to_bytes().to_vec();
    bad_metadata.extend(record_bytes(0x01, 0, &[0, 0xff]));
    let mut timed_metadata = FileHeader::CURRENT.to_bytes().to_vec();
    timed_metadata.extend(record_bytes(0x01, 0, &[5]));
    let mut overlong_trailer = minimal();
    overlong_trailer.truncate(TRAILER);
    overlong_trailer.extend(record_bytes(
        0x84,
        0,
        &[[0x80, 0x00].as_slice(), &(INDEX as u64).to_le_bytes()].concat(),
    ));
    let trailer_to_metadata = record_bytes(0x84, 0, &[0, 20, 0, 0, 0, 0, 0, 0, 0]);
    let version = |at, value| {
        let mut data = minimal();
        set_header(&mut data, at, value);
        data
    };
    vec![
        case(
            "bad_signature",
            "3",
            {
                let mut d = minimal();
                d[1] = b'X';
                d
            },
            BadSignature,
            0,
        )
        .decoding_to(json!({})),
        case(
            "bad_signature_crlf_to_lf",
            "3",
            cut_signature,
            BadSignature,
            0,
        ),
        case(
            "bad_signature_short",
            "3",
            b"\x89TDQ".to_vec(),
            BadSignature,
            0,
        ),
        case("truncated_header", "3", b"\x89TDPR".to_vec(), Truncated, 0),
        case("truncated_empty_file", "3", Vec::new(), Truncated, 0),
        case(
            "truncated_after_header",
            "9.1",
            minimal()[..20].to_vec(),
            Truncated,
            20,
        ),
        case(
            "truncated_in_record",
            "9.4",
            minimal()[..70].to_vec(),
            Truncated,
            64,
        ),
        case(
            "header_checksum_mismatch",
            "3",
            header_crc,
            ChecksumMismatch,
            16,
        )
        .decoding_to(json!({})),
        case(
            // A flip in version_required: the CRC is checked first (section 3,
            // steps 3 and 4), so not unsupported_version.
            "flip_header_version_required",
            "3",
            {
                let mut d = minimal();
                d[12] ^= 0x02;
                d
            },
            ChecksumMismatch,
            16,
        )
        .decoding_to(json!({})),
        case(
            "unsupported_version_required_0",
            "3",
            version(12, 0),
            UnsupportedVersion,
            12,
        ),
        case(
            "unsupported_version_required_2",
            "3",
            version(12, 2),
            UnsupportedVersion,
            12,
        )
        .decoding_to(json!({})),
        case(
            "record_checksum_mismatch",
            "4.1",
            record_crc,
            ChecksumMismatch,
            FRAME1 as u64,
        )
        .decoding_to(worked_example_up_to(1)),
        case(
            // A flip in the metadata's payload: found while opening, at 20.
            "metadata_checksum_mismatch",
            "9.1",
            {
                let mut d = minimal();
                d[30] ^= 1;
                d
            },
            ChecksumMismatch,
            20,
        ),
        case(
            "trailer_checksum_mismatch",
            "4.1",
            trailer_crc,
            ChecksumMismatch,
            TRAILER as u64,
        ),
        case(
            "limit_record_length",
            "12",
            lying_length,
            LimitExceeded,
            FRAME1 as u64 + 2,
        ),
        case(
            "limit_first_record_length",
            "9.1",
            {
                let mut d = minimal();
                d[22..26].copy_from_slice(&u32::MAX.to_le_bytes());
                d
            },
            LimitExceeded,
            22,
        ),
        case(
            // body_length 10 becomes 11: the CRC is read one byte late.
            "flip_body_length_bit_0",
            "4.1",
            flipped(FRAME1 + 2, 0),
            ChecksumMismatch,
            FRAME1 as u64,
        ),
        case(
            // body_length 10 + 2^20: under the limit, past the end of the
            // file, so the record is incomplete where the input ends.
            "flip_body_length_bit_20",
            "4.1",
            flipped(FRAME1 + 2, 20),
            Truncated,
            FRAME1 as u64,
        ),
        case(
            // body_length 10 + 2^31: over the default limit, which the
            // canonical JSON uses (section 12).
            "flip_body_length_bit_31",
            "12",
            flipped(FRAME1 + 2, 31),
            LimitExceeded,
            FRAME1 as u64 + 2,
        ),
        case(
            "limit_metadata_length",
            "12",
            with_compressed_metadata(&metadata_of_len((1 << 20) + 1)),
            LimitExceeded,
            27,
        ),
        case(
            // Compressed metadata whose inflated_length is cut short (at 27).
            "malformed_metadata_inflated_length",
            "6",
            {
                let mut d = FileHeader::CURRENT.to_bytes().to_vec();
                d.extend(record_bytes(0x01, 1, &[0, 0x80]));
                d
            },
            MalformedRecord,
            27,
        ),
        case(
            "limit_inflated_length",
            "6",
            handmade(&[record_bytes(0x02, 1, &huge_inflated)]),
            LimitExceeded,
            38,
        ),
        case(
            "limit_index_count",
            "7.1",
            changed(INDEX, |d| {
                d[INDEX + 7 + 48..INDEX + 7 + 52].copy_from_slice(&u32::MAX.to_le_bytes())
            }),
            LimitExceeded,
            (INDEX + 7 + 48) as u64,
        ),
        case(
            "unknown_critical_record",
            "4.2",
            changed(FRAME1, |d| d[FRAME1] = 0x05),
            UnknownCriticalRecord,
            FRAME1 as u64,
        ),
        case(
            "unknown_flags",
            "4.3",
            changed(FRAME1, |d| d[FRAME1 + 1] = 0x02),
            UnknownFlags,
            FRAME1 as u64 + 1,
        ),
        case(
            "unknown_flags_compressed_screen_size",
            "4.3",
            handmade(&[record_bytes(0x03, 0x01, &[0, 1, 0, 0, 0, 1, 0, 0, 0])]),
            UnknownFlags,
            32,
        ),
        case(
            "malformed_screen_size_short",
            "5.3",
            handmade(&[record_bytes(0x03, 0, &[0, 1, 0, 0, 0, 1, 0, 0])]),
            MalformedRecord,
            42,
        ),
        case(
            "malformed_screen_size_long",
            "5.3",
            handmade(&[record_bytes(0x03, 0, &[0, 1, 0, 0, 0, 1, 0, 0, 0, 9])]),
            MalformedRecord,
            46,
        ),
        case(
            "malformed_empty_frame",
            "5.2",
            handmade(&[record_bytes(0x02, 0, &[0])]),
            MalformedRecord,
            38,
        ),
        case(
            "malformed_batch_count_zero",
            "5.8",
            handmade(&[record_bytes(0x04, 0, &[0, 0])]),
            MalformedRecord,
            38,
        ),
        case(
            "malformed_batch_length_zero",
            "5.8",
            // count 2, length 1, delta 0, length 0 (at 41), one byte.
            handmade(&[record_bytes(0x04, 0, &[0, 2, 1, 0, 0, b'x'])]),
            MalformedRecord,
            41,
        ),
        case(
            "malformed_batch_table_cut_short",
            "5.8",
            // count 2, length 1, then the payload ends where a delta belongs.
            handmade(&[record_bytes(0x04, 0, &[0, 2, 1])]),
            MalformedRecord,
            40,
        ),
        case(
            "malformed_batch_lying_count",
            "5.8",
            // count 2^32 - 1: the walk runs out of payload at its end (45).
            handmade(&[record_bytes(
                0x04,
                0,
                &[0, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, b'x'],
            )]),
            MalformedRecord,
            45,
        ),
        case(
            "malformed_batch_messages_short",
            "5.8",
            // count 2, length 1, delta 0, length 2: 3 bytes announced, 2 follow
            // the table (at 42).
            handmade(&[record_bytes(0x04, 0, &[0, 2, 1, 0, 2, b'x', b'y'])]),
            MalformedRecord,
            42,
        ),
        case(
            "malformed_batch_bytes_left_over",
            "5.8",
            handmade(&[record_bytes(0x04, 0, &[0, 1, 1, b'x', b'y'])]),
            MalformedRecord,
            40,
        ),
        case(
            "unknown_flags_batch_bit_1",
            "4.3",
            handmade(&[record_bytes(0x04, 2, &[0, 1, 1, b'x'])]),
            UnknownFlags,
            32,
        ),
        // Compressed batches (5.8): count at 38, length[0] at 39, delta[1]
        // at 40, length[1] at 41, the DEFLATE block at 42.
        case(
            // The block is damaged inside: reported at the block's start.
            "malformed_batch_deflate_damaged",
            "5.8",
            handmade(&[record_bytes(
                0x04,
                1,
                &[&[0, 2, 30, 0, 30][..], &DAMAGED_ABC_X20[..]].concat(),
            )]),
            MalformedRecord,
            42,
        ),
        case(
            // The lengths announce 4 bytes, the block inflates to 3.
            "malformed_batch_deflate_short",
            "5.8",
            handmade(&[record_bytes(0x04, 1, &with_stream(&[0, 2, 2, 0, 2], &[]))]),
            MalformedRecord,
            42,
        ),
        case(
            // The lengths announce 2 bytes, the block inflates to 3.
            "malformed_batch_deflate_long",
            "5.8",
            handmade(&[record_bytes(0x04, 1, &with_stream(&[0, 2, 1, 0, 1], &[]))]),
            MalformedRecord,
            42,
        ),
        case(
            "malformed_batch_deflate_trailing_byte",
            "5.8",
            handmade(&[record_bytes(0x04, 1, &with_stream(&[0, 2, 1, 0, 2], &[0]))]),
            MalformedRecord,
            42,
        ),
        case(
            // No block at all: an empty stream does not inflate.
            "malformed_batch_deflate_empty",
            "5.8",
            handmade(&[record_bytes(0x04, 1, &[0, 2, 1, 0, 2])]),
            MalformedRecord,
            42,
        ),
        case(
            // A block of 1 KiB that inflates to 1 MiB of zeros, where the
            // lengths announce 2 bytes: a reader stops at the announced
            // length, having inflated no more.
            "malformed_batch_deflate_bomb",
            "5.8",
            handmade(&[record_bytes(
                0x04,
                1,
                &[&[0, 2, 1, 0, 1][..], &deflated_zeros(1 << 20)].concat(),
            )]),
            MalformedRecord,
            42,
        ),
        case(
            // 32 MiB and 32 MiB + 1 of messages announced for a block that
            // would inflate to that many zeros: the second length (at 44,
            // after a four-byte first one) takes the sum over the 64 MiB
            // limit, and nothing is inflated.
            "limit_batch_inflated_length",
            "12",
            handmade(&[record_bytes(
                0x04,
                1,
                &[
                    &[0, 2, 0x80, 0x80, 0x80, 0x10, 0, 0x81, 0x80, 0x80, 0x10][..],
                    &deflated_zeros((64 << 20) + 1),
                ]
                .concat(),
            )]),
            LimitExceeded,
            44,
        ),
        case(
            // The index the trailer leads to is flagged compressed.
            "unknown_flags_index",
            "9.1",
            changed(INDEX, |d| d[INDEX + 1] = 1),
            UnknownFlags,
            INDEX as u64 + 1,
        ),
        case(
            "time_overflow_in_batch",
            "5.8",
            // The second frame's delta (at 40) is 2^63: past 2^63 - 1.
            handmade(&[record_bytes(
                0x04,
                0,
                &[
                    0, 2, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 1, b'x',
                    b'y',
                ],
            )]),
            TimeOverflow,
            40,
        ),
        case(
            "malformed_empty_body",
            "4.1",
            handmade(&[record_bytes(0x02, 0, &[])]),
            MalformedRecord,
            37,
        ),
        case(
            "malformed_time_delta",
            "4.1",
            handmade(&[record_bytes(0x02, 0, &[0x80])]),
            MalformedRecord,
            37,
        ),
        case(
            // A reserved flag and a time delta cut short: the flags (step 2)
            // come before the time delta (step 3).
            "unknown_flags_before_bad_time_delta",
            "8",
            handmade(&[record_bytes(0x02, 0x02, &[0x80])]),
            UnknownFlags,
            32,
        ),
        case(
            // An unknown critical type with an empty body, so no time delta.
            "unknown_critical_with_empty_body",
            "8",
            handmade(&[record_bytes(0x05, 0, &[])]),
            UnknownCriticalRecord,
            31,
        ),
        case(
            "malformed_keyframe_not_png",
            "5.5",
            handmade(&[record_bytes(
                0x82,
                0,
                &[0, 1, 0, 0, 0, 1, 0, 0, 0, b'G', b'I', b'F'],
            )]),
            MalformedRecord,
            46,
        ),
        case(
            "malformed_keyframe_short",
            "5.5",
            handmade(&[record_bytes(0x82, 0, &[0, 1, 0, 0])]),
            MalformedRecord,
            38,
        ),
        case(
            "malformed_trailer_overlong_delta",
            "5.6",
            overlong_trailer,
            MalformedRecord,
            TRAILER as u64 + 6,
        ),
        case(
            // `80 00` and 7 bytes: body_length 9, so the last 19 bytes frame
            // as a trailer, whose 7-byte payload fails at step 3 (where
            // index_offset is cut short) before the time delta (5.6).
            "malformed_trailer_overlong_delta_short_payload",
            "5.6",
            {
                let mut d = minimal();
                d.truncate(TRAILER);
                d.extend(record_bytes(
                    0x84,
                    0,
                    &[&[0x80, 0x00][..], &(INDEX as u64).to_le_bytes()[..7]].concat(),
                ));
                d
            },
            MalformedRecord,
            TRAILER as u64 + 8,
        ),
        case(
            // A trailer at the end with time delta 5: found while opening.
            "malformed_trailer_nonzero_delta",
            "9.1",
            changed(TRAILER, |d| d[TRAILER + 6] = 5),
            MalformedRecord,
            TRAILER as u64 + 6,
        ),
        case(
            // A trailer at the end whose time delta is `81 00`, non-zero and
            // two bytes long: with body_length 9 its payload is 7 bytes,
            // which the layout check (step 3) finds before the non-zero rule
            // (step 4): 9.1 step 3.2.
            "malformed_trailer_time_delta_81_00",
            "9.1",
            {
                let mut d = minimal();
                d.truncate(TRAILER);
                d.extend(record_bytes(
                    0x84,
                    0,
                    &[&[0x81, 0x00][..], &(INDEX as u64).to_le_bytes()[..7]].concat(),
                ));
                d
            },
            MalformedRecord,
            TRAILER as u64 + 8,
        ),
        case(
            // The index the trailer leads to has time delta 5.
            "malformed_index_time_delta",
            "9.1",
            changed(INDEX, |d| d[INDEX + 6] = 5),
            MalformedRecord,
            INDEX as u64 + 6,
        ),
        case(
            "malformed_trailer_short",
            "5.6",
            handmade(&[record_bytes(0x84, 0, &[0, 1, 2, 3, 4])]),
            MalformedRecord,
            38,
        ),
        case(
            "malformed_deflate_garbage",
            "6",
            handmade(&[record_bytes(0x02, 1, &[0, 5, 0xff, 0xff, 0xff])]),
            MalformedRecord,
            39,
        ),
        case(
            "malformed_deflate_short",
            "6",
            handmade(&[record_bytes(0x02, 1, &with_stream(&[0, 4], &[]))]),
            MalformedRecord,
            39,
        ),
        case(
            "malformed_deflate_trailing_byte",
            "6",
            handmade(&[record_bytes(0x02, 1, &with_stream(&[0, 3], &[0]))]),
            MalformedRecord,
            39,
        ),
        case(
            // A dynamic block that declares 31 distance codes (its HDIST
            // field is 30), the last of length 0, then codes "aa": zlib
            // refuses it ("too many length or distance symbols"), and so
            // does the spec (section 6); with HDIST 29 (byte 1 `dd`, byte 12
            // `18`) the same stream inflates to "aa".
            "malformed_deflate_31_distance_codes",
            "6",
            handmade(&[record_bytes(
                0x02,
                1,
                &[&[0, 2][..], &THIRTY_ONE_DISTANCE_CODES[..]].concat(),
            )]),
            MalformedRecord,
            39,
        ),
        case(
            // A fixed-Huffman stream of "abc" × 20 whose back reference, in
            // its sixth byte, reaches before the start: damage inside the
            // stream is reported at `data` all the same (section 6).
            "malformed_deflate_damaged_stream",
            "6",
            handmade(&[record_bytes(
                0x02,
                1,
                &[&[0, 60][..], &DAMAGED_ABC_X20[..]].concat(),
            )]),
            MalformedRecord,
            39,
        ),
        case(
            // The same stream as compressed metadata: inflation fails before
            // any protobuf decoding, at `data` (27 + 1), not at the record.
            "malformed_metadata_deflate_damaged",
            "6",
            {
                let mut d = FileHeader::CURRENT.to_bytes().to_vec();
                d.extend(record_bytes(
                    0x01,
                    1,
                    &[&[0, 60][..], &DAMAGED_ABC_X20[..]].concat(),
                ));
                d
            },
            MalformedRecord,
            28,
        ),
        case(
            "malformed_event_protobuf",
            "5.4",
            handmade(&[record_bytes(0x81, 0, &[0, 0xff, 0xff])]),
            MalformedRecord,
            31,
        ),
        case(
            // A group of field 102 closed by an end-group key of field 103.
            "malformed_event_end_group_mismatch",
            "5.9",
            event_with(&[0xb3, 0x06, 0xbc, 0x06]),
            MalformedRecord,
            31,
        ),
        case(
            // An unknown field 99 of wire type 6.
            "malformed_event_wire_type_6",
            "5.9",
            event_with(&[0x9e, 0x06]),
            MalformedRecord,
            31,
        ),
        case(
            // Wire type 7 inside an unknown group, where keys are read too.
            "malformed_event_wire_type_7_in_group",
            "5.9",
            event_with(&[0xb3, 0x06, 0x0f, 0xb4, 0x06]),
            MalformedRecord,
            31,
        ),
        case(
            // 100 nested groups holding a varint: the varint is at depth 100.
            "malformed_event_field_at_depth_100",
            "5.9",
            event_with(&nested_groups(100, &[0x08, 0x01])),
            MalformedRecord,
            31,
        ),
        case(
            // A map entry holding 100 nested empty groups: the entry's fields
            // are at depth 1, so the innermost start-group key is at 100.
            "malformed_event_map_entry_depth_100",
            "5.9",
            event_with(&map_entry(0x52, &nested_groups(100, &[]))),
            MalformedRecord,
            31,
        ),
        case(
            // An attributes entry whose value (field 2) is a varint.
            "malformed_event_map_value_wire_type",
            "5.9",
            event_with(&map_entry(0x52, &[0x0a, 0x01, b'k', 0x10, 0x05])),
            MalformedRecord,
            31,
        ),
        case(
            // An unknown field 3 of wire type 7 inside an attributes entry:
            // a map entry's other fields are read and checked too (5.9).
            "malformed_event_map_entry_wire_type_7",
            "5.9",
            event_with(&map_entry(0x52, &[0x0a, 0x01, b'k', 0x1f])),
            MalformedRecord,
            31,
        ),
        case(
            // A labels entry whose key (field 1) is a varint.
            "malformed_metadata_map_key_wire_type",
            "5.9",
            metadata_with(&map_entry(0x62, &[0x08, 0x05])),
            MalformedRecord,
            20,
        ),
        case(
            // session_id (field 1) is first the byte FF, not UTF-8, then
            // "ok": the later value would replace it, but every occurrence
            // is checked (5.9 rule 6).
            "malformed_metadata_string_replaced",
            "5.9",
            metadata_with(&[0x0a, 0x01, 0xff, 0x0a, 0x02, b'o', b'k']),
            MalformedRecord,
            20,
        ),
        case(
            // A labels entry whose key is first FF, then "k": the same rule
            // inside a map entry.
            "malformed_metadata_map_key_replaced",
            "5.9",
            metadata_with(&map_entry(
                0x62,
                &[0x0a, 0x01, 0xff, 0x0a, 0x01, b'k', 0x12, 0x01, b'v'],
            )),
            MalformedRecord,
            20,
        ),
        case(
            "malformed_metadata_protobuf",
            "5.1",
            bad_metadata,
            MalformedRecord,
            20,
        ),
        case(
            "malformed_metadata_time_delta",
            "8",
            timed_metadata,
            MalformedRecord,
            26,
        ),
        case(
            "misplaced_first_record",
            "8",
            first_frame,
            MisplacedRecord,
            20,
        ),
        case(
            // A frame with a reserved flag at offset 20: the record's own
            // checks come before the order rules (section 8, step 5).
            "unknown_flags_first_record",
            "8",
            {
                let mut d = FileHeader::CURRENT.to_bytes().to_vec();
                d.extend(record_bytes(0x02, 0x02, &[0, 3]));
                d
            },
            UnknownFlags,
            21,
        )
        .decoding_to(decoded(None, vec![])),
        case(
            "unknown_critical_first_record",
            "8",
            {
                let mut d = FileHeader::CURRENT.to_bytes().to_vec();
                d.extend(record_bytes(0x05, 0, &[0]));
                d
            },
            UnknownCriticalRecord,
            20,
        ),
        case(
            "misplaced_second_metadata",
            "8",
            handmade(&[record_bytes(0x01, 0, &[0])]),
            MisplacedRecord,
            31,
        ),
        case(
            "misplaced_after_trailer",
            "8",
            trailing_record,
            MisplacedRecord,
            207,
        ),
        case(
            "misplaced_trailer_without_index",
            "8",
            handmade(&[trailer_to_metadata.clone(), record_bytes(0x02, 0, &[0, 3])]),
            MisplacedRecord,
            31,
        ),
        case(
            "misplaced_after_index",
            "8",
            after_index,
            MisplacedRecord,
            TRAILER as u64,
        ),
        case(
            "time_overflow",
            "8",
            handmade(&[
                record_bytes(0x02, 0, &max_delta),
                record_bytes(0x02, 0, &[1, 3]),
            ]),
            TimeOverflow,
            31 + 20 + 6,
        ),
        case(
            "bad_index_trailer_to_metadata",
            "9.1",
            handmade(&[trailer_to_metadata]),
            BadIndex,
            38,
        )
        .decoding_to(decoded(
            Some(metadata(json!({}))),
            vec![record(20, 0, 0x01, 0, json!({}))],
        )),
        case(
            "bad_index_trailer_to_frame",
            "9.1",
            changed(TRAILER, |d| {
                d[195..203].copy_from_slice(&(FRAME1 as u64).to_le_bytes())
            }),
            BadIndex,
            195,
        ),
        case(
            "bad_index_trailer_outside",
            "9.1",
            changed(TRAILER, |d| {
                d[195..203].copy_from_slice(&u64::MAX.to_le_bytes())
            }),
            BadIndex,
            195,
        )
        .decoding_to(worked_example_up_to(4)),
        case(
            // Two bytes into the metadata record: the bytes there would frame
            // as a record of 0x08000000 bytes, over the limit, but the trailer
            // is what is wrong (9.1, step 3.3).
            "bad_index_trailer_into_record",
            "9.1",
            changed(TRAILER, |d| {
                d[195..203].copy_from_slice(&22u64.to_le_bytes())
            }),
            BadIndex,
            195,
        )
        .decoding_to(worked_example_up_to(4)),
        case(
            // A damaged frame at 44 and a trailer that leads nowhere: the
            // validator reports what opening finds first (section 10), and
            // the records stop at the damaged frame (json.md).
            "bad_index_before_checksum_mismatch",
            "10",
            {
                let mut d = changed(TRAILER, |d| {
                    d[195..203].copy_from_slice(&u64::MAX.to_le_bytes())
                });
                d[FRAME1 + 8] ^= 1;
                d
            },
            BadIndex,
            195,
        )
        .decoding_to(worked_example_up_to(1)),
        case(
            // The trailer leads to the index, whose payload is damaged: the
            // index record is framed and its CRC fails (9.1, step 3.4).
            "index_checksum_mismatch",
            "9.1",
            {
                let mut d = minimal();
                d[INDEX + 7 + 8] ^= 1;
                d
            },
            ChecksumMismatch,
            INDEX as u64,
        ),
        case(
            "bad_index_frame_count",
            "7.3",
            changed(INDEX, |d| d[INDEX + 7 + 16] = 3),
            BadIndex,
            (INDEX + 7 + 16) as u64,
        ),
        case(
            "bad_index_table_sizes",
            "7.1",
            changed(INDEX, |d| d[INDEX + 7 + 52] = 1),
            BadIndex,
            (INDEX + 7 + 48) as u64,
        ),
        case(
            // Bytes after the tables that do not end with the magic are no
            // directory: the length disagrees with the counts.
            "bad_index_directory_magic",
            "7.1",
            directory_changed(false, |d| d[MAGIC + 7] = 0x88),
            BadIndex,
            (INDEX + 7 + 48) as u64,
        ),
        case(
            "bad_index_directory_header_copy",
            "7.4",
            directory_changed(true, |d| d[HEADER_COPY + 1] ^= 1),
            BadIndex,
            (HEADER_COPY + 1) as u64,
        ),
        case(
            "limit_directory_sample_count",
            "7.4",
            directory_changed(true, |d| {
                d[SAMPLE_COUNT..SAMPLE_COUNT + 4].copy_from_slice(&u32::MAX.to_le_bytes())
            }),
            LimitExceeded,
            SAMPLE_COUNT as u64,
        ),
        case(
            "bad_index_directory_length",
            "7.4",
            directory_changed(true, |d| d[SAMPLE_COUNT] = 2),
            BadIndex,
            SAMPLE_COUNT as u64,
        ),
        case(
            "bad_index_directory_sample_interval",
            "7.4",
            directory_changed(true, |d| d[SAMPLE_INTERVAL] = 0),
            BadIndex,
            SAMPLE_INTERVAL as u64,
        ),
        case(
            "bad_index_directory_checksum",
            "7.4",
            directory_changed(false, |d| d[SAMPLE] ^= 1),
            BadIndex,
            DIRECTORY_CRC as u64,
        ),
        case(
            // A sample that is not a copy of its seek entry passes the layout
            // and fails the comparison with the rebuilt index (7.3).
            "bad_index_directory_sample",
            "7.3",
            directory_changed(true, |d| d[SAMPLE] ^= 1),
            BadIndex,
            SAMPLE as u64,
        ),
        case(
            // An index record at offset 20 with an empty payload: its layout
            // (step 3) fails before the order rules could call it misplaced.
            "bad_index_first_record",
            "8",
            {
                let mut d = FileHeader::CURRENT.to_bytes().to_vec();
                d.extend(record_bytes(0x83, 0, &[0]));
                d
            },
            BadIndex,
            27,
        ),
        case(
            // An index of 10 payload bytes with no trailer after it: opening
            // finds no trailer, iteration finds the index short (at 38).
            "bad_index_short_payload",
            "7.1",
            handmade(&[record_bytes(0x83, 0, &[0; 11])]),
            BadIndex,
            38,
        ),
        case(
            // A trailer leading to a frame, followed by a record: the file
            // does not end with a trailer, so iteration finds it (at 195)
            // before the record after it.
            "bad_index_trailer_not_last",
            "8",
            {
                let mut d = changed(TRAILER, |d| {
                    d[195..203].copy_from_slice(&(FRAME1 as u64).to_le_bytes())
                });
                d.extend(record_bytes(0x02, 0, &[0, 3]));
                d
            },
            BadIndex,
            195,
        ),
        case(
            // Bit 1 of the seek entry's flags (at 176): the JSON shows bit 0
            // alone, and the index comparison finds the difference.
            "bad_index_seek_flags",
            "7.3",
            changed(INDEX, |d| d[INDEX + 7 + 60 + 24] = 2),
            BadIndex,
            (INDEX + 7 + 60 + 24) as u64,
        )
        .decoding_to(worked_example_up_to(5)),
        case("unfinished", "10", unfinished, Unfinished, INDEX as u64),
    ]
}

pub fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

#[test]
fn invalid_cases_are_current_and_fail_as_the_spec_says() {
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    let dir = conformance_dir().join("invalid");
    for case in cases() {
        let err = tdpr::validate(&case.bytes).expect_err(case.name);
        assert_eq!(
            (err.class(), err.offset()),
            (case.class, Some(case.offset)),
            "{}: {err}",
            case.name
        );
        let expected = match case.class {
            ErrorClass::Unfinished => tdpr::json::EndJson::Unfinished {
                offset: case.offset,
            },
            class => tdpr::json::EndJson::Error {
                class: class.as_str().to_string(),
                offset: Some(case.offset),
            },
        };
        assert_eq!(
            tdpr::json::dump(&case.bytes, Limits::default()).end,
            expected,
            "{}",
            case.name
        );
        let path = dir.join(format!("{}.tdpr", case.name));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &case.bytes).unwrap();
        }
        assert!(
            std::fs::read(&path).unwrap_or_default() == case.bytes,
            "{} is stale",
            path.display()
        );
        if let Some(expected) = case.expected_json() {
            let printed =
                serde_json::to_value(tdpr::json::dump(&case.bytes, Limits::default())).unwrap();
            assert_eq!(printed, expected, "{}: the reference's JSON", case.name);
            let json_path = dir.join(format!("{}.json", case.name));
            if bless {
                let text = serde_json::to_string_pretty(&expected).unwrap() + "\n";
                std::fs::write(&json_path, text).unwrap();
            }
            let checked_in: Value =
                serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap_or_default())
                    .unwrap_or_default();
            assert_eq!(checked_in, expected, "{} is stale", json_path.display());
        }
    }
    let all = cases();
    let mut names: Vec<&str> = all.iter().map(|c| c.name).collect();
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), count, "case names are unique");
    let files = count + all.iter().filter(|c| c.decoded.is_some()).count();
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        files,
        "conformance/invalid holds exactly the cases"
    );
}
