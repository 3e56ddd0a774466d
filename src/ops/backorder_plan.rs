//! What `backorder create` and `backorder bulk` share: reading the demand, resolving each line's
//! vendor and rate, asking the core for a plan, and writing the plan as draft purchase orders with
//! their links (SPEC §3.5 rules 1–6).

use crate::exit::UserError;
use crate::ops::effects::refresh_so;
use crate::repo::{Conn, DemandFilter, DemandRow, NewPoLine, NewPurchaseOrder};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use stockroom_core::backorder::{plan, DeliverTo, Demand, GroupBy, PlanPo, QtyOverride};
use stockroom_core::money::{
    doc_totals, line_amounts, DocCharges, LineAmounts, LineInput, PriceTerms,
};
use stockroom_core::stock::FifoKey;
use stockroom_core::{Date, DocKind, DocNumber, Money, Percent, Qty};

/// The clerk's (or cron's) choices for one planning run.
#[derive(Debug, Clone)]
pub struct Terms {
    /// `--vendor NAME` for every line (create), or the vendor filter (bulk).
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

/// One PO line of a plan, in words.
#[derive(Debug, Clone)]
pub struct PlannedLine {
    pub sku: String,
    pub quantity: Qty,
    pub rate: Money,
    /// (sales order, line number, quantity)
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
    pub no_vendor: Vec<NoVendor>,
}

impl PlanReport {
    pub fn line_count(&self) -> usize {
        self.pos.iter().map(|p| p.lines.len()).sum()
    }
}

struct ItemInfo {
    sku: String,
}

/// Reads the demand, resolves vendors and rates, and plans. With `write`, persists the plan.
/// Demand whose item has no vendor lands in `no_vendor` and is left out of the plan.
pub fn plan_and_maybe_write(
    c: &Conn,
    filter: &DemandFilter,
    terms: &Terms,
    write: bool,
) -> Result<PlanReport> {
    let vendor_by_name = |name: &str| -> Result<i64> {
        Ok(c.find_vendor(name)?
            .ok_or_else(|| {
                UserError::not_found(format!(
                    "no vendor named '{name}'; see `stockroom vendor list`"
                ))
            })?
            .id)
    };
    let vendor_all = terms
        .vendor_all
        .as_deref()
        .map(vendor_by_name)
        .transpose()?;
    let mut vendor_by_sku: HashMap<String, i64> = HashMap::new();
    for (sku, name) in &terms.vendor_by_sku {
        vendor_by_sku.insert(sku.to_lowercase(), vendor_by_name(name)?);
    }
    let rate_by_sku: HashMap<String, Money> = terms
        .rate_by_sku
        .iter()
        .map(|(s, r)| (s.to_lowercase(), *r))
        .collect();
    let only: BTreeSet<String> = terms.only.iter().map(|s| s.to_lowercase()).collect();

    let mut demands: Vec<Demand> = Vec::new();
    let mut items: HashMap<i64, ItemInfo> = HashMap::new();
    let mut line_info: HashMap<i64, (DocNumber, i64)> = HashMap::new();
    let mut no_vendor: BTreeMap<String, NoVendor> = BTreeMap::new();
    c.for_each_demand(filter, |d: DemandRow| {
        let key = d.sku.to_lowercase();
        if !only.is_empty() && !only.contains(&key) {
            return Ok(());
        }
        let vendor = vendor_by_sku
            .get(&key)
            .copied()
            .or(vendor_all)
            .or(d.vendor_id);
        let so = DocNumber::new(DocKind::SalesOrder, d.so_id);
        let Some(vendor_id) = vendor else {
            let e = no_vendor.entry(d.sku.clone()).or_insert_with(|| NoVendor {
                sku: d.sku.clone(),
                sos: Vec::new(),
                quantity: Qty::ZERO,
            });
            if !e.sos.contains(&so) {
                e.sos.push(so);
            }
            e.quantity += d.uncovered;
            return Ok(());
        };
        let rate = rate_by_sku.get(&key).copied().unwrap_or(d.purchase_rate);
        items
            .entry(d.item_id)
            .or_insert_with(|| ItemInfo { sku: d.sku.clone() });
        line_info.insert(d.so_line_id, (so, d.line_no));
        demands.push(Demand {
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
            rate,
            uncovered: d.uncovered,
        });
        Ok(())
    })?;
    let mut overrides = Vec::new();
    for (sku, q) in &terms.qty_by_sku {
        match items.iter().find(|(_, i)| i.sku.eq_ignore_ascii_case(sku)) {
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
    let plans = plan(&demands, terms.deliver_to, terms.group_by, &overrides);
    let mut report = PlanReport {
        no_vendor: no_vendor.into_values().collect(),
        ..Default::default()
    };
    let mut sos: BTreeSet<i64> = BTreeSet::new();
    for p in &plans {
        let vendor = c.get_vendor_by_id(p.vendor_id)?;
        let customer = match p.customer_id {
            Some(id) => Some(c.get_customer_by_id(id)?),
            None => None,
        };
        let mut lines = Vec::with_capacity(p.lines.len());
        let mut amounts = Vec::with_capacity(p.lines.len());
        for l in &p.lines {
            let a = line_amounts(&LineInput {
                quantity: l.quantity,
                rate: l.rate,
                discount: Money::ZERO,
                tax_rate: Percent::ZERO,
            })
            .map_err(|e| UserError::refused(e.to_string()))?;
            amounts.push(a);
            let sku = items
                .get(&l.item_id)
                .map(|i| i.sku.clone())
                .unwrap_or_default();
            lines.push(PlannedLine {
                sku,
                quantity: l.quantity,
                rate: l.rate,
                links: l
                    .links
                    .iter()
                    .filter_map(|(line, q)| line_info.get(line).map(|(so, no)| (*so, *no, *q)))
                    .collect(),
            });
            for (line, _) in &l.links {
                if let Some((so, _)) = line_info.get(line) {
                    sos.insert(so.id);
                }
            }
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
            let id = write_po(
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
        }
        report.pos.push(planned);
    }
    report.sales_orders = sos
        .iter()
        .map(|id| DocNumber::new(DocKind::SalesOrder, *id))
        .collect();
    if write {
        for id in &sos {
            refresh_so(c, *id)?;
        }
    }
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
fn write_po(
    c: &Conn,
    p: &PlanPo,
    planned: &[PlannedLine],
    amounts: &[LineAmounts],
    totals: &stockroom_core::money::DocTotals,
    terms: &Terms,
    vendor: &crate::repo::Vendor,
    customer: Option<&crate::repo::Customer>,
) -> Result<i64> {
    let expected = terms.expected_date.or_else(|| {
        vendor
            .lead_time_days
            .map(|d| terms.date + chrono::Days::new(d.max(0) as u64))
    });
    let dropship = terms.deliver_to == DeliverTo::Customer;
    let wh = p.warehouse_id;
    let id = c.insert_purchase_order(&NewPurchaseOrder {
        vendor_id: p.vendor_id,
        date: terms.date,
        expected_date: expected,
        deliver_to: terms.deliver_to,
        warehouse_id: wh,
        customer_id: customer.map(|c| c.id),
        ship_to: customer
            .map(|c| c.shipping_address.clone())
            .unwrap_or_default(),
        is_backorder: true,
        totals: *totals,
        tcs_rate: terms.tcs_rate,
    })?;
    let number = DocNumber::new(DocKind::PurchaseOrder, id);
    let mut served: BTreeSet<i64> = BTreeSet::new();
    for (i, ((l, a), pl)) in p.lines.iter().zip(amounts).zip(planned).enumerate() {
        let line_id = c.insert_po_line(
            id,
            wh,
            &NewPoLine {
                line_no: i as i64 + 1,
                item_id: l.item_id,
                quantity: l.quantity,
                rate: l.rate,
                tax_rate: terms.price.tax_for(&pl.sku),
                amount: a.amount,
                tax: a.tax,
            },
        )?;
        for (so_line, q) in &l.links {
            c.insert_link(*so_line, line_id, dropship, *q, terms.date)?;
            let sl = c.get_so_line(*so_line)?;
            served.insert(sl.so_id);
        }
    }
    let so_list: Vec<String> = served
        .iter()
        .map(|s| DocNumber::new(DocKind::SalesOrder, *s).to_string())
        .collect();
    c.event(
        &number.to_string(),
        "created",
        &format!(
            "draft backorder to {} ({}), {} line(s), total {}, for {}",
            vendor.name,
            if dropship { "drop ship" } else { "warehouse" },
            p.lines.len(),
            totals.total,
            so_list.join(", ")
        ),
    )?;
    for s in &so_list {
        c.event(s, "backordered", &format!("{number} to {}", vendor.name))?;
    }
    Ok(id)
}
