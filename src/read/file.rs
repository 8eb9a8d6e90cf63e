//! Opening a recording from a path, so that a player reads a multi-gigabyte
//! file in place without copying it and without `unsafe` code of its own.
//!
//! A [`Recording`] borrows its bytes; [`RecordingFile`] owns them: a
//! read-only memory map of a regular file (with the `mmap` feature, on by
//! default), or the file read into memory (without it, and for what cannot
//! be mapped: pipes, character devices, empty files). A full pass over a
//! mapped file ([`RecordingFile::scan`]) reads the file piece by piece
//! rather than through the map, so that validating or dumping a file of any
//! size keeps the memory of one record, not of the whole file. This is the
//! crate's one module with `unsafe` code, the map itself.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::recording::Recording;
use super::records::Records;
use super::scan::Scan;
use super::source::{ReadRecords, RecordSource, Step};
use crate::error::Result;
use crate::format::{FileHeader, IndexOptions};
use crate::limits::Limits;

/// The bytes of a recording file, mapped or read.
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("tdpr-doc-open-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir)?;
/// # let path = dir.join("session.tdpr");
/// # let mut writer = tdpr::Writer::new(Vec::new(), tdpr::proto::Metadata::default(), Default::default())?;
/// # writer.write_frame(0, &[3, 0, 0, 0, 10, 0, 0, 0, 20])?;
/// # std::fs::write(&path, writer.finish()?)?;
/// let file = tdpr::RecordingFile::open(&path)?;
/// let recording = file.recording()?;
/// assert_eq!(recording.index().unwrap().frame_count, 1);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), tdpr::Error>(())
/// ```
#[derive(Debug)]
pub struct RecordingFile {
    bytes: Bytes,
}

#[derive(Debug)]
enum Bytes {
    /// A map of the file, which a full pass reads again piece by piece.
    #[cfg(feature = "mmap")]
    Mapped(memmap2::Mmap, File),
    Read(Vec<u8>),
}

impl RecordingFile {
    /// Opens the file at `path`: maps a regular file into memory (with the
    /// `mmap` feature), reads anything else.
    ///
    /// A mapped file must not be truncated or rewritten by another process
    /// while it is open: the bytes seen could change or, if it shrinks, the
    /// process could receive SIGBUS. Files a recorder is still appending to
    /// are safe: what was mapped stays as it was written.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let mut file = File::open(path)?;
        let metadata = file.metadata()?;
        #[cfg(feature = "mmap")]
        if metadata.is_file() && metadata.len() > 0 {
            return Ok(Self {
                bytes: Bytes::Mapped(map(&file)?, file),
            });
        }
        let mut bytes = Vec::new();
        if metadata.is_file() {
            bytes.reserve(usize::try_from(metadata.len()).unwrap_or(0));
        }
        file.read_to_end(&mut bytes)?;
        Ok(Self {
            bytes: Bytes::Read(bytes),
        })
    }

    /// Reads a whole recording from `reader` (standard input, a socket).
    pub fn read_from(mut reader: impl Read) -> Result<Self> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        Ok(Self {
            bytes: Bytes::Read(bytes),
        })
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.bytes {
            #[cfg(feature = "mmap")]
            Bytes::Mapped(map, _) => map,
            Bytes::Read(bytes) => bytes,
        }
    }

    /// A full pass over the recording's records ([`Scan`]): in place for a
    /// file read into memory; for a mapped file, read from the file piece
    /// by piece, so that the pass does not bring the whole file into this
    /// process's memory.
    pub fn scan(&self, limits: Limits, options: IndexOptions) -> Result<Scan<FileRecords<'_>>> {
        let source = match &self.bytes {
            #[cfg(feature = "mmap")]
            Bytes::Mapped(_, file) => {
                FileRecords::Read(ReadRecords::new(FileReader { file, offset: 0 }, limits))
            }
            Bytes::Read(bytes) => {
                FileHeader::parse(bytes)?;
                FileRecords::InPlace(Records::from_start(bytes, limits))
            }
        };
        Scan::start(source, limits, options)
    }

    /// The recording, opened with the default limits ([`Recording::parse`]).
    pub fn recording(&self) -> Result<Recording<'_>> {
        Recording::parse(self.bytes())
    }

    /// The recording, opened with other limits.
    pub fn recording_with_limits(&self, limits: Limits) -> Result<Recording<'_>> {
        Recording::parse_with_limits(self.bytes(), limits)
    }
}

/// The records of a [`RecordingFile`], for [`RecordingFile::scan`].
#[derive(Debug)]
pub enum FileRecords<'f> {
    /// Borrowed from the bytes in memory.
    InPlace(Records<'f>),
    /// Read from the file.
    Read(ReadRecords<FileReader<'f>>),
}

impl RecordSource for FileRecords<'_> {
    fn step(&mut self) -> Step<'_> {
        match self {
            FileRecords::InPlace(records) => records.step(),
            FileRecords::Read(records) => records.step(),
        }
    }

    fn header(&self) -> Option<FileHeader> {
        match self {
            FileRecords::InPlace(records) => records.header(),
            FileRecords::Read(records) => records.header(),
        }
    }
}

/// Reads a file from a position of its own, whatever other readers of the
/// same handle do.
#[derive(Debug)]
pub struct FileReader<'f> {
    file: &'f File,
    offset: u64,
}

impl Read for FileReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = read_at(self.file, buf, self.offset)?;
        self.offset += read as u64;
        Ok(read)
    }
}

/// Reads from `file` at `offset`, leaving any cursor of the handle alone
/// where the platform allows it.
pub(crate) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, offset);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, offset);
    // Elsewhere (WebAssembly, which the browser player's renderer is built
    // for) there is no positioned read: seek, then read.
    #[cfg(not(any(unix, windows)))]
    {
        use std::io::Seek;
        let mut file = file;
        file.seek(std::io::SeekFrom::Start(offset))?;
        file.read(buf)
    }
}

/// Maps `file` read-only.
#[cfg(feature = "mmap")]
#[allow(unsafe_code)]
fn map(file: &File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: the map is read-only and private to this process, and every
    // read of it goes through the same bounds-checked parsers as a `&[u8]`.
    // The one hazard is another process truncating or rewriting the file
    // while it is mapped: the bytes seen may then change (which can only
    // give a parse error) or the process may get SIGBUS. `open` documents
    // this, and tdpr's own tools never write to a file they have open.
    unsafe { memmap2::Mmap::map(file) }
}
