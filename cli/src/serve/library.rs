//! Which files the server hands out under `/recordings/`: the one recording of
//! `tdpr play FILE` or `tdpr play URL` (an object, read by range as the
//! player asks), or the recordings of a directory, and nothing else.
//!
//! A request names a file by a percent-encoded path. It is refused when any of
//! its segments is `..`, and when the file it names, symbolic links followed,
//! lies outside the directory; only regular files whose name ends in `.tdpr` are
//! served from a directory.

use std::path::{Path, PathBuf};

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tdpr::RangeSource;
use tdpr_store::{Location, ObjectSource};

use super::assets::PAGE_PATH;

/// The URL prefix of the recordings.
pub const PREFIX: &str = "/recordings/";

/// What a URL path may carry unescaped of a file name: RFC 3986's unreserved
/// characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a query value may carry unescaped: the unreserved characters and `/`.
const QUERY_VALUE: &AsciiSet = &SEGMENT.remove(b'/');

/// The recordings one server hands out.
pub enum Library {
    /// One file, served under its own name whatever that name ends in.
    File { path: PathBuf, name: String },
    /// One object, served under the last segment of its key, `size` bytes.
    Object {
        source: ObjectSource,
        name: String,
        size: u64,
    },
    /// The `.tdpr` files in a directory (by its canonical path).
    Directory { root: PathBuf },
}

/// What a path under [`PREFIX`] serves.
pub enum Served<'l> {
    /// A file.
    File(PathBuf),
    /// The object of the library, of its size.
    Object(&'l ObjectSource, u64),
}

/// Why a path under `/recordings/` gets no file.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing is served there (404).
    NotFound,
    /// The path leads outside the directory (403).
    Outside,
}

impl Library {
    /// The recording at `path` alone.
    pub fn file(path: &Path) -> Result<Self, String> {
        let shown = path.display();
        if !std::fs::metadata(path)
            .map_err(|e| format!("cannot read {shown}: {e}"))?
            .is_file()
        {
            return Err(format!("{shown} is not a file"));
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("{shown}: the file name is not UTF-8"))?
            .to_owned();
        Ok(Library::File {
            path: path.to_owned(),
            name,
        })
    }

    /// The object at `location` alone; its size is asked for at once (a
    /// request for none of its bytes), so that a missing object fails here.
    pub fn object(location: &Location) -> Result<Self, String> {
        let source = ObjectSource::new(location).map_err(|e| e.to_string())?;
        let size = source
            .read_ends(0, 0)
            .map_err(|e| format!("cannot read {e}"))?
            .size;
        let name = location
            .path()
            .filename()
            .filter(|name| !name.is_empty())
            .unwrap_or("recording.tdpr")
            .to_owned();
        Ok(Library::Object { source, name, size })
    }

    /// The recordings in the directory `path`.
    pub fn directory(path: &Path) -> Result<Self, String> {
        let root = path
            .canonicalize()
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if !root.is_dir() {
            return Err(format!("{} is not a directory", path.display()));
        }
        Ok(Library::Directory { root })
    }

    /// What a listing is titled: the file's name, or the directory's path.
    pub fn title(&self) -> String {
        match self {
            Library::File { name, .. } => name.clone(),
            Library::Object { source, .. } => source.location().url().to_owned(),
            Library::Directory { root } => root.display().to_string(),
        }
    }

    /// The page a user opens first: the player on the one recording of a
    /// file library, the listing of a directory's.
    pub fn front_page(&self) -> String {
        match self {
            Library::File { name, .. } | Library::Object { name, .. } => player_url(name),
            Library::Directory { .. } => "/".to_owned(),
        }
    }

    /// What is served at `path`, the part of a URL path after [`PREFIX`].
    pub fn find(&self, path: &str) -> Result<Served<'_>, Refusal> {
        let decoded = percent_decode_str(path)
            .decode_utf8()
            .map_err(|_| Refusal::NotFound)?;
        let segments: Vec<&str> = decoded.split('/').collect();
        if segments.contains(&"..") {
            return Err(Refusal::Outside);
        }
        if segments
            .iter()
            .any(|s| s.is_empty() || *s == "." || s.contains(['\\', '\0']))
        {
            return Err(Refusal::NotFound);
        }
        match self {
            Library::File { path, name } if decoded == name.as_str() => {
                Ok(Served::File(path.clone()))
            }
            Library::Object { source, name, size } if decoded == name.as_str() => {
                Ok(Served::Object(source, *size))
            }
            Library::File { .. } | Library::Object { .. } => Err(Refusal::NotFound),
            Library::Directory { root } => {
                let file = segments
                    .iter()
                    .fold(root.clone(), |dir, segment| dir.join(segment))
                    .canonicalize()
                    .map_err(|_| Refusal::NotFound)?;
                if !file.starts_with(root) {
                    return Err(Refusal::Outside);
                }
                if !(file.is_file() && is_recording_name(&file)) {
                    return Err(Refusal::NotFound);
                }
                Ok(Served::File(file))
            }
        }
    }

    /// The recordings a listing shows, by name: for a directory, its `.tdpr`
    /// files (not those of its subdirectories), sorted. A listing describes
    /// files only: an object's library lists none (its page is the player).
    pub fn recordings(&self) -> std::io::Result<Vec<(String, PathBuf)>> {
        match self {
            Library::File { path, name } => Ok(vec![(name.clone(), path.clone())]),
            Library::Object { .. } => Ok(Vec::new()),
            Library::Directory { root } => {
                let mut found = Vec::new();
                for entry in std::fs::read_dir(root)? {
                    let path = entry?.path();
                    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                        continue;
                    };
                    if path.is_file() && is_recording_name(&path) {
                        found.push((name.to_owned(), path.clone()));
                    }
                }
                found.sort();
                Ok(found)
            }
        }
    }
}

/// The URL path and query of the player on the recording `name`:
/// `/index.html?src=recordings/NAME`, the name percent-encoded for a path and
/// the path for a query value (`src` is a URL relative to the page).
pub fn player_url(name: &str) -> String {
    let src = format!("{}{}", &PREFIX[1..], utf8_percent_encode(name, SEGMENT));
    format!(
        "{}?src={}",
        PAGE_PATH,
        utf8_percent_encode(&src, QUERY_VALUE)
    )
}

fn is_recording_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tdpr")
}
