//! Opening a recording as a memory map, so that multi-gigabyte files are read
//! in place without copying them into memory.

use std::fs::File;
use std::path::Path;

use memmap2::Mmap;

/// A read-only view of a whole file.
pub enum Mapped {
    /// A memory map of a non-empty file.
    Map(Mmap),
    /// An empty file, which cannot be mapped.
    Empty,
}

impl Mapped {
    /// Maps the file at `path` read-only.
    pub fn open(path: &Path) -> std::io::Result<Mapped> {
        let file = File::open(path)?;
        if file.metadata()?.len() == 0 {
            return Ok(Mapped::Empty);
        }
        // SAFETY: the map is read-only and private to this process. The one
        // hazard is another process truncating or rewriting the file while it
        // is mapped: the bytes seen may then change or the process may get
        // SIGBUS. tdpr never writes to a file it has mapped (recover refuses
        // to write over its input), and every read goes through the same
        // bounds-checked parser as a `&[u8]`, so changed bytes can only yield
        // a parse error, never unsoundness in the library.
        let map = unsafe { Mmap::map(&file)? };
        Ok(Mapped::Map(map))
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Mapped::Map(map) => map,
            Mapped::Empty => &[],
        }
    }
}
