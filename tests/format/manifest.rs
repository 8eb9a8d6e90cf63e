//! `conformance/manifest.json`: every case of the suite (valid, truncated,
//! invalid, signed), the spec section it tests and the format version it
//! applies to. `TDPR_BLESS=1` rewrites it.

use serde_json::json;

use crate::invalid::conformance_dir;
use crate::{golden, invalid, signed, truncated};

fn manifest() -> serde_json::Value {
    let mut entries = Vec::new();
    for (name, section, _) in golden::fixtures() {
        entries.push(json!({
            "id": format!("valid/{name}"),
            "kind": "valid",
            "file": format!("valid/{name}.tdpr"),
            "expected": format!("valid/{name}.json"),
            "section": section,
            "format_version": 1,
        }));
    }
    for (name, _) in truncated::cases() {
        entries.push(json!({
            "id": format!("truncated/{name}"),
            "kind": "truncated",
            "file": format!("truncated/{name}.tdpr"),
            "expected": format!("truncated/{name}.json"),
            "section": "9.4",
            "format_version": 1,
        }));
    }
    for case in invalid::cases() {
        let mut entry = json!({
            "id": format!("invalid/{}", case.name),
            "kind": "invalid",
            "file": format!("invalid/{}.tdpr", case.name),
            "class": case.class.as_str(),
            "offset": case.offset,
            "section": case.section,
            "format_version": 1,
        });
        if case.decoded.is_some() {
            entry["expected"] = json!(format!("invalid/{}.json", case.name));
        }
        entries.push(entry);
    }
    for case in signed::cases() {
        let expected_break = match case.expected_break {
            Some((class, offset)) => json!({"class": class.as_str(), "offset": offset}),
            None => json!(null),
        };
        entries.push(json!({
            "id": format!("signed/{}", case.name),
            "kind": "signed",
            "file": format!("signed/{}.tdpr", case.name),
            "pubkey": "signed/test_key.pub",
            "expected": format!("signed/{}.json", case.name),
            "verified": case.verified,
            "break": expected_break,
            "spec": "spec/signing.md",
            "section": case.section,
            "format_version": 1,
        }));
    }
    json!({"suite": "tdpr-conformance", "spec": "spec/format.md", "format_version": 1, "cases": entries})
}

#[test]
fn the_manifest_lists_every_case() {
    let text = serde_json::to_string_pretty(&manifest()).unwrap() + "\n";
    let path = conformance_dir().join("manifest.json");
    if std::env::var_os("TDPR_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        text,
        "manifest.json is stale"
    );
}
