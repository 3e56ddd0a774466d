//! Business dates (`YYYY-MM-DD`), strictly parsed. The core never reads the clock: "today" is
//! always passed in by the caller.

use chrono::NaiveDate;
use thiserror::Error;

pub use chrono::NaiveDate as Date;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("'{0}' is not a date; use YYYY-MM-DD, e.g. 2026-12-04")]
pub struct DateError(pub String);

/// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day, a real calendar day).
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let t = s.trim();
    let b = t.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(DateError(crate::ident::excerpt(s)));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| DateError(crate::ident::excerpt(s)))
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_dates() {
        assert_eq!(
            parse_date("2026-12-04").map(|d| d.to_string()),
            Ok("2026-12-04".into())
        );
        for bad in [
            "2026-1-4",
            "04-12-2026",
            "2026/12/04",
            "2026-02-30",
            "",
            "20261204",
            "2026-12-04T00",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
