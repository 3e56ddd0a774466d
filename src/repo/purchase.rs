//! Purchase orders, their lines, receipts, bills, and the backorder links to sales-order lines.

use super::sales::{date_col, enum_col, opt_date_col};
use super::{opt, Conn};
use anyhow::Result;
use rusqlite::Row;
use stockroom_core::backorder::DeliverTo;
use stockroom_core::hold::{Link, LinkState};
use stockroom_core::money::DocTotals;
use stockroom_core::purchase::{BilledStatus, PoLineProgress, PoStatus, ReceivedStatus};
use stockroom_core::stock::FifoKey;
use stockroom_core::{Date, Money, Percent, Qty, SoStatus};

#[derive(Debug, Clone)]
pub struct PurchaseOrder {
    pub id: i64,
    pub vendor_id: i64,
    pub vendor: String,
    pub date: Date,
    pub expected_date: Option<Date>,
    pub deliver_to: DeliverTo,
    pub warehouse_id: Option<i64>,
    pub warehouse: Option<String>,
    pub customer_id: Option<i64>,
    pub customer: Option<String>,
    pub ship_to: String,
    pub is_backorder: bool,
    pub status: PoStatus,
    pub received_status: ReceivedStatus,
    pub billed_status: BilledStatus,
    pub subtotal: Money,
    pub discount: Money,
    pub tax: Money,
    pub charges: Money,
    pub adjustment: Money,
    pub tcs_rate: Percent,
    pub tcs: Money,
    pub total: Money,
}

impl PurchaseOrder {
    pub fn is_dropship(&self) -> bool {
        self.deliver_to == DeliverTo::Customer
    }
}

#[derive(Debug, Clone)]
pub struct PoLine {
    pub id: i64,
    pub po_id: i64,
    pub line_no: i64,
    pub item_id: i64,
    pub sku: String,
    pub warehouse_id: Option<i64>,
    pub quantity: Qty,
    pub rate: Money,
    pub tax_rate: Percent,
    pub amount: Money,
    pub tax: Money,
    pub received: Qty,
    pub billed: Qty,
    pub cancelled: Qty,
}

impl PoLine {
    pub fn progress(&self) -> PoLineProgress {
        PoLineProgress {
            quantity: self.quantity,
            received: self.received,
            billed: self.billed,
            cancelled: self.cancelled,
        }
    }
}

/// A backorder link with what the commands show about it.
#[derive(Debug, Clone)]
pub struct LinkRow {
    pub id: i64,
    pub so_line_id: i64,
    pub po_line_id: i64,
    pub so_id: i64,
    pub po_id: i64,
    pub sku: String,
    pub customer: String,
    pub vendor: String,
    pub link: Link,
    pub created: Date,
    /// The day units last reached the order line.
    pub last_delivery: Option<Date>,
    pub delivered_date: Option<Date>,
    pub done_date: Option<Date>,
    pub key: FifoKey,
}

#[derive(Debug, Clone)]
pub struct NewPurchaseOrder {
    pub vendor_id: i64,
    pub date: Date,
    pub expected_date: Option<Date>,
    pub deliver_to: DeliverTo,
    pub warehouse_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub ship_to: String,
    pub is_backorder: bool,
    pub totals: DocTotals,
    pub tcs_rate: Percent,
}

#[derive(Debug, Clone)]
pub struct NewPoLine {
    pub line_no: i64,
    pub item_id: i64,
    pub quantity: Qty,
    pub rate: Money,
    pub tax_rate: Percent,
    pub amount: Money,
    pub tax: Money,
}

/// A sales-order line that needs backordering, as the planner wants it.
#[derive(Debug, Clone)]
pub struct DemandRow {
    pub so_line_id: i64,
    pub so_id: i64,
    pub line_no: i64,
    pub confirmed: Date,
    pub customer_id: i64,
    pub warehouse_id: i64,
    pub item_id: i64,
    pub sku: String,
    pub vendor_id: Option<i64>,
    pub purchase_rate: Money,
    pub uncovered: Qty,
    pub so_status: SoStatus,
    /// The order has a package or an invoice (no drop shipment then).
    pub has_package_or_invoice: bool,
}

/// Which orders' demand to read.
#[derive(Debug, Clone, Default)]
pub struct DemandFilter {
    pub so_ids: Option<Vec<i64>>,
    pub customer_id: Option<i64>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub vendor_id: Option<i64>,
}

/// One PO line and one of its links, as a backorder run prints them.
#[derive(Debug, Clone)]
pub struct PlanRow {
    pub po_id: i64,
    pub vendor: String,
    pub deliver_to: DeliverTo,
    pub customer: Option<String>,
    pub sku: String,
    pub quantity: Qty,
    pub rate: Money,
    pub so_id: Option<i64>,
    pub line_no: Option<i64>,
    pub so_quantity: Option<Qty>,
}

/// Filters of `backorder list`.
#[derive(Debug, Clone, Default)]
pub struct LinkFilter {
    pub open_only: bool,
    pub so_id: Option<i64>,
    pub vendor_id: Option<i64>,
}

/// One bill.
#[derive(Debug, Clone)]
pub struct Bill {
    pub id: i64,
    pub po_id: i64,
    pub vendor: String,
    pub vendor_ref: String,
    pub date: Date,
    pub due_date: Option<Date>,
    pub totals: DocTotals,
    pub tcs_rate: Percent,
    /// (sku, quantity, amount, tax)
    pub lines: Vec<(String, Qty, Money, Money)>,
}

const PO_COLS: &str = "po.id, po.vendor_id, v.name, po.date, po.expected_date, po.deliver_to, po.warehouse_id, w.code, \
    po.customer_id, c.name, po.ship_to, po.is_backorder, po.status, po.received_status, po.billed_status, \
    po.subtotal, po.discount, po.tax, po.charges, po.adjustment, po.tcs_rate, po.tcs, po.total \
    FROM purchase_orders po JOIN vendors v ON v.id = po.vendor_id \
    LEFT JOIN warehouses w ON w.id = po.warehouse_id LEFT JOIN customers c ON c.id = po.customer_id";

fn purchase_order(r: &Row) -> rusqlite::Result<PurchaseOrder> {
    let m = |i: usize| -> rusqlite::Result<Money> { Ok(Money::from_raw(r.get(i)?)) };
    Ok(PurchaseOrder {
        id: r.get(0)?,
        vendor_id: r.get(1)?,
        vendor: r.get(2)?,
        date: date_col(r, 3)?,
        expected_date: opt_date_col(r, 4)?,
        deliver_to: enum_col(r, 5, DeliverTo::parse)?,
        warehouse_id: r.get(6)?,
        warehouse: r.get(7)?,
        customer_id: r.get(8)?,
        customer: r.get(9)?,
        ship_to: r.get(10)?,
        is_backorder: r.get::<_, i64>(11)? != 0,
        status: enum_col(r, 12, PoStatus::parse)?,
        received_status: enum_col(r, 13, ReceivedStatus::parse)?,
        billed_status: enum_col(r, 14, BilledStatus::parse)?,
        subtotal: m(15)?,
        discount: m(16)?,
        tax: m(17)?,
        charges: m(18)?,
        adjustment: m(19)?,
        tcs_rate: Percent::from_raw(r.get(20)?),
        tcs: m(21)?,
        total: m(22)?,
    })
}

const PO_LINE_COLS: &str = "pl.id, pl.po_id, pl.line_no, pl.item_id, i.sku, pl.warehouse_id, pl.quantity, pl.rate, \
    pl.tax_rate, pl.amount, pl.tax, pl.received, pl.billed, pl.cancelled FROM po_lines pl JOIN items i ON i.id = pl.item_id";

fn po_line(r: &Row) -> rusqlite::Result<PoLine> {
    let q = |i: usize| -> rusqlite::Result<Qty> { Ok(Qty::from_raw(r.get(i)?)) };
    Ok(PoLine {
        id: r.get(0)?,
        po_id: r.get(1)?,
        line_no: r.get(2)?,
        item_id: r.get(3)?,
        sku: r.get(4)?,
        warehouse_id: r.get(5)?,
        quantity: q(6)?,
        rate: Money::from_raw(r.get(7)?),
        tax_rate: Percent::from_raw(r.get(8)?),
        amount: Money::from_raw(r.get(9)?),
        tax: Money::from_raw(r.get(10)?),
        received: q(11)?,
        billed: q(12)?,
        cancelled: q(13)?,
    })
}

const LINK_COLS: &str = "bl.id, bl.so_line_id, bl.po_line_id, l.so_id, pl.po_id, i.sku, c.name, v.name, bl.kind, \
    bl.quantity, bl.delivered, bl.billed, bl.cancelled, bl.state, bl.created, bl.delivered_date, bl.done_date, \
    so.confirmed_date, l.line_no, bl.last_delivery \
    FROM backorder_links bl JOIN so_lines l ON l.id = bl.so_line_id JOIN sales_orders so ON so.id = l.so_id \
    JOIN customers c ON c.id = so.customer_id JOIN po_lines pl ON pl.id = bl.po_line_id \
    JOIN purchase_orders po ON po.id = pl.po_id JOIN vendors v ON v.id = po.vendor_id JOIN items i ON i.id = l.item_id";

fn link_row(r: &Row) -> rusqlite::Result<LinkRow> {
    let q = |i: usize| -> rusqlite::Result<Qty> { Ok(Qty::from_raw(r.get(i)?)) };
    let so_id: i64 = r.get(3)?;
    Ok(LinkRow {
        id: r.get(0)?,
        so_line_id: r.get(1)?,
        po_line_id: r.get(2)?,
        so_id,
        po_id: r.get(4)?,
        sku: r.get(5)?,
        customer: r.get(6)?,
        vendor: r.get(7)?,
        link: Link {
            dropship: r.get::<_, String>(8)? == "dropship",
            quantity: q(9)?,
            delivered: q(10)?,
            billed: q(11)?,
            cancelled: q(12)?,
            state: enum_col(r, 13, LinkState::parse)?,
        },
        created: date_col(r, 14)?,
        last_delivery: opt_date_col(r, 19)?,
        delivered_date: opt_date_col(r, 15)?,
        done_date: opt_date_col(r, 16)?,
        key: FifoKey {
            confirmed: date_col(r, 17)?,
            so_id,
            line_no: r.get(18)?,
        },
    })
}

impl Conn<'_> {
    pub fn insert_purchase_order(&self, po: &NewPurchaseOrder) -> Result<i64> {
        let t = &po.totals;
        let mut st = self.c.prepare_cached(
            "INSERT INTO purchase_orders (vendor_id, date, expected_date, deliver_to, warehouse_id, customer_id, ship_to, \
             is_backorder, subtotal, discount, tax, charges, adjustment, tcs_rate, tcs, total) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        st.execute(rusqlite::params![
            po.vendor_id,
            po.date.to_string(),
            po.expected_date.map(|d| d.to_string()),
            po.deliver_to.as_str(),
            po.warehouse_id,
            po.customer_id,
            po.ship_to,
            i64::from(po.is_backorder),
            t.subtotal.raw(),
            t.discount.raw(),
            t.tax.raw(),
            t.charges.raw(),
            t.adjustment.raw(),
            po.tcs_rate.raw(),
            t.tcs.raw(),
            t.total.raw(),
        ])?;
        Ok(self.c.last_insert_rowid())
    }

    pub fn insert_po_line(
        &self,
        po_id: i64,
        warehouse_id: Option<i64>,
        l: &NewPoLine,
    ) -> Result<i64> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO po_lines (po_id, line_no, item_id, warehouse_id, quantity, rate, tax_rate, amount, tax) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        st.execute(rusqlite::params![
            po_id,
            l.line_no,
            l.item_id,
            warehouse_id,
            l.quantity.raw(),
            l.rate.raw(),
            l.tax_rate.raw(),
            l.amount.raw(),
            l.tax.raw(),
        ])?;
        Ok(self.c.last_insert_rowid())
    }

    pub fn insert_link(
        &self,
        so_line_id: i64,
        po_line_id: i64,
        dropship: bool,
        qty: Qty,
        created: Date,
    ) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO backorder_links (so_line_id, po_line_id, kind, quantity, created) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        st.execute(rusqlite::params![
            so_line_id,
            po_line_id,
            if dropship { "dropship" } else { "warehouse" },
            qty.raw(),
            created.to_string()
        ])?;
        Ok(())
    }

    pub fn find_purchase_order(&self, id: i64) -> Result<Option<PurchaseOrder>> {
        let mut st = self
            .c
            .prepare_cached(&format!("SELECT {PO_COLS} WHERE po.id = ?1"))?;
        Ok(opt(st.query_row([id], purchase_order))?)
    }

    pub fn po_lines(&self, po_id: i64) -> Result<Vec<PoLine>> {
        self.collect(
            &format!("SELECT {PO_LINE_COLS} WHERE pl.po_id = ?1 ORDER BY pl.line_no"),
            [po_id],
            po_line,
        )
    }

    pub fn update_po_line(&self, l: &PoLine) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "UPDATE po_lines SET received = ?2, billed = ?3, cancelled = ?4 WHERE id = ?1",
        )?;
        st.execute((l.id, l.received.raw(), l.billed.raw(), l.cancelled.raw()))?;
        Ok(())
    }

    pub fn update_po_status(&self, po: &PurchaseOrder) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "UPDATE purchase_orders SET status = ?2, received_status = ?3, billed_status = ?4 WHERE id = ?1",
        )?;
        st.execute((
            po.id,
            po.status.as_str(),
            po.received_status.as_str(),
            po.billed_status.as_str(),
        ))?;
        Ok(())
    }

    /// Streams purchase orders, optionally of one status and/or vendor, in number order.
    pub fn for_each_purchase_order(
        &self,
        status: Option<PoStatus>,
        vendor_id: Option<i64>,
        mut f: impl FnMut(PurchaseOrder) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare_cached(&format!(
            "SELECT {PO_COLS} WHERE (?1 IS NULL OR po.status = ?1) AND (?2 IS NULL OR po.vendor_id = ?2) ORDER BY po.id"
        ))?;
        let mut rows = st.query((status.map(PoStatus::as_str), vendor_id))?;
        while let Some(r) = rows.next()? {
            f(purchase_order(r)?)?;
        }
        Ok(())
    }

    /// Numbers of the sales orders a PO serves.
    pub fn linked_so_ids(&self, po_id: i64) -> Result<Vec<i64>> {
        self.collect("SELECT DISTINCT l.so_id FROM po_lines pl JOIN backorder_links bl ON bl.po_line_id = pl.id \
             JOIN so_lines l ON l.id = bl.so_line_id WHERE pl.po_id = ?1 ORDER BY l.so_id", [po_id], |r| r.get(0))
    }

    pub fn links_of_po_line(&self, po_line_id: i64) -> Result<Vec<LinkRow>> {
        self.collect(
            &format!("SELECT {LINK_COLS} WHERE bl.po_line_id = ?1 ORDER BY bl.id"),
            [po_line_id],
            link_row,
        )
    }

    pub fn links_of_so(&self, so_id: i64) -> Result<Vec<LinkRow>> {
        self.collect(
            &format!("SELECT {LINK_COLS} WHERE l.so_id = ?1 ORDER BY bl.id"),
            [so_id],
            link_row,
        )
    }

    pub fn update_link(&self, l: &LinkRow) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "UPDATE backorder_links SET delivered = ?2, billed = ?3, cancelled = ?4, state = ?5, delivered_date = ?6, \
             done_date = ?7, last_delivery = ?8 WHERE id = ?1",
        )?;
        st.execute(rusqlite::params![
            l.id,
            l.link.delivered.raw(),
            l.link.billed.raw(),
            l.link.cancelled.raw(),
            l.link.state.as_str(),
            l.delivered_date.map(|d| d.to_string()),
            l.done_date.map(|d| d.to_string()),
            l.last_delivery.map(|d| d.to_string()),
        ])?;
        Ok(())
    }

    /// Streams backorder links for `backorder list`.
    pub fn for_each_link(
        &self,
        f: &LinkFilter,
        mut each: impl FnMut(LinkRow) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare_cached(&format!(
            "SELECT {LINK_COLS} WHERE (?1 = 0 OR bl.state = 'open') AND (?2 IS NULL OR l.so_id = ?2) \
             AND (?3 IS NULL OR po.vendor_id = ?3) ORDER BY bl.id"
        ))?;
        let mut rows = st.query((i64::from(f.open_only), f.so_id, f.vendor_id))?;
        while let Some(r) = rows.next()? {
            each(link_row(r)?)?;
        }
        Ok(())
    }

    /// Streams the lines and links of POs `from..=to` (one backorder run), in PO and line order.
    pub fn for_each_plan_row(
        &self,
        from: i64,
        to: i64,
        mut f: impl FnMut(PlanRow) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "SELECT po.id, v.name, po.deliver_to, c.name, i.sku, pl.quantity, pl.rate, l.so_id, l.line_no, bl.quantity \
             FROM purchase_orders po JOIN vendors v ON v.id = po.vendor_id LEFT JOIN customers c ON c.id = po.customer_id \
             JOIN po_lines pl ON pl.po_id = po.id JOIN items i ON i.id = pl.item_id \
             LEFT JOIN backorder_links bl ON bl.po_line_id = pl.id LEFT JOIN so_lines l ON l.id = bl.so_line_id \
             WHERE po.id BETWEEN ?1 AND ?2 ORDER BY po.id, pl.line_no, bl.id",
        )?;
        let mut rows = st.query((from, to))?;
        while let Some(r) = rows.next()? {
            f(PlanRow {
                po_id: r.get(0)?,
                vendor: r.get(1)?,
                deliver_to: enum_col(r, 2, DeliverTo::parse)?,
                customer: r.get(3)?,
                sku: r.get(4)?,
                quantity: Qty::from_raw(r.get(5)?),
                rate: Money::from_raw(r.get(6)?),
                so_id: r.get(7)?,
                line_no: r.get(8)?,
                so_quantity: r.get::<_, Option<i64>>(9)?.map(Qty::from_raw),
            })?;
        }
        Ok(())
    }

    /// Turns the open links of an order's lines into surplus; returns the POs they were on.
    pub fn surplus_links_of_so(&self, so_id: i64) -> Result<Vec<i64>> {
        let mut st = self.c.prepare_cached(
            "SELECT DISTINCT pl.po_id FROM backorder_links bl JOIN so_lines l ON l.id = bl.so_line_id \
             JOIN po_lines pl ON pl.id = bl.po_line_id WHERE l.so_id = ?1 AND bl.state = 'open' ORDER BY pl.po_id",
        )?;
        let pos: Vec<i64> = st
            .query_map([so_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        self.c.execute(
            "UPDATE backorder_links SET state = 'surplus' WHERE state = 'open' \
             AND so_line_id IN (SELECT id FROM so_lines WHERE so_id = ?1)",
            [so_id],
        )?;
        Ok(pos)
    }

    /// Streams the lines with uncovered shortfall on confirmed or on-hold orders, oldest
    /// confirmation first.
    pub fn for_each_demand(
        &self,
        f: &DemandFilter,
        mut each: impl FnMut(DemandRow) -> Result<()>,
    ) -> Result<()> {
        let ids = f.so_ids.as_ref().map(|v| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        });
        let mut st = self.c.prepare_cached(&format!(
            "SELECT l.id, l.so_id, l.line_no, so.confirmed_date, so.customer_id, l.item_id, i.sku, i.vendor_id, \
             i.purchase_rate, l.warehouse_id, l.quantity - l.shipped - l.dropshipped - l.reserved - {outstanding} AS unc, \
             so.status, (so.invoice_status <> 'not_invoiced' OR EXISTS (SELECT 1 FROM packages p WHERE p.so_id = so.id)) \
             FROM so_lines l JOIN sales_orders so ON so.id = l.so_id JOIN items i ON i.id = l.item_id \
             WHERE l.open = 1 AND so.status IN ('confirmed', 'on_hold') AND unc > 0 \
             AND (?1 IS NULL OR so.id IN (SELECT value FROM json_each('[' || ?1 || ']'))) \
             AND (?2 IS NULL OR so.customer_id = ?2) AND (?3 IS NULL OR so.date >= ?3) AND (?4 IS NULL OR so.date <= ?4) \
             AND (?5 IS NULL OR i.vendor_id = ?5) \
             ORDER BY so.confirmed_date, l.so_id, l.line_no",
            outstanding = super::sales::LINK_OUTSTANDING
        ))?;
        let mut rows = st.query(rusqlite::params![
            ids,
            f.customer_id,
            f.from.map(|d| d.to_string()),
            f.to.map(|d| d.to_string()),
            f.vendor_id
        ])?;
        while let Some(r) = rows.next()? {
            each(DemandRow {
                so_line_id: r.get(0)?,
                so_id: r.get(1)?,
                line_no: r.get(2)?,
                confirmed: date_col(r, 3)?,
                customer_id: r.get(4)?,
                item_id: r.get(5)?,
                sku: r.get(6)?,
                vendor_id: r.get(7)?,
                purchase_rate: Money::from_raw(r.get(8)?),
                warehouse_id: r.get(9)?,
                uncovered: Qty::from_raw(r.get(10)?),
                so_status: enum_col(r, 11, SoStatus::parse)?,
                has_package_or_invoice: r.get::<_, i64>(12)? != 0,
            })?;
        }
        Ok(())
    }

    // ---- receipts ----

    pub fn insert_receipt(&self, po_id: i64, date: Date, lines: &[(i64, Qty)]) -> Result<i64> {
        self.c.execute(
            "INSERT INTO receipts (po_id, date) VALUES (?1, ?2)",
            (po_id, date.to_string()),
        )?;
        let id = self.c.last_insert_rowid();
        let mut st = self.c.prepare_cached(
            "INSERT INTO receipt_lines (receipt_id, po_line_id, quantity) VALUES (?1, ?2, ?3)",
        )?;
        for (line, q) in lines {
            st.execute((id, line, q.raw()))?;
        }
        Ok(id)
    }

    /// Receipts of a PO: `(id, date, total quantity)`.
    pub fn list_receipts(&self, po_id: i64) -> Result<Vec<(i64, Date, Qty)>> {
        self.collect("SELECT r.id, r.date, coalesce(sum(rl.quantity), 0) FROM receipts r LEFT JOIN receipt_lines rl ON rl.receipt_id = r.id \
             WHERE r.po_id = ?1 GROUP BY r.id ORDER BY r.id", [po_id], |r| {
            Ok((r.get(0)?, date_col(r, 1)?, Qty::from_raw(r.get(2)?)))
        })
    }

    // ---- bills ----

    #[allow(clippy::too_many_arguments)]
    pub fn insert_bill(
        &self,
        po_id: i64,
        vendor_ref: &str,
        date: Date,
        due_date: Option<Date>,
        t: &DocTotals,
        tcs_rate: Percent,
        lines: &[(i64, Qty, Money, Money)],
    ) -> Result<i64> {
        self.c.execute(
            "INSERT INTO bills (po_id, vendor_ref, date, due_date, subtotal, discount, tax, charges, adjustment, tcs_rate, tcs, total) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            rusqlite::params![
                po_id,
                vendor_ref,
                date.to_string(),
                due_date.map(|d| d.to_string()),
                t.subtotal.raw(),
                t.discount.raw(),
                t.tax.raw(),
                t.charges.raw(),
                t.adjustment.raw(),
                tcs_rate.raw(),
                t.tcs.raw(),
                t.total.raw()
            ],
        )?;
        let id = self.c.last_insert_rowid();
        let mut st = self.c.prepare_cached(
            "INSERT INTO bill_lines (bill_id, po_line_id, quantity, amount, tax) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (line, q, amount, tax) in lines {
            st.execute((id, line, q.raw(), amount.raw(), tax.raw()))?;
        }
        Ok(id)
    }

    fn bill_from_row(&self, r: &Row) -> rusqlite::Result<Bill> {
        let m = |i: usize| -> rusqlite::Result<Money> { Ok(Money::from_raw(r.get(i)?)) };
        Ok(Bill {
            id: r.get(0)?,
            po_id: r.get(1)?,
            vendor: r.get(2)?,
            vendor_ref: r.get(3)?,
            date: date_col(r, 4)?,
            due_date: opt_date_col(r, 5)?,
            totals: DocTotals {
                subtotal: m(6)?,
                discount: m(7)?,
                tax: m(8)?,
                charges: m(9)?,
                adjustment: m(10)?,
                tcs: m(12)?,
                total: m(13)?,
            },
            tcs_rate: Percent::from_raw(r.get(11)?),
            lines: Vec::new(),
        })
    }

    const BILL_COLS: &'static str = "b.id, b.po_id, v.name, b.vendor_ref, b.date, b.due_date, b.subtotal, b.discount, b.tax, \
        b.charges, b.adjustment, b.tcs_rate, b.tcs, b.total FROM bills b JOIN purchase_orders po ON po.id = b.po_id \
        JOIN vendors v ON v.id = po.vendor_id";

    pub fn find_bill(&self, id: i64) -> Result<Option<Bill>> {
        let mut st = self
            .c
            .prepare_cached(&format!("SELECT {} WHERE b.id = ?1", Self::BILL_COLS))?;
        let Some(mut bill) = opt(st.query_row([id], |r| self.bill_from_row(r)))? else {
            return Ok(None);
        };
        let mut ls = self.c.prepare_cached(
            "SELECT i.sku, bl.quantity, bl.amount, bl.tax FROM bill_lines bl JOIN po_lines pl ON pl.id = bl.po_line_id \
             JOIN items i ON i.id = pl.item_id WHERE bl.bill_id = ?1 ORDER BY pl.line_no",
        )?;
        bill.lines = ls
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    Qty::from_raw(r.get(1)?),
                    Money::from_raw(r.get(2)?),
                    Money::from_raw(r.get(3)?),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(bill))
    }

    /// What the PO's bills so far came to before discount and charges (Σ their line amounts).
    pub fn po_billed_subtotal(&self, po_id: i64) -> Result<Money> {
        let mut st = self
            .c
            .prepare_cached("SELECT coalesce(sum(subtotal), 0) FROM bills WHERE po_id = ?1")?;
        Ok(Money::from_raw(st.query_row([po_id], |r| r.get(0))?))
    }

    /// Streams bills (optionally of one PO) in number order, without lines.
    pub fn for_each_bill(
        &self,
        po_id: Option<i64>,
        mut f: impl FnMut(Bill) -> Result<()>,
    ) -> Result<()> {
        // one statement per shape, so that the PO's bills are found by index
        let sql = match po_id {
            Some(_) => format!(
                "SELECT {} WHERE b.po_id = ?1 ORDER BY b.id",
                Self::BILL_COLS
            ),
            None => format!("SELECT {} WHERE ?1 IS NULL ORDER BY b.id", Self::BILL_COLS),
        };
        let mut st = self.c.prepare_cached(&sql)?;
        let mut rows = st.query([po_id])?;
        while let Some(r) = rows.next()? {
            f(self.bill_from_row(r)?)?;
        }
        Ok(())
    }
}

impl Conn<'_> {
    /// Orders a change of the `hold_release` rule may hold or release: those on hold and those
    /// with an open backorder link.
    pub fn list_so_ids_held_or_linked(&self) -> Result<Vec<i64>> {
        self.collect(
            "SELECT id FROM sales_orders WHERE status = 'on_hold' \
             UNION SELECT l.so_id FROM backorder_links bl JOIN so_lines l ON l.id = bl.so_line_id \
             WHERE bl.state = 'open' ORDER BY 1",
            [],
            |r| r.get(0),
        )
    }
}
