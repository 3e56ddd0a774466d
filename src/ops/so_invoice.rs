//! `so invoice`: bills the ordered quantity not yet invoiced (SPEC §3.3).

use crate::exit::UserError;
use crate::ops::effects::{get_so, refresh_so, refuse_if_on_hold};
use crate::repo::{Db, InvoiceLine};
use anyhow::Result;
use stockroom_core::money::{doc_totals, line_amounts, DocCharges, LineAmounts, LineInput};
use stockroom_core::{Date, DocKind, DocNumber, SoStatus};

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
            // the whole line keeps its own amounts; a remainder is billed at the line's rate
            let a = if l.invoiced.is_zero() {
                LineAmounts {
                    amount: l.amount,
                    tax: l.tax,
                }
            } else {
                line_amounts(&LineInput {
                    quantity: q,
                    rate: l.rate,
                    discount: Default::default(),
                    tax_rate: l.tax_rate,
                })
                .map_err(|e| UserError::refused(e.to_string()))?
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
        let totals =
            doc_totals(&amounts, &charges).map_err(|e| UserError::refused(e.to_string()))?;
        let id = c.insert_invoice(so.id, date, &totals, &lines)?;
        let inv = DocNumber::new(DocKind::Invoice, id);
        c.event(
            &inv.to_string(),
            "created",
            &format!("for {number}, total {}", totals.total),
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
