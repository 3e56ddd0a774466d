//! Organization settings: the known keys, their defaults and what values they accept.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SettingError {
    #[error("unknown setting '{key}'; known settings: {known}")]
    Unknown { key: String, known: String },
    #[error("setting '{key}' does not accept '{value}': {expected}")]
    BadValue {
        key: String,
        value: String,
        expected: String,
    },
}

/// How a setting's value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Currency,
    OneOf(&'static [&'static str]),
    Bool,
    Date,
    OptionalDate,
    Money,
    Percent,
}

/// One known setting.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub key: &'static str,
    pub default: &'static str,
    pub kind: Kind,
    pub help: &'static str,
}

pub const HOLD_RELEASE_VALUES: &[&str] = &["billed", "received", "received_and_billed"];

/// Every setting the tool knows, with the SPEC defaults.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "org.name",
        default: "My Store",
        kind: Kind::Text,
        help: "organization name",
    },
    Setting {
        key: "currency",
        default: "INR",
        kind: Kind::Currency,
        help: "currency code shown in tables",
    },
    Setting {
        key: "hold_release",
        default: "billed",
        kind: Kind::OneOf(HOLD_RELEASE_VALUES),
        help: "when a backorder link stops holding its sales order",
    },
    Setting {
        key: "tcs.enabled",
        default: "false",
        kind: Kind::Bool,
        help: "collect TCS on sales invoices",
    },
    Setting {
        key: "tcs.turnover_exceeds_threshold",
        default: "false",
        kind: Kind::Bool,
        help: "previous financial year's turnover exceeded the threshold (Rs 10 crore)",
    },
    Setting {
        key: "tcs.customer_threshold",
        default: "5000000.00",
        kind: Kind::Money,
        help: "a customer's sales per financial year above which TCS applies (Rs 50 lakh)",
    },
    Setting {
        key: "tcs.rate",
        default: "0.1",
        kind: Kind::Percent,
        help: "TCS rate with PAN",
    },
    Setting {
        key: "tcs.reduced_rate",
        default: "0.075",
        kind: Kind::Percent,
        help: "TCS rate with PAN until tcs.reduced_rate_until",
    },
    Setting {
        key: "tcs.reduced_rate_until",
        default: "2021-03-31",
        kind: Kind::Date,
        help: "last day of the reduced rate",
    },
    Setting {
        key: "tcs.no_pan_rate",
        default: "1",
        kind: Kind::Percent,
        help: "TCS rate when the customer has no PAN",
    },
    Setting {
        key: "tcs.start_date",
        default: "2020-10-01",
        kind: Kind::Date,
        help: "first day TCS applies",
    },
    Setting {
        key: "tcs.end_date",
        default: "",
        kind: Kind::OptionalDate,
        help: "last day TCS applies (empty: none)",
    },
];

/// Finds a setting by key.
pub fn find(key: &str) -> Result<&'static Setting, SettingError> {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| SettingError::Unknown {
            key: crate::ident::excerpt(key),
            known: SETTINGS
                .iter()
                .map(|s| s.key)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Checks and normalizes a value for `key`.
pub fn validate(key: &str, value: &str) -> Result<String, SettingError> {
    let s = find(key)?;
    let v = value.trim();
    let bad = |expected: &str| SettingError::BadValue {
        key: key.to_string(),
        value: crate::ident::excerpt(value),
        expected: expected.to_string(),
    };
    match s.kind {
        Kind::Text => crate::ident::validate_name(v, "value").map_err(|e| bad(&e.to_string())),
        Kind::Currency => {
            if v.len() == 3 && v.chars().all(|c| c.is_ascii_alphabetic()) {
                Ok(v.to_ascii_uppercase())
            } else {
                Err(bad("a three-letter currency code such as INR or USD"))
            }
        }
        Kind::OneOf(values) => values
            .iter()
            .find(|x| x.eq_ignore_ascii_case(v))
            .map(|x| x.to_string())
            .ok_or_else(|| bad(&format!("one of {}", values.join(", ")))),
        Kind::Bool => match v.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok("true".into()),
            "false" | "no" | "off" | "0" => Ok("false".into()),
            _ => Err(bad("true or false")),
        },
        Kind::Date => crate::date::parse_date(v)
            .map(|d| d.to_string())
            .map_err(|e| bad(&e.to_string())),
        Kind::OptionalDate if v.is_empty() => Ok(String::new()),
        Kind::OptionalDate => crate::date::parse_date(v)
            .map(|d| d.to_string())
            .map_err(|e| bad(&e.to_string())),
        Kind::Money => crate::num::Money::parse_non_negative(v)
            .map(|m| m.to_string())
            .map_err(|e| bad(&e.to_string())),
        Kind::Percent => crate::num::Percent::parse_rate(v)
            .map(|p| p.to_string())
            .map_err(|e| bad(&e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_values() {
        for s in SETTINGS {
            assert_eq!(
                validate(s.key, s.default).as_deref(),
                Ok(s.default),
                "{}",
                s.key
            );
        }
    }

    #[test]
    fn refuses_unknown_keys_and_bad_values() {
        assert!(matches!(
            validate("nope", "1"),
            Err(SettingError::Unknown { .. })
        ));
        assert!(matches!(
            validate("hold_release", "shipped"),
            Err(SettingError::BadValue { .. })
        ));
        assert_eq!(
            validate("hold_release", "RECEIVED").as_deref(),
            Ok("received")
        );
        assert_eq!(validate("currency", "usd").as_deref(), Ok("USD"));
        assert!(validate("tcs.enabled", "maybe").is_err());
        assert!(validate("tcs.rate", "101").is_err());
    }
}
