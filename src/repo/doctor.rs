//! What `doctor` reads: the stored figures of every stock row, order line, PO line and link next
//! to what the ledger, the documents and the links add up to, streamed in a few set-based queries
//! (aggregates are grouped once, never re-summed per row), plus SQLite's own integrity and
//! foreign-key checks. The rules that compare them live in `stockroom_core::doctor`.

use super::sales::enum_col;
use super::Conn;
use anyhow::Result;
use rusqlite::Row;
use stockroom_core::backorder::DeliverTo;
use stockroom_core::doctor::{LinkFacts, OrphanRow, PoLineFacts, SoLineFacts, StockFacts};
use stockroom_core::hold::{Link, LinkState};
use stockroom_core::purchase::{BilledStatus, PoLineProgress, PoStatus, ReceivedStatus};
use stockroom_core::{DocKind, DocNumber, InvoiceStatus, Qty, ShipmentStatus, SoStatus};

/// One stock balance (or an item and warehouse that has movements or reservations but no balance
/// row), with its ids so the caller can attach what waits for it.
#[derive(Debug, Clone)]
pub struct StockCheckRow {
    pub item_id: i64,
    pub warehouse_id: i64,
    pub facts: StockFacts,
}

/// A sales order's header as `doctor` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoCheckHeader {
    pub id: i64,
    pub status: SoStatus,
    pub held_from: Option<SoStatus>,
    pub shipment_status: ShipmentStatus,
    pub invoice_status: InvoiceStatus,
}

/// One row of the order-line stream: the order's header, and its line (None for an order
/// without lines).
#[derive(Debug, Clone)]
pub struct SoLineCheckRow {
    pub header: SoCheckHeader,
    pub line: Option<(i64, i64, SoLineFacts)>,
}

/// A purchase order's header as `doctor` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoCheckHeader {
    pub id: i64,
    pub status: PoStatus,
    pub dropship: bool,
    pub received_status: ReceivedStatus,
    pub billed_status: BilledStatus,
}

/// One row of the PO-line stream: the PO's header and its line (None for a PO without lines).
#[derive(Debug, Clone)]
pub struct PoLineCheckRow {
    pub header: PoCheckHeader,
    pub line: Option<PoLineFacts>,
}

fn qty(r: &Row, i: usize) -> rusqlite::Result<Qty> {
    Ok(Qty::from_raw(r.get(i)?))
}

fn opt_status(r: &Row, i: usize) -> rusqlite::Result<Option<SoStatus>> {
    match r.get::<_, Option<String>>(i)? {
        None => Ok(None),
        Some(_) => Ok(Some(enum_col(r, i, SoStatus::parse)?)),
    }
}

impl Conn<'_> {
    /// `PRAGMA integrity_check`: `["ok"]` when the file is sound.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut st = self.c.prepare("PRAGMA integrity_check")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `PRAGMA foreign_key_check`: every row whose parent row is missing.
    pub fn foreign_key_check(&self) -> Result<Vec<OrphanRow>> {
        let mut st = self.c.prepare("PRAGMA foreign_key_check")?;
        let rows = st.query_map([], |r| {
            Ok(OrphanRow {
                table: r.get(0)?,
                rowid: r.get(1)?,
                parent: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Streams the event ids in ascending order.
    pub fn for_each_event_id(&self, mut f: impl FnMut(i64)) -> Result<()> {
        let mut st = self.c.prepare("SELECT id FROM events ORDER BY id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            f(r.get(0)?);
        }
        Ok(())
    }

    /// Streams every backorder link with the order it belongs to (`so_id`).
    pub fn for_each_link_check(
        &self,
        mut f: impl FnMut(i64, LinkFacts) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare(
            "SELECT coalesce(pl.po_id, 0), coalesce(l.so_id, 0), coalesce(i.sku, '#' || bl.so_line_id), bl.kind, \
             bl.quantity, bl.delivered, bl.billed, bl.cancelled, bl.state \
             FROM backorder_links bl LEFT JOIN so_lines l ON l.id = bl.so_line_id \
             LEFT JOIN po_lines pl ON pl.id = bl.po_line_id LEFT JOIN items i ON i.id = l.item_id \
             ORDER BY bl.id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let so_id: i64 = r.get(1)?;
            f(
                so_id,
                LinkFacts {
                    po: DocNumber::new(DocKind::PurchaseOrder, r.get(0)?),
                    so: DocNumber::new(DocKind::SalesOrder, so_id),
                    sku: r.get(2)?,
                    link: Link {
                        dropship: r.get::<_, String>(3)? == "dropship",
                        quantity: qty(r, 4)?,
                        delivered: qty(r, 5)?,
                        billed: qty(r, 6)?,
                        cancelled: qty(r, 7)?,
                        state: enum_col(r, 8, LinkState::parse)?,
                    },
                },
            )?;
        }
        Ok(())
    }

    /// Streams every sales order with its lines, in order then line number, each line next to
    /// what its links, packages and invoices add up to.
    pub fn for_each_so_line_check(
        &self,
        mut f: impl FnMut(SoLineCheckRow) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare(
            "WITH ol AS (SELECT so_line_id, sum(quantity - cancelled - delivered) AS q FROM backorder_links \
                         WHERE state = 'open' GROUP BY so_line_id), \
                  dl AS (SELECT so_line_id, sum(delivered) AS q FROM backorder_links \
                         WHERE kind = 'dropship' GROUP BY so_line_id), \
                  pk AS (SELECT pkl.so_line_id, \
                                sum(CASE WHEN p.status = 'packed' THEN pkl.quantity ELSE 0 END) AS packed, \
                                sum(CASE WHEN p.status = 'shipped' THEN pkl.quantity ELSE 0 END) AS shipped \
                         FROM package_lines pkl JOIN packages p ON p.id = pkl.package_id GROUP BY pkl.so_line_id), \
                  il AS (SELECT so_line_id, sum(quantity) AS q FROM invoice_lines GROUP BY so_line_id) \
             SELECT so.id, so.status, so.held_from, so.shipment_status, so.invoice_status, \
                    l.id, l.line_no, l.item_id, l.warehouse_id, coalesce(i.sku, '#' || l.item_id), \
                    l.quantity, l.reserved, l.packed, l.shipped, l.dropshipped, l.invoiced, l.open, \
                    coalesce(ol.q, 0), coalesce(pk.packed, 0), coalesce(pk.shipped, 0), coalesce(il.q, 0), coalesce(dl.q, 0) \
             FROM sales_orders so LEFT JOIN so_lines l ON l.so_id = so.id LEFT JOIN items i ON i.id = l.item_id \
             LEFT JOIN ol ON ol.so_line_id = l.id LEFT JOIN dl ON dl.so_line_id = l.id \
             LEFT JOIN pk ON pk.so_line_id = l.id LEFT JOIN il ON il.so_line_id = l.id \
             ORDER BY so.id, l.line_no",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let header = SoCheckHeader {
                id: r.get(0)?,
                status: enum_col(r, 1, SoStatus::parse)?,
                held_from: opt_status(r, 2)?,
                shipment_status: enum_col(r, 3, ShipmentStatus::parse)?,
                invoice_status: enum_col(r, 4, InvoiceStatus::parse)?,
            };
            let line = match r.get::<_, Option<i64>>(5)? {
                None => None,
                Some(_) => Some((
                    r.get(7)?,
                    r.get(8)?,
                    SoLineFacts {
                        so: DocNumber::new(DocKind::SalesOrder, header.id),
                        line_no: r.get(6)?,
                        sku: r.get(9)?,
                        order_status: header.status,
                        quantity: qty(r, 10)?,
                        reserved: qty(r, 11)?,
                        packed: qty(r, 12)?,
                        shipped: qty(r, 13)?,
                        dropshipped: qty(r, 14)?,
                        invoiced: qty(r, 15)?,
                        open: r.get::<_, i64>(16)? != 0,
                        outstanding: qty(r, 17)?,
                        packed_docs: qty(r, 18)?,
                        shipped_docs: qty(r, 19)?,
                        invoiced_docs: qty(r, 20)?,
                        dropshipped_links: qty(r, 21)?,
                    },
                )),
            };
            f(SoLineCheckRow { header, line })?;
        }
        Ok(())
    }

    /// Streams every purchase order with its lines, each next to what its links, receipts and
    /// bills add up to.
    pub fn for_each_po_line_check(
        &self,
        mut f: impl FnMut(PoLineCheckRow) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare(
            "WITH lk AS (SELECT po_line_id, sum(quantity - cancelled) AS links, \
                                sum(CASE WHEN state = 'open' THEN quantity - cancelled - delivered ELSE 0 END) AS outstanding, \
                                sum(delivered) AS delivered \
                         FROM backorder_links GROUP BY po_line_id), \
                  rl AS (SELECT po_line_id, sum(quantity) AS q FROM receipt_lines GROUP BY po_line_id), \
                  bl AS (SELECT po_line_id, sum(quantity) AS q FROM bill_lines GROUP BY po_line_id) \
             SELECT po.id, po.status, po.deliver_to, po.received_status, po.billed_status, \
                    pl.id, pl.line_no, coalesce(i.sku, '#' || pl.item_id), pl.quantity, pl.received, pl.billed, pl.cancelled, \
                    coalesce(lk.links, 0), coalesce(lk.outstanding, 0), coalesce(lk.delivered, 0), \
                    coalesce(rl.q, 0), coalesce(bl.q, 0) \
             FROM purchase_orders po LEFT JOIN po_lines pl ON pl.po_id = po.id LEFT JOIN items i ON i.id = pl.item_id \
             LEFT JOIN lk ON lk.po_line_id = pl.id LEFT JOIN rl ON rl.po_line_id = pl.id \
             LEFT JOIN bl ON bl.po_line_id = pl.id \
             ORDER BY po.id, pl.line_no",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let header = PoCheckHeader {
                id: r.get(0)?,
                status: enum_col(r, 1, PoStatus::parse)?,
                dropship: enum_col(r, 2, DeliverTo::parse)? == DeliverTo::Customer,
                received_status: enum_col(r, 3, ReceivedStatus::parse)?,
                billed_status: enum_col(r, 4, BilledStatus::parse)?,
            };
            let line = match r.get::<_, Option<i64>>(5)? {
                None => None,
                Some(_) => Some(PoLineFacts {
                    po: DocNumber::new(DocKind::PurchaseOrder, header.id),
                    line_no: r.get(6)?,
                    sku: r.get(7)?,
                    dropship: header.dropship,
                    progress: PoLineProgress {
                        quantity: qty(r, 8)?,
                        received: qty(r, 9)?,
                        billed: qty(r, 10)?,
                        cancelled: qty(r, 11)?,
                    },
                    links: qty(r, 12)?,
                    outstanding: qty(r, 13)?,
                    delivered: qty(r, 14)?,
                    received_docs: qty(r, 15)?,
                    billed_docs: qty(r, 16)?,
                }),
            };
            f(PoLineCheckRow { header, line })?;
        }
        Ok(())
    }

    /// Streams every stock balance next to the sum of its movements and of its order lines'
    /// reservations — including items and warehouses that have movements or reservations but
    /// no balance row (their balance counts as zero).
    pub fn for_each_stock_check(
        &self,
        mut f: impl FnMut(StockCheckRow) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare(
            "WITH mv AS (SELECT item_id, warehouse_id, sum(qty) AS q FROM movements GROUP BY item_id, warehouse_id), \
                  rs AS (SELECT item_id, warehouse_id, sum(reserved) AS q FROM so_lines GROUP BY item_id, warehouse_id \
                         HAVING sum(reserved) <> 0), \
                  k AS (SELECT item_id, warehouse_id FROM stock UNION SELECT item_id, warehouse_id FROM mv \
                        UNION SELECT item_id, warehouse_id FROM rs) \
             SELECT k.item_id, k.warehouse_id, coalesce(i.sku, '#' || k.item_id), coalesce(w.code, '#' || k.warehouse_id), \
                    coalesce(s.on_hand, 0), coalesce(s.reserved, 0), coalesce(mv.q, 0), coalesce(rs.q, 0) \
             FROM k LEFT JOIN stock s ON s.item_id = k.item_id AND s.warehouse_id = k.warehouse_id \
             LEFT JOIN mv ON mv.item_id = k.item_id AND mv.warehouse_id = k.warehouse_id \
             LEFT JOIN rs ON rs.item_id = k.item_id AND rs.warehouse_id = k.warehouse_id \
             LEFT JOIN items i ON i.id = k.item_id LEFT JOIN warehouses w ON w.id = k.warehouse_id \
             ORDER BY 3, 4",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            f(StockCheckRow {
                item_id: r.get(0)?,
                warehouse_id: r.get(1)?,
                facts: StockFacts {
                    sku: r.get(2)?,
                    warehouse: r.get(3)?,
                    on_hand: qty(r, 4)?,
                    reserved: qty(r, 5)?,
                    movements: qty(r, 6)?,
                    lines_reserved: qty(r, 7)?,
                    waiting: Qty::ZERO,
                },
            })?;
        }
        Ok(())
    }
}

/// `PRAGMA quick_check` of another database file (a fresh backup): `["ok"]` when its pages and
/// indexes are sound. Opened for writing (never created) only so that closing it, as the last
/// connection, removes its `-wal` and `-shm` files; the check itself writes nothing.
pub fn quick_check_file(path: &std::path::Path) -> Result<Vec<String>> {
    let c = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut st = c.prepare("PRAGMA quick_check")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
