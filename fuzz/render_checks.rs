//! The properties the `render` fuzz target checks, shared with the stable
//! test `render/tests/fuzz_replay.rs` that replays the committed seeds. Kept
//! apart from `checks.rs` so that the format library's tests never compile
//! the renderer (and IronRDP).

use tdpr_render::{Playback, Screen};

/// Drawing arbitrary messages on a screen, or playing an arbitrary
/// recording, never panics, and memory stays within the renderer's limits
/// (libFuzzer's RSS limit catches the rest).
///
/// Input: a mode byte, then, in mode 0, a recording; otherwise a screen size
/// (u16 width, u16 height, little-endian, each taken modulo 2048) and
/// messages, each a u16 length and its bytes. In mode 1 the messages are TDP
/// messages; in mode 2 they are RDP fast-path PDUs, wrapped in TDP
/// `rdp_fast_path_pdu` messages, so the fuzzer reaches IronRDP at once.
pub fn render(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 3 == 0 {
        play(rest);
        return;
    }
    let Some((size, mut rest)) = rest.split_first_chunk::<4>() else {
        return;
    };
    let width = u32::from(u16::from_le_bytes([size[0], size[1]])) % 2048;
    let height = u32::from(u16::from_le_bytes([size[2], size[3]])) % 2048;
    let Ok(mut screen) = Screen::new(width, height) else {
        return;
    };
    let mut wrapped = Vec::new();
    while let Some((len, tail)) = rest.split_first_chunk::<2>() {
        let len = usize::from(u16::from_le_bytes(*len)).min(tail.len());
        let (message, tail) = tail.split_at(len);
        rest = tail;
        let message = if mode % 3 == 2 {
            wrapped.clear();
            wrapped.push(29);
            wrapped.extend_from_slice(&(message.len() as u32).to_be_bytes());
            wrapped.extend_from_slice(message);
            &wrapped[..]
        } else {
            message
        };
        let _ = screen.apply(message);
        let damage = screen.take_damage();
        if let Some(area) = damage.area {
            assert!(
                area.right() <= u64::from(screen.width())
                    && area.bottom() <= u64::from(screen.height())
            );
        }
        assert_eq!(
            screen.pixels().len(),
            screen.width() as usize * screen.height() as usize * 4
        );
    }
    let mut composite = Vec::new();
    screen.composite(&mut composite);
}

/// Plays a recording from the start and from its keyframes, and inserts
/// keyframes into it.
fn play(data: &[u8]) {
    let Ok(recording) = tdpr::Recording::parse(data) else {
        return;
    };
    let end = recording
        .index()
        .map_or(u64::MAX, |index| index.duration_us);
    if let Ok(mut playback) = Playback::from_start(&recording) {
        let _ = playback.advance_to(end);
    }
    let _ = Playback::at(&recording, end / 2);
    let _ = tdpr_render::insert_keyframes(data, 1_000_000, Vec::new());
}
