//! The prost code under `src/` is generated from `proto/` and checked in, so
//! building tdpr never needs `protoc`. These tests regenerate it with protox (a
//! pure-Rust `.proto` compiler) and prost-build, and fail when a checked-in
//! file is stale. Run with `TDPR_BLESS=1` to rewrite them after changing a
//! `.proto` file.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Generates `protos` with `config` and compares each of `files` with its
/// checked-in copy in `checked_in_dir`.
fn check(protos: &[&str], mut config: prost_build::Config, files: &[&str], checked_in_dir: &str) {
    let includes = root().join("proto");
    let fds = protox::compile(protos, [&includes]).expect("the .proto files compile");
    let out_dir: PathBuf =
        std::env::temp_dir().join(format!("tdpr-codegen-{}-{}", std::process::id(), files[0]));
    std::fs::create_dir_all(&out_dir).unwrap();
    config
        .out_dir(&out_dir)
        .compile_fds(fds)
        .expect("prost-build generates code");
    let bless = std::env::var_os("TDPR_BLESS").is_some();
    let mut stale = Vec::new();
    for name in files {
        let fresh = std::fs::read_to_string(out_dir.join(name)).unwrap();
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
