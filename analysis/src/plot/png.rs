//! A minimal PNG encoder for 8-bit RGB buffers.
//!
//! plotters' own encoder pulls in the `image` crate, which would dominate this crate's compile
//! time inside notebooks; the deflate and CRC32 we need are already here through `flate2`.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::{Compression, Crc};

/// Encodes `rgb` (row-major, 3 bytes per pixel) as a PNG file.
///
/// # Panics
/// If `rgb.len() != width * height * 3` (an internal invariant of the plot renderer).
pub fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> Vec<u8> {
    let row = width as usize * 3;
    assert_eq!(rgb.len(), row * height as usize, "RGB buffer size mismatch");
    let mut png = Vec::with_capacity(rgb.len() / 8 + 1024);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    let mut z = ZlibEncoder::new(Vec::new(), Compression::new(6));
    let mut line = vec![0u8; row + 1];
    for (y, pixels) in rgb.chunks_exact(row).enumerate() {
        // Filter "Up" (2) turns the large flat areas of a plot into zeros that deflate well.
        line[0] = 2;
        for (x, out) in line[1..].iter_mut().enumerate() {
            let above = if y == 0 { 0 } else { rgb[(y - 1) * row + x] };
            *out = pixels[x].wrapping_sub(above);
        }
        // Writing into a Vec cannot fail.
        let _ = z.write_all(&line);
    }
    let idat = z.finish().unwrap_or_default();
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_structure() {
        let png = encode_rgb(2, 2, &[255; 12]);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(&png[12..16], b"IHDR");
        assert!(png.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]));
    }
}
