//! `doctor`: recomputes every invariant of SPEC §3 from the documents, in one read transaction so
//! that writers running at the same moment can never make a consistent file look broken. It reads
//! (never writes) and streams: memory grows with the orders held by pending links and the items
//! waiting for stock, not with the size of the file.

use crate::repo::{Db, PoCheckHeader, SoCheckHeader};
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use stockroom_core::doctor::{
    check_foreign_keys, check_integrity, check_link, check_po, check_po_line, check_so,
    check_so_line, check_stock, Check, EventSequence, PoFacts, SoFacts, Violation,
};
use stockroom_core::{DocKind, DocNumber, Qty};

/// What `doctor` found.
#[derive(Debug, Clone, Default)]
pub struct DoctorReport {
    /// How many checks were run (every one of `Check::ALL`).
    pub checks: usize,
    pub violations: Vec<Violation>,
}

/// Checks every invariant against one snapshot of the database.
pub fn doctor(db: &mut Db) -> Result<DoctorReport> {
    db.read(|c| {
        let rule = crate::ops::hold::rule(c)?;
        let mut out: Vec<Violation> = Vec::new();
        out.extend(check_integrity(&c.integrity_check()?));
        out.extend(check_foreign_keys(&c.foreign_key_check()?));

        // links first: which orders does a pending link hold?
        let mut pending: HashSet<i64> = HashSet::new();
        c.for_each_link_check(|so_id, l| {
            out.extend(check_link(&l));
            if l.pending(rule) {
                pending.insert(so_id);
            }
            Ok(())
        })?;

        // order lines, grouped per order; what each item and warehouse has waiting for it
        let mut waiting: HashMap<(i64, i64), Qty> = HashMap::new();
        let mut order: Option<SoFacts> = None;
        let so_facts = |h: &SoCheckHeader| SoFacts {
            so: DocNumber::new(DocKind::SalesOrder, h.id),
            status: h.status,
            held_from: h.held_from,
            shipment_status: h.shipment_status,
            invoice_status: h.invoice_status,
            lines: Vec::new(),
            pending: pending.contains(&h.id),
        };
        c.for_each_so_line_check(|row| {
            if order.as_ref().map(|o| o.so.id) != Some(row.header.id) {
                if let Some(done) = order.take() {
                    out.extend(check_so(&done));
                }
                order = Some(so_facts(&row.header));
            }
            if let Some((item, wh, line)) = row.line {
                out.extend(check_so_line(&line));
                if line.open {
                    let w = waiting.entry((item, wh)).or_default();
                    *w += line.uncovered();
                }
                if let Some(o) = order.as_mut() {
                    o.lines.push(line.progress());
                }
            }
            Ok(())
        })?;
        if let Some(done) = order.take() {
            out.extend(check_so(&done));
        }

        c.for_each_stock_check(|mut row| {
            row.facts.waiting = waiting
                .get(&(row.item_id, row.warehouse_id))
                .copied()
                .unwrap_or_default();
            out.extend(check_stock(&row.facts));
            Ok(())
        })?;

        let mut po: Option<PoFacts> = None;
        let po_facts = |h: &PoCheckHeader| PoFacts {
            po: DocNumber::new(DocKind::PurchaseOrder, h.id),
            status: h.status,
            dropship: h.dropship,
            received_status: h.received_status,
            billed_status: h.billed_status,
            lines: Vec::new(),
        };
        c.for_each_po_line_check(|row| {
            if po.as_ref().map(|p| p.po.id) != Some(row.header.id) {
                if let Some(done) = po.take() {
                    out.extend(check_po(&done));
                }
                po = Some(po_facts(&row.header));
            }
            if let Some(line) = row.line {
                out.extend(check_po_line(&line));
                if let Some(p) = po.as_mut() {
                    p.lines.push(line.progress);
                }
            }
            Ok(())
        })?;
        if let Some(done) = po.take() {
            out.extend(check_po(&done));
        }

        let mut events = EventSequence::default();
        c.for_each_event_id(|id| events.push(id))?;
        out.extend(events.finish());

        Ok(DoctorReport {
            checks: Check::ALL.len(),
            violations: out,
        })
    })
}
