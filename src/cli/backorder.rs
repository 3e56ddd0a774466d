//! `stockroom backorder create|bulk|list`.

use crate::app::App;
use crate::cli::so::{parse_sku_pair, so_number, so_record};
use crate::exit::UserError;
use crate::ops::backorder_bulk::backorder_bulk;
use crate::ops::backorder_create::{backorder_create, missing_vendors};
use crate::ops::backorder_plan::{PlanReport, Progress, Terms};
use crate::output::{self, Format};
use crate::repo::{Db, DemandFilter, LinkFilter};
use anyhow::Result;
use clap::{Args, Subcommand};
use stockroom_core::backorder::{DeliverTo, GroupBy};
use stockroom_core::{parse_date, DocNumber, Money, Percent, Qty};

#[derive(Debug, Subcommand)]
pub enum BackorderCmd {
    /// Raise purchase orders for the uncovered shortfall of one sales order
    Create(CreateArgs),
    /// Backorder many sales orders at once: one PO per vendor (what a nightly cron job runs)
    Bulk(BulkArgs),
    /// One row per backorder link (sales-order line ↔ purchase-order line)
    List {
        /// Only links still waiting for delivery or billing
        #[arg(long)]
        open: bool,
        #[arg(long, value_name = "SO")]
        so: Option<String>,
        #[arg(long)]
        vendor: Option<String>,
    },
}

/// Choices shared by create and bulk.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Deliver to our warehouse, or drop-ship to the customer
    #[arg(long, value_name = "WHERE", default_value = "warehouse", value_parser = ["warehouse", "customer"])]
    pub deliver_to: String,
    /// Expected delivery date [default: date + the vendor's lead time]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub expected_date: Option<String>,
    /// PO date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// TCS rate in percent on the new POs (on the total including taxes and charges)
    #[arg(long, value_name = "PERCENT")]
    pub tcs_rate: Option<String>,
    #[command(flatten)]
    pub price: crate::cli::price::PriceArgs,
    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[arg(value_name = "SO")]
    pub so: String,
    /// Only these SKUs (repeatable)
    #[arg(long = "only", value_name = "SKU")]
    pub only: Vec<String>,
    /// Order this quantity of an item instead of its shortfall (more is stock, less leaves the rest)
    #[arg(long = "qty", value_name = "SKU=QTY")]
    pub qty: Vec<String>,
    /// Vendor for every line (NAME) or one line (SKU=NAME); repeatable
    #[arg(long = "vendor", value_name = "NAME|SKU=NAME")]
    pub vendor: Vec<String>,
    /// Purchase rate for a line [default: the item's purchase rate]
    #[arg(long = "rate", value_name = "SKU=RATE")]
    pub rate: Vec<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct BulkArgs {
    /// Sales orders to backorder (or use --all or the filters)
    #[arg(value_name = "SO")]
    pub orders: Vec<String>,
    /// Every confirmed or on-hold order with uncovered shortfall
    #[arg(long)]
    pub all: bool,
    /// Only orders of this customer
    #[arg(long)]
    pub customer: Option<String>,
    /// Only orders dated from (inclusive)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// Only orders dated to (inclusive)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    /// Only items whose preferred vendor is this one
    #[arg(long)]
    pub vendor: Option<String>,
    /// One PO per vendor, or per vendor and sales order
    #[arg(long, value_name = "HOW", default_value = "vendor", value_parser = ["vendor", "so"])]
    pub group_by: String,
    #[command(flatten)]
    pub common: CommonArgs,
}

fn base_terms(app: &App, c: &CommonArgs) -> Result<Terms> {
    let date = app.date_or_today(c.date.as_deref())?;
    let expected_date = c.expected_date.as_deref().map(parse_date).transpose()?;
    if let Some(e) = expected_date {
        if e < date {
            return Err(UserError::refused(format!(
                "--expected-date {e} is before the PO date {date}"
            ))
            .into());
        }
    }
    Ok(Terms {
        deliver_to: DeliverTo::parse(&c.deliver_to).unwrap_or(DeliverTo::Warehouse),
        date,
        expected_date,
        tcs_rate: c
            .tcs_rate
            .as_deref()
            .map(|r| Percent::parse_rate(r).map_err(|e| e.named("--tcs-rate")))
            .transpose()?
            .unwrap_or_default(),
        price: c.price.parse()?,
        ..Default::default()
    })
}

/// Prints a plan: rows in table/CSV; in JSON an object with the documents and the rows.
fn print_plan(app: &App, db: &mut Db, report: &PlanReport) -> Result<()> {
    let written = report.written();
    let c = db.conn();
    let mut out = app.out()?;
    if out.format() != Format::Json {
        // a written plan streams back from the database, so memory stays flat for any size
        let mut list = out.list(output::PLAN_COLUMNS)?;
        match (written.first(), written.last()) {
            (Some(first), Some(last)) => {
                c.for_each_plan_row(first.id, last.id, |r| list.row(&output::plan_row(&r)))?
            }
            _ => {
                for r in output::plan_rows(report) {
                    list.row(&r)?;
                }
            }
        }
        return list.finish();
    }
    let mut rows = Vec::new();
    match (written.first(), written.last()) {
        (Some(first), Some(last)) => c.for_each_plan_row(first.id, last.id, |r| {
            rows.push(output::plan_row(&r));
            Ok(())
        })?,
        _ => rows = output::plan_rows(report),
    }
    let pos = if written.is_empty() {
        Vec::new()
    } else {
        written
            .iter()
            .map(|n| crate::cli::po::po_record(&c, n.id))
            .collect::<Result<Vec<_>>>()?
    };
    let sos = report
        .sales_orders
        .iter()
        .map(|n| so_record(&c, n.id))
        .collect::<Result<Vec<_>>>()?;
    out.show_groups(&[
        ("purchase_orders", pos),
        ("sales_orders", sos),
        ("plan", rows),
    ])
}

pub fn summarize(app: &App, report: &PlanReport, dry_run: bool) {
    let verb = if dry_run { "Would create" } else { "Created" };
    for po in &report.pos {
        let to = match &po.customer {
            Some(c) => format!("drop ship to {c}"),
            None => "to the warehouse".into(),
        };
        app.ui.say(format!(
            "{verb} {} for {} ({to}): {} line(s), total {}",
            po.number
                .map_or_else(|| "a draft PO".to_string(), |n| n.to_string()),
            po.vendor,
            po.lines.len(),
            po.total
        ));
    }
    if !dry_run && !report.sales_orders.is_empty() {
        let list: Vec<String> = report
            .sales_orders
            .iter()
            .map(ToString::to_string)
            .collect();
        app.ui.say(format!(
            "{} on hold until the backorder is billed; next: `stockroom po issue {}`",
            list.join(", "),
            report
                .pos
                .iter()
                .filter_map(|p| p.number)
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
}

/// Asks a clerk for the vendor of every line that has none; returns `--vendor SKU=NAME` pairs.
fn prompt_vendors(
    app: &App,
    db: &mut Db,
    so: DocNumber,
    terms: &Terms,
) -> Result<Vec<(String, String)>> {
    let missing = missing_vendors(db, so, terms)?;
    if missing.is_empty() || !app.ui.is_interactive() {
        return Ok(Vec::new());
    }
    let vendors: Vec<String> = db
        .conn()
        .list_vendors()?
        .into_iter()
        .map(|v| v.name)
        .collect();
    if vendors.is_empty() {
        return Err(UserError::refused(
            "there are no vendors yet; add one with `stockroom vendor add NAME`",
        )
        .into());
    }
    let mut out = Vec::new();
    for m in missing {
        let i = app.ui.select(
            &format!("Vendor for {} ({} short on {so})", m.sku, m.quantity),
            &vendors,
            "--vendor SKU=NAME",
        )?;
        out.push((m.sku, vendors[i].clone()));
    }
    Ok(out)
}

/// `so confirm --backorder` (or a yes at the prompt): the same use case with defaults.
pub fn backorder_after_confirm(
    app: &App,
    db: &mut Db,
    orders: &[DocNumber],
    date: stockroom_core::Date,
) -> Result<()> {
    for so in orders {
        let mut terms = Terms {
            date,
            ..Default::default()
        };
        terms.vendor_by_sku = prompt_vendors(app, db, *so, &terms)?;
        let report = backorder_create(db, *so, &terms, false)?;
        summarize(app, &report, false);
    }
    Ok(())
}

pub fn run(app: &App, cmd: BackorderCmd) -> Result<()> {
    let mut db = app.open()?;
    match cmd {
        BackorderCmd::Create(a) => {
            let so = so_number(&a.so)?;
            let mut terms = base_terms(app, &a.common)?;
            for o in &a.only {
                terms
                    .only
                    .push(stockroom_core::Sku::parse(o)?.as_str().to_string());
            }
            for q in &a.qty {
                let (sku, v) = parse_sku_pair(q, "--qty")?;
                terms.qty_by_sku.push((sku, Qty::parse_positive(&v)?));
            }
            for v in &a.vendor {
                match v.split_once('=') {
                    Some(_) => terms.vendor_by_sku.push(parse_sku_pair(v, "--vendor")?),
                    None if terms.vendor_all.is_some() => {
                        return Err(UserError::usage(
                            "--vendor NAME (for every line) is given twice",
                        )
                        .into())
                    }
                    None => terms.vendor_all = Some(v.trim().to_string()),
                }
            }
            for r in &a.rate {
                let (sku, v) = parse_sku_pair(r, "--rate")?;
                terms.rate_by_sku.push((
                    sku,
                    Money::parse_non_negative(&v).map_err(|e| e.named("--rate"))?,
                ));
            }
            terms
                .vendor_by_sku
                .extend(prompt_vendors(app, &mut db, so, &terms)?);
            let report = backorder_create(&mut db, so, &terms, a.common.dry_run)?;
            summarize(app, &report, a.common.dry_run);
            print_plan(app, &mut db, &report)
        }
        BackorderCmd::Bulk(a) => {
            let mut terms = base_terms(app, &a.common)?;
            terms.group_by = GroupBy::parse(&a.group_by).unwrap_or(GroupBy::Vendor);
            let c = db.conn();
            let so_ids = if a.orders.is_empty() {
                None
            } else {
                let mut ids = Vec::with_capacity(a.orders.len());
                for s in &a.orders {
                    ids.push(crate::ops::effects::get_so(&c, so_number(s)?)?.id);
                }
                Some(ids)
            };
            let has_filter =
                a.customer.is_some() || a.from.is_some() || a.to.is_some() || a.vendor.is_some();
            if so_ids.is_none() && !a.all && !has_filter {
                return Err(UserError::usage(
                    "say which orders: give SO numbers, --all, or a filter (--customer, --from, --to, --vendor)",
                )
                .into());
            }
            let filter = DemandFilter {
                so_ids,
                customer_id: match &a.customer {
                    None => None,
                    Some(n) => Some(c.get_customer(n)?.id),
                },
                from: a.from.as_deref().map(parse_date).transpose()?,
                to: a.to.as_deref().map(parse_date).transpose()?,
                vendor_id: match &a.vendor {
                    None => None,
                    Some(n) => Some(c.get_vendor(n)?.id),
                },
            };
            let progress = app.ui.progress(0, "reading demand");
            let report =
                backorder_bulk(&mut db, &filter, &terms, a.common.dry_run, &|p| match p {
                    Progress::Reading(n) => {
                        progress.set_message(format!("reading demand: {n} lines"))
                    }
                    Progress::Linking(done, total) => {
                        progress.set_message("linking order lines");
                        progress.set_length(total);
                        progress.set_position(done);
                    }
                })?;
            progress.finish_and_clear();
            let links = report.links;
            let verb = if a.common.dry_run {
                "would create"
            } else {
                "created"
            };
            if report.pos.is_empty() && report.no_vendor.is_empty() {
                app.ui.say("Nothing to backorder: every shortfall is already covered by stock or purchase orders.");
            } else {
                app.ui.say(format!(
                    "{verb}: {} PO(s), {} line(s), {links} link(s), {} sales order(s), {} item(s) without vendor",
                    report.pos.len(),
                    report.line_count(),
                    report.sales_orders.len(),
                    report.no_vendor.len()
                ));
            }
            print_plan(app, &mut db, &report)?;
            if !report.not_dropshippable.is_empty() {
                let list: Vec<String> = report
                    .not_dropshippable
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                app.ui.warn(format!(
                    "left out of the drop shipment (on hold, or already packed or invoiced): {}; \
                     backorder them to the warehouse instead",
                    list.join(" ")
                ));
            }
            if !report.no_vendor.is_empty() {
                let list: Vec<String> = report
                    .no_vendor
                    .iter()
                    .map(|n| {
                        let sos: Vec<String> =
                            n.sos.iter().take(5).map(ToString::to_string).collect();
                        format!(
                            "{} ({} on {}{})",
                            n.sku,
                            n.quantity,
                            sos.join(" "),
                            if n.sos.len() > 5 { " …" } else { "" }
                        )
                    })
                    .collect();
                return Err(UserError::partial(format!(
                    "skipped items without a vendor: {}; give each a preferred vendor with \
                     `stockroom item edit SKU --vendor NAME` (the next run picks them up), or backorder them with \
                     `stockroom backorder create SO --vendor SKU=NAME`",
                    list.join(", ")
                ))
                .into());
            }
            Ok(())
        }
        BackorderCmd::List { open, so, vendor } => {
            let c = db.conn();
            let filter = LinkFilter {
                open_only: open,
                so_id: match so.as_deref() {
                    None => None,
                    Some(s) => Some(crate::ops::effects::get_so(&c, so_number(s)?)?.id),
                },
                vendor_id: match &vendor {
                    None => None,
                    Some(n) => Some(c.get_vendor(n)?.id),
                },
            };
            let mut out = app.out()?;
            let mut list = out.list(output::LINK_COLUMNS)?;
            c.for_each_link(&filter, |l| list.row(&output::link(&l, app.today)))?;
            list.finish()
        }
    }
}
