//! The `Range:` header of a request for a recording (RFC 9110 §14): which bytes
//! to send, or that none of them can be.
//!
//! The player asks for single ranges (`bytes=0-65535`, `bytes=-65536`,
//! `bytes=4096-8191`); this is what the server honours. A header it cannot use
//! (another unit, several ranges, bad syntax) is ignored, as RFC 9110 allows, and
//! the whole file goes out.

/// What to send in answer to a request's `Range:` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// No usable range: the whole file, status 200.
    Whole,
    /// Bytes `start..=end` of the file, status 206.
    Part { start: u64, end: u64 },
    /// A range that starts at or past the end of the file: status 416.
    Unsatisfiable,
}

impl RangeAnswer {
    /// The answer to `header` (the `Range:` value, if any) for a file of `size` bytes.
    pub fn new(header: Option<&str>, size: u64) -> Self {
        let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
            return RangeAnswer::Whole;
        };
        let Some((first, last)) = spec.trim().split_once('-') else {
            return RangeAnswer::Whole;
        };
        match (position(first), position(last)) {
            // `-n`: the last n bytes.
            (None, Some(suffix)) if first.is_empty() => match suffix {
                0 => RangeAnswer::Unsatisfiable,
                _ if size == 0 => RangeAnswer::Unsatisfiable,
                _ => RangeAnswer::Part {
                    start: size.saturating_sub(suffix),
                    end: size - 1,
                },
            },
            // `a-` or `a-b`: from a, to b or the end.
            (Some(start), last_pos) if last.is_empty() || last_pos.is_some() => {
                let end = last_pos.unwrap_or(u64::MAX);
                if end < start {
                    RangeAnswer::Whole
                } else if start >= size {
                    RangeAnswer::Unsatisfiable
                } else {
                    RangeAnswer::Part {
                        start,
                        end: end.min(size - 1),
                    }
                }
            }
            _ => RangeAnswer::Whole,
        }
    }
}

/// A byte position: ASCII digits, a value past `u64::MAX` read as `u64::MAX`
/// (past the end of any file).
fn position(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.parse().unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::RangeAnswer::{self, Part, Unsatisfiable, Whole};

    fn answer(header: &str, size: u64) -> RangeAnswer {
        RangeAnswer::new(Some(header), size)
    }

    #[test]
    fn single_ranges_are_clamped_to_the_file() {
        assert_eq!(answer("bytes=0-65535", 1000), Part { start: 0, end: 999 });
        assert_eq!(answer("bytes=10-19", 1000), Part { start: 10, end: 19 });
        assert_eq!(
            answer("bytes=990-", 1000),
            Part {
                start: 990,
                end: 999
            }
        );
        assert_eq!(
            answer("bytes=-19", 1000),
            Part {
                start: 981,
                end: 999
            }
        );
        assert_eq!(answer("bytes=-65536", 1000), Part { start: 0, end: 999 });
        assert_eq!(
            answer("bytes=0-99999999999999999999999", 10),
            Part { start: 0, end: 9 }
        );
    }

    #[test]
    fn ranges_past_the_end_are_unsatisfiable() {
        assert_eq!(answer("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(answer("bytes=1000-2000", 1000), Unsatisfiable);
        assert_eq!(
            answer("bytes=99999999999999999999999-", 1000),
            Unsatisfiable
        );
        assert_eq!(answer("bytes=-0", 1000), Unsatisfiable);
        assert_eq!(answer("bytes=0-65535", 0), Unsatisfiable);
        assert_eq!(answer("bytes=-19", 0), Unsatisfiable);
    }

    #[test]
    fn headers_it_cannot_use_are_ignored() {
        assert_eq!(RangeAnswer::new(None, 1000), Whole);
        assert_eq!(answer("items=0-9", 1000), Whole);
        assert_eq!(answer("bytes=0-9,20-29", 1000), Whole);
        assert_eq!(answer("bytes=9-0", 1000), Whole);
        assert_eq!(answer("bytes=-", 1000), Whole);
        assert_eq!(answer("bytes=a-9", 1000), Whole);
        assert_eq!(answer("bytes=+1-9", 1000), Whole);
    }
}
