//! Every single-bit flip of every finished golden recording is detected, and
//! no reader returns a record that differs from the original before it says
//! so: every byte of a finished file is covered by a CRC32C.

use tdpr::Recording;

use crate::common::{all_records, finished_fixtures, Seen};

#[test]
fn every_bit_flip_is_detected() {
    let mut flips = 0u64;
    for (name, original) in finished_fixtures() {
        let expected = all_records(&original);
        let mut data = original.clone();
        for byte in 0..data.len() {
            for bit in 0..8 {
                data[byte] ^= 1 << bit;
                assert!(
                    tdpr::validate(&data).is_err(),
                    "{name}: flipping bit {bit} of byte {byte} went unnoticed"
                );
                if let Ok(recording) = Recording::parse(&data) {
                    for (i, record) in recording.records().enumerate() {
                        let Ok(record) = record else { break };
                        assert_eq!(
                            Seen::from(&record),
                            expected[i],
                            "{name}: bit {bit} of byte {byte} changed a record that reads as sound"
                        );
                    }
                }
                data[byte] ^= 1 << bit;
                flips += 1;
            }
        }
    }
    assert!(flips > 100_000, "{flips} flips");
}
