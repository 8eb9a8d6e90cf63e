//! The screen model of spec/rendering.md, message by message.

use tdpr::tdp::tdpb::proto::teleport::desktop::v1::{
    ConnectionActivated, Envelope, PngFrame, Rectangle, ServerHello,
};
use tdpr::tdp::tdpb::{self, Payload};
use tdpr::tdp::Message;
use tdpr_render::{encode_png, Damage, Rect, RenderError, Screen, MAX_SIDE};

fn legacy(message: Message<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    message.encode(&mut out).unwrap();
    out
}

fn tdpb_frame(payload: Payload) -> Vec<u8> {
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

fn png(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_png(
        width,
        height,
        &rgba.repeat((width * height) as usize),
        false,
        &mut out,
    )
    .unwrap();
    out
}

fn pixel(screen: &Screen, x: u32, y: u32) -> [u8; 4] {
    let at = ((y * screen.width() + x) * 4) as usize;
    screen.pixels()[at..at + 4].try_into().unwrap()
}

#[test]
fn png_tiles_of_both_wire_forms_draw_at_left_and_top() {
    let mut screen = Screen::new(64, 32).unwrap();
    let tile = png(8, 4, [200, 10, 20, 255]);
    // right and bottom are not used: the image's own size counts.
    screen
        .apply(&legacy(Message::PngFrame {
            left: 10,
            top: 5,
            right: 11,
            bottom: 6,
            png: tile.clone().into(),
        }))
        .unwrap();
    assert_eq!(pixel(&screen, 10, 5), [200, 10, 20, 255]);
    assert_eq!(pixel(&screen, 17, 8), [200, 10, 20, 255]);
    assert_eq!(pixel(&screen, 18, 8), [0, 0, 0, 255]);
    assert_eq!(
        screen.take_damage(),
        Damage {
            area: Some(Rect::new(10, 5, 8, 4)),
            resized: false,
            pointer: false
        }
    );
    // TDPB, translucent, clipped at the right edge.
    let half = png(8, 1, [255, 255, 255, 128]);
    screen
        .apply(&tdpb_frame(Payload::PngFrame(PngFrame {
            coordinates: Some(Rectangle {
                left: 60,
                top: 0,
                right: 68,
                bottom: 1,
            }),
            data: half,
        })))
        .unwrap();
    assert_eq!(pixel(&screen, 63, 0), [128, 128, 128, 255]);
    assert_eq!(screen.take_damage().area, Some(Rect::new(60, 0, 4, 1)));
    assert!(screen.undrawn().is_empty());
}

#[test]
fn sizes_follow_the_resize_rule() {
    let mut screen = Screen::new(32, 16).unwrap();
    screen
        .apply(&legacy(Message::PngFrame {
            left: 0,
            top: 0,
            right: 4,
            bottom: 4,
            png: png(4, 4, [9, 9, 9, 255]).into(),
        }))
        .unwrap();
    screen.take_damage();
    // The same size changes nothing.
    screen
        .apply(&legacy(Message::ClientScreenSpec {
            width: 32,
            height: 16,
        }))
        .unwrap();
    assert_eq!(pixel(&screen, 0, 0), [9, 9, 9, 255]);
    assert_eq!(screen.take_damage(), Damage::default());
    // Another size: black, everything to redraw.
    let hello = tdpb_frame(Payload::ServerHello(ServerHello {
        activation_spec: Some(ConnectionActivated {
            io_channel_id: 1,
            user_channel_id: 2,
            screen_width: 40,
            screen_height: 20,
        }),
        ..ServerHello::default()
    }));
    screen.apply(&hello).unwrap();
    assert_eq!((screen.width(), screen.height()), (40, 20));
    assert_eq!(pixel(&screen, 0, 0), [0, 0, 0, 255]);
    let damage = screen.take_damage();
    assert!(damage.resized);
    assert_eq!(damage.area, Some(Rect::new(0, 0, 40, 20)));
}

#[test]
fn a_lying_server_hello_is_refused_and_counted() {
    let mut screen = Screen::new(32, 16).unwrap();
    let hello = legacy(Message::RdpConnectionActivated {
        io_channel_id: 1,
        user_channel_id: 2,
        screen_width: 65535,
        screen_height: 65535,
    });
    match screen.apply(&hello) {
        Err(RenderError::ScreenSize {
            width: 65535,
            height: 65535,
        }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!((screen.width(), screen.height()), (32, 16));
    let too_wide = legacy(Message::ClientScreenSpec {
        width: MAX_SIDE + 1,
        height: 1,
    });
    assert!(screen.apply(&too_wide).is_err());
    assert!(screen
        .apply(&legacy(Message::ClientScreenSpec {
            width: MAX_SIDE,
            height: 2
        }))
        .is_ok());
    let kinds: Vec<_> = screen
        .undrawn()
        .kinds()
        .map(|(k, v)| (k.to_string(), v.count))
        .collect();
    assert_eq!(
        kinds,
        [
            ("client_screen_spec".to_string(), 1),
            ("rdp_connection_activated".to_string(), 1)
        ]
    );
    assert!(Screen::new(MAX_SIDE + 1, 1).is_err());
}

#[test]
fn what_cannot_be_drawn_is_counted_by_kind_and_the_rest_ignored() {
    let mut screen = Screen::new(32, 16).unwrap();
    // Nothing to draw by nature: accepted.
    screen
        .apply(&legacy(Message::MouseButton {
            button: 0,
            state: 1,
        }))
        .unwrap();
    screen
        .apply(&legacy(Message::KeyboardButton {
            key_code: 30,
            state: 1,
        }))
        .unwrap();
    // Not drawable: a PNG that is not one, a tile outside the screen, an
    // unknown message, a fast-path PDU that does not parse, a truncated message.
    let mut broken = png(2, 2, [1, 2, 3, 255]);
    let last = broken.len() - 20;
    broken[last] ^= 0xff;
    assert!(screen
        .apply(&legacy(Message::PngFrame {
            left: 0,
            top: 0,
            right: 2,
            bottom: 2,
            png: broken.into()
        }))
        .is_err());
    assert!(screen
        .apply(&legacy(Message::PngFrame {
            left: 40,
            top: 0,
            right: 42,
            bottom: 2,
            png: png(2, 2, [1, 2, 3, 255]).into()
        }))
        .is_err());
    assert!(screen.apply(&[200, 1, 2, 3]).is_err());
    assert!(screen
        .apply(&legacy(Message::RdpFastPathPdu {
            pdu: vec![0, 3, 0xff].into()
        }))
        .is_err());
    assert!(screen.apply(&[3, 0, 0]).is_err());
    let kinds: Vec<_> = screen
        .undrawn()
        .kinds()
        .map(|(k, v)| (k.to_string(), v.count))
        .collect();
    assert_eq!(
        kinds,
        [
            ("mouse_move".to_string(), 1),
            ("png_frame".to_string(), 2),
            ("rdp_fast_path_pdu".to_string(), 1),
            ("unknown_200".to_string(), 1)
        ]
    );
    assert_eq!(screen.undrawn().total(), 5);
    assert_eq!(pixel(&screen, 0, 0), [0, 0, 0, 255]);
}

#[test]
fn the_pointer_moves_and_is_drawn_only_on_request() {
    let mut screen = Screen::new(32, 32).unwrap();
    assert_eq!(screen.pointer().position, None);
    screen
        .apply(&legacy(Message::MouseMove { x: 4, y: 5 }))
        .unwrap();
    assert_eq!(
        screen.take_damage(),
        Damage {
            area: None,
            resized: false,
            pointer: true
        }
    );
    assert_eq!(pixel(&screen, 4, 5), [0, 0, 0, 255]);
    let mut with_pointer = Vec::new();
    screen.composite(&mut with_pointer);
    // The arrow's tip is black and its second row's second pixel black; its inside is white.
    assert_eq!(
        &with_pointer[((7 * 32 + 5) * 4) as usize..][..4],
        &[255, 255, 255, 255]
    );
}

#[test]
fn a_keyframe_that_is_not_a_whole_opaque_screen_is_drawn_over_black() {
    // At the screen's size: what was on the screen does not show through.
    let mut screen = Screen::new(5, 3).unwrap();
    screen
        .apply(&legacy(Message::PngFrame {
            left: 0,
            top: 0,
            right: 5,
            bottom: 3,
            png: png(5, 3, [200, 100, 50, 255]).into(),
        }))
        .unwrap();
    screen
        .load_keyframe(5, 3, &png(2, 1, [255, 255, 255, 255]))
        .unwrap();
    assert_eq!(pixel(&screen, 1, 0), [255, 255, 255, 255]);
    for (x, y) in [(2, 0), (0, 1), (4, 2)] {
        assert_eq!(pixel(&screen, x, y), [0, 0, 0, 255], "({x}, {y})");
    }
    // A translucent whole image, at a new size: blended over black.
    screen
        .load_keyframe(3, 7, &png(3, 7, [255, 255, 255, 128]))
        .unwrap();
    assert_eq!((screen.width(), screen.height()), (3, 7));
    for (x, y) in [(0, 0), (2, 6)] {
        assert_eq!(pixel(&screen, x, y), [128, 128, 128, 255], "({x}, {y})");
    }
}
