//! Writing an output file safely: into a temporary file beside the target,
//! renamed into place once complete, so that a command that fails or is
//! interrupted leaves no half-written file and never damages the one that
//! was there; and never over one of the command's inputs, whatever names
//! the two paths use (the same device and inode is the same file).
//!
//! Interim: the shared output module of issue 13 (branch `cli`) is meant to
//! replace this one; every rendering command writes through [`Output`] only.

use std::fs::File;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// An output file being written.
pub struct Output {
    temp: NamedTempFile,
    target: PathBuf,
}

impl Output {
    /// Starts writing `target`; refuses when it is one of `inputs`. The
    /// temporary file keeps the target's extension, for programs (ffmpeg)
    /// that choose a format by it.
    pub fn create(target: &Path, inputs: &[&Path]) -> Result<Output, String> {
        if let Some(input) = inputs
            .iter()
            .find(|input| same_file::is_same_file(input, target).unwrap_or(false))
        {
            return Err(format!(
                "{} is the input {}: the output must be another file",
                target.display(),
                input.display()
            ));
        }
        let name = target
            .file_name()
            .ok_or_else(|| format!("{} does not name a file", target.display()))?;
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let suffix = target
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let prefix = format!(".{}.", name.to_string_lossy());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(&suffix);
        #[cfg(unix)]
        {
            // Readable as any new file is (the umask applies), not 0600.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(dir)
            .map_err(|e| format!("cannot create a file in {}: {e}", dir.display()))?;
        Ok(Output {
            temp,
            target: target.to_path_buf(),
        })
    }

    /// The temporary file's path, for a program that writes it.
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// The temporary file, to write to.
    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Syncs the temporary file and renames it to the target; returns its
    /// length. Dropping an `Output` instead deletes the temporary file.
    pub fn persist(self) -> Result<u64, String> {
        let file = self.temp.as_file();
        let written = |e: std::io::Error| format!("cannot write {}: {e}", self.target.display());
        file.sync_all().map_err(written)?;
        let len = file.metadata().map_err(written)?.len();
        self.temp
            .persist(&self.target)
            .map_err(|e| format!("cannot write {}: {}", self.target.display(), e.error))?;
        Ok(len)
    }
}

/// Writes `bytes` to `target` through an [`Output`]; returns the length.
pub fn write_file(target: &Path, inputs: &[&Path], bytes: &[u8]) -> Result<u64, String> {
    use std::io::Write;
    let mut output = Output::create(target, inputs)?;
    output
        .file()
        .write_all(bytes)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    output.persist()
}
