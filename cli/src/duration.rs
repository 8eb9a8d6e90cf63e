//! Lengths of sessions on the command line (`--duration 90s`, `1h30m`).
//!
//! Why it exists: humantime reads `10M` as ten months and `10m` as ten
//! minutes, so one wrong capital asks for a session 43 000 times longer.
//! A session is measured in seconds, minutes, hours and days; this accepts
//! only those units, and names the unit it refuses.

use std::time::Duration;

/// Units a session length may use: humantime's names for them.
const UNITS: [&str; 18] = [
    "ms", "msec", "s", "sec", "secs", "second", "seconds", "m", "min", "mins", "minute", "minutes",
    "h", "hr", "hrs", "hour", "hours", "d",
];

/// Reads a session length: numbers each followed by a unit of [`UNITS`] or
/// `day`/`days`, as humantime writes them (`90s`, `1h 30m`).
pub fn parse(text: &str) -> Result<Duration, String> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err("a duration needs a number and a unit, e.g. 90s, 10m or 2h".into());
    }
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Err(format!(
                "{text:?} is not a duration: expected a number at {rest:?}, e.g. 90s, 10m or 2h"
            ));
        }
        rest = rest[digits..].trim_start();
        let letters = rest.len() - rest.trim_start_matches(|c: char| c.is_alphabetic()).len();
        let unit = &rest[..letters];
        if !(UNITS.contains(&unit) || unit == "day" || unit == "days") {
            return Err(match unit {
                "" => format!("{text:?} has a number without a unit: write s, m (minutes) or h"),
                "M" | "month" | "months" | "mo" => {
                    format!("{text:?}: {unit:?} means months; write m for minutes (10m), or h or d")
                }
                _ => format!(
                    "{text:?}: unknown unit {unit:?}; a session's length is in ms, s, m \
                     (minutes), h or d"
                ),
            });
        }
        rest = rest[letters..].trim_start();
    }
    humantime::parse_duration(text).map_err(|e| format!("{text:?} is not a duration: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_lower_case_and_months_are_refused() {
        assert_eq!(parse("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse("1h 30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("90s"), Ok(Duration::from_secs(90)));
        assert!(parse("10M").unwrap_err().contains("means months"));
        assert!(parse("2y").unwrap_err().contains("unknown unit \"y\""));
        assert!(parse("10").unwrap_err().contains("without a unit"));
        assert!(parse("ten").unwrap_err().contains("expected a number"));
    }
}
