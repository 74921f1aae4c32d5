//! Uploaded files as the browser sees them: what kind, how big, where to fetch them.

use crate::text_enum::TextEnum;
use serde::{Deserialize, Serialize};

use crate::ids::{FileId, UploadId};

/// What a file is, decided from its content (never its name or the browser's word).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FileKind {
    Image,
    Document,
    Video,
}

impl FileKind {
    /// The largest file of this kind accepted, in bytes.
    pub fn max_bytes(self) -> u64 {
        match self {
            FileKind::Image => 20 << 20,
            FileKind::Document => 25 << 20,
            FileKind::Video => 512 << 20,
        }
    }
}

/// Who may read a file. Staff (reviewers, admins) may read every file; a signed link
/// lets anyone holding it read one file until it expires.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FileAccess {
    /// Anyone, cached by browsers and proxies (product pictures).
    Public,
    /// The owner and staff only (verification documents).
    #[default]
    Private,
}

/// The two thumbnail sizes made of every image.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ThumbnailSize {
    /// Fits 320×320: lists and cards.
    Small,
    /// Fits 1024×1024: galleries.
    Large,
}

impl ThumbnailSize {
    /// The longest side, in pixels.
    pub fn bound(self) -> u32 {
        match self {
            ThumbnailSize::Small => 320,
            ThumbnailSize::Large => 1024,
        }
    }
}

/// A stored file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub id: FileId,
    pub kind: FileKind,
    pub content_type: String,
    /// The name it was uploaded under, for display and downloads.
    pub name: String,
    pub size_bytes: u64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub access: FileAccess,
}

impl FileInfo {
    /// Where the browser fetches the file (private files need a session or a signed link).
    pub fn url(&self) -> String {
        file_url(self.id)
    }

    /// A thumbnail's address, for images.
    pub fn thumbnail_url(&self, size: ThumbnailSize) -> Option<String> {
        (self.kind == FileKind::Image).then(|| thumbnail_url(self.id, size))
    }
}

pub fn file_url(id: FileId) -> String {
    format!("/files/{id}")
}

pub fn thumbnail_url(id: FileId, size: ThumbnailSize) -> String {
    format!("/files/{id}/{}.webp", size.as_str())
}

/// The answer to starting a chunked upload, and to asking where one stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadStatus {
    pub id: UploadId,
    pub chunk_size: u32,
    pub chunks: u32,
    /// The chunk numbers already received; the rest are to be sent (in any order).
    pub received: Vec<u32>,
}

impl UploadStatus {
    /// The chunks still to send, in order.
    pub fn chunks_to_send(&self) -> Vec<u32> {
        (0..self.chunks).filter(|i| !self.received.contains(i)).collect()
    }
}

/// Bytes shown as people read them: `512 B`, `3.4 MB`.
/// What an account stores in files, against what it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StorageUse {
    pub used_bytes: u64,
    pub quota_bytes: u64,
}

pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if value < 10.0 { format!("{value:.1} {}", UNITS[unit]) } else { format!("{value:.0} {}", UNITS[unit]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(3_400_000), "3.4 MB");
        assert_eq!(human_size(25 << 20), "26 MB");
    }
}
