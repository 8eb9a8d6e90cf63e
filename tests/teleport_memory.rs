//! Importing a Teleport recording takes the same memory whatever its size:
//! a counting allocator measures the peak for a stream and for one eight
//! times larger.

#[path = "support/counting_allocator.rs"]
mod counting_allocator;

use prost::encoding::encode_varint;
use rand::{Rng, SeedableRng};
use tdpr::teleport::{import, ImportOptions, StreamWriter};

#[global_allocator]
static ALLOCATOR: counting_allocator::Counting = counting_allocator::Counting;

/// A Teleport stream of `recordings` DesktopRecording events of 3 000 bytes
/// of noise each (so gzip cannot shrink the input), 10 ms apart, in parts
/// of 1 MiB, with a session start as the second event when `start`.
fn stream(recordings: i64, start: bool) -> Vec<u8> {
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
    let mut writer = StreamWriter::new(Vec::new(), 1 << 20);
    let mut message = vec![0u8; 3000];
    for index in 0..recordings {
        if start && index == 1 {
            // OneOf { WindowsDesktopSessionStart (59) { Metadata { Index 1 } } }
            writer
                .write_record(&[0xda, 0x03, 0x04, 0x0a, 0x02, 0x08, 0x01])
                .unwrap();
        }
        let index = index + i64::from(start && index >= 1);
        rng.fill_bytes(&mut message);
        message[0] = 2; // a legacy PNG frame's type byte
        let mut recording = Vec::new();
        // DesktopRecording { Metadata { Index }, Message, DelayMilliseconds }
        let mut metadata = vec![0x08];
        encode_varint(index as u64, &mut metadata);
        recording.extend_from_slice(&[0x0a, metadata.len() as u8]);
        recording.extend_from_slice(&metadata);
        recording.extend_from_slice(&[0x12]);
        encode_varint(message.len() as u64, &mut recording);
        recording.extend_from_slice(&message);
        recording.push(0x18);
        encode_varint(index as u64 * 10, &mut recording);
        let mut event = vec![0xaa, 0x04];
        encode_varint(recording.len() as u64, &mut event);
        event.extend_from_slice(&recording);
        writer.write_record(&event).unwrap();
    }
    writer.finish().unwrap().0
}

fn peak_of_import(input: &[u8]) -> usize {
    let ((_, report), _, peak) = counting_allocator::measure(|| {
        import(input, std::io::sink(), &ImportOptions::default()).unwrap()
    });
    assert_eq!(report.stopped, None);
    assert_eq!(report.duplicates_dropped, 0);
    assert!(report.frames > 0);
    peak
}

#[test]
fn memory_does_not_grow_with_the_input() {
    let small = stream(2_500, true);
    let large = stream(20_000, true);
    assert!(large.len() > 60_000_000, "{} bytes", large.len());
    let (small_peak, large_peak) = (peak_of_import(&small), peak_of_import(&large));
    // Input buffer, inflater, one record, the tdpr writer's deflater and a
    // few hundred seek entries: well under 4 MiB, and the same for 8× the
    // input (the seek table is the only part that grows, 32 bytes per 2 s).
    assert!(large_peak < 4 << 20, "peak {large_peak} bytes");
    assert!(
        large_peak < small_peak + (256 << 10),
        "peak {small_peak} bytes for {} bytes of input, {large_peak} for {}",
        small.len(),
        large.len()
    );
}

#[test]
fn without_a_start_event_the_records_held_back_are_bounded() {
    // 16 MiB of records at most wait for a start event that never comes.
    let peak = peak_of_import(&stream(20_000, false));
    let options = ImportOptions::default();
    assert!(
        peak < options.lookahead_bytes + (4 << 20),
        "peak {peak} bytes"
    );
}
