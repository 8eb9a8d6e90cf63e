//! The pointer: where the user's mouse is and what it looks like, kept apart
//! from the screen's pixels and drawn over them only on request.
//!
//! Its position comes from the user's mouse moves (and the server's
//! fast-path position updates); its shape from the server's fast-path
//! pointer updates. A session that never sends a shape (every PNG-era
//! session) shows the default arrow, drawn the same by every player.

use std::sync::Arc;

use crate::png_image::blend_row;
use crate::Rect;

/// A pointer image: RGBA (not premultiplied), and the pixel that points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointerImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Column of the pixel that points.
    pub hotspot_x: u32,
    /// Row of the pixel that points.
    pub hotspot_y: u32,
    /// `width × height × 4` bytes.
    pub rgba: Vec<u8>,
}

/// What the pointer looks like.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PointerShape {
    /// The default arrow ([`default_arrow`]).
    #[default]
    Default,
    /// The server hid the pointer.
    Hidden,
    /// An image the server sent.
    Image(Arc<PointerImage>),
}

/// The pointer's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pointer {
    /// Where it points, once known.
    pub position: Option<(u32, u32)>,
    /// What it looks like.
    pub shape: PointerShape,
}

/// Rows of the default arrow: `X` black, `.` white, space transparent; the
/// hotspot is the top-left pixel.
const ARROW: [&str; 19] = [
    "X           ",
    "XX          ",
    "X.X         ",
    "X..X        ",
    "X...X       ",
    "X....X      ",
    "X.....X     ",
    "X......X    ",
    "X.......X   ",
    "X........X  ",
    "X.........X ",
    "X..........X",
    "X......XXXXX",
    "X...X..X    ",
    "X..XX..X    ",
    "X.X  X..X   ",
    "XX   X..X   ",
    "X     X..X  ",
    "      XXXX  ",
];

/// The default arrow, 12 × 19 pixels, hotspot at its top-left pixel.
pub fn default_arrow() -> PointerImage {
    let rgba = ARROW
        .iter()
        .flat_map(|row| row.bytes())
        .flat_map(|c| match c {
            b'X' => [0, 0, 0, 255],
            b'.' => [255, 255, 255, 255],
            _ => [0, 0, 0, 0],
        })
        .collect();
    PointerImage {
        width: 12,
        height: 19,
        hotspot_x: 0,
        hotspot_y: 0,
        rgba,
    }
}

impl Pointer {
    /// The image drawn for this pointer, if any is drawn.
    fn image<'s>(&'s self, arrow: &'s PointerImage) -> Option<&'s PointerImage> {
        match &self.shape {
            PointerShape::Default => Some(arrow),
            PointerShape::Hidden => None,
            PointerShape::Image(image) => Some(image),
        }
    }

    /// The screen rectangle the pointer covers on a `width` × `height`
    /// screen (empty when it is hidden or its position is not known).
    pub fn area(&self, width: u32, height: u32) -> Rect {
        let arrow = default_arrow();
        match (self.position, self.image(&arrow)) {
            (Some(at), Some(image)) => placement(at, image).0.clip(width, height),
            _ => Rect::default(),
        }
    }

    /// Draws the pointer over `screen` (`width` × `height` RGBA pixels),
    /// source over, clipped to the screen.
    pub fn draw_on(&self, screen: &mut [u8], width: u32, height: u32) {
        let arrow = default_arrow();
        let (Some(at), Some(image)) = (self.position, self.image(&arrow)) else {
            return;
        };
        let (place, skip_x, skip_y) = placement(at, image);
        let area = place.clip(width, height);
        for row in 0..area.height as usize {
            let src_at = ((skip_y as usize + row) * image.width as usize + skip_x as usize) * 4;
            let src = &image.rgba[src_at..src_at + area.width as usize * 4];
            let dst_at = ((area.y as usize + row) * width as usize + area.x as usize) * 4;
            blend_row(&mut screen[dst_at..dst_at + area.width as usize * 4], src);
        }
    }
}

/// Where `image` lands with its hotspot at `at`: the rectangle on screen
/// (its left and top at least 0), and how many of its columns and rows fall
/// left of or above the screen.
fn placement(at: (u32, u32), image: &PointerImage) -> (Rect, u32, u32) {
    let left = i64::from(at.0) - i64::from(image.hotspot_x);
    let top = i64::from(at.1) - i64::from(image.hotspot_y);
    let skip_x = (-left).clamp(0, i64::from(image.width)) as u32;
    let skip_y = (-top).clamp(0, i64::from(image.height)) as u32;
    (
        Rect::new(
            left.max(0) as u32,
            top.max(0) as u32,
            image.width - skip_x,
            image.height - skip_y,
        ),
        skip_x,
        skip_y,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arrow_points_with_its_tip_and_clips_at_every_edge() {
        let mut screen = vec![128; 20 * 20 * 4];
        let pointer = Pointer {
            position: Some((18, 0)),
            shape: PointerShape::Default,
        };
        pointer.draw_on(&mut screen, 20, 20);
        assert_eq!(&screen[(18 * 4)..(18 * 4 + 4)], &[0, 0, 0, 255]);
        assert_eq!(pointer.area(20, 20), Rect::new(18, 0, 2, 19));
        let mut hidden = pointer.clone();
        hidden.shape = PointerShape::Hidden;
        assert!(hidden.area(20, 20).is_empty());
        // An image whose hotspot is inside it hangs over the top-left corner.
        let image = PointerImage {
            width: 4,
            height: 4,
            hotspot_x: 2,
            hotspot_y: 2,
            rgba: vec![255; 64],
        };
        let pointer = Pointer {
            position: Some((0, 0)),
            shape: PointerShape::Image(Arc::new(image)),
        };
        assert_eq!(pointer.area(20, 20), Rect::new(0, 0, 2, 2));
        let mut screen = vec![0; 20 * 20 * 4];
        pointer.draw_on(&mut screen, 20, 20);
        assert_eq!(&screen[..8], &[255; 8]);
        assert_eq!(&screen[8..12], &[0; 4]);
    }
}
