//! `tdpr keyframes`: the library's insertion, written to a file; idempotent;
//! never over its input.

use std::fs;

use crate::support::{arg, scratch, tdpr, tdpr_ok, transcript, undrawable};

#[test]
fn keyframes_are_inserted_once_and_the_file_is_the_libraries() {
    let dir = scratch("keyframes");
    let session = dir.join("office.tdpr");
    tdpr_ok(&["synth", arg(&session), "--duration", "40s", "--seed", "5"]);
    insta::assert_snapshot!(transcript(
        &dir,
        &["keyframes", "office.tdpr", "keyed.tdpr", "--every", "5s"]
    ));
    let original = fs::read(&session).unwrap();
    let keyed = fs::read(dir.join("keyed.tdpr")).unwrap();
    let (expected, inserted) =
        tdpr_render::insert_keyframes(&original, 5_000_000, Vec::new()).unwrap();
    assert!(inserted.keyframes > 0);
    assert!(keyed == expected, "the file is not what the library wrote");
    tdpr_ok(&["validate", arg(&dir.join("keyed.tdpr"))]);
    // Again on its own output: nothing to insert, the same bytes.
    let printed = tdpr_ok(&[
        "keyframes",
        arg(&dir.join("keyed.tdpr")),
        arg(&dir.join("again.tdpr")),
        "--every",
        "5s",
    ]);
    assert!(
        printed.starts_with("inserted 0 keyframes (0 bytes"),
        "{printed}"
    );
    assert!(fs::read(dir.join("again.tdpr")).unwrap() == keyed);
    // Never over the input, by whatever name.
    let other_name = dir.join(".").join("office.tdpr");
    let refused = tdpr(&["keyframes", arg(&session), arg(&other_name)]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(fs::read(&session).unwrap() == original);
}

#[test]
fn keyframes_report_what_could_not_be_drawn() {
    let dir = scratch("keyframes-undrawn");
    undrawable(&dir);
    insta::assert_snapshot!(transcript(
        &dir,
        &[
            "keyframes",
            "undrawable.tdpr",
            "keyed.tdpr",
            "--every",
            "1ms"
        ]
    ));
}
