//! JSON Schemas (draft 2020-12) of every JSON form tdpr prints, generated
//! with schemars from the very types that produce the JSON and checked in
//! under `spec/schema/` (`TDPR_BLESS=1` rewrites them). Every expected JSON of
//! the conformance suite, `tdpr info --json` of every golden file (of an
//! object, in `remote`), the `--json` report of every other command that has
//! one, and `tdpr verify --json` of every signed case validate against them
//! with an independent validator (the jsonschema crate).

use std::path::{Path, PathBuf};

use serde_json::Value;
use tdpr_cli::reports;

use super::support::{sample, scratch, suite_file, tdpr_in, teleport_case};

/// The workspace's root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The schema of `T` as tdpr prints it: a key skipped when empty is
/// optional, and an `Option` printed as `null` is required and nullable.
fn schema_of<T: schemars::JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    serde_json::to_value(generator.into_root_schema_for::<T>()).unwrap()
}

fn schemas() -> Vec<(&'static str, Value)> {
    vec![
        ("canonical.json", schema_of::<tdpr::json::Canonical>()),
        ("metadata.json", schema_of::<tdpr::json::MetadataJson>()),
        ("event.json", schema_of::<tdpr::json::EventJson>()),
        ("info.json", schema_of::<reports::Summary>()),
        ("info-index.json", schema_of::<reports::IndexInfo>()),
        ("validate.json", schema_of::<reports::ValidateReport>()),
        ("recover.json", schema_of::<reports::RecoverReport>()),
        ("import.json", schema_of::<reports::ImportReport>()),
        ("export.json", schema_of::<reports::ExportReport>()),
        (
            "conformance.json",
            schema_of::<reports::ConformanceReport>(),
        ),
        ("verify.json", schema_of::<tdpr_sign::Verdict>()),
    ]
}

fn schema_path(name: &str) -> PathBuf {
    root().join("spec/schema").join(name)
}

#[test]
fn checked_in_schemas_are_current() {
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    for (name, schema) in schemas() {
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name} is draft 2020-12"
        );
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        let path = schema_path(name);
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            text,
            "{name} is stale"
        );
    }
}

/// The validator of the checked-in schema `name`.
pub fn validator(name: &str) -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path(name)).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn golden(extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("conformance/valid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    files
}

#[test]
fn every_expected_json_validates() {
    let canonical = validator("canonical.json");
    let metadata = validator("metadata.json");
    let event = validator("event.json");
    for path in golden("json") {
        let value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = canonical
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        assert!(metadata.is_valid(&value["metadata"]), "{}", path.display());
        for record in value["records"].as_array().unwrap() {
            if record["type"] == "event" {
                assert!(event.is_valid(&record["event"]), "{}", path.display());
            }
        }
    }
    // The schema is strict enough to fail: an unknown key, a string time.
    let mut broken: Value =
        serde_json::from_str(&std::fs::read_to_string(&golden("json")[0]).unwrap()).unwrap();
    broken["surprise"] = Value::Bool(true);
    assert!(!canonical.is_valid(&broken));
    let mut broken: Value =
        serde_json::from_str(&std::fs::read_to_string(&golden("json")[0]).unwrap()).unwrap();
    broken["records"][0]["time_us"] = Value::String("0".into());
    assert!(!canonical.is_valid(&broken));
}

#[test]
fn info_json_validates() {
    let info = validator("info.json");
    for path in golden("tdpr") {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tdpr"))
            .args(["info", "--json"])
            .arg(&path)
            .output()
            .unwrap();
        // 1 for a damaged recording, described all the same.
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}",
            path.display()
        );
        let value: Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = info.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

/// Issue #13, case 10: the `--json` report of `validate`, `recover`,
/// `import`, `export` and `conformance`, on success and on failure,
/// validates against its schema.
#[test]
fn command_reports_validate() {
    let dir = scratch("json_reports");
    let recording = sample();
    std::fs::write(dir.join("a.tdpr"), &recording).unwrap();
    std::fs::write(dir.join("cut.tdpr"), &recording[..recording.len() / 2]).unwrap();
    std::fs::copy(teleport_case("clipboard_and_directory"), dir.join("a.tar")).unwrap();
    std::fs::copy(teleport_case("truncated_in_body"), dir.join("cut.tar")).unwrap();
    let suite = suite_file("");
    let decoder = format!("{} dump -", env!("CARGO_BIN_EXE_tdpr"));
    let runs: [(&str, Vec<&str>, i32); 9] = [
        ("validate.json", vec!["validate", "a.tdpr", "--json"], 0),
        ("validate.json", vec!["validate", "cut.tdpr", "--json"], 1),
        (
            "recover.json",
            vec!["recover", "cut.tdpr", "fixed.tdpr", "--json"],
            0,
        ),
        (
            "import.json",
            vec!["import", "teleport", "a.tar", "b.tdpr", "--json"],
            0,
        ),
        (
            "import.json",
            vec!["import", "teleport", "cut.tar", "c.tdpr", "--json"],
            1,
        ),
        (
            "export.json",
            vec!["export", "teleport", "b.tdpr", "b.tar", "--json"],
            0,
        ),
        (
            "export.json",
            vec![
                "export",
                "teleport",
                "a.tdpr",
                "d.tar",
                "--json",
                "--allow-loss",
            ],
            0,
        ),
        (
            "conformance.json",
            vec![
                "conformance",
                "--decoder",
                &decoder,
                "--suite",
                suite.to_str().unwrap(),
                "--run",
                "valid/minimal*",
                "--json",
            ],
            0,
        ),
        (
            "conformance.json",
            vec![
                "conformance",
                "--decoder",
                "cat",
                "--suite",
                suite.to_str().unwrap(),
                "--run",
                "valid/minimal*",
                "--json",
            ],
            1,
        ),
    ];
    for (schema, args, code) in runs {
        let output = tdpr_in(&dir, &args);
        assert_eq!(output.status.code(), Some(code), "{args:?}");
        let value: Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = validator(schema)
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
}

#[test]
fn verify_json_validates() {
    let verify = validator("verify.json");
    let dir = root().join("conformance/signed");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "tdpr") {
            continue;
        }
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_tdpr"))
            .args(["verify", "--json", "--pubkey"])
            .arg(dir.join("test_key.pub"))
            .arg(&path)
            .output()
            .unwrap();
        let value: Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = verify.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        assert_eq!(
            output.status.success(),
            value["verified"] == true,
            "{}: exit status and verdict",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 10, "the signed cases");
    // Strict enough to fail: a break class the spec does not define.
    let broken = serde_json::json!({"key_id": "00", "kind": "recording", "verified": false,
        "finished": false, "break": {"class": "bad_vibes", "offset": 0, "message": ""}});
    assert!(!verify.is_valid(&broken));
}
