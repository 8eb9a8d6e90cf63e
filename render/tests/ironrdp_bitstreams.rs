//! Real server bitstreams from IronRDP's own test data, drawn through the
//! whole renderer (TDP message, fast-path gate, IronRDP, copy to the screen)
//! and compared with the pixels IronRDP's tests give for them.
//!
//! The data is IronRDP's, not this project's, so it is read where it lies:
//! set `IRONRDP_RLE_TILES` to a directory holding IronRDP's
//! `crates/ironrdp-testsuite-core/test_data/rle/` files (each
//! `tile-<hash>-compressed.bin`, interleaved RLE at 16 bits a pixel, 64 × 64,
//! with its `-decompressed.bin`), then run
//! `cargo test --test ironrdp_bitstreams -- --ignored`.

use ironrdp_graphics::color_conversion::rdp_16bit_to_rgb;
use ironrdp_pdu::bitmap::{BitmapData, BitmapUpdateData, CompressedDataHeader, Compression};
use ironrdp_pdu::fast_path::{
    EncryptionFlags, FastPathHeader, FastPathUpdatePdu, Fragmentation, UpdateCode,
};
use ironrdp_pdu::geometry::InclusiveRectangle;
use tdpr::tdp::Message;
use tdpr_render::Screen;

fn bitmap_pdu(compressed: &[u8]) -> Vec<u8> {
    let update = BitmapUpdateData {
        rectangles: vec![BitmapData {
            rectangle: InclusiveRectangle {
                left: 0,
                top: 0,
                right: 63,
                bottom: 63,
            },
            width: 64,
            height: 64,
            bits_per_pixel: 16,
            compression_flags: Compression::BITMAP_COMPRESSION,
            compressed_data_header: Some(CompressedDataHeader {
                main_body_size: compressed.len() as u16,
                scan_width: 64,
                uncompressed_size: 64 * 64 * 2,
            }),
            bitmap_data: compressed,
        }],
    };
    let data = ironrdp_core::encode_vec(&update).unwrap();
    let update = FastPathUpdatePdu {
        fragmentation: Fragmentation::Single,
        update_code: UpdateCode::Bitmap,
        compression_flags: None,
        compression_type: None,
        data: &data,
    };
    let header = FastPathHeader::new(
        EncryptionFlags::empty(),
        ironrdp_core::Encode::size(&update),
    );
    let mut pdu = ironrdp_core::encode_vec(&header).unwrap();
    pdu.extend_from_slice(&ironrdp_core::encode_vec(&update).unwrap());
    let mut message = Vec::new();
    Message::RdpFastPathPdu { pdu: pdu.into() }
        .encode(&mut message)
        .unwrap();
    message
}

#[test]
#[ignore = "needs IronRDP's test data: set IRONRDP_RLE_TILES"]
fn ironrdp_rle_tiles_draw_their_decompressed_pixels() {
    let dir = std::env::var("IRONRDP_RLE_TILES")
        .expect("IRONRDP_RLE_TILES names IronRDP's rle test data directory");
    let mut tiles = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix("-compressed.bin") else {
            continue;
        };
        let compressed = std::fs::read(&path).unwrap();
        let decompressed =
            std::fs::read(path.with_file_name(format!("{stem}-decompressed.bin"))).unwrap();
        let mut screen = Screen::new(64, 64).unwrap();
        screen
            .apply(&bitmap_pdu(&compressed))
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        // RDP bitmaps run bottom to top.
        for y in 0..64usize {
            for x in 0..64usize {
                let at = ((63 - y) * 64 + x) * 2;
                let rgb =
                    rdp_16bit_to_rgb(u16::from_le_bytes([decompressed[at], decompressed[at + 1]]));
                let got = &screen.pixels()[(y * 64 + x) * 4..][..4];
                assert_eq!(got, [rgb[0], rgb[1], rgb[2], 255], "{stem} at ({x}, {y})");
            }
        }
        tiles += 1;
    }
    assert!(tiles >= 10, "only {tiles} tiles found");
}
