//! `tdpr keygen OUT`: a new Ed25519 key pair for signing recordings
//! (spec/signing.md 8): the secret key in OUT, the public key in OUT.pub.

use std::io::Write;
use std::path::Path;

use tdpr_sign::key::{generate, public_key_pem, raw_base64, secret_key_pem};
use tdpr_sign::KeyId;

use crate::output::Output;
use crate::print;
use crate::status::{CommandResult, Failure, Status};

pub fn run(out: &Path, raw: bool) -> CommandResult {
    let public_path = {
        let mut name = out.as_os_str().to_os_string();
        name.push(".pub");
        std::path::PathBuf::from(name)
    };
    for path in [out, public_path.as_path()] {
        if path.exists() {
            return Err(Failure::CannotRun(format!(
                "{} exists; keygen never replaces a key",
                path.display()
            )));
        }
    }
    let key = generate().map_err(|e| Failure::CannotRun(e.to_string()))?;
    let public = key.verifying_key();
    let (secret_text, public_text) = if raw {
        (
            raw_base64(&key.to_bytes()) + "\n",
            raw_base64(public.as_bytes()) + "\n",
        )
    } else {
        (secret_key_pem(&key), public_key_pem(&public))
    };
    write_key(out, &secret_text, true)?;
    write_key(&public_path, &public_text, false)?;
    print::err(&format!(
        "secret key  {}\npublic key  {}\nkey id      {}\npublic raw  {}\n",
        out.display(),
        public_path.display(),
        KeyId::of(&public),
        raw_base64(public.as_bytes())
    ));
    Ok(Status::Success)
}

/// Writes one key file; a secret key is readable by its owner alone.
fn write_key(path: &Path, text: &str, secret: bool) -> Result<(), Failure> {
    let mut output = Output::create(path, &[])?;
    if secret {
        output.restrict_to_owner()?;
    }
    output
        .write_all(text.as_bytes())
        .map_err(|e| output.target().write_failure(&e))?;
    output.commit()?;
    Ok(())
}
