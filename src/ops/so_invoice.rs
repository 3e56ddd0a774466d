//! `so invoice`: bills the ordered quantity not yet invoiced (SPEC §3.3).

use crate::exit::UserError;
use crate::ops::effects::{get_so, refresh_so, refuse_if_on_hold};
use crate::repo::{Conn, Db, InvoiceLine};
use anyhow::Result;
use stockroom_core::money::{doc_totals, prorate, DocCharges, LineAmounts};
use stockroom_core::tcs::{financial_year, sales_tcs, SalesTcs};
use stockroom_core::{parse_date, Money, Percent};
use stockroom_core::{Date, DocKind, DocNumber, SoStatus};

/// The organization's TCS-on-sales settings.
pub fn sales_tcs_settings(c: &Conn) -> Result<SalesTcs> {
    let flag = |k: &str| -> Result<bool> { Ok(c.setting(k)? == "true") };
    let pct = |k: &str| -> Result<Percent> { Ok(Percent::parse(&c.setting(k)?)?) };
    let date = |k: &str| -> Result<Date> { Ok(parse_date(&c.setting(k)?)?) };
    let end = c.setting("tcs.end_date")?;
    Ok(SalesTcs {
        enabled: flag("tcs.enabled")?,
        turnover_exceeds_threshold: flag("tcs.turnover_exceeds_threshold")?,
        customer_threshold: Money::parse(&c.setting("tcs.customer_threshold")?)?,
        rate: pct("tcs.rate")?,
        reduced_rate: pct("tcs.reduced_rate")?,
        reduced_rate_until: date("tcs.reduced_rate_until")?,
        no_pan_rate: pct("tcs.no_pan_rate")?,
        start_date: date("tcs.start_date")?,
        end_date: if end.is_empty() {
            None
        } else {
            Some(parse_date(&end)?)
        },
    })
}

pub fn so_invoice(db: &mut Db, number: DocNumber, date: Date) -> Result<DocNumber> {
    db.write(|c| {
        let so = get_so(c, number)?;
        refuse_if_on_hold(c, &so, "invoices")?;
        if !matches!(so.status, SoStatus::Confirmed | SoStatus::Fulfilled) {
            return Err(UserError::refused(format!(
                "{number} is {}; only a confirmed or fulfilled order can be invoiced",
                so.status
            ))
            .into());
        }
        let mut lines = Vec::new();
        let mut amounts = Vec::new();
        for mut l in c.so_lines(so.id)? {
            let q = l.quantity - l.invoiced;
            if !q.is_positive() {
                continue;
            }
            // the line's own amounts, shared out by quantity: its parts add up to the line
            let share = |total| prorate(total, l.invoiced, q, l.quantity);
            let a = LineAmounts {
                amount: share(l.amount)?,
                tax: share(l.tax)?,
            };
            lines.push(InvoiceLine {
                so_line_id: l.id,
                quantity: q,
                amount: a.amount,
                tax: a.tax,
            });
            amounts.push(a);
            l.invoiced += q;
            c.update_so_line(&l)?;
        }
        if lines.is_empty() {
            return Err(UserError::refused(format!("{number} is already fully invoiced")).into());
        }
        let first = so.invoice_status == stockroom_core::InvoiceStatus::NotInvoiced;
        let charges = if first {
            DocCharges {
                discount: so.discount,
                charges: so.charges,
                adjustment: so.adjustment,
                tcs_rate: Default::default(),
            }
        } else {
            DocCharges::default()
        };
        let mut totals =
            doc_totals(&amounts, &charges).map_err(|e| UserError::refused(e.to_string()))?;
        // TCS on sales: only the part of the customer's financial-year sales above the threshold
        let tcs_settings = sales_tcs_settings(c)?;
        let (fy_start, _) = financial_year(date);
        let before = c.customer_invoiced(so.customer_id, fy_start, date)?;
        let has_pan = c.get_customer_by_id(so.customer_id)?.pan.is_some();
        let tcs = sales_tcs(&tcs_settings, date, totals.total, before, has_pan)?;
        totals.tcs = tcs.tcs;
        totals.total += tcs.tcs;
        let id = c.insert_invoice(so.id, date, &totals, &lines)?;
        let inv = DocNumber::new(DocKind::Invoice, id);
        c.event(
            &inv.to_string(),
            "created",
            &format!("for {number}, total {} (TCS {})", totals.total, totals.tcs),
        )?;
        c.event(
            &number.to_string(),
            "invoiced",
            &format!("{inv}, total {}", totals.total),
        )?;
        refresh_so(c, so.id)?;
        Ok(inv)
    })
}
