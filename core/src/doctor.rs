//! The invariants `stockroom doctor` checks (SPEC §2, §3), as pure functions over the values the
//! repository loads: each takes the stored figures of one stock row, order line, PO line, link or
//! document, together with what the documents and links say they should be, and returns every
//! disagreement as a [`Violation`]. Nothing here knows SQL, so each rule is unit-tested with a
//! broken value, and the same rules can be applied to any snapshot.

use crate::hold::{is_pending, HoldRelease, Link, LinkState};
use crate::ident::DocNumber;
use crate::num::Qty;
use crate::order::{
    invoice_status, settled_status, shipment_status, str_enum, InvoiceStatus, LineProgress,
    ShipmentStatus, SoStatus,
};
use crate::purchase::{
    status_after, statuses, BilledStatus, PoLineProgress, PoStatus, ReceivedStatus,
};
use std::fmt;

str_enum!(
    /// One invariant. The names are stable: they appear in the `check` column of `doctor`.
    Check {
        OnHand = "on_hand",
        ReservedRange = "reserved_range",
        ReservedSum = "reserved_sum",
        Allocation = "allocation",
        LineCoverage = "line_coverage",
        Packed = "packed",
        LineDocuments = "line_documents",
        LineOpen = "line_open",
        PoLineLinks = "po_line_links",
        PoLineProgress = "po_line_progress",
        PoLineDocuments = "po_line_documents",
        LinkProgress = "link_progress",
        LinkState = "link_state",
        Hold = "hold",
        SoStatus = "so_status",
        PoStatus = "po_status",
        EventLog = "event_log",
        Integrity = "integrity",
        ForeignKeys = "foreign_keys",
    }
);

impl Check {
    /// What the check promises, for the README and `--help`.
    pub fn describe(self) -> &'static str {
        match self {
            Check::OnHand => "on_hand of every item and warehouse equals the sum of its movements",
            Check::ReservedRange => "0 <= reserved <= on_hand",
            Check::ReservedSum => "reserved equals the sum of the order lines' reservations",
            Check::Allocation => "no order line waits for stock while free stock of its item sits in its warehouse",
            Check::LineCoverage => "per order line: reserved + open backorders + shipped + drop-shipped <= quantity",
            Check::Packed => "per order line: packed <= reserved; draft and void orders reserve nothing",
            Check::LineDocuments => "per order line: packed, shipped, invoiced and drop-shipped equal their packages, invoices and links",
            Check::LineOpen => "an order line is open exactly while its order is confirmed or on hold and it is not fully delivered",
            Check::PoLineLinks => "per PO line: links <= quantity; units still owed to orders <= units still to come",
            Check::PoLineProgress => "per PO line: received + cancelled <= quantity and billed + cancelled <= quantity",
            Check::PoLineDocuments => "per PO line: received and billed equal its receipts and bills",
            Check::LinkProgress => "per link: delivered and billed <= quantity - cancelled",
            Check::LinkState => "a link is done exactly when delivered and billed in full",
            Check::Hold => "an order is on hold exactly while it has a pending backorder link",
            Check::SoStatus => "sales-order status, shipment and invoice status agree with the quantities",
            Check::PoStatus => "purchase-order status, received and billed status agree with the quantities",
            Check::EventLog => "the event log has no gaps",
            Check::Integrity => "PRAGMA integrity_check is ok",
            Check::ForeignKeys => "PRAGMA foreign_key_check finds nothing",
        }
    }
}

/// One broken invariant: which check, about what, and the numbers that disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub check: Check,
    pub subject: String,
    pub detail: String,
}

fn push(out: &mut Vec<Violation>, check: Check, subject: &str, detail: String) {
    out.push(Violation {
        check,
        subject: subject.to_string(),
        detail,
    });
}

/// The balance of one item in one warehouse and what the ledger and the order lines say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockFacts {
    pub sku: String,
    pub warehouse: String,
    pub on_hand: Qty,
    pub reserved: Qty,
    /// Σ movements of the item in the warehouse.
    pub movements: Qty,
    /// Σ reserved of the order lines of the item in the warehouse.
    pub lines_reserved: Qty,
    /// Σ uncovered shortfall of the open order lines of the item in the warehouse.
    pub waiting: Qty,
}

pub fn check_stock(s: &StockFacts) -> Vec<Violation> {
    let subject = format!("{} in {}", s.sku, s.warehouse);
    let mut out = Vec::new();
    if s.on_hand != s.movements {
        push(
            &mut out,
            Check::OnHand,
            &subject,
            format!(
                "on hand {} but the movements add up to {}",
                s.on_hand, s.movements
            ),
        );
    }
    if s.reserved.is_negative() || s.reserved > s.on_hand {
        push(
            &mut out,
            Check::ReservedRange,
            &subject,
            format!(
                "reserved {} is outside 0..={} on hand",
                s.reserved, s.on_hand
            ),
        );
    }
    if s.reserved != s.lines_reserved {
        push(
            &mut out,
            Check::ReservedSum,
            &subject,
            format!(
                "reserved {} but the order lines reserve {}",
                s.reserved, s.lines_reserved
            ),
        );
    }
    let free = s.on_hand - s.reserved;
    if free.is_positive() && s.waiting.is_positive() {
        push(
            &mut out,
            Check::Allocation,
            &subject,
            format!(
                "{free} free while order lines wait for {} (free stock goes to waiting lines)",
                s.waiting
            ),
        );
    }
    out
}

/// One sales-order line: its stored figures and what its documents and links say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoLineFacts {
    pub so: DocNumber,
    pub line_no: i64,
    pub sku: String,
    pub order_status: SoStatus,
    pub quantity: Qty,
    pub reserved: Qty,
    pub packed: Qty,
    pub shipped: Qty,
    pub dropshipped: Qty,
    pub invoiced: Qty,
    pub open: bool,
    /// Σ (quantity − cancelled − delivered) of its open links.
    pub outstanding: Qty,
    /// Σ of its lines in packed, unshipped packages.
    pub packed_docs: Qty,
    /// Σ of its lines in shipped packages.
    pub shipped_docs: Qty,
    /// Σ of its invoice lines.
    pub invoiced_docs: Qty,
    /// Σ delivered of its drop-ship links.
    pub dropshipped_links: Qty,
}

impl SoLineFacts {
    pub fn progress(&self) -> LineProgress {
        LineProgress {
            quantity: self.quantity,
            shipped: self.shipped,
            dropshipped: self.dropshipped,
            invoiced: self.invoiced,
        }
    }
    /// What the line still waits for, neither reserved nor on an open backorder.
    pub fn uncovered(&self) -> Qty {
        crate::stock::uncovered(
            self.quantity,
            self.shipped,
            self.dropshipped,
            self.reserved,
            self.outstanding,
        )
    }
}

pub fn check_so_line(l: &SoLineFacts) -> Vec<Violation> {
    let subject = format!("{} line {} ({})", l.so, l.line_no, l.sku);
    let mut out = Vec::new();
    let covered = l.reserved + l.outstanding + l.shipped + l.dropshipped;
    if covered > l.quantity {
        push(
            &mut out,
            Check::LineCoverage,
            &subject,
            format!(
                "reserved {} + backordered {} + shipped {} + drop-shipped {} = {covered} exceeds the quantity {}",
                l.reserved, l.outstanding, l.shipped, l.dropshipped, l.quantity
            ),
        );
    }
    if l.packed.is_negative() || l.packed > l.reserved {
        push(
            &mut out,
            Check::Packed,
            &subject,
            format!("packed {} is outside 0..={} reserved", l.packed, l.reserved),
        );
    }
    if matches!(l.order_status, SoStatus::Draft | SoStatus::Void) && !l.reserved.is_zero() {
        push(
            &mut out,
            Check::Packed,
            &subject,
            format!("a {} order reserves {}", l.order_status, l.reserved),
        );
    }
    let docs = [
        (
            "packed",
            l.packed,
            "its packed packages hold",
            l.packed_docs,
        ),
        (
            "shipped",
            l.shipped,
            "its shipped packages hold",
            l.shipped_docs,
        ),
        ("invoiced", l.invoiced, "its invoices bill", l.invoiced_docs),
        (
            "drop-shipped",
            l.dropshipped,
            "its drop-ship links delivered",
            l.dropshipped_links,
        ),
    ];
    for (what, stored, says, docs) in docs {
        if stored != docs {
            push(
                &mut out,
                Check::LineDocuments,
                &subject,
                format!("{what} {stored} but {says} {docs}"),
            );
        }
    }
    if l.invoiced > l.quantity {
        push(
            &mut out,
            Check::LineDocuments,
            &subject,
            format!(
                "invoiced {} exceeds the quantity {}",
                l.invoiced, l.quantity
            ),
        );
    }
    let active = matches!(l.order_status, SoStatus::Confirmed | SoStatus::OnHold);
    let should_be_open = active && crate::order::open_quantity(&l.progress()).is_positive();
    if l.open != should_be_open {
        push(
            &mut out,
            Check::LineOpen,
            &subject,
            format!(
                "marked {} but the order is {} with {} of {} delivered",
                if l.open { "open" } else { "not open" },
                l.order_status,
                l.shipped + l.dropshipped,
                l.quantity
            ),
        );
    }
    out
}

/// A sales order's stored statuses, its lines' quantities and whether a link still holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoFacts {
    pub so: DocNumber,
    pub status: SoStatus,
    pub held_from: Option<SoStatus>,
    pub shipment_status: ShipmentStatus,
    pub invoice_status: InvoiceStatus,
    pub lines: Vec<LineProgress>,
    /// Some backorder link of the order is pending under the `hold_release` setting.
    pub pending: bool,
}

pub fn check_so(s: &SoFacts) -> Vec<Violation> {
    let subject = s.so.to_string();
    let mut out = Vec::new();
    let on_hold = s.status == SoStatus::OnHold;
    if on_hold && !s.pending {
        push(
            &mut out,
            Check::Hold,
            &subject,
            "on hold but none of its backorder links is pending; it should have returned to its status".into(),
        );
    }
    if s.pending && !on_hold {
        push(
            &mut out,
            Check::Hold,
            &subject,
            format!(
                "{} but a backorder link is pending; it should be on hold",
                s.status
            ),
        );
    }
    let ship = shipment_status(&s.lines);
    if s.shipment_status != ship {
        push(
            &mut out,
            Check::SoStatus,
            &subject,
            format!(
                "shipment status {} but the quantities say {ship}",
                s.shipment_status
            ),
        );
    }
    let inv = invoice_status(&s.lines);
    if s.invoice_status != inv {
        push(
            &mut out,
            Check::SoStatus,
            &subject,
            format!(
                "invoice status {} but the quantities say {inv}",
                s.invoice_status
            ),
        );
    }
    let settled = settled_status(&s.lines);
    match s.status {
        SoStatus::Confirmed | SoStatus::Fulfilled | SoStatus::Closed if s.status != settled => {
            push(
                &mut out,
                Check::SoStatus,
                &subject,
                format!("{} but the quantities say {settled}", s.status),
            )
        }
        SoStatus::OnHold if s.held_from != Some(settled) => push(
            &mut out,
            Check::SoStatus,
            &subject,
            format!(
                "on hold returning to {} but the quantities say {settled}",
                s.held_from.map_or("nothing", SoStatus::as_str)
            ),
        ),
        _ => {}
    }
    if !on_hold && s.held_from.is_some() {
        push(
            &mut out,
            Check::SoStatus,
            &subject,
            format!("{} but remembers a status to return to", s.status),
        );
    }
    out
}

/// One purchase-order line: its stored figures and what its links and documents say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoLineFacts {
    pub po: DocNumber,
    pub line_no: i64,
    pub sku: String,
    pub dropship: bool,
    pub progress: PoLineProgress,
    /// Σ (quantity − cancelled) of all its links.
    pub links: Qty,
    /// Σ (quantity − cancelled − delivered) of its open links.
    pub outstanding: Qty,
    /// Σ delivered of its links.
    pub delivered: Qty,
    /// Σ of its receipt lines.
    pub received_docs: Qty,
    /// Σ of its bill lines.
    pub billed_docs: Qty,
}

pub fn check_po_line(l: &PoLineFacts) -> Vec<Violation> {
    let subject = format!("{} line {} ({})", l.po, l.line_no, l.sku);
    let p = &l.progress;
    let mut out = Vec::new();
    if l.links > p.quantity {
        push(
            &mut out,
            Check::PoLineLinks,
            &subject,
            format!("its links ask for {} but it orders {}", l.links, p.quantity),
        );
    }
    // what the line still brings: receipts for our warehouse, bills for a drop shipment
    let to_come = if l.dropship {
        p.to_bill()
    } else {
        p.to_receive()
    };
    if l.outstanding > to_come {
        push(
            &mut out,
            Check::PoLineLinks,
            &subject,
            format!(
                "orders wait for {} from it but only {to_come} is still to {}",
                l.outstanding,
                if l.dropship { "bill" } else { "receive" }
            ),
        );
    }
    let got = if l.dropship { p.billed } else { p.received };
    if l.delivered > got {
        push(
            &mut out,
            Check::PoLineLinks,
            &subject,
            format!("its links delivered {} but only {got} arrived", l.delivered),
        );
    }
    for (what, done) in [("received", p.received), ("billed", p.billed)] {
        if done.is_negative() || p.cancelled.is_negative() || done + p.cancelled > p.quantity {
            push(
                &mut out,
                Check::PoLineProgress,
                &subject,
                format!(
                    "{what} {done} + cancelled {} exceeds the ordered {}",
                    p.cancelled, p.quantity
                ),
            );
        }
    }
    if l.dropship && !p.received.is_zero() {
        push(
            &mut out,
            Check::PoLineProgress,
            &subject,
            format!("a drop shipment was received ({})", p.received),
        );
    }
    for (what, stored, docs) in [
        ("received", p.received, l.received_docs),
        ("billed", p.billed, l.billed_docs),
    ] {
        if stored != docs {
            push(
                &mut out,
                Check::PoLineDocuments,
                &subject,
                format!("{what} {stored} but its documents add up to {docs}"),
            );
        }
    }
    out
}

/// A purchase order's stored statuses and its lines' quantities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoFacts {
    pub po: DocNumber,
    pub status: PoStatus,
    pub dropship: bool,
    pub received_status: ReceivedStatus,
    pub billed_status: BilledStatus,
    pub lines: Vec<PoLineProgress>,
}

pub fn check_po(p: &PoFacts) -> Vec<Violation> {
    let subject = p.po.to_string();
    let mut out = Vec::new();
    let (rs, bs) = statuses(&p.lines, p.dropship);
    if p.received_status != rs {
        push(
            &mut out,
            Check::PoStatus,
            &subject,
            format!(
                "received status {} but the quantities say {rs}",
                p.received_status
            ),
        );
    }
    if p.billed_status != bs {
        push(
            &mut out,
            Check::PoStatus,
            &subject,
            format!(
                "billed status {} but the quantities say {bs}",
                p.billed_status
            ),
        );
    }
    let touched = p
        .lines
        .iter()
        .any(|l| !l.received.is_zero() || !l.billed.is_zero());
    let problem = match p.status {
        PoStatus::Draft if touched => Some("a draft with received or billed quantity".to_string()),
        PoStatus::Cancelled if touched || p.lines.iter().any(|l| l.cancelled != l.quantity) => {
            Some(
                "cancelled but not every unit is cancelled, or some were received or billed".into(),
            )
        }
        PoStatus::Issued | PoStatus::Closed => {
            let want = status_after(PoStatus::Issued, &p.lines, p.dropship);
            (want != p.status).then(|| format!("{} but the quantities say {want}", p.status))
        }
        _ => None,
    };
    if let Some(detail) = problem {
        push(&mut out, Check::PoStatus, &subject, detail);
    }
    out
}

/// One backorder link, named by its PO and SO lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFacts {
    pub po: DocNumber,
    pub so: DocNumber,
    pub sku: String,
    pub link: Link,
}

impl LinkFacts {
    pub fn pending(&self, rule: HoldRelease) -> bool {
        is_pending(rule, &self.link)
    }
}

pub fn check_link(l: &LinkFacts) -> Vec<Violation> {
    let subject = format!("{} -> {} ({})", l.po, l.so, l.sku);
    let k = &l.link;
    let mut out = Vec::new();
    let negative = [k.quantity, k.delivered, k.billed, k.cancelled]
        .iter()
        .any(|q| q.is_negative());
    let room = k.quantity - k.cancelled;
    if negative || room.is_negative() || k.delivered > room || k.billed > room {
        push(
            &mut out,
            Check::LinkProgress,
            &subject,
            format!(
                "delivered {} and billed {} must stay within quantity {} - cancelled {}",
                k.delivered, k.billed, k.quantity, k.cancelled
            ),
        );
    }
    match k.state {
        LinkState::Open if k.is_complete() => push(
            &mut out,
            Check::LinkState,
            &subject,
            "open but delivered and billed in full; it should be done".into(),
        ),
        LinkState::Done if !k.is_complete() => push(
            &mut out,
            Check::LinkState,
            &subject,
            format!(
                "done but delivered {} and billed {} of {}",
                k.delivered,
                k.billed,
                k.effective()
            ),
        ),
        _ => {}
    }
    out
}

/// Finds gaps in the event log's ids, fed in ascending order (the log is append-only, so its ids
/// run 1, 2, 3, … with nothing missing; a hole means rows were deleted).
#[derive(Debug, Clone, Default)]
pub struct EventSequence {
    last: i64,
    gaps: Vec<(i64, i64)>,
    missing: i64,
}

impl EventSequence {
    pub fn push(&mut self, id: i64) {
        if id > self.last + 1 {
            self.missing += id - self.last - 1;
            if self.gaps.len() < 20 {
                self.gaps.push((self.last + 1, id - 1));
            }
        }
        self.last = self.last.max(id);
    }

    pub fn finish(self) -> Vec<Violation> {
        if self.missing == 0 {
            return Vec::new();
        }
        let ranges: Vec<String> = self
            .gaps
            .iter()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                }
            })
            .collect();
        vec![Violation {
            check: Check::EventLog,
            subject: "events".into(),
            detail: format!(
                "{} event(s) missing up to id {}: {}{}",
                self.missing,
                self.last,
                ranges.join(", "),
                if self.gaps.len() == 20 { ", ..." } else { "" }
            ),
        }]
    }
}

/// Checks a whole list of event ids (ascending).
pub fn check_event_ids(ids: &[i64]) -> Vec<Violation> {
    let mut s = EventSequence::default();
    for id in ids {
        s.push(*id);
    }
    s.finish()
}

/// `PRAGMA integrity_check` answers `ok` when the file is sound, else one message per problem.
pub fn check_integrity(messages: &[String]) -> Vec<Violation> {
    messages
        .iter()
        .filter(|m| m.as_str() != "ok")
        .map(|m| Violation {
            check: Check::Integrity,
            subject: "database file".into(),
            detail: m.clone(),
        })
        .collect()
}

/// One row of `PRAGMA foreign_key_check`: a row whose parent is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanRow {
    pub table: String,
    pub rowid: Option<i64>,
    pub parent: String,
}

pub fn check_foreign_keys(rows: &[OrphanRow]) -> Vec<Violation> {
    rows.iter()
        .map(|r| Violation {
            check: Check::ForeignKeys,
            subject: match r.rowid {
                Some(id) => format!("{} row {id}", r.table),
                None => r.table.clone(),
            },
            detail: format!("refers to a missing row of {}", r.parent),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::DocKind;

    fn q(n: i64) -> Qty {
        Qty::from_raw(n * 1000)
    }
    fn so(n: i64) -> DocNumber {
        DocNumber::new(DocKind::SalesOrder, n)
    }
    fn po(n: i64) -> DocNumber {
        DocNumber::new(DocKind::PurchaseOrder, n)
    }
    /// A way to break a valid value, and the checks that must then report it.
    type Case<T> = (fn(&mut T), Vec<Check>);

    fn checks(v: &[Violation]) -> Vec<Check> {
        v.iter().map(|v| v.check).collect()
    }

    fn stock() -> StockFacts {
        StockFacts {
            sku: "W-1".into(),
            warehouse: "MAIN".into(),
            on_hand: q(10),
            reserved: q(4),
            movements: q(10),
            lines_reserved: q(4),
            waiting: q(0),
        }
    }

    #[test]
    fn stock_rows_break_one_check_each() {
        assert_eq!(check_stock(&stock()), vec![]);
        let cases: Vec<Case<StockFacts>> = vec![
            (|s| s.movements = q(9), vec![Check::OnHand]),
            (
                |s| {
                    s.reserved = q(11);
                    s.lines_reserved = q(11);
                },
                vec![Check::ReservedRange],
            ),
            (
                |s| {
                    s.reserved = q(-1);
                    s.lines_reserved = q(-1);
                },
                vec![Check::ReservedRange],
            ),
            (|s| s.lines_reserved = q(3), vec![Check::ReservedSum]),
            (|s| s.waiting = q(1), vec![Check::Allocation]),
        ];
        for (break_it, want) in cases {
            let mut s = stock();
            s.waiting = Qty::ZERO;
            break_it(&mut s);
            assert_eq!(checks(&check_stock(&s)), want, "{s:?}");
        }
        // waiting lines are fine when nothing is free
        let mut s = stock();
        s.reserved = q(10);
        s.lines_reserved = q(10);
        s.waiting = q(5);
        assert_eq!(check_stock(&s), vec![]);
    }

    fn line() -> SoLineFacts {
        SoLineFacts {
            so: so(1),
            line_no: 1,
            sku: "W-1".into(),
            order_status: SoStatus::OnHold,
            quantity: q(10),
            reserved: q(3),
            packed: q(1),
            shipped: q(2),
            dropshipped: q(1),
            invoiced: q(2),
            open: true,
            outstanding: q(4),
            packed_docs: q(1),
            shipped_docs: q(2),
            invoiced_docs: q(2),
            dropshipped_links: q(1),
        }
    }

    #[test]
    fn order_lines_break_one_check_each() {
        assert_eq!(check_so_line(&line()), vec![]);
        assert_eq!(line().uncovered(), Qty::ZERO);
        let cases: Vec<Case<SoLineFacts>> = vec![
            (|l| l.outstanding = q(5), vec![Check::LineCoverage]),
            (
                |l| {
                    l.packed = q(4);
                    l.packed_docs = q(4);
                },
                vec![Check::Packed],
            ),
            (|l| l.shipped_docs = q(3), vec![Check::LineDocuments]),
            (|l| l.packed_docs = q(0), vec![Check::LineDocuments]),
            (|l| l.invoiced_docs = q(1), vec![Check::LineDocuments]),
            (|l| l.dropshipped_links = q(0), vec![Check::LineDocuments]),
            (|l| l.open = false, vec![Check::LineOpen]),
            (
                |l| l.order_status = SoStatus::Fulfilled,
                vec![Check::LineOpen],
            ),
            (
                |l| l.order_status = SoStatus::Void,
                vec![Check::Packed, Check::LineOpen],
            ),
            (
                |l| {
                    l.invoiced = q(11);
                    l.invoiced_docs = q(11);
                },
                vec![Check::LineDocuments],
            ),
        ];
        for (break_it, want) in cases {
            let mut l = line();
            break_it(&mut l);
            assert_eq!(checks(&check_so_line(&l)), want, "{l:?}");
        }
        // a fully delivered line of a confirmed order is not open
        let mut l = line();
        l.order_status = SoStatus::Confirmed;
        l.shipped = q(9);
        l.shipped_docs = q(9);
        l.reserved = q(0);
        l.packed = q(0);
        l.packed_docs = q(0);
        l.outstanding = q(0);
        l.open = false;
        assert_eq!(check_so_line(&l), vec![]);
    }

    fn lp(quantity: i64, shipped: i64, invoiced: i64) -> LineProgress {
        LineProgress {
            quantity: q(quantity),
            shipped: q(shipped),
            dropshipped: Qty::ZERO,
            invoiced: q(invoiced),
        }
    }

    fn order() -> SoFacts {
        SoFacts {
            so: so(7),
            status: SoStatus::OnHold,
            held_from: Some(SoStatus::Confirmed),
            shipment_status: ShipmentStatus::PartiallyShipped,
            invoice_status: InvoiceStatus::NotInvoiced,
            lines: vec![lp(5, 2, 0)],
            pending: true,
        }
    }

    #[test]
    fn orders_break_one_check_each() {
        assert_eq!(check_so(&order()), vec![]);
        let cases: Vec<Case<SoFacts>> = vec![
            (|s| s.pending = false, vec![Check::Hold]),
            (
                |s| {
                    s.status = SoStatus::Confirmed;
                    s.held_from = None;
                },
                vec![Check::Hold],
            ),
            (
                |s| s.shipment_status = ShipmentStatus::Shipped,
                vec![Check::SoStatus],
            ),
            (
                |s| s.invoice_status = InvoiceStatus::Invoiced,
                vec![Check::SoStatus],
            ),
            (
                |s| s.held_from = Some(SoStatus::Fulfilled),
                vec![Check::SoStatus],
            ),
            (
                |s| {
                    s.pending = false;
                    s.status = SoStatus::Fulfilled;
                    s.held_from = None;
                },
                vec![Check::SoStatus],
            ),
            (
                |s| {
                    s.pending = false;
                    s.status = SoStatus::Confirmed;
                },
                vec![Check::SoStatus],
            ),
        ];
        for (break_it, want) in cases {
            let mut s = order();
            break_it(&mut s);
            assert_eq!(checks(&check_so(&s)), want, "{s:?}");
        }
        let closed = SoFacts {
            status: SoStatus::Closed,
            held_from: None,
            shipment_status: ShipmentStatus::Shipped,
            invoice_status: InvoiceStatus::Invoiced,
            lines: vec![lp(5, 5, 5)],
            pending: false,
            ..order()
        };
        assert_eq!(check_so(&closed), vec![]);
    }

    fn po_line() -> PoLineFacts {
        PoLineFacts {
            po: po(3),
            line_no: 1,
            sku: "W-1".into(),
            dropship: false,
            progress: PoLineProgress {
                quantity: q(10),
                received: q(4),
                billed: q(6),
                cancelled: q(1),
            },
            links: q(8),
            outstanding: q(4),
            delivered: q(4),
            received_docs: q(4),
            billed_docs: q(6),
        }
    }

    #[test]
    fn po_lines_break_one_check_each() {
        assert_eq!(check_po_line(&po_line()), vec![]);
        let cases: Vec<Case<PoLineFacts>> = vec![
            (|l| l.links = q(11), vec![Check::PoLineLinks]),
            (|l| l.outstanding = q(6), vec![Check::PoLineLinks]),
            (|l| l.delivered = q(5), vec![Check::PoLineLinks]),
            (
                |l| {
                    l.progress.received = q(10);
                    l.received_docs = q(10);
                    l.outstanding = q(0);
                },
                vec![Check::PoLineProgress],
            ),
            (
                |l| {
                    l.progress.billed = q(10);
                    l.billed_docs = q(10);
                },
                vec![Check::PoLineProgress],
            ),
            (|l| l.received_docs = q(3), vec![Check::PoLineDocuments]),
            (|l| l.billed_docs = q(7), vec![Check::PoLineDocuments]),
        ];
        for (break_it, want) in cases {
            let mut l = po_line();
            break_it(&mut l);
            assert_eq!(checks(&check_po_line(&l)), want, "{l:?}");
        }
        // a drop shipment brings its units by billing, and is never received
        let mut d = po_line();
        d.dropship = true;
        d.progress.received = Qty::ZERO;
        d.received_docs = Qty::ZERO;
        d.delivered = q(6);
        d.outstanding = q(3);
        assert_eq!(check_po_line(&d), vec![]);
        d.outstanding = q(4);
        assert_eq!(checks(&check_po_line(&d)), vec![Check::PoLineLinks]);
    }

    fn plp(quantity: i64, received: i64, billed: i64, cancelled: i64) -> PoLineProgress {
        PoLineProgress {
            quantity: q(quantity),
            received: q(received),
            billed: q(billed),
            cancelled: q(cancelled),
        }
    }

    #[test]
    fn purchase_orders_break_one_check_each() {
        let ok = PoFacts {
            po: po(1),
            status: PoStatus::Issued,
            dropship: false,
            received_status: ReceivedStatus::PartiallyReceived,
            billed_status: BilledStatus::NotBilled,
            lines: vec![plp(5, 2, 0, 0)],
        };
        assert_eq!(check_po(&ok), vec![]);
        let cases: Vec<(PoFacts, usize)> = vec![
            (
                PoFacts {
                    received_status: ReceivedStatus::Received,
                    ..ok.clone()
                },
                1,
            ),
            (
                PoFacts {
                    billed_status: BilledStatus::Billed,
                    ..ok.clone()
                },
                1,
            ),
            (
                PoFacts {
                    status: PoStatus::Closed,
                    ..ok.clone()
                },
                1,
            ),
            (
                PoFacts {
                    status: PoStatus::Draft,
                    ..ok.clone()
                },
                1,
            ),
            (
                PoFacts {
                    status: PoStatus::Cancelled,
                    received_status: ReceivedStatus::NotReceived,
                    lines: vec![plp(5, 0, 0, 4)],
                    ..ok.clone()
                },
                1,
            ),
            (
                PoFacts {
                    status: PoStatus::Issued,
                    received_status: ReceivedStatus::Received,
                    billed_status: BilledStatus::Billed,
                    lines: vec![plp(5, 5, 5, 0)],
                    ..ok.clone()
                },
                1,
            ),
        ];
        for (p, n) in cases {
            let v = check_po(&p);
            assert_eq!(checks(&v), vec![Check::PoStatus; n], "{p:?}");
        }
        let cancelled = PoFacts {
            status: PoStatus::Cancelled,
            received_status: ReceivedStatus::NotReceived,
            lines: vec![plp(5, 0, 0, 5)],
            ..ok.clone()
        };
        assert_eq!(check_po(&cancelled), vec![]);
    }

    fn link(delivered: i64, billed: i64, cancelled: i64, state: LinkState) -> LinkFacts {
        LinkFacts {
            po: po(1),
            so: so(2),
            sku: "W-1".into(),
            link: Link {
                dropship: false,
                quantity: q(5),
                delivered: q(delivered),
                billed: q(billed),
                cancelled: q(cancelled),
                state,
            },
        }
    }

    #[test]
    fn links_break_one_check_each() {
        use LinkState::*;
        let cases = [
            (link(2, 3, 0, Open), vec![]),
            (link(5, 5, 0, Done), vec![]),
            (link(3, 3, 2, Done), vec![]),
            (link(0, 0, 5, Cancelled), vec![]),
            (link(5, 0, 0, Surplus), vec![]),
            (link(4, 0, 2, Open), vec![Check::LinkProgress]),
            (link(0, 4, 2, Open), vec![Check::LinkProgress]),
            (link(5, 5, 0, Open), vec![Check::LinkState]),
            (link(5, 4, 0, Done), vec![Check::LinkState]),
        ];
        for (l, want) in cases {
            assert_eq!(checks(&check_link(&l)), want, "{l:?}");
        }
        assert!(link(5, 0, 0, Open).pending(HoldRelease::Billed));
        assert!(!link(5, 0, 0, Open).pending(HoldRelease::Received));
    }

    #[test]
    fn event_log_gaps_are_found() {
        assert_eq!(check_event_ids(&[]), vec![]);
        assert_eq!(check_event_ids(&[1, 2, 3]), vec![]);
        let v = check_event_ids(&[1, 2, 5, 6, 8]);
        assert_eq!(checks(&v), vec![Check::EventLog]);
        assert!(v[0].detail.contains("3 event(s) missing"), "{v:?}");
        assert!(v[0].detail.contains("3-4, 7"), "{v:?}");
        assert_eq!(checks(&check_event_ids(&[2])), vec![Check::EventLog]);
    }

    #[test]
    fn pragma_answers_become_violations() {
        assert_eq!(check_integrity(&["ok".into()]), vec![]);
        let v = check_integrity(&["row 3 missing from index x".into()]);
        assert_eq!(checks(&v), vec![Check::Integrity]);
        assert_eq!(check_foreign_keys(&[]), vec![]);
        let v = check_foreign_keys(&[OrphanRow {
            table: "so_lines".into(),
            rowid: Some(4),
            parent: "items".into(),
        }]);
        assert_eq!(v[0].subject, "so_lines row 4");
    }

    #[test]
    fn every_check_has_a_unique_name_and_a_description() {
        let mut names: Vec<&str> = Check::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Check::ALL.len());
        assert!(Check::ALL.iter().all(|c| !c.describe().is_empty()));
    }
}
