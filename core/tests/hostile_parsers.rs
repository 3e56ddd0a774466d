//! Every value parser against hostile input (SPEC §6: no input ever causes a panic): arbitrary
//! Unicode and bytes, embedded NUL and control characters, number-shaped and date-shaped noise,
//! 10,000-character values. A parser either refuses with a short, one-line message, or returns a
//! value that survives a round trip and respects its type's limits.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use stockroom_core::ident::{
    validate_email, validate_name, validate_pan, validate_text, validate_warehouse_code,
};
use stockroom_core::{parse_date, settings, DocNumber, Money, Percent, Qty, Sku};

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,80}",
        "[ \t]*[+-]{0,2}[0-9]{0,30}(\\.[0-9]{0,30})?[ \t]*",
        "[0-9]{19,400}(\\.[0-9]{0,5})?",
        "-?[0-9]{1,12}[eE,_ ][0-9]{1,4}",
        prop::collection::vec(any::<u8>(), 0..200)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        "[a-zA-Z0-9 ._/-]{0,80}\u{0}?[a-zA-Z]{0,4}",
        "(SO|PO|PR|BILL|PKG|INV|so|Po|XX)[- ]{0,2}[0-9]{0,22}",
        "[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}",
        "\u{feff}?[\"'=+@\r\n\t,;]{0,6}[a-z0-9]{0,6}",
        Just("x".repeat(10_000)),
        Just("9".repeat(10_000)),
        Just(format!("{}.{}", "1".repeat(5_000), "0".repeat(5_000))),
    ]
}

/// An error message a person can read: one line, not a copy of a huge input.
fn readable(msg: String) -> Result<(), TestCaseError> {
    prop_assert!(!msg.contains('\n') && !msg.contains('\0'), "{msg:?}");
    prop_assert!(msg.chars().count() <= 400, "{} chars", msg.chars().count());
    Ok(())
}

macro_rules! fixed_point_props {
    ($t:ty, $s:expr) => {{
        let s: &str = $s;
        match <$t>::parse(s) {
            Ok(v) => {
                prop_assert!(v.raw().abs() <= <$t>::MAX);
                prop_assert_eq!(<$t>::parse(&v.to_string()), Ok(v));
            }
            Err(e) => readable(e.to_string())?,
        }
        match <$t>::parse_positive(s) {
            Ok(v) => prop_assert!(v.is_positive()),
            Err(e) => readable(e.to_string())?,
        }
        match <$t>::parse_non_negative(s) {
            Ok(v) => prop_assert!(!v.is_negative()),
            Err(e) => readable(e.to_string())?,
        }
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn numbers_parse_within_range_or_refuse_readably(s in hostile()) {
        fixed_point_props!(Qty, &s);
        fixed_point_props!(Money, &s);
        fixed_point_props!(Percent, &s);
        match Percent::parse_rate(&s) {
            Ok(p) => prop_assert!((0..=100 * 10_000).contains(&p.raw())),
            Err(e) => readable(e.to_string())?,
        }
    }

    #[test]
    fn dates_are_exactly_yyyy_mm_dd(s in hostile()) {
        match parse_date(&s) {
            Ok(d) => prop_assert_eq!(d.to_string(), s.trim()),
            Err(e) => readable(e.to_string())?,
        }
    }

    #[test]
    fn identifiers_are_valid_or_refused(s in hostile()) {
        match Sku::parse(&s) {
            Ok(k) => {
                let n = k.as_str().chars().count();
                prop_assert!((1..=64).contains(&n));
                prop_assert!(k.as_str().chars().all(|c| c.is_alphanumeric() || "-_./".contains(c)));
                prop_assert_eq!(Sku::parse(k.as_str()), Ok(k.clone()));
            }
            Err(e) => readable(e.to_string())?,
        }
        match s.parse::<DocNumber>() {
            Ok(d) => {
                prop_assert!(d.id > 0);
                prop_assert_eq!(d.to_string().parse::<DocNumber>(), Ok(d));
            }
            Err(e) => readable(e.to_string())?,
        }
        match validate_warehouse_code(&s) {
            Ok(c) => prop_assert_eq!(validate_warehouse_code(&c), Ok(c.clone())),
            Err(e) => readable(e.to_string())?,
        }
    }

    #[test]
    fn free_text_is_bounded_and_has_no_stray_controls(s in hostile()) {
        match validate_name(&s, "name") {
            Ok(n) => {
                prop_assert!(!n.is_empty() && n.chars().count() <= 200);
                prop_assert!(!n.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            }
            Err(e) => readable(e.to_string())?,
        }
        if let Err(e) = validate_text(&s, "notes", 1000) {
            readable(e.to_string())?;
        }
        match validate_email(&s) {
            Ok(e) => prop_assert!(e.is_empty() || e.contains('@')),
            Err(e) => readable(e.to_string())?,
        }
        match validate_pan(&s) {
            Ok(p) => prop_assert_eq!(p.len(), 10),
            Err(e) => readable(e.to_string())?,
        }
    }

    #[test]
    fn settings_accept_only_their_kind(s in hostile()) {
        for setting in settings::SETTINGS {
            if let Err(e) = settings::validate(setting.key, &s) {
                readable(e.to_string())?;
            }
        }
        if let Err(e) = settings::find(&s) {
            prop_assert!(e.to_string().chars().count() <= 1000);
        }
    }
}
