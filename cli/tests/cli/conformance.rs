//! `tdpr conformance` run as a third party would: the reference decoder and
//! the independent Python decoder pass every case; a decoder that ignores
//! CRCs fails exactly the checksum cases; filters and known failures work.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::scratch;

fn tdpr() -> &'static str {
    env!("CARGO_BIN_EXE_tdpr")
}

/// Runs the suite with `program` and extra arguments; the failure lines and
/// the closing line.
fn conformance(program: &str, extra: &[&str]) -> (Vec<String>, String, bool) {
    // `--encoder-mode` (ours, not the CLI's) runs `program` as an encoder.
    let role = if extra.contains(&"--encoder-mode") {
        "--encoder"
    } else if extra.contains(&"--verifier-mode") {
        "--verifier"
    } else {
        "--decoder"
    };
    let extra: Vec<&str> = extra
        .iter()
        .copied()
        .filter(|a| !a.ends_with("-mode"))
        .collect();
    let output = Command::new(tdpr())
        .args(["conformance", role, program, "--suite"])
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance"))
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<String> = stdout.lines().map(str::to_string).collect();
    let closing = lines.last().cloned().unwrap_or_default();
    let failures = lines
        .iter()
        .filter(|l| l.starts_with("FAIL "))
        .cloned()
        .collect();
    (failures, closing, output.status.success())
}

/// Cases in the manifest, all or those of one kind.
fn count(kind: Option<&str>) -> usize {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/manifest.json");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    cases
        .iter()
        .filter(|c| kind.is_none_or(|k| c["kind"] == k))
        .count()
}

/// What a decoder's run ends with: every case passed but the signed ones,
/// which are a verifier's.
fn decoder_closing() -> String {
    let signed = count(Some("signed"));
    format!(
        "{} passed, 0 failed, {signed} skipped",
        count(None) - signed
    )
}

#[test]
fn the_reference_decoder_passes_everything() {
    let (failures, closing, ok) = conformance(&format!("{} dump -", tdpr()), &[]);
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(closing, decoder_closing());
    assert!(ok);
}

#[test]
fn the_reference_verifier_passes_every_signed_case() {
    let verifier = format!("{} verify - --json --pubkey", tdpr());
    let (failures, closing, ok) = conformance(&verifier, &["--verifier-mode"]);
    assert!(ok && failures.is_empty(), "{failures:#?}");
    let signed = count(Some("signed"));
    assert!(signed >= 15);
    assert_eq!(
        closing,
        format!(
            "{signed} passed, 0 failed, {} skipped",
            count(None) - signed
        )
    );
    // A verifier that says "verified" of everything fails every case that
    // is not.
    let credulous = format!(
        "sh -c 'cat >/dev/null; cat {}' --",
        signed_dir("signed_live.json")
    );
    let (failures, _, ok) = conformance(&credulous, &["--verifier-mode"]);
    assert!(!ok);
    assert_eq!(
        failures.len(),
        signed - 1,
        "all but signed_live: {failures:#?}"
    );
}

fn signed_dir(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance/signed")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn the_python_decoder_passes_everything() {
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/python/tdpr_decode.py");
    let (failures, closing, ok) = conformance(&format!("python3 {}", script.display()), &[]);
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(closing, decoder_closing());
    assert!(ok);
}

/// A decoder that ignores CRCs: it recomputes every CRC of its input (header
/// and records, walking the framing) before handing it to the reference.
fn crc_ignoring_decoder(dir: &Path) -> String {
    let script = dir.join("fix-crcs.py");
    std::fs::write(
        &script,
        r#"
import sys
T = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    T.append(c)
def crc(b):
    c = 0xFFFFFFFF
    for x in b:
        c = T[(c ^ x) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF
d = bytearray(sys.stdin.buffer.read())
if len(d) >= 20:
    d[16:20] = crc(d[:16]).to_bytes(4, "little")
    at = 20
    while at + 6 <= len(d):
        end = at + 6 + int.from_bytes(d[at + 2:at + 6], "little")
        if end + 4 > len(d):
            break
        d[end:end + 4] = crc(d[at:end]).to_bytes(4, "little")
        at = end + 4
sys.stdout.buffer.write(d)
"#,
    )
    .unwrap();
    format!("python3 {} | {} dump -", script.display(), tdpr())
}

/// The cases that a CRC, checked where the spec says, decides: a wrong CRC
/// of the header or a record, a flip the CRC catches before anything else,
/// and a listing that stops at a record whose CRC fails.
const CHECKSUM_CASES: [&str; 8] = [
    "invalid/header_checksum_mismatch",
    "invalid/flip_header_version_required",
    "invalid/record_checksum_mismatch",
    "invalid/metadata_checksum_mismatch",
    "invalid/trailer_checksum_mismatch",
    "invalid/flip_body_length_bit_0",
    "invalid/bad_index_before_checksum_mismatch",
    "invalid/index_checksum_mismatch",
];

#[test]
fn a_decoder_that_ignores_crcs_fails_the_checksum_cases() {
    let dir = scratch("crc_ignoring");
    let (failures, _, ok) = conformance(&crc_ignoring_decoder(&dir), &[]);
    assert!(!ok);
    let failed: Vec<&str> = failures
        .iter()
        .map(|l| l.trim_start_matches("FAIL ").split(':').next().unwrap())
        .collect();
    assert_eq!(failed, CHECKSUM_CASES);
}

#[test]
fn filters_and_known_failures() {
    let reference = format!("{} dump -", tdpr());
    let (_, closing, _) = conformance(&reference, &["--run", "invalid/bad_signature*"]);
    assert_eq!(
        closing,
        format!("3 passed, 0 failed, {} skipped", count(None) - 3)
    );
    let (_, closing, _) = conformance(&reference, &["--skip", "valid/*"]);
    // The signed cases are skipped too: they are a verifier's.
    let skipped = count(Some("valid")) + count(Some("signed"));
    assert_eq!(
        closing,
        format!(
            "{} passed, 0 failed, {skipped} skipped",
            count(None) - skipped
        )
    );

    let dir = scratch("known_failures");
    let known = dir.join("known.txt");
    std::fs::write(
        &known,
        format!(
            "# checksums are not checked yet\n{}\n",
            CHECKSUM_CASES.join("\n")
        ),
    )
    .unwrap();
    let known_arg = known.to_str().unwrap();
    let (failures, _, ok) = conformance(
        &crc_ignoring_decoder(&dir),
        &["--known-failures", known_arg],
    );
    assert!(ok, "{failures:#?}");
    // A known failure that passes makes the list stale: that fails the run.
    let (failures, _, ok) = conformance(&reference, &["--known-failures", known_arg]);
    assert!(!ok);
    assert_eq!(failures.len(), CHECKSUM_CASES.len(), "{failures:#?}");
}

#[test]
fn the_reference_encoder_passes_and_a_broken_one_fails() {
    let encoder = format!("{} encode", tdpr());
    let (failures, closing, ok) = conformance(&encoder, &["--encoder-mode"]);
    assert!(ok && failures.is_empty(), "{failures:#?}");
    assert!(
        closing.ends_with(" skipped") && closing.contains(" passed, 0 failed"),
        "{closing}"
    );
    // An encoder that loses the trailer fails every case.
    let broken = format!("{} encode | head -c -19", tdpr());
    let (failures, _, ok) = conformance(&broken, &["--encoder-mode"]);
    assert!(!ok);
    assert_eq!(
        failures.len(),
        count(Some("valid")) - 1,
        "every finished valid case: {failures:#?}"
    );
}

/// Golden files built by hand with encodings a writer does not choose
/// (over-long varints, protobuf fields a map entry drops): their JSON is
/// the same as that of the canonical bytes `encode` writes, not their bytes.
const NOT_CANONICAL: [&str; 4] = [
    "overlong_zero_deltas.tdpr",
    "event_kinds_out_of_range.tdpr",
    "protobuf_nesting_limit.tdpr",
    "map_entry_group.tdpr",
];

#[test]
fn encode_of_dump_gives_back_every_uncompressed_golden_file() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/valid");
    let mut identical = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.extension().is_none_or(|e| e != "tdpr") || NOT_CANONICAL.contains(&&*name) {
            continue;
        }
        let original = std::fs::read(&path).unwrap();
        let canonical = tdpr::json::dump(&original, tdpr::Limits::default());
        let compressed = canonical.records.iter().flatten().any(|r| r.flags & 1 != 0);
        if canonical.end != tdpr::json::EndJson::Finished || compressed {
            continue;
        }
        assert_eq!(
            tdpr::json::encode(&canonical).unwrap(),
            original,
            "{}",
            path.display()
        );
        identical += 1;
    }
    assert!(identical >= 5, "{identical}");
}
