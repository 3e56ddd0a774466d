//! `stockroom item add|list|show|import`.

use crate::app::App;
use crate::input;
use crate::ops::item_import::{self, RawRow};
use crate::ops::master::{self, item_edit, ItemChanges, NewItemByName};
use crate::output::{self, Value};
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use stockroom_core::ident::validate_name;
use stockroom_core::{Money, Qty, Sku};

#[derive(Debug, Subcommand)]
pub enum ItemCmd {
    /// Add an item
    Add(AddArgs),
    /// Change an item: name, rates, unit, preferred vendor, reorder level
    Edit(EditArgs),
    /// List items
    List,
    /// One item with its stock per warehouse
    Show { sku: String },
    /// Import items from CSV (`-` reads stdin): sku,name,unit,rate,purchase_rate,vendor,reorder_level,opening_stock,warehouse
    Import {
        file: PathBuf,
        /// Date of the opening-stock movements [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// SKU: letters, digits, - _ . /
    pub sku: String,
    #[arg(long)]
    pub name: String,
    /// Selling rate per unit
    #[arg(long)]
    pub rate: String,
    /// Purchase rate per unit
    #[arg(long)]
    pub purchase_rate: String,
    #[arg(long, default_value = "pcs")]
    pub unit: String,
    /// Preferred vendor (by name)
    #[arg(long)]
    pub vendor: Option<String>,
    #[arg(long, value_name = "QTY")]
    pub reorder_level: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub sku: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub rate: Option<String>,
    #[arg(long)]
    pub purchase_rate: Option<String>,
    #[arg(long)]
    pub unit: Option<String>,
    /// Preferred vendor (by name)
    #[arg(long, conflicts_with = "no_vendor")]
    pub vendor: Option<String>,
    /// Remove the preferred vendor
    #[arg(long)]
    pub no_vendor: bool,
    #[arg(long, value_name = "QTY", conflicts_with = "no_reorder_level")]
    pub reorder_level: Option<String>,
    /// Remove the reorder level
    #[arg(long)]
    pub no_reorder_level: bool,
}

pub fn run(app: &App, cmd: ItemCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        ItemCmd::Add(a) => {
            let req = NewItemByName {
                sku: Sku::parse(&a.sku)?.as_str().to_string(),
                name: validate_name(&a.name, "item name")?,
                unit: validate_name(&a.unit, "unit")?,
                rate: Money::parse_non_negative(&a.rate).map_err(|e| e.named("--rate"))?,
                purchase_rate: Money::parse_non_negative(&a.purchase_rate)
                    .map_err(|e| e.named("--purchase-rate"))?,
                vendor: a.vendor,
                reorder_level: a
                    .reorder_level
                    .as_deref()
                    .map(|q| Qty::parse_non_negative(q).map_err(|e| e.named("--reorder-level")))
                    .transpose()?,
            };
            let item = master::item_add(&mut db, req)?;
            app.ui.say(format!("Added item {}", item.sku));
            app.out()?.show(&output::item(&item))
        }
        ItemCmd::Edit(a) => {
            let ch = ItemChanges {
                name: a
                    .name
                    .as_deref()
                    .map(|n| validate_name(n, "item name"))
                    .transpose()?,
                unit: a
                    .unit
                    .as_deref()
                    .map(|u| validate_name(u, "unit"))
                    .transpose()?,
                rate: a
                    .rate
                    .as_deref()
                    .map(|r| Money::parse_non_negative(r).map_err(|e| e.named("--rate")))
                    .transpose()?,
                purchase_rate: a
                    .purchase_rate
                    .as_deref()
                    .map(|r| Money::parse_non_negative(r).map_err(|e| e.named("--purchase-rate")))
                    .transpose()?,
                vendor: if a.no_vendor {
                    Some(None)
                } else {
                    a.vendor.map(Some)
                },
                reorder_level: if a.no_reorder_level {
                    Some(None)
                } else {
                    a.reorder_level
                        .as_deref()
                        .map(|q| Qty::parse_non_negative(q).map_err(|e| e.named("--reorder-level")))
                        .transpose()?
                        .map(Some)
                },
            };
            let item = item_edit(&mut db, &a.sku, &ch)?;
            app.ui.say(format!("Changed item {}", item.sku));
            app.out()?.show(&output::item(&item))
        }
        ItemCmd::List => {
            let mut out = app.out()?;
            let mut list = out.list(output::ITEM_COLUMNS)?;
            db.conn().for_each_item(|i| list.row(&output::item(&i)))?;
            list.finish()
        }
        ItemCmd::Show { sku } => {
            let c = db.conn();
            let item = c.get_item(&sku)?;
            let mut stock = Vec::new();
            c.for_each_stock_row(Some(&item.sku), None, |s| {
                stock.push(output::stock(&s));
                Ok(())
            })?;
            let mut rec = output::item(&item);
            rec.push("stock", Value::List(stock));
            app.out()?.show(&rec)
        }
        ItemCmd::Import { file, date } => {
            let date = app.date_or_today(date.as_deref())?;
            let bytes = input::read_bytes(&file)?;
            let csv = input::parse_csv(&bytes, item_import::COLUMNS, item_import::REQUIRED)?;
            let rows: Vec<RawRow> = csv
                .rows
                .into_iter()
                .map(|(line, cells)| RawRow { line, cells })
                .collect();
            let report = item_import::item_import(&mut db, &rows, date)?;
            app.ui.say(format!(
                "Imported {} item(s), {} with opening stock.",
                report.items, report.opening_movements
            ));
            Ok(())
        }
    }
}
