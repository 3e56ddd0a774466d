//! `stockroom warehouse add|list`.

use crate::app::App;
use crate::ops::master;
use crate::output;
use anyhow::Result;
use clap::Subcommand;
use stockroom_core::ident::{validate_name, validate_text, validate_warehouse_code};

#[derive(Debug, Subcommand)]
pub enum WarehouseCmd {
    /// Add a warehouse
    Add {
        /// Code, e.g. EAST (letters, digits, - and _)
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        address: String,
    },
    /// List warehouses
    List,
}

pub fn run(app: &App, cmd: WarehouseCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        WarehouseCmd::Add {
            code,
            name,
            address,
        } => {
            let code = validate_warehouse_code(&code)?;
            let name = validate_name(&name, "warehouse name")?;
            let address = validate_text(&address, "address", 1000)?;
            let w = master::warehouse_add(&mut db, &code, &name, &address)?;
            app.ui.say(format!("Added warehouse {}", w.code));
            app.out()?.show(&output::warehouse(&w))
        }
        WarehouseCmd::List => {
            let list = db.conn().list_warehouses()?;
            app.out()?.records(
                output::WAREHOUSE_COLUMNS,
                list.iter().map(output::warehouse),
            )
        }
    }
}
