//! `stockroom bill record|list|show`.

use crate::app::App;
use crate::cli::po::{parse_items, po_number};
use crate::exit::UserError;
use crate::ops::bill_record::{bill_record, BillRequest};
use crate::output;
use anyhow::Result;
use clap::{Args, Subcommand};
use stockroom_core::ident::validate_text;
use stockroom_core::{parse_date, DocKind, DocNumber, Money, Percent};

#[derive(Debug, Subcommand)]
pub enum BillCmd {
    /// Record the vendor's bill for an issued PO (default: everything still to bill)
    Record(RecordArgs),
    /// List bills
    List {
        #[arg(long, value_name = "PO")]
        po: Option<String>,
    },
    /// One bill with its lines
    Show { bill: String },
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    pub po: String,
    /// SKU=QTY billed (repeatable)
    #[arg(long = "item", value_name = "SKU=QTY")]
    pub items: Vec<String>,
    /// The vendor's own bill number
    #[arg(long, value_name = "VENDOR_REF", default_value = "")]
    pub number: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub due_date: Option<String>,
    /// TCS rate in percent [default: the PO's]
    #[arg(long, value_name = "PERCENT")]
    pub tcs_rate: Option<String>,
    /// Shipping charges [default: the PO's, on its first bill]
    #[arg(long, value_name = "AMOUNT")]
    pub charges: Option<String>,
    /// Adjustment, signed [default: the PO's, on its first bill]
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub adjustment: Option<String>,
}

pub fn run(app: &App, cmd: BillCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        BillCmd::Record(a) => {
            let n = po_number(&a.po)?;
            let req = BillRequest {
                items: parse_items(&a.items)?,
                vendor_ref: validate_text(&a.number, "vendor bill number", 100)?,
                date: a.date.as_deref().map(parse_date).transpose()?,
                due_date: a.due_date.as_deref().map(parse_date).transpose()?,
                tcs_rate: a
                    .tcs_rate
                    .as_deref()
                    .map(|r| Percent::parse_rate(r).map_err(|e| e.named("--tcs-rate")))
                    .transpose()?,
                charges: a
                    .charges
                    .as_deref()
                    .map(|v| Money::parse_non_negative(v).map_err(|e| e.named("--charges")))
                    .transpose()?,
                adjustment: a
                    .adjustment
                    .as_deref()
                    .map(|v| Money::parse(v).map_err(|e| e.named("--adjustment")))
                    .transpose()?,
            };
            let r = bill_record(&mut db, n, &req, app.today)?;
            app.ui
                .say(format!("Recorded {} for {n}, total {}", r.bill, r.total));
            for a in &r.dropshipped {
                app.ui.say(format!(
                    "  {} {} drop-shipped to the customer of {}",
                    a.qty, a.sku, a.so
                ));
            }
            for so in &r.released {
                app.ui.say(format!("  {so} is released from hold"));
            }
            let b = db
                .conn()
                .find_bill(r.bill.id)?
                .ok_or_else(|| anyhow::anyhow!("{} vanished", r.bill))?;
            app.out()?.show(&output::bill_doc(&b))
        }
        BillCmd::List { po } => {
            let c = db.conn();
            let po_id = match po.as_deref() {
                None => None,
                Some(p) => Some(crate::ops::po::get_po(&c, po_number(p)?)?.id),
            };
            let mut out = app.out()?;
            let mut list = out.list(output::BILL_COLUMNS)?;
            c.for_each_bill(po_id, |b| list.row(&output::bill(&b)))?;
            list.finish()
        }
        BillCmd::Show { bill } => {
            let n = DocNumber::parse_kind(&bill, DocKind::Bill)?;
            let b = db.conn().find_bill(n.id)?.ok_or_else(|| {
                UserError::not_found(format!("no bill {n}; see `stockroom bill list`"))
            })?;
            app.out()?.show(&output::bill_doc(&b))
        }
    }
}
