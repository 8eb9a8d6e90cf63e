//! Writing a recording to object storage while it is recorded: a multipart
//! upload, crash-safe part by part.
//!
//! [`MultipartSink`] is an [`std::io::Write`] for [`tdpr::Writer`]: bytes
//! gather into parts of `part_size` (at least 5 MiB, as S3 requires and as
//! Teleport's own uploader does); each full part is uploaded at once, and
//! after it the upload's *journal*, a small object beside the recording
//! (`KEY.upload.json`), lists the parts uploaded so far. `finish` uploads
//! the last, shorter part, completes the upload and deletes the journal.
//!
//! A recorder that dies leaves its uploaded parts and the journal. The
//! parts are a prefix of the recording, cut wherever a part ended: every
//! record in them is whole but the last, which [`tdpr::recover`] drops
//! before writing an index. [`complete_interrupted`] completes such an
//! upload from its journal (`tdpr recover s3://bucket/KEY OUT` does it
//! first), so nothing uploaded is lost; what the recorder had not yet
//! uploaded (less than a part) is.
//!
//! A part is uploaded when it is full, not when the recorder flushes:
//! stores refuse parts under 5 MiB but the last. `flush` therefore only
//! reports errors of earlier parts.

use std::io;
use std::sync::Arc;

use object_store::multipart::{MultipartStore, PartId};
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::location::Location;
use crate::runtime::block_on;

/// The smallest part S3 accepts (but for the last).
pub const MIN_PART_SIZE: usize = 5 << 20;

/// What the journal beside an upload holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Journal {
    /// The store's id of the multipart upload.
    pub upload_id: String,
    /// The size of every part but the last.
    pub part_size: u64,
    /// The parts uploaded, in order: the store's id of each.
    pub parts: Vec<String>,
}

/// The journal's location for the recording at `location`.
pub fn journal_location(location: &Location) -> Location {
    location.sibling(".upload.json")
}

/// A recording streamed to an object as a multipart upload.
pub struct MultipartSink {
    location: Location,
    journal_location: Location,
    objects: Arc<dyn ObjectStore>,
    multipart: Arc<dyn MultipartStore>,
    journal: Journal,
    buffer: Vec<u8>,
    part_ids: Vec<PartId>,
    /// The first error; every later call returns it.
    failed: Option<String>,
}

impl std::fmt::Debug for MultipartSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MultipartSink")
            .field("url", &self.location.url())
            .field("journal", &self.journal)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl MultipartSink {
    /// Starts a multipart upload to `location` with parts of `part_size`
    /// bytes (at least [`MIN_PART_SIZE`]), and writes its journal.
    pub fn create(location: &Location, part_size: usize) -> Result<Self, StoreError> {
        let url = location.url();
        if part_size < MIN_PART_SIZE {
            return Err(StoreError::unexpected(
                url,
                format!("parts of {part_size} bytes: stores need at least {MIN_PART_SIZE}"),
            ));
        }
        let stores = location.stores()?;
        let multipart = stores
            .multipart
            .ok_or_else(|| StoreError::unexpected(url, "this store takes no multipart uploads"))?;
        let id = block_on(multipart.create_multipart(location.path()))
            .map_err(|e| StoreError::store(url, e))?;
        let sink = MultipartSink {
            location: location.clone(),
            journal_location: journal_location(location),
            objects: stores.objects,
            multipart,
            journal: Journal {
                upload_id: id,
                part_size: part_size as u64,
                parts: Vec::new(),
            },
            buffer: Vec::with_capacity(part_size),
            part_ids: Vec::new(),
            failed: None,
        };
        sink.write_journal()?;
        Ok(sink)
    }

    /// The store's id of the upload.
    pub fn upload_id(&self) -> &str {
        &self.journal.upload_id
    }

    /// Bytes in parts uploaded so far.
    pub fn uploaded_bytes(&self) -> u64 {
        self.journal.part_size * self.part_ids.len() as u64
    }

    fn part_size(&self) -> usize {
        self.journal.part_size as usize
    }

    fn write_journal(&self) -> Result<(), StoreError> {
        let text = serde_json::to_vec_pretty(&self.journal).expect("a journal serializes");
        block_on(
            self.objects
                .put(self.journal_location.path(), PutPayload::from(text)),
        )
        .map(drop)
        .map_err(|e| StoreError::store(self.journal_location.url(), e))
    }

    /// Uploads the buffer as the next part and notes it in the journal.
    fn upload_part(&mut self) -> Result<(), StoreError> {
        let part_size = self.part_size();
        let part = std::mem::replace(&mut self.buffer, Vec::with_capacity(part_size));
        let id = block_on(self.multipart.put_part(
            self.location.path(),
            &self.journal.upload_id,
            self.part_ids.len(),
            PutPayload::from(part),
        ))
        .map_err(|e| StoreError::store(self.location.url(), e))?;
        self.journal.parts.push(id.content_id.clone());
        self.part_ids.push(id);
        self.write_journal()
    }

    fn check(&self) -> io::Result<()> {
        match &self.failed {
            Some(message) => Err(io::Error::other(message.clone())),
            None => Ok(()),
        }
    }

    /// Uploads what is left as the last part, completes the upload (the
    /// object then holds the whole recording) and deletes the journal.
    /// Returns the object's size.
    pub fn finish(mut self) -> Result<u64, StoreError> {
        if let Some(message) = &self.failed {
            return Err(StoreError::unexpected(self.location.url(), message.clone()));
        }
        let size = self.uploaded_bytes() + self.buffer.len() as u64;
        if !self.buffer.is_empty() || self.part_ids.is_empty() {
            self.upload_part()?;
        }
        let url = self.location.url().to_string();
        block_on(self.multipart.complete_multipart(
            self.location.path(),
            &self.journal.upload_id,
            std::mem::take(&mut self.part_ids),
        ))
        .map_err(|e| StoreError::store(&url, e))?;
        block_on(self.objects.delete(self.journal_location.path()))
            .map_err(|e| StoreError::store(self.journal_location.url(), e))?;
        Ok(size)
    }

    /// Abandons the upload: the store drops its parts, and the journal is
    /// deleted.
    pub fn abort(self) -> Result<(), StoreError> {
        block_on(
            self.multipart
                .abort_multipart(self.location.path(), &self.journal.upload_id),
        )
        .map_err(|e| StoreError::store(self.location.url(), e))?;
        block_on(self.objects.delete(self.journal_location.path()))
            .map_err(|e| StoreError::store(self.journal_location.url(), e))
    }
}

impl io::Write for MultipartSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.check()?;
        let room = self.part_size() - self.buffer.len();
        let taken = room.min(buf.len());
        self.buffer.extend_from_slice(&buf[..taken]);
        if self.buffer.len() == self.part_size() {
            if let Err(e) = self.upload_part() {
                self.failed = Some(e.to_string());
                return Err(e.into());
            }
        }
        Ok(taken)
    }

    /// Reports an earlier part's failure; uploads nothing (see the module's
    /// documentation).
    fn flush(&mut self) -> io::Result<()> {
        self.check()
    }
}

/// Completes the upload that the journal beside `location` describes, with
/// the parts it lists: the object then holds every byte a recorder that
/// died had uploaded. `None` when there is no journal.
pub fn complete_interrupted(location: &Location) -> Result<Option<Journal>, StoreError> {
    let journal_location = journal_location(location);
    let stores = location.stores()?;
    let text = match block_on(async {
        stores
            .objects
            .get(journal_location.path())
            .await?
            .bytes()
            .await
    }) {
        Ok(text) => text,
        Err(object_store::Error::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(StoreError::store(journal_location.url(), e)),
    };
    let journal: Journal = serde_json::from_slice(&text).map_err(|e| {
        StoreError::unexpected(
            journal_location.url(),
            format!("not an upload journal: {e}"),
        )
    })?;
    let multipart = stores.multipart.ok_or_else(|| {
        StoreError::unexpected(location.url(), "this store takes no multipart uploads")
    })?;
    if journal.parts.is_empty() {
        return Err(StoreError::unexpected(
            location.url(),
            format!(
                "upload {} has no part: the recorder stopped before it had {} bytes",
                journal.upload_id, journal.part_size
            ),
        ));
    }
    let parts = journal
        .parts
        .iter()
        .map(|content_id| PartId {
            content_id: content_id.clone(),
        })
        .collect();
    block_on(multipart.complete_multipart(location.path(), &journal.upload_id, parts))
        .map_err(|e| StoreError::store(location.url(), e))?;
    block_on(stores.objects.delete(journal_location.path()))
        .map_err(|e| StoreError::store(journal_location.url(), e))?;
    Ok(Some(journal))
}
