//! Read-only queries behind `report backorders` and `report stock`. They stream plain values into
//! the core's metrics one sales-order line at a time, so a report over years of orders keeps
//! memory flat; every rule about what the values mean lives in `stockroom_core::metrics`.

use super::sales::{date_col, enum_col, opt_date_col};
use super::Conn;
use anyhow::Result;
use std::collections::HashMap;
use stockroom_core::hold::LinkState;
use stockroom_core::metrics::{LineFacts, LinkFacts, Window};
use stockroom_core::Qty;

impl Conn<'_> {
    /// Streams every line of the sales orders confirmed in `w` (draft and void orders excluded),
    /// each with all its backorder links, in order of SO number then line.
    pub fn for_each_report_line(
        &self,
        w: &Window,
        mut each: impl FnMut(LineFacts) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "SELECT l.id, l.so_id, so.confirmed_date, c.name, i.sku, pv.name, l.quantity, l.shortfall_at_confirm, \
             bl.id, v.name, bl.quantity - bl.cancelled, bl.delivered, bl.state, bl.created, bl.delivered_date \
             FROM sales_orders so JOIN so_lines l ON l.so_id = so.id \
             JOIN customers c ON c.id = so.customer_id JOIN items i ON i.id = l.item_id \
             LEFT JOIN vendors pv ON pv.id = i.vendor_id \
             LEFT JOIN backorder_links bl ON bl.so_line_id = l.id \
             LEFT JOIN po_lines pl ON pl.id = bl.po_line_id \
             LEFT JOIN purchase_orders po ON po.id = pl.po_id \
             LEFT JOIN vendors v ON v.id = po.vendor_id \
             WHERE so.status NOT IN ('draft', 'void') AND so.confirmed_date IS NOT NULL \
             AND (?1 IS NULL OR so.confirmed_date >= ?1) AND so.confirmed_date <= ?2 \
             ORDER BY so.id, l.line_no, bl.po_line_id",
        )?;
        let mut rows = st.query((w.from.map(|d| d.to_string()), w.to.to_string()))?;
        let mut current: Option<(i64, LineFacts)> = None;
        while let Some(r) = rows.next()? {
            let line_id: i64 = r.get(0)?;
            if current.as_ref().is_none_or(|(id, _)| *id != line_id) {
                if let Some((_, done)) = current.take() {
                    each(done)?;
                }
                current = Some((
                    line_id,
                    LineFacts {
                        so_id: r.get(1)?,
                        confirmed: date_col(r, 2)?,
                        customer: r.get(3)?,
                        sku: r.get(4)?,
                        preferred_vendor: r.get(5)?,
                        quantity: Qty::from_raw(r.get(6)?),
                        shortfall_at_confirm: Qty::from_raw(r.get(7)?),
                        links: Vec::new(),
                    },
                ));
            }
            if r.get::<_, Option<i64>>(8)?.is_some() {
                if let Some((_, line)) = current.as_mut() {
                    line.links.push(LinkFacts {
                        vendor: r.get(9)?,
                        quantity: Qty::from_raw(r.get(10)?),
                        delivered: Qty::from_raw(r.get(11)?),
                        state: enum_col(r, 12, LinkState::parse)?,
                        created: date_col(r, 13)?,
                        delivered_date: opt_date_col(r, 14)?,
                    });
                }
            }
        }
        if let Some((_, done)) = current {
            each(done)?;
        }
        Ok(())
    }

    /// Quantity on draft purchase orders per (SKU, warehouse code): ordered in a draft, not yet on
    /// order, but no longer something to order again.
    pub fn draft_on_order(&self) -> Result<HashMap<(String, String), Qty>> {
        let mut st = self.c.prepare_cached(
            "SELECT i.sku, w.code, sum(pl.quantity - pl.received - pl.cancelled) \
             FROM purchase_orders po JOIN po_lines pl ON pl.po_id = po.id \
             JOIN items i ON i.id = pl.item_id JOIN warehouses w ON w.id = pl.warehouse_id \
             WHERE po.status = 'draft' GROUP BY pl.item_id, pl.warehouse_id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(((r.get(0)?, r.get(1)?), Qty::from_raw(r.get(2)?)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
