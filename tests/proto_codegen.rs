//! The prost code under `src/` is generated from `proto/` and checked in, so
//! building tdpr never needs `protoc`. These tests regenerate it with protox (a
//! pure-Rust `.proto` compiler) and prost-build, and fail when a checked-in
//! file is stale. Run with `TDPR_BLESS=1` to rewrite them after changing a
//! `.proto` file.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Generates `protos` with `config` and compares each of `files` with its
/// checked-in copy in `checked_in_dir`.
fn check(protos: &[&str], mut config: prost_build::Config, files: &[&str], checked_in_dir: &str) {
    let includes = root().join("proto");
    let fds = protox::compile(protos, [&includes]).expect("the .proto files compile");
    let out_dir = tempfile::tempdir().unwrap();
    config
        .out_dir(out_dir.path())
        .compile_fds(fds)
        .expect("prost-build generates code");
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    let mut stale = Vec::new();
    for name in files {
        let fresh = std::fs::read_to_string(out_dir.path().join(name)).unwrap();
        let path = root().join(checked_in_dir).join(name);
        if bless {
            std::fs::write(&path, &fresh).unwrap();
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != fresh {
            stale.push(path);
        }
    }
    std::fs::remove_dir_all(&out_dir).unwrap();
    assert!(
        stale.is_empty(),
        "stale generated code: {stale:?}; rerun with TDPR_BLESS=1"
    );
}

#[test]
fn tdpr_v1_code_is_current() {
    let mut config = prost_build::Config::new();
    config.btree_map(["."]);
    check(
        &["tdpr/v1/metadata.proto", "tdpr/v1/event.proto"],
        config,
        &["tdpr.v1.rs"],
        "src/proto",
    );
}

/// Every `bytes` field of the TDPB schema, serialized as base64 like
/// everywhere else in tdpr's JSON.
const TDPB_BYTES_FIELDS: [&str; 7] = [
    ".teleport.desktop.v1.PNGFrame.data",
    ".teleport.desktop.v1.FastPathPDU.pdu",
    ".teleport.desktop.v1.RDPResponsePDU.response",
    ".teleport.desktop.v1.ClipboardData.data",
    ".teleport.desktop.v1.SharedDirectoryRequest.Write.data",
    ".teleport.desktop.v1.SharedDirectoryResponse.Read.data",
    ".teleport.desktop.v1.Ping.uuid",
];

#[test]
fn tdpb_code_is_current() {
    let mut config = prost_build::Config::new();
    // Serialize (not Deserialize) for the read-only "fields" view of a TDPB
    // frame's JSON.
    config
        .type_attribute(".", "#[derive(serde::Serialize)]")
        .type_attribute(".", "#[serde(rename_all = \"snake_case\")]");
    for field in TDPB_BYTES_FIELDS {
        config.field_attribute(
            field,
            "#[serde(serialize_with = \"crate::tdp::json::base64_bytes::serialize\")]",
        );
    }
    check(
        &["teleport/desktop/v1/tdpb.proto"],
        config,
        &["teleport.desktop.v1.rs", "teleport.mfa.v1.rs"],
        "src/tdp/tdpb",
    );
}

#[test]
fn teleport_events_code_is_current() {
    let mut config = prost_build::Config::new();
    config.btree_map(["."]);
    check(
        &["teleport/legacy/types/events/events.proto"],
        config,
        &["events.rs"],
        "src/teleport/proto",
    );
}

/// The tables of `section` of spec/format.md (up to the next section), each
/// as its rows of cells without the header row, backticks dropped.
fn spec_tables(section: &str) -> Vec<Vec<Vec<String>>> {
    let spec = std::fs::read_to_string(root().join("spec/format.md")).unwrap();
    let start = spec.find(section).expect("the section");
    let body = &spec[start + section.len()..];
    let body = &body[..body.find("\n### ").unwrap_or(body.len())];
    let mut tables = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in body.lines().chain([""]) {
        if let Some(row) = line.strip_prefix('|') {
            if !row.starts_with("---") && !row.starts_with(":--") {
                let cells = row.trim_end_matches('|').split(" | ");
                rows.push(cells.map(|c| c.trim().replace('`', "")).collect());
            }
        } else if !rows.is_empty() {
            rows.remove(0);
            tables.push(std::mem::take(&mut rows));
        }
    }
    tables
}

/// spec/format.md says it alone is enough to implement tdpr: its field
/// tables (5.1, 5.4) and its EventKind table name exactly the fields,
/// numbers, types and values of proto/tdpr/v1/, with maps as standard map
/// entries (5.9).
#[test]
fn the_spec_states_what_the_proto_files_define() {
    let fds = protox::compile(
        ["tdpr/v1/metadata.proto", "tdpr/v1/event.proto"],
        [root().join("proto")],
    )
    .expect("the .proto files compile");
    let mut checked = 0;
    for file in &fds.file {
        for message in &file.message_type {
            let section = match message.name() {
                "Metadata" => "### 5.1 Metadata (0x01)",
                "Event" => "### 5.4 Event (0x81)",
                other => panic!("a message the spec does not describe: {other}"),
            };
            let in_proto: Vec<Vec<String>> = message
                .field
                .iter()
                .map(|field| {
                    let type_name = field.type_name().rsplit('.').next().unwrap();
                    let field_type = if let Some(entry) =
                        message.nested_type.iter().find(|n| n.name() == type_name)
                    {
                        let layout: Vec<_> = entry
                            .field
                            .iter()
                            .map(|f| (f.name(), f.number(), format!("{:?}", f.r#type())))
                            .collect();
                        assert_eq!(
                            layout,
                            [("key", 1, "String".into()), ("value", 2, "String".into())]
                        );
                        "map<string, string>".to_string()
                    } else if type_name.is_empty() {
                        format!("{:?}", field.r#type()).to_lowercase()
                    } else {
                        format!("enum {type_name}")
                    };
                    vec![field.name().into(), field.number().to_string(), field_type]
                })
                .collect();
            let in_spec: Vec<Vec<String>> = spec_tables(section)[0]
                .iter()
                .map(|row| row[..3].to_vec())
                .collect();
            assert_eq!(in_spec, in_proto, "{section}");
            checked += 1;
        }
        for kinds in &file.enum_type {
            assert_eq!(kinds.name(), "EventKind");
            let in_proto: Vec<Vec<String>> = kinds
                .value
                .iter()
                .map(|v| {
                    let json_name = v.name().trim_start_matches("EVENT_KIND_").to_lowercase();
                    vec![v.number().to_string(), v.name().into(), json_name]
                })
                .collect();
            let in_spec: Vec<Vec<String>> = spec_tables("### 5.4 Event (0x81)")[1]
                .iter()
                .map(|row| row[..3].to_vec())
                .collect();
            assert_eq!(in_spec, in_proto, "the EventKind table");
            checked += 1;
        }
    }
    assert_eq!(checked, 3, "two messages and one enum");
}
