//! `stockroom so …`: sales orders.

use crate::app::App;
use crate::exit::UserError;
use crate::input;
use crate::ops::backorder_plan::PlanReport;
use crate::ops::so_confirm::{so_confirm, ConfirmOutcome};
use crate::ops::so_create::{so_create, LineRequest, SoRequest};
use crate::ops::so_import::{
    self, ImportOptions, ACCEPTED as IMPORT_ACCEPTED, COLUMNS as IMPORT_COLUMNS,
    REQUIRED as IMPORT_REQUIRED,
};
use crate::ops::{so_invoice, so_package, so_ship, so_void};
use crate::output::{self, Record, Value};
use crate::repo::{Conn, Db, SoFilter};
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use stockroom_core::ident::{validate_text, validate_warehouse_code};
use stockroom_core::{parse_date, DocKind, DocNumber, Money, Percent, Qty, Sku, SoStatus};

#[derive(Debug, Subcommand)]
pub enum SoCmd {
    /// Create a sales order (a draft, or confirmed with --confirm)
    Create(CreateArgs),
    /// Confirm draft orders: reserve stock, show the shortfall, offer a backorder
    Confirm(ConfirmArgs),
    /// List sales orders
    List(ListArgs),
    /// One order with its lines, packages, invoices and linked purchase orders
    Show { so: String },
    /// Pack reserved stock of a confirmed order (default: everything reserved)
    Package {
        so: String,
        /// SKU=QTY to pack (repeatable)
        #[arg(long = "item", value_name = "SKU=QTY")]
        items: Vec<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Ship a package, or every packed package of an order
    Ship {
        /// SO-… or PKG-…
        target: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Invoice the ordered quantity not yet invoiced
    Invoice {
        so: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Void a draft or confirmed order with nothing packed, shipped or invoiced
    Void { so: String },
    /// Import marketplace orders from CSV: channel,external_id,date,customer,sku,quantity,rate
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[arg(long)]
    pub customer: String,
    /// A line: SKU:QTY or SKU:QTY@RATE (repeatable)
    #[arg(long = "item", value_name = "SKU:QTY[@RATE]", required = true)]
    pub items: Vec<String>,
    /// Order date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Expected shipment date
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub shipment_date: Option<String>,
    #[arg(long, default_value = "MAIN")]
    pub warehouse: String,
    #[arg(long, default_value = "")]
    pub reference: String,
    #[arg(long, default_value = "")]
    pub notes: String,
    #[command(flatten)]
    pub price: crate::cli::price::PriceArgs,
    /// Confirm at once
    #[arg(long)]
    pub confirm: bool,
    #[command(flatten)]
    pub backorder: BackorderChoice,
}

/// The answer to "Create a backorder now?".
#[derive(Debug, Args, Clone, Copy)]
pub struct BackorderChoice {
    /// With a shortfall: raise the backorder at once, with defaults
    #[arg(long, conflicts_with = "no_backorder")]
    pub backorder: bool,
    /// With a shortfall: confirm without backordering
    #[arg(long)]
    pub no_backorder: bool,
}

impl BackorderChoice {
    pub fn answer(self) -> Option<bool> {
        match (self.backorder, self.no_backorder) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ConfirmArgs {
    #[arg(required = true, value_name = "SO")]
    pub orders: Vec<String>,
    /// Confirmation date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[command(flatten)]
    pub backorder: BackorderChoice,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// draft, confirmed, on_hold, fulfilled, closed or void
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub customer: Option<String>,
    /// Order date from (inclusive)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// Order date to (inclusive)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV file, or - for stdin
    pub file: PathBuf,
    /// Channel for rows whose channel cell is empty (or when the column is missing)
    #[arg(long)]
    pub channel: Option<String>,
    /// Confirm the imported orders (in order of order date)
    #[arg(long)]
    pub confirm: bool,
    /// Import the valid orders and write rejected rows to --rejects (exit 5)
    #[arg(long, requires = "rejects")]
    pub skip_invalid: bool,
    /// Where rejected rows go, with a reason column
    #[arg(long, value_name = "FILE", requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
    #[arg(long, default_value = "MAIN")]
    pub warehouse: String,
    /// Confirmation date with --confirm [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

/// Parses `SO-00001` (or `so-1`).
pub fn so_number(s: &str) -> Result<DocNumber> {
    Ok(DocNumber::parse_kind(s, DocKind::SalesOrder)?)
}

/// Parses `SKU:QTY[@RATE]`.
pub fn parse_line_spec(s: &str) -> Result<(String, Qty, Option<Money>)> {
    let (sku, rest) = s.split_once(':').ok_or_else(|| {
        UserError::refused(format!(
            "--item '{s}' is not SKU:QTY or SKU:QTY@RATE (e.g. W-1:5 or W-1:5@12.50)"
        ))
    })?;
    let (qty, rate) = match rest.split_once('@') {
        Some((q, r)) => (q, Some(r)),
        None => (rest, None),
    };
    let sku = Sku::parse(sku)?;
    let qty = Qty::parse_positive(qty)?;
    let rate = rate
        .map(|r| Money::parse_non_negative(r).map_err(|e| e.named("rate")))
        .transpose()?;
    Ok((sku.as_str().to_string(), qty, rate))
}

/// Parses `SKU=VALUE`.
pub fn parse_sku_pair(s: &str, flag: &str) -> Result<(String, String)> {
    let (sku, v) = s
        .split_once('=')
        .ok_or_else(|| UserError::refused(format!("{flag} '{s}' is not SKU=VALUE")))?;
    Ok((Sku::parse(sku)?.as_str().to_string(), v.trim().to_string()))
}

/// The full record of an order, as `so show` prints it.
pub fn so_record(c: &Conn, id: i64) -> Result<Record> {
    let number = DocNumber::new(DocKind::SalesOrder, id);
    let so = c.find_sales_order(id)?.ok_or_else(|| {
        UserError::not_found(format!("no sales order {number}; see `stockroom so list`"))
    })?;
    let lines = c.so_lines(id)?;
    let pos = c
        .linked_po_ids(id)?
        .into_iter()
        .map(|p| DocNumber::new(DocKind::PurchaseOrder, p).to_string())
        .collect();
    let packages = c
        .list_packages(id)?
        .iter()
        .map(|p| output::package(p, &lines))
        .collect();
    let invoices = c
        .list_invoices(id)?
        .into_iter()
        .map(|(inv, date, total)| {
            Record::new()
                .with(
                    "number",
                    Value::text(DocNumber::new(DocKind::Invoice, inv).to_string()),
                )
                .with("date", Value::Date(date))
                .with("total", Value::Money(total))
        })
        .collect();
    let links = c.links_of_so(id)?;
    let backorders = links.iter().map(output::so_backorder).collect();
    let mut rec = output::sales_order_doc(&so, &lines, pos, packages, invoices);
    if so.status == stockroom_core::SoStatus::OnHold {
        rec.push(
            "held_until",
            Value::text(crate::ops::hold::waiting_for(c, id)?),
        );
    }
    rec.push("backorders", Value::List(backorders));
    Ok(rec)
}

fn show_orders(app: &App, db: &Db, ids: &[i64]) -> Result<()> {
    let c = db.conn();
    let recs = ids
        .iter()
        .map(|id| so_record(&c, *id))
        .collect::<Result<Vec<_>>>()?;
    let mut out = app.out()?;
    if recs.len() == 1 {
        out.show(&recs[0])
    } else {
        out.show_many(&recs)
    }
}

const SHORTFALL_COLUMNS: &[&str] = &["so", "sku", "ordered", "reserved", "short"];

/// Shows the shortfall of confirmed orders on stderr and settles the backorder question.
/// With `--backorder` the plans were already made in the confirming transaction.
fn after_confirm(
    app: &App,
    db: &mut Db,
    outcomes: &[ConfirmOutcome],
    choice: Option<bool>,
    date: stockroom_core::Date,
    plans: &[PlanReport],
) -> Result<()> {
    let short: Vec<&ConfirmOutcome> = outcomes
        .iter()
        .filter(|o| !o.shortfalls.is_empty())
        .collect();
    if short.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::new();
    for o in &short {
        for s in &o.shortfalls {
            rows.push(
                Record::new()
                    .with("so", Value::text(o.so.to_string()))
                    .with("sku", Value::text(&s.sku))
                    .with("ordered", Value::Qty(s.ordered))
                    .with("reserved", Value::Qty(s.reserved))
                    .with("short", Value::Qty(s.short)),
            );
        }
    }
    app.ui.say("Out of stock or committed to other orders:");
    app.ui.block(output::render_table(SHORTFALL_COLUMNS, &rows));
    let numbers: Vec<String> = short.iter().map(|o| o.so.to_string()).collect();
    for p in plans {
        crate::cli::backorder::summarize(app, p, false);
    }
    let wants = match choice {
        Some(true) => return Ok(()),
        Some(false) => false,
        // a clerk is asked (the backorder is then its own transaction: no lock is held while asking)
        None if app.ui.is_interactive() || app.global.yes => app.ui.confirm(
            "Create a backorder now?",
            None,
            "--backorder or --no-backorder",
        )?,
        // the documented default: confirm without backordering; the nightly bulk run picks it up
        None => false,
    };
    if wants {
        crate::cli::backorder::backorder_after_confirm(
            app,
            db,
            &short.iter().map(|o| o.so).collect::<Vec<_>>(),
            date,
        )?;
    } else {
        for n in &numbers {
            app.ui.say(format!(
                "To backorder the shortfall: stockroom backorder create {n}"
            ));
        }
    }
    Ok(())
}

pub fn run(app: &App, cmd: SoCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        SoCmd::Create(a) => {
            let mut lines = Vec::new();
            for spec in &a.items {
                let (sku, quantity, rate) = parse_line_spec(spec)?;
                lines.push(LineRequest {
                    sku,
                    quantity,
                    rate,
                    tax_rate: Percent::ZERO,
                    discount: Money::ZERO,
                });
            }
            let terms = a.price.parse()?;
            let skus: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
            if let Some(sku) = terms.unknown_skus(&skus).first() {
                return Err(UserError::refused(format!(
                    "--tax-rate/--discount name {sku}, which has no --item line"
                ))
                .into());
            }
            for l in &mut lines {
                l.tax_rate = terms.tax_for(&l.sku);
                l.discount = terms.discount_for(&l.sku);
            }
            let date = app.date_or_today(a.date.as_deref())?;
            let req = SoRequest {
                customer: a.customer,
                warehouse: validate_warehouse_code(&a.warehouse)?,
                date,
                shipment_date: a.shipment_date.as_deref().map(parse_date).transpose()?,
                reference: validate_text(&a.reference, "reference", 200)?,
                notes: validate_text(&a.notes, "notes", 2000)?,
                channel: None,
                external_id: None,
                lines,
                charges: terms.doc,
            };
            if !a.confirm && a.backorder.answer().is_some() {
                return Err(
                    UserError::usage("--backorder/--no-backorder go with --confirm").into(),
                );
            }
            let choice = a.backorder.answer();
            let (so, outcome, plans) = so_create(
                &mut db,
                &req,
                a.confirm.then_some(date),
                choice == Some(true),
            )?;
            let number = DocNumber::new(DocKind::SalesOrder, so.id);
            app.ui.say(format!(
                "Created {number} for {} ({}), total {}",
                so.customer, so.status, so.total
            ));
            if let Some(o) = outcome {
                after_confirm(app, &mut db, &[o], choice, date, &plans)?;
            }
            show_orders(app, &db, &[so.id])
        }
        SoCmd::Confirm(a) => {
            let numbers = a
                .orders
                .iter()
                .map(|s| so_number(s))
                .collect::<Result<Vec<_>>>()?;
            let date = app.date_or_today(a.date.as_deref())?;
            let choice = a.backorder.answer();
            let (outcomes, plans) = so_confirm(&mut db, &numbers, date, choice == Some(true))?;
            for o in &outcomes {
                let short = o.shortfalls.len();
                app.ui.say(if short == 0 {
                    format!("Confirmed {}; every line is reserved.", o.so)
                } else {
                    format!("Confirmed {}; {short} line(s) short.", o.so)
                });
            }
            after_confirm(app, &mut db, &outcomes, choice, date, &plans)?;
            show_orders(app, &db, &numbers.iter().map(|n| n.id).collect::<Vec<_>>())
        }
        SoCmd::List(a) => {
            let c = db.conn();
            let filter = SoFilter {
                status: a
                    .status
                    .as_deref()
                    .map(|s| {
                        SoStatus::parse(s).ok_or_else(|| {
                            UserError::refused(format!(
                                "--status '{s}' is not one of {}",
                                SoStatus::names()
                            ))
                        })
                    })
                    .transpose()?,
                customer_id: match &a.customer {
                    None => None,
                    Some(name) => Some(c.get_customer(name)?.id),
                },
                from: a.from.as_deref().map(parse_date).transpose()?,
                to: a.to.as_deref().map(parse_date).transpose()?,
                after_id: None,
            };
            let mut out = app.out()?;
            let mut list = out.list(output::SO_COLUMNS)?;
            c.for_each_sales_order(&filter, |so| {
                let pos = c
                    .linked_po_ids(so.id)?
                    .into_iter()
                    .map(|p| DocNumber::new(DocKind::PurchaseOrder, p).to_string())
                    .collect();
                list.row(&output::sales_order(&so, pos))
            })?;
            list.finish()
        }
        SoCmd::Show { so } => {
            let n = so_number(&so)?;
            let rec = so_record(&db.conn(), n.id)?;
            app.out()?.show(&rec)
        }
        SoCmd::Package { so, items, date } => {
            let n = so_number(&so)?;
            let mut picks = Vec::new();
            for i in &items {
                let (sku, q) = parse_sku_pair(i, "--item")?;
                picks.push((sku, Qty::parse_positive(&q)?));
            }
            let date = app.date_or_today(date.as_deref())?;
            let pkg = so_package::so_package(&mut db, n, &picks, date)?;
            app.ui.say(format!("Packed {pkg} for {n}"));
            show_orders(app, &db, &[n.id])
        }
        SoCmd::Ship { target, date } => {
            let t: DocNumber = target.parse()?;
            let date = app.date_or_today(date.as_deref())?;
            let (n, pkgs) = so_ship::so_ship(&mut db, t, date)?;
            let list: Vec<String> = pkgs.iter().map(ToString::to_string).collect();
            app.ui.say(format!("Shipped {} for {n}", list.join(", ")));
            show_orders(app, &db, &[n.id])
        }
        SoCmd::Invoice { so, date } => {
            let n = so_number(&so)?;
            let date = app.date_or_today(date.as_deref())?;
            let inv = so_invoice::so_invoice(&mut db, n, date)?;
            app.ui.say(format!("Created {inv} for {n}"));
            show_orders(app, &db, &[n.id])
        }
        SoCmd::Void { so } => {
            let n = so_number(&so)?;
            let r = so_void::so_void(&mut db, n)?;
            app.ui
                .say(format!("Voided {n}; its reservations were released."));
            for a in &r.reallocated {
                app.ui
                    .say(format!("  {} {} went to {}", a.qty, a.sku, a.so));
            }
            for po in &r.surplus_pos {
                app.ui.say(format!(
                    "  {po} still carries units ordered for {n}; they become ordinary stock when received. \
                     To cancel what is not received: stockroom po cancel {po} --remaining"
                ));
            }
            show_orders(app, &db, &[n.id])
        }
        SoCmd::Import(a) => import(app, &mut db, a),
    }
}

const IMPORTED_COLUMNS: &[&str] = &[
    "number",
    "channel",
    "external_id",
    "date",
    "customer",
    "lines",
    "status",
    "total",
];

fn import(app: &App, db: &mut Db, a: ImportArgs) -> Result<()> {
    let opt = ImportOptions {
        default_channel: a
            .channel
            .as_deref()
            .map(|c| validate_text(c, "channel", 100))
            .transpose()?,
        confirm: if a.confirm {
            Some(app.date_or_today(a.date.as_deref())?)
        } else {
            None
        },
        skip_invalid: a.skip_invalid,
        warehouse: validate_warehouse_code(&a.warehouse)?,
    };
    let reader = input::open(&a.file)?;
    so_import::stage(db, &opt, |row| {
        input::for_each_row(reader, IMPORT_ACCEPTED, IMPORT_REQUIRED, row)
    })?;
    let mut reject_cols: Vec<&'static str> = IMPORT_COLUMNS.to_vec();
    reject_cols.push("reason");
    let mut rejects = match (&a.rejects, a.skip_invalid) {
        (Some(path), true) => Some(output::CsvFile::create(path, &reject_cols)?),
        _ => None,
    };
    let report = so_import::import_staged(db, &opt, &mut |r| {
        let Some(file) = rejects.as_mut() else {
            return Ok(());
        };
        let mut rec = Record::new();
        for (i, c) in IMPORT_COLUMNS.iter().enumerate() {
            rec.push(c, Value::text(r.cells.get(i).cloned().unwrap_or_default()));
        }
        rec.push(
            "reason",
            Value::text(format!("line {}: {}", r.line, r.reason)),
        );
        file.row(&rec)
    })?;
    if let Some(file) = rejects.take() {
        file.finish()?;
    }
    let c = db.conn();
    let mut out = app.out()?;
    let mut list = out.list(IMPORTED_COLUMNS)?;
    let filter = SoFilter {
        after_id: Some(report.first_after),
        ..Default::default()
    };
    c.for_each_sales_order(&filter, |so| {
        list.row(
            &Record::new()
                .with(
                    "number",
                    Value::text(DocNumber::new(DocKind::SalesOrder, so.id).to_string()),
                )
                .with("channel", Value::opt_text(so.channel))
                .with("external_id", Value::opt_text(so.external_id))
                .with("date", Value::Date(so.date))
                .with("customer", Value::text(so.customer))
                .with("lines", Value::Int(so.line_count))
                .with("status", Value::text(so.status.as_str()))
                .with("total", Value::Money(so.total)),
        )
    })?;
    list.finish()?;
    app.ui.say(format!(
        "Imported {} order(s) ({} lines), skipped {} already imported{}{}{}.",
        report.orders,
        report.lines,
        report.skipped_existing,
        if report.created_customers == 0 {
            String::new()
        } else {
            format!(", created {} customer(s)", report.created_customers)
        },
        if opt.confirm.is_some() {
            format!(
                ", confirmed {} ({} with a shortfall for `backorder bulk`)",
                report.confirmed, report.confirmed_short
            )
        } else {
            String::new()
        },
        if report.rejected_rows == 0 {
            String::new()
        } else {
            format!(", rejected {} row(s)", report.rejected_rows)
        }
    ));
    if report.rejected_rows > 0 {
        let path = a.rejects.unwrap_or_default();
        return Err(UserError::partial(format!(
            "{} row(s) rejected and written to {} with the reason for each; fix them and import that file again",
            report.rejected_rows,
            path.display()
        ))
        .into());
    }
    Ok(())
}
