//! Reading uploaded pictures: their size, and two WebP thumbnails. Decoding is bounded
//! so a small file that claims to be enormous (a decompression bomb) is refused.

use image::{DynamicImage, ImageReader, Limits};
use types::files::ThumbnailSize;

/// No side longer than this is accepted (a 100-megapixel camera is ~12,000 wide).
const MAX_SIDE: u32 = 16_384;
/// Memory the decoder may use for one picture.
const MAX_DECODE_BYTES: u64 = 512 << 20;
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

/// Decodes the picture and makes its thumbnails; `None` when it is not a whole,
/// decodable picture. CPU-bound: call from a blocking thread.
pub fn process(bytes: &[u8]) -> Option<Processed> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    let (width, height) = (image.width(), image.height());
    if width == 0 || height == 0 {
        return None;
    }
    let thumbnails = ThumbnailSize::ALL.into_iter().map(|size| thumbnail(&image, size)).collect();
    Some(Processed { width, height, thumbnails })
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
        assert!(process(&whole[..whole.len() / 2]).is_none());
    }
}
