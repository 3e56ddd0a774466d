//! `so create`: a draft sales order (or confirmed at once with `--confirm`).

use crate::exit::UserError;
use crate::ops::backorder_plan::PlanReport;
use crate::ops::so_confirm::{backorder_shortfalls, confirm_in, ConfirmOutcome};
use crate::repo::{Conn, Db, NewSalesOrder, NewSoLine, SalesOrder};
use anyhow::Result;
use stockroom_core::money::{doc_totals, line_amounts, DocCharges, LineInput};
use stockroom_core::{Date, DocKind, DocNumber, Money, Percent, Qty};

/// One requested line; the rate defaults to the item's selling rate.
#[derive(Debug, Clone)]
pub struct LineRequest {
    pub sku: String,
    pub quantity: Qty,
    pub rate: Option<Money>,
    pub tax_rate: Percent,
    pub discount: Money,
}

#[derive(Debug, Clone)]
pub struct SoRequest {
    pub customer: String,
    pub warehouse: String,
    pub date: Date,
    pub shipment_date: Option<Date>,
    pub reference: String,
    pub notes: String,
    pub channel: Option<String>,
    pub external_id: Option<String>,
    pub lines: Vec<LineRequest>,
    pub charges: DocCharges,
}

/// Inserts a draft order inside the caller's transaction.
pub fn insert_so(c: &Conn, req: &SoRequest) -> Result<i64> {
    if req.lines.is_empty() {
        return Err(UserError::usage(
            "a sales order needs at least one line: --item SKU:QTY[@RATE]",
        )
        .into());
    }
    let customer = c.get_customer(&req.customer)?;
    let wh = c.get_warehouse(&req.warehouse)?;
    let mut items = Vec::with_capacity(req.lines.len());
    for l in &req.lines {
        let item = c.get_item(&l.sku)?;
        c.ensure_balance(item.id, wh.id)?;
        items.push(ItemRef {
            id: item.id,
            sku: item.sku,
            rate: item.rate,
        });
    }
    write_so(c, customer.id, &customer.name, wh.id, req, &items)
}

/// An item as a new order line needs it.
#[derive(Debug, Clone)]
pub struct ItemRef {
    pub id: i64,
    pub sku: String,
    /// The selling rate, the line's default.
    pub rate: Money,
}

/// Writes a draft order whose customer, warehouse and items (`items[i]` for `req.lines[i]`) are
/// already resolved, with a balance row for each item in the warehouse; prices its lines and
/// totals.
pub fn write_so(
    c: &Conn,
    customer_id: i64,
    customer: &str,
    warehouse_id: i64,
    req: &SoRequest,
    items: &[ItemRef],
) -> Result<i64> {
    if req.lines.is_empty() || req.lines.len() != items.len() {
        return Err(UserError::usage(
            "a sales order needs at least one line: --item SKU:QTY[@RATE]",
        )
        .into());
    }
    if let Some(s) = req.shipment_date {
        if s < req.date {
            return Err(UserError::refused(format!(
                "the expected shipment date {s} is before the order date {}",
                req.date
            ))
            .into());
        }
    }
    let mut lines = Vec::with_capacity(req.lines.len());
    for (i, (l, item)) in req.lines.iter().zip(items).enumerate() {
        let rate = l.rate.unwrap_or(item.rate);
        let amounts = line_amounts(&LineInput {
            quantity: l.quantity,
            rate,
            discount: l.discount,
            tax_rate: l.tax_rate,
        })
        .map_err(|e| UserError::refused(format!("line {} ({}): {e}", i + 1, item.sku)))?;
        lines.push(NewSoLine {
            line_no: i as i64 + 1,
            item_id: item.id,
            quantity: l.quantity,
            rate,
            tax_rate: l.tax_rate,
            discount: l.discount,
            amount: amounts.amount,
            tax: amounts.tax,
        });
    }
    let amounts: Vec<_> = lines
        .iter()
        .map(|l| stockroom_core::money::LineAmounts {
            amount: l.amount,
            tax: l.tax,
        })
        .collect();
    let t = doc_totals(&amounts, &req.charges).map_err(|e| UserError::refused(e.to_string()))?;
    let id = c.insert_sales_order(&NewSalesOrder {
        customer_id,
        warehouse_id,
        date: req.date,
        shipment_date: req.shipment_date,
        reference: req.reference.clone(),
        channel: req.channel.clone(),
        external_id: req.external_id.clone(),
        notes: req.notes.clone(),
        subtotal: t.subtotal,
        discount: t.discount,
        tax: t.tax,
        charges: t.charges,
        adjustment: t.adjustment,
        total: t.total,
    })?;
    for l in &lines {
        c.insert_so_line(id, warehouse_id, l)?;
    }
    let number = DocNumber::new(DocKind::SalesOrder, id);
    let origin = match (&req.channel, &req.external_id) {
        (Some(ch), Some(ext)) => format!(" (imported from {ch} order {ext})"),
        _ => String::new(),
    };
    c.event(
        &number.to_string(),
        "created",
        &format!(
            "draft for {}, {} line(s), total {}{origin}",
            customer,
            lines.len(),
            t.total
        ),
    )?;
    Ok(id)
}

/// Creates the order, and confirms it (and backorders its shortfall, when `backorder`) in the
/// same transaction when asked.
pub fn so_create(
    db: &mut Db,
    req: &SoRequest,
    confirm: Option<Date>,
    backorder: bool,
) -> Result<(SalesOrder, Option<ConfirmOutcome>, Vec<PlanReport>)> {
    db.write(|c| {
        let id = insert_so(c, req)?;
        let outcome = match confirm {
            Some(date) => Some(confirm_in(
                c,
                DocNumber::new(DocKind::SalesOrder, id),
                date,
            )?),
            None => None,
        };
        let plans = match (&outcome, confirm) {
            (Some(o), Some(date)) if backorder => {
                backorder_shortfalls(c, std::slice::from_ref(o), date)?
            }
            _ => Vec::new(),
        };
        let so = c
            .find_sales_order(id)?
            .ok_or_else(|| anyhow::anyhow!("sales order {id} vanished"))?;
        Ok((so, outcome, plans))
    })
}
