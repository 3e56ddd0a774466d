//! `stockroom po list|show|issue|receive|cancel`.

use crate::app::App;
use crate::cli::so::parse_sku_pair;
use crate::exit::UserError;
use crate::ops::po::{po_cancel, po_issue, po_receive};
use crate::output::{self, Record, Value};
use crate::repo::Conn;
use anyhow::Result;
use clap::Subcommand;
use stockroom_core::purchase::PoStatus;
use stockroom_core::{DocKind, DocNumber, Qty};

#[derive(Debug, Subcommand)]
pub enum PoCmd {
    /// List purchase orders
    List {
        /// draft, issued, closed or cancelled
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        vendor: Option<String>,
    },
    /// One PO with its lines, links to sales orders, receipts, bills and amounts
    Show { po: String },
    /// Mark draft POs as issued (sent to the vendor)
    Issue {
        #[arg(required = true, value_name = "PO")]
        pos: Vec<String>,
    },
    /// Record goods arriving (default: everything still to receive)
    Receive {
        po: String,
        /// SKU=QTY received (repeatable)
        #[arg(long = "item", value_name = "SKU=QTY")]
        items: Vec<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Cancel a PO (or, with --remaining, what is neither received nor billed)
    Cancel {
        po: String,
        #[arg(long)]
        remaining: bool,
        /// Date of the cancellation [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
}

pub fn po_number(s: &str) -> Result<DocNumber> {
    Ok(DocNumber::parse_kind(s, DocKind::PurchaseOrder)?)
}

/// Parses repeatable `--item SKU=QTY`.
pub fn parse_items(items: &[String]) -> Result<Vec<(String, Qty)>> {
    items
        .iter()
        .map(|i| {
            let (sku, q) = parse_sku_pair(i, "--item")?;
            Ok((sku, Qty::parse_positive(&q)?))
        })
        .collect()
}

/// The full record of a PO, as `po show` prints it.
pub fn po_record(c: &Conn, id: i64) -> Result<Record> {
    let number = DocNumber::new(DocKind::PurchaseOrder, id);
    let po = c.find_purchase_order(id)?.ok_or_else(|| {
        UserError::not_found(format!(
            "no purchase order {number}; see `stockroom po list`"
        ))
    })?;
    let lines = c.po_lines(id)?;
    let mut links = Vec::new();
    for l in &lines {
        links.extend(c.links_of_po_line(l.id)?);
    }
    let sos = c.linked_so_ids(id)?;
    let receipts = c
        .list_receipts(id)?
        .into_iter()
        .map(|(r, date, q)| {
            Record::new()
                .with(
                    "number",
                    Value::text(DocNumber::new(DocKind::Receipt, r).to_string()),
                )
                .with("date", Value::Date(date))
                .with("quantity", Value::Qty(q))
        })
        .collect();
    let mut bills = Vec::new();
    c.for_each_bill(Some(id), |b| {
        bills.push(
            Record::new()
                .with(
                    "number",
                    Value::text(DocNumber::new(DocKind::Bill, b.id).to_string()),
                )
                .with("date", Value::Date(b.date))
                .with("total", Value::Money(b.totals.total)),
        );
        Ok(())
    })?;
    Ok(output::purchase_order_doc(
        &po, &lines, &links, &sos, receipts, bills,
    ))
}

pub fn run(app: &App, cmd: PoCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        PoCmd::List { status, vendor } => {
            let c = db.conn();
            let status = status
                .as_deref()
                .map(|s| {
                    PoStatus::parse(s).ok_or_else(|| {
                        UserError::refused(format!(
                            "--status '{s}' is not one of {}",
                            PoStatus::names()
                        ))
                    })
                })
                .transpose()?;
            let vendor_id = match &vendor {
                None => None,
                Some(n) => Some(c.get_vendor(n)?.id),
            };
            let mut out = app.out()?;
            let mut list = out.list(output::PO_COLUMNS)?;
            c.for_each_purchase_order(status, vendor_id, |po| {
                let sos = c.linked_so_ids(po.id)?;
                list.row(&output::purchase_order(&po, &sos))
            })?;
            list.finish()
        }
        PoCmd::Show { po } => {
            let n = po_number(&po)?;
            let rec = po_record(&db.conn(), n.id)?;
            app.out()?.show(&rec)
        }
        PoCmd::Issue { pos } => {
            let numbers = pos
                .iter()
                .map(|p| po_number(p))
                .collect::<Result<Vec<_>>>()?;
            po_issue(&mut db, &numbers)?;
            for n in &numbers {
                app.ui.say(format!("Issued {n}"));
            }
            let c = db.conn();
            let recs = numbers
                .iter()
                .map(|n| po_record(&c, n.id))
                .collect::<Result<Vec<_>>>()?;
            let mut out = app.out()?;
            if recs.len() == 1 {
                out.show(&recs[0])
            } else {
                out.show_many(&recs)
            }
        }
        PoCmd::Receive { po, items, date } => {
            let n = po_number(&po)?;
            let items = parse_items(&items)?;
            let date = app.date_or_today(date.as_deref())?;
            let r = po_receive(&mut db, n, &items, date)?;
            let parts: Vec<String> = r.lines.iter().map(|(s, q)| format!("{s} {q}")).collect();
            app.ui.say(format!(
                "Received {} on {n}: {}",
                r.receipt,
                parts.join(", ")
            ));
            for a in &r.filled {
                app.ui.say(format!(
                    "  {} {} reserved for {} (backordered)",
                    a.qty, a.sku, a.so
                ));
            }
            for a in &r.allocated {
                app.ui.say(format!(
                    "  {} {} reserved for {} (waiting order)",
                    a.qty, a.sku, a.so
                ));
            }
            for a in &r.allocated {
                app.ui.say(format!(
                    "  {} {} reserved for {} from free stock",
                    a.sku, a.qty, a.so
                ));
            }
            for so in &r.released {
                app.ui.say(format!("  {so} is released from hold"));
            }
            let rec = po_record(&db.conn(), n.id)?;
            app.out()?.show(&rec)
        }
        PoCmd::Cancel {
            po,
            remaining,
            date,
        } => {
            let n = po_number(&po)?;
            let date = app.date_or_today(date.as_deref())?;
            let r = po_cancel(&mut db, n, remaining, date)?;
            let parts: Vec<String> = r
                .cancelled
                .iter()
                .map(|(s, q)| format!("{s} {q}"))
                .collect();
            app.ui.say(format!(
                "{n} is {}; cancelled {}",
                r.status,
                parts.join(", ")
            ));
            for (so, uncovered) in &r.affected {
                if uncovered.is_positive() {
                    app.ui.say(format!(
                        "  {so} has {uncovered} uncovered again; to backorder it: stockroom backorder create {so}"
                    ));
                } else {
                    app.ui.say(format!("  {so} lost backordered units on {n}"));
                }
            }
            for a in &r.allocated {
                app.ui.say(format!(
                    "  {} {} reserved for {} from free stock",
                    a.sku, a.qty, a.so
                ));
            }
            for so in &r.released {
                app.ui.say(format!("  {so} is released from hold"));
            }
            let rec = po_record(&db.conn(), n.id)?;
            app.out()?.show(&rec)
        }
    }
}
