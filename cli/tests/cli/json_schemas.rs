//! JSON Schemas (draft 2020-12) of every JSON form tdpr prints, generated
//! with schemars from the very types that produce the JSON and checked in
//! under `spec/schema/` (`TDPR_BLESS=1` rewrites them). Every expected JSON of
//! the conformance suite, and `tdpr info --json` of every golden file,
//! validates against them with an independent validator (the jsonschema
//! crate).

use std::path::{Path, PathBuf};

use serde_json::Value;

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
        ("info.json", schema_of::<tdpr_cli::summary::Summary>()),
        (
            "info-index.json",
            schema_of::<tdpr_cli::remote::IndexInfo>(),
        ),
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

fn validator(name: &str) -> jsonschema::Validator {
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
        assert!(output.status.success(), "{}", path.display());
        let value: Value = serde_json::from_slice(&output.stdout).unwrap();
        let errors: Vec<String> = info.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}
