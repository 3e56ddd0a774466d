//! Steps shared by use cases inside their transaction: reserving and releasing stock for order
//! lines, handing free stock to waiting lines, and re-deriving an order's statuses.

use crate::exit::UserError;
use crate::repo::LinkRow;
use crate::repo::{Conn, SalesOrder, SoLine};
use anyhow::Result;
use stockroom_core::hold::{apply_hold, is_pending, LinkState};
use stockroom_core::order::after_progress;
use stockroom_core::stock::allocate_fifo;
use stockroom_core::{order, DocKind, DocNumber, Qty, SoStatus};

/// Stock that went to (or was taken from) an order line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub so: DocNumber,
    pub sku: String,
    pub qty: Qty,
}

/// Loads an order that must exist.
pub fn get_so(c: &Conn, so: DocNumber) -> Result<SalesOrder> {
    c.find_sales_order(so.id)?.ok_or_else(|| {
        UserError::not_found(format!("no sales order {so}; see `stockroom so list`")).into()
    })
}

/// Moves `delta` (signed) into the line's reservation and the warehouse balance.
pub fn reserve(c: &Conn, line: &mut SoLine, delta: Qty) -> Result<()> {
    line.reserved += delta;
    c.add_reserved(line.item_id, line.warehouse_id, delta)?;
    c.update_so_line(line)
}

/// Gives the free stock of an item in a warehouse to lines waiting for it, oldest confirmation
/// first (SPEC §3.3).
pub fn allocate_free(c: &Conn, item_id: i64, warehouse_id: i64) -> Result<Vec<Allocation>> {
    let (on_hand, reserved) = c.get_balance(item_id, warehouse_id)?;
    let free = on_hand - reserved;
    if !free.is_positive() {
        return Ok(Vec::new());
    }
    let waiting = c.list_waiting(item_id, warehouse_id)?;
    let mut out = Vec::new();
    for (line_id, qty) in allocate_fifo(free, &waiting) {
        let mut line = c.get_so_line(line_id)?;
        reserve(c, &mut line, qty)?;
        let so = DocNumber::new(DocKind::SalesOrder, line.so_id);
        c.event(
            &so.to_string(),
            "stock reserved",
            &format!("{} +{qty} (freed stock)", line.sku),
        )?;
        out.push(Allocation {
            so,
            sku: line.sku.clone(),
            qty,
        });
    }
    Ok(out)
}

/// Records when a link's units all reached the order line (the day of the last delivery, even
/// when a cancellation is what completes it), and marks it done once it is also billed in full;
/// writes it back. `date` is the day of the change.
pub fn settle_link(c: &Conn, l: &mut LinkRow, date: stockroom_core::Date) -> Result<()> {
    if l.link.state == LinkState::Open {
        if l.delivered_date.is_none()
            && l.link.delivered >= l.link.effective()
            && l.link.effective().is_positive()
        {
            l.delivered_date = Some(l.last_delivery.unwrap_or(date));
        }
        if l.link.is_complete() {
            l.link.state = LinkState::Done;
            l.done_date = Some(date);
        }
    }
    c.update_link(l)
}

/// Re-derives an order's shipment/invoice status and its status (fulfilled, closed; on hold stays
/// on hold remembering where it returns; held or released by its backorder links under the
/// `hold_release` setting), and each line's open flag. Returns the updated order.
pub fn refresh_so(c: &Conn, so_id: i64) -> Result<SalesOrder> {
    let mut so = c
        .find_sales_order(so_id)?
        .ok_or_else(|| anyhow::anyhow!("sales order {so_id} vanished"))?;
    let lines = c.so_lines(so_id)?;
    let rule = crate::ops::hold::rule(c)?;
    let pending = c
        .links_of_so(so_id)?
        .iter()
        .any(|l| is_pending(rule, &l.link));
    settle_so(c, &mut so, lines, pending)?;
    Ok(so)
}

/// Applies the status rules to an order whose lines and pending-link state the caller already
/// has, writing back what changed.
pub fn settle_so(c: &Conn, so: &mut SalesOrder, lines: Vec<SoLine>, pending: bool) -> Result<()> {
    let progress: Vec<_> = lines.iter().map(SoLine::progress).collect();
    let (status, held_from) = after_progress(so.status, &progress);
    let (status, held_from) = apply_hold(status, held_from, pending);
    let before = (
        so.status,
        so.held_from,
        so.shipment_status,
        so.invoice_status,
    );
    so.status = status;
    so.held_from = held_from;
    so.shipment_status = order::shipment_status(&progress);
    so.invoice_status = order::invoice_status(&progress);
    let active = matches!(so.status, SoStatus::Confirmed | SoStatus::OnHold);
    for mut l in lines {
        let open = active && order::open_quantity(&l.progress()).is_positive();
        if open != l.open {
            l.open = open;
            c.update_so_line(&l)?;
        }
    }
    if before
        != (
            so.status,
            so.held_from,
            so.shipment_status,
            so.invoice_status,
        )
    {
        c.update_so_status(so)?;
        if before.0 != so.status {
            c.event(
                &DocNumber::new(DocKind::SalesOrder, so.id).to_string(),
                "status",
                &format!("{} -> {}", before.0, so.status),
            )?;
        }
    }
    Ok(())
}

/// Puts an order on hold because backorder links were just created for it (they are pending under
/// every `hold_release` rule), remembering the status it returns to.
pub fn hold_for_backorder(c: &Conn, so_id: i64) -> Result<()> {
    let (before, held_from) = c.get_so_status(so_id)?;
    let (status, held_from_after) = apply_hold(before, held_from, true);
    if (status, held_from_after) != (before, held_from) {
        c.set_so_status(so_id, status, held_from_after)?;
        c.event(
            &DocNumber::new(DocKind::SalesOrder, so_id).to_string(),
            "status",
            &format!("{before} -> {status}"),
        )?;
    }
    Ok(())
}

/// Packages and invoices are refused while an order is on hold (SPEC §3.3), naming what it waits
/// for.
pub fn refuse_if_on_hold(c: &Conn, so: &SalesOrder, what: &str) -> Result<()> {
    if so.status != SoStatus::OnHold {
        return Ok(());
    }
    let number = DocNumber::new(DocKind::SalesOrder, so.id);
    let waits = crate::ops::hold::waiting_for(c, so.id)?;
    Err(UserError::refused(format!(
        "{number} is on hold until {waits}; {what} can be made after that (or before the backorder is created)"
    ))
    .into())
}
