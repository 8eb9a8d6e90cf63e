//! `tdpr keygen`, `sign`, `verify` and `clip` (spec/signing.md), run as a
//! user runs them: a key made, a recording signed, verified, clipped, the
//! excerpt verified, and a tampered copy found out.

use std::path::Path;
use std::process::{Command, Output};

use super::support::scratch;

fn tdpr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tdpr"))
        .args(args)
        .output()
        .expect("run tdpr")
}

fn temp(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn keygen_sign_verify_clip_and_a_tampered_copy() {
    let dir = scratch("keygen_sign_verify_clip_and_a_tampered_copy");
    let (key, public) = (temp(&dir, "key.pem"), temp(&dir, "key.pem.pub"));
    let made = tdpr(&["keygen", &key]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(std::fs::read_to_string(&key)
        .unwrap()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(std::fs::read_to_string(&public)
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----"));
    let again = tdpr(&["keygen", &key]);
    assert!(!again.status.success(), "keygen never replaces a key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the secret key is its owner's alone");
    }

    let session = temp(&dir, "office.tdpr");
    let synth = tdpr(&["synth", &session, "--duration", "1m", "--seed", "3"]);
    assert!(synth.status.success(), "{}", stderr(&synth));
    let signed = temp(&dir, "signed.tdpr");
    let sign = tdpr(&["sign", &session, &signed, "--key", &key]);
    assert!(sign.status.success(), "{}", stderr(&sign));
    // What a command that writes a file did is told on standard error.
    assert!(
        stderr(&sign).contains("6 checkpoints, to 0:01:00.000"),
        "{}",
        stderr(&sign)
    );
    let twice = tdpr(&["sign", &signed, &temp(&dir, "twice.tdpr"), "--key", &key]);
    assert!(
        !twice.status.success(),
        "a signed recording is refused without --replace"
    );
    assert!(stderr(&twice).contains("signed"), "{}", stderr(&twice));
    let onto_itself = tdpr(&["sign", &session, &session, "--key", &key]);
    assert!(!onto_itself.status.success(), "the output is the input");

    let verify = tdpr(&["verify", &signed, "--pubkey", &public]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    let words = stdout(&verify);
    assert!(words.starts_with("VERIFIED: recording, key "), "{words}");
    assert!(
        words.contains("finished: the session is proven to its signed end"),
        "{words}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&tdpr(&["verify", &signed, "--pubkey", &public, "--json"]).stdout)
            .unwrap();
    assert_eq!(json["verified"], true);
    assert_eq!(json["proven"]["sequence"], 5);
    assert_eq!(json["proven"]["time_us"], 60_000_000);

    let excerpt = temp(&dir, "excerpt.tdpr");
    let clip = tdpr(&[
        "clip", &signed, "--from", "20s", "--to", "35s", "-o", &excerpt,
    ]);
    assert!(clip.status.success(), "{}", stderr(&clip));
    assert!(stderr(&clip).contains("(final)"), "{}", stderr(&clip));
    let verify = tdpr(&["verify", &excerpt, "--pubkey", &public]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    assert!(
        stdout(&verify).starts_with("VERIFIED: excerpt"),
        "{}",
        stdout(&verify)
    );
    assert!(tdpr(&["validate", &excerpt]).status.success());

    // Another key does not verify it; the break names the key.
    let (other, other_public) = (temp(&dir, "other"), temp(&dir, "other.pub"));
    assert!(tdpr(&["keygen", &other, "--raw"]).status.success());
    assert_eq!(
        std::fs::read_to_string(&other_public).unwrap().trim().len(),
        44
    );
    let verify = tdpr(&["verify", &signed, "--pubkey", &other_public]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        stdout(&verify).contains("break: wrong_key at offset "),
        "{}",
        stdout(&verify)
    );

    // A byte in the middle changed: the CRC tells first, and verify says
    // how far the proof went before it.
    let mut bytes = std::fs::read(&signed).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    let tampered = temp(&dir, "tampered.tdpr");
    std::fs::write(&tampered, &bytes).unwrap();
    let verify = tdpr(&["verify", &tampered, "--pubkey", &public, "--json"]);
    assert_eq!(verify.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(json["verified"], false);
    assert!(
        json["break"]["offset"].as_u64().unwrap() <= middle as u64,
        "{json}"
    );
    assert!(
        json["proven"]["sequence"].as_u64().unwrap_or(0) < 5,
        "{json}"
    );
}

#[test]
fn clip_refuses_an_unsigned_recording_and_an_empty_range() {
    let dir = scratch("clip_refuses_an_unsigned_recording_and_an_empty_range");
    let session = temp(&dir, "plain.tdpr");
    assert!(tdpr(&["sample", &session]).status.success());
    let clip = tdpr(&[
        "clip",
        &session,
        "--from",
        "1s",
        "--to",
        "2s",
        "-o",
        &temp(&dir, "x.tdpr"),
    ]);
    assert!(!clip.status.success());
    assert!(stderr(&clip).contains("no checkpoint"), "{}", stderr(&clip));
    let clip = tdpr(&[
        "clip",
        &session,
        "--from",
        "3s",
        "--to",
        "2s",
        "-o",
        &temp(&dir, "y.tdpr"),
    ]);
    assert!(!clip.status.success());
    assert!(!std::path::Path::new(&temp(&dir, "y.tdpr")).exists());
}
