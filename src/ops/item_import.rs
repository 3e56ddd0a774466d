//! `item import`: every row is validated before anything is written; one bad row and nothing is
//! imported, with every bad row listed by line and column.

use crate::exit::UserError;
use crate::repo::{Db, Movement, MovementKind, NewItem};
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use stockroom_core::ident::validate_name;
use stockroom_core::{Date, Money, Qty, Sku};

/// The CSV columns, in the documented order.
pub const COLUMNS: &[&str] = &[
    "sku",
    "name",
    "unit",
    "rate",
    "purchase_rate",
    "vendor",
    "reorder_level",
    "opening_stock",
    "warehouse",
];
/// Columns a file must have.
pub const REQUIRED: &[&str] = &["sku", "name", "rate", "purchase_rate"];

/// One data row as read: its line number in the file and its cells by column name.
#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: u64,
    pub cells: HashMap<String, String>,
}

impl RawRow {
    fn get(&self, col: &str) -> &str {
        self.cells.get(col).map_or("", |s| s.trim())
    }
}

/// One problem with one cell (or the whole row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ImportReport {
    pub items: usize,
    pub opening_movements: usize,
}

struct Valid {
    item: NewItem,
    opening: (Qty, i64),
}

pub fn item_import(db: &mut Db, rows: &[RawRow], date: Date) -> Result<ImportReport> {
    db.write(|c| {
        let mut errors = Vec::new();
        let mut valid = Vec::with_capacity(rows.len());
        let mut vendors: HashMap<String, Option<i64>> = HashMap::new();
        let mut warehouses: HashMap<String, Option<i64>> = HashMap::new();
        let mut seen: HashSet<String> = HashSet::new();
        for row in rows {
            let mut err = |column: &str, reason: String| {
                errors.push(RowError {
                    line: row.line,
                    column: column.to_string(),
                    reason,
                })
            };
            let sku = match Sku::parse(row.get("sku")) {
                Ok(s) => Some(s.as_str().to_string()),
                Err(e) => {
                    err("sku", e.to_string());
                    None
                }
            };
            if let Some(s) = &sku {
                if !seen.insert(s.to_lowercase()) {
                    err("sku", format!("SKU {s} appears twice in the file"));
                } else if c.find_item(s)?.is_some() {
                    err("sku", format!("item {s} already exists"));
                }
            }
            let name = validate_name(row.get("name"), "name")
                .map_err(|e| err("name", e.to_string()))
                .ok();
            let unit = match row.get("unit") {
                "" => Some("pcs".to_string()),
                u => validate_name(u, "unit")
                    .map_err(|e| err("unit", e.to_string()))
                    .ok(),
            };
            let rate = Money::parse_non_negative(row.get("rate"))
                .map_err(|e| err("rate", e.named("rate").to_string()))
                .ok();
            let purchase_rate = Money::parse_non_negative(row.get("purchase_rate"))
                .map_err(|e| err("purchase_rate", e.named("purchase_rate").to_string()))
                .ok();
            let vendor_id = match row.get("vendor") {
                "" => Some(None),
                v => {
                    let key = v.to_lowercase();
                    let id = match vendors.get(&key) {
                        Some(id) => *id,
                        None => {
                            let id = c.find_vendor(v)?.map(|x| x.id);
                            vendors.insert(key, id);
                            id
                        }
                    };
                    match id {
                        Some(id) => Some(Some(id)),
                        None => {
                            err(
                                "vendor",
                                format!(
                                    "no vendor named '{v}' (add it with `stockroom vendor add`)"
                                ),
                            );
                            None
                        }
                    }
                }
            };
            let reorder_level = match row.get("reorder_level") {
                "" => Some(None),
                q => Qty::parse_non_negative(q)
                    .map(Some)
                    .map_err(|e| err("reorder_level", e.named("reorder_level").to_string()))
                    .ok(),
            };
            let opening_qty = match row.get("opening_stock") {
                "" => Some(None),
                q => Qty::parse_non_negative(q)
                    .map(|q| Some(q).filter(|q| q.is_positive()))
                    .map_err(|e| err("opening_stock", e.named("opening_stock").to_string()))
                    .ok(),
            };
            let wh_code = match row.get("warehouse") {
                "" => "MAIN".to_string(),
                w => w.to_string(),
            };
            let wh_key = wh_code.to_uppercase();
            let wh_id = match warehouses.get(&wh_key) {
                Some(id) => *id,
                None => {
                    let id = c.find_warehouse(&wh_code)?.map(|w| w.id);
                    warehouses.insert(wh_key, id);
                    id
                }
            };
            if wh_id.is_none() {
                err(
                    "warehouse",
                    format!("no warehouse '{wh_code}' (see `stockroom warehouse list`)"),
                );
            }
            if let (
                Some(sku),
                Some(name),
                Some(unit),
                Some(rate),
                Some(purchase_rate),
                Some(vendor_id),
                Some(reorder_level),
                Some(opening),
                Some(wh),
            ) = (
                sku,
                name,
                unit,
                rate,
                purchase_rate,
                vendor_id,
                reorder_level,
                opening_qty,
                wh_id,
            ) {
                valid.push(Valid {
                    item: NewItem {
                        sku,
                        name,
                        unit,
                        rate,
                        purchase_rate,
                        vendor_id,
                        reorder_level,
                    },
                    opening: (opening.unwrap_or_default(), wh),
                });
            }
        }
        if !errors.is_empty() {
            return Err(UserError::from(ImportError(errors)).into());
        }
        let mut movements = 0;
        for v in &valid {
            let id = c.insert_item(&v.item)?;
            c.event(
                &v.item.sku,
                "created",
                &format!("imported: {}", v.item.name),
            )?;
            let (qty, wh) = v.opening;
            c.ensure_balance(id, wh)?;
            if qty.is_positive() {
                c.insert_movement(&Movement {
                    item_id: id,
                    warehouse_id: wh,
                    kind: MovementKind::Opening,
                    qty,
                    date,
                    reason: "opening stock (item import)",
                    doc: None,
                })?;
                c.event(&v.item.sku, "opening stock", &format!("+{qty} on {date}"))?;
                movements += 1;
            }
        }
        Ok(ImportReport {
            items: valid.len(),
            opening_movements: movements,
        })
    })
}

/// Every bad row of an import; nothing was written.
#[derive(Debug, Clone)]
pub struct ImportError(pub Vec<RowError>);

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: HashSet<u64> = self.0.iter().map(|e| e.line).collect();
        writeln!(
            f,
            "{} bad row(s), nothing was imported; fix them and import the file again:",
            lines.len()
        )?;
        for e in self.0.iter().take(50) {
            writeln!(f, "  line {}, column {}: {}", e.line, e.column, e.reason)?;
        }
        if self.0.len() > 50 {
            write!(f, "  ... and {} more", self.0.len() - 50)?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

impl From<ImportError> for UserError {
    fn from(e: ImportError) -> Self {
        UserError::refused(e.to_string().trim_end().to_string())
    }
}
