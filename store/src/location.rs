//! Where a recording is: a URL, and the object store it names.
//!
//! `s3://bucket/key`, `gs://bucket/key`, `az://container/key` (and the other
//! forms `object_store` knows), `https://host/path` and `file:///path`.
//! Credentials and endpoints come from the environment as `object_store`'s
//! builders read it (`AWS_*`, `GOOGLE_*`, `AZURE_*`: keys, profiles of the
//! instance or container, `AWS_ENDPOINT` for an S3-compatible server); how
//! often a failed request is tried again from `TDPR_STORE_RETRIES` (default
//! 10, as `object_store`) within `TDPR_STORE_RETRY_SECONDS` (default 180).

use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::http::HttpBuilder;
use object_store::local::LocalFileSystem;
use object_store::multipart::MultipartStore;
use object_store::path::Path;
use object_store::{ClientOptions, ObjectStore, ObjectStoreScheme, RetryConfig};
use url::Url;

use crate::error::StoreError;

/// A recording's URL, parsed: which store, which object.
#[derive(Debug, Clone)]
pub struct Location {
    url: Url,
    scheme: ObjectStoreScheme,
    path: Path,
}

/// The stores a location needs: one to read and write whole objects, and
/// the same store's multipart uploads where it has them.
#[derive(Clone)]
pub(crate) struct Stores {
    pub objects: Arc<dyn ObjectStore>,
    pub multipart: Option<Arc<dyn MultipartStore>>,
}

impl Location {
    /// The location `text` names, when it is a URL of a scheme this crate
    /// reads (`None` for anything else: a local path, `-`).
    pub fn parse(text: &str) -> Option<Result<Self, StoreError>> {
        let (scheme, _) = text.split_once("://")?;
        let known = [
            "s3", "s3a", "gs", "az", "adl", "azure", "abfs", "abfss", "http", "https", "file",
        ];
        if !known.contains(&scheme.to_ascii_lowercase().as_str()) {
            return None;
        }
        Some(Self::from_url(text))
    }

    fn from_url(text: &str) -> Result<Self, StoreError> {
        let invalid = |detail: String| StoreError::InvalidUrl {
            url: text.to_string(),
            detail,
        };
        let url = Url::parse(text).map_err(|e| invalid(e.to_string()))?;
        let (scheme, path) = ObjectStoreScheme::parse(&url).map_err(|e| invalid(e.to_string()))?;
        if path.as_ref().is_empty() {
            return Err(invalid("the URL names no object".into()));
        }
        Ok(Location { url, scheme, path })
    }

    /// The URL, as given.
    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    /// The object's path in its store.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The location of the object at `path` in the same store (a sibling:
    /// an upload's journal).
    pub fn sibling(&self, suffix: &str) -> Location {
        let mut url = self.url.clone();
        url.set_path(&format!("{}{suffix}", self.url.path()));
        Location {
            path: Path::from(format!("{}{suffix}", self.path.as_ref())),
            url,
            scheme: self.scheme.clone(),
        }
    }

    /// Builds the store, reading credentials and settings from the
    /// environment.
    pub(crate) fn stores(&self) -> Result<Stores, StoreError> {
        let retry = retry_config();
        let url = self.url.as_str();
        let failed = |e: object_store::Error| StoreError::Store {
            url: url.to_string(),
            source: e,
        };
        let (objects, multipart): (Arc<dyn ObjectStore>, Option<Arc<dyn MultipartStore>>) =
            match &self.scheme {
                ObjectStoreScheme::AmazonS3 => {
                    let s3 = Arc::new(
                        AmazonS3Builder::from_env()
                            .with_url(url)
                            .with_retry(retry)
                            .build()
                            .map_err(failed)?,
                    );
                    (s3.clone(), Some(s3))
                }
                ObjectStoreScheme::GoogleCloudStorage => {
                    let gcs = Arc::new(
                        GoogleCloudStorageBuilder::from_env()
                            .with_url(url)
                            .with_retry(retry)
                            .build()
                            .map_err(failed)?,
                    );
                    (gcs.clone(), Some(gcs))
                }
                ObjectStoreScheme::MicrosoftAzure => {
                    let azure = Arc::new(
                        MicrosoftAzureBuilder::from_env()
                            .with_url(url)
                            .with_retry(retry)
                            .build()
                            .map_err(failed)?,
                    );
                    (azure.clone(), Some(azure))
                }
                ObjectStoreScheme::Http => (
                    Arc::new(
                        HttpBuilder::new()
                            .with_url(&self.url[..url::Position::BeforePath])
                            .with_retry(retry)
                            // A URL that says http:// asks for it.
                            .with_client_options(
                                ClientOptions::new().with_allow_http(self.url.scheme() == "http"),
                            )
                            .build()
                            .map_err(failed)?,
                    ),
                    None,
                ),
                ObjectStoreScheme::Local => (Arc::new(LocalFileSystem::new()), None),
                other => {
                    return Err(StoreError::InvalidUrl {
                        url: url.to_string(),
                        detail: format!("{other:?} is not a store for recordings"),
                    })
                }
            };
        Ok(Stores { objects, multipart })
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.url.as_str())
    }
}

/// `object_store`'s retry policy, bounded by `TDPR_STORE_RETRIES` and
/// `TDPR_STORE_RETRY_SECONDS` when they are set.
fn retry_config() -> RetryConfig {
    let mut retry = RetryConfig::default();
    if let Some(retries) = env_number("TDPR_STORE_RETRIES") {
        retry.max_retries = retries as usize;
    }
    if let Some(seconds) = env_number("TDPR_STORE_RETRY_SECONDS") {
        retry.retry_timeout = Duration::from_secs(seconds);
    }
    retry
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}
