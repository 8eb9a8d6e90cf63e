//! Writing a command's output file safely: into a temporary file beside it,
//! renamed into place only when everything was written and synced, and
//! never over one of the command's inputs. Used by the signing commands
//! (`keygen`, `sign`, `clip`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::same_file;

/// Writes `path` with `write`, through `path`.tmp-PID renamed into place on
/// success (removed on failure). Refuses a path that names one of `inputs`.
pub fn write_new_file<T>(
    path: &Path,
    inputs: &[&Path],
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T, String>,
) -> Result<T, String> {
    if inputs.iter().any(|input| same_file(input, path)) {
        return Err(format!(
            "{} is an input; write the output elsewhere",
            path.display()
        ));
    }
    let temporary = temporary_beside(path);
    let result = (|| {
        let file = File::create(&temporary)
            .map_err(|e| format!("cannot create {}: {e}", temporary.display()))?;
        let mut sink = BufWriter::new(file);
        let value = write(&mut sink)?;
        sink.flush()
            .and_then(|()| sink.get_ref().sync_all())
            .map_err(|e| format!("cannot write {}: {e}", temporary.display()))?;
        std::fs::rename(&temporary, path)
            .map_err(|e| format!("cannot rename to {}: {e}", path.display()))?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

fn temporary_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}
