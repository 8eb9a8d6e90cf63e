//! The known images a synthetic session shows: a desktop with a window that
//! moves and text that grows, different at every frame, the same for the
//! same options.

use crate::RgbaImage;

/// The image shown at frame `frame` on a `width` × `height` screen.
pub fn scene(width: u32, height: u32, frame: u32, seed: u64) -> RgbaImage {
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 4);
    for y in 0..height {
        let shade = (40 + 120 * y / height.max(1)) as u8;
        for x in 0..width {
            let tint = ((x * 7 / width.max(1)) as u8).wrapping_mul(9);
            pixels.extend_from_slice(&[shade / 2, shade.wrapping_add(tint), 150, 255]);
        }
    }
    let mut image = RgbaImage {
        width,
        height,
        pixels,
    };
    // A window that slides right and down.
    let (win_w, win_h) = (width / 2, height / 2);
    let x = (frame * 23 + seed as u32 % 17) % (width - win_w).max(1);
    let y = (frame * 11) % (height - win_h).max(1);
    fill(&mut image, x, y, win_w, win_h, [236, 236, 236]);
    fill(&mut image, x, y, win_w, 18, [40, 90, 170]);
    // Lines of "text" in it, one more word every frame.
    let mut state = seed as u32 ^ 0x9E37_79B9;
    for (line, row) in (y + 26..y + win_h.saturating_sub(8))
        .step_by(12)
        .enumerate()
    {
        let mut col = x + 6;
        for word in 0..(frame as usize + line) % 9 + 1 {
            state = state
                .wrapping_mul(1_103_515_245)
                .wrapping_add(12_345 + word as u32);
            let len = 4 + (state >> 16) % 14;
            if col + len + 6 >= x + win_w {
                break;
            }
            let ink = [
                (state >> 8) as u8 % 90,
                (state >> 12) as u8 % 90,
                (state >> 20) as u8 % 90,
            ];
            fill(&mut image, col, row, len, 3, ink);
            col += len + 5;
        }
    }
    // A clock in the corner, a new colour every frame.
    let hue = (frame.wrapping_mul(37) % 256) as u8;
    fill(
        &mut image,
        width.saturating_sub(40),
        height.saturating_sub(20),
        36,
        16,
        [hue, 255 - hue, hue / 2],
    );
    image
}

fn fill(image: &mut RgbaImage, x: u32, y: u32, w: u32, h: u32, rgb: [u8; 3]) {
    for row in y..(y + h).min(image.height) {
        for col in x..(x + w).min(image.width) {
            let at = (row as usize * image.width as usize + col as usize) * 4;
            image.pixels[at..at + 3].copy_from_slice(&rgb);
        }
    }
}

/// The bounding rectangle of the pixels that differ between two images of
/// the same size, if any.
pub fn changed(before: &RgbaImage, after: &RgbaImage) -> Option<crate::Rect> {
    let width = after.width as usize;
    let mut area: Option<crate::Rect> = None;
    for (row, (a, b)) in before
        .pixels
        .chunks_exact(width * 4)
        .zip(after.pixels.chunks_exact(width * 4))
        .enumerate()
    {
        if a == b {
            continue;
        }
        let first = a
            .chunks_exact(4)
            .zip(b.chunks_exact(4))
            .position(|(p, q)| p != q)?;
        let last = width
            - 1
            - a.chunks_exact(4)
                .rev()
                .zip(b.chunks_exact(4).rev())
                .position(|(p, q)| p != q)?;
        let line = crate::Rect::new(first as u32, row as u32, (last - first + 1) as u32, 1);
        area = Some(line.union_with(area));
    }
    area
}

/// The pixels of `area` of `image`, RGBA rows top to bottom.
pub fn crop(image: &RgbaImage, area: crate::Rect) -> Vec<u8> {
    let mut out = Vec::with_capacity(area.width as usize * area.height as usize * 4);
    for row in area.y..area.y + area.height {
        let at = (row as usize * image.width as usize + area.x as usize) * 4;
        out.extend_from_slice(&image.pixels[at..at + area.width as usize * 4]);
    }
    out
}
