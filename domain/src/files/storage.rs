//! Where file bytes live: one interface (object_store's) over a local directory by
//! default or S3-compatible storage by configuration. Keys are made from ids only.

use std::sync::Arc;
use types::TextEnum;

use anyhow::Context;
use bytes::Bytes;
use futures::stream::BoxStream;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, local::LocalFileSystem, path::Path, prefix::PrefixStore};
use types::{
    files::ThumbnailSize,
    ids::{FileId, UploadId},
};

/// The object store and where it points (for the start-up log; no credentials).
#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    location: String,
}

impl Storage {
    /// Opens `location`: `s3://bucket/prefix`, with credentials, region and endpoint
    /// from `options` (the standard `AWS_*` variables, as the AWS tools name them), or a
    /// local directory, created if missing.
    pub fn open<'a>(location: &str, options: impl IntoIterator<Item = (&'a str, &'a str)>) -> anyhow::Result<Storage> {
        let store: Arc<dyn ObjectStore> = if let Some(path) = location.strip_prefix("s3://") {
            crate::crypto::use_ring_for_tls();
            let mut builder = object_store::aws::AmazonS3Builder::new().with_url(location);
            for (name, value) in options {
                if let Ok(key) = name.to_ascii_lowercase().parse() {
                    builder = builder.with_config(key, value);
                }
            }
            let s3 = builder.build().with_context(|| format!("opening object storage at {location}"))?;
            // The client takes only the bucket from the URL; the rest is a prefix of ours.
            match path.split_once('/').map(|(_, prefix)| prefix.trim_matches('/')) {
                Some(prefix) if !prefix.is_empty() => Arc::new(PrefixStore::new(s3, prefix)),
                _ => Arc::new(s3),
            }
        } else {
            let dir = location.strip_prefix("file://").unwrap_or(location);
            std::fs::create_dir_all(dir).with_context(|| format!("creating the file directory {dir}"))?;
            Arc::new(LocalFileSystem::new_with_prefix(dir).with_context(|| format!("opening {dir}"))?)
        };
        Ok(Storage { store, location: location.to_owned() })
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn store(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    pub async fn put(&self, key: &Path, bytes: Bytes) -> anyhow::Result<()> {
        self.store.put(key, PutPayload::from(bytes)).await.with_context(|| format!("writing {key}"))?;
        Ok(())
    }

    pub async fn read(&self, key: &Path) -> anyhow::Result<Bytes> {
        Ok(self.store.get(key).await.with_context(|| format!("opening {key}"))?.bytes().await?)
    }

    /// The object (or the bytes `part` of it) as a stream of chunks, for sending
    /// without holding it in memory.
    pub async fn stream(
        &self,
        key: &Path,
        part: Option<std::ops::Range<u64>>,
    ) -> anyhow::Result<BoxStream<'static, object_store::Result<Bytes>>> {
        let options =
            object_store::GetOptions { range: part.map(object_store::GetRange::Bounded), ..Default::default() };
        Ok(self.store.get_opts(key, options).await.with_context(|| format!("opening {key}"))?.into_stream())
    }

    /// Deletes objects, ignoring ones already gone; failures are logged, not raised,
    /// because this runs while cleaning up after another error.
    pub async fn delete_all(&self, keys: &[Path]) {
        for key in keys {
            match self.store.delete(key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => tracing::warn!(key = %key, error = %e, "deleting a stored object failed"),
            }
        }
    }
}

/// Copies every object of `from` into `to`, streaming each (a backup, or a restore
/// from one): how many objects and bytes. Objects already in `to` are overwritten.
pub async fn copy_all(from: &Storage, to: &Storage) -> anyhow::Result<(usize, u64)> {
    use futures::{StreamExt, TryStreamExt};
    use object_store::WriteMultipart;
    let mut listing = from.store.list(None);
    let (mut objects, mut bytes) = (0, 0);
    while let Some(meta) = listing.try_next().await.context("listing the objects to copy")? {
        let mut body = from.stream(&meta.location, None).await?;
        let mut writer = WriteMultipart::new(to.store.put_multipart(&meta.location).await?);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.with_context(|| format!("reading {}", meta.location))?;
            bytes += chunk.len() as u64;
            writer.wait_for_capacity(4).await?;
            writer.put(chunk);
        }
        writer.finish().await.with_context(|| format!("writing {}", meta.location))?;
        objects += 1;
    }
    Ok((objects, bytes))
}

/// Storage keys, the one place they are spelled.
pub mod keys {
    use super::*;

    pub fn original(id: FileId) -> Path {
        Path::from(format!("files/{id}/original"))
    }

    pub fn thumbnail(id: FileId, size: ThumbnailSize) -> Path {
        Path::from(format!("files/{id}/{}.webp", size.as_str()))
    }

    /// Every object of a file.
    pub fn all(id: FileId) -> Vec<Path> {
        let mut keys = vec![original(id)];
        keys.extend(ThumbnailSize::ALL.iter().map(|&s| thumbnail(id, s)));
        keys
    }

    pub fn chunk(upload: UploadId, index: u32) -> Path {
        Path::from(format!("uploads/{upload}/{index:06}"))
    }
}
