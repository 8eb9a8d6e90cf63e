//! The independent Python reader (`conformance/python/tdpr_decode.py`, written from
//! `spec/` alone) and the reference agree on the canonical JSON (`spec/json.md`) of
//! every golden file and of thousands of damaged copies of them.
//!
//! The inputs are written to a temporary directory with the reference's JSON beside
//! each, and one `python3` process decodes them all. python3 is required: the test
//! fails, rather than skips, when it is missing.
//!
//! No input is excluded: on this whole set the reference follows the revised spec.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Golden files damaged at every byte and cut at every length.
const SMALL: [&str; 3] = ["minimal", "empty_session", "unknown_ancillary"];
/// The large golden file, damaged at every `FLIP_STEP`th byte and cut every `CUT_STEP`th.
const LARGE: &str = "sample";
const FLIP_STEP: usize = 97;
const CUT_STEP: usize = 101;
const HEADER_SIZE: usize = 20;

/// Decodes every manifest entry (`input<TAB>expected JSON`) with the Python reader,
/// prints one line per disagreement and, last, `compared N mismatches M`.
const PYTHON: &str = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
import tdpr_decode
compared = mismatches = 0
with open(sys.argv[2], encoding="utf-8") as manifest:
    for line in manifest:
        source, expected_path = line.rstrip("\n").split("\t")
        with open(source, "rb") as f:
            data = f.read()
        with open(expected_path, encoding="utf-8") as f:
            expected = json.load(f)
        try:
            actual = json.loads(json.dumps(tdpr_decode.decode(data)))
        except Exception as error:
            actual = {"exception": repr(error)}
        compared += 1
        if actual != expected:
            mismatches += 1
            print("MISMATCH", source, "expected end", json.dumps(expected.get("end")),
                  "got end", json.dumps(actual.get("end")),
                  "" if actual.get("end") != expected.get("end") else "(other keys differ)")
print("compared", compared, "mismatches", mismatches)
"#;

/// One input: a name for the reports and its bytes.
struct Case {
    name: String,
    bytes: Vec<u8>,
}

fn golden(name: &str) -> Vec<u8> {
    let path = Path::new(ROOT)
        .join("conformance/valid")
        .join(format!("{name}.tdpr"));
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The byte ranges `[start, crc)` of the header's and every record's CRC-covered bytes,
/// each with the offset of its CRC: the structure of an intact golden file.
fn crc_spans(file: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = vec![(0, 16)];
    let mut offset = HEADER_SIZE;
    while offset < file.len() {
        let body_length = u32::from_le_bytes(file[offset + 2..offset + 6].try_into().unwrap());
        let crc = offset + 6 + body_length as usize;
        spans.push((offset, crc));
        offset = crc + 4;
    }
    assert_eq!(
        offset,
        file.len(),
        "golden file does not end at a record boundary"
    );
    spans
}

/// `file` with byte `at` XORed with `mask`; with `repair`, the CRC of the header or
/// record holding that byte is recomputed so that the fault is structural.
fn flipped(file: &[u8], spans: &[(usize, usize)], at: usize, mask: u8, repair: bool) -> Vec<u8> {
    let mut bytes = file.to_vec();
    bytes[at] ^= mask;
    if repair {
        let &(start, crc) = spans.iter().rfind(|(start, _)| *start <= at).unwrap();
        let value = crc32c::crc32c(&bytes[start..crc]);
        bytes[crc..crc + 4].copy_from_slice(&value.to_le_bytes());
    }
    bytes
}

/// Every damaged copy of `name`: flips of every `flip_step`th byte (with 0x01 and,
/// when `both_masks`, 0xFF), with and without CRC repair, and cuts every `cut_step`.
fn damaged(name: &str, flip_step: usize, cut_step: usize, both_masks: bool) -> Vec<Case> {
    let file = golden(name);
    let spans = crc_spans(&file);
    let masks: &[u8] = if both_masks { &[0x01, 0xFF] } else { &[0x01] };
    let mut cases = Vec::new();
    for at in (0..file.len()).step_by(flip_step) {
        for &mask in masks {
            for repair in [false, true] {
                let bytes = flipped(&file, &spans, at, mask, repair);
                // Repairing a flip inside a CRC field restores the golden file.
                if bytes != file {
                    let kind = if repair { "repaired" } else { "flip" };
                    let name = format!("{name}-{kind}-{at}-x{mask:02x}");
                    cases.push(Case { name, bytes });
                }
            }
        }
    }
    for cut in (0..file.len()).step_by(cut_step) {
        let name = format!("{name}-cut-{cut}");
        cases.push(Case {
            name,
            bytes: file[..cut].to_vec(),
        });
    }
    cases
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut goldens: Vec<PathBuf> = fs::read_dir(Path::new(ROOT).join("conformance/valid"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "tdpr"))
        .collect();
    goldens.sort();
    for path in goldens {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        cases.push(Case {
            name,
            bytes: fs::read(&path).unwrap(),
        });
    }
    for name in SMALL {
        cases.extend(damaged(name, 1, 1, true));
    }
    cases.extend(damaged(LARGE, FLIP_STEP, CUT_STEP, false));
    cases
}

#[test]
fn python_reader_agrees_with_reference() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python_reader");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let mut manifest = String::new();
    let cases = cases();
    for case in &cases {
        let input = dir.join(format!("{}.tdpr", case.name));
        let expected = dir.join(format!("{}.json", case.name));
        let json = tdpr::json::dump(&case.bytes, tdpr::Limits::default());
        fs::write(&input, &case.bytes).unwrap();
        fs::write(&expected, serde_json::to_string(&json).unwrap()).unwrap();
        writeln!(manifest, "{}\t{}", input.display(), expected.display()).unwrap();
    }
    let manifest_path = dir.join("manifest.tsv");
    fs::write(&manifest_path, manifest).unwrap();

    let output = Command::new("python3")
        .arg("-c")
        .arg(PYTHON)
        .arg(Path::new(ROOT).join("conformance/python"))
        .arg(&manifest_path)
        .output()
        .expect("python3 is required by this test (the Python reader runs in it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python3 failed:\n{stderr}\n{stdout}"
    );
    let summary = format!("compared {} mismatches 0", cases.len());
    let first: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("MISMATCH"))
        .take(20)
        .collect();
    assert!(
        stdout.lines().last() == Some(summary.as_str()),
        "the Python reader disagrees with the reference; first mismatches:\n{}\n{}",
        first.join("\n"),
        stdout.lines().last().unwrap_or("(no summary)"),
    );
}
