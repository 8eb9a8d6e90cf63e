//! A model of a session as the operations a recorder performs, shared by the
//! structure-aware fuzz target (`fuzz/checks.rs`, built with `arbitrary`) and
//! the proptest round trip (`tests/format/roundtrip.rs`): how each operation is
//! written, and how what is read back must look (`#[path]`-included). A
//! written frame comes back as a frame, in a frame record or a batch; any
//! other operation as a record of its own.

use tdpr::format::PNG_SIGNATURE;
use tdpr::proto::Event;
use tdpr::proto::Extensible;
use tdpr::{Inflater, Record, RecordBody, RecordFlags, RecordType, Writer};

/// One record a recorder writes.
#[derive(Debug, Clone, arbitrary::Arbitrary)]
pub enum Op {
    /// A TDP message.
    Frame(Vec<u8>),
    /// A screen size.
    ScreenSize(u32, u32),
    /// An event of this kind with this label.
    Event(i32, String),
    /// A keyframe; the bytes follow the PNG signature.
    Keyframe(u32, u32, Vec<u8>),
    /// An ancillary record of type `code | 0x80`, with these flags and payload.
    Unknown(u8, u8, Vec<u8>),
}

/// Writes `op` at `time_us`.
pub fn write_op<W: std::io::Write>(
    writer: &mut Writer<W>,
    time_us: u64,
    op: &Op,
) -> tdpr::Result<()> {
    match op {
        Op::Frame(bytes) => writer.write_frame(time_us, bytes),
        Op::ScreenSize(w, h) => writer.write_screen_size(time_us, *w, *h),
        Op::Event(kind, label) => writer.write_event(
            time_us,
            Event {
                kind: *kind,
                label: label.clone(),
                ..Event::default()
            },
        ),
        Op::Keyframe(w, h, rest) => {
            let image = [&PNG_SIGNATURE[..], rest].concat();
            writer.write_keyframe(time_us, *w, *h, &image)
        }
        Op::Unknown(code, flags, payload) => writer.write_unknown_ancillary(
            time_us,
            RecordType(code | 0x80),
            RecordFlags(*flags),
            payload,
        ),
    }
}

/// One thing read back: a frame, or a record that holds no frame.
#[derive(Debug)]
pub enum Item<'r, 'a> {
    /// A frame, from a frame record or a frame batch: its time and message.
    Frame(u64, Vec<u8>),
    /// Any other record.
    Record(&'r Record<'a>),
}

impl Item<'_, '_> {
    /// Its time.
    pub fn time_us(&self) -> u64 {
        match self {
            Item::Frame(time_us, _) => *time_us,
            Item::Record(record) => record.time_us,
        }
    }
}

/// The frames and the other records of `records`, in file order.
pub fn items<'r, 'a>(records: &'r [Record<'a>]) -> Vec<Item<'r, 'a>> {
    let mut items = Vec::new();
    let mut inflater = Inflater::default();
    for record in records {
        let before = items.len();
        // A frame that does not inflate is read back as no frame at all.
        if let Ok(frames) = record.frames(&mut inflater) {
            items.extend(frames.map(|f| Item::Frame(f.time_us, f.message.to_vec())));
        }
        if items.len() == before {
            items.push(Item::Record(record));
        }
    }
    items
}

/// Why `item` is not what writing `op` must give back, if it is not.
pub fn mismatch(op: &Op, item: &Item<'_, '_>) -> Option<String> {
    let record = match (op, item) {
        (Op::Frame(bytes), Item::Frame(_, message)) => {
            return (message != bytes).then(|| format!("wrote {op:?}, read {message:?}"));
        }
        (_, Item::Frame(_, message)) => return Some(format!("wrote {op:?}, read {message:?}")),
        (_, Item::Record(record)) => record,
    };
    let same = match (op, &record.body) {
        (Op::ScreenSize(w, h), RecordBody::ScreenSize { width, height }) => {
            (w, h) == (width, height)
        }
        (Op::Event(kind, label), RecordBody::Event(bytes)) => Extensible::<Event>::decode(bytes)
            .is_ok_and(|e| (&e.message.kind, &e.message.label) == (kind, label)),
        (Op::Keyframe(w, h, rest), RecordBody::Keyframe { width, height, png }) => {
            (w, h) == (width, height) && png.starts_with(&PNG_SIGNATURE) && png[8..] == rest[..]
        }
        (Op::Unknown(code, flags, payload), RecordBody::Unknown(_)) => {
            record.record_type == RecordType(code | 0x80)
                && record.flags == RecordFlags(*flags)
                && record.raw_payload == &payload[..]
        }
        _ => false,
    };
    (!same).then(|| format!("wrote {op:?}, read {record:?}"))
}
