//! `backorder bulk`: the backorder of many sales orders in one transaction (SPEC §3.8). Demand is
//! streamed from one query and planned set-wise; items without a vendor are skipped and reported.
//! Re-running creates nothing, because planning reads links, not counters.

use crate::ops::backorder_plan::{plan_and_maybe_write, PlanReport, Progress, Terms};
use crate::repo::{Db, DemandFilter};
use anyhow::Result;

/// Plans (and unless `dry_run`, writes) one bulk run in one transaction.
pub fn backorder_bulk(
    db: &mut Db,
    filter: &DemandFilter,
    terms: &Terms,
    dry_run: bool,
    progress: &dyn Fn(Progress),
) -> Result<PlanReport> {
    if dry_run {
        db.read(|c| plan_and_maybe_write(c, filter, terms, false, progress))
    } else {
        db.write(|c| plan_and_maybe_write(c, filter, terms, true, progress))
    }
}
