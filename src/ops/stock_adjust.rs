//! `stock adjust`: a signed movement in the ledger with a reason and a date.

use crate::exit::UserError;
use crate::ops::effects::{allocate_free, reserve, Allocation};
use crate::repo::{Db, Movement, MovementKind};
use anyhow::Result;
use stockroom_core::stock::release_newest;
use stockroom_core::{Date, Qty};
use stockroom_core::{DocKind, DocNumber};

#[derive(Debug, Clone)]
pub struct AdjustRequest {
    pub sku: String,
    pub warehouse: String,
    pub qty: Qty,
    pub reason: String,
    pub date: Date,
    pub release_reservations: bool,
}

#[derive(Debug, Clone)]
pub struct AdjustReport {
    pub sku: String,
    pub warehouse: String,
    pub qty: Qty,
    pub on_hand: Qty,
    pub reserved: Qty,
    /// Reservations taken from order lines (newest first) to let stock go below what was reserved.
    pub released: Vec<Allocation>,
    /// Freed stock given to orders waiting for it.
    pub allocated: Vec<Allocation>,
}

pub fn stock_adjust(db: &mut Db, req: &AdjustRequest) -> Result<AdjustReport> {
    db.write(|c| {
        let item = c.get_item(&req.sku)?;
        let wh = c.get_warehouse(&req.warehouse)?;
        let (on_hand, reserved) = c.get_balance(item.id, wh.id)?;
        let after = on_hand
            .checked_add(req.qty)
            .filter(|q| q.raw().abs() <= Qty::MAX)
            .ok_or_else(|| UserError::refused(format!("on hand of {} would be out of range", item.sku)))?;
        if after.is_negative() {
            return Err(UserError::refused(format!(
                "{} has {on_hand} on hand in {}; adjusting by {} would leave {after}; nothing was changed",
                item.sku, wh.code, req.qty
            ))
            .into());
        }
        if after < reserved && !req.release_reservations {
            return Err(UserError::refused(format!(
                "{} has {reserved} of {on_hand} reserved for sales orders in {}; adjusting by {} would leave {after}; \
                 pass --release-reservations to release the newest reservations",
                item.sku, wh.code, req.qty
            ))
            .into());
        }
        let mut released = Vec::new();
        if after < reserved {
            let shortage = reserved - after;
            let plan = release_newest(shortage, &c.list_releasable(item.id, wh.id)?).map_err(|e| {
                UserError::refused(format!(
                    "{} in {}: cannot go down to {after}: {e} (packed quantity stays reserved until shipped)",
                    item.sku, wh.code
                ))
            })?;
            for (line_id, q) in plan {
                let mut line = c.get_so_line(line_id)?;
                reserve(c, &mut line, -q)?;
                let so = DocNumber::new(DocKind::SalesOrder, line.so_id);
                c.event(&so.to_string(), "reservation released", &format!("{} -{q} (stock adjusted down)", line.sku))?;
                released.push(Allocation { so, sku: line.sku.clone(), qty: q });
            }
        }
        c.insert_movement(&Movement {
            item_id: item.id,
            warehouse_id: wh.id,
            kind: MovementKind::Adjustment,
            qty: req.qty,
            date: req.date,
            reason: &req.reason,
            doc: None,
        })?;
        c.event(
            &item.sku,
            "stock adjusted",
            &format!(
                "{} {}{} on {} ({}): on hand {on_hand} -> {after}",
                wh.code,
                if req.qty.is_positive() { "+" } else { "" },
                req.qty,
                req.date,
                if req.reason.is_empty() { "no reason" } else { &req.reason }
            ),
        )?;
        let allocated = if req.qty.is_positive() {
            allocate_free(c, item.id, wh.id)?
        } else {
            Vec::new()
        };
        let (on_hand, reserved) = c.get_balance(item.id, wh.id)?;
        Ok(AdjustReport {
            released,
            allocated,
            sku: item.sku,
            warehouse: wh.code,
            qty: req.qty,
            on_hand,
            reserved,
        })
    })
}
