//! `stockroom vendor add|list|show`.

use crate::app::App;
use crate::ops::master;
use crate::output::{self, Record, Value};
use crate::repo::Vendor;
use anyhow::Result;
use clap::Subcommand;
use stockroom_core::ident::{validate_email, validate_name, validate_text};

#[derive(Debug, Subcommand)]
pub enum VendorCmd {
    /// Add a vendor
    Add {
        /// Unique name
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        address: String,
        /// Days from order to expected delivery
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..=3650))]
        lead_time_days: Option<i64>,
    },
    /// List vendors
    List,
    /// One vendor and the items it supplies
    Show { name: String },
}

pub fn run(app: &App, cmd: VendorCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        VendorCmd::Add {
            name,
            email,
            address,
            lead_time_days,
        } => {
            let v = Vendor {
                id: 0,
                name: validate_name(&name, "vendor name")?,
                email: validate_email(&email)?,
                address: validate_text(&address, "address", 1000)?,
                lead_time_days,
            };
            let v = master::vendor_add(&mut db, v)?;
            app.ui.say(format!("Added vendor {}", v.name));
            app.out()?.show(&output::vendor(&v))
        }
        VendorCmd::List => {
            let list = db.conn().list_vendors()?;
            app.out()?
                .records(output::VENDOR_COLUMNS, list.iter().map(output::vendor))
        }
        VendorCmd::Show { name } => {
            let c = db.conn();
            let v = c.get_vendor(&name)?;
            let mut items = Vec::new();
            c.for_each_item(|i| {
                if i.vendor_id == Some(v.id) {
                    items.push(
                        Record::new()
                            .with("sku", Value::text(i.sku))
                            .with("name", Value::text(i.name)),
                    );
                }
                Ok(())
            })?;
            let mut rec = output::vendor(&v);
            rec.push("items", Value::List(items));
            app.out()?.show(&rec)
        }
    }
}
