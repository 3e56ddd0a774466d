//! The money flags shared by the commands that create documents: `--tax-rate [SKU=]R`,
//! `--discount [SKU=]A`, `--charges A`, `--adjustment A` (signed).

use crate::cli::so::parse_sku_pair;
use crate::exit::UserError;
use anyhow::Result;
use clap::Args;
use stockroom_core::money::{DocCharges, PriceTerms};
use stockroom_core::{Money, Percent};

#[derive(Debug, Args, Clone, Default)]
pub struct PriceArgs {
    /// Tax rate in percent for every line (`18`) or one line (`SKU=18`); repeatable
    #[arg(long = "tax-rate", value_name = "[SKU=]PERCENT")]
    pub tax_rates: Vec<String>,
    /// A document discount (`50.00`) or a line discount (`SKU=5.00`), as amounts; repeatable
    #[arg(long = "discount", value_name = "[SKU=]AMOUNT")]
    pub discounts: Vec<String>,
    /// Shipping charges
    #[arg(long, value_name = "AMOUNT")]
    pub charges: Option<String>,
    /// Adjustment, a signed amount (e.g. -0.50)
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub adjustment: Option<String>,
}

impl PriceArgs {
    pub fn parse(&self) -> Result<PriceTerms> {
        let mut t = PriceTerms::default();
        for v in &self.tax_rates {
            let rate = |s: &str| Percent::parse_rate(s).map_err(|e| e.named("--tax-rate"));
            if v.contains('=') {
                let (sku, r) = parse_sku_pair(v, "--tax-rate")?;
                t.tax_by_sku.push((sku, rate(&r)?));
            } else if t.tax_all.is_some() {
                return Err(UserError::usage("--tax-rate for every line is given twice").into());
            } else {
                t.tax_all = Some(rate(v)?);
            }
        }
        for v in &self.discounts {
            let amount = |s: &str| Money::parse_non_negative(s).map_err(|e| e.named("--discount"));
            if v.contains('=') {
                let (sku, a) = parse_sku_pair(v, "--discount")?;
                t.discount_by_sku.push((sku, amount(&a)?));
            } else if !t.doc.discount.is_zero() {
                return Err(UserError::usage("--discount for the document is given twice").into());
            } else {
                t.doc.discount = amount(v)?;
            }
        }
        t.doc = DocCharges {
            discount: t.doc.discount,
            charges: self
                .charges
                .as_deref()
                .map(|v| Money::parse_non_negative(v).map_err(|e| e.named("--charges")))
                .transpose()?
                .unwrap_or_default(),
            adjustment: self
                .adjustment
                .as_deref()
                .map(|v| Money::parse(v).map_err(|e| e.named("--adjustment")))
                .transpose()?
                .unwrap_or_default(),
            tcs_rate: Percent::ZERO,
        };
        Ok(t)
    }
}
