//! The stock ledger (movements and per-warehouse balances), stock figures, and the event log.

use super::{opt, Conn};
use anyhow::Result;
use stockroom_core::{Date, Qty};

/// The kinds of stock movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovementKind {
    Opening,
    Adjustment,
    Receipt,
    Shipment,
}

impl MovementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Opening => "opening",
            MovementKind::Adjustment => "adjustment",
            MovementKind::Receipt => "receipt",
            MovementKind::Shipment => "shipment",
        }
    }
}

/// One movement to append.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    pub item_id: i64,
    pub warehouse_id: i64,
    pub kind: MovementKind,
    pub qty: Qty,
    pub date: Date,
    pub reason: &'a str,
    pub doc: Option<&'a str>,
}

/// The SPEC §3.2 figures of one item in one warehouse.
#[derive(Debug, Clone, Default)]
pub struct StockRow {
    pub sku: String,
    pub warehouse: String,
    pub on_hand: Qty,
    pub reserved: Qty,
    pub committed: Qty,
    pub on_order: Qty,
    pub backordered: Qty,
    pub reorder_level: Option<Qty>,
}

impl StockRow {
    pub fn free(&self) -> Qty {
        self.on_hand - self.reserved
    }
    pub fn available_for_sale(&self) -> Qty {
        self.on_hand - self.committed
    }
}

/// committed, on_order and backordered of the balance row `s`, by indexed lookups.
const FIGURES: &str = "\
    (SELECT coalesce(sum(l.quantity - l.shipped - l.dropshipped), 0) FROM so_lines l \
      WHERE l.item_id = s.item_id AND l.warehouse_id = s.warehouse_id AND l.open = 1), \
    (SELECT coalesce(sum(pl.quantity - pl.received - pl.cancelled), 0) FROM po_lines pl \
      JOIN purchase_orders po ON po.id = pl.po_id \
      WHERE pl.item_id = s.item_id AND pl.warehouse_id = s.warehouse_id AND pl.received + pl.cancelled < pl.quantity \
        AND po.status = 'issued'), \
    (SELECT coalesce(sum(bl.quantity - bl.cancelled - bl.delivered), 0) FROM po_lines pl \
      JOIN purchase_orders po ON po.id = pl.po_id JOIN backorder_links bl ON bl.po_line_id = pl.id \
      WHERE pl.item_id = s.item_id AND pl.warehouse_id = s.warehouse_id AND pl.received + pl.cancelled < pl.quantity \
        AND po.status = 'issued' AND bl.state = 'open')";

/// One event-log row.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub at: String,
    pub os_user: String,
    pub command: String,
    pub doc: String,
    pub action: String,
    pub detail: String,
}

impl Conn<'_> {
    /// On hand and reserved of an item in a warehouse (zero when it never had stock).
    pub fn get_balance(&self, item_id: i64, warehouse_id: i64) -> Result<(Qty, Qty)> {
        let mut st = self.c.prepare_cached(
            "SELECT on_hand, reserved FROM stock WHERE item_id = ?1 AND warehouse_id = ?2",
        )?;
        let row = opt(st.query_row((item_id, warehouse_id), |r| {
            Ok((Qty::from_raw(r.get(0)?), Qty::from_raw(r.get(1)?)))
        }))?;
        Ok(row.unwrap_or_default())
    }

    /// Makes sure the balance row exists so the item shows in `stock list` for that warehouse.
    pub fn ensure_balance(&self, item_id: i64, warehouse_id: i64) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO stock (item_id, warehouse_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?;
        st.execute((item_id, warehouse_id))?;
        Ok(())
    }

    /// Appends a movement and moves the balance's `on_hand` by the same quantity.
    pub fn insert_movement(&self, m: &Movement) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO movements (item_id, warehouse_id, kind, qty, date, reason, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        st.execute((
            m.item_id,
            m.warehouse_id,
            m.kind.as_str(),
            m.qty.raw(),
            m.date.to_string(),
            m.reason,
            m.doc,
        ))?;
        // Not an upsert: SQLite checks the CHECK constraint on the candidate row of an upsert.
        self.ensure_balance(m.item_id, m.warehouse_id)?;
        let mut up = self.c.prepare_cached(
            "UPDATE stock SET on_hand = on_hand + ?3 WHERE item_id = ?1 AND warehouse_id = ?2",
        )?;
        up.execute((m.item_id, m.warehouse_id, m.qty.raw()))?;
        Ok(())
    }

    /// Moves the reserved balance of an item in a warehouse by `delta` (may be negative).
    pub fn add_reserved(&self, item_id: i64, warehouse_id: i64, delta: Qty) -> Result<()> {
        if delta.is_zero() {
            return Ok(());
        }
        self.ensure_balance(item_id, warehouse_id)?;
        let mut st = self.c.prepare_cached(
            "UPDATE stock SET reserved = reserved + ?3 WHERE item_id = ?1 AND warehouse_id = ?2",
        )?;
        st.execute((item_id, warehouse_id, delta.raw()))?;
        Ok(())
    }

    /// Streams the §3.2 figures for every item and warehouse with a balance row, optionally for one
    /// SKU and/or one warehouse, in SKU then warehouse order.
    pub fn for_each_stock_row(
        &self,
        sku: Option<&str>,
        warehouse: Option<&str>,
        mut f: impl FnMut(StockRow) -> Result<()>,
    ) -> Result<()> {
        // one statement per shape, so that a single SKU is found by index
        let filter = match (sku.is_some(), warehouse.is_some()) {
            (true, true) => "i.sku = ?1 AND w.code = ?2",
            (true, false) => "i.sku = ?1 AND ?2 IS NULL",
            (false, true) => "?1 IS NULL AND w.code = ?2",
            (false, false) => "?1 IS NULL AND ?2 IS NULL",
        };
        let mut st = self.c.prepare_cached(&format!(
            "SELECT i.sku, w.code, s.on_hand, s.reserved, i.reorder_level, {FIGURES} \
             FROM stock s JOIN items i ON i.id = s.item_id JOIN warehouses w ON w.id = s.warehouse_id \
             WHERE {filter} ORDER BY i.sku, w.code"
        ))?;
        let mut rows = st.query((sku, warehouse))?;
        while let Some(r) = rows.next()? {
            f(StockRow {
                sku: r.get(0)?,
                warehouse: r.get(1)?,
                on_hand: Qty::from_raw(r.get(2)?),
                reserved: Qty::from_raw(r.get(3)?),
                committed: Qty::from_raw(r.get(5)?),
                on_order: Qty::from_raw(r.get(6)?),
                backordered: Qty::from_raw(r.get(7)?),
                reorder_level: r.get::<_, Option<i64>>(4)?.map(Qty::from_raw),
            })?;
        }
        Ok(())
    }

    /// Streams the event log of one document (or item SKU, `vendor:NAME`, ...), oldest first.
    pub fn for_each_event(&self, doc: &str, mut f: impl FnMut(Event) -> Result<()>) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "SELECT id, at, os_user, command, doc, action, detail FROM events WHERE doc = ?1 COLLATE NOCASE ORDER BY id",
        )?;
        let mut rows = st.query([doc])?;
        while let Some(r) = rows.next()? {
            f(Event {
                id: r.get(0)?,
                at: r.get(1)?,
                os_user: r.get(2)?,
                command: r.get(3)?,
                doc: r.get(4)?,
                action: r.get(5)?,
                detail: r.get(6)?,
            })?;
        }
        Ok(())
    }
}
