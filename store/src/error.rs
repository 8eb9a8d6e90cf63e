//! The crate's error: what failed, always with the URL of the object.

use std::io;

/// A failure to reach, read or write an object.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The text is not a URL of an object this crate reads.
    #[error("{url}: not a recording URL: {detail}")]
    InvalidUrl {
        /// The URL.
        url: String,
        /// Why.
        detail: String,
    },
    /// The store answered with an error (after `object_store`'s retries).
    #[error("{url}: {}", describe(source))]
    Store {
        /// The URL.
        url: String,
        /// The store's error.
        source: object_store::Error,
    },
    /// The store answered, but not with what was asked.
    #[error("{url}: {detail}")]
    Unexpected {
        /// The URL.
        url: String,
        /// What was wrong.
        detail: String,
    },
}

impl StoreError {
    /// An answer that was not what was asked for.
    pub(crate) fn unexpected(url: &str, detail: impl Into<String>) -> Self {
        StoreError::Unexpected {
            url: url.to_string(),
            detail: detail.into(),
        }
    }

    /// The store's error for the object at `url`.
    pub(crate) fn store(url: &str, source: object_store::Error) -> Self {
        StoreError::Store {
            url: url.to_string(),
            source,
        }
    }

    /// True when the object does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            StoreError::Store {
                source: object_store::Error::NotFound { .. },
                ..
            }
        )
    }
}

/// The store's error in words a user acts on; `object_store`'s own text
/// follows.
fn describe(e: &object_store::Error) -> String {
    use object_store::Error as E;
    match e {
        E::NotFound { .. } => format!("no such object ({e})"),
        E::Precondition { .. } => {
            format!("the object changed while it was read: its ETag is not the one it had when it was opened ({e})")
        }
        E::PermissionDenied { .. } => format!("access denied ({e})"),
        E::Unauthenticated { .. } => format!("the credentials were refused ({e})"),
        _ => e.to_string(),
    }
}

impl From<StoreError> for io::Error {
    fn from(e: StoreError) -> Self {
        use object_store::Error as E;
        let kind = match &e {
            StoreError::InvalidUrl { .. } => io::ErrorKind::InvalidInput,
            StoreError::Store { source, .. } => match source {
                E::NotFound { .. } => io::ErrorKind::NotFound,
                E::PermissionDenied { .. } | E::Unauthenticated { .. } => {
                    io::ErrorKind::PermissionDenied
                }
                _ => io::ErrorKind::Other,
            },
            StoreError::Unexpected { .. } => io::ErrorKind::UnexpectedEof,
        };
        io::Error::new(kind, e)
    }
}

impl From<StoreError> for tdpr::Error {
    fn from(e: StoreError) -> Self {
        io::Error::from(e).into()
    }
}
