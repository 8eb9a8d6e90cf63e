//! Export keeps frames too large for one Teleport event (spec/conversion.md
//! §4.4): PNG frames of every form come back as tiles that paint the same
//! pixels; a message of several fast-path PDUs comes back as one PDU per
//! update, which a player that joins fragments as Teleport's does reads as
//! the same updates. What cannot be cut stops the export, or is counted when
//! the loss is allowed.

use std::borrow::Cow;
use std::io::Cursor;

use tdpr::tdp::tdpb::proto::teleport::desktop::v1::{Envelope, FastPathPdu, PngFrame, Rectangle};
use tdpr::tdp::tdpb::{self, Payload};
use tdpr::tdp::{decode_any, AnyMessage, FastPathUpdates, Message};
use tdpr::teleport::{export, ExportOptions};
use tdpr::{ErrorClass, Recording};

use super::fixtures::import_bytes;

/// Bytes that compress badly, from a seed.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

/// A noisy PNG: `color` at `depth`, with a palette and transparency for
/// indexed colour, and a gAMA chunk.
fn png(width: u32, height: u32, color: png::ColorType, depth: png::BitDepth, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    encoder.set_source_gamma(png::ScaledFloat::new(1.0 / 2.2));
    if color == png::ColorType::Indexed {
        encoder.set_palette(noise(seed + 1, 256 * 3));
        encoder.set_trns(noise(seed + 2, 256));
    }
    let mut writer = encoder.write_header().unwrap();
    let bytes_per_sample = if depth == png::BitDepth::Sixteen {
        2
    } else {
        1
    };
    let len = width as usize * height as usize * color.samples() * bytes_per_sample;
    writer.write_image_data(&noise(seed, len)).unwrap();
    writer.finish().unwrap();
    out
}

/// Pixels as a browser draws them, and the decoded colour type and depth.
fn pixels(
    png: &[u8],
) -> (
    Vec<u8>,
    u32,
    u32,
    png::ColorType,
    png::BitDepth,
    Option<png::ScaledFloat>,
) {
    let mut decoder = png::Decoder::new(Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut out = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut out).unwrap();
    out.truncate(info.buffer_size());
    let gamma = reader.info().source_gamma;
    (
        out,
        info.width,
        info.height,
        info.color_type,
        info.bit_depth,
        gamma,
    )
}

/// A fast-path PDU: header byte 0, two-byte length, then `updates`
/// (update header, size, data).
fn fast_path_pdu(updates: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let body: usize = updates.iter().map(|(_, data)| 3 + data.len()).sum();
    let mut pdu = vec![0];
    pdu.extend_from_slice(&(0x8000 | (3 + body) as u16).to_be_bytes());
    for (header, data) in updates {
        pdu.push(*header);
        pdu.extend_from_slice(&(data.len() as u16).to_le_bytes());
        pdu.extend_from_slice(data);
    }
    pdu
}

/// What a player that reads every update in order and joins fragments (as
/// IronRDP's `CompleteData` does) ends up with: each whole update's code
/// and data.
fn joined(messages: &[Vec<u8>]) -> Vec<(u8, Vec<u8>)> {
    let mut whole = Vec::new();
    let mut pending: Option<Vec<u8>> = None;
    for message in messages {
        let pdu = match decode_any(message).unwrap().0 {
            AnyMessage::Tdp(Message::RdpFastPathPdu { pdu }) => pdu.into_owned(),
            AnyMessage::Tdpb(frame) => match frame.payload() {
                Some(Payload::FastPathPdu(pdu)) => pdu.pdu.clone(),
                other => panic!("not a fast-path frame: {other:?}"),
            },
            other => panic!("not a fast-path frame: {other:?}"),
        };
        let mut rest = &pdu[..];
        while !rest.is_empty() {
            let mut updates = FastPathUpdates::new(rest);
            let length = usize::from(updates.header().unwrap().length);
            for update in updates.by_ref() {
                match update.fragmentation {
                    0 => whole.push((update.code.0, update.data.to_vec())),
                    2 => pending = Some(update.data.to_vec()),
                    3 => pending.as_mut().unwrap().extend_from_slice(update.data),
                    _ => {
                        let mut data = pending.take().unwrap();
                        data.extend_from_slice(update.data);
                        whole.push((update.code.0, data));
                    }
                }
            }
            rest = &rest[length..];
        }
    }
    whole
}

/// The frames of a recording: time and message.
fn frames(recording: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let recording = Recording::parse(recording).unwrap();
    let mut inflater = tdpr::Inflater::default();
    recording
        .records()
        .flat_map(|record| {
            record
                .unwrap()
                .frames(&mut inflater)
                .unwrap()
                .map(|f| (f.time_us, f.message.to_vec()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A PNG frame's form (type byte, or 0 for TDPB), rectangle and PNG.
fn png_frame(message: &[u8]) -> Option<(u8, [u32; 4], Vec<u8>)> {
    match decode_any(message).unwrap().0 {
        AnyMessage::Tdp(Message::PngFrame {
            left,
            top,
            right,
            bottom,
            png,
        }) => Some((2, [left, top, right, bottom], png.into_owned())),
        AnyMessage::Tdp(Message::Png2Frame {
            left,
            top,
            right,
            bottom,
            png,
        }) => Some((27, [left, top, right, bottom], png.into_owned())),
        AnyMessage::Tdpb(frame) => match frame.payload() {
            Some(Payload::PngFrame(png)) => {
                let c = png.coordinates.unwrap();
                Some((0, [c.left, c.top, c.right, c.bottom], png.data.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

fn encode(message: &Message<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    message.encode(&mut out).unwrap();
    out
}

fn encode_tdpb(payload: Payload) -> Vec<u8> {
    let mut out = Vec::new();
    tdpb::encode_envelope(
        &Envelope {
            payload: Some(payload),
        },
        &mut out,
    )
    .unwrap();
    out
}

fn recording(frames: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut writer = tdpr::Writer::new(
        Vec::new(),
        tdpr::proto::Metadata::default(),
        Default::default(),
    )
    .unwrap();
    for (time, frame) in frames {
        writer.write_frame(*time, frame).unwrap();
    }
    writer.finish().unwrap()
}

#[test]
fn png_frames_come_back_as_tiles_with_the_same_pixels() {
    use png::{BitDepth, ColorType};
    let originals = vec![
        // Exclusive right and bottom.
        (
            1_000,
            encode(&Message::Png2Frame {
                left: 100,
                top: 50,
                right: 400,
                bottom: 250,
                png: Cow::Owned(png(300, 200, ColorType::Rgb, BitDepth::Eight, 1)),
            }),
        ),
        // Inclusive right and bottom; a palette with transparency.
        (
            2_000,
            encode(&Message::PngFrame {
                left: 0,
                top: 0,
                right: 399,
                bottom: 299,
                png: Cow::Owned(png(400, 300, ColorType::Indexed, BitDepth::Eight, 2)),
            }),
        ),
        // TDPB, 16-bit grey with alpha.
        (
            3_000,
            encode_tdpb(Payload::PngFrame(PngFrame {
                coordinates: Some(Rectangle {
                    left: 7,
                    top: 9,
                    right: 207,
                    bottom: 109,
                }),
                data: png(200, 100, ColorType::GrayscaleAlpha, BitDepth::Sixteen, 3),
            })),
        ),
    ];
    for (_, message) in &originals {
        assert!(
            message.len() > 70_000,
            "each frame is too large for one event"
        );
    }
    let file = recording(&originals);
    let (stream, report) = export(
        &Recording::parse(&file).unwrap(),
        Vec::new(),
        &ExportOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (report.frames, report.frames_split, report.frames_left_out),
        (3, 3, 0)
    );
    let (again, _) = import_bytes(&stream);
    let tiles = frames(&again);
    assert_eq!(
        report.split_events as usize,
        tiles.iter().filter(|(_, m)| png_frame(m).is_some()).count()
    );

    for (time, message) in &originals {
        let (form, rect, png) = png_frame(message).unwrap();
        let (expected, width, height, color, depth, gamma) = pixels(&png);
        let pixel = expected.len() / (width * height) as usize;
        let mut painted = vec![0u8; expected.len()];
        let mut covered = 0;
        for (_, tile) in tiles.iter().filter(|(t, _)| t == time) {
            let Some((tile_form, tile_rect, tile_png)) = png_frame(tile) else {
                continue;
            };
            assert_eq!(tile_form, form);
            let (samples, w, h, tile_color, tile_depth, tile_gamma) = pixels(&tile_png);
            assert_eq!((tile_color, tile_depth, tile_gamma), (color, depth, gamma));
            let (x, y) = (tile_rect[0] - rect[0], tile_rect[1] - rect[1]);
            // The rectangle keeps the frame's convention.
            assert_eq!(tile_rect[2] - tile_rect[0] + width, w + rect[2] - rect[0]);
            assert_eq!(tile_rect[3] - tile_rect[1] + height, h + rect[3] - rect[1]);
            for row in 0..h as usize {
                let at = ((y as usize + row) * width as usize + x as usize) * pixel;
                let line = &samples[row * w as usize * pixel..(row + 1) * w as usize * pixel];
                painted[at..at + line.len()].copy_from_slice(line);
            }
            covered += (w * h) as usize;
        }
        assert_eq!(
            covered,
            (width * height) as usize,
            "tiles cover the image once"
        );
        assert!(painted == expected, "the tiles paint the frame's pixels");
    }
}

#[test]
fn fast_path_pdus_come_back_one_update_a_message() {
    // Three PDUs in one message: a whole update; the first two fragments of
    // one; its last fragment and another whole update.
    let pdus = [
        fast_path_pdu(&[(0x04, noise(1, 30_000))]),
        fast_path_pdu(&[(0x24, noise(2, 15_000)), (0x34, noise(3, 14_000))]),
        fast_path_pdu(&[(0x14, noise(4, 20_000)), (0x01, noise(5, 9_000))]),
    ]
    .concat();
    let legacy = encode(&Message::RdpFastPathPdu {
        pdu: Cow::Borrowed(&pdus),
    });
    let modern = encode_tdpb(Payload::FastPathPdu(FastPathPdu { pdu: pdus.clone() }));
    let file = recording(&[(5_000, legacy.clone()), (6_000, modern.clone())]);
    let (stream, report) = export(
        &Recording::parse(&file).unwrap(),
        Vec::new(),
        &ExportOptions::default(),
    )
    .unwrap();
    assert_eq!((report.frames_split, report.split_events), (2, 10));
    let (again, _) = import_bytes(&stream);
    let pieces = frames(&again);
    for (time, original) in [(5_000, legacy), (6_000, modern)] {
        let mine: Vec<Vec<u8>> = pieces
            .iter()
            .filter(|(t, _)| *t == time)
            .map(|(_, m)| m.clone())
            .collect();
        assert_eq!(mine.len(), 5);
        assert_eq!(mine[0][0], original[0], "the form is kept");
        assert_eq!(joined(&mine), joined(&[original]));
        assert_eq!(joined(&mine).len(), 3);
    }
}

#[test]
fn what_cannot_be_cut_stops_the_export_unless_the_loss_is_allowed() {
    // An encrypted PDU (flags 0x2 in the header's top bits), three times:
    // about 90 KB, over the 64 KiB event limit, with no update to cut at.
    let mut encrypted = fast_path_pdu(&[(0x04, noise(6, 30_000))]);
    encrypted[0] = 0x80;
    encrypted.extend(vec![0; 8]); // the data signature's room, as bytes
    let frame = encode(&Message::RdpFastPathPdu {
        pdu: Cow::Owned(encrypted.repeat(3)),
    });
    assert!(frame.len() > 65_536);
    let file = recording(&[(1_000, frame)]);
    let recording = Recording::parse(&file).unwrap();
    let error = export(&recording, Vec::new(), &ExportOptions::default()).unwrap_err();
    assert_eq!(error.class(), ErrorClass::InvalidInput);
    assert!(error
        .to_string()
        .contains("is too large for one Teleport event and cannot be cut"));
    let mut options = ExportOptions::default();
    options.allow_loss = true;
    let (_, report) = export(&recording, Vec::new(), &options).unwrap();
    assert_eq!((report.frames, report.frames_left_out), (0, 1));
}
