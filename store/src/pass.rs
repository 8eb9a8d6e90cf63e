//! Reading a recording object whole, in one pass: validating it, dumping
//! its canonical JSON, copying it to a file.
//!
//! One GET streams the object. A small object (up to [`IN_MEMORY_LIMIT`])
//! is then checked in memory, exactly as a local file is: one request in
//! all. A larger one is opened as a validator opens a file (spec/format.md
//! 9.1: header, metadata, trailer, the index record whole; two or three
//! range requests, with the GET's ETag as a precondition) while the GET
//! waits ([`open_for_pass`]), then its records are read from the stream one
//! at a time, so memory stays that of one record whatever the object's
//! size.

use std::io::{self, Read, Write};
use std::thread;

use tdpr::json::EndJson;
use tdpr::read::OpenOptions;
use tdpr::{Census, IndexOptions, Limits, RangeCache, RangedRecording, Validation};

use crate::error::StoreError;
use crate::location::Location;
use crate::source::{ObjectSource, Transfer};

/// Objects up to this size are read into memory whole.
pub const IN_MEMORY_LIMIT: u64 = 64 << 20;

/// What a pass over an object found, and what it cost.
#[derive(Debug)]
pub struct Pass<T> {
    /// The verdict (a failed read of the stream is an `io` error in it).
    pub result: tdpr::Result<T>,
    /// Requests and bytes the pass took.
    pub transfer: Transfer,
}

/// Opens the object of `size` bytes that `source` holds as a validator
/// opens a file (spec 9.1: header, metadata, trailer, the index record
/// whole; two or three range requests, with the ETag of the GET already
/// sent as a precondition), for a pass over the records of that GET's
/// stream ([`ObjectSource::stream`], [`tdpr::Scan::from_reader`]).
///
/// Returns the object's first bytes as opening read them (up to 16 KiB:
/// the header, and what a file that is no recording starts with), and the
/// opening fault or the index parameters the pass rebuilds the index with.
/// [`validate_frames`] and [`write_canonical`] stream larger objects so; a
/// caller with a pass of its own (a progress bar, the container level
/// alone) does too.
pub fn open_for_pass(source: &ObjectSource, size: u64) -> (Vec<u8>, tdpr::Result<IndexOptions>) {
    let options = OpenOptions {
        whole_index: true,
        ..OpenOptions::default()
    };
    let cache = RangeCache::new(source, 0, 4 << 20);
    let opened = RangedRecording::open_with(&cache, Limits::default(), options)
        .map(|recording| recording.index_options().unwrap_or_default());
    // Cached by opening, when it got that far.
    let head = tdpr::RangeSource::read_range(&cache, 0..size.min(options.head)).unwrap_or_default();
    (head, opened)
}

/// Checks every byte of the recording at `location`, the container and the
/// TDP level (as [`tdpr::validate_frames`]).
pub fn validate_frames(location: &Location) -> Result<Pass<(Validation, Census)>, StoreError> {
    validate_frames_with(location, IN_MEMORY_LIMIT)
}

/// [`validate_frames`], reading objects up to `in_memory_limit` bytes into
/// memory (0: always streamed).
pub fn validate_frames_with(
    location: &Location,
    in_memory_limit: u64,
) -> Result<Pass<(Validation, Census)>, StoreError> {
    let source = ObjectSource::new(location)?;
    let (size, mut reader) = source.stream()?;
    let result = if size <= in_memory_limit {
        read_all(&mut reader, size).and_then(|bytes| tdpr::validate_frames(&bytes))
    } else {
        let (_, opened) = open_for_pass(&source, size);
        tdpr::validate_frames_from_reader(opened, reader, Limits::default())
    };
    Ok(Pass {
        result,
        transfer: source.transfer(),
    })
}

/// Writes the canonical JSON of the recording at `location` to `out` (as
/// [`tdpr::json::write_canonical`]); the verdict, or `out`'s failure.
pub fn write_canonical(
    location: &Location,
    out: impl Write,
) -> Result<Pass<io::Result<EndJson>>, StoreError> {
    write_canonical_with(location, out, IN_MEMORY_LIMIT)
}

/// [`write_canonical`], reading objects up to `in_memory_limit` bytes into
/// memory (0: always streamed).
pub fn write_canonical_with(
    location: &Location,
    out: impl Write,
    in_memory_limit: u64,
) -> Result<Pass<io::Result<EndJson>>, StoreError> {
    let source = ObjectSource::new(location)?;
    let (size, mut reader) = source.stream()?;
    let limits = Limits::default();
    let written = if size <= in_memory_limit {
        read_all(&mut reader, size).map(|bytes| tdpr::json::write_canonical(&bytes, limits, out))
    } else {
        let (head, opened) = open_for_pass(&source, size);
        Ok(tdpr::json::write_canonical_reader(
            &head, opened, reader, limits, out,
        ))
    };
    Ok(Pass {
        result: written,
        transfer: source.transfer(),
    })
}

/// Copies the object at `location` to `out`, in one GET; its size.
pub fn download(location: &Location, mut out: impl Write) -> Result<u64, StoreError> {
    let source = ObjectSource::new(location)?;
    let (_, mut reader) = source.stream()?;
    io::copy(&mut reader, &mut out)
        .map_err(|e| StoreError::unexpected(location.url(), format!("copying the object: {e}")))
}

fn read_all(reader: &mut impl Read, size: u64) -> tdpr::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(size as usize);
    reader.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Validates every recording of `locations` with at most `concurrency` at
/// once; the verdicts in the same order.
pub fn validate_many(
    locations: &[Location],
    concurrency: usize,
) -> Vec<Result<Pass<(Validation, Census)>, StoreError>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<_> = (0..locations.len())
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    thread::scope(|scope| {
        for _ in 0..concurrency.clamp(1, locations.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(location) = locations.get(i) else {
                    break;
                };
                *results[i].lock().expect("not poisoned") = Some(validate_frames(location));
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .expect("not poisoned")
                .expect("every slot filled")
        })
        .collect()
}
