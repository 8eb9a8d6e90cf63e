//! A recording cut at any byte still yields every record before the cut, then
//! says where the cut is; recover turns every cut into a valid recording with
//! exactly those records.

use tdpr::{ErrorClass, Limits, Recording, ScanEnd};

use crate::common::{all_records, boundaries, finished_fixtures, sample, Seen};

#[test]
fn every_cut_of_every_finished_golden_file_keeps_the_records_before_it() {
    for (_, data) in finished_fixtures() {
        check_every_cut(&data);
    }
}

fn check_every_cut(data: &[u8]) {
    let all = all_records(data);
    let starts = boundaries(data);
    let metadata_end = starts[1] as usize;
    for cut in 0..data.len() {
        let part = &data[..cut];
        let opened = Recording::parse(part);
        if cut < metadata_end {
            let err = opened.unwrap_err();
            let expected = if cut < 20 { 0 } else { 20 };
            assert_eq!(
                (err.class(), err.offset()),
                (ErrorClass::Truncated, Some(expected)),
                "cut {cut}"
            );
            continue;
        }
        let recording = opened.unwrap_or_else(|e| panic!("cut {cut}: {e}"));
        assert!(!recording.is_finished(), "cut {cut} has no trailer");
        let mut records = recording.records();
        let mut seen = Vec::new();
        let mut error = None;
        for record in records.by_ref() {
            match record {
                Ok(r) => seen.push(Seen::from(&r)),
                Err(e) => error = Some(e),
            }
        }
        let complete = starts.iter().rposition(|&s| s as usize <= cut).unwrap();
        assert_eq!(seen, all[..complete], "cut {cut}");
        if starts[complete] as usize == cut {
            assert!(error.is_none(), "cut {cut} at a boundary");
            assert_eq!(records.end(), ScanEnd::Unfinished { offset: cut as u64 });
        } else {
            let err = error.unwrap_or_else(|| panic!("cut {cut} inside a record"));
            assert_eq!(
                (err.class(), err.offset()),
                (ErrorClass::Truncated, Some(starts[complete])),
                "cut {cut}"
            );
        }
    }
}

#[test]
fn recover_of_every_cut_of_every_finished_golden_file_is_valid() {
    for (_, data) in finished_fixtures() {
        check_recover_every_cut(&data);
    }
}

fn check_recover_every_cut(data: &[u8]) {
    let all = all_records(data);
    let starts = boundaries(data);
    let content_end = all.iter().find(|r| r.record_type == 0x83).unwrap().offset as usize;
    for cut in starts[1] as usize..data.len() {
        let mut out = Vec::new();
        let recovery = tdpr::recover(&data[..cut], &mut out, Limits::default()).unwrap();
        tdpr::validate(&out).unwrap_or_else(|e| panic!("cut {cut}: {e}"));
        let kept = all_records(&out);
        let complete = starts
            .iter()
            .rposition(|&s| s as usize <= cut.min(content_end))
            .unwrap();
        // The content records before the cut, then a new index and trailer.
        assert_eq!(kept[..kept.len() - 2], all[..complete], "cut {cut}");
        assert_eq!(recovery.records, complete as u64);
        assert_eq!(recovery.kept_bytes, starts[complete]);
    }
}

#[test]
fn a_file_cut_inside_the_header_or_metadata_cannot_be_recovered() {
    let data = sample();
    for cut in [0, 5, 19, 20, 30] {
        let err = tdpr::recover(&data[..cut], &mut Vec::new(), Limits::default()).unwrap_err();
        assert_eq!(err.class(), ErrorClass::Truncated, "cut {cut}");
    }
}
