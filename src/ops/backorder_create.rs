//! `backorder create SO`: draft purchase orders for the uncovered shortfall of one sales order
//! (SPEC §3.5), or only the plan with `--dry-run`.

use crate::exit::UserError;
use crate::ops::backorder_plan::{plan_and_maybe_write, NoVendor, PlanReport, Terms};
use crate::ops::effects::get_so;
use crate::repo::{Conn, Db, DemandFilter};
use anyhow::Result;
use stockroom_core::backorder::{can_drop_ship, DeliverTo};
use stockroom_core::{DocNumber, SoStatus};

fn check(c: &Conn, so: DocNumber, terms: &Terms) -> Result<()> {
    let order = get_so(c, so)?;
    match (terms.deliver_to, order.status) {
        (_, SoStatus::Draft) => {
            return Err(UserError::refused(format!(
                "{so} is a draft; confirm it first with `stockroom so confirm {so}`"
            ))
            .into())
        }
        (DeliverTo::Warehouse, SoStatus::Confirmed | SoStatus::OnHold) => {}
        (DeliverTo::Customer, SoStatus::Confirmed) => {
            let lines = c.so_lines(order.id)?;
            let has_package_or_invoice =
                !c.list_packages(order.id)?.is_empty() || lines.iter().any(|l| l.invoiced.is_positive());
            if !can_drop_ship(order.status, has_package_or_invoice) {
                return Err(UserError::refused(format!(
                    "{so} already has a package or an invoice; a drop shipment is only possible before that \
                     (use --deliver-to warehouse)"
                ))
                .into());
            }
        }
        (DeliverTo::Customer, SoStatus::OnHold) => {
            return Err(UserError::refused(format!(
                "{so} is on hold; a drop shipment is only possible on a confirmed order (use --deliver-to warehouse)"
            ))
            .into())
        }
        (_, s) => {
            return Err(UserError::refused(format!(
                "{so} is {s}; only confirmed or on-hold orders can be backordered"
            ))
            .into())
        }
    }
    let lines = c.so_lines(order.id)?;
    for sku in terms
        .only
        .iter()
        .chain(terms.qty_by_sku.iter().map(|(s, _)| s))
    {
        if !lines.iter().any(|l| l.sku.eq_ignore_ascii_case(sku)) {
            return Err(UserError::not_found(format!("{so} has no line for {sku}")).into());
        }
    }
    Ok(())
}

fn filter(so: DocNumber) -> DemandFilter {
    DemandFilter {
        so_ids: Some(vec![so.id]),
        ..Default::default()
    }
}

/// Lines of the order whose item has no vendor under these terms (for the clerk's prompt).
pub fn missing_vendors(db: &mut Db, so: DocNumber, terms: &Terms) -> Result<Vec<NoVendor>> {
    db.read(|c| {
        check(c, so, terms)?;
        Ok(plan_and_maybe_write(c, &filter(so), terms, false, &|_| ())?.no_vendor)
    })
}

/// Plans and, with `write`, writes the backorder of one order inside the caller's transaction.
/// Refuses (and the caller's transaction then changes nothing) when a line has no vendor or
/// nothing is left to backorder.
pub fn create_in(c: &Conn, so: DocNumber, terms: &Terms, write: bool) -> Result<PlanReport> {
    check(c, so, terms)?;
    let report = plan_and_maybe_write(c, &filter(so), terms, write, &|_| ())?;
    if !report.no_vendor.is_empty() {
        let skus: Vec<String> = report
            .no_vendor
            .iter()
            .map(|n| format!("{} ({})", n.sku, n.quantity))
            .collect();
        return Err(UserError::refused(format!(
            "no vendor for {} on {so}: name one with `stockroom backorder create {so} --vendor SKU=NAME` \
             (or --vendor NAME for every line), or give the item a preferred vendor with \
             `stockroom item edit SKU --vendor NAME`; nothing was changed",
            skus.join(", ")
        ))
        .into());
    }
    if report.pos.is_empty() {
        return Err(UserError::refused(format!(
            "nothing to backorder: the shortfall of {so} is already covered by stock or purchase orders \
             (see `stockroom so show {so}`)"
        ))
        .into());
    }
    Ok(report)
}

/// Plans (and unless `dry_run`, writes) the backorder of one order.
pub fn backorder_create(
    db: &mut Db,
    so: DocNumber,
    terms: &Terms,
    dry_run: bool,
) -> Result<PlanReport> {
    if dry_run {
        db.read(|c| create_in(c, so, terms, false))
    } else {
        db.write(|c| create_in(c, so, terms, true))
    }
}
