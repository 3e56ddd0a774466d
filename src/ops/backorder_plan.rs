//! What `backorder create` and `backorder bulk` share: reading the demand, resolving each line's
//! vendor and rate, planning with the core, and writing the plan as draft purchase orders with
//! their links (SPEC §3.5 rules 1–6, §3.8).
//!
//! Set-based and streaming: the demand query is read twice (first to sum it per PO line, then to
//! hand out links oldest confirmation first), so memory grows with the number of PO lines and
//! sales orders, not with the number of order lines planned.

use crate::exit::UserError;
use crate::ops::effects::hold_for_backorder;
use crate::repo::{Conn, Customer, DemandFilter, DemandRow, NewPoLine, NewPurchaseOrder, Vendor};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use stockroom_core::backorder::{
    can_drop_ship, DeliverTo, Demand, GroupBy, PlanPo, Planner, QtyOverride,
};
use stockroom_core::money::{
    doc_totals, line_amounts, DocCharges, DocTotals, LineAmounts, LineInput, PriceTerms,
};
use stockroom_core::stock::FifoKey;
use stockroom_core::{Date, DocKind, DocNumber, Money, Percent, Qty};

/// The clerk's (or cron's) choices for one planning run.
#[derive(Debug, Clone)]
pub struct Terms {
    /// `--vendor NAME` for every line (create only).
    pub vendor_all: Option<String>,
    /// `--vendor SKU=NAME`.
    pub vendor_by_sku: Vec<(String, String)>,
    /// `--rate SKU=R`.
    pub rate_by_sku: Vec<(String, Money)>,
    /// `--qty SKU=Q`.
    pub qty_by_sku: Vec<(String, Qty)>,
    /// `--only SKU`.
    pub only: Vec<String>,
    pub deliver_to: DeliverTo,
    pub group_by: GroupBy,
    pub date: Date,
    pub expected_date: Option<Date>,
    /// Taxes, discounts and charges of the new POs (the document ones apply to each PO).
    pub price: PriceTerms,
    pub tcs_rate: Percent,
}

impl Default for Terms {
    fn default() -> Self {
        Self {
            vendor_all: None,
            vendor_by_sku: Vec::new(),
            rate_by_sku: Vec::new(),
            qty_by_sku: Vec::new(),
            only: Vec::new(),
            deliver_to: DeliverTo::Warehouse,
            group_by: GroupBy::Vendor,
            date: Date::default(),
            expected_date: None,
            price: PriceTerms::default(),
            tcs_rate: Percent::ZERO,
        }
    }
}

/// Demand that could not be planned because no vendor is known for its item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoVendor {
    pub sku: String,
    pub sos: Vec<DocNumber>,
    pub quantity: Qty,
}

/// One PO line of a plan. `links` (sales order, line number, quantity) are filled for a dry run;
/// after a real run they are read back from the database.
#[derive(Debug, Clone)]
pub struct PlannedLine {
    pub sku: String,
    pub quantity: Qty,
    pub rate: Money,
    pub links: Vec<(DocNumber, i64, Qty)>,
}

/// One PO of a plan; `number` is set once written.
#[derive(Debug, Clone)]
pub struct PlannedPo {
    pub number: Option<DocNumber>,
    pub vendor: String,
    pub deliver_to: DeliverTo,
    pub customer: Option<String>,
    pub lines: Vec<PlannedLine>,
    pub total: Money,
}

#[derive(Debug, Clone, Default)]
pub struct PlanReport {
    pub pos: Vec<PlannedPo>,
    pub sales_orders: Vec<DocNumber>,
    pub links: usize,
    pub no_vendor: Vec<NoVendor>,
    /// Orders left out of a drop-ship run: on hold, or with a package or invoice (rule 8).
    pub not_dropshippable: Vec<DocNumber>,
}

impl PlanReport {
    pub fn line_count(&self) -> usize {
        self.pos.iter().map(|p| p.lines.len()).sum()
    }
    /// The numbers of the POs written, in order.
    pub fn written(&self) -> Vec<DocNumber> {
        self.pos.iter().filter_map(|p| p.number).collect()
    }
}

/// How far a run has got, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// Demand rows read (first pass).
    Reading(u64),
    /// Links written of the total (second pass).
    Linking(u64, u64),
}

/// What becomes of one demand row under a run's terms.
enum Resolved {
    /// Not part of this run (`--only`).
    Skip,
    /// Its item has no vendor.
    NoVendor,
    /// A drop shipment is not possible for its order (rule 8).
    NotDropShippable,
    Plan(Demand),
}

/// Turns a demand row into the planner's value under the run's terms.
struct Resolver {
    vendor_all: Option<i64>,
    vendor_by_sku: HashMap<String, i64>,
    rate_by_sku: HashMap<String, Money>,
    only: BTreeSet<String>,
    dropship: bool,
}

impl Resolver {
    fn new(c: &Conn, terms: &Terms) -> Result<Self> {
        let vendor_by_name = |name: &str| -> Result<i64> { Ok(c.get_vendor(name)?.id) };
        let mut vendor_by_sku = HashMap::new();
        for (sku, name) in &terms.vendor_by_sku {
            vendor_by_sku.insert(sku.to_lowercase(), vendor_by_name(name)?);
        }
        Ok(Self {
            vendor_all: terms
                .vendor_all
                .as_deref()
                .map(vendor_by_name)
                .transpose()?,
            vendor_by_sku,
            rate_by_sku: terms
                .rate_by_sku
                .iter()
                .map(|(s, r)| (s.to_lowercase(), *r))
                .collect(),
            only: terms.only.iter().map(|s| s.to_lowercase()).collect(),
            dropship: terms.deliver_to == DeliverTo::Customer,
        })
    }

    fn demand(&self, d: &DemandRow) -> Resolved {
        let key = d.sku.to_lowercase();
        if !self.only.is_empty() && !self.only.contains(&key) {
            return Resolved::Skip;
        }
        if self.dropship && !can_drop_ship(d.so_status, d.has_package_or_invoice) {
            return Resolved::NotDropShippable;
        }
        let vendor = self
            .vendor_by_sku
            .get(&key)
            .copied()
            .or(self.vendor_all)
            .or(d.vendor_id);
        let Some(vendor_id) = vendor else {
            return Resolved::NoVendor;
        };
        Resolved::Plan(Demand {
            so_line_id: d.so_line_id,
            key: FifoKey {
                confirmed: d.confirmed,
                so_id: d.so_id,
                line_no: d.line_no,
            },
            customer_id: d.customer_id,
            warehouse_id: d.warehouse_id,
            item_id: d.item_id,
            vendor_id,
            rate: self
                .rate_by_sku
                .get(&key)
                .copied()
                .unwrap_or(d.purchase_rate),
            uncovered: d.uncovered,
        })
    }
}

/// Reads the demand, resolves vendors and rates, and plans. With `write`, persists the plan: POs,
/// lines, a link per sales-order line, and the hold of every order served. Demand whose item has
/// no vendor lands in `no_vendor` and is left out.
pub fn plan_and_maybe_write(
    c: &Conn,
    filter: &DemandFilter,
    terms: &Terms,
    write: bool,
    progress: &dyn Fn(Progress),
) -> Result<PlanReport> {
    let resolver = Resolver::new(c, terms)?;
    let mut planner = Planner::new(terms.deliver_to, terms.group_by, &[]);
    let mut skus: HashMap<i64, String> = HashMap::new();
    let mut no_vendor: BTreeMap<String, NoVendor> = BTreeMap::new();
    let mut rows = 0u64;
    let mut not_dropshippable = BTreeSet::new();
    c.for_each_demand(filter, |d| {
        match resolver.demand(&d) {
            Resolved::Skip => {}
            Resolved::NotDropShippable => {
                not_dropshippable.insert(d.so_id);
            }
            Resolved::Plan(demand) => {
                planner.add(&demand);
                skus.entry(d.item_id).or_insert_with(|| d.sku.clone());
                rows += 1;
                if rows.is_multiple_of(1024) {
                    progress(Progress::Reading(rows));
                }
            }
            Resolved::NoVendor => {
                let so = DocNumber::new(DocKind::SalesOrder, d.so_id);
                let e = no_vendor.entry(d.sku.clone()).or_insert_with(|| NoVendor {
                    sku: d.sku.clone(),
                    sos: Vec::new(),
                    quantity: Qty::ZERO,
                });
                if e.sos.last() != Some(&so) && !e.sos.contains(&so) {
                    e.sos.push(so);
                }
                e.quantity += d.uncovered;
            }
        }
        Ok(())
    })?;
    let mut overrides = Vec::new();
    for (sku, q) in &terms.qty_by_sku {
        match skus.iter().find(|(_, s)| s.eq_ignore_ascii_case(sku)) {
            Some((id, _)) => overrides.push(QtyOverride {
                item_id: *id,
                quantity: *q,
            }),
            None => {
                return Err(UserError::refused(format!(
                    "--qty {sku}={q}: {sku} has no uncovered shortfall to backorder here"
                ))
                .into())
            }
        }
    }
    planner.set_overrides(&overrides);
    let plans = planner.pos();
    let mut report = PlanReport {
        no_vendor: no_vendor.into_values().collect(),
        not_dropshippable: not_dropshippable
            .into_iter()
            .map(|id| DocNumber::new(DocKind::SalesOrder, id))
            .collect(),
        ..Default::default()
    };
    // the POs, priced
    let mut line_ids: Vec<Vec<i64>> = Vec::with_capacity(plans.len());
    for p in &plans {
        let vendor = c.get_vendor_by_id(p.vendor_id)?;
        let customer = p
            .customer_id
            .map(|id| c.get_customer_by_id(id))
            .transpose()?;
        let mut lines = Vec::with_capacity(p.lines.len());
        let mut amounts = Vec::with_capacity(p.lines.len());
        for l in &p.lines {
            let sku = skus.get(&l.item_id).cloned().unwrap_or_default();
            let a = line_amounts(&LineInput {
                quantity: l.quantity,
                rate: l.rate,
                discount: terms.price.discount_for(&sku),
                tax_rate: terms.price.tax_for(&sku),
            })
            .map_err(|e| UserError::refused(format!("{sku}: {e}")))?;
            amounts.push(a);
            lines.push(PlannedLine {
                sku,
                quantity: l.quantity,
                rate: l.rate,
                links: Vec::new(),
            });
        }
        let charges = DocCharges {
            tcs_rate: terms.tcs_rate,
            ..terms.price.doc
        };
        let totals =
            doc_totals(&amounts, &charges).map_err(|e| UserError::refused(e.to_string()))?;
        let mut planned = PlannedPo {
            number: None,
            vendor: vendor.name.clone(),
            deliver_to: terms.deliver_to,
            customer: customer.as_ref().map(|c| c.name.clone()),
            lines,
            total: totals.total,
        };
        if write {
            let (id, ids) = write_po(
                c,
                p,
                &planned.lines,
                &amounts,
                &totals,
                terms,
                &vendor,
                customer.as_ref(),
            )?;
            planned.number = Some(DocNumber::new(DocKind::PurchaseOrder, id));
            line_ids.push(ids);
        }
        report.pos.push(planned);
    }
    // the links, oldest confirmation first
    let mut linker = planner.linker();
    // demand comes order by order, so each order is settled (event, hold) as soon as its rows end
    let mut current: Option<(i64, BTreeSet<usize>)> = None;
    let mut sales_orders = Vec::new();
    let pos_written: Vec<(Option<DocNumber>, String)> = report
        .pos
        .iter()
        .map(|p| (p.number, p.vendor.clone()))
        .collect();
    let mut settle = |so_id: i64, pos: &BTreeSet<usize>| -> Result<()> {
        sales_orders.push(DocNumber::new(DocKind::SalesOrder, so_id));
        if !write {
            return Ok(());
        }
        let numbers: Vec<String> = pos
            .iter()
            .filter_map(|i| pos_written.get(*i))
            .filter_map(|(n, vendor)| n.map(|n| format!("{n} to {vendor}")))
            .collect();
        let so = DocNumber::new(DocKind::SalesOrder, so_id).to_string();
        c.event(&so, "backordered", &numbers.join(", "))?;
        hold_for_backorder(c, so_id)
    };
    let dropship = terms.deliver_to == DeliverTo::Customer;
    let mut done = 0u64;
    c.for_each_demand(filter, |d| {
        let Resolved::Plan(demand) = resolver.demand(&d) else {
            return Ok(());
        };
        let Some((at, q)) = linker.link(&demand) else {
            return Ok(());
        };
        if write {
            c.insert_link(
                d.so_line_id,
                line_ids[at.po][at.line],
                dropship,
                q,
                terms.date,
            )?;
        } else {
            report.pos[at.po].lines[at.line].links.push((
                DocNumber::new(DocKind::SalesOrder, d.so_id),
                d.line_no,
                q,
            ));
        }
        match &mut current {
            Some((so_id, pos)) if *so_id == d.so_id => {
                pos.insert(at.po);
            }
            _ => {
                if let Some((so_id, pos)) = current.take() {
                    settle(so_id, &pos)?;
                }
                current = Some((d.so_id, BTreeSet::from([at.po])));
            }
        }
        report.links += 1;
        done += 1;
        if done.is_multiple_of(1024) {
            progress(Progress::Linking(done, rows));
        }
        Ok(())
    })?;
    if let Some((so_id, pos)) = current.take() {
        settle(so_id, &pos)?;
    }
    report.sales_orders = sales_orders;
    Ok(report)
}

/// Writes one planned PO and its lines; returns its id and the line ids in plan order.
#[allow(clippy::too_many_arguments)]
fn write_po(
    c: &Conn,
    p: &PlanPo,
    planned: &[PlannedLine],
    amounts: &[LineAmounts],
    totals: &DocTotals,
    terms: &Terms,
    vendor: &Vendor,
    customer: Option<&Customer>,
) -> Result<(i64, Vec<i64>)> {
    let expected = terms.expected_date.or_else(|| {
        vendor
            .lead_time_days
            .map(|d| terms.date + chrono::Days::new(d.max(0) as u64))
    });
    let id = c.insert_purchase_order(&NewPurchaseOrder {
        vendor_id: p.vendor_id,
        date: terms.date,
        expected_date: expected,
        deliver_to: terms.deliver_to,
        warehouse_id: p.warehouse_id,
        customer_id: customer.map(|c| c.id),
        ship_to: customer
            .map(|c| c.shipping_address.clone())
            .unwrap_or_default(),
        is_backorder: true,
        totals: *totals,
        tcs_rate: terms.tcs_rate,
    })?;
    let mut ids = Vec::with_capacity(p.lines.len());
    for (i, ((l, a), pl)) in p.lines.iter().zip(amounts).zip(planned).enumerate() {
        ids.push(c.insert_po_line(
            id,
            p.warehouse_id,
            &NewPoLine {
                line_no: i as i64 + 1,
                item_id: l.item_id,
                quantity: l.quantity,
                rate: l.rate,
                tax_rate: terms.price.tax_for(&pl.sku),
                amount: a.amount,
                tax: a.tax,
            },
        )?);
    }
    let to = match customer {
        Some(cu) => format!("drop ship to {}", cu.name),
        None => "to the warehouse".into(),
    };
    c.event(
        &DocNumber::new(DocKind::PurchaseOrder, id).to_string(),
        "created",
        &format!(
            "draft backorder to {} ({to}), {} line(s), total {}",
            vendor.name,
            p.lines.len(),
            totals.total
        ),
    )?;
    Ok((id, ids))
}
