//! Numbers in words for people: times, and counts with the noun that fits
//! ("1 event", "2 events").

/// Formats microseconds as `H:MM:SS.mmm`.
pub fn clock(us: u64) -> String {
    let ms = us / 1_000;
    format!(
        "{}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1_000 % 60,
        ms % 1_000
    )
}

/// `n` and the noun: `one` when `n` is 1, `many` otherwise.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_right_noun() {
        assert_eq!(count(0, "event", "events"), "0 events");
        assert_eq!(count(1, "event", "events"), "1 event");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
        assert_eq!(clock(3_723_004_000), "1:02:03.004");
    }
}
