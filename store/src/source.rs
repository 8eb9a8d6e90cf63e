//! An object in a store as a [`tdpr::RangeSource`], and as a stream.
//!
//! Opening sends its two requests at once: the first bytes, and a suffix
//! range whose answer gives the object's size. The object's ETag from those
//! answers goes with every later request (`If-Match`), so that an object
//! replaced while it is read fails with a clear error instead of mixing two
//! recordings. Ranges a reader asks for together are merged when they are
//! close and fetched at once. Every answer is checked to be exactly the
//! range asked for. The requests made and the bytes received are counted.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use object_store::{GetOptions, GetRange, GetResult, ObjectMeta, ObjectStore, ObjectStoreExt};
use tdpr::read::Ends;
use tdpr::RangeSource;

use crate::error::StoreError;
use crate::location::Location;
use crate::runtime::block_on;

/// Ranges closer than this are fetched as one.
const COALESCE_GAP: u64 = 64 << 10;
/// Requests sent at once for one call.
const CONCURRENT_REQUESTS: usize = 8;

/// What a source has transferred.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transfer {
    /// Requests sent.
    pub requests: u64,
    /// Bytes of object data received.
    pub bytes: u64,
}

/// A recording object, read by range or as a stream. Clones share the
/// ETag and the counts.
#[derive(Debug, Clone)]
pub struct ObjectSource {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    location: Location,
    store: Arc<dyn ObjectStore>,
    /// The object's ETag, once an answer has given it.
    etag: Mutex<Option<String>>,
    requests: AtomicU64,
    bytes: AtomicU64,
}

impl ObjectSource {
    /// The object at `location`; nothing is requested yet.
    pub fn new(location: &Location) -> Result<Self, StoreError> {
        Ok(ObjectSource {
            shared: Arc::new(Shared {
                store: location.stores()?.objects,
                location: location.clone(),
                etag: Mutex::new(None),
                requests: AtomicU64::new(0),
                bytes: AtomicU64::new(0),
            }),
        })
    }

    /// The object's location.
    pub fn location(&self) -> &Location {
        &self.shared.location
    }

    /// Requests made and bytes received so far.
    pub fn transfer(&self) -> Transfer {
        Transfer {
            requests: self.shared.requests.load(Ordering::Relaxed),
            bytes: self.shared.bytes.load(Ordering::Relaxed),
        }
    }

    fn error(&self, e: object_store::Error) -> StoreError {
        StoreError::store(self.shared.location.url(), e)
    }

    fn unexpected(&self, detail: impl Into<String>) -> StoreError {
        StoreError::unexpected(self.shared.location.url(), detail)
    }

    /// Sends one GET for `range` (the whole object when `None`), with the
    /// ETag known so far as a precondition, and notes the answer's ETag.
    async fn get(&self, range: Option<GetRange>) -> Result<GetResult, StoreError> {
        let if_match = self.shared.etag.lock().expect("not poisoned").clone();
        self.shared.requests.fetch_add(1, Ordering::Relaxed);
        let result = self
            .shared
            .store
            .get_opts(
                self.shared.location.path(),
                GetOptions {
                    if_match,
                    range,
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| self.error(e))?;
        self.note_etag(&result.meta)?;
        Ok(result)
    }

    /// Keeps the first ETag seen; a different one later means the object
    /// was replaced (a store that ignores `If-Match` is caught here).
    fn note_etag(&self, meta: &ObjectMeta) -> Result<(), StoreError> {
        let mut known = self.shared.etag.lock().expect("not poisoned");
        match (&*known, &meta.e_tag) {
            (Some(old), Some(new)) if old != new => Err(self.unexpected(format!(
                "the object changed while it was read: its ETag was {old}, it is now {new}"
            ))),
            (None, Some(new)) => {
                *known = Some(new.clone());
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The bytes of `range` of the object, checked to be exactly those.
    async fn get_range(&self, range: Range<u64>) -> Result<Bytes, StoreError> {
        let result = self.get(Some(GetRange::Bounded(range.clone()))).await?;
        let got = result.range.clone();
        let bytes = result.bytes().await.map_err(|e| self.error(e))?;
        self.shared
            .bytes
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if got != range || bytes.len() as u64 != range.end - range.start {
            return Err(self.unexpected(format!(
                "asked for bytes {}..{}, the store answered {} bytes for {}..{}",
                range.start,
                range.end,
                bytes.len(),
                got.start,
                got.end
            )));
        }
        Ok(bytes)
    }

    /// The whole object as a stream, from one GET: its size, and a reader.
    pub fn stream(&self) -> Result<(u64, ObjectReader), StoreError> {
        let result = block_on(self.get(None))?;
        let size = result.meta.size;
        Ok((
            size,
            ObjectReader {
                source: self.clone(),
                stream: result.into_stream(),
                chunk: Bytes::new(),
                received: 0,
                size,
            },
        ))
    }

    async fn read_ends_async(&self, head: u64, tail: u64) -> Result<Ends, StoreError> {
        let head_request = async {
            let result = self.get(Some(GetRange::Bounded(0..head.max(1)))).await?;
            let got = result.range.clone();
            let bytes = result.bytes().await.map_err(|e| self.error(e))?;
            Ok::<_, StoreError>((got, bytes))
        };
        let tail_request = async {
            let result = self.get(Some(GetRange::Suffix(tail.max(1)))).await?;
            let (got, size) = (result.range.clone(), result.meta.size);
            let bytes = result.bytes().await.map_err(|e| self.error(e))?;
            Ok::<_, StoreError>((got, size, bytes))
        };
        let (head_answer, tail_answer) = futures::join!(head_request, tail_request);
        let ((head_range, head_bytes), (tail_range, size, tail_bytes)) =
            match (head_answer, tail_answer) {
                (Ok(h), Ok(t)) => (h, t),
                (Err(e), _) | (_, Err(e)) => return self.empty_or(e).await,
            };
        self.shared.bytes.fetch_add(
            (head_bytes.len() + tail_bytes.len()) as u64,
            Ordering::Relaxed,
        );
        // A range of 0 bytes cannot be asked for: 1 byte is, then dropped.
        let head_len = head.max(1).min(size);
        let tail_len = tail.max(1).min(size);
        if head_range != (0..head_len) || head_bytes.len() as u64 != head_len {
            return Err(self.unexpected(format!(
                "asked for its first {head_len} bytes, the store answered {} bytes for {}..{}",
                head_bytes.len(),
                head_range.start,
                head_range.end
            )));
        }
        if tail_range != (size - tail_len..size) || tail_bytes.len() as u64 != tail_len {
            return Err(self.unexpected(format!(
                "asked for its last {tail_len} bytes of {size}, the store answered {} bytes for {}..{}",
                tail_bytes.len(),
                tail_range.start,
                tail_range.end
            )));
        }
        let kept_tail = tail.min(size) as usize;
        Ok(Ends {
            size,
            head: head_bytes.slice(..head.min(size) as usize).into(),
            tail: tail_bytes.slice(tail_bytes.len() - kept_tail..).into(),
        })
    }

    /// Ranges of an empty object are refused: when the object is empty,
    /// its ends are; otherwise the error stands.
    async fn empty_or(&self, error: StoreError) -> Result<Ends, StoreError> {
        if error.is_not_found() {
            return Err(error);
        }
        self.shared.requests.fetch_add(1, Ordering::Relaxed);
        match self.shared.store.head(self.shared.location.path()).await {
            Ok(meta) if meta.size == 0 => Ok(Ends {
                size: 0,
                head: Vec::new(),
                tail: Vec::new(),
            }),
            _ => Err(error),
        }
    }
}

impl RangeSource for ObjectSource {
    fn read_ends(&self, head: u64, tail: u64) -> io::Result<Ends> {
        Ok(block_on(self.read_ends_async(head, tail))?)
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Vec<u8>>> {
        let fetches = coalesce(ranges);
        let fetched: Vec<Bytes> = block_on(
            futures::stream::iter(fetches.iter().cloned().map(|r| self.get_range(r)))
                .buffered(CONCURRENT_REQUESTS)
                .try_collect(),
        )?;
        Ok(ranges
            .iter()
            .map(|r| {
                if r.end <= r.start {
                    return Vec::new();
                }
                let i = fetches
                    .iter()
                    .position(|f| f.start <= r.start && r.end <= f.end)
                    .expect("every range is inside a fetch");
                let at = (r.start - fetches[i].start) as usize;
                fetched[i][at..at + (r.end - r.start) as usize].to_vec()
            })
            .collect())
    }
}

/// The ranges to fetch for `ranges`: sorted, those closer than
/// [`COALESCE_GAP`] merged, empty ones dropped.
fn coalesce(ranges: &[Range<u64>]) -> Vec<Range<u64>> {
    let mut sorted: Vec<Range<u64>> = ranges.iter().filter(|r| r.end > r.start).cloned().collect();
    sorted.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<u64>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match merged.last_mut() {
            Some(last) if r.start <= last.end.saturating_add(COALESCE_GAP) => {
                last.end = last.end.max(r.end)
            }
            _ => merged.push(r),
        }
    }
    merged
}

/// The whole object, read as one stream of bytes (one GET), for a pass
/// over every record.
pub struct ObjectReader {
    source: ObjectSource,
    stream: BoxStream<'static, object_store::Result<Bytes>>,
    chunk: Bytes,
    received: u64,
    size: u64,
}

impl std::fmt::Debug for ObjectReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectReader")
            .field("url", &self.source.shared.location.url())
            .field("received", &self.received)
            .field("size", &self.size)
            .finish()
    }
}

impl io::Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.chunk.is_empty() {
            match block_on(self.stream.next()) {
                Some(Ok(chunk)) => {
                    self.received += chunk.len() as u64;
                    self.source
                        .shared
                        .bytes
                        .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    self.chunk = chunk;
                }
                Some(Err(e)) => return Err(self.source.error(e).into()),
                None if self.received != self.size => {
                    return Err(self
                        .source
                        .unexpected(format!(
                            "the object is {} bytes, the store sent {}",
                            self.size, self.received
                        ))
                        .into())
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk[..n]);
        let _ = self.chunk.split_to(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::coalesce;

    #[test]
    fn close_ranges_merge_and_far_ones_do_not() {
        assert_eq!(coalesce(&[100..200, 0..10, 300..400]), vec![0..400]);
        assert_eq!(
            coalesce(&[0..10, 1_000_000..1_000_010]),
            vec![0..10, 1_000_000..1_000_010]
        );
        assert_eq!(coalesce(&[5..5, 9..9]), vec![]);
    }
}
