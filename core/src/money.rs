//! Money on documents (SPEC §3.9): line amount = quantity × rate − line discount, tax per line,
//! document total = Σ amounts − discount + Σ taxes + charges + adjustment + TCS. Every rounding is
//! to 2 decimals, half away from zero, at the line, tax and TCS steps; totals add rounded parts.

use crate::num::{Money, NumError, Percent, Qty};
use rust_decimal::Decimal;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error(transparent)]
    Num(#[from] NumError),
    #[error("the discount {discount} is larger than the amount {amount}")]
    DiscountTooLarge { discount: Money, amount: Money },
}

/// One line's inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineInput {
    pub quantity: Qty,
    pub rate: Money,
    pub discount: Money,
    pub tax_rate: Percent,
}

/// One line's amounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineAmounts {
    pub amount: Money,
    pub tax: Money,
}

pub fn line_amounts(l: &LineInput) -> Result<LineAmounts, MoneyError> {
    let gross = l.quantity.times(l.rate)?;
    if l.discount > gross {
        return Err(MoneyError::DiscountTooLarge {
            discount: l.discount,
            amount: gross,
        });
    }
    let amount = gross - l.discount;
    let tax = l.tax_rate.of(amount)?;
    Ok(LineAmounts { amount, tax })
}

/// Document-level inputs besides the lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocCharges {
    pub discount: Money,
    pub charges: Money,
    pub adjustment: Money,
    pub tcs_rate: Percent,
}

/// A document's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocTotals {
    pub subtotal: Money,
    pub discount: Money,
    pub tax: Money,
    pub charges: Money,
    pub adjustment: Money,
    pub tcs: Money,
    pub total: Money,
}

fn sum(values: impl Iterator<Item = Money>) -> Result<Money, MoneyError> {
    values
        .into_iter()
        .try_fold(Money::ZERO, |a, b| a.checked_add(b))
        .ok_or(MoneyError::Num(NumError::Overflow { what: "total" }))
}

/// Totals of a document whose TCS (if any) is `tcs_rate` of everything else.
pub fn doc_totals(lines: &[LineAmounts], c: &DocCharges) -> Result<DocTotals, MoneyError> {
    let subtotal = sum(lines.iter().map(|l| l.amount))?;
    let tax = sum(lines.iter().map(|l| l.tax))?;
    if c.discount > subtotal {
        return Err(MoneyError::DiscountTooLarge {
            discount: c.discount,
            amount: subtotal,
        });
    }
    let before_tcs = sum([subtotal, -c.discount, tax, c.charges, c.adjustment].into_iter())?;
    let tcs = c.tcs_rate.of(before_tcs)?;
    let total = sum([before_tcs, tcs].into_iter())?;
    Ok(DocTotals {
        subtotal,
        discount: c.discount,
        tax,
        charges: c.charges,
        adjustment: c.adjustment,
        tcs,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap_or_default()
    }
    fn p(s: &str) -> Percent {
        Percent::parse(s).unwrap_or_default()
    }
    fn qty(s: &str) -> Qty {
        Qty::parse(s).unwrap_or_default()
    }

    #[test]
    fn line_amounts_round_half_away_from_zero() {
        let cases = [
            // quantity, rate, discount, tax rate -> amount, tax
            ("0.5", "2.01", "0", "0", "1.01", "0.00"), // 1.005 -> 1.01
            ("1", "10.25", "0", "18", "10.25", "1.85"),
            ("2.5", "4.10", "0.25", "5", "10.00", "0.50"),
            ("1", "0.05", "0", "10", "0.05", "0.01"), // 0.005 -> 0.01, not banker's 0.00
        ];
        for (q, r, d, t, amount, tax) in cases {
            let l = LineInput {
                quantity: qty(q),
                rate: m(r),
                discount: m(d),
                tax_rate: p(t),
            };
            assert_eq!(
                line_amounts(&l),
                Ok(LineAmounts {
                    amount: m(amount),
                    tax: m(tax)
                }),
                "{q} x {r}"
            );
        }
    }

    #[test]
    fn totals_add_rounded_parts_and_tcs_is_on_everything() {
        let lines = [
            LineAmounts {
                amount: m("100.00"),
                tax: m("18.00"),
            },
            LineAmounts {
                amount: m("50.00"),
                tax: m("2.50"),
            },
        ];
        let c = DocCharges {
            discount: m("10.00"),
            charges: m("5.00"),
            adjustment: m("-0.50"),
            tcs_rate: p("1"),
        };
        let t = doc_totals(&lines, &c);
        // 150 - 10 + 20.50 + 5 - 0.50 = 165.00; TCS 1% = 1.65
        assert_eq!(
            t.map(|t| (t.subtotal, t.tax, t.tcs, t.total)),
            Ok((m("150.00"), m("20.50"), m("1.65"), m("166.65")))
        );
    }

    #[test]
    fn discount_larger_than_amount_is_refused() {
        let l = LineInput {
            quantity: qty("1"),
            rate: m("5"),
            discount: m("6"),
            tax_rate: p("0"),
        };
        assert!(matches!(
            line_amounts(&l),
            Err(MoneyError::DiscountTooLarge { .. })
        ));
        let c = DocCharges {
            discount: m("1"),
            ..Default::default()
        };
        assert!(doc_totals(&[], &c).is_err());
    }
}

/// Taxes, discounts and charges a clerk gives when creating a document: per line by SKU, or for
/// every line / the whole document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceTerms {
    /// Tax rate for every line without its own.
    pub tax_all: Option<Percent>,
    pub tax_by_sku: Vec<(String, Percent)>,
    /// Line discounts (amounts) by SKU.
    pub discount_by_sku: Vec<(String, Money)>,
    /// Document discount, shipping charges and adjustment.
    pub doc: DocCharges,
}

impl PriceTerms {
    pub fn tax_for(&self, sku: &str) -> Percent {
        self.tax_by_sku
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(sku))
            .map(|(_, r)| *r)
            .or(self.tax_all)
            .unwrap_or(Percent::ZERO)
    }
    pub fn discount_for(&self, sku: &str) -> Money {
        self.discount_by_sku
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(sku))
            .map(|(_, d)| *d)
            .unwrap_or(Money::ZERO)
    }
    /// The SKUs named per line that are not among `skus` (a typo the clerk should hear about).
    pub fn unknown_skus<'a>(&'a self, skus: &[&str]) -> Vec<&'a str> {
        self.tax_by_sku
            .iter()
            .map(|(s, _)| s.as_str())
            .chain(self.discount_by_sku.iter().map(|(s, _)| s.as_str()))
            .filter(|s| !skus.iter().any(|k| k.eq_ignore_ascii_case(s)))
            .collect()
    }
}

#[cfg(test)]
mod terms_tests {
    use super::*;

    #[test]
    fn per_line_terms_win_over_document_terms() {
        let t = PriceTerms {
            tax_all: Percent::parse("5").ok(),
            tax_by_sku: vec![("W-1".into(), Percent::parse("18").unwrap_or_default())],
            discount_by_sku: vec![("G-7".into(), Money::parse("2.50").unwrap_or_default())],
            doc: DocCharges::default(),
        };
        assert_eq!(t.tax_for("w-1").to_string(), "18");
        assert_eq!(t.tax_for("G-7").to_string(), "5");
        assert_eq!(t.discount_for("G-7").to_string(), "2.50");
        assert_eq!(t.discount_for("W-1"), Money::ZERO);
        assert_eq!(t.unknown_skus(&["W-1"]), vec!["G-7"]);
    }
}

/// The share of `total` that belongs to `now` more units after `before` units of `whole`, so that
/// the shares of consecutive parts add up to `total` exactly when the parts add up to `whole`
/// (each cumulative share rounded half away from zero; the part is their difference).
pub fn prorate(total: Money, before: Qty, now: Qty, whole: Qty) -> Result<Money, NumError> {
    share_of(
        total,
        before.to_decimal(),
        now.to_decimal(),
        whole.to_decimal(),
    )
}

/// [`prorate`] by amounts: the share of `total` for `now` more of `whole` after `before`.
pub fn prorate_amount(
    total: Money,
    before: Money,
    now: Money,
    whole: Money,
) -> Result<Money, NumError> {
    share_of(
        total,
        before.to_decimal(),
        now.to_decimal(),
        whole.to_decimal(),
    )
}

fn share_of(
    total: Money,
    before: Decimal,
    now: Decimal,
    whole: Decimal,
) -> Result<Money, NumError> {
    if whole <= Decimal::ZERO {
        return Ok(Money::ZERO);
    }
    let share = |upto: Decimal| -> Result<Money, NumError> {
        let d = total
            .to_decimal()
            .checked_mul(upto.min(whole))
            .and_then(|x| x.checked_div(whole))
            .ok_or(NumError::Overflow { what: "amount" })?;
        Money::from_decimal(d)
    };
    Ok(share(before + now)? - share(before)?)
}

#[cfg(test)]
mod prorate_tests {
    use super::*;

    #[test]
    fn parts_add_up_to_the_whole() {
        let total = Money::parse("32.00").unwrap_or_default();
        let q = |s: &str| Qty::parse(s).unwrap_or_default();
        let a = prorate(total, q("0"), q("1"), q("4"));
        let b = prorate(total, q("1"), q("3"), q("4"));
        assert_eq!(
            (a, b),
            (
                Ok(Money::parse("8.00").unwrap_or_default()),
                Ok(Money::parse("24.00").unwrap_or_default())
            )
        );
        // thirds: 3.33 + 3.34 + 3.33 = 10.00
        let ten = Money::parse("10.00").unwrap_or_default();
        let parts: Vec<Money> = (0..3)
            .map(|i| prorate(ten, q(&i.to_string()), q("1"), q("3")).unwrap_or_default())
            .collect();
        assert_eq!(parts.iter().copied().sum::<Money>(), ten);
    }
}
