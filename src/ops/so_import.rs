//! `so import`: marketplace orders from CSV, one row per line, grouped into one order per
//! (channel, external_id). Idempotent: an order already imported is skipped. All or nothing,
//! unless `--skip-invalid`, which imports the valid orders and hands back the rejected rows.
//!
//! Streamed: the file's rows are staged in a TEMP table (no lock held while reading), then, in one
//! IMMEDIATE transaction, read back order by order, validated and written. Memory stays flat
//! whatever the file's size.

use crate::exit::UserError;
use crate::ops::so_confirm::confirm_in;
use crate::ops::so_create::{write_so, ItemRef, LineRequest, SoRequest};
use crate::repo::{Conn, Customer, Db, StagedRow};
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use stockroom_core::ident::validate_name;
use stockroom_core::money::DocCharges;
use stockroom_core::{parse_date, Date, DocKind, DocNumber, Money, Percent, Qty, Sku};

/// The CSV columns, in the order cells are handed around.
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

const CHANNEL: usize = 0;
const EXTERNAL_ID: usize = 1;
const DATE: usize = 2;
const CUSTOMER: usize = 3;
const SKU: usize = 4;
const QUANTITY: usize = 5;
const RATE: usize = 6;

/// A row that was not imported, and why.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub line: u64,
    /// The cells in [`COLUMNS`] order (empty when the row could not be read).
    pub cells: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub default_channel: Option<String>,
    pub confirm: Option<Date>,
    pub skip_invalid: bool,
    pub warehouse: String,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Orders numbered above this one were made by this import.
    pub first_after: i64,
    pub orders: u64,
    pub lines: u64,
    pub skipped_existing: u64,
    pub created_customers: u64,
    pub rejected_rows: u64,
    pub confirmed: u64,
    pub confirmed_short: u64,
}

/// Stages the file's rows: `read` calls its argument with every row (`Err` = unreadable row).
pub fn stage(
    db: &mut Db,
    opt: &ImportOptions,
    read: impl FnOnce(
        &mut dyn FnMut(u64, std::result::Result<&[String], String>) -> Result<()>,
    ) -> Result<()>,
) -> Result<()> {
    db.stage(|c| {
        c.create_import_stage(COLUMNS.len())?;
        let mut row = StagedRow::default();
        read(&mut |line, cells| {
            row.line = line;
            row.cells.clear();
            row.problem = None;
            let group = match cells {
                Err(problem) => {
                    row.cells.resize(COLUMNS.len(), String::new());
                    row.problem = Some(problem);
                    None
                }
                Ok(cells) => {
                    row.cells.extend(
                        cells
                            .iter()
                            .take(COLUMNS.len())
                            .map(|s| s.trim().to_string()),
                    );
                    if row.cells[CHANNEL].is_empty() {
                        if let Some(d) = &opt.default_channel {
                            row.cells[CHANNEL] = d.clone();
                        }
                    }
                    if row.cells[CHANNEL].is_empty() {
                        row.problem = Some(
                            "column channel: empty; give it in the file or with --channel".into(),
                        );
                        None
                    } else if row.cells[EXTERNAL_ID].is_empty() {
                        row.problem = Some("column external_id: empty".into());
                        None
                    } else {
                        Some(format!(
                            "{}\u{1f}{}",
                            row.cells[CHANNEL].to_lowercase(),
                            row.cells[EXTERNAL_ID]
                        ))
                    }
                }
            };
            c.stage_import_row(&row, group.as_deref())
        })
    })
}

/// One order's rows as they come off the stage.
struct Group {
    key: Option<String>,
    rows: Vec<StagedRow>,
}

/// Per-run lookups, so that each customer and item is read once.
struct Caches {
    items: HashMap<String, Option<ItemRef>>,
    customers: HashMap<String, Customer>,
    /// Items whose balance row in the import's warehouse is known to exist.
    balances: HashSet<i64>,
}

/// Imports the staged rows in one transaction. `reject` hears each rejected row (only with
/// `--skip-invalid`; without it any bad row refuses the whole file).
pub fn import_staged(
    db: &mut Db,
    opt: &ImportOptions,
    reject: &mut dyn FnMut(&Rejected) -> Result<()>,
) -> Result<ImportReport> {
    let result = db.write(|c| {
        let wh = c.get_warehouse(&opt.warehouse)?;
        let mut report = ImportReport {
            first_after: c.max_sales_order_id()?,
            ..Default::default()
        };
        let mut caches = Caches {
            items: HashMap::new(),
            customers: HashMap::new(),
            balances: HashSet::new(),
        };
        let mut errors: Vec<String> = Vec::new();
        let mut current: Option<Group> = None;
        let mut finish = |g: Group, errors: &mut Vec<String>, report: &mut ImportReport, caches: &mut Caches| -> Result<()> {
            import_group(c, g, wh.id, opt, caches, errors, report, reject)
        };
        c.for_each_staged_row(COLUMNS.len(), |row, key| {
            let same = matches!((&current, &key), (Some(g), Some(k)) if g.key.as_deref() == Some(k.as_str()));
            if same {
                if let Some(g) = current.as_mut() {
                    g.rows.push(row);
                }
                return Ok(());
            }
            if let Some(g) = current.take() {
                finish(g, &mut errors, &mut report, &mut caches)?;
            }
            current = Some(Group { key, rows: vec![row] });
            Ok(())
        })?;
        if let Some(g) = current.take() {
            finish(g, &mut errors, &mut report, &mut caches)?;
        }
        if !errors.is_empty() && !opt.skip_invalid {
            let mut msg = format!(
                "{} bad row(s), nothing was imported; fix them and import again (or pass --skip-invalid --rejects FILE):",
                report.rejected_rows
            );
            for e in errors.iter().take(50) {
                msg.push_str("\n  ");
                msg.push_str(e);
            }
            if report.rejected_rows > 50 {
                msg.push_str(&format!("\n  ... and {} more", report.rejected_rows - 50));
            }
            return Err(UserError::refused(msg).into());
        }
        if let Some(confirm_date) = opt.confirm {
            let mut ids = Vec::new();
            c.for_each_sales_order_after(report.first_after, |id, date| {
                ids.push((id, date));
                Ok(())
            })?;
            for (id, date) in ids {
                let o = confirm_in(c, DocNumber::new(DocKind::SalesOrder, id), confirm_date.max(date))?;
                report.confirmed += 1;
                if !o.shortfalls.is_empty() {
                    report.confirmed_short += 1;
                }
            }
        }
        c.drop_import_stage()?;
        Ok(report)
    });
    if result.is_err() {
        // the stage lives on the connection; leave nothing behind
        let _ = db.stage(|c| c.drop_import_stage());
    }
    result
}

/// Validates one order's rows and writes it (or skips it when it exists, or rejects it).
#[allow(clippy::too_many_arguments)]
fn import_group(
    c: &Conn,
    g: Group,
    warehouse_id: i64,
    opt: &ImportOptions,
    caches: &mut Caches,
    errors: &mut Vec<String>,
    report: &mut ImportReport,
    reject: &mut dyn FnMut(&Rejected) -> Result<()>,
) -> Result<()> {
    let rows = g.rows;
    let first = &rows[0];
    let mut problems: Vec<(usize, String)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(p) = &r.problem {
            problems.push((i, p.clone()));
        }
    }
    if problems.is_empty()
        && c.find_sales_order_by_external(&first.cells[CHANNEL], &first.cells[EXTERNAL_ID])?
            .is_some()
    {
        report.skipped_existing += 1;
        return Ok(());
    }
    let date = parse_date(&first.cells[DATE]);
    let customer = validate_name(&first.cells[CUSTOMER], "customer");
    let mut lines = Vec::with_capacity(rows.len());
    let mut items = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        if r.problem.is_some() {
            continue;
        }
        let mut err = |col: &str, msg: String| problems.push((i, format!("column {col}: {msg}")));
        match parse_date(&r.cells[DATE]) {
            Err(e) => err("date", e.to_string()),
            Ok(d) if date.as_ref().ok() != Some(&d) => err(
                "date",
                format!("differs from the order's first row ({})", first.cells[DATE]),
            ),
            Ok(_) => {}
        }
        match validate_name(&r.cells[CUSTOMER], "customer") {
            Err(e) => err("customer", e.to_string()),
            Ok(cu)
                if customer
                    .as_ref()
                    .ok()
                    .is_some_and(|f| !f.eq_ignore_ascii_case(&cu)) =>
            {
                err(
                    "customer",
                    format!(
                        "'{}' differs from the order's first row",
                        stockroom_core::ident::excerpt(&cu)
                    ),
                )
            }
            Ok(_) => {}
        }
        let item = match Sku::parse(&r.cells[SKU]) {
            Err(e) => {
                err("sku", e.to_string());
                None
            }
            Ok(sku) => {
                let key = sku.as_str().to_lowercase();
                if !caches.items.contains_key(&key) {
                    let found = c.find_item(sku.as_str())?.map(|i| ItemRef {
                        id: i.id,
                        sku: i.sku,
                        rate: i.rate,
                    });
                    caches.items.insert(key.clone(), found);
                }
                let found = caches.items.get(&key).cloned().flatten();
                if found.is_none() {
                    err("sku", format!("no item with SKU '{sku}'"));
                }
                found
            }
        };
        let quantity = Qty::parse_positive(&r.cells[QUANTITY])
            .map_err(|e| err("quantity", e.to_string()))
            .ok();
        let rate = match r.cells[RATE].as_str() {
            "" => Some(None),
            v => Money::parse_non_negative(v)
                .map(Some)
                .map_err(|e| err("rate", e.named("rate").to_string()))
                .ok(),
        };
        if let (Some(item), Some(quantity), Some(rate)) = (item, quantity, rate) {
            if caches.balances.insert(item.id) {
                c.ensure_balance(item.id, warehouse_id)?;
            }
            lines.push(LineRequest {
                sku: item.sku.clone(),
                quantity,
                rate,
                tax_rate: Percent::ZERO,
                discount: Money::ZERO,
            });
            items.push(item);
        }
    }
    if let Err(e) = &date {
        if !problems.iter().any(|p| p.0 == 0) {
            problems.push((0, format!("column date: {e}")));
        }
    }
    let (Ok(date), Ok(customer), true) = (date, customer, problems.is_empty()) else {
        // a bad order is rejected whole, every row with a reason
        let mut reasons: Vec<Option<String>> = vec![None; rows.len()];
        for (i, p) in problems {
            match &mut reasons[i] {
                Some(r) => {
                    r.push_str("; ");
                    r.push_str(&p);
                }
                slot => *slot = Some(p),
            }
        }
        let name = format!("{}/{}", first.cells[CHANNEL], first.cells[EXTERNAL_ID]);
        for (r, reason) in rows.iter().zip(reasons) {
            let reason =
                reason.unwrap_or_else(|| format!("another row of order {name} is invalid"));
            report.rejected_rows += 1;
            if errors.len() < 50 {
                errors.push(format!("line {}, {reason}", r.line));
            }
            if opt.skip_invalid {
                reject(&Rejected {
                    line: r.line,
                    cells: r.cells.clone(),
                    reason,
                })?;
            }
        }
        return Ok(());
    };
    if !errors.is_empty() && !opt.skip_invalid {
        // the file will be refused: validate the rest, write nothing more
        return Ok(());
    }
    let key = customer.to_lowercase();
    if !caches.customers.contains_key(&key) {
        let cu = match c.find_customer(&customer)? {
            Some(cu) => cu,
            None => {
                let mut cu = Customer {
                    id: 0,
                    name: customer.clone(),
                    email: String::new(),
                    billing_address: String::new(),
                    shipping_address: String::new(),
                    pan: None,
                };
                cu.id = c.insert_customer(&cu)?;
                c.event(
                    &format!("customer:{customer}"),
                    "created",
                    &format!(
                        "by import of {} order {}",
                        first.cells[CHANNEL], first.cells[EXTERNAL_ID]
                    ),
                )?;
                report.created_customers += 1;
                cu
            }
        };
        caches.customers.insert(key.clone(), cu);
    }
    let Some(cu) = caches.customers.get(&key) else {
        return Ok(());
    };
    write_so(
        c,
        cu.id,
        &cu.name,
        warehouse_id,
        &SoRequest {
            customer: cu.name.clone(),
            warehouse: opt.warehouse.clone(),
            date,
            shipment_date: None,
            reference: first.cells[EXTERNAL_ID].clone(),
            notes: String::new(),
            channel: Some(first.cells[CHANNEL].clone()),
            external_id: Some(first.cells[EXTERNAL_ID].clone()),
            lines,
            charges: DocCharges::default(),
        },
        &items,
    )?;
    report.orders += 1;
    report.lines += rows.len() as u64;
    Ok(())
}
