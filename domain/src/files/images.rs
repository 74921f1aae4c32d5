//! Reading uploaded pictures: their size, and two WebP thumbnails. Decoding is bounded
//! so a small file that claims to be enormous (a decompression bomb) is refused from
//! its header, before anything is allocated for it, and pictures are decoded a few at
//! a time, so many at once cannot add up to more memory than the server has.

use std::sync::LazyLock;
use types::TextEnum;

use image::{DynamicImage, ImageReader, Limits};
use types::files::ThumbnailSize;

/// What a product photo needs: 25 megapixels (6,000 × 4,000 is 24), no side over 12,000.
pub const MAX_PIXELS: u64 = 25_000_000;
const MAX_SIDE: u32 = 12_000;
/// Memory the decoder may use for one picture: the largest allowed, as 8-bit RGBA.
const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 4 + (16 << 20);
/// Pictures decoded at once, one per core: each may hold `MAX_DECODE_BYTES` and the
/// work is CPU-bound anyway.
static DECODES: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
});
/// WebP quality for thumbnails: visually clean at a fraction of the size.
const WEBP_QUALITY: f32 = 80.0;

pub struct Thumbnail {
    pub size: ThumbnailSize,
    pub width: u32,
    pub height: u32,
    pub webp: Vec<u8>,
}

pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub thumbnails: Vec<Thumbnail>,
}

/// Why a picture was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not a whole, decodable picture.
    Broken,
    /// More pixels than a product photo needs (read from its header).
    TooLarge,
}

/// [`process`] on a blocking thread, once a decoding slot is free.
pub async fn process_bounded(bytes: Vec<u8>) -> Result<Processed, Refused> {
    let _slot = DECODES.acquire().await.map_err(|_| Refused::Broken)?;
    tokio::task::spawn_blocking(move || process(&bytes)).await.map_err(|_| Refused::Broken)?
}

/// Decodes the picture and makes its thumbnails. CPU-bound: call from a blocking thread.
pub fn process(bytes: &[u8]) -> Result<Processed, Refused> {
    let open = || ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|_| Refused::Broken);
    // The header says how large it is; nothing is allocated for the pixels yet.
    let (width, height) = open()?.into_dimensions().map_err(|_| Refused::Broken)?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Refused::TooLarge);
    }
    let mut reader = open()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| Refused::Broken)?;
    let (width, height) = (image.width(), image.height());
    if width == 0 || height == 0 {
        return Err(Refused::Broken);
    }
    let thumbnails = ThumbnailSize::ALL.iter().copied().map(|size| thumbnail(&image, size)).collect();
    Ok(Processed { width, height, thumbnails })
}

fn thumbnail(image: &DynamicImage, size: ThumbnailSize) -> Thumbnail {
    let bound = size.bound();
    // Never enlarge: a small picture's thumbnail is the picture, re-encoded.
    let scaled =
        if image.width() > bound || image.height() > bound { image.thumbnail(bound, bound) } else { image.clone() };
    let rgba = scaled.to_rgba8();
    let webp = webp::Encoder::from_rgba(rgba.as_raw(), rgba.width(), rgba.height()).encode(WEBP_QUALITY).to_vec();
    Thumbnail { size, width: rgba.width(), height: rgba.height(), webp }
}

#[cfg(test)]
mod tests {
    use image::{ImageFormat, RgbImage};

    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).expect("encode");
        out.into_inner()
    }

    #[test]
    fn pictures_get_their_size_read_and_two_webp_thumbnails() {
        let done = process(&png(2000, 1000)).expect("a picture");
        assert_eq!((done.width, done.height), (2000, 1000));
        let sizes: Vec<_> = done.thumbnails.iter().map(|t| (t.size, t.width, t.height)).collect();
        assert_eq!(sizes, vec![(ThumbnailSize::Small, 320, 160), (ThumbnailSize::Large, 1024, 512)]);
        for t in &done.thumbnails {
            assert!(t.webp.starts_with(b"RIFF") && &t.webp[8..12] == b"WEBP");
        }
    }

    #[test]
    fn small_pictures_are_not_enlarged() {
        let done = process(&png(200, 100)).expect("a picture");
        assert!(done.thumbnails.iter().all(|t| (t.width, t.height) == (200, 100)));
    }

    #[test]
    fn a_truncated_picture_is_refused() {
        let whole = png(300, 300);
        assert!(matches!(process(&whole[..whole.len() / 2]), Err(Refused::Broken)));
    }

    #[test]
    fn a_picture_wider_than_a_photo_needs_is_refused_from_its_header() {
        assert!(matches!(process(&png(MAX_SIDE + 1, 1)), Err(Refused::TooLarge)));
        assert!(process(&png(MAX_SIDE, 1)).is_ok());
    }
}
