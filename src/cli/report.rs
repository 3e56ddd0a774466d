//! `stockroom report backorders|stock`: read-only reports for a manager (and a spreadsheet). The
//! repository streams the lines, the core computes every figure, the output module shows them.

use crate::app::App;
use crate::exit::UserError;
use crate::output;
use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use stockroom_core::metrics::{self, plan_window, GroupBy, Report};
use stockroom_core::{parse_date, Date, Qty};

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Backorder rate, fill rate, backorder days and aging of the orders confirmed in a window
    Backorders(BackordersArgs),
    /// Stock figures per item and warehouse with the reorder level and what is below it
    Stock {
        /// Only rows below their reorder level
        #[arg(long)]
        below_reorder: bool,
    },
}

#[derive(Debug, Args)]
pub struct BackordersArgs {
    /// First confirmation date in the window, inclusive [default: the first order]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// Last confirmation date in the window, inclusive [default: --as-of]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    /// The day the report looks from: ages count to it, later deliveries are still pending
    /// [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// One row per vendor, item or customer
    #[arg(long, value_enum, value_name = "GROUP")]
    pub by: Option<By>,
}

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Vendor,
    Item,
    Customer,
}

impl From<By> for GroupBy {
    fn from(b: By) -> Self {
        match b {
            By::Vendor => GroupBy::Vendor,
            By::Item => GroupBy::Item,
            By::Customer => GroupBy::Customer,
        }
    }
}

fn date_flag(flag: &str, value: Option<&str>) -> Result<Option<Date>> {
    value
        .map(|v| parse_date(v).map_err(|e| UserError::refused(format!("{flag}: {e}")).into()))
        .transpose()
}

pub fn run(app: &App, cmd: ReportCmd) -> Result<()> {
    match cmd {
        ReportCmd::Backorders(a) => backorders(app, a),
        ReportCmd::Stock { below_reorder } => stock(app, below_reorder),
    }
}

fn backorders(app: &App, a: BackordersArgs) -> Result<()> {
    let from = date_flag("--from", a.from.as_deref())?;
    let to = date_flag("--to", a.to.as_deref())?;
    let as_of = date_flag("--as-of", a.as_of.as_deref())?.unwrap_or(app.today);
    let window = plan_window(from, to, as_of).map_err(|e| UserError::refused(e.to_string()))?;
    let by = a.by.map(GroupBy::from);
    let mut db = app.open()?;
    let mut report = Report::new(as_of, by);
    db.read(|c| {
        c.for_each_report_line(&window, |line| {
            report.add(&line);
            Ok(())
        })
    })?;
    let (total, groups) = report.finish();
    let mut out = app.out()?;
    match by {
        // one row of 18 figures reads best as a column of name and value on a screen
        None if out.format() == output::Format::Table => {
            out.show(&output::report_backorders(None, &total))?
        }
        None => out.records(
            output::REPORT_BACKORDER_COLUMNS,
            [output::report_backorders(None, &total)],
        )?,
        Some(by) => out.records(
            &output::report_backorder_columns(Some(by.as_str())),
            groups
                .iter()
                .map(|(name, m)| output::report_backorders(Some((by.as_str(), name.clone())), m)),
        )?,
    }
    out.charts(&output::report_backorder_charts(&total))
}

fn stock(app: &App, below_only: bool) -> Result<()> {
    let mut db = app.open()?;
    let mut out = app.out()?;
    db.read(|c| {
        let drafts = c.draft_on_order()?;
        let mut list = out.list(output::REPORT_STOCK_COLUMNS)?;
        c.for_each_stock_row(None, None, |s| {
            let draft = drafts
                .get(&(s.sku.clone(), s.warehouse.clone()))
                .copied()
                .unwrap_or(Qty::ZERO);
            let projected = metrics::projected_stock(s.available_for_sale(), s.on_order, draft);
            let below = metrics::below_reorder(s.reorder_level, projected);
            if below || !below_only {
                list.row(&output::report_stock(&s, draft, projected, below))?;
            }
            Ok(())
        })?;
        list.finish()
    })
}
