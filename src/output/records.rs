//! The records each noun is shown as: field names and cell types, shared by table, CSV and JSON.

use super::{Record, Value};
use crate::ops::backorder_plan::PlanReport;
use crate::repo::{
    Bill, Customer, Event, Item, LinkRow, Package, PlanRow, PoLine, PurchaseOrder, SalesOrder,
    SoLine, StockRow, Vendor, Warehouse,
};
use stockroom_core::{DocKind, DocNumber};

pub const WAREHOUSE_COLUMNS: &[&str] = &["code", "name", "address"];

pub fn warehouse(w: &Warehouse) -> Record {
    Record::new()
        .with("code", Value::text(&w.code))
        .with("name", Value::text(&w.name))
        .with("address", Value::text(&w.address))
}

pub const VENDOR_COLUMNS: &[&str] = &["name", "email", "address", "lead_time_days"];

pub fn vendor(v: &Vendor) -> Record {
    Record::new()
        .with("name", Value::text(&v.name))
        .with("email", Value::text(&v.email))
        .with("address", Value::text(&v.address))
        .with(
            "lead_time_days",
            v.lead_time_days.map_or(Value::Null, Value::Int),
        )
}

pub const CUSTOMER_COLUMNS: &[&str] = &[
    "name",
    "email",
    "billing_address",
    "shipping_address",
    "pan",
];

pub fn customer(c: &Customer) -> Record {
    Record::new()
        .with("name", Value::text(&c.name))
        .with("email", Value::text(&c.email))
        .with("billing_address", Value::text(&c.billing_address))
        .with("shipping_address", Value::text(&c.shipping_address))
        .with("pan", Value::opt_text(c.pan.clone()))
}

pub const ITEM_COLUMNS: &[&str] = &[
    "sku",
    "name",
    "unit",
    "rate",
    "purchase_rate",
    "vendor",
    "reorder_level",
];

pub fn item(i: &Item) -> Record {
    Record::new()
        .with("sku", Value::text(&i.sku))
        .with("name", Value::text(&i.name))
        .with("unit", Value::text(&i.unit))
        .with("rate", Value::Money(i.rate))
        .with("purchase_rate", Value::Money(i.purchase_rate))
        .with("vendor", Value::opt_text(i.vendor.clone()))
        .with("reorder_level", Value::opt_qty(i.reorder_level))
}

pub const STOCK_COLUMNS: &[&str] = &[
    "sku",
    "warehouse",
    "on_hand",
    "reserved",
    "free",
    "committed",
    "available_for_sale",
    "on_order",
    "backordered",
];

pub fn stock(s: &StockRow) -> Record {
    Record::new()
        .with("sku", Value::text(&s.sku))
        .with("warehouse", Value::text(&s.warehouse))
        .with("on_hand", Value::Qty(s.on_hand))
        .with("reserved", Value::Qty(s.reserved))
        .with("free", Value::Qty(s.free()))
        .with("committed", Value::Qty(s.committed))
        .with("available_for_sale", Value::Qty(s.available_for_sale()))
        .with("on_order", Value::Qty(s.on_order))
        .with("backordered", Value::Qty(s.backordered))
}

pub const EVENT_COLUMNS: &[&str] = &["id", "at", "user", "doc", "action", "detail", "command"];

pub fn event(e: &Event) -> Record {
    Record::new()
        .with("id", Value::Int(e.id))
        .with("at", Value::text(&e.at))
        .with("user", Value::text(&e.os_user))
        .with("doc", Value::text(&e.doc))
        .with("action", Value::text(&e.action))
        .with("detail", Value::text(&e.detail))
        .with("command", Value::text(&e.command))
}

pub const SETTING_COLUMNS: &[&str] = &["key", "value", "default", "description"];

pub fn setting(s: &stockroom_core::settings::Setting, value: &str) -> Record {
    Record::new()
        .with("key", Value::text(s.key))
        .with("value", Value::text(value))
        .with("default", Value::text(s.default))
        .with("description", Value::text(s.help))
}

pub const SO_COLUMNS: &[&str] = &[
    "number",
    "date",
    "customer",
    "warehouse",
    "status",
    "shipment_status",
    "invoice_status",
    "total",
    "purchase_orders",
];

/// An order's header fields (the list row).
pub fn sales_order(so: &SalesOrder, purchase_orders: Vec<String>) -> Record {
    Record::new()
        .with(
            "number",
            Value::text(DocNumber::new(DocKind::SalesOrder, so.id).to_string()),
        )
        .with("date", Value::Date(so.date))
        .with("customer", Value::text(&so.customer))
        .with("warehouse", Value::text(&so.warehouse))
        .with("status", Value::text(so.status.as_str()))
        .with("shipment_status", Value::text(so.shipment_status.as_str()))
        .with("invoice_status", Value::text(so.invoice_status.as_str()))
        .with("total", Value::Money(so.total))
        .with("purchase_orders", Value::Strings(purchase_orders))
}

/// One order line with the SPEC §3.3 figures.
pub fn so_line(l: &SoLine) -> Record {
    Record::new()
        .with("line", Value::Int(l.line_no))
        .with("sku", Value::text(&l.sku))
        .with("quantity", Value::Qty(l.quantity))
        .with("rate", Value::Money(l.rate))
        .with("amount", Value::Money(l.amount))
        .with("reserved", Value::Qty(l.reserved))
        .with("packed", Value::Qty(l.packed))
        .with("backordered", Value::Qty(l.backordered))
        .with("shipped", Value::Qty(l.shipped))
        .with("dropshipped", Value::Qty(l.dropshipped))
        .with("invoiced", Value::Qty(l.invoiced))
        .with("shortfall", Value::Qty(l.uncovered()))
}

/// The whole order for `so show` and write commands.
pub fn sales_order_doc(
    so: &SalesOrder,
    lines: &[SoLine],
    purchase_orders: Vec<String>,
    packages: Vec<Record>,
    invoices: Vec<Record>,
) -> Record {
    let mut r = sales_order(so, purchase_orders);
    r.push(
        "held_from",
        Value::opt_text(so.held_from.map(|s| s.as_str())),
    );
    r.push(
        "confirmed_date",
        so.confirmed_date.map_or(Value::Null, Value::Date),
    );
    r.push(
        "shipment_date",
        so.shipment_date.map_or(Value::Null, Value::Date),
    );
    r.push("reference", Value::text(&so.reference));
    r.push("channel", Value::opt_text(so.channel.clone()));
    r.push("external_id", Value::opt_text(so.external_id.clone()));
    r.push("subtotal", Value::Money(so.subtotal));
    r.push("discount", Value::Money(so.discount));
    r.push("tax", Value::Money(so.tax));
    r.push("charges", Value::Money(so.charges));
    r.push("adjustment", Value::Money(so.adjustment));
    r.push("lines", Value::List(lines.iter().map(so_line).collect()));
    r.push("packages", Value::List(packages));
    r.push("invoices", Value::List(invoices));
    r
}

pub fn package(p: &Package, lines: &[SoLine]) -> Record {
    let sku = |id: i64| {
        lines
            .iter()
            .find(|l| l.id == id)
            .map_or(String::new(), |l| l.sku.clone())
    };
    Record::new()
        .with(
            "number",
            Value::text(DocNumber::new(DocKind::Package, p.id).to_string()),
        )
        .with("date", Value::Date(p.date))
        .with(
            "status",
            Value::text(if p.shipped { "shipped" } else { "packed" }),
        )
        .with(
            "shipped_date",
            p.shipped_date.map_or(Value::Null, Value::Date),
        )
        .with(
            "items",
            Value::Strings(
                p.lines
                    .iter()
                    .map(|(id, q)| format!("{}={q}", sku(*id)))
                    .collect(),
            ),
        )
}

pub const PO_COLUMNS: &[&str] = &[
    "number",
    "date",
    "vendor",
    "status",
    "received_status",
    "billed_status",
    "deliver_to",
    "warehouse",
    "customer",
    "is_backorder",
    "sales_orders",
    "total",
];

fn doc(kind: DocKind, id: i64) -> String {
    DocNumber::new(kind, id).to_string()
}

/// A PO's header (the list row).
pub fn purchase_order(po: &PurchaseOrder, sales_orders: &[i64]) -> Record {
    Record::new()
        .with("number", Value::text(doc(DocKind::PurchaseOrder, po.id)))
        .with("date", Value::Date(po.date))
        .with("vendor", Value::text(&po.vendor))
        .with("status", Value::text(po.status.as_str()))
        .with("received_status", Value::text(po.received_status.as_str()))
        .with("billed_status", Value::text(po.billed_status.as_str()))
        .with("deliver_to", Value::text(po.deliver_to.as_str()))
        .with("warehouse", Value::opt_text(po.warehouse.clone()))
        .with("customer", Value::opt_text(po.customer.clone()))
        .with("is_backorder", Value::Bool(po.is_backorder))
        .with(
            "sales_orders",
            Value::Strings(
                sales_orders
                    .iter()
                    .map(|id| doc(DocKind::SalesOrder, *id))
                    .collect(),
            ),
        )
        .with("total", Value::Money(po.total))
}

/// The shown state of a link: its lifecycle, or for an open link how far it got.
pub fn link_state(l: &stockroom_core::hold::Link) -> &'static str {
    use stockroom_core::hold::LinkState;
    match l.state {
        LinkState::Open if l.delivered >= l.effective() => "received",
        LinkState::Open if l.billed >= l.effective() => "billed",
        s => s.as_str(),
    }
}

/// The whole PO for `po show`.
pub fn purchase_order_doc(
    po: &PurchaseOrder,
    lines: &[PoLine],
    links: &[LinkRow],
    sales_orders: &[i64],
    receipts: Vec<Record>,
    bills: Vec<Record>,
) -> Record {
    let mut r = purchase_order(po, sales_orders);
    r.push(
        "expected_date",
        po.expected_date.map_or(Value::Null, Value::Date),
    );
    r.push("ship_to", Value::text(&po.ship_to));
    r.push("subtotal", Value::Money(po.subtotal));
    r.push("discount", Value::Money(po.discount));
    r.push("tax", Value::Money(po.tax));
    r.push("charges", Value::Money(po.charges));
    r.push("adjustment", Value::Money(po.adjustment));
    r.push("tcs_rate", Value::Pct(po.tcs_rate));
    r.push("tcs", Value::Money(po.tcs));
    let line_recs = lines
        .iter()
        .map(|l| {
            let my_links: Vec<Record> = links
                .iter()
                .filter(|k| k.po_line_id == l.id)
                .map(|k| {
                    Record::new()
                        .with("so", Value::text(doc(DocKind::SalesOrder, k.so_id)))
                        .with("quantity", Value::Qty(k.link.effective()))
                        .with("state", Value::text(link_state(&k.link)))
                })
                .collect();
            Record::new()
                .with("line", Value::Int(l.line_no))
                .with("sku", Value::text(&l.sku))
                .with("quantity", Value::Qty(l.quantity))
                .with("rate", Value::Money(l.rate))
                .with("amount", Value::Money(l.amount))
                .with("received", Value::Qty(l.received))
                .with("billed", Value::Qty(l.billed))
                .with("cancelled", Value::Qty(l.cancelled))
                .with("links", Value::List(my_links))
        })
        .collect();
    r.push("lines", Value::List(line_recs));
    r.push("receipts", Value::List(receipts));
    r.push("bills", Value::List(bills));
    r
}

pub const LINK_COLUMNS: &[&str] = &[
    "so",
    "sku",
    "customer",
    "po",
    "vendor",
    "deliver_to",
    "quantity",
    "received",
    "billed",
    "state",
    "created",
    "age_days",
];

/// One backorder link row; `age_days` counts from the order's confirmation while it is open.
pub fn link(l: &LinkRow, today: stockroom_core::Date) -> Record {
    let open = l.link.state == stockroom_core::hold::LinkState::Open;
    Record::new()
        .with("so", Value::text(doc(DocKind::SalesOrder, l.so_id)))
        .with("sku", Value::text(&l.sku))
        .with("customer", Value::text(&l.customer))
        .with("po", Value::text(doc(DocKind::PurchaseOrder, l.po_id)))
        .with("vendor", Value::text(&l.vendor))
        .with(
            "deliver_to",
            Value::text(if l.link.dropship {
                "customer"
            } else {
                "warehouse"
            }),
        )
        .with("quantity", Value::Qty(l.link.effective()))
        .with("received", Value::Qty(l.link.delivered))
        .with("billed", Value::Qty(l.link.billed))
        .with("state", Value::text(link_state(&l.link)))
        .with("created", Value::Date(l.created))
        .with(
            "age_days",
            if open {
                Value::Int(stockroom_core::date::days_between(l.key.confirmed, today).max(0))
            } else {
                Value::Null
            },
        )
}

pub const BILL_COLUMNS: &[&str] = &[
    "number",
    "po",
    "vendor",
    "vendor_ref",
    "date",
    "due_date",
    "subtotal",
    "tax",
    "tcs",
    "total",
];

pub fn bill(b: &Bill) -> Record {
    Record::new()
        .with("number", Value::text(doc(DocKind::Bill, b.id)))
        .with("po", Value::text(doc(DocKind::PurchaseOrder, b.po_id)))
        .with("vendor", Value::text(&b.vendor))
        .with("vendor_ref", Value::text(&b.vendor_ref))
        .with("date", Value::Date(b.date))
        .with("due_date", b.due_date.map_or(Value::Null, Value::Date))
        .with("subtotal", Value::Money(b.totals.subtotal))
        .with("tax", Value::Money(b.totals.tax))
        .with("tcs", Value::Money(b.totals.tcs))
        .with("total", Value::Money(b.totals.total))
}

pub fn bill_doc(b: &Bill) -> Record {
    let mut r = bill(b);
    r.push("discount", Value::Money(b.totals.discount));
    r.push("charges", Value::Money(b.totals.charges));
    r.push("adjustment", Value::Money(b.totals.adjustment));
    r.push("tcs_rate", Value::Pct(b.tcs_rate));
    r.push(
        "lines",
        Value::List(
            b.lines
                .iter()
                .map(|(sku, q, amount, tax)| {
                    Record::new()
                        .with("sku", Value::text(sku))
                        .with("quantity", Value::Qty(*q))
                        .with("amount", Value::Money(*amount))
                        .with("tax", Value::Money(*tax))
                })
                .collect(),
        ),
    );
    r
}

pub const PLAN_COLUMNS: &[&str] = &[
    "po",
    "vendor",
    "deliver_to",
    "customer",
    "sku",
    "quantity",
    "rate",
    "so",
    "line",
    "so_quantity",
];

/// A written plan's row, read back from the database.
pub fn plan_row(r: &PlanRow) -> Record {
    Record::new()
        .with("po", Value::text(doc(DocKind::PurchaseOrder, r.po_id)))
        .with("vendor", Value::text(&r.vendor))
        .with("deliver_to", Value::text(r.deliver_to.as_str()))
        .with("customer", Value::opt_text(r.customer.clone()))
        .with("sku", Value::text(&r.sku))
        .with("quantity", Value::Qty(r.quantity))
        .with("rate", Value::Money(r.rate))
        .with(
            "so",
            r.so_id
                .map_or(Value::Null, |id| Value::text(doc(DocKind::SalesOrder, id))),
        )
        .with("line", r.line_no.map_or(Value::Null, Value::Int))
        .with("so_quantity", Value::opt_qty(r.so_quantity))
}

/// The rows of a backorder plan: one per PO line and link.
pub fn plan_rows(report: &PlanReport) -> Vec<Record> {
    let mut out = Vec::new();
    for po in &report.pos {
        let number = po
            .number
            .map_or(Value::Null, |n| Value::text(n.to_string()));
        for l in &po.lines {
            let row = |so: Value, line: Value, q: Value| {
                Record::new()
                    .with("po", number.clone())
                    .with("vendor", Value::text(&po.vendor))
                    .with("deliver_to", Value::text(po.deliver_to.as_str()))
                    .with("customer", Value::opt_text(po.customer.clone()))
                    .with("sku", Value::text(&l.sku))
                    .with("quantity", Value::Qty(l.quantity))
                    .with("rate", Value::Money(l.rate))
                    .with("so", so)
                    .with("line", line)
                    .with("so_quantity", q)
            };
            if l.links.is_empty() {
                out.push(row(Value::Null, Value::Null, Value::Null));
            }
            for (so, line_no, q) in &l.links {
                out.push(row(
                    Value::text(so.to_string()),
                    Value::Int(*line_no),
                    Value::Qty(*q),
                ));
            }
        }
    }
    out
}

/// `report backorders` columns (SPEC §5); with `--by` the group column comes first.
pub const REPORT_BACKORDER_COLUMNS: &[&str] = &[
    "orders",
    "lines",
    "units_ordered",
    "units_backordered",
    "items_backordered_pct",
    "lines_backordered_pct",
    "orders_backordered_pct",
    "fill_rate_pct",
    "backorder_days_mean",
    "backorder_days_median",
    "backorder_days_p90",
    "backorder_days_max",
    "open_lines",
    "aging_0_7",
    "aging_8_14",
    "aging_15_30",
    "aging_31_60",
    "aging_61_plus",
];

/// The columns of `report backorders`, after the group column when grouped.
pub fn report_backorder_columns(group: Option<&'static str>) -> Vec<&'static str> {
    group
        .into_iter()
        .chain(REPORT_BACKORDER_COLUMNS.iter().copied())
        .collect()
}

/// One row of `report backorders`: the totals, or one group (`(column, name)`).
pub fn report_backorders(
    group: Option<(&'static str, Option<String>)>,
    m: &stockroom_core::metrics::BackorderMetrics,
) -> Record {
    let dec = |d: Option<rust_decimal::Decimal>| d.map_or(Value::Null, Value::Dec);
    let mut r = Record::new();
    if let Some((column, name)) = group {
        r.push(column, Value::opt_text(name));
    }
    r.push("orders", Value::Int(m.orders));
    r.push("lines", Value::Int(m.lines));
    r.push("units_ordered", Value::Qty(m.units_ordered));
    r.push("units_backordered", Value::Qty(m.units_backordered));
    r.push("items_backordered_pct", dec(m.items_backordered_pct));
    r.push("lines_backordered_pct", dec(m.lines_backordered_pct));
    r.push("orders_backordered_pct", dec(m.orders_backordered_pct));
    r.push("fill_rate_pct", dec(m.fill_rate_pct));
    r.push("backorder_days_mean", dec(m.backorder_days.mean));
    r.push("backorder_days_median", dec(m.backorder_days.median));
    r.push("backorder_days_p90", dec(m.backorder_days.p90));
    r.push("backorder_days_max", dec(m.backorder_days.max));
    r.push("open_lines", Value::Int(m.open_lines));
    let aging = [
        "aging_0_7",
        "aging_8_14",
        "aging_15_30",
        "aging_31_60",
        "aging_61_plus",
    ];
    for (name, n) in aging.into_iter().zip(m.aging) {
        r.push(name, Value::Int(n));
    }
    r
}

/// The charts under `report backorders` on a terminal: open backorders by age, and fulfilled
/// backorders by how many days they took.
pub fn report_backorder_charts(m: &stockroom_core::metrics::BackorderMetrics) -> Vec<super::Chart> {
    use stockroom_core::metrics::BUCKET_LABELS;
    let bars = |counts: [i64; 5]| {
        BUCKET_LABELS
            .iter()
            .zip(counts)
            .map(|(l, n)| ((*l).to_string(), n))
            .collect()
    };
    vec![
        super::Chart {
            title: format!("Open backorder lines by age in days ({})", m.open_lines),
            bars: bars(m.aging),
        },
        super::Chart {
            title: format!(
                "Fulfilled backorder lines by backorder days ({})",
                m.days_histogram.iter().sum::<i64>()
            ),
            bars: bars(m.days_histogram),
        },
    ]
}

/// `report stock` columns: the SPEC §3.2 figures, then the reorder view.
pub const REPORT_STOCK_COLUMNS: &[&str] = &[
    "sku",
    "warehouse",
    "on_hand",
    "reserved",
    "free",
    "committed",
    "available_for_sale",
    "on_order",
    "backordered",
    "on_order_draft",
    "projected",
    "reorder_level",
    "below_reorder",
];

/// One row of `report stock`.
pub fn report_stock(
    s: &StockRow,
    on_order_draft: stockroom_core::Qty,
    projected: stockroom_core::Qty,
    below: bool,
) -> Record {
    let mut r = stock(s);
    r.push("on_order_draft", Value::Qty(on_order_draft));
    r.push("projected", Value::Qty(projected));
    r.push("reorder_level", Value::opt_qty(s.reorder_level));
    r.push("below_reorder", Value::Bool(below));
    r
}

/// One backorder link of an order, for `so show`: which PO, how far it got, what it waits for.
pub fn so_backorder(l: &LinkRow) -> Record {
    let eff = l.link.effective();
    let open = l.link.state == stockroom_core::hold::LinkState::Open;
    let waiting = match (open && l.link.delivered < eff, open && l.link.billed < eff) {
        (true, true) if l.link.dropship => "bill (delivery)",
        (true, true) => "receipt and bill",
        (true, false) => "receipt",
        (false, true) => "bill",
        (false, false) => "",
    };
    Record::new()
        .with("po", Value::text(doc(DocKind::PurchaseOrder, l.po_id)))
        .with("sku", Value::text(&l.sku))
        .with("vendor", Value::text(&l.vendor))
        .with(
            "deliver_to",
            Value::text(if l.link.dropship {
                "customer"
            } else {
                "warehouse"
            }),
        )
        .with("quantity", Value::Qty(eff))
        .with("received", Value::Qty(l.link.delivered))
        .with("billed", Value::Qty(l.link.billed))
        .with("state", Value::text(link_state(&l.link)))
        .with("waiting_for", Value::text(waiting))
}

pub const VIOLATION_COLUMNS: &[&str] = &["check", "subject", "detail"];

/// One broken invariant found by `doctor`.
pub fn violation(v: &stockroom_core::doctor::Violation) -> Record {
    Record::new()
        .with("check", Value::text(v.check.as_str()))
        .with("subject", Value::text(&v.subject))
        .with("detail", Value::text(&v.detail))
}

pub const BACKUP_COLUMNS: &[&str] = &["database", "backup", "bytes"];

/// A finished `backup`.
pub fn backup(database: &std::path::Path, backup: &std::path::Path, bytes: u64) -> Record {
    Record::new()
        .with("database", Value::text(database.display().to_string()))
        .with("backup", Value::text(backup.display().to_string()))
        .with(
            "bytes",
            Value::Int(i64::try_from(bytes).unwrap_or(i64::MAX)),
        )
}
