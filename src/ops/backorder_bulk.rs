//! `backorder bulk`: the backorder of many sales orders in one transaction (SPEC §3.8). Demand is
//! streamed from one query and planned set-wise; items without a vendor are skipped and reported.
//! Re-running creates nothing, because planning reads links, not counters.

use crate::ops::backorder_plan::{plan_and_maybe_write, PlanReport, Terms};
use crate::repo::{Db, DemandFilter};
use anyhow::Result;

/// Plans (and unless `dry_run`, writes) one bulk run. `progress` hears how many POs are done.
pub fn backorder_bulk(
    db: &mut Db,
    filter: &DemandFilter,
    terms: &Terms,
    dry_run: bool,
    progress: &dyn Fn(usize),
) -> Result<PlanReport> {
    let report = if dry_run {
        db.read(|c| plan_and_maybe_write(c, filter, terms, false))?
    } else {
        db.write(|c| plan_and_maybe_write(c, filter, terms, true))?
    };
    progress(report.pos.len());
    Ok(report)
}
