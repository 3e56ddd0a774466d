//! `stockroom customer add|list|show`.

use crate::app::App;
use crate::ops::master;
use crate::output::{self, Value};
use crate::repo::Customer;
use anyhow::Result;
use clap::Subcommand;
use stockroom_core::ident::{validate_email, validate_name, validate_pan, validate_text};

#[derive(Debug, Subcommand)]
pub enum CustomerCmd {
    /// Add a customer
    Add {
        /// Unique name
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        /// Billing address
        #[arg(long, default_value = "")]
        address: String,
        /// Shipping address (drop shipments go here) [default: the billing address]
        #[arg(long)]
        shipping_address: Option<String>,
        /// Permanent Account Number (for TCS)
        #[arg(long)]
        pan: Option<String>,
    },
    /// List customers
    List,
    /// One customer
    Show { name: String },
}

pub fn run(app: &App, cmd: CustomerCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        CustomerCmd::Add {
            name,
            email,
            address,
            shipping_address,
            pan,
        } => {
            let billing = validate_text(&address, "address", 1000)?;
            let shipping = match shipping_address {
                Some(s) => validate_text(&s, "shipping address", 1000)?,
                None => billing.clone(),
            };
            let cu = Customer {
                id: 0,
                name: validate_name(&name, "customer name")?,
                email: validate_email(&email)?,
                billing_address: billing,
                shipping_address: shipping,
                pan: pan.as_deref().map(validate_pan).transpose()?,
            };
            let cu = master::customer_add(&mut db, cu)?;
            app.ui.say(format!("Added customer {}", cu.name));
            app.out()?.show(&output::customer(&cu))
        }
        CustomerCmd::List => {
            let list = db.conn().list_customers()?;
            app.out()?
                .records(output::CUSTOMER_COLUMNS, list.iter().map(output::customer))
        }
        CustomerCmd::Show { name } => {
            let cu = db.conn().get_customer(&name)?;
            let c = db.conn();
            let (fy_start, fy_end) = stockroom_core::tcs::financial_year(app.today);
            let invoiced = c.customer_invoiced(cu.id, fy_start, fy_end)?;
            let threshold = crate::ops::so_invoice::sales_tcs_settings(&c)?.customer_threshold;
            let mut rec = output::customer(&cu);
            rec.push("fy_start", Value::Date(fy_start));
            rec.push("fy_invoiced", Value::Money(invoiced));
            rec.push("tcs_threshold", Value::Money(threshold));
            rec.push(
                "below_threshold_left",
                Value::Money(threshold.sub_floor0(invoiced)),
            );
            app.out()?.show(&rec)
        }
    }
}
