//! Where a reader that fetches byte ranges gets them (spec/format.md 9.5).
//!
//! A player that opens a recording kept in an object store or on a web
//! server reads the file's first and last bytes, then the few ranges a seek
//! needs; it never holds the file. [`RangeSource`] is that access, a range
//! at a time: this crate implements it for memory and local files, and the
//! `tdpr-store` crate for object stores and HTTP servers, so that a recorder
//! that depends on this crate compiles no network code. [`RangeCache`] keeps
//! what was fetched, within a bound, so that playing on or seeking back a
//! little fetches nothing twice.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::sync::Mutex;

/// The first and last bytes of a source, and its size: what opening reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ends {
    /// The source's size in bytes.
    pub size: u64,
    /// Its first bytes (all of them when it is shorter than asked).
    pub head: Vec<u8>,
    /// Its last bytes (all of them when it is shorter than asked).
    pub tail: Vec<u8>,
}

impl Ends {
    /// File offset of the first byte of `tail`.
    pub fn tail_offset(&self) -> u64 {
        self.size - self.tail.len() as u64
    }
}

/// Random access to a recording's bytes, a range at a time.
///
/// Errors are `io::Error`s whose message names the source (a URL, a path),
/// so that whoever prints them says which object failed.
pub trait RangeSource {
    /// The first `head` and the last `tail` bytes, and the size. A remote
    /// source sends both requests at once and learns the size from the
    /// answer to the second (a suffix range), so that opening is two
    /// requests with no round trip between them.
    fn read_ends(&self, head: u64, tail: u64) -> io::Result<Ends>;

    /// The bytes of each range, in the order given. Every range lies inside
    /// the source; a remote source may merge close ranges into one request
    /// and send several requests at once.
    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>>;

    /// The bytes of one range.
    fn read_range(&self, range: Range<u64>) -> io::Result<Vec<u8>> {
        let mut ranges = self.read_ranges(std::slice::from_ref(&range))?;
        Ok(ranges.pop().expect("one range asked, one returned"))
    }
}

impl<S: RangeSource + ?Sized> RangeSource for &S {
    fn read_ends(&self, head: u64, tail: u64) -> io::Result<Ends> {
        (**self).read_ends(head, tail)
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        (**self).read_ranges(ranges)
    }
}

impl RangeSource for [u8] {
    fn read_ends(&self, head: u64, tail: u64) -> io::Result<Ends> {
        let size = self.len() as u64;
        let head = &self[..head.min(size) as usize];
        let tail = &self[(size - tail.min(size)) as usize..];
        Ok(Ends {
            size,
            head: head.to_vec(),
            tail: tail.to_vec(),
        })
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        ranges
            .iter()
            .map(|r| {
                usize::try_from(r.start)
                    .ok()
                    .zip(usize::try_from(r.end).ok())
                    .and_then(|(start, end)| self.get(start..end))
                    .map(<[u8]>::to_vec)
                    .ok_or_else(|| outside(r, self.len() as u64))
            })
            .collect()
    }
}

impl RangeSource for File {
    fn read_ends(&self, head: u64, tail: u64) -> io::Result<Ends> {
        let size = self.metadata()?.len();
        let tail_len = tail.min(size);
        let [head, tail] = self
            .read_ranges(&[0..head.min(size), size - tail_len..size])?
            .try_into()
            .expect("two ranges asked, two returned");
        Ok(Ends { size, head, tail })
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        ranges
            .iter()
            .map(|r| {
                let len = usize::try_from(r.end.saturating_sub(r.start))
                    .map_err(|_| outside(r, u64::MAX))?;
                let mut bytes = vec![0; len];
                read_exact_at(self, &mut bytes, r.start)?;
                Ok(bytes)
            })
            .collect()
    }
}

fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match super::file::read_at(file, buf, offset) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("the file ends at offset {offset}, before the range asked for"),
                ))
            }
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn outside(range: &Range<u64>, size: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "range {}..{} outside a source of {size} bytes",
            range.start, range.end
        ),
    )
}

/// A bounded cache of fetched ranges in front of a [`RangeSource`].
///
/// A read the cached chunks cover is served from them; any other is fetched
/// whole, at least `read_ahead` bytes (not past the end of the source), and
/// kept. Chunks are dropped, least recently used first, once they hold more
/// than `max_bytes`. Reads that only partly overlap cached chunks fetch the
/// whole range again: a player reads forward, where this costs nothing.
#[derive(Debug)]
pub struct RangeCache<S> {
    source: S,
    read_ahead: u64,
    max_bytes: u64,
    state: Mutex<CacheState>,
}

#[derive(Debug, Default)]
struct CacheState {
    size: Option<u64>,
    /// Chunks by file offset, each with the tick of its last use.
    chunks: BTreeMap<u64, (Vec<u8>, u64)>,
    held: u64,
    tick: u64,
}

impl CacheState {
    /// The bytes of `range` when one chunk holds them all.
    fn lookup(&mut self, range: &Range<u64>) -> Option<Vec<u8>> {
        self.tick += 1;
        let tick = self.tick;
        let (&start, (bytes, used)) = self.chunks.range_mut(..=range.start).next_back()?;
        let end = start + bytes.len() as u64;
        if range.end > end {
            return None;
        }
        *used = tick;
        Some(bytes[(range.start - start) as usize..(range.end - start) as usize].to_vec())
    }

    fn insert(&mut self, offset: u64, bytes: Vec<u8>, max_bytes: u64) {
        self.tick += 1;
        self.held += bytes.len() as u64;
        if let Some((old, _)) = self.chunks.insert(offset, (bytes, self.tick)) {
            self.held -= old.len() as u64;
        }
        while self.held > max_bytes && self.chunks.len() > 1 {
            let (&oldest, _) = self
                .chunks
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .expect("more than one chunk");
            let (bytes, _) = self.chunks.remove(&oldest).expect("present");
            self.held -= bytes.len() as u64;
        }
    }
}

impl<S: RangeSource> RangeCache<S> {
    /// A cache in front of `source` that fetches at least `read_ahead` bytes
    /// at a time and keeps at most `max_bytes` (more only while a single
    /// chunk is larger).
    pub fn new(source: S, read_ahead: u64, max_bytes: u64) -> Self {
        RangeCache {
            source,
            read_ahead,
            max_bytes,
            state: Mutex::new(CacheState::default()),
        }
    }

    /// The source behind the cache.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// Bytes held now.
    pub fn held_bytes(&self) -> u64 {
        self.lock().held
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<S: RangeSource> RangeSource for RangeCache<S> {
    fn read_ends(&self, head: u64, tail: u64) -> io::Result<Ends> {
        let ends = self.source.read_ends(head, tail)?;
        let mut state = self.lock();
        state.size = Some(ends.size);
        state.insert(0, ends.head.clone(), self.max_bytes);
        state.insert(ends.tail_offset(), ends.tail.clone(), self.max_bytes);
        Ok(ends)
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        let mut found: Vec<Option<Vec<u8>>> = {
            let mut state = self.lock();
            ranges.iter().map(|r| state.lookup(r)).collect()
        };
        let size = self.lock().size;
        let missing: Vec<Range<u64>> = ranges
            .iter()
            .zip(&found)
            .filter(|(_, hit)| hit.is_none())
            .map(|(r, _)| {
                let end = r.end.max(r.start.saturating_add(self.read_ahead));
                r.start..size.map_or(r.end, |size| end.min(size)).max(r.end)
            })
            .collect();
        if missing.is_empty() {
            return Ok(found.into_iter().flatten().collect());
        }
        let fetched = self.source.read_ranges(&missing)?;
        let mut state = self.lock();
        let mut fetched = missing.iter().zip(fetched);
        for (range, slot) in ranges.iter().zip(&mut found) {
            if slot.is_none() {
                let (chunk, bytes) = fetched.next().expect("one chunk a missing range");
                let len = (range.end - range.start) as usize;
                *slot = Some(bytes[..len.min(bytes.len())].to_vec());
                state.insert(chunk.start, bytes, self.max_bytes);
            }
        }
        Ok(found.into_iter().flatten().collect())
    }
}
