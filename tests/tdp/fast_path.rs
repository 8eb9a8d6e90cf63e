//! The best-effort fast-path view of type 29 (MS-RDPBCGR 2.2.9.1.2).

use std::borrow::Cow;

use tdpr::tdp::{FastPathUpdateCode, Message};

fn updates_of(pdu: &[u8]) -> Vec<(FastPathUpdateCode, u8, Option<u8>, Vec<u8>)> {
    let message = Message::RdpFastPathPdu {
        pdu: Cow::Borrowed(pdu),
    };
    message
        .fast_path_updates()
        .expect("type 29 has updates")
        .map(|u| {
            (
                u.code,
                u.fragmentation,
                u.compression_flags,
                u.data.to_vec(),
            )
        })
        .collect()
}

#[test]
fn one_byte_length_two_updates() {
    // header 0x00 (fast-path, no flags), length 11;
    // update 0x04 SURFCMDS size 3 [1,2,3]; update 0x05 PTR_NULL size 0.
    let pdu = [0x00, 0x0b, 0x04, 0x03, 0x00, 1, 2, 3, 0x05, 0x00, 0x00];
    let message = Message::RdpFastPathPdu {
        pdu: Cow::Borrowed(&pdu),
    };
    let updates = message.fast_path_updates().unwrap();
    let header = updates.header().unwrap();
    assert_eq!((header.length, header.header_len, header.flags), (11, 2, 0));
    assert_eq!(
        updates_of(&pdu),
        vec![
            (FastPathUpdateCode::SURFACE_COMMANDS, 0, None, vec![1, 2, 3]),
            (FastPathUpdateCode::POINTER_HIDDEN, 0, None, vec![]),
        ]
    );
}

#[test]
fn two_byte_length_fragment_and_compression() {
    // length 0x800c = two-byte form, 12 bytes; update header 0xa1:
    // code 1 (BITMAP), fragmentation 2 (first), compression 2 (flags follow).
    let pdu = [0x00, 0x80, 0x0c, 0xa1, 0x21, 0x05, 0x00, 9, 9, 9, 9, 9];
    assert_eq!(
        updates_of(&pdu),
        vec![(FastPathUpdateCode::BITMAP, 2, Some(0x21), vec![9; 5])]
    );
    assert_eq!(
        FastPathUpdateCode::BITMAP.name(),
        Some("FASTPATH_UPDATETYPE_BITMAP")
    );
}

#[test]
fn unparseable_pdus_give_no_updates_and_never_fail() {
    // Empty, slow-path action, encrypted, update size past the end.
    for pdu in [
        &[][..],
        &[0x03, 0x00, 0x00, 0x07],
        &[0x80, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00],
        &[0x00, 0x06, 0x01, 0xff, 0x00, 0x00],
    ] {
        assert!(updates_of(pdu).is_empty(), "{pdu:02x?}");
    }
    let partial = Message::RdpFastPathPdu {
        pdu: Cow::Borrowed(&[0x00, 0x06, 0x01, 0xff, 0x00, 0x00]),
    };
    assert_eq!(partial.fast_path_updates().unwrap().unparsed().len(), 4);
}

#[test]
fn other_messages_have_no_fast_path_view() {
    assert!(Message::Upgrade.fast_path_updates().is_none());
}
