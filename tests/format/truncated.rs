//! The truncated cases of the conformance suite: golden recordings cut at
//! every record boundary (an unfinished recording) and five bytes into every
//! record (a torn record), with the JSON a reader must produce: every record
//! before the cut, then `unfinished` or `truncated` at the cut record.
//! `TDPR_BLESS=1` rewrites `conformance/truncated/`.

use tdpr::json::EndJson as End;
use tdpr::Limits;

use crate::common::boundaries;
use crate::golden;
use crate::invalid::conformance_dir;

/// (name, cut bytes) for every truncated case.
pub fn cases() -> Vec<(String, Vec<u8>)> {
    let mut cases = Vec::new();
    for (name, _, bytes) in golden::fixtures() {
        if ![
            "minimal",
            "unknown_ancillary",
            "resizes_and_keyframes",
            "frame_batches",
        ]
        .contains(&name)
        {
            continue;
        }
        let starts = boundaries(&bytes);
        // From the first content record on; the last boundary is the end.
        for &start in &starts[1..starts.len() - 1] {
            let start = start as usize;
            cases.push((format!("{name}_cut_at_{start}"), bytes[..start].to_vec()));
            cases.push((
                format!("{name}_cut_at_{}", start + 5),
                bytes[..start + 5].to_vec(),
            ));
        }
    }
    cases
}

#[test]
fn truncated_cases_keep_every_record_before_the_cut() {
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    let dir = conformance_dir().join("truncated");
    let mut count = 0;
    for (name, bytes) in cases() {
        let whole_name = name.split("_cut_at_").next().unwrap();
        let whole = golden::fixtures()
            .into_iter()
            .find(|(n, _, _)| *n == whole_name)
            .unwrap()
            .2;
        let full = tdpr::json::dump(&whole, Limits::default()).records.unwrap();
        let cut = tdpr::json::dump(&bytes, Limits::default());
        let records = cut.records.clone().unwrap();
        // Every record that ends before the cut, and nothing else.
        let complete: Vec<_> = full
            .iter()
            .zip(boundaries(&whole).iter().skip(1))
            .filter(|(_, end)| **end as usize <= bytes.len())
            .map(|(r, _)| r.clone())
            .collect();
        assert_eq!(records, complete, "{name}");
        let next = complete
            .last()
            .map_or(20, |_| boundaries(&whole)[complete.len()]);
        let expected_end = if next as usize == bytes.len() {
            End::Unfinished { offset: next }
        } else {
            End::Error {
                class: "truncated".into(),
                offset: Some(next),
            }
        };
        assert_eq!(cut.end, expected_end, "{name}");
        let json = serde_json::to_string_pretty(&cut).unwrap() + "\n";
        let (tdpr_path, json_path) = (
            dir.join(format!("{name}.tdpr")),
            dir.join(format!("{name}.json")),
        );
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&tdpr_path, &bytes).unwrap();
            std::fs::write(&json_path, &json).unwrap();
        }
        assert!(
            std::fs::read(&tdpr_path).unwrap_or_default() == bytes,
            "{name}.tdpr is stale"
        );
        let checked_in: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(
            checked_in,
            serde_json::to_value(&cut).unwrap(),
            "{name}.json is stale"
        );
        count += 1;
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2 * count,
        "conformance/truncated holds exactly the cases"
    );
}
