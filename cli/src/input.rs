//! Opening what a command reads: a recording, a Teleport stream, standard
//! input (`-`), or an object named by URL.
//!
//! Why it exists: every command names its inputs the same way and fails the
//! same way on a missing file or a directory, and [`crate::output`] needs to
//! know which file each input is to refuse an output that would overwrite
//! it. Use [`Input::new`] on each argument a command reads, then
//! [`Input::recording`] for a tdpr recording at hand whole (memory-mapped
//! when it is a file), [`Input::pass`] for a tdpr recording read once from
//! start to end record by record, or [`Input::reader`] for a stream of
//! bytes read once (another format's recording).
//!
//! A file is known by its [`FileIdentity`]: device and inode on Unix, so a
//! hard link or a symbolic link to the input is the input; its canonical
//! path elsewhere.
//!
//! An argument that `tdpr_store::Location::parse` takes for a URL
//! (`s3://bucket/key`, `gs://…`, `az://…`, `http(s)://…`, `file://…`) names
//! an object, read with the credentials and endpoint of the environment as
//! `object_store` reads them (`AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT`,
//! `GOOGLE_*`, `AZURE_*`). So every command that reads a recording takes a
//! URL, and reads it the way its job allows:
//!
//! - [`Input::reader`] streams the object: one GET (`import teleport`).
//! - [`Input::pass`] streams it too, after opening it by range as a
//!   validator opens a file (two or three range requests bound to the GET's
//!   ETag), so that memory stays that of one record (`validate`, `dump`).
//! - [`Input::recording`] copies it to a temporary file first (one GET),
//!   maps the copy and removes it once the recording is dropped, or on
//!   SIGINT and SIGTERM: the commands that need the whole recording at hand
//!   (`recover`, `export`, `snapshot`, `thumbnails`, `keyframes`, `verify`,
//!   `sign`, `clip`, `recompress`) pay the object's size on disk for it.
//! - `tdpr info` reads only its header, metadata and index, by range
//!   ([`Input::location`], `crate::info_index`).
//!
//! An object that cannot be read (missing, access denied, no such bucket,
//! no server) is [`Failure::CannotRun`], as a missing file is, and the
//! message names its URL. An object is no local file: it is never one of a
//! command's outputs.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::ops::Deref;
use std::path::{Path, PathBuf};

use tdpr::{IndexOptions, RecordingFile};
use tdpr_store::{Location, ObjectReader, ObjectSource};

use crate::interrupt;
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

/// A file a command reads, standard input, or an object.
#[derive(Debug)]
pub struct Input {
    source: Source,
    /// Which file it is, when it is one.
    identity: Option<FileIdentity>,
}

#[derive(Debug)]
enum Source {
    Stdin,
    /// The path as given.
    File(PathBuf),
    Object(Location),
}

impl Input {
    /// The input `path` (`-`: standard input; a URL: an object). Fails,
    /// with a message that names it, when there is nothing to read there or
    /// it is a directory, or it is a URL of no object. Whether an object
    /// exists is known only once it is read.
    pub fn new(path: &Path) -> Result<Self, Failure> {
        if path == Path::new(STDIO) {
            return Ok(Input {
                source: Source::Stdin,
                identity: FileIdentity::of_stream(&io::stdin()),
            });
        }
        if let Some(location) = path.to_str().and_then(Location::parse) {
            return Ok(Input {
                source: Source::Object(location.map_err(unreachable)?),
                identity: None,
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
            source: Source::File(path.to_path_buf()),
        })
    }

    /// The input's name for messages: its path, "standard input", or its
    /// URL.
    pub fn name(&self) -> String {
        match &self.source {
            Source::Stdin => "standard input".into(),
            _ => self.argument(),
        }
    }

    /// The input as given on the command line (`-` for standard input),
    /// for commands to suggest.
    pub fn argument(&self) -> String {
        match &self.source {
            Source::Stdin => STDIO.into(),
            Source::File(path) => path.display().to_string(),
            Source::Object(location) => location.url().into(),
        }
    }

    /// Which file it is, when it is one.
    pub fn identity(&self) -> Option<&FileIdentity> {
        self.identity.as_ref()
    }

    /// The object it names, when it is one.
    pub fn location(&self) -> Option<&Location> {
        match &self.source {
            Source::Object(location) => Some(location),
            _ => None,
        }
    }

    /// The recording it holds, whole: a file is mapped into memory,
    /// standard input read, an object copied to a temporary file that is
    /// mapped.
    pub fn recording(&self) -> Result<Whole, Failure> {
        let (file, copy) = match &self.source {
            Source::File(path) => (RecordingFile::open(path), None),
            Source::Stdin => (RecordingFile::read_from(io::stdin().lock()), None),
            Source::Object(location) => {
                let copy = ObjectCopy::of(location)?;
                (RecordingFile::open(&copy.path), Some(copy))
            }
        };
        let file =
            file.map_err(|e| Failure::CannotRun(format!("cannot read {}: {e}", self.name())))?;
        Ok(Whole { file, _copy: copy })
    }

    /// The recording it holds, for one pass over its records: a file or
    /// standard input as [`Input::recording`] has it, an object as a
    /// stream.
    pub fn pass(&self) -> Result<Pass, Failure> {
        let Source::Object(location) = &self.source else {
            return self.recording().map(Pass::Whole);
        };
        let source = ObjectSource::new(location).map_err(unreachable)?;
        let (size, reader) = source.stream().map_err(unreachable)?;
        let (head, opened) = tdpr_store::open_for_pass(&source, size);
        Ok(Pass::Stream(ObjectStream {
            size,
            head,
            opened,
            reader,
        }))
    }

    /// A stream of its bytes, and their number when known in advance.
    pub fn reader(&self) -> Result<(Box<dyn Read>, Option<u64>), Failure> {
        match &self.source {
            Source::File(path) => {
                let file = File::open(path)
                    .map_err(|e| Failure::CannotRun(format!("cannot read {}: {e}", self.name())))?;
                let len = file
                    .metadata()
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len());
                Ok((Box::new(file), len))
            }
            Source::Stdin => Ok((Box::new(io::stdin().lock()), None)),
            Source::Object(location) => {
                let (size, reader) = ObjectSource::new(location)
                    .and_then(|source| source.stream())
                    .map_err(unreachable)?;
                Ok((Box::new(reader), Some(size)))
            }
        }
    }
}

/// The failure of an object that cannot be read (missing, denied, no
/// server), from the store's error, which names its URL.
pub(crate) fn unreachable(error: impl std::fmt::Display) -> Failure {
    Failure::CannotRun(format!("cannot read {error}"))
}

/// A recording at hand whole ([`Input::recording`]): a
/// [`RecordingFile`], and the temporary copy it maps when it is an
/// object's, removed after the map is gone.
#[derive(Debug)]
pub struct Whole {
    file: RecordingFile,
    _copy: Option<ObjectCopy>,
}

impl Deref for Whole {
    type Target = RecordingFile;

    fn deref(&self) -> &RecordingFile {
        &self.file
    }
}

/// A recording read once from start to end ([`Input::pass`]).
#[derive(Debug)]
pub enum Pass {
    /// A file, or standard input read whole.
    Whole(Whole),
    /// An object, opened by range and streamed.
    Stream(ObjectStream),
}

impl Pass {
    /// The recording's size in bytes.
    pub fn size(&self) -> u64 {
        match self {
            Pass::Whole(whole) => whole.bytes().len() as u64,
            Pass::Stream(stream) => stream.size,
        }
    }

    /// Its first bytes (of an object, 16 KiB at most), to say what it
    /// looks like when it is no recording.
    pub fn head(&self) -> &[u8] {
        match self {
            Pass::Whole(whole) => whole.bytes(),
            Pass::Stream(stream) => &stream.head,
        }
    }
}

/// An object for one pass over its records: opened by range as a validator
/// opens a file, then read from one GET's stream.
#[derive(Debug)]
pub struct ObjectStream {
    /// The object's size.
    pub size: u64,
    /// Its first bytes, up to 16 KiB.
    pub head: Vec<u8>,
    /// The opening's fault, or the index parameters the pass rebuilds the
    /// index with (spec/format.md 9.1).
    pub opened: tdpr::Result<IndexOptions>,
    /// The object's bytes from its start.
    pub reader: ObjectReader,
}

/// An object copied to a temporary file, removed when dropped or by the
/// handler of [`crate::interrupt`].
#[derive(Debug)]
struct ObjectCopy {
    path: tempfile::TempPath,
}

impl ObjectCopy {
    fn of(location: &Location) -> Result<ObjectCopy, Failure> {
        let failed = |e: io::Error| {
            Failure::CannotRun(format!("cannot copy {location} to a temporary file: {e}"))
        };
        let mut registry = interrupt::registry();
        let temp = tempfile::Builder::new()
            .prefix("tdpr-copy-")
            .suffix(".tdpr")
            .tempfile()
            .map_err(failed)?;
        registry.add_scratch(temp.path().to_path_buf());
        drop(registry);
        let (file, path) = temp.into_parts();
        let copy = ObjectCopy { path };
        let mut out = BufWriter::with_capacity(1 << 16, file);
        tdpr_store::download(location, &mut out).map_err(unreachable)?;
        out.flush().map_err(failed)?;
        Ok(copy)
    }
}

impl Drop for ObjectCopy {
    fn drop(&mut self) {
        interrupt::registry().remove(&self.path);
    }
}
