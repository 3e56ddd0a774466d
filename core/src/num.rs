//! Exact fixed-point numbers. Quantities are thousandths of a unit, money is hundredths of the
//! currency unit, percentages are ten-thousandths of a percent; all are `i64` so they store as
//! SQLite INTEGERs and never meet a float. Parsing accepts only plain decimal notation.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use thiserror::Error;

/// Why a number typed by a user or read from a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NumError {
    #[error("{what} is empty")]
    Empty { what: &'static str },
    #[error("{what} '{input}' is not a plain decimal number (use digits and one '.', e.g. 12.5)")]
    Invalid { what: &'static str, input: String },
    #[error("{what} '{input}' has more than {max} decimals")]
    TooManyDecimals {
        what: &'static str,
        input: String,
        max: u32,
    },
    #[error("{what} '{input}' is out of range (at most {limit})")]
    OutOfRange {
        what: &'static str,
        input: String,
        limit: String,
    },
    #[error("{what} must be greater than zero, got '{input}'")]
    NotPositive { what: &'static str, input: String },
    #[error("{what} must not be negative, got '{input}'")]
    Negative { what: &'static str, input: String },
    #[error("{what} is too large to compute")]
    Overflow { what: &'static str },
}

impl NumError {
    /// The same error about a named field (e.g. "rate" instead of "amount").
    pub fn named(self, name: &'static str) -> Self {
        match self {
            NumError::Empty { .. } => NumError::Empty { what: name },
            NumError::Invalid { input, .. } => NumError::Invalid { what: name, input },
            NumError::TooManyDecimals { input, max, .. } => NumError::TooManyDecimals {
                what: name,
                input,
                max,
            },
            NumError::OutOfRange { input, limit, .. } => NumError::OutOfRange {
                what: name,
                input,
                limit,
            },
            NumError::NotPositive { input, .. } => NumError::NotPositive { what: name, input },
            NumError::Negative { input, .. } => NumError::Negative { what: name, input },
            NumError::Overflow { .. } => NumError::Overflow { what: name },
        }
    }
}

/// Parses `[+-]digits[.digits]` into an integer scaled by `10^scale`, refusing exponents, NaN,
/// thousands separators, more decimals than `scale`, and magnitudes above `max_abs`.
pub fn parse_fixed(
    input: &str,
    scale: u32,
    max_abs: i64,
    what: &'static str,
) -> Result<i64, NumError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(NumError::Empty { what });
    }
    let invalid = || NumError::Invalid {
        what,
        input: crate::ident::excerpt(input),
    };
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || (int_part.is_empty() && frac_part.is_none_or(str::is_empty)) {
        return Err(invalid());
    }
    let frac = frac_part.unwrap_or("");
    if !all_digits(frac) || (frac_part.is_some() && frac.is_empty() && int_part.is_empty()) {
        return Err(invalid());
    }
    if frac.len() > scale as usize {
        // Trailing zeros beyond the scale change nothing and are fine ("1.5000").
        if frac[scale as usize..].bytes().any(|b| b != b'0') {
            return Err(NumError::TooManyDecimals {
                what,
                input: crate::ident::excerpt(input),
                max: scale,
            });
        }
    }
    let out_of_range = || NumError::OutOfRange {
        what,
        input: crate::ident::excerpt(input),
        limit: format_fixed(max_abs, scale, scale),
    };
    let mut value: i64 = 0;
    let int_digits = int_part.trim_start_matches('0');
    if int_digits.len() > 18 {
        return Err(out_of_range());
    }
    for b in int_digits.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or_else(out_of_range)?;
    }
    for i in 0..scale as usize {
        let digit = frac.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(digit))
            .ok_or_else(out_of_range)?;
    }
    if value > max_abs {
        return Err(out_of_range());
    }
    Ok(if negative { -value } else { value })
}

/// Formats a scaled integer with at least `min_dp` and at most `scale` decimals.
pub fn format_fixed(value: i64, scale: u32, min_dp: u32) -> String {
    let mut s = String::new();
    let _ = write_fixed(&mut s, value, scale, min_dp);
    s
}

/// Writes a scaled integer like [`format_fixed`], without allocating (exports write millions).
pub fn write_fixed(f: &mut impl fmt::Write, value: i64, scale: u32, min_dp: u32) -> fmt::Result {
    let factor = 10_i128.pow(scale);
    let v = i128::from(value);
    if v < 0 {
        f.write_char('-')?;
    }
    let abs = v.abs();
    write!(f, "{}", abs / factor)?;
    let mut frac = abs % factor;
    let mut digits = scale;
    while digits > min_dp && frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    if digits > 0 {
        write!(f, ".{:0width$}", frac, width = digits as usize)?;
    }
    Ok(())
}

macro_rules! fixed_type {
    ($(#[$m:meta])* $name:ident, scale = $scale:expr, min_dp = $min_dp:expr, max = $max:expr, what = $what:expr) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(i64);

        impl $name {
            /// Decimal places kept.
            pub const SCALE: u32 = $scale;
            /// Largest magnitude accepted from input.
            pub const MAX: i64 = $max;
            pub const ZERO: Self = Self(0);

            /// From the stored integer (value × 10^SCALE).
            pub const fn from_raw(raw: i64) -> Self {
                Self(raw)
            }
            /// The stored integer (value × 10^SCALE).
            pub const fn raw(self) -> i64 {
                self.0
            }
            /// Parses user or file input; signed.
            pub fn parse(s: &str) -> Result<Self, NumError> {
                parse_fixed(s, Self::SCALE, Self::MAX, $what).map(Self)
            }
            /// Parses input that must be greater than zero.
            pub fn parse_positive(s: &str) -> Result<Self, NumError> {
                let v = Self::parse(s)?;
                if v.0 <= 0 {
                    return Err(NumError::NotPositive { what: $what, input: crate::ident::excerpt(s.trim()) });
                }
                Ok(v)
            }
            /// Parses input that must not be negative.
            pub fn parse_non_negative(s: &str) -> Result<Self, NumError> {
                let v = Self::parse(s)?;
                if v.0 < 0 {
                    return Err(NumError::Negative { what: $what, input: crate::ident::excerpt(s.trim()) });
                }
                Ok(v)
            }
            pub fn to_decimal(self) -> Decimal {
                Decimal::new(self.0, Self::SCALE)
            }
            /// Rounds a decimal to this type's scale, half away from zero.
            pub fn from_decimal(d: Decimal) -> Result<Self, NumError> {
                let r = d.round_dp_with_strategy(Self::SCALE, RoundingStrategy::MidpointAwayFromZero);
                let m = r.mantissa() * 10_i128.pow(Self::SCALE - r.scale().min(Self::SCALE));
                i64::try_from(m).map(Self).map_err(|_| NumError::Overflow { what: $what })
            }
            pub fn checked_add(self, o: Self) -> Option<Self> {
                self.0.checked_add(o.0).map(Self)
            }
            pub fn checked_sub(self, o: Self) -> Option<Self> {
                self.0.checked_sub(o.0).map(Self)
            }
            pub fn is_zero(self) -> bool {
                self.0 == 0
            }
            pub fn is_negative(self) -> bool {
                self.0 < 0
            }
            pub fn is_positive(self) -> bool {
                self.0 > 0
            }
            pub fn min(self, o: Self) -> Self {
                Self(self.0.min(o.0))
            }
            pub fn max(self, o: Self) -> Self {
                Self(self.0.max(o.0))
            }
            /// Saturating at zero: `max(self - o, 0)`.
            pub fn sub_floor0(self, o: Self) -> Self {
                Self(self.0.saturating_sub(o.0).max(0))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_fixed(f, self.0, Self::SCALE, $min_dp)
            }
        }

        impl std::ops::Add for $name {
            type Output = Self;
            fn add(self, o: Self) -> Self {
                Self(self.0.saturating_add(o.0))
            }
        }
        impl std::ops::Sub for $name {
            type Output = Self;
            fn sub(self, o: Self) -> Self {
                Self(self.0.saturating_sub(o.0))
            }
        }
        impl std::ops::AddAssign for $name {
            fn add_assign(&mut self, o: Self) {
                self.0 = self.0.saturating_add(o.0);
            }
        }
        impl std::ops::SubAssign for $name {
            fn sub_assign(&mut self, o: Self) {
                self.0 = self.0.saturating_sub(o.0);
            }
        }
        impl std::ops::Neg for $name {
            type Output = Self;
            fn neg(self) -> Self {
                Self(self.0.saturating_neg())
            }
        }
        impl std::iter::Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                iter.fold(Self::ZERO, |a, b| a + b)
            }
        }
    };
}

fixed_type!(
    /// A quantity of an item: up to 3 decimals, at most a billion units.
    Qty, scale = 3, min_dp = 0, max = 1_000_000_000_000, what = "quantity"
);
fixed_type!(
    /// An amount of money in the organization's currency: exactly 2 decimals.
    Money, scale = 2, min_dp = 2, max = 100_000_000_000_000, what = "amount"
);
fixed_type!(
    /// A percentage (tax or TCS rate): up to 4 decimals, `18` means 18 %.
    Percent, scale = 4, min_dp = 0, max = 1_000_000_000, what = "percentage"
);

impl Percent {
    /// Parses a rate that must lie within 0–100 %.
    pub fn parse_rate(s: &str) -> Result<Self, NumError> {
        let p = Self::parse_non_negative(s)?;
        if p.raw() > 100 * 10_000 {
            return Err(NumError::OutOfRange {
                what: "percentage",
                input: crate::ident::excerpt(s.trim()),
                limit: "100".into(),
            });
        }
        Ok(p)
    }
    /// `amount × self / 100`, rounded half away from zero to money's 2 decimals.
    pub fn of(self, amount: Money) -> Result<Money, NumError> {
        let d = amount.to_decimal() * self.to_decimal() / Decimal::ONE_HUNDRED;
        Money::from_decimal(d)
    }
}

impl Qty {
    /// `self × rate`, rounded half away from zero to 2 decimals.
    pub fn times(self, rate: Money) -> Result<Money, NumError> {
        let d = self
            .to_decimal()
            .checked_mul(rate.to_decimal())
            .ok_or(NumError::Overflow { what: "amount" })?;
        Money::from_decimal(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_decimals() {
        let cases: &[(&str, i64)] = &[
            ("0", 0),
            ("1", 1000),
            ("12.5", 12_500),
            ("0.001", 1),
            (".5", 500),
            ("5.", 5000),
            ("-3", -3000),
            ("+2.25", 2250),
            (" 7 ", 7000),
            ("1.5000", 1500),
            ("000012", 12_000),
            ("1000000000", 1_000_000_000_000),
        ];
        for (input, raw) in cases {
            assert_eq!(Qty::parse(input).map(Qty::raw), Ok(*raw), "{input}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_plain_decimal() {
        for input in [
            "1e3", "NaN", "nan", "inf", "1,5", "1 000", "--1", "+-1", "1.2.3", ".", "-", "abc",
            "0x10", "١", "1_000",
        ] {
            assert!(
                matches!(Qty::parse(input), Err(NumError::Invalid { .. })),
                "{input} -> {:?}",
                Qty::parse(input)
            );
        }
        assert!(matches!(Qty::parse(""), Err(NumError::Empty { .. })));
        assert!(matches!(
            Qty::parse("1.0001"),
            Err(NumError::TooManyDecimals { max: 3, .. })
        ));
        assert!(matches!(
            Money::parse("1.005"),
            Err(NumError::TooManyDecimals { max: 2, .. })
        ));
        assert!(matches!(
            Qty::parse("1000000000.001"),
            Err(NumError::OutOfRange { .. })
        ));
        assert!(matches!(
            Qty::parse("99999999999999999999999999"),
            Err(NumError::OutOfRange { .. })
        ));
        assert!(matches!(
            Qty::parse_positive("0"),
            Err(NumError::NotPositive { .. })
        ));
        assert!(matches!(
            Qty::parse_positive("-1"),
            Err(NumError::NotPositive { .. })
        ));
        assert!(matches!(
            Money::parse_non_negative("-0.01"),
            Err(NumError::Negative { .. })
        ));
        assert!(matches!(
            Percent::parse_rate("100.5"),
            Err(NumError::OutOfRange { .. })
        ));
    }

    #[test]
    fn displays_quantities_trimmed_and_money_with_two_decimals() {
        assert_eq!(Qty::from_raw(12_500).to_string(), "12.5");
        assert_eq!(Qty::from_raw(12_000).to_string(), "12");
        assert_eq!(Qty::from_raw(-1).to_string(), "-0.001");
        assert_eq!(Money::from_raw(123_450).to_string(), "1234.50");
        assert_eq!(Money::from_raw(-50).to_string(), "-0.50");
        assert_eq!(Money::from_raw(0).to_string(), "0.00");
        assert_eq!(Percent::from_raw(750).to_string(), "0.075");
        assert_eq!(Percent::from_raw(180_000).to_string(), "18");
    }

    #[test]
    fn multiplies_exactly_and_rounds_half_away_from_zero() {
        // 3 × 0.335 = 1.005 -> 1.01 (banker's rounding would give 1.00)
        let m = Qty::parse("3")
            .and_then(|q| q.times(Money::from_raw(34)))
            .map(Money::raw);
        assert_eq!(m, Ok(102));
        let q = Qty::parse("1.5").and_then(|q| q.times(Money::parse("0.03")?));
        assert_eq!(q.map(Money::raw), Ok(5)); // 0.045 -> 0.05
        let p = Percent::parse("18").and_then(|p| p.of(Money::parse("10.25")?));
        assert_eq!(p.map(Money::raw), Ok(185)); // 1.845 -> 1.85
        let n = Percent::parse("50").and_then(|p| p.of(Money::parse("-0.05")?));
        assert_eq!(n.map(Money::raw), Ok(-3)); // -0.025 -> -0.03
    }

    #[test]
    fn huge_products_overflow_instead_of_wrapping() {
        let q = Qty::from_raw(Qty::MAX);
        let r = Money::from_raw(Money::MAX);
        assert!(matches!(q.times(r), Err(NumError::Overflow { .. })));
    }

    proptest::proptest! {
        #[test]
        fn display_then_parse_round_trips(raw in -Qty::MAX..=Qty::MAX) {
            let q = Qty::from_raw(raw);
            proptest::prop_assert_eq!(Qty::parse(&q.to_string()), Ok(q));
            let m = Money::from_raw(raw);
            proptest::prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Qty::parse(&s);
            let _ = Money::parse(&s);
            let _ = Percent::parse_rate(&s);
        }
    }
}
