//! Sales orders, their lines, packages and invoices.

use super::{opt, Conn};
use anyhow::Result;
use rusqlite::Row;
use stockroom_core::stock::{FifoKey, Releasable, Waiting};
use stockroom_core::{
    parse_date, Date, InvoiceStatus, LineProgress, Money, Percent, Qty, ShipmentStatus, SoStatus,
};

/// A sales order's header.
#[derive(Debug, Clone)]
pub struct SalesOrder {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub warehouse_id: i64,
    pub warehouse: String,
    pub date: Date,
    pub shipment_date: Option<Date>,
    pub reference: String,
    pub channel: Option<String>,
    pub external_id: Option<String>,
    pub notes: String,
    pub status: SoStatus,
    pub held_from: Option<SoStatus>,
    pub shipment_status: ShipmentStatus,
    pub invoice_status: InvoiceStatus,
    pub confirmed_date: Option<Date>,
    pub subtotal: Money,
    pub discount: Money,
    pub tax: Money,
    pub charges: Money,
    pub adjustment: Money,
    pub total: Money,
    /// How many lines the order has.
    pub line_count: i64,
}

/// One sales-order line with its tracked quantities. `backordered` is what its open backorder
/// links still have to deliver (computed from the links).
#[derive(Debug, Clone)]
pub struct SoLine {
    pub id: i64,
    pub so_id: i64,
    pub line_no: i64,
    pub item_id: i64,
    pub sku: String,
    pub warehouse_id: i64,
    pub quantity: Qty,
    pub rate: Money,
    pub tax_rate: Percent,
    pub discount: Money,
    pub amount: Money,
    pub tax: Money,
    pub reserved: Qty,
    pub packed: Qty,
    pub shipped: Qty,
    pub dropshipped: Qty,
    pub invoiced: Qty,
    pub shortfall_at_confirm: Qty,
    pub open: bool,
    pub backordered: Qty,
}

impl SoLine {
    pub fn progress(&self) -> LineProgress {
        LineProgress {
            quantity: self.quantity,
            shipped: self.shipped,
            dropshipped: self.dropshipped,
            invoiced: self.invoiced,
        }
    }
    /// The uncovered shortfall (SPEC §3.3).
    pub fn uncovered(&self) -> Qty {
        stockroom_core::stock::uncovered(
            self.quantity,
            self.shipped,
            self.dropshipped,
            self.reserved,
            self.backordered,
        )
    }
}

/// A new order as decided by the use case.
#[derive(Debug, Clone)]
pub struct NewSalesOrder {
    pub customer_id: i64,
    pub warehouse_id: i64,
    pub date: Date,
    pub shipment_date: Option<Date>,
    pub reference: String,
    pub channel: Option<String>,
    pub external_id: Option<String>,
    pub notes: String,
    pub subtotal: Money,
    pub discount: Money,
    pub tax: Money,
    pub charges: Money,
    pub adjustment: Money,
    pub total: Money,
}

#[derive(Debug, Clone)]
pub struct NewSoLine {
    pub line_no: i64,
    pub item_id: i64,
    pub quantity: Qty,
    pub rate: Money,
    pub tax_rate: Percent,
    pub discount: Money,
    pub amount: Money,
    pub tax: Money,
}

/// Filters of `so list`.
#[derive(Debug, Clone, Default)]
pub struct SoFilter {
    pub status: Option<SoStatus>,
    pub customer_id: Option<i64>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Only orders numbered above this one.
    pub after_id: Option<i64>,
}

pub(crate) fn date_col(r: &Row, i: usize) -> rusqlite::Result<Date> {
    let s: String = r.get(i)?;
    parse_date(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(crate) fn opt_date_col(r: &Row, i: usize) -> rusqlite::Result<Option<Date>> {
    match r.get::<_, Option<String>>(i)? {
        None => Ok(None),
        Some(s) => parse_date(&s).map(Some).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        }),
    }
}

pub(crate) fn enum_col<T>(r: &Row, i: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown value '{s}'").into(),
        )
    })
}

const SO_COLS: &str = "so.id, so.customer_id, c.name, so.warehouse_id, w.code, so.date, so.shipment_date, so.reference, \
    so.channel, so.external_id, so.notes, so.status, so.held_from, so.shipment_status, so.invoice_status, \
    so.confirmed_date, so.subtotal, so.discount, so.tax, so.charges, so.adjustment, so.total, \
    (SELECT count(*) FROM so_lines x WHERE x.so_id = so.id) \
    FROM sales_orders so JOIN customers c ON c.id = so.customer_id JOIN warehouses w ON w.id = so.warehouse_id";

fn sales_order(r: &Row) -> rusqlite::Result<SalesOrder> {
    Ok(SalesOrder {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer: r.get(2)?,
        warehouse_id: r.get(3)?,
        warehouse: r.get(4)?,
        date: date_col(r, 5)?,
        shipment_date: opt_date_col(r, 6)?,
        reference: r.get(7)?,
        channel: r.get(8)?,
        external_id: r.get(9)?,
        notes: r.get(10)?,
        status: enum_col(r, 11, SoStatus::parse)?,
        held_from: match r.get::<_, Option<String>>(12)? {
            None => None,
            Some(_) => Some(enum_col(r, 12, SoStatus::parse)?),
        },
        shipment_status: enum_col(r, 13, ShipmentStatus::parse)?,
        invoice_status: enum_col(r, 14, InvoiceStatus::parse)?,
        confirmed_date: opt_date_col(r, 15)?,
        subtotal: Money::from_raw(r.get(16)?),
        discount: Money::from_raw(r.get(17)?),
        tax: Money::from_raw(r.get(18)?),
        charges: Money::from_raw(r.get(19)?),
        adjustment: Money::from_raw(r.get(20)?),
        total: Money::from_raw(r.get(21)?),
        line_count: r.get(22)?,
    })
}

/// What an open link still has to deliver to its SO line.
pub(crate) const LINK_OUTSTANDING: &str =
    "(SELECT coalesce(sum(bl.quantity - bl.cancelled - bl.delivered), 0) FROM backorder_links bl \
      WHERE bl.so_line_id = l.id AND bl.state = 'open')";

fn line_cols() -> String {
    format!(
        "l.id, l.so_id, l.line_no, l.item_id, i.sku, l.warehouse_id, l.quantity, l.rate, l.tax_rate, l.discount, \
         l.amount, l.tax, l.reserved, l.packed, l.shipped, l.dropshipped, l.invoiced, l.shortfall_at_confirm, l.open, \
         {LINK_OUTSTANDING} FROM so_lines l JOIN items i ON i.id = l.item_id"
    )
}

fn so_line(r: &Row) -> rusqlite::Result<SoLine> {
    let q = |i: usize| -> rusqlite::Result<Qty> { Ok(Qty::from_raw(r.get(i)?)) };
    let m = |i: usize| -> rusqlite::Result<Money> { Ok(Money::from_raw(r.get(i)?)) };
    Ok(SoLine {
        id: r.get(0)?,
        so_id: r.get(1)?,
        line_no: r.get(2)?,
        item_id: r.get(3)?,
        sku: r.get(4)?,
        warehouse_id: r.get(5)?,
        quantity: q(6)?,
        rate: m(7)?,
        tax_rate: Percent::from_raw(r.get(8)?),
        discount: m(9)?,
        amount: m(10)?,
        tax: m(11)?,
        reserved: q(12)?,
        packed: q(13)?,
        shipped: q(14)?,
        dropshipped: q(15)?,
        invoiced: q(16)?,
        shortfall_at_confirm: q(17)?,
        open: r.get::<_, i64>(18)? != 0,
        backordered: q(19)?,
    })
}

impl Conn<'_> {
    pub fn insert_sales_order(&self, so: &NewSalesOrder) -> Result<i64> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO sales_orders (customer_id, warehouse_id, date, shipment_date, reference, channel, external_id, notes, \
             subtotal, discount, tax, charges, adjustment, total) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        st.execute(rusqlite::params![
            so.customer_id,
            so.warehouse_id,
            so.date.to_string(),
            so.shipment_date.map(|d| d.to_string()),
            so.reference,
            so.channel,
            so.external_id,
            so.notes,
            so.subtotal.raw(),
            so.discount.raw(),
            so.tax.raw(),
            so.charges.raw(),
            so.adjustment.raw(),
            so.total.raw(),
        ])?;
        Ok(self.c.last_insert_rowid())
    }

    pub fn insert_so_line(&self, so_id: i64, warehouse_id: i64, l: &NewSoLine) -> Result<i64> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO so_lines (so_id, line_no, item_id, warehouse_id, quantity, rate, tax_rate, discount, amount, tax) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        st.execute(rusqlite::params![
            so_id,
            l.line_no,
            l.item_id,
            warehouse_id,
            l.quantity.raw(),
            l.rate.raw(),
            l.tax_rate.raw(),
            l.discount.raw(),
            l.amount.raw(),
            l.tax.raw(),
        ])?;
        Ok(self.c.last_insert_rowid())
    }

    pub fn find_sales_order(&self, id: i64) -> Result<Option<SalesOrder>> {
        let mut st = self
            .c
            .prepare_cached(&format!("SELECT {SO_COLS} WHERE so.id = ?1"))?;
        Ok(opt(st.query_row([id], sales_order))?)
    }

    /// The order imported from a channel with this external id, if any.
    pub fn find_sales_order_by_external(
        &self,
        channel: &str,
        external_id: &str,
    ) -> Result<Option<i64>> {
        let mut st = self.c.prepare_cached(
            "SELECT id FROM sales_orders WHERE channel = ?1 AND external_id = ?2",
        )?;
        Ok(opt(st.query_row((channel, external_id), |r| r.get(0)))?)
    }

    pub fn so_lines(&self, so_id: i64) -> Result<Vec<SoLine>> {
        self.collect(
            &format!(
                "SELECT {} WHERE l.so_id = ?1 ORDER BY l.line_no",
                line_cols()
            ),
            [so_id],
            so_line,
        )
    }

    pub fn get_so_line(&self, line_id: i64) -> Result<SoLine> {
        let mut st = self
            .c
            .prepare_cached(&format!("SELECT {} WHERE l.id = ?1", line_cols()))?;
        Ok(st.query_row([line_id], so_line)?)
    }

    /// Writes back a line's tracked quantities and its open flag.
    pub fn update_so_line(&self, l: &SoLine) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "UPDATE so_lines SET reserved = ?2, packed = ?3, shipped = ?4, dropshipped = ?5, invoiced = ?6, \
             shortfall_at_confirm = ?7, open = ?8 WHERE id = ?1",
        )?;
        st.execute(rusqlite::params![
            l.id,
            l.reserved.raw(),
            l.packed.raw(),
            l.shipped.raw(),
            l.dropshipped.raw(),
            l.invoiced.raw(),
            l.shortfall_at_confirm.raw(),
            i64::from(l.open),
        ])?;
        Ok(())
    }

    /// Just an order's status and the status it returns to from hold.
    pub fn get_so_status(&self, id: i64) -> Result<(SoStatus, Option<SoStatus>)> {
        let mut st = self
            .c
            .prepare_cached("SELECT status, held_from FROM sales_orders WHERE id = ?1")?;
        Ok(st.query_row([id], |r| {
            Ok((
                enum_col(r, 0, SoStatus::parse)?,
                match r.get::<_, Option<String>>(1)? {
                    None => None,
                    Some(_) => Some(enum_col(r, 1, SoStatus::parse)?),
                },
            ))
        })?)
    }

    /// Sets only an order's status and the status it returns to from hold.
    pub fn set_so_status(
        &self,
        id: i64,
        status: SoStatus,
        held_from: Option<SoStatus>,
    ) -> Result<()> {
        let mut st = self
            .c
            .prepare_cached("UPDATE sales_orders SET status = ?2, held_from = ?3 WHERE id = ?1")?;
        st.execute((id, status.as_str(), held_from.map(SoStatus::as_str)))?;
        Ok(())
    }

    /// Writes back the order's statuses.
    pub fn update_so_status(&self, so: &SalesOrder) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "UPDATE sales_orders SET status = ?2, held_from = ?3, shipment_status = ?4, invoice_status = ?5, \
             confirmed_date = ?6 WHERE id = ?1",
        )?;
        st.execute(rusqlite::params![
            so.id,
            so.status.as_str(),
            so.held_from.map(SoStatus::as_str),
            so.shipment_status.as_str(),
            so.invoice_status.as_str(),
            so.confirmed_date.map(|d| d.to_string()),
        ])?;
        Ok(())
    }

    /// Open lines of this item and warehouse whose shortfall is not covered, with their FIFO keys.
    pub fn list_waiting(&self, item_id: i64, warehouse_id: i64) -> Result<Vec<Waiting>> {
        self.collect(
            &format!(
                "SELECT l.id, so.confirmed_date, l.so_id, l.line_no, \
             l.quantity - l.shipped - l.dropshipped - l.reserved - {LINK_OUTSTANDING} AS unc \
             FROM so_lines l JOIN sales_orders so ON so.id = l.so_id \
             WHERE l.item_id = ?1 AND l.warehouse_id = ?2 AND l.open = 1 AND unc > 0"
            ),
            (item_id, warehouse_id),
            |r| {
                Ok(Waiting {
                    line_id: r.get(0)?,
                    key: FifoKey {
                        confirmed: date_col(r, 1)?,
                        so_id: r.get(2)?,
                        line_no: r.get(3)?,
                    },
                    uncovered: Qty::from_raw(r.get(4)?),
                })
            },
        )
    }

    /// Reservations of this item and warehouse that could be released (reserved, not packed).
    pub fn list_releasable(&self, item_id: i64, warehouse_id: i64) -> Result<Vec<Releasable>> {
        self.collect(
            "SELECT l.id, so.confirmed_date, l.so_id, l.line_no, l.reserved - l.packed \
             FROM so_lines l JOIN sales_orders so ON so.id = l.so_id \
             WHERE l.item_id = ?1 AND l.warehouse_id = ?2 AND l.open = 1 AND l.reserved > l.packed",
            (item_id, warehouse_id),
            |r| {
                Ok(Releasable {
                    line_id: r.get(0)?,
                    key: FifoKey {
                        confirmed: date_col(r, 1)?,
                        so_id: r.get(2)?,
                        line_no: r.get(3)?,
                    },
                    qty: Qty::from_raw(r.get(4)?),
                })
            },
        )
    }

    /// Streams orders matching the filter, newest number last.
    pub fn for_each_sales_order(
        &self,
        f: &SoFilter,
        mut each: impl FnMut(SalesOrder) -> Result<()>,
    ) -> Result<()> {
        let mut st = self.c.prepare_cached(&format!(
            "SELECT {SO_COLS} WHERE (?1 IS NULL OR so.status = ?1) AND (?2 IS NULL OR so.customer_id = ?2) \
             AND (?3 IS NULL OR so.date >= ?3) AND (?4 IS NULL OR so.date <= ?4) AND (?5 IS NULL OR so.id > ?5) \
             ORDER BY so.id"
        ))?;
        let mut rows = st.query(rusqlite::params![
            f.status.map(SoStatus::as_str),
            f.customer_id,
            f.from.map(|d| d.to_string()),
            f.to.map(|d| d.to_string()),
            f.after_id,
        ])?;
        while let Some(r) = rows.next()? {
            each(sales_order(r)?)?;
        }
        Ok(())
    }

    /// Numbers of the purchase orders linked to an order's lines.
    pub fn linked_po_ids(&self, so_id: i64) -> Result<Vec<i64>> {
        self.collect("SELECT DISTINCT pl.po_id FROM so_lines l JOIN backorder_links bl ON bl.so_line_id = l.id \
             JOIN po_lines pl ON pl.id = bl.po_line_id WHERE l.so_id = ?1 ORDER BY pl.po_id", [so_id], |r| r.get(0))
    }

    // ---- packages ----

    pub fn insert_package(&self, so_id: i64, date: Date, lines: &[(i64, Qty)]) -> Result<i64> {
        self.c.execute(
            "INSERT INTO packages (so_id, date) VALUES (?1, ?2)",
            (so_id, date.to_string()),
        )?;
        let id = self.c.last_insert_rowid();
        let mut st = self.c.prepare_cached(
            "INSERT INTO package_lines (package_id, so_line_id, quantity) VALUES (?1, ?2, ?3)",
        )?;
        for (line, q) in lines {
            st.execute((id, line, q.raw()))?;
        }
        Ok(id)
    }

    /// Packages of an order: `(id, so_id, status, date, lines (so_line_id, qty))`.
    pub fn list_packages(&self, so_id: i64) -> Result<Vec<Package>> {
        let mut st = self
            .c
            .prepare_cached("SELECT id, so_id, status, date, shipped_date FROM packages WHERE so_id = ?1 ORDER BY id")?;
        let heads: Vec<(i64, i64, String, Date, Option<Date>)> = st
            .query_map([so_id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    date_col(r, 3)?,
                    opt_date_col(r, 4)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut lines_st = self
            .c
            .prepare_cached("SELECT so_line_id, quantity FROM package_lines WHERE package_id = ?1 ORDER BY so_line_id")?;
        let mut out = Vec::with_capacity(heads.len());
        for (id, so_id, status, date, shipped_date) in heads {
            let lines = lines_st
                .query_map([id], |r| Ok((r.get(0)?, Qty::from_raw(r.get(1)?))))?
                .collect::<rusqlite::Result<_>>()?;
            out.push(Package {
                id,
                so_id,
                shipped: status == "shipped",
                date,
                shipped_date,
                lines,
            });
        }
        Ok(out)
    }

    pub fn find_package_so(&self, package_id: i64) -> Result<Option<i64>> {
        let mut st = self
            .c
            .prepare_cached("SELECT so_id FROM packages WHERE id = ?1")?;
        Ok(opt(st.query_row([package_id], |r| r.get(0)))?)
    }

    pub fn mark_package_shipped(&self, package_id: i64, date: Date) -> Result<()> {
        self.c.execute(
            "UPDATE packages SET status = 'shipped', shipped_date = ?2 WHERE id = ?1",
            (package_id, date.to_string()),
        )?;
        Ok(())
    }

    // ---- invoices ----

    pub fn insert_invoice(
        &self,
        so_id: i64,
        date: Date,
        t: &stockroom_core::money::DocTotals,
        lines: &[InvoiceLine],
    ) -> Result<i64> {
        self.c.execute(
            "INSERT INTO invoices (so_id, date, subtotal, discount, tax, charges, adjustment, tcs, total) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                so_id,
                date.to_string(),
                t.subtotal.raw(),
                t.discount.raw(),
                t.tax.raw(),
                t.charges.raw(),
                t.adjustment.raw(),
                t.tcs.raw(),
                t.total.raw()
            ],
        )?;
        let id = self.c.last_insert_rowid();
        let mut st = self.c.prepare_cached(
            "INSERT INTO invoice_lines (invoice_id, so_line_id, quantity, amount, tax) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for l in lines {
            st.execute((
                id,
                l.so_line_id,
                l.quantity.raw(),
                l.amount.raw(),
                l.tax.raw(),
            ))?;
        }
        Ok(id)
    }

    /// A customer's invoiced total (before TCS) dated within `from..=to`.
    pub fn customer_invoiced(&self, customer_id: i64, from: Date, to: Date) -> Result<Money> {
        let mut st = self.c.prepare_cached(
            "SELECT coalesce(sum(i.total - i.tcs), 0) FROM invoices i JOIN sales_orders so ON so.id = i.so_id \
             WHERE so.customer_id = ?1 AND i.date >= ?2 AND i.date <= ?3",
        )?;
        Ok(Money::from_raw(st.query_row(
            (customer_id, from.to_string(), to.to_string()),
            |r| r.get(0),
        )?))
    }

    /// Invoices of an order: `(id, date, total)`.
    pub fn list_invoices(&self, so_id: i64) -> Result<Vec<(i64, Date, Money)>> {
        self.collect(
            "SELECT id, date, total FROM invoices WHERE so_id = ?1 ORDER BY id",
            [so_id],
            |r| Ok((r.get(0)?, date_col(r, 1)?, Money::from_raw(r.get(2)?))),
        )
    }
}

/// A package of an order.
#[derive(Debug, Clone)]
pub struct Package {
    pub id: i64,
    pub so_id: i64,
    pub shipped: bool,
    pub date: Date,
    pub shipped_date: Option<Date>,
    pub lines: Vec<(i64, Qty)>,
}

/// One invoiced line.
#[derive(Debug, Clone)]
pub struct InvoiceLine {
    pub so_line_id: i64,
    pub quantity: Qty,
    pub amount: Money,
    pub tax: Money,
}
