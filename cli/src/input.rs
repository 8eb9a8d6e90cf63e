//! Opening what a command reads: a recording, a Teleport stream, or
//! standard input (`-`).
//!
//! Why it exists: every command names its inputs the same way and fails the
//! same way on a missing file or a directory, and [`crate::output`] needs to
//! know which file each input is to refuse an output that would overwrite
//! it. Use [`Input::new`] on each path a command reads, then
//! [`Input::recording`] for a tdpr recording (memory-mapped when it is a
//! file) or [`Input::reader`] for a stream read once from start to end.
//!
//! A file is known by its [`FileIdentity`]: device and inode on Unix, so a
//! hard link or a symbolic link to the input is the input; its canonical
//! path elsewhere.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use tdpr::RecordingFile;

use crate::status::Failure;

/// What names standard input or standard output on the command line.
pub const STDIO: &str = "-";

/// Which file a path or a standard stream is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIdentity {
    #[cfg(unix)]
    device_and_inode: (u64, u64),
    #[cfg(not(unix))]
    canonical: PathBuf,
}

impl FileIdentity {
    /// The file at `path`, following symbolic links; `None` when there is
    /// none.
    pub fn of_path(path: &Path) -> Option<Self> {
        #[cfg(unix)]
        {
            std::fs::metadata(path).ok().map(|m| Self::of_metadata(&m))
        }
        #[cfg(not(unix))]
        {
            path.canonicalize()
                .ok()
                .map(|canonical| FileIdentity { canonical })
        }
    }

    /// The file behind a standard stream, when it is one (not a pipe or a
    /// terminal). Only Unix can tell.
    pub fn of_stream(stream: &impl StandardStream) -> Option<Self> {
        #[cfg(unix)]
        {
            let file = File::from(stream.as_fd().try_clone_to_owned().ok()?);
            let metadata = file.metadata().ok()?;
            metadata.is_file().then(|| Self::of_metadata(&metadata))
        }
        #[cfg(not(unix))]
        {
            let _ = stream;
            None
        }
    }

    #[cfg(unix)]
    fn of_metadata(metadata: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        FileIdentity {
            device_and_inode: (metadata.dev(), metadata.ino()),
        }
    }
}

/// Standard input or output, whose file [`FileIdentity::of_stream`] finds.
#[cfg(unix)]
pub trait StandardStream: std::os::fd::AsFd {}
#[cfg(unix)]
impl<T: std::os::fd::AsFd> StandardStream for T {}
/// Standard input or output, whose file [`FileIdentity::of_stream`] finds.
#[cfg(not(unix))]
pub trait StandardStream {}
#[cfg(not(unix))]
impl<T> StandardStream for T {}

/// A file a command reads, or standard input.
#[derive(Debug)]
pub struct Input {
    /// The path as given; `None` for standard input.
    path: Option<PathBuf>,
    /// Which file it is, when it is one.
    identity: Option<FileIdentity>,
}

impl Input {
    /// The input `path` (`-`: standard input). Fails, with a message that
    /// names it, when there is nothing to read there or it is a directory.
    pub fn new(path: &Path) -> Result<Self, Failure> {
        if path == Path::new(STDIO) {
            return Ok(Input {
                path: None,
                identity: FileIdentity::of_stream(&io::stdin()),
            });
        }
        let metadata = std::fs::metadata(path)
            .map_err(|e| Failure::CannotRun(format!("cannot read {}: {e}", path.display())))?;
        if metadata.is_dir() {
            return Err(Failure::CannotRun(format!(
                "cannot read {}: it is a directory, not a file",
                path.display()
            )));
        }
        Ok(Input {
            identity: FileIdentity::of_path(path),
            path: Some(path.to_path_buf()),
        })
    }

    /// The input's name for messages: its path, or "standard input".
    pub fn name(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => "standard input".into(),
        }
    }

    /// The input as given on the command line (`-` for standard input),
    /// for commands to suggest.
    pub fn argument(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => STDIO.into(),
        }
    }

    /// Which file it is, when it is one.
    pub fn identity(&self) -> Option<&FileIdentity> {
        self.identity.as_ref()
    }

    /// The recording it holds: a file is mapped into memory, standard input
    /// read whole.
    pub fn recording(&self) -> Result<RecordingFile, Failure> {
        match &self.path {
            Some(path) => RecordingFile::open(path),
            None => RecordingFile::read_from(io::stdin().lock()),
        }
        .map_err(|e| Failure::CannotRun(format!("cannot read {}: {e}", self.name())))
    }

    /// A stream of its bytes, and their number when known in advance.
    pub fn reader(&self) -> Result<(Box<dyn Read>, Option<u64>), Failure> {
        match &self.path {
            Some(path) => {
                let file = File::open(path)
                    .map_err(|e| Failure::CannotRun(format!("cannot read {}: {e}", self.name())))?;
                let len = file
                    .metadata()
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len());
                Ok((Box::new(file), len))
            }
            None => Ok((Box::new(io::stdin().lock()), None)),
        }
    }
}
