//! `bill record`: the vendor's invoice against an issued PO (SPEC §3.4, §3.6). Billing marks the
//! PO line's links billed, oldest confirmation first — which releases holds under the default
//! rule — and, for a drop shipment, delivers the linked units to the customer.

use crate::exit::UserError;
use crate::ops::effects::{settle_link, Allocation};
use crate::ops::po::{get_po, pick_lines, refresh_po, refresh_sos};
use crate::repo::Db;
use anyhow::Result;
use std::collections::BTreeSet;
use stockroom_core::hold::LinkState;
use stockroom_core::money::{doc_totals, prorate, prorate_amount, DocCharges, LineAmounts};
use stockroom_core::purchase::PoStatus;
use stockroom_core::{Date, DocKind, DocNumber, Money, Percent, Qty, SoStatus};

#[derive(Debug, Clone, Default)]
pub struct BillRequest {
    pub items: Vec<(String, Qty)>,
    pub vendor_ref: String,
    pub date: Option<Date>,
    pub due_date: Option<Date>,
    pub tcs_rate: Option<Percent>,
    pub charges: Option<Money>,
    pub adjustment: Option<Money>,
}

#[derive(Debug, Clone)]
pub struct BillReport {
    pub bill: DocNumber,
    pub po: DocNumber,
    pub total: Money,
    pub dropshipped: Vec<Allocation>,
    pub released: Vec<DocNumber>,
}

pub fn bill_record(
    db: &mut Db,
    number: DocNumber,
    req: &BillRequest,
    today: Date,
) -> Result<BillReport> {
    db.write(|c| {
        let po = get_po(c, number)?;
        match po.status {
            PoStatus::Issued => {}
            PoStatus::Draft => {
                return Err(UserError::refused(format!(
                    "{number} is a draft; issue it first with `stockroom po issue {number}`"
                ))
                .into())
            }
            s => {
                return Err(
                    UserError::refused(format!("{number} is {s}; it cannot be billed")).into(),
                )
            }
        }
        let date = req.date.unwrap_or(today);
        if date < po.date {
            return Err(UserError::refused(format!(
                "the bill date {date} is before the PO date {}",
                po.date
            ))
            .into());
        }
        if let Some(due) = req.due_date {
            if due < date {
                return Err(UserError::refused(format!(
                    "the due date {due} is before the bill date {date}"
                ))
                .into());
            }
        }
        let mut lines = c.po_lines(po.id)?;
        let first_bill = lines.iter().all(|l| l.billed.is_zero());
        let billed_before = c.po_billed_subtotal(po.id)?;
        let picks = pick_lines(
            number,
            &lines,
            &req.items,
            |l| l.progress().to_bill(),
            "bill",
        )?;
        let mut amounts = Vec::new();
        let mut bill_lines = Vec::new();
        for (i, q) in &picks {
            let l = &lines[*i];
            // the line's own amounts, shared out by quantity: its parts add up to the PO line
            let share = |total| prorate(total, l.billed, *q, l.quantity);
            let a = LineAmounts {
                amount: share(l.amount)?,
                tax: share(l.tax)?,
            };
            amounts.push(a);
            bill_lines.push((l.id, *q, a.amount, a.tax));
        }
        // the PO's own charges go on its first bill unless the clerk says otherwise
        let charges = DocCharges {
            // the PO's discount shared out by the amounts billed, so a small part can be billed
            discount: prorate_amount(
                po.discount,
                billed_before,
                amounts.iter().map(|a| a.amount).sum(),
                po.subtotal,
            )?,
            charges: req
                .charges
                .unwrap_or(if first_bill { po.charges } else { Money::ZERO }),
            adjustment: req.adjustment.unwrap_or(if first_bill {
                po.adjustment
            } else {
                Money::ZERO
            }),
            tcs_rate: req.tcs_rate.unwrap_or(po.tcs_rate),
        };
        let totals =
            doc_totals(&amounts, &charges).map_err(|e| UserError::refused(e.to_string()))?;
        let bill_id = c.insert_bill(
            po.id,
            &req.vendor_ref,
            date,
            req.due_date,
            &totals,
            charges.tcs_rate,
            &bill_lines,
        )?;
        let bill = DocNumber::new(DocKind::Bill, bill_id);
        let mut sos = BTreeSet::new();
        let mut links_all = Vec::new();
        for (i, _) in &picks {
            links_all.extend(c.links_of_po_line(lines[*i].id)?);
        }
        let mut held = BTreeSet::new();
        for l in &links_all {
            if c.find_sales_order(l.so_id)?
                .is_some_and(|s| s.status == SoStatus::OnHold)
            {
                held.insert(l.so_id);
            }
        }
        let mut dropshipped = Vec::new();
        for (i, q) in &picks {
            let line = &mut lines[*i];
            line.billed += *q;
            c.update_po_line(line)?;
            let mut links = c.links_of_po_line(line.id)?;
            links.retain(|l| l.link.state == LinkState::Open);
            links.sort_by_key(|l| l.key);
            let mut left = *q;
            for l in &mut links {
                let x = l.link.effective().sub_floor0(l.link.billed).min(left);
                if !x.is_positive() {
                    continue;
                }
                l.link.billed += x;
                left -= x;
                sos.insert(l.so_id);
                let so = DocNumber::new(DocKind::SalesOrder, l.so_id);
                if l.link.dropship {
                    l.link.delivered += x;
                    l.last_delivery = Some(date);
                    let mut so_line = c.get_so_line(l.so_line_id)?;
                    so_line.dropshipped += x;
                    c.update_so_line(&so_line)?;
                    c.event(
                        &so.to_string(),
                        "drop-shipped",
                        &format!("{} {x} by {} ({bill})", line.sku, po.vendor),
                    )?;
                    dropshipped.push(Allocation {
                        so,
                        sku: line.sku.clone(),
                        qty: x,
                    });
                } else {
                    c.event(
                        &so.to_string(),
                        "backorder billed",
                        &format!("{} {x} ({bill} on {number})", line.sku),
                    )?;
                }
                settle_link(c, l, date)?;
            }
        }
        let vendor_ref = if req.vendor_ref.is_empty() {
            String::new()
        } else {
            format!(" (vendor bill {})", req.vendor_ref)
        };
        c.event(
            &bill.to_string(),
            "created",
            &format!("for {number} on {date}, total {}{vendor_ref}", totals.total),
        )?;
        c.event(
            &number.to_string(),
            "billed",
            &format!("{bill}, total {}", totals.total),
        )?;
        refresh_po(c, po.id)?;
        let released = refresh_sos(c, &sos, &held)?;
        Ok(BillReport {
            bill,
            po: number,
            total: totals.total,
            dropshipped,
            released,
        })
    })
}
