//! Rectangles of screen pixels: what a message changed, what to copy.

/// A rectangle of pixels: `x`, `y` of its top-left pixel, and its size.
/// Empty when `width` or `height` is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rect {
    /// Column of the leftmost pixel.
    pub x: u32,
    /// Row of the top pixel.
    pub y: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Rect {
    /// The rectangle at (`x`, `y`) of `width` × `height` pixels.
    pub const fn new(x: u32, y: u32, width: u32, height: u32) -> Self {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// True when it holds no pixel.
    pub const fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    /// Column just past the right edge.
    pub const fn right(&self) -> u64 {
        self.x as u64 + self.width as u64
    }

    /// Row just past the bottom edge.
    pub const fn bottom(&self) -> u64 {
        self.y as u64 + self.height as u64
    }

    /// The part of the rectangle inside a `width` × `height` screen.
    pub fn clip(self, width: u32, height: u32) -> Rect {
        let right = self.right().min(u64::from(width));
        let bottom = self.bottom().min(u64::from(height));
        if u64::from(self.x) >= right || u64::from(self.y) >= bottom {
            return Rect::default();
        }
        Rect::new(
            self.x,
            self.y,
            (right - u64::from(self.x)) as u32,
            (bottom - u64::from(self.y)) as u32,
        )
    }

    /// The smallest rectangle holding both (an empty one adds nothing).
    pub fn union(self, other: Rect) -> Rect {
        if self.is_empty() {
            return other;
        }
        if other.is_empty() {
            return self;
        }
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        let right = self.right().max(other.right());
        let bottom = self.bottom().max(other.bottom());
        Rect::new(
            x,
            y,
            (right - u64::from(x)) as u32,
            (bottom - u64::from(y)) as u32,
        )
    }

    /// The union with an optional rectangle.
    pub fn union_with(self, other: Option<Rect>) -> Rect {
        other.map_or(self, |o| o.union(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clip_keeps_the_inside_only() {
        assert_eq!(Rect::new(5, 5, 10, 10).clip(8, 12), Rect::new(5, 5, 3, 7));
        assert!(Rect::new(8, 0, 4, 4).clip(8, 8).is_empty());
        assert_eq!(
            Rect::new(u32::MAX, 0, u32::MAX, 1).clip(8, 8),
            Rect::default()
        );
    }

    proptest! {
        #[test]
        fn union_holds_both(a in (0u32..100, 0u32..100, 0u32..50, 0u32..50), b in (0u32..100, 0u32..100, 0u32..50, 0u32..50)) {
            let (a, b) = (Rect::new(a.0, a.1, a.2, a.3), Rect::new(b.0, b.1, b.2, b.3));
            let u = a.union(b);
            for r in [a, b] {
                if !r.is_empty() {
                    prop_assert!(u.x <= r.x && u.y <= r.y && u.right() >= r.right() && u.bottom() >= r.bottom());
                }
            }
        }
    }
}
