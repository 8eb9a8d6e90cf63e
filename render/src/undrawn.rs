//! The report of what the renderer could not draw: nothing is skipped
//! silently.

use std::collections::BTreeMap;
use std::fmt;

/// Messages of one kind the renderer could not draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndrawnKind {
    /// How many.
    pub count: u64,
    /// Why the first of them was not drawn.
    pub first_error: String,
}

/// Messages the renderer could not draw, by kind (`png_frame`,
/// `rdp_fast_path_pdu`, `tdpb:fast_path_pdu`, `unknown_40`...).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Undrawn {
    kinds: BTreeMap<String, UndrawnKind>,
}

impl Undrawn {
    /// Counts one message of `kind` that failed with `error`.
    pub(crate) fn count(&mut self, kind: &dyn fmt::Display, error: &dyn fmt::Display) {
        let kind = kind.to_string();
        match self.kinds.get_mut(&kind) {
            Some(entry) => entry.count += 1,
            None => {
                self.kinds.insert(
                    kind,
                    UndrawnKind {
                        count: 1,
                        first_error: error.to_string(),
                    },
                );
            }
        }
    }

    /// Messages not drawn, of every kind.
    pub fn total(&self) -> u64 {
        self.kinds.values().map(|k| k.count).sum()
    }

    /// True when every message was drawn.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// Each kind with its count and first error, by kind name.
    pub fn kinds(&self) -> impl Iterator<Item = (&str, &UndrawnKind)> {
        self.kinds.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// One line a kind: `kind: count (first error)`.
impl fmt::Display for Undrawn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, entry) in &self.kinds {
            writeln!(f, "{kind}: {} ({})", entry.count, entry.first_error)?;
        }
        Ok(())
    }
}
