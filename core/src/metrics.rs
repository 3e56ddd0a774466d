//! Backorder metrics (SPEC §3.10): how much of what was sold had to be backordered, how long
//! customers waited for it, and how old the backorders still waiting are. Pure: the repository
//! streams one [`LineFacts`] per sales-order line and a [`Report`] folds them, so memory grows only
//! with the number of orders and fulfilled backorders, never with the whole database.
//!
//! Definitions (the README's "Reports" section says the same in prose):
//! - A link *counts* at `as_of` when it is neither cancelled nor surplus, still stands for some
//!   units (ordered minus cancelled > 0) and was created on or before `as_of`.
//! - A line's *backordered units* are the sum of its counting links' units, at most its quantity.
//! - A counting link is *delivered* at `as_of` when all its units reached the order line (received
//!   into the warehouse, or drop-shipped when billed) and that happened on or before `as_of`
//!   (a delivered link without a recorded date is taken as delivered, date unknown). Otherwise it
//!   is *pending*.
//! - A backordered line is *open* while any counting link is pending; its age is
//!   `as_of − confirmation` in days. It is *fulfilled* when none is pending; its backorder days are
//!   `(latest delivery date of its counting links) − confirmation`, and a line whose delivery date
//!   is unknown gives no sample.
//! - Percentages are `100 × part ÷ whole`; percentages and day statistics are exact decimals
//!   rounded to 2 places, half away from zero. With nothing to divide by they are `None`.
//! - Median of an even count is the mean of the two middle values; p90 uses the nearest-rank
//!   method: the value at rank `⌈0.9 × n⌉` (1-based) of the sorted samples.

use crate::date::{days_between, Date};
use crate::hold::LinkState;
use crate::num::Qty;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use thiserror::Error;

/// Age and backorder-day buckets, inclusive bounds; the last has no upper bound.
pub const BUCKETS: [(i64, Option<i64>); 5] = [
    (0, Some(7)),
    (8, Some(14)),
    (15, Some(30)),
    (31, Some(60)),
    (61, None),
];

/// The buckets' labels, in the order of [`BUCKETS`].
pub const BUCKET_LABELS: [&str; 5] = ["0-7", "8-14", "15-30", "31-60", "61+"];

/// Index in [`BUCKETS`] of a number of days (negative days go to the first bucket).
pub fn bucket_of(days: i64) -> usize {
    BUCKETS
        .iter()
        .position(|(_, hi)| hi.is_none_or(|h| days <= h))
        .unwrap_or(BUCKETS.len() - 1)
}

/// One backorder link of a line, as the metrics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkFacts {
    /// The vendor of the link's purchase order.
    pub vendor: String,
    /// Units ordered minus units cancelled.
    pub quantity: Qty,
    /// Units that reached the order line (received, or drop-shipped).
    pub delivered: Qty,
    pub state: LinkState,
    pub created: Date,
    /// The day the last unit reached the line.
    pub delivered_date: Option<Date>,
}

impl LinkFacts {
    fn counts(&self, as_of: Date) -> bool {
        matches!(self.state, LinkState::Open | LinkState::Done)
            && self.quantity.is_positive()
            && self.created <= as_of
    }

    fn delivered_by(&self, as_of: Date) -> bool {
        self.delivered >= self.quantity && self.delivered_date.is_none_or(|d| d <= as_of)
    }
}

/// One confirmed sales-order line of the window with its links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    pub so_id: i64,
    pub confirmed: Date,
    pub customer: String,
    pub sku: String,
    /// The item's preferred vendor (used for grouping a line that has no backorder).
    pub preferred_vendor: Option<String>,
    pub quantity: Qty,
    pub shortfall_at_confirm: Qty,
    pub links: Vec<LinkFacts>,
}

/// What one line contributes at `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineOutcome {
    pub backordered: Qty,
    /// Age in days when the line's backorder is still open.
    pub open_age: Option<i64>,
    /// Backorder days when it is fulfilled (and the delivery date is known).
    pub backorder_days: Option<i64>,
}

/// Classifies one line at `as_of` (see the module documentation).
pub fn assess_line(line: &LineFacts, as_of: Date) -> LineOutcome {
    let counting: Vec<&LinkFacts> = line.links.iter().filter(|l| l.counts(as_of)).collect();
    let backordered = counting
        .iter()
        .map(|l| l.quantity)
        .sum::<Qty>()
        .min(line.quantity);
    if counting.is_empty() {
        return LineOutcome {
            backordered,
            open_age: None,
            backorder_days: None,
        };
    }
    if counting.iter().any(|l| !l.delivered_by(as_of)) {
        return LineOutcome {
            backordered,
            open_age: Some(days_between(line.confirmed, as_of).max(0)),
            backorder_days: None,
        };
    }
    let last: Option<Vec<Date>> = counting.iter().map(|l| l.delivered_date).collect();
    LineOutcome {
        backordered,
        open_age: None,
        backorder_days: last
            .and_then(|d| d.into_iter().max())
            .map(|d| days_between(line.confirmed, d).max(0)),
    }
}

/// `100 × part ÷ whole`, rounded to 2 places half away from zero; `None` when `whole` is not
/// positive.
pub fn pct(part: i64, whole: i64) -> Option<Decimal> {
    if whole <= 0 {
        return None;
    }
    let p = Decimal::from(part).checked_mul(Decimal::ONE_HUNDRED)?;
    p.checked_div(Decimal::from(whole)).map(round2)
}

/// Rounds to exactly 2 decimal places, half away from zero (`12.5` → `12.50`, `3.125` → `3.13`).
pub fn round2(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// The arithmetic mean, rounded to 2 places.
pub fn mean(samples: &[i64]) -> Option<Decimal> {
    if samples.is_empty() {
        return None;
    }
    let sum: i128 = samples.iter().map(|&d| i128::from(d)).sum();
    let n = i64::try_from(samples.len()).ok()?;
    Decimal::try_from_i128_with_scale(sum, 0)
        .ok()?
        .checked_div(Decimal::from(n))
        .map(round2)
}

/// The median of sorted samples: the middle one, or the mean of the two middle ones.
pub fn median(sorted: &[i64]) -> Option<Decimal> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    if n % 2 == 1 {
        return Some(round2(Decimal::from(sorted[n / 2])));
    }
    let pair = i128::from(sorted[n / 2 - 1]) + i128::from(sorted[n / 2]);
    Decimal::try_from_i128_with_scale(pair, 0)
        .ok()
        .and_then(|s| s.checked_div(Decimal::TWO))
        .map(round2)
}

/// The `p`th percentile of sorted samples by the nearest-rank method: the sample at 1-based rank
/// `⌈p/100 × n⌉` (at least 1).
pub fn percentile_nearest_rank(sorted: &[i64], p: u32) -> Option<Decimal> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let p = p.min(100) as usize;
    let rank = (p * n).div_ceil(100).max(1);
    sorted.get(rank - 1).map(|&d| round2(Decimal::from(d)))
}

/// Mean, median, p90 and max of backorder days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayStats {
    pub mean: Option<Decimal>,
    pub median: Option<Decimal>,
    pub p90: Option<Decimal>,
    pub max: Option<Decimal>,
}

/// Statistics of backorder-day samples (in any order).
pub fn day_stats(samples: &[i64]) -> DayStats {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    DayStats {
        mean: mean(&sorted),
        median: median(&sorted),
        p90: percentile_nearest_rank(&sorted, 90),
        max: sorted.last().map(|&d| round2(Decimal::from(d))),
    }
}

/// The metrics of a set of lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BackorderMetrics {
    pub orders: i64,
    pub lines: i64,
    pub units_ordered: Qty,
    pub units_backordered: Qty,
    pub items_backordered_pct: Option<Decimal>,
    pub lines_backordered_pct: Option<Decimal>,
    pub orders_backordered_pct: Option<Decimal>,
    pub fill_rate_pct: Option<Decimal>,
    pub backorder_days: DayStats,
    pub open_lines: i64,
    /// Open lines per age bucket ([`BUCKETS`]).
    pub aging: [i64; 5],
    /// Fulfilled backordered lines per backorder-days bucket ([`BUCKETS`]).
    pub days_histogram: [i64; 5],
}

/// Running totals over lines.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Order → whether any of its lines was backordered.
    orders: BTreeMap<i64, bool>,
    lines: i64,
    lines_backordered: i64,
    units_ordered: Qty,
    units_backordered: Qty,
    shortfall: Qty,
    days: Vec<i64>,
    aging: [i64; 5],
}

impl Tally {
    /// Adds one line as it stands at `as_of`.
    pub fn add(&mut self, line: &LineFacts, as_of: Date) {
        let o = assess_line(line, as_of);
        let backordered = o.backordered.is_positive();
        *self.orders.entry(line.so_id).or_insert(false) |= backordered;
        self.lines += 1;
        self.lines_backordered += i64::from(backordered);
        self.units_ordered += line.quantity;
        self.units_backordered += o.backordered;
        self.shortfall += line.shortfall_at_confirm.min(line.quantity);
        if let Some(age) = o.open_age {
            self.aging[bucket_of(age)] += 1;
        }
        if let Some(d) = o.backorder_days {
            self.days.push(d);
        }
    }

    pub fn finish(self) -> BackorderMetrics {
        let orders = i64::try_from(self.orders.len()).unwrap_or(i64::MAX);
        let orders_backordered =
            i64::try_from(self.orders.values().filter(|b| **b).count()).unwrap_or(i64::MAX);
        let ordered = self.units_ordered.raw();
        let mut days_histogram = [0; 5];
        for d in &self.days {
            days_histogram[bucket_of(*d)] += 1;
        }
        BackorderMetrics {
            orders,
            lines: self.lines,
            units_ordered: self.units_ordered,
            units_backordered: self.units_backordered,
            items_backordered_pct: pct(self.units_backordered.raw(), ordered),
            lines_backordered_pct: pct(self.lines_backordered, self.lines),
            orders_backordered_pct: pct(orders_backordered, orders),
            fill_rate_pct: pct((self.units_ordered - self.shortfall).raw(), ordered),
            backorder_days: day_stats(&self.days),
            open_lines: self.aging.iter().sum(),
            aging: self.aging,
            days_histogram,
        }
    }
}

/// `report backorders --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Vendor,
    Item,
    Customer,
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Vendor => "vendor",
            GroupBy::Item => "item",
            GroupBy::Customer => "customer",
        }
    }
}

/// The groups a line belongs to, each with the line as seen by that group. By item or customer a
/// line is in exactly one group. By vendor it is in the group of each vendor it has counting links
/// with, carrying only that vendor's links (so a line split between two vendors counts in both
/// rows, with each vendor's own units and delivery dates); a line with no counting link is in its
/// item's preferred vendor's group (`None` when the item has none).
pub fn groups_of(line: &LineFacts, by: GroupBy, as_of: Date) -> Vec<(Option<String>, LineFacts)> {
    match by {
        GroupBy::Item => vec![(Some(line.sku.clone()), line.clone())],
        GroupBy::Customer => vec![(Some(line.customer.clone()), line.clone())],
        GroupBy::Vendor => {
            let mut vendors: Vec<&str> = line
                .links
                .iter()
                .filter(|l| l.counts(as_of))
                .map(|l| l.vendor.as_str())
                .collect();
            vendors.sort_unstable();
            vendors.dedup();
            if vendors.is_empty() {
                return vec![(line.preferred_vendor.clone(), line.clone())];
            }
            vendors
                .into_iter()
                .map(|v| {
                    let mut own = line.clone();
                    own.links.retain(|l| l.vendor == v);
                    (Some(v.to_string()), own)
                })
                .collect()
        }
    }
}

/// Why a report window was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WindowError {
    #[error("--from {from} is after --to {to}; give a window whose start is on or before its end")]
    FromAfterTo { from: Date, to: Date },
}

/// The confirmation dates a report covers: `from` (or the beginning) through `to`, and never past
/// `as_of` (an order confirmed after `as_of` did not exist yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Option<Date>,
    pub to: Date,
    pub as_of: Date,
}

/// Validates `--from`, `--to` and `--as-of` into a window; `to` defaults to `as_of`.
pub fn plan_window(
    from: Option<Date>,
    to: Option<Date>,
    as_of: Date,
) -> Result<Window, WindowError> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(WindowError::FromAfterTo { from: f, to: t });
        }
    }
    Ok(Window {
        from,
        to: to.map_or(as_of, |t| t.min(as_of)),
        as_of,
    })
}

/// A whole report: the totals, and per group when grouped.
#[derive(Debug, Clone)]
pub struct Report {
    as_of: Date,
    by: Option<GroupBy>,
    total: Tally,
    groups: BTreeMap<(bool, String), Tally>,
}

impl Report {
    pub fn new(as_of: Date, by: Option<GroupBy>) -> Self {
        Self {
            as_of,
            by,
            total: Tally::default(),
            groups: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, line: &LineFacts) {
        self.total.add(line, self.as_of);
        if let Some(by) = self.by {
            for (key, own) in groups_of(line, by, self.as_of) {
                // named groups first, in name order; the unnamed one last
                let k = (key.is_none(), key.unwrap_or_default());
                self.groups.entry(k).or_default().add(&own, self.as_of);
            }
        }
    }

    /// The totals, and one row per group (empty when not grouped); `None` names the group of lines
    /// whose item has no preferred vendor.
    pub fn finish(self) -> (BackorderMetrics, Vec<(Option<String>, BackorderMetrics)>) {
        let groups = self
            .groups
            .into_iter()
            .map(|((none, name), t)| ((!none).then_some(name), t.finish()))
            .collect();
        (self.total.finish(), groups)
    }
}

/// What an item in a warehouse will have once everything ordered arrives and everything promised
/// leaves: `available_for_sale + on_order + on_order_draft` (that is on hand − committed + ordered).
/// Units already backordered are in both `committed` and an order, so they cancel out.
pub fn projected_stock(available_for_sale: Qty, on_order: Qty, on_order_draft: Qty) -> Qty {
    available_for_sale + on_order + on_order_draft
}

/// Whether an item should be reordered: it has a reorder level and its projected stock is below
/// it. Counting what is on order (issued or draft) means a backordered unit is never suggested
/// twice.
pub fn below_reorder(reorder_level: Option<Qty>, projected: Qty) -> bool {
    reorder_level.is_some_and(|level| projected < level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Date {
        crate::date::parse_date(s).unwrap_or_default()
    }
    fn q(n: i64) -> Qty {
        Qty::from_raw(n * 1000)
    }
    fn dec(s: &str) -> Option<Decimal> {
        Decimal::from_str(s).ok()
    }
    fn link(vendor: &str, qty: i64, delivered: i64, delivered_date: Option<&str>) -> LinkFacts {
        LinkFacts {
            vendor: vendor.into(),
            quantity: q(qty),
            delivered: q(delivered),
            state: if delivered >= qty {
                LinkState::Done
            } else {
                LinkState::Open
            },
            created: d("2026-01-02"),
            delivered_date: delivered_date.map(d),
        }
    }
    fn line(so: i64, confirmed: &str, qty: i64, short: i64, links: Vec<LinkFacts>) -> LineFacts {
        LineFacts {
            so_id: so,
            confirmed: d(confirmed),
            customer: format!("C{so}"),
            sku: "W-1".into(),
            preferred_vendor: Some("Acme".into()),
            quantity: q(qty),
            shortfall_at_confirm: q(short),
            links,
        }
    }

    #[test]
    fn percentages_round_half_away_from_zero_to_two_places() {
        // (part, whole, expected)
        let cases: &[(i64, i64, Option<&str>)] = &[
            (1, 3, Some("33.33")),
            (2, 3, Some("66.67")),
            (1, 8, Some("12.50")),
            (1, 32, Some("3.13")), // 3.125: banker's rounding would give 3.12
            (3, 32, Some("9.38")), // 9.375
            (0, 5, Some("0.00")),
            (5, 5, Some("100.00")),
            (1, 0, None),
            (0, 0, None),
        ];
        for (part, whole, want) in cases {
            let got = pct(*part, *whole);
            assert_eq!(got, want.and_then(dec), "{part}/{whole}");
            if let Some(g) = got {
                assert_eq!(Some(g.to_string()), want.map(str::to_string));
            }
        }
    }

    #[test]
    fn day_statistics() {
        // (samples, mean, median, p90, max)
        type Case = (&'static [i64], [Option<&'static str>; 4]);
        let cases: &[Case] = &[
            (&[], [None, None, None, None]),
            (&[5], [Some("5"), Some("5"), Some("5"), Some("5")]),
            // even count: median is the mean of the middle two (4 and 7)
            (
                &[10, 4, 7, 1],
                [Some("5.5"), Some("5.5"), Some("10"), Some("10")],
            ),
            // p90 of 5 samples: rank ceil(4.5) = 5 -> the largest
            (
                &[3, 1, 2, 5, 4],
                [Some("3"), Some("3"), Some("5"), Some("5")],
            ),
            // p90 of 10 samples: rank 9
            (
                &[1, 2, 3, 4, 5, 6, 7, 8, 9, 100],
                [Some("14.5"), Some("5.5"), Some("9"), Some("100")],
            ),
            // p90 of 11 samples: rank ceil(9.9) = 10
            (
                &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                [Some("5"), Some("5"), Some("9"), Some("10")],
            ),
            // mean 2/3 -> 0.67; median of (0, 1) = 0.5
            (
                &[0, 0, 1, 1, 0, 2],
                [Some("0.67"), Some("0.5"), Some("2"), Some("2")],
            ),
        ];
        for (samples, [mean, median, p90, max]) in cases {
            let s = day_stats(samples);
            assert_eq!(s.mean, mean.and_then(dec), "mean of {samples:?}");
            assert_eq!(s.median, median.and_then(dec), "median of {samples:?}");
            assert_eq!(s.p90, p90.and_then(dec), "p90 of {samples:?}");
            assert_eq!(s.max, max.and_then(dec), "max of {samples:?}");
        }
        assert_eq!(
            day_stats(&[1, 2]).median.map(|m| m.to_string()),
            Some("1.50".into())
        );
        assert_eq!(
            day_stats(&[4]).max.map(|m| m.to_string()),
            Some("4.00".into())
        );
    }

    #[test]
    fn buckets_have_inclusive_bounds() {
        let cases = [
            (-1, 0),
            (0, 0),
            (7, 0),
            (8, 1),
            (14, 1),
            (15, 2),
            (30, 2),
            (31, 3),
            (60, 3),
            (61, 4),
            (10_000, 4),
        ];
        for (days, bucket) in cases {
            assert_eq!(bucket_of(days), bucket, "{days} days");
        }
    }

    #[test]
    fn lines_are_assessed_at_as_of() {
        let as_of = d("2026-02-01");
        let mut cancelled = link("Acme", 4, 0, None);
        cancelled.state = LinkState::Cancelled;
        cancelled.quantity = Qty::ZERO;
        let mut surplus = link("Acme", 4, 0, None);
        surplus.state = LinkState::Surplus;
        let mut later = link("Acme", 4, 0, None);
        later.created = d("2026-02-02");
        let drop_ship = LinkFacts {
            state: LinkState::Done,
            ..link("Bolt", 2, 2, Some("2026-01-09"))
        };
        // (line, backordered, open_age, backorder_days)
        let cases = [
            // never backordered
            (line(1, "2026-01-05", 10, 0, vec![]), 0, None, None),
            // fulfilled from the warehouse in two receipts; the last one counts
            (
                line(
                    2,
                    "2026-01-05",
                    10,
                    7,
                    vec![link("Acme", 7, 7, Some("2026-01-20"))],
                ),
                7,
                None,
                Some(15),
            ),
            // drop ship: delivered when billed
            (
                line(3, "2026-01-05", 2, 2, vec![drop_ship]),
                2,
                None,
                Some(4),
            ),
            // partially received: still open, aged from confirmation
            (
                line(4, "2026-01-05", 10, 6, vec![link("Acme", 6, 2, None)]),
                6,
                Some(27),
                None,
            ),
            // backordered twice: the first backorder was cancelled, the second delivered
            (
                line(
                    5,
                    "2026-01-10",
                    5,
                    5,
                    vec![cancelled.clone(), link("Bolt", 5, 5, Some("2026-01-31"))],
                ),
                5,
                None,
                Some(21),
            ),
            // split over two POs: fulfilled only when both arrived
            (
                line(
                    6,
                    "2026-01-01",
                    9,
                    9,
                    vec![
                        link("Acme", 4, 4, Some("2026-01-08")),
                        link("Bolt", 5, 5, Some("2026-01-12")),
                    ],
                ),
                9,
                None,
                Some(11),
            ),
            (
                line(
                    7,
                    "2026-01-01",
                    9,
                    9,
                    vec![
                        link("Acme", 4, 4, Some("2026-01-08")),
                        link("Bolt", 5, 0, None),
                    ],
                ),
                9,
                Some(31),
                None,
            ),
            // delivered after as_of: still open at as_of
            (
                line(
                    8,
                    "2026-01-25",
                    3,
                    3,
                    vec![link("Acme", 3, 3, Some("2026-02-03"))],
                ),
                3,
                Some(7),
                None,
            ),
            // surplus and not-yet-created links do not count
            (
                line(9, "2026-01-05", 4, 4, vec![surplus, later, cancelled]),
                0,
                None,
                None,
            ),
        ];
        for (l, backordered, open_age, days) in cases {
            let o = assess_line(&l, as_of);
            assert_eq!(
                (o.backordered, o.open_age, o.backorder_days),
                (q(backordered), open_age, days),
                "SO {}",
                l.so_id
            );
        }
    }

    #[test]
    fn a_report_over_a_small_window() {
        let as_of = d("2026-03-01");
        let lines = [
            // SO 1: two lines, one backordered (5 of 10) and delivered after 10 days
            line(
                1,
                "2026-01-01",
                10,
                5,
                vec![link("Acme", 5, 5, Some("2026-01-11"))],
            ),
            line(1, "2026-01-01", 10, 0, vec![]),
            // SO 2: 4 backordered by drop ship, delivered after 3 days
            line(
                2,
                "2026-01-10",
                4,
                4,
                vec![link("Bolt", 4, 4, Some("2026-01-13"))],
            ),
            // SO 3: 6 backordered, still open at 40 days
            line(3, "2026-01-20", 6, 6, vec![link("Acme", 6, 1, None)]),
            // SO 4: short at confirmation, filled later from stock, never backordered
            line(4, "2026-02-25", 6, 2, vec![]),
        ];
        let mut r = Report::new(as_of, Some(GroupBy::Vendor));
        for l in &lines {
            r.add(l);
        }
        let (total, groups) = r.finish();
        assert_eq!(total.orders, 4);
        assert_eq!(total.lines, 5);
        assert_eq!(total.units_ordered, q(36));
        assert_eq!(total.units_backordered, q(15));
        // 15 / 36 = 41.666..
        assert_eq!(total.items_backordered_pct, dec("41.67"));
        assert_eq!(total.lines_backordered_pct, dec("60.00"));
        assert_eq!(total.orders_backordered_pct, dec("75.00"));
        // (36 - 17) / 36 = 52.777..
        assert_eq!(total.fill_rate_pct, dec("52.78"));
        assert_eq!(
            total.backorder_days,
            DayStats {
                mean: dec("6.50"),
                median: dec("6.50"),
                p90: dec("10.00"),
                max: dec("10.00"),
            }
        );
        assert_eq!(total.open_lines, 1);
        assert_eq!(total.aging, [0, 0, 0, 1, 0]);
        assert_eq!(total.days_histogram, [1, 1, 0, 0, 0]);

        let names: Vec<Option<&str>> = groups.iter().map(|(n, _)| n.as_deref()).collect();
        assert_eq!(names, [Some("Acme"), Some("Bolt")]);
        let acme = &groups[0].1;
        // SO 1 (both lines: one via its link, one via the preferred vendor), SO 3, SO 4
        assert_eq!((acme.orders, acme.lines, acme.units_ordered), (3, 4, q(32)));
        assert_eq!(acme.units_backordered, q(11));
        assert_eq!(acme.backorder_days.max, dec("10.00"));
        assert_eq!(acme.open_lines, 1);
        let bolt = &groups[1].1;
        assert_eq!(
            (bolt.orders, bolt.lines, bolt.units_backordered),
            (1, 1, q(4))
        );
        assert_eq!(bolt.items_backordered_pct, dec("100.00"));
        assert_eq!(bolt.backorder_days.mean, dec("3.00"));
    }

    #[test]
    fn an_empty_window_gives_zeros_and_no_ratios() {
        let (m, groups) = Report::new(d("2026-03-01"), Some(GroupBy::Item)).finish();
        assert!(groups.is_empty());
        assert_eq!(m, BackorderMetrics::default());
        assert_eq!(m.items_backordered_pct, None);
        assert_eq!(m.backorder_days.p90, None);
    }

    #[test]
    fn a_line_split_between_vendors_counts_for_each_with_its_own_links() {
        let as_of = d("2026-02-01");
        let l = line(
            1,
            "2026-01-01",
            9,
            9,
            vec![
                link("Bolt", 5, 0, None),
                link("Acme", 4, 4, Some("2026-01-08")),
            ],
        );
        let g = groups_of(&l, GroupBy::Vendor, as_of);
        let names: Vec<_> = g.iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(names, [Some("Acme".to_string()), Some("Bolt".to_string())]);
        assert_eq!(assess_line(&g[0].1, as_of).backorder_days, Some(7));
        assert_eq!(assess_line(&g[1].1, as_of).open_age, Some(31));
        let mut orphan = line(2, "2026-01-01", 1, 0, vec![]);
        orphan.preferred_vendor = None;
        assert_eq!(groups_of(&orphan, GroupBy::Vendor, as_of)[0].0, None);
        assert_eq!(
            groups_of(&orphan, GroupBy::Customer, as_of)[0].0,
            Some("C2".into())
        );
        assert_eq!(
            groups_of(&orphan, GroupBy::Item, as_of)[0].0,
            Some("W-1".into())
        );
    }

    #[test]
    fn windows_end_at_as_of_and_refuse_a_reversed_range() {
        let as_of = d("2026-03-01");
        let w = plan_window(None, None, as_of);
        assert_eq!(w.map(|w| (w.from, w.to)), Ok((None, as_of)));
        let w = plan_window(Some(d("2026-01-01")), Some(d("2026-12-31")), as_of);
        assert_eq!(w.map(|w| w.to), Ok(as_of));
        assert_eq!(
            plan_window(Some(d("2026-02-02")), Some(d("2026-02-01")), as_of),
            Err(WindowError::FromAfterTo {
                from: d("2026-02-02"),
                to: d("2026-02-01")
            })
        );
        assert!(plan_window(Some(d("2026-02-01")), Some(d("2026-02-01")), as_of).is_ok());
    }

    #[test]
    fn reorder_counts_what_is_already_ordered() {
        // (reorder level, available for sale, on order, draft, projected, below)
        let cases = [
            (None, -5, 0, 0, -5, false),
            (Some(5), 10, 0, 0, 10, false),
            (Some(5), 5, 0, 0, 5, false),
            (Some(5), 4, 0, 0, 4, true),
            // 7 backordered on an issued PO: on hand 3, committed 10, on order 7
            (Some(2), -7, 7, 0, 0, true),
            (Some(0), -7, 7, 0, 0, false),
            // the backorder is still a draft: it counts too
            (Some(0), -7, 0, 7, 0, false),
            (Some(3), 1, 1, 1, 3, false),
        ];
        for (level, afs, on_order, draft, projected, below) in cases {
            let p = projected_stock(q(afs), q(on_order), q(draft));
            assert_eq!(p, q(projected), "{level:?} {afs} {on_order} {draft}");
            assert_eq!(
                below_reorder(level.map(q), p),
                below,
                "{level:?} {afs} {on_order} {draft}"
            );
        }
    }
}
