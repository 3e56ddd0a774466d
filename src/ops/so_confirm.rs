//! `so confirm`: draft → confirmed, reserving what is free for each line (SPEC §3.3); the rest is
//! the line's shortfall, reported so the clerk (or the nightly bulk run) can backorder it.

use crate::exit::UserError;
use crate::ops::backorder_create::create_in;
use crate::ops::backorder_plan::{PlanReport, Terms};
use crate::ops::effects::{get_so, reserve, settle_so};
use crate::repo::{Conn, Db};
use anyhow::Result;
use stockroom_core::{Date, DocNumber, Qty, SoStatus};

/// A line that could not be reserved in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub sku: String,
    pub ordered: Qty,
    pub reserved: Qty,
    pub short: Qty,
}

#[derive(Debug, Clone)]
pub struct ConfirmOutcome {
    pub so: DocNumber,
    pub shortfalls: Vec<Shortfall>,
}

/// Confirms one draft order inside the caller's transaction.
pub fn confirm_in(c: &Conn, number: DocNumber, date: Date) -> Result<ConfirmOutcome> {
    let mut so = get_so(c, number)?;
    if so.status != SoStatus::Draft {
        return Err(UserError::refused(format!(
            "{number} is {}, not draft; only a draft order can be confirmed",
            so.status
        ))
        .into());
    }
    if date < so.date {
        return Err(UserError::refused(format!(
            "the confirmation date {date} is before the order date {} of {number}",
            so.date
        ))
        .into());
    }
    let mut shortfalls = Vec::new();
    let mut lines = c.so_lines(so.id)?;
    for line in &mut lines {
        let (on_hand, reserved) = c.get_balance(line.item_id, line.warehouse_id)?;
        let take = stockroom_core::stock::reserve_on_confirm(on_hand - reserved, &[line.quantity])
            .first()
            .copied()
            .unwrap_or_default();
        line.shortfall_at_confirm = line.quantity - take;
        line.open = true;
        reserve(c, line, take)?;
        if line.shortfall_at_confirm.is_positive() {
            shortfalls.push(Shortfall {
                sku: line.sku.clone(),
                ordered: line.quantity,
                reserved: take,
                short: line.shortfall_at_confirm,
            });
        }
    }
    so.status = SoStatus::Confirmed;
    so.confirmed_date = Some(date);
    c.update_so_status(&so)?;
    let detail = if shortfalls.is_empty() {
        format!("confirmed on {date}; every line reserved")
    } else {
        let parts: Vec<String> = shortfalls
            .iter()
            .map(|s| format!("{} short {}", s.sku, s.short))
            .collect();
        format!("confirmed on {date}; {}", parts.join(", "))
    };
    c.event(&number.to_string(), "confirmed", &detail)?;
    // a draft never has backorder links, so nothing is pending yet
    settle_so(c, &mut so, lines, false)?;
    Ok(ConfirmOutcome {
        so: number,
        shortfalls,
    })
}

/// Confirms every order given, in one transaction: all or none. With `backorder`, the shortfall of
/// each is backordered with default terms in the same transaction.
pub fn so_confirm(
    db: &mut Db,
    numbers: &[DocNumber],
    date: Date,
    backorder: bool,
) -> Result<(Vec<ConfirmOutcome>, Vec<PlanReport>)> {
    db.write(|c| {
        let outcomes = numbers
            .iter()
            .map(|n| confirm_in(c, *n, date))
            .collect::<Result<Vec<_>>>()?;
        let plans = if backorder {
            backorder_shortfalls(c, &outcomes, date)?
        } else {
            Vec::new()
        };
        Ok((outcomes, plans))
    })
}

/// Backorders, with default terms, every confirmed order that fell short.
pub fn backorder_shortfalls(
    c: &Conn,
    outcomes: &[ConfirmOutcome],
    date: Date,
) -> Result<Vec<PlanReport>> {
    let terms = Terms {
        date,
        ..Default::default()
    };
    outcomes
        .iter()
        .filter(|o| !o.shortfalls.is_empty())
        .map(|o| create_in(c, o.so, &terms, true))
        .collect()
}
