//! Backorder planning (SPEC §3.5, §3.8): from sales-order lines with uncovered shortfall to draft
//! purchase orders — one per vendor (and per customer for drop ship, or per sales order when asked),
//! one line per item whose quantity is the sum of its links, a link per sales-order line.

use crate::num::Money;
use crate::num::Qty;
use crate::order::str_enum;
use crate::stock::FifoKey;
use std::collections::BTreeMap;
use std::fmt;

str_enum!(
    /// Where a backorder's goods go.
    DeliverTo {
        Warehouse = "warehouse",
        Customer = "customer",
    }
);

str_enum!(
    /// How bulk backorders are grouped into purchase orders.
    GroupBy {
        Vendor = "vendor",
        So = "so",
    }
);

/// Rule 8: a drop shipment is possible only on a confirmed order with no package or invoice yet.
pub fn can_drop_ship(status: crate::order::SoStatus, has_package_or_invoice: bool) -> bool {
    status == crate::order::SoStatus::Confirmed && !has_package_or_invoice
}

/// A sales-order line that needs backordering, with its terms already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demand {
    pub so_line_id: i64,
    pub key: FifoKey,
    pub customer_id: i64,
    pub warehouse_id: i64,
    pub item_id: i64,
    pub vendor_id: i64,
    pub rate: Money,
    pub uncovered: Qty,
}

/// A clerk's override of the quantity to order for an item (may be more or less than needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QtyOverride {
    pub item_id: i64,
    pub quantity: Qty,
}

/// One planned PO line and its links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLine {
    pub item_id: i64,
    pub rate: Money,
    pub quantity: Qty,
    /// (so_line_id, quantity), oldest confirmation first.
    pub links: Vec<(i64, Qty)>,
}

/// One planned purchase order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPo {
    pub vendor_id: i64,
    /// The warehouse goods are delivered to (none for a drop shipment).
    pub warehouse_id: Option<i64>,
    /// The customer a drop shipment goes to.
    pub customer_id: Option<i64>,
    /// The sales order, when grouped per sales order.
    pub so_id: Option<i64>,
    pub lines: Vec<PlanLine>,
}

impl PlanPo {
    pub fn link_count(&self) -> usize {
        self.lines.iter().map(|l| l.links.len()).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    vendor_id: i64,
    warehouse_id: Option<i64>,
    customer_id: Option<i64>,
    so_id: Option<i64>,
}

/// Where one demand row goes: the index of its PO in [`Planner::pos`] and of the line in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRef {
    pub po: usize,
    pub line: usize,
}

#[derive(Debug, Clone)]
struct Totals {
    rate: Money,
    demand: Qty,
}

/// Set-based planning over a stream, in two passes with memory bounded by the number of PO lines
/// (not of demand rows): [`Planner::add`] every demand row, read the POs from
/// [`Planner::pos`], then stream the same rows, oldest confirmation first, through
/// [`Linker::link`] to get each row's PO line and link quantity.
///
/// Goods for different warehouses never share a PO; lines for different customers never share a
/// drop-ship PO; within a PO each item is one line whose quantity is the sum of its links. An
/// override orders exactly its quantity of the item: more than needed is excess stock, less leaves
/// the newest demand uncovered.
#[derive(Debug, Clone)]
pub struct Planner {
    deliver_to: DeliverTo,
    group_by: GroupBy,
    overrides: Vec<QtyOverride>,
    groups: BTreeMap<GroupKey, BTreeMap<i64, Totals>>,
}

impl Planner {
    pub fn new(deliver_to: DeliverTo, group_by: GroupBy, overrides: &[QtyOverride]) -> Self {
        Self {
            deliver_to,
            group_by,
            overrides: overrides.to_vec(),
            groups: BTreeMap::new(),
        }
    }

    fn key(&self, d: &Demand) -> GroupKey {
        GroupKey {
            vendor_id: d.vendor_id,
            warehouse_id: (self.deliver_to == DeliverTo::Warehouse).then_some(d.warehouse_id),
            customer_id: (self.deliver_to == DeliverTo::Customer).then_some(d.customer_id),
            so_id: (self.group_by == GroupBy::So).then_some(d.key.so_id),
        }
    }

    /// Sets the quantity overrides (their item ids are known only once demand was read).
    pub fn set_overrides(&mut self, overrides: &[QtyOverride]) {
        self.overrides = overrides.to_vec();
    }

    /// First pass: one demand row.
    pub fn add(&mut self, d: &Demand) {
        if !d.uncovered.is_positive() {
            return;
        }
        let key = self.key(d);
        let t = self
            .groups
            .entry(key)
            .or_default()
            .entry(d.item_id)
            .or_insert(Totals {
                rate: d.rate,
                demand: Qty::ZERO,
            });
        t.demand += d.uncovered;
    }

    fn ordered(&self, item_id: i64, demand: Qty) -> Qty {
        self.overrides
            .iter()
            .find(|o| o.item_id == item_id)
            .map_or(demand, |o| o.quantity)
    }

    /// The planned POs, without links (their lines' `links` are empty).
    pub fn pos(&self) -> Vec<PlanPo> {
        self.groups
            .iter()
            .map(|(key, lines)| PlanPo {
                vendor_id: key.vendor_id,
                warehouse_id: key.warehouse_id,
                customer_id: key.customer_id,
                so_id: key.so_id,
                lines: lines
                    .iter()
                    .map(|(item, t)| PlanLine {
                        item_id: *item,
                        rate: t.rate,
                        quantity: self.ordered(*item, t.demand),
                        links: Vec::new(),
                    })
                    .filter(|l| l.quantity.is_positive())
                    .collect(),
            })
            .filter(|po: &PlanPo| !po.lines.is_empty())
            .collect()
    }

    /// Second pass: the state that hands out link quantities.
    pub fn linker(&self) -> Linker {
        let pos = self.pos();
        let mut budget = BTreeMap::new();
        for (pi, po) in pos.iter().enumerate() {
            let key = GroupKey {
                vendor_id: po.vendor_id,
                warehouse_id: po.warehouse_id,
                customer_id: po.customer_id,
                so_id: po.so_id,
            };
            for (li, l) in po.lines.iter().enumerate() {
                let demand = self
                    .groups
                    .get(&key)
                    .and_then(|g| g.get(&l.item_id))
                    .map_or(Qty::ZERO, |t| t.demand);
                budget.insert(
                    (key, l.item_id),
                    (LineRef { po: pi, line: li }, l.quantity.min(demand)),
                );
            }
        }
        Linker {
            planner: self.clone(),
            budget,
        }
    }
}

/// The second pass of a [`Planner`].
#[derive(Debug, Clone)]
pub struct Linker {
    planner: Planner,
    budget: BTreeMap<(GroupKey, i64), (LineRef, Qty)>,
}

impl Linker {
    /// The PO line and quantity of the link for this demand row (rows must come oldest
    /// confirmation first); `None` when it gets no link (nothing uncovered, or an override ran out).
    pub fn link(&mut self, d: &Demand) -> Option<(LineRef, Qty)> {
        if !d.uncovered.is_positive() {
            return None;
        }
        let key = self.planner.key(d);
        let (at, left) = self.budget.get_mut(&(key, d.item_id))?;
        let take = d.uncovered.min(*left);
        if !take.is_positive() {
            return None;
        }
        *left -= take;
        Some((*at, take))
    }
}

/// Plans purchase orders for `demands` (in memory; see [`Planner`] for the rules).
pub fn plan(
    demands: &[Demand],
    deliver_to: DeliverTo,
    group_by: GroupBy,
    overrides: &[QtyOverride],
) -> Vec<PlanPo> {
    let mut sorted: Vec<&Demand> = demands.iter().collect();
    sorted.sort_by_key(|d| (d.key, d.so_line_id));
    let mut planner = Planner::new(deliver_to, group_by, overrides);
    for d in &sorted {
        planner.add(d);
    }
    let mut pos = planner.pos();
    let mut linker = planner.linker();
    for d in &sorted {
        if let Some((at, q)) = linker.link(d) {
            pos[at.po].lines[at.line].links.push((d.so_line_id, q));
        }
    }
    pos
}

impl fmt::Display for PlanPo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "vendor {} ({} line(s), {} link(s))",
            self.vendor_id,
            self.lines.len(),
            self.link_count()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use proptest::prelude::*;

    fn q(n: i64) -> Qty {
        Qty::from_raw(n * 1000)
    }
    fn demand(
        line: i64,
        so: i64,
        day: u32,
        customer: i64,
        item: i64,
        vendor: i64,
        unc: i64,
    ) -> Demand {
        Demand {
            so_line_id: line,
            key: FifoKey {
                confirmed: Date::from_ymd_opt(2026, 1, day).unwrap_or_default(),
                so_id: so,
                line_no: line,
            },
            customer_id: customer,
            warehouse_id: 1,
            item_id: item,
            vendor_id: vendor,
            rate: Money::from_raw(100),
            uncovered: q(unc),
        }
    }

    #[test]
    fn one_po_per_vendor_one_line_per_item_summing_links() {
        let d = [
            demand(1, 1, 1, 7, 100, 1, 3),
            demand(2, 2, 2, 8, 100, 1, 2),
            demand(3, 2, 2, 8, 200, 2, 4),
            demand(4, 3, 3, 9, 300, 1, 1),
        ];
        let p = plan(&d, DeliverTo::Warehouse, GroupBy::Vendor, &[]);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].vendor_id, 1);
        assert_eq!(p[0].lines.len(), 2);
        assert_eq!(p[0].lines[0].quantity, q(5));
        assert_eq!(p[0].lines[0].links, vec![(1, q(3)), (2, q(2))]);
        assert_eq!(p[1].lines[0].links, vec![(3, q(4))]);
    }

    #[test]
    fn drop_ship_never_merges_customers() {
        let d = [
            demand(1, 1, 1, 7, 100, 1, 3),
            demand(2, 2, 1, 8, 100, 1, 2),
            demand(3, 3, 1, 7, 100, 1, 1),
        ];
        let p = plan(&d, DeliverTo::Customer, GroupBy::Vendor, &[]);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].customer_id, p[0].lines[0].quantity), (Some(7), q(4)));
        assert_eq!((p[1].customer_id, p[1].lines[0].quantity), (Some(8), q(2)));
    }

    #[test]
    fn warehouses_never_share_a_po() {
        let mut other = demand(2, 2, 1, 7, 100, 1, 2);
        other.warehouse_id = 2;
        let p = plan(
            &[demand(1, 1, 1, 7, 100, 1, 3), other],
            DeliverTo::Warehouse,
            GroupBy::Vendor,
            &[],
        );
        assert_eq!(
            p.iter().map(|p| p.warehouse_id).collect::<Vec<_>>(),
            vec![Some(1), Some(2)]
        );
    }

    #[test]
    fn group_by_so_splits_per_order() {
        let d = [demand(1, 1, 1, 7, 100, 1, 3), demand(2, 2, 1, 7, 100, 1, 2)];
        let p = plan(&d, DeliverTo::Warehouse, GroupBy::So, &[]);
        assert_eq!(
            p.iter().map(|p| p.so_id).collect::<Vec<_>>(),
            vec![Some(1), Some(2)]
        );
    }

    #[test]
    fn overrides_order_more_as_excess_or_less_oldest_first() {
        let d = [demand(1, 1, 1, 7, 100, 1, 3), demand(2, 2, 2, 7, 100, 1, 2)];
        let more = plan(
            &d,
            DeliverTo::Warehouse,
            GroupBy::Vendor,
            &[QtyOverride {
                item_id: 100,
                quantity: q(12),
            }],
        );
        assert_eq!(more[0].lines[0].quantity, q(12));
        assert_eq!(more[0].lines[0].links, vec![(1, q(3)), (2, q(2))]);
        let less = plan(
            &d,
            DeliverTo::Warehouse,
            GroupBy::Vendor,
            &[QtyOverride {
                item_id: 100,
                quantity: q(4),
            }],
        );
        assert_eq!(less[0].lines[0].quantity, q(4));
        assert_eq!(less[0].lines[0].links, vec![(1, q(3)), (2, q(1))]);
    }

    #[test]
    fn drop_ship_only_on_confirmed_orders_without_package_or_invoice() {
        use crate::order::SoStatus;
        assert!(can_drop_ship(SoStatus::Confirmed, false));
        assert!(!can_drop_ship(SoStatus::Confirmed, true));
        assert!(!can_drop_ship(SoStatus::OnHold, false));
    }

    #[test]
    fn nothing_uncovered_plans_nothing() {
        assert!(plan(
            &[demand(1, 1, 1, 7, 100, 1, 0)],
            DeliverTo::Warehouse,
            GroupBy::Vendor,
            &[]
        )
        .is_empty());
    }

    proptest! {
        #[test]
        fn links_sum_to_lines_and_never_exceed_demand(
            raw in proptest::collection::vec((1i64..6, 1u32..28, 1i64..4, 1i64..5, 1i64..4, 0i64..10_000), 0..40),
            dropship in any::<bool>(), per_so in any::<bool>(),
        ) {
            let d: Vec<Demand> = raw.iter().enumerate().map(|(i, (so, day, cu, item, vendor, unc))| Demand {
                so_line_id: i as i64,
                key: FifoKey { confirmed: Date::from_ymd_opt(2026, 1, *day).unwrap_or_default(), so_id: *so, line_no: i as i64 },
                customer_id: *cu, warehouse_id: 1, item_id: *item, vendor_id: *vendor, rate: Money::ZERO, uncovered: Qty::from_raw(*unc),
            }).collect();
            let deliver = if dropship { DeliverTo::Customer } else { DeliverTo::Warehouse };
            let group = if per_so { GroupBy::So } else { GroupBy::Vendor };
            let p = plan(&d, deliver, group, &[]);
            let mut linked = std::collections::HashMap::new();
            for po in &p {
                let mut items = std::collections::HashSet::new();
                for l in &po.lines {
                    prop_assert!(items.insert(l.item_id), "one line per item");
                    prop_assert_eq!(l.quantity, l.links.iter().map(|x| x.1).sum::<Qty>());
                    for (id, q) in &l.links {
                        let dm = &d[*id as usize];
                        prop_assert_eq!(dm.vendor_id, po.vendor_id);
                        if dropship { prop_assert_eq!(Some(dm.customer_id), po.customer_id); }
                        *linked.entry(*id).or_insert(Qty::ZERO) += *q;
                    }
                }
            }
            for dm in &d {
                prop_assert_eq!(linked.get(&dm.so_line_id).copied().unwrap_or(Qty::ZERO), dm.uncovered);
            }
        }
    }
}
