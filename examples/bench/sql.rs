//! The `sqlite3` shell baselines: the same work written as one hand-made SQL statement over the
//! same file (or `.import` for the import).

/// A quantity (INTEGER thousandths) as Stockroom prints it: `3`, or `2.500`.
fn qty(x: &str) -> String {
    format!("CASE WHEN ({x}) % 1000 = 0 THEN ({x}) / 1000 ELSE printf('%.3f', ({x}) / 1000.0) END")
}

/// Money (INTEGER hundredths) as Stockroom prints it: `37.50`.
fn money(x: &str) -> String {
    format!("printf('%d.%02d', ({x}) / 100, abs(({x}) % 100))")
}

/// `backorder bulk --all`: uncovered shortfall per (vendor, item) over the open lines of
/// confirmed and on-hold orders (the query of issue 5, verbatim).
pub const BULK_AGGREGATION: &str = "SELECT i.vendor_id, l.item_id, sum(l.quantity - l.shipped - l.dropshipped - l.reserved - \
coalesce((SELECT sum(bl.quantity - bl.cancelled - bl.delivered) FROM backorder_links bl WHERE bl.so_line_id = l.id AND bl.state = 'open'), 0)) \
FROM so_lines l JOIN sales_orders so ON so.id = l.so_id JOIN items i ON i.id = l.item_id \
WHERE l.open = 1 AND so.status IN ('confirmed','on_hold') GROUP BY 1, 2;";

/// `backorder list --format csv`: the same columns, joins (`LINK_COLS` in src/repo/purchase.rs)
/// and order as Stockroom's.
pub fn backorder_list() -> String {
    let eff = "bl.quantity - bl.cancelled";
    format!(
        "SELECT printf('SO-%05d', l.so_id) AS so, i.sku AS sku, c.name AS customer, \
printf('PO-%05d', pl.po_id) AS po, v.name AS vendor, \
CASE bl.kind WHEN 'dropship' THEN 'customer' ELSE 'warehouse' END AS deliver_to, \
{} AS quantity, {} AS received, {} AS billed, \
CASE WHEN bl.state = 'open' AND bl.delivered >= {eff} THEN 'received' \
WHEN bl.state = 'open' AND bl.billed >= {eff} THEN 'billed' ELSE bl.state END AS state, \
bl.created AS created, \
CASE WHEN bl.state = 'open' THEN max(0, CAST(julianday(date('now', 'localtime')) - julianday(so.confirmed_date) AS INTEGER)) END AS age_days \
FROM backorder_links bl JOIN so_lines l ON l.id = bl.so_line_id JOIN sales_orders so ON so.id = l.so_id \
JOIN customers c ON c.id = so.customer_id JOIN po_lines pl ON pl.id = bl.po_line_id \
JOIN purchase_orders po ON po.id = pl.po_id JOIN vendors v ON v.id = po.vendor_id JOIN items i ON i.id = l.item_id \
ORDER BY bl.id;",
        qty(eff),
        qty("bl.delivered"),
        qty("bl.billed"),
    )
}

/// `so list --format csv`: one row per order with its linked purchase orders.
pub fn so_list() -> String {
    format!(
        "SELECT printf('SO-%05d', so.id) AS number, so.date AS date, c.name AS customer, w.code AS warehouse, \
so.status AS status, so.shipment_status AS shipment_status, so.invoice_status AS invoice_status, \
{} AS total, \
coalesce((SELECT group_concat(printf('PO-%05d', p), ' ') FROM (SELECT DISTINCT pl.po_id AS p FROM so_lines l \
JOIN backorder_links bl ON bl.so_line_id = l.id JOIN po_lines pl ON pl.id = bl.po_line_id \
WHERE l.so_id = so.id ORDER BY 1)), '') AS purchase_orders \
FROM sales_orders so JOIN customers c ON c.id = so.customer_id JOIN warehouses w ON w.id = so.warehouse_id \
ORDER BY so.id;",
        money("so.total")
    )
}

/// `report backorders`: over the lines of the orders confirmed up to `as_of` (draft and void
/// excluded), orders, lines, units ordered and short at confirmation, backordered lines, orders
/// and items, open backorder lines and their aging by confirmation date.
pub fn report_backorders(as_of: &str) -> String {
    let age = format!("julianday('{as_of}') - julianday(so.confirmed_date)");
    format!(
        "SELECT count(DISTINCT so.id) AS orders, count(*) AS lines, {} AS units_ordered, \
{} AS units_backordered, \
count(DISTINCT CASE WHEN l.shortfall_at_confirm > 0 THEN l.item_id END) AS items_backordered, \
sum(l.shortfall_at_confirm > 0) AS lines_backordered, \
count(DISTINCT CASE WHEN l.shortfall_at_confirm > 0 THEN so.id END) AS orders_backordered, \
sum(b.open_links > 0) AS open_lines, \
sum(b.open_links > 0 AND {age} BETWEEN 0 AND 7) AS aging_0_7, \
sum(b.open_links > 0 AND {age} BETWEEN 8 AND 14) AS aging_8_14, \
sum(b.open_links > 0 AND {age} BETWEEN 15 AND 30) AS aging_15_30, \
sum(b.open_links > 0 AND {age} BETWEEN 31 AND 60) AS aging_31_60, \
sum(b.open_links > 0 AND {age} > 60) AS aging_61_plus \
FROM sales_orders so JOIN so_lines l ON l.so_id = so.id \
LEFT JOIN (SELECT so_line_id, sum(state = 'open') AS open_links, sum(quantity - cancelled) AS quantity \
FROM backorder_links GROUP BY so_line_id) b ON b.so_line_id = l.id \
WHERE so.status NOT IN ('draft', 'void') AND so.confirmed_date IS NOT NULL AND so.confirmed_date <= '{as_of}';",
        qty("sum(l.quantity)"),
        qty("sum(l.shortfall_at_confirm)"),
    )
}
