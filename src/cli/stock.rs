//! `stockroom stock adjust|list`.

use crate::app::App;
use crate::exit::UserError;
use crate::ops::stock_adjust::{stock_adjust, AdjustRequest};
use crate::output::{self, Record, Value};
use anyhow::Result;
use clap::{Args, Subcommand};
use stockroom_core::ident::{validate_text, validate_warehouse_code};
use stockroom_core::Qty;

#[derive(Debug, Subcommand)]
pub enum StockCmd {
    /// Adjust on-hand stock by a signed quantity (e.g. `stock adjust W-1 -3 --reason damaged`)
    Adjust(AdjustArgs),
    /// Stock figures per item and warehouse
    List {
        #[arg(long)]
        sku: Option<String>,
        #[arg(long)]
        warehouse: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AdjustArgs {
    pub sku: String,
    /// Signed quantity: 5 adds, -3 removes
    #[arg(allow_hyphen_values = true)]
    pub qty: String,
    #[arg(long, default_value = "MAIN")]
    pub warehouse: String,
    #[arg(long, default_value = "")]
    pub reason: String,
    /// Business date of the adjustment [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Allow going below the reserved quantity, releasing the newest reservations
    #[arg(long)]
    pub release_reservations: bool,
}

pub const ADJUST_COLUMNS: &[&str] = &["sku", "warehouse", "quantity", "on_hand", "reserved"];

pub fn run(app: &App, cmd: StockCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        StockCmd::Adjust(a) => {
            let qty = Qty::parse(&a.qty)?;
            if qty.is_zero() {
                return Err(UserError::refused(
                    "the adjustment is zero; give the change in stock, e.g. 5 (in) or -3 (out)",
                )
                .into());
            }
            let req = AdjustRequest {
                sku: a.sku,
                warehouse: validate_warehouse_code(&a.warehouse)?,
                qty,
                reason: validate_text(&a.reason, "reason", 500)?,
                date: app.date_or_today(a.date.as_deref())?,
                release_reservations: a.release_reservations,
            };
            let r = stock_adjust(&mut db, &req)?;
            app.ui.say(format!(
                "{} in {}: on hand {} ({} reserved)",
                r.sku, r.warehouse, r.on_hand, r.reserved
            ));
            for a in &r.released {
                app.ui.say(format!(
                    "  released {} {} reserved for {}; it waits for stock again",
                    a.qty, a.sku, a.so
                ));
            }
            for a in &r.allocated {
                app.ui.say(format!(
                    "  {} {} reserved for {} (waiting order)",
                    a.qty, a.sku, a.so
                ));
            }
            let rec = Record::new()
                .with("sku", Value::text(&r.sku))
                .with("warehouse", Value::text(&r.warehouse))
                .with("quantity", Value::Qty(r.qty))
                .with("on_hand", Value::Qty(r.on_hand))
                .with("reserved", Value::Qty(r.reserved));
            app.out()?.show(&rec)
        }
        StockCmd::List { sku, warehouse } => {
            let c = db.conn();
            if let Some(s) = &sku {
                c.get_item(s)?;
            }
            if let Some(w) = &warehouse {
                c.get_warehouse(w)?;
            }
            let mut out = app.out()?;
            let mut list = out.list(output::STOCK_COLUMNS)?;
            c.for_each_stock_row(sku.as_deref(), warehouse.as_deref(), |s| {
                list.row(&output::stock(&s))
            })?;
            list.finish()
        }
    }
}
