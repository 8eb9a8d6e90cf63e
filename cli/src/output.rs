//! Writing what a command produces: a file that appears only once complete,
//! or standard output (`-`).
//!
//! Why it exists: recordings are audit evidence, and a command that fails
//! halfway must not cost a user the file already at its destination, nor
//! overwrite its own input. Every command writes through [`Output`]:
//!
//! 1. [`Output::create`] refuses a destination that is one of the command's
//!    inputs, compared as files ([`crate::input::FileIdentity`]: a hard
//!    link or a symbolic link to the input is the input), refuses a
//!    directory and a URL ([`refuse_url`]: an object is read, never
//!    written), and refuses to write a recording to a terminal. For a file
//!    it creates a temporary file beside the destination (same directory,
//!    so the final rename is atomic), named `.NAME.XXXXXX.tmp`, with the
//!    permissions of the file it will replace (new files: 0666 less the
//!    umask), and registers it with [`crate::interrupt`].
//! 2. The command writes to it (it buffers; hand it to any `Write` API).
//! 3. [`Output::commit`] flushes, fsyncs, renames it over the destination
//!    and fsyncs the directory. Only then does the destination change. A
//!    destination that is a symbolic link is written through: the file it
//!    points to is replaced, the link stays.
//!
//! A destination that exists and is not a regular file (`/dev/null`, a
//! FIFO) cannot be replaced by a rename; it is written in place.
//!
//! Failures, the same for every command ([`Target`] turns an `io::Error`
//! into one): a write that fails (a full disk) is
//! [`Failure::CannotWrite`], a message on standard error and exit status 1;
//! standard output whose reader went away (`| head`) is
//! [`Failure::ClosedPipe`], a quiet end; a refused destination is
//! [`Failure::CannotRun`], status 2. A new command that writes a file
//! (a snapshot, a video, a signature) does what `recover` does:
//!
//! ```text
//! let input = Input::new(input_path)?;
//! let mut output = Output::create(output_path, &[&input])?;
//! let target = output.target();
//! produce(&mut output).map_err(|e| target.write_failure(&e))?;
//! output.commit()?;
//! ```
//!
//! Dropping an `Output` without committing it (an error, a refused loss)
//! removes the temporary file; SIGINT or SIGTERM remove it too. So a
//! destination holds either what it held before or a whole new output, and
//! two commands writing one destination leave the output of whichever
//! renamed last, whole. A destination with other hard links is replaced by
//! a new file: the other links keep the old content.

use std::fs::{self, File, Permissions};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::input::{FileIdentity, Input, STDIO};
use crate::interrupt;
use crate::print;
use crate::status::Failure;

/// An output being written; see the module doc.
pub struct Output {
    sink: Sink,
    /// Bytes written so far.
    written: u64,
}

enum Sink {
    Stdout(BufWriter<io::Stdout>),
    /// A destination that is not a regular file (`/dev/null`, a FIFO): no
    /// rename can replace it, so it is written in place.
    Device {
        file: BufWriter<File>,
        name: PathBuf,
    },
    File {
        temp: BufWriter<NamedTempFile>,
        /// Where the file goes once complete (a symbolic link resolved).
        destination: PathBuf,
        /// The destination as the user named it, for messages.
        name: PathBuf,
        /// Its entry in the registry of unfinished outputs.
        _registered: Registered,
    },
}

/// An unfinished output known to [`crate::interrupt`]; dropping it (the
/// output committed, or abandoned and its temporary file removed) forgets
/// it.
struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        interrupt::registry().remove(&self.0);
    }
}

impl Output {
    /// Starts the output `path` (`-`: standard output) of a command that
    /// reads `inputs`.
    pub fn create(path: &Path, inputs: &[&Input]) -> Result<Self, Failure> {
        if path == Path::new(STDIO) {
            return Self::stdout(inputs);
        }
        refuse_url(path)?;
        let destination = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let existing = fs::metadata(&destination).ok();
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(Failure::CannotRun(format!(
                "cannot write {}: it is a directory",
                path.display()
            )));
        }
        if let Some(input) = same_file(FileIdentity::of_path(&destination), inputs) {
            return Err(Failure::CannotRun(format!(
                "refusing to write {}: it is the input {} (the same file), which would be lost; \
                 name another output",
                path.display(),
                input.name()
            )));
        }
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(&destination)
                .map_err(|e| {
                    Failure::CannotWrite(format!("cannot write {}: {e}", path.display()))
                })?;
            return Ok(Output {
                sink: Sink::Device {
                    file: BufWriter::with_capacity(1 << 16, file),
                    name: path.to_path_buf(),
                },
                written: 0,
            });
        }
        let directory = match destination.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let file_name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{file_name}.");
        let replaced = existing.map(|m| m.permissions());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        if let Some(permissions) = replaced.clone().or_else(new_file) {
            builder.permissions(permissions);
        }
        let mut registry = interrupt::registry();
        let temp = builder
            .tempfile_in(directory)
            .map_err(|e| Failure::CannotWrite(format!("cannot create {}: {e}", path.display())))?;
        if let Some(permissions) = replaced {
            // The umask may have narrowed what the replaced file allowed.
            let _ = temp.as_file().set_permissions(permissions);
        }
        registry.add(temp.path().to_path_buf(), path.to_path_buf());
        Ok(Output {
            sink: Sink::File {
                _registered: Registered(temp.path().to_path_buf()),
                temp: BufWriter::with_capacity(1 << 16, temp),
                destination,
                name: path.to_path_buf(),
            },
            written: 0,
        })
    }

    fn stdout(inputs: &[&Input]) -> Result<Self, Failure> {
        let stdout = io::stdout();
        if stdout.is_terminal() {
            return Err(Failure::CannotRun(
                "refusing to write a recording to a terminal: redirect standard output \
                 (`> FILE`) or name an output file"
                    .into(),
            ));
        }
        if let Some(input) = same_file(FileIdentity::of_stream(&stdout), inputs) {
            return Err(Failure::CannotRun(format!(
                "refusing to write standard output: it is the input {} (the same file)",
                input.name()
            )));
        }
        Ok(Output {
            sink: Sink::Stdout(BufWriter::with_capacity(1 << 16, stdout)),
            written: 0,
        })
    }

    /// Where it goes, for messages about it once it has been handed on.
    pub fn target(&self) -> Target {
        match &self.sink {
            Sink::Stdout(_) => Target {
                name: "standard output".into(),
                stdout: true,
            },
            Sink::File { name, .. } | Sink::Device { name, .. } => Target {
                name: name.display().to_string(),
                stdout: false,
            },
        }
    }

    /// Makes the file readable and writable by its owner alone, before
    /// anything is written to it (a secret key); nothing for standard
    /// output.
    pub fn restrict_to_owner(&self) -> Result<(), Failure> {
        let file = match &self.sink {
            Sink::Stdout(_) => return Ok(()),
            Sink::Device { file, .. } => file.get_ref(),
            Sink::File { temp, .. } => temp.get_ref().as_file(),
        };
        owner_only(file).map_err(|e| self.target().write_failure(&e))
    }

    /// Makes the output whole at its destination (see the module doc) and
    /// returns its size.
    pub fn commit(self) -> Result<u64, Failure> {
        let written = self.written;
        match self.sink {
            Sink::Stdout(mut stdout) => {
                stdout.flush().map_err(print::stdout_failure)?;
            }
            Sink::Device { file, name } => {
                file.into_inner().map_err(|e| {
                    Failure::CannotWrite(format!("cannot write {}: {}", name.display(), e.error()))
                })?;
            }
            Sink::File {
                temp,
                destination,
                name,
                ..
            } => {
                let fail = |e: &dyn std::fmt::Display| {
                    Failure::CannotWrite(format!("cannot write {}: {e}", name.display()))
                };
                let temp = temp.into_inner().map_err(|e| fail(e.error()))?;
                temp.as_file().sync_all().map_err(|e| fail(&e))?;
                let temp_path = temp.path().to_path_buf();
                let mut registry = interrupt::registry();
                temp.persist(&destination).map_err(|e| fail(&e.error))?;
                registry.remove(&temp_path);
                drop(registry);
                sync_directory(&destination);
            }
        }
        Ok(written)
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match &mut self.sink {
            Sink::Stdout(stdout) => stdout.write(buf)?,
            Sink::Device { file, .. } => file.write(buf)?,
            Sink::File { temp, .. } => temp.write(buf)?,
        };
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(stdout) => stdout.flush(),
            Sink::Device { file, .. } => file.flush(),
            Sink::File { temp, .. } => temp.flush(),
        }
    }
}

/// An output's name and kind, for messages about it.
#[derive(Debug, Clone)]
pub struct Target {
    /// Its path, or "standard output".
    pub name: String,
    stdout: bool,
}

impl Target {
    /// What a command that stops before committing did to the output:
    /// "X left as it was" when a file is there, "nothing written to X"
    /// otherwise.
    pub fn unchanged(&self) -> String {
        describe_unchanged(Path::new(&self.name), self.stdout)
    }

    /// The failure of a write to the output: quiet when it is standard
    /// output and its reader went away.
    pub fn write_failure(&self, error: &io::Error) -> Failure {
        if self.stdout && error.kind() == io::ErrorKind::BrokenPipe {
            return Failure::ClosedPipe;
        }
        Failure::CannotWrite(format!("cannot write {}: {error}", self.name))
    }

    /// The failure of a library call that wrote to the output: an I/O
    /// error is the output's; any other error is `what` failing.
    pub fn failure(&self, what: &str, error: &tdpr::Error) -> Failure {
        match error {
            tdpr::Error::Io(io) => self.write_failure(io),
            other => Failure::CannotRun(format!("{what}: {other}")),
        }
    }
}

/// "X left as it was" for an existing file at `destination`, "nothing
/// written to X" otherwise (the handler of [`crate::interrupt`] says the
/// same).
pub(crate) fn describe_unchanged(destination: &Path, stdout: bool) -> String {
    if !stdout && destination.exists() {
        format!("{} left as it was", destination.display())
    } else if stdout {
        "nothing written to standard output".into()
    } else {
        format!("nothing written to {}", destination.display())
    }
}

/// Refuses a destination that is a URL (`s3://…`, `https://…`): inputs
/// may be objects ([`crate::input`]), outputs are local files, and such a
/// path would otherwise name a local folder `s3:`.
pub fn refuse_url(path: &Path) -> Result<(), Failure> {
    match path.to_str().and_then(tdpr_store::Location::parse) {
        Some(_) => Err(Failure::CannotRun(format!(
            "cannot write {}: outputs are local files or standard output (`-`), \
             not URLs",
            path.display()
        ))),
        None => Ok(()),
    }
}

/// The input that `output` is, if it is one.
fn same_file<'i>(output: Option<FileIdentity>, inputs: &[&'i Input]) -> Option<&'i Input> {
    let output = output?;
    inputs
        .iter()
        .copied()
        .find(|input| input.identity() == Some(&output))
}

/// The permissions of a new file: read and write for all, less the umask
/// (Unix); elsewhere the temporary file's own.
fn new_file() -> Option<Permissions> {
    #[cfg(unix)]
    {
        Some(std::os::unix::fs::PermissionsExt::from_mode(0o666))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Makes the rename durable: fsyncs the destination's directory (Unix; a
/// failure only weakens durability, so it is not reported).
fn sync_directory(destination: &Path) {
    #[cfg(unix)]
    if let Some(directory) = destination.parent() {
        let directory = if directory.as_os_str().is_empty() {
            Path::new(".")
        } else {
            directory
        };
        if let Ok(directory) = File::open(directory) {
            let _ = directory.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = destination;
}

#[cfg(unix)]
fn owner_only(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn owner_only(_: &File) -> io::Result<()> {
    Ok(())
}
