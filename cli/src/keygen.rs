//! `tdpr keygen OUT`: a new Ed25519 key pair for signing recordings
//! (spec/signing.md 8): the secret key in OUT, the public key in OUT.pub.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use tdpr_sign::key::{generate, public_key_pem, raw_base64, secret_key_pem};
use tdpr_sign::KeyId;

use crate::new_file::write_new_file;
use crate::CommandResult;

pub fn run(out: &Path, raw: bool) -> CommandResult {
    let public_path = {
        let mut name = out.as_os_str().to_os_string();
        name.push(".pub");
        std::path::PathBuf::from(name)
    };
    for path in [out, public_path.as_path()] {
        if path.exists() {
            return Err(format!(
                "{} exists; keygen never replaces a key",
                path.display()
            ));
        }
    }
    let key = generate().map_err(|e| e.to_string())?;
    let public = key.verifying_key();
    let (secret_text, public_text) = if raw {
        (
            raw_base64(&key.to_bytes()) + "\n",
            raw_base64(public.as_bytes()) + "\n",
        )
    } else {
        (secret_key_pem(&key), public_key_pem(&public))
    };
    write_new_file(out, &[], |sink| {
        restrict_to_owner(sink.get_ref())?;
        sink.write_all(secret_text.as_bytes())
            .map_err(|e| e.to_string())
    })?;
    write_new_file(&public_path, &[], |sink| {
        sink.write_all(public_text.as_bytes())
            .map_err(|e| e.to_string())
    })?;
    println!("secret key  {}", out.display());
    println!("public key  {}", public_path.display());
    println!("key id      {}", KeyId::of(&public));
    println!("public raw  {}", raw_base64(public.as_bytes()));
    Ok(ExitCode::SUCCESS)
}

/// Makes the secret key's file readable by its owner alone.
#[cfg(unix)]
fn restrict_to_owner(file: &std::fs::File) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(|e| e.to_string())
}

#[cfg(not(unix))]
fn restrict_to_owner(_: &std::fs::File) -> Result<(), String> {
    Ok(())
}
