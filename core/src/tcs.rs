//! TCS on sales (Income-tax Act s.206C(1H), SPEC §3.9): collected only when the organization's
//! previous-year turnover exceeded ₹10 crore, only on the part of a customer's sales in the current
//! financial year (1 April – 31 March) above ₹50 lakh, only on amounts dated on or after the start
//! date (1 October 2020) and up to an optional end date; 0.1 % (0.075 % until 31 March 2021), 1 %
//! without a PAN. "Calculated on the total amount including all charges and taxes."

use crate::date::Date;
use crate::num::{Money, NumError, Percent};
use chrono::Datelike;

/// The organization's TCS settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SalesTcs {
    pub enabled: bool,
    pub turnover_exceeds_threshold: bool,
    pub customer_threshold: Money,
    pub rate: Percent,
    pub reduced_rate: Percent,
    pub reduced_rate_until: Date,
    pub no_pan_rate: Percent,
    pub start_date: Date,
    pub end_date: Option<Date>,
}

/// The Indian financial year a date falls in: `(first day, last day)`.
pub fn financial_year(d: Date) -> (Date, Date) {
    let start_year = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    let start = Date::from_ymd_opt(start_year, 4, 1).unwrap_or(d);
    let end = Date::from_ymd_opt(start_year + 1, 3, 31).unwrap_or(d);
    (start, end)
}

/// TCS on one invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SalesTcsAmount {
    /// The part of this invoice above the customer's threshold.
    pub taxable: Money,
    pub rate: Percent,
    pub tcs: Money,
}

/// TCS on an invoice of `amount` (everything but TCS) dated `date`, for a customer whose invoiced
/// total earlier in the same financial year is `before` (excluding TCS).
pub fn sales_tcs(
    s: &SalesTcs,
    date: Date,
    amount: Money,
    before: Money,
    has_pan: bool,
) -> Result<SalesTcsAmount, NumError> {
    let applies = s.enabled
        && s.turnover_exceeds_threshold
        && date >= s.start_date
        && s.end_date.is_none_or(|e| date <= e)
        && amount.is_positive();
    if !applies {
        return Ok(SalesTcsAmount::default());
    }
    let over_after = (before + amount).sub_floor0(s.customer_threshold);
    let over_before = before.sub_floor0(s.customer_threshold);
    let taxable = over_after - over_before;
    let rate = if !has_pan {
        s.no_pan_rate
    } else if date <= s.reduced_rate_until {
        s.reduced_rate
    } else {
        s.rate
    };
    Ok(SalesTcsAmount {
        taxable,
        rate,
        tcs: rate.of(taxable)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::date::parse_date(s).unwrap_or_default()
    }
    fn m(s: &str) -> Money {
        Money::parse(s).unwrap_or_default()
    }
    fn p(s: &str) -> Percent {
        Percent::parse(s).unwrap_or_default()
    }
    fn settings() -> SalesTcs {
        SalesTcs {
            enabled: true,
            turnover_exceeds_threshold: true,
            customer_threshold: m("5000000"),
            rate: p("0.1"),
            reduced_rate: p("0.075"),
            reduced_rate_until: d("2021-03-31"),
            no_pan_rate: p("1"),
            start_date: d("2020-10-01"),
            end_date: None,
        }
    }

    #[test]
    fn financial_years_run_april_to_march() {
        assert_eq!(
            financial_year(d("2026-12-04")),
            (d("2026-04-01"), d("2027-03-31"))
        );
        assert_eq!(
            financial_year(d("2027-03-31")),
            (d("2026-04-01"), d("2027-03-31"))
        );
        assert_eq!(
            financial_year(d("2027-04-01")),
            (d("2027-04-01"), d("2028-03-31"))
        );
    }

    #[test]
    fn tcs_cases() {
        let s = settings();
        // (date, amount, before, pan, taxable, tcs)
        let cases = [
            // below the threshold: nothing
            (
                "2026-06-01",
                "1000000.00",
                "3000000.00",
                true,
                "0.00",
                "0.00",
            ),
            // crossing ₹50 lakh: only the excess 2,00,000 at 0.1 % = 200.00
            (
                "2026-06-01",
                "1000000.00",
                "4200000.00",
                true,
                "200000.00",
                "200.00",
            ),
            // already above: all of it
            (
                "2026-06-01",
                "12345.67",
                "6000000.00",
                true,
                "12345.67",
                "12.35",
            ),
            // without PAN: 1 %
            (
                "2026-06-01",
                "12345.67",
                "6000000.00",
                false,
                "12345.67",
                "123.46",
            ),
            // reduced rate until 2021-03-31: 0.075 % of 10,000.00 = 7.50
            (
                "2021-03-31",
                "10000.00",
                "6000000.00",
                true,
                "10000.00",
                "7.50",
            ),
            // from 2021-04-01 the normal rate (a new financial year: the caller sums afresh)
            (
                "2021-04-01",
                "10000.00",
                "6000000.00",
                true,
                "10000.00",
                "10.00",
            ),
            // before 2020-10-01: no TCS even above the threshold
            ("2020-09-30", "10000.00", "6000000.00", true, "0.00", "0.00"),
            // rounding half away from zero: 0.1 % of 5.00 = 0.005 -> 0.01
            ("2026-06-01", "5.00", "6000000.00", true, "5.00", "0.01"),
        ];
        for (date, amount, before, pan, taxable, tcs) in cases {
            let r = sales_tcs(&s, d(date), m(amount), m(before), pan);
            assert_eq!(
                r.map(|r| (r.taxable, r.tcs)),
                Ok((m(taxable), m(tcs))),
                "{date} {amount} {before} {pan}"
            );
        }
    }

    #[test]
    fn switched_off_or_ended_means_none() {
        let mut s = settings();
        s.turnover_exceeds_threshold = false;
        assert_eq!(
            sales_tcs(&s, d("2026-06-01"), m("100"), m("9000000"), true).map(|r| r.tcs),
            Ok(Money::ZERO)
        );
        let mut s = settings();
        s.end_date = Some(d("2025-03-31"));
        assert_eq!(
            sales_tcs(&s, d("2026-06-01"), m("100"), m("9000000"), true).map(|r| r.tcs),
            Ok(Money::ZERO)
        );
        let mut s = settings();
        s.enabled = false;
        assert_eq!(
            sales_tcs(&s, d("2026-06-01"), m("100"), m("9000000"), true).map(|r| r.tcs),
            Ok(Money::ZERO)
        );
    }
}
