//! Times in a recording as the rendering commands take them: a clock
//! (`1:23.5`, `1:02:03`), plain seconds (`83.5`) or a duration (`1m23s`,
//! `500ms`); all mean microseconds since the session start.

/// Parses a time in a recording into microseconds (for clap).
pub fn parse_time(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let bad = || {
        format!("{text:?} is not a time: expected H:MM:SS.fff, M:SS.f, seconds or a duration such as 1m30s")
    };
    if text.contains(':') {
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() > 3 {
            return Err(bad());
        }
        let (last, whole) = parts.split_last().ok_or_else(bad)?;
        let mut us = seconds(last).ok_or_else(bad)?;
        for (part, unit) in whole.iter().rev().zip([60_000_000u64, 3_600_000_000]) {
            let n: u64 = digits(part).ok_or_else(bad)?;
            us = n
                .checked_mul(unit)
                .and_then(|n| n.checked_add(us))
                .ok_or_else(bad)?;
        }
        return Ok(us);
    }
    if let Some(us) = seconds(text) {
        return Ok(us);
    }
    let duration = humantime::parse_duration(text).map_err(|_| bad())?;
    u64::try_from(duration.as_micros()).map_err(|_| bad())
}

/// Parses a duration (`10s`, `1m`, `500ms`) into microseconds (for clap).
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let duration = humantime::parse_duration(text).map_err(|e| format!("{text:?}: {e}"))?;
    u64::try_from(duration.as_micros()).map_err(|_| format!("{text:?} is too long"))
}

/// Decimal digits only.
fn digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `S` or `S.fff…` seconds, to the microsecond (further digits must be 0).
fn seconds(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole = if whole.is_empty() && !fraction.is_empty() {
        0
    } else {
        digits(whole)?
    };
    let mut us = 0;
    if !fraction.is_empty() {
        let padded = format!("{fraction:0<6}");
        let (micros, rest) = padded.split_at(6);
        if rest.bytes().any(|b| b != b'0') {
            return None;
        }
        us = digits(micros)?;
    } else if text.ends_with('.') {
        return None;
    }
    whole.checked_mul(1_000_000)?.checked_add(us)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_seconds_and_durations() {
        assert_eq!(parse_time("1:23.5"), Ok(83_500_000));
        assert_eq!(parse_time("1:02:03"), Ok(3_723_000_000));
        assert_eq!(parse_time("0:00.000001"), Ok(1));
        assert_eq!(parse_time("83.5"), Ok(83_500_000));
        assert_eq!(parse_time(".25"), Ok(250_000));
        assert_eq!(parse_time("0"), Ok(0));
        assert_eq!(parse_time("1m30s"), Ok(90_000_000));
        assert_eq!(parse_time("500ms"), Ok(500_000));
        for bad in [
            "",
            "1:",
            ":5",
            "1:2:3:4",
            "1.2.3",
            "5.",
            "x",
            "-1",
            "1:0.0000001",
        ] {
            assert!(parse_time(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_duration("10s"), Ok(10_000_000));
        assert!(parse_duration("10").is_err());
    }
}
