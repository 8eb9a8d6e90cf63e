//! The prost code in `src/proto/` is generated from `proto/` and checked in, so
//! building tdpr never needs `protoc`. This test regenerates it with protox (a
//! pure-Rust `.proto` compiler) and prost-build, and fails when the checked-in
//! file is stale. Run with `TDPR_BLESS=1` to rewrite it after changing a
//! `.proto` file.

use std::path::Path;

fn regenerate(protos: &[&str], out_file: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fds = protox::compile(protos, [root.join("proto")]).expect("compile .proto files");
    let out_dir = tempdir();
    prost_build::Config::new()
        .out_dir(&out_dir)
        .btree_map(["."])
        .compile_fds(fds)
        .expect("generate Rust code");
    let generated = std::fs::read_to_string(out_dir.join(out_file)).expect("generated file");
    let checked_in_path = root.join("src/proto").join(out_file);
    if std::env::var_os("TDPR_BLESS").is_some() {
        std::fs::write(&checked_in_path, &generated).expect("write generated file");
    }
    let checked_in = std::fs::read_to_string(&checked_in_path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{} is stale: rerun with TDPR_BLESS=1",
        checked_in_path.display()
    );
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tdpr-codegen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn tdpr_v1_code_is_current() {
    regenerate(
        &["tdpr/v1/metadata.proto", "tdpr/v1/event.proto"],
        "tdpr.v1.rs",
    );
}
