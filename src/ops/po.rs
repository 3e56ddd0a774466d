//! The purchase cycle: `po issue`, `po receive` (SPEC §3.4, §3.6) and `po cancel` (§3.7).

use crate::exit::UserError;
use crate::ops::effects::{allocate_free, refresh_so, reserve, settle_link, Allocation};
use crate::repo::{Conn, Db, Movement, MovementKind, PoLine, PurchaseOrder};
use anyhow::Result;
use std::collections::BTreeSet;
use stockroom_core::hold::LinkState;
use stockroom_core::purchase::{status_after, statuses, PoStatus};
use stockroom_core::{Date, DocKind, DocNumber, Qty, SoStatus};

pub fn get_po(c: &Conn, po: DocNumber) -> Result<PurchaseOrder> {
    c.find_purchase_order(po.id)?.ok_or_else(|| {
        UserError::not_found(format!("no purchase order {po}; see `stockroom po list`")).into()
    })
}

/// Re-derives a PO's received/billed status and closes it when complete.
pub fn refresh_po(c: &Conn, po_id: i64) -> Result<PurchaseOrder> {
    let mut po = c
        .find_purchase_order(po_id)?
        .ok_or_else(|| anyhow::anyhow!("purchase order {po_id} vanished"))?;
    let progress: Vec<_> = c.po_lines(po_id)?.iter().map(PoLine::progress).collect();
    let before = po.status;
    (po.received_status, po.billed_status) = statuses(&progress, po.is_dropship());
    po.status = status_after(po.status, &progress, po.is_dropship());
    c.update_po_status(&po)?;
    if before != po.status {
        c.event(
            &DocNumber::new(DocKind::PurchaseOrder, po_id).to_string(),
            "status",
            &format!("{before} -> {}", po.status),
        )?;
    }
    Ok(po)
}

/// Refreshes the given orders and returns those that left `on_hold`.
pub fn refresh_sos(
    c: &Conn,
    so_ids: &BTreeSet<i64>,
    was_on_hold: &BTreeSet<i64>,
) -> Result<Vec<DocNumber>> {
    let mut released = Vec::new();
    for id in so_ids {
        let so = refresh_so(c, *id)?;
        if was_on_hold.contains(id) && so.status != SoStatus::OnHold {
            released.push(DocNumber::new(DocKind::SalesOrder, *id));
        }
    }
    Ok(released)
}

fn on_hold(c: &Conn, ids: &BTreeSet<i64>) -> Result<BTreeSet<i64>> {
    let mut out = BTreeSet::new();
    for id in ids {
        if c.find_sales_order(*id)?
            .is_some_and(|s| s.status == SoStatus::OnHold)
        {
            out.insert(*id);
        }
    }
    Ok(out)
}

/// Picks quantities per line: the asked `(sku, qty)` or, by default, everything `left` gives.
pub fn pick_lines(
    po: DocNumber,
    lines: &[PoLine],
    items: &[(String, Qty)],
    left: impl Fn(&PoLine) -> Qty,
    what: &str,
) -> Result<Vec<(usize, Qty)>> {
    let mut picks = Vec::new();
    if items.is_empty() {
        for (i, l) in lines.iter().enumerate() {
            if left(l).is_positive() {
                picks.push((i, left(l)));
            }
        }
        if picks.is_empty() {
            return Err(UserError::refused(format!("{po} has nothing left to {what}")).into());
        }
        return Ok(picks);
    }
    for (sku, q) in items {
        let Some(i) = lines.iter().position(|l| l.sku.eq_ignore_ascii_case(sku)) else {
            return Err(UserError::not_found(format!("{po} has no line for {sku}")).into());
        };
        if picks.iter().any(|p: &(usize, Qty)| p.0 == i) {
            return Err(UserError::refused(format!("{sku} is given twice")).into());
        }
        let can = left(&lines[i]);
        if *q > can {
            return Err(UserError::refused(format!(
                "{po}: only {can} of {sku} is left to {what}, {q} was given (ordered {}, cancelled {})",
                lines[i].quantity, lines[i].cancelled
            ))
            .into());
        }
        picks.push((i, *q));
    }
    Ok(picks)
}

pub fn po_issue(db: &mut Db, numbers: &[DocNumber]) -> Result<Vec<DocNumber>> {
    db.write(|c| {
        for n in numbers {
            let mut po = get_po(c, *n)?;
            if po.status != PoStatus::Draft {
                return Err(UserError::refused(format!(
                    "{n} is {}; only a draft purchase order can be issued",
                    po.status
                ))
                .into());
            }
            po.status = PoStatus::Issued;
            c.update_po_status(&po)?;
            c.event(&n.to_string(), "issued", &format!("to {}", po.vendor))?;
        }
        Ok(numbers.to_vec())
    })
}

#[derive(Debug, Clone)]
pub struct ReceiveReport {
    pub receipt: DocNumber,
    pub po: DocNumber,
    pub lines: Vec<(String, Qty)>,
    /// Units that went straight to the orders they were backordered for.
    pub filled: Vec<Allocation>,
    /// Free units given to other waiting orders.
    pub allocated: Vec<Allocation>,
    pub released: Vec<DocNumber>,
}

pub fn po_receive(
    db: &mut Db,
    number: DocNumber,
    items: &[(String, Qty)],
    date: Date,
) -> Result<ReceiveReport> {
    db.write(|c| {
        let po = get_po(c, number)?;
        if po.is_dropship() {
            return Err(UserError::refused(format!(
                "{number} is a drop shipment to {}; it is never received — recording its bill delivers it",
                po.customer.clone().unwrap_or_default()
            ))
            .into());
        }
        match po.status {
            PoStatus::Issued => {}
            PoStatus::Draft => {
                return Err(UserError::refused(format!(
                    "{number} is a draft; issue it first with `stockroom po issue {number}`"
                ))
                .into())
            }
            s => return Err(UserError::refused(format!("{number} is {s}; nothing can be received on it")).into()),
        }
        if date < po.date {
            return Err(UserError::refused(format!("the receipt date {date} is before the PO date {}", po.date)).into());
        }
        let wh = po.warehouse_id.ok_or_else(|| anyhow::anyhow!("{number} has no warehouse"))?;
        let mut lines = c.po_lines(po.id)?;
        let picks = pick_lines(number, &lines, items, |l| l.progress().to_receive(), "receive")?;
        let receipt_id = c.insert_receipt(po.id, date, &picks.iter().map(|(i, q)| (lines[*i].id, *q)).collect::<Vec<_>>())?;
        let receipt = DocNumber::new(DocKind::Receipt, receipt_id);
        let receipt_s = receipt.to_string();
        let mut report = ReceiveReport {
            receipt,
            po: number,
            lines: Vec::new(),
            filled: Vec::new(),
            allocated: Vec::new(),
            released: Vec::new(),
        };
        let mut sos = BTreeSet::new();
        let mut links_all = Vec::new();
        for (i, _) in &picks {
            links_all.extend(c.links_of_po_line(lines[*i].id)?);
        }
        let held = on_hold(c, &links_all.iter().map(|l| l.so_id).collect())?;
        for (i, q) in &picks {
            let line = &mut lines[*i];
            c.insert_movement(&Movement {
                item_id: line.item_id,
                warehouse_id: wh,
                kind: MovementKind::Receipt,
                qty: *q,
                date,
                reason: "purchase receive",
                doc: Some(&receipt_s),
            })?;
            line.received += *q;
            c.update_po_line(line)?;
            report.lines.push((line.sku.clone(), *q));
            // the units go first to the lines they were ordered for, oldest confirmation first
            let mut links = c.links_of_po_line(line.id)?;
            links.retain(|l| l.link.state == LinkState::Open && !l.link.dropship);
            links.sort_by_key(|l| l.key);
            let mut left = *q;
            for l in &mut links {
                let x = l.link.outstanding().min(left);
                if !x.is_positive() {
                    continue;
                }
                l.link.delivered += x;
                l.last_delivery = Some(date);
                left -= x;
                settle_link(c, l, date)?;
                let mut so_line = c.get_so_line(l.so_line_id)?;
                reserve(c, &mut so_line, x)?;
                let so = DocNumber::new(DocKind::SalesOrder, l.so_id);
                c.event(&so.to_string(), "backorder received", &format!("{} +{x} reserved ({receipt_s} on {number})", line.sku))?;
                report.filled.push(Allocation {
                    so,
                    sku: line.sku.clone(),
                    qty: x,
                });
                sos.insert(l.so_id);
            }
            for a in allocate_free(c, line.item_id, wh)? {
                sos.insert(a.so.id);
                report.allocated.push(a);
            }
        }
        let parts: Vec<String> = report.lines.iter().map(|(s, q)| format!("{s} {q}")).collect();
        c.event(&receipt_s, "created", &format!("for {number} on {date}: {}", parts.join(", ")))?;
        c.event(&number.to_string(), "received", &format!("{receipt_s}: {}", parts.join(", ")))?;
        refresh_po(c, po.id)?;
        report.released = refresh_sos(c, &sos, &held)?;
        Ok(report)
    })
}

#[derive(Debug, Clone)]
pub struct CancelReport {
    pub po: DocNumber,
    pub status: PoStatus,
    pub cancelled: Vec<(String, Qty)>,
    /// Orders whose backordered units were cancelled, with what each now has uncovered.
    pub affected: Vec<(DocNumber, Qty)>,
    /// Free stock reserved for the lines whose backorder was cancelled (SPEC §3.3).
    pub allocated: Vec<Allocation>,
    pub released: Vec<DocNumber>,
}

pub fn po_cancel(
    db: &mut Db,
    number: DocNumber,
    remaining: bool,
    date: Date,
) -> Result<CancelReport> {
    db.write(|c| {
        let mut po = get_po(c, number)?;
        if !matches!(po.status, PoStatus::Draft | PoStatus::Issued) {
            return Err(UserError::refused(format!("{number} is {}; it cannot be cancelled", po.status)).into());
        }
        let mut lines = c.po_lines(po.id)?;
        let touched = lines.iter().any(|l| l.received.is_positive() || l.billed.is_positive());
        if touched && !remaining {
            return Err(UserError::refused(format!(
                "{number} has received or billed quantity; cancel only what is left with `stockroom po cancel {number} --remaining`"
            ))
            .into());
        }
        let mut cancelled = Vec::new();
        let mut sos = BTreeSet::new();
        // (item, warehouse) of the order lines that lose backordered units
        let mut uncovered_again = BTreeSet::new();
        let mut links_all = Vec::new();
        for l in &lines {
            links_all.extend(c.links_of_po_line(l.id)?);
        }
        let held = on_hold(c, &links_all.iter().map(|l| l.so_id).collect())?;
        for line in &mut lines {
            let keep = line.received.max(line.billed);
            let rem = line.quantity.sub_floor0(line.cancelled + keep);
            if rem.is_positive() {
                line.cancelled += rem;
                c.update_po_line(line)?;
                cancelled.push((line.sku.clone(), rem));
            }
            for mut l in c.links_of_po_line(line.id)? {
                if l.link.state != LinkState::Open {
                    continue;
                }
                let keep = l.link.delivered.max(l.link.billed);
                let cut = l.link.quantity.sub_floor0(l.link.cancelled + keep);
                if cut.is_positive() {
                    l.link.cancelled += cut;
                    sos.insert(l.so_id);
                    let so_line = c.get_so_line(l.so_line_id)?;
                    uncovered_again.insert((so_line.item_id, so_line.warehouse_id));
                    c.event(
                        &DocNumber::new(DocKind::SalesOrder, l.so_id).to_string(),
                        "backorder cancelled",
                        &format!("{} {cut} on {number}", line.sku),
                    )?;
                }
                if keep.is_zero() {
                    l.link.state = LinkState::Cancelled;
                    c.update_link(&l)?;
                } else {
                    settle_link(c, &mut l, date)?;
                }
            }
        }
        if cancelled.is_empty() {
            return Err(UserError::refused(format!("{number} has nothing left to cancel")).into());
        }
        if !touched {
            po.status = PoStatus::Cancelled;
            c.update_po_status(&po)?;
        }
        let parts: Vec<String> = cancelled.iter().map(|(s, q)| format!("{s} {q}")).collect();
        c.event(
            &number.to_string(),
            if touched { "remaining cancelled" } else { "cancelled" },
            &parts.join(", "),
        )?;
        let po = refresh_po(c, po.id)?;
        // lines short again may take free stock that is already on the shelf
        let mut allocated = Vec::new();
        for (item, wh) in uncovered_again {
            for a in allocate_free(c, item, wh)? {
                sos.insert(a.so.id);
                allocated.push(a);
            }
        }
        let released = refresh_sos(c, &sos, &held)?;
        let mut affected = Vec::new();
        for id in &sos {
            let unc = c.so_lines(*id)?.iter().map(|l| l.uncovered()).sum();
            affected.push((DocNumber::new(DocKind::SalesOrder, *id), unc));
        }
        Ok(CancelReport {
            po: number,
            status: po.status,
            cancelled,
            affected,
            allocated,
            released,
        })
    })
}
