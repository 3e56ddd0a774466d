//! `so import`: marketplace orders from CSV, one row per line, grouped into one order per
//! (channel, external_id). Idempotent: an order already imported is skipped. All or nothing,
//! unless `--skip-invalid`, which imports the valid orders and hands back the rejected rows.

use crate::exit::UserError;
use crate::ops::so_confirm::{confirm_in, ConfirmOutcome};
use crate::ops::so_create::{insert_so, LineRequest, SoRequest};
use crate::repo::{Customer, Db};
use anyhow::Result;
use std::collections::HashMap;
use stockroom_core::ident::validate_name;
use stockroom_core::money::DocCharges;
use stockroom_core::{parse_date, Date, DocKind, DocNumber, Money, Percent, Qty, Sku};

pub const COLUMNS: &[&str] = &[
    "channel",
    "external_id",
    "date",
    "customer",
    "sku",
    "quantity",
    "rate",
];
pub const REQUIRED: &[&str] = &["external_id", "date", "customer", "sku", "quantity"];
/// Columns a file may have: the above, and the `reason` a rejects file adds (ignored), so that a
/// fixed rejects file imports as it is.
pub const ACCEPTED: &[&str] = &[
    "channel",
    "external_id",
    "date",
    "customer",
    "sku",
    "quantity",
    "rate",
    "reason",
];

/// One CSV data row: its line number and cells.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: u64,
    pub cells: HashMap<String, String>,
}

impl ImportRow {
    pub fn get(&self, col: &str) -> &str {
        self.cells.get(col).map_or("", |s| s.trim())
    }
}

/// A row that was not imported, and why.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub row: ImportRow,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub default_channel: Option<String>,
    pub confirm: Option<Date>,
    pub skip_invalid: bool,
    pub warehouse: String,
}

/// One imported order.
#[derive(Debug, Clone)]
pub struct ImportedOrder {
    pub so: DocNumber,
    pub channel: String,
    pub external_id: String,
    pub customer: String,
    pub date: Date,
    pub lines: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub imported: Vec<ImportedOrder>,
    pub skipped_existing: usize,
    pub created_customers: Vec<String>,
    pub rejected: Vec<Rejected>,
    pub confirmed: Vec<ConfirmOutcome>,
}

struct Order {
    channel: String,
    external_id: String,
    date: Date,
    customer: String,
    lines: Vec<LineRequest>,
}

/// Validates every row, then (one transaction) creates the new orders.
pub fn so_import(db: &mut Db, rows: &[ImportRow], opt: &ImportOptions) -> Result<ImportReport> {
    db.write(|c| {
        // group rows into orders, keeping the file's order
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
        let mut errors: Vec<(usize, String)> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let channel = match (row.get("channel"), &opt.default_channel) {
                ("", Some(d)) => d.clone(),
                ("", None) => {
                    errors.push((i, "column channel: empty; give the channel in the file or with --channel".into()));
                    continue;
                }
                (ch, _) => ch.to_string(),
            };
            let ext = row.get("external_id").to_string();
            if ext.is_empty() {
                errors.push((i, "column external_id: empty".into()));
                continue;
            }
            let key = (channel.to_lowercase(), ext.clone());
            match index.get(&key) {
                Some(g) => groups[*g].2.push(i),
                None => {
                    index.insert(key, groups.len());
                    groups.push((channel, ext, vec![i]));
                }
            }
        }
        let mut items: HashMap<String, Option<()>> = HashMap::new();
        let mut orders: Vec<Order> = Vec::new();
        let mut report = ImportReport::default();
        for (channel, ext, members) in groups {
            if c.find_sales_order_by_external(&channel, &ext)?.is_some() {
                report.skipped_existing += 1;
                continue;
            }
            let first = &rows[members[0]];
            let mut order_errors: Vec<(usize, String)> = Vec::new();
            let date = parse_date(first.get("date"));
            let customer = validate_name(first.get("customer"), "customer");
            for &m in &members {
                let row = &rows[m];
                let mut err = |col: &str, msg: String| order_errors.push((m, format!("column {col}: {msg}")));
                match parse_date(row.get("date")) {
                    Err(e) => err("date", e.to_string()),
                    Ok(d) if date.as_ref().ok() != Some(&d) => {
                        err("date", format!("differs from the order's first row ({})", first.get("date")))
                    }
                    Ok(_) => {}
                }
                match validate_name(row.get("customer"), "customer") {
                    Err(e) => err("customer", e.to_string()),
                    Ok(cu) if customer.as_ref().ok().is_some_and(|f| !f.eq_ignore_ascii_case(&cu)) => {
                        err("customer", format!("'{cu}' differs from the order's first row"))
                    }
                    Ok(_) => {}
                }
                match Sku::parse(row.get("sku")) {
                    Err(e) => err("sku", e.to_string()),
                    Ok(sku) => {
                        let key = sku.as_str().to_lowercase();
                        let known = match items.get(&key) {
                            Some(k) => k.is_some(),
                            None => {
                                let k = c.find_item(sku.as_str())?.map(|_| ());
                                items.insert(key, k);
                                k.is_some()
                            }
                        };
                        if !known {
                            err("sku", format!("no item with SKU '{sku}'"));
                        }
                    }
                }
                if let Err(e) = Qty::parse_positive(row.get("quantity")) {
                    err("quantity", e.to_string());
                }
                if !row.get("rate").is_empty() {
                    if let Err(e) = Money::parse_non_negative(row.get("rate")) {
                        err("rate", e.named("rate").to_string());
                    }
                }
            }
            if !order_errors.is_empty() {
                // every row of a bad order is rejected with it
                let bad: std::collections::HashSet<usize> = order_errors.iter().map(|e| e.0).collect();
                for &m in &members {
                    if !bad.contains(&m) {
                        order_errors.push((m, format!("another row of order {channel}/{ext} is invalid")));
                    }
                }
                errors.extend(order_errors);
                continue;
            }
            let (Ok(date), Ok(customer)) = (date, customer) else {
                continue;
            };
            let lines = members
                .iter()
                .map(|&m| {
                    let row = &rows[m];
                    Ok(LineRequest {
                        sku: row.get("sku").to_string(),
                        quantity: Qty::parse_positive(row.get("quantity"))?,
                        rate: match row.get("rate") {
                            "" => None,
                            r => Some(Money::parse_non_negative(r)?),
                        },
                        tax_rate: Percent::ZERO,
                        discount: Money::ZERO,
                    })
                })
                .collect::<Result<Vec<_>, stockroom_core::NumError>>()?;
            orders.push(Order {
                channel,
                external_id: ext,
                date,
                customer,
                lines,
            });
        }
        if !errors.is_empty() {
            errors.sort_by_key(|(i, _)| *i);
            if !opt.skip_invalid {
                let mut msg = format!(
                    "{} bad row(s), nothing was imported; fix them and import again (or pass --skip-invalid --rejects FILE):",
                    errors.iter().map(|e| e.0).collect::<std::collections::BTreeSet<_>>().len()
                );
                for (i, e) in errors.iter().take(50) {
                    msg.push_str(&format!("\n  line {}, {e}", rows[*i].line));
                }
                if errors.len() > 50 {
                    msg.push_str(&format!("\n  ... and {} more", errors.len() - 50));
                }
                return Err(UserError::refused(msg).into());
            }
            let mut by_row: Vec<(usize, String)> = Vec::new();
            for (i, e) in errors {
                match by_row.last_mut() {
                    Some((j, reason)) if *j == i => {
                        reason.push_str("; ");
                        reason.push_str(&e);
                    }
                    _ => by_row.push((i, e)),
                }
            }
            report.rejected = by_row
                .into_iter()
                .map(|(i, reason)| Rejected {
                    row: rows[i].clone(),
                    reason,
                })
                .collect();
        }
        for o in &orders {
            if c.find_customer(&o.customer)?.is_none() {
                c.insert_customer(&Customer {
                    id: 0,
                    name: o.customer.clone(),
                    email: String::new(),
                    billing_address: String::new(),
                    shipping_address: String::new(),
                    pan: None,
                })?;
                c.event(&format!("customer:{}", o.customer), "created", &format!("by import of {} order {}", o.channel, o.external_id))?;
                report.created_customers.push(o.customer.clone());
            }
            let id = insert_so(
                c,
                &SoRequest {
                    customer: o.customer.clone(),
                    warehouse: opt.warehouse.clone(),
                    date: o.date,
                    shipment_date: None,
                    reference: o.external_id.clone(),
                    notes: String::new(),
                    channel: Some(o.channel.clone()),
                    external_id: Some(o.external_id.clone()),
                    lines: o.lines.clone(),
                    charges: DocCharges::default(),
                },
            )?;
            report.imported.push(ImportedOrder {
                so: DocNumber::new(DocKind::SalesOrder, id),
                channel: o.channel.clone(),
                external_id: o.external_id.clone(),
                customer: o.customer.clone(),
                date: o.date,
                lines: o.lines.len(),
            });
        }
        if let Some(confirm_date) = opt.confirm {
            let mut order: Vec<&ImportedOrder> = report.imported.iter().collect();
            order.sort_by_key(|o| (o.date, o.so.id));
            let mut confirmed = Vec::with_capacity(order.len());
            for o in order {
                confirmed.push(confirm_in(c, o.so, confirm_date.max(o.date))?);
            }
            report.confirmed = confirmed;
        }
        Ok(report)
    })
}
