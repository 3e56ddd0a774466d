-- Schema version 2: sales orders (packages, invoices), purchase orders (receipts, bills) and the
-- backorder links between their lines.

CREATE TABLE sales_orders (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    warehouse_id    INTEGER NOT NULL REFERENCES warehouses (id),
    date            TEXT NOT NULL,
    shipment_date   TEXT,
    reference       TEXT NOT NULL DEFAULT '',
    channel         TEXT,
    external_id     TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK ((status = 'draft' OR status = 'confirmed' OR status = 'on_hold' OR status = 'fulfilled' OR status = 'closed' OR status = 'void')),
    -- the status an on-hold order returns to when released
    held_from       TEXT CHECK (held_from IS NULL OR (held_from = 'confirmed' OR held_from = 'fulfilled' OR held_from = 'closed')),
    shipment_status TEXT NOT NULL DEFAULT 'not_shipped'
                    CHECK ((shipment_status = 'not_shipped' OR shipment_status = 'partially_shipped' OR shipment_status = 'shipped')),
    invoice_status  TEXT NOT NULL DEFAULT 'not_invoiced'
                    CHECK ((invoice_status = 'not_invoiced' OR invoice_status = 'partially_invoiced' OR invoice_status = 'invoiced')),
    confirmed_date  TEXT,
    subtotal        INTEGER NOT NULL DEFAULT 0,
    discount        INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
    tax             INTEGER NOT NULL DEFAULT 0,
    charges         INTEGER NOT NULL DEFAULT 0 CHECK (charges >= 0),
    adjustment      INTEGER NOT NULL DEFAULT 0,
    total           INTEGER NOT NULL DEFAULT 0,
    CHECK ((status = 'on_hold') = (held_from IS NOT NULL)),
    CHECK (status = 'draft' OR status = 'void' OR confirmed_date IS NOT NULL),
    CHECK ((channel IS NULL) = (external_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX sales_orders_external ON sales_orders (channel, external_id) WHERE channel IS NOT NULL;
CREATE INDEX sales_orders_customer ON sales_orders (customer_id, date);
CREATE INDEX sales_orders_date ON sales_orders (date);
CREATE INDEX sales_orders_open ON sales_orders (status) WHERE status IN ('confirmed', 'on_hold');

CREATE TABLE so_lines (
    id                   INTEGER PRIMARY KEY,
    so_id                INTEGER NOT NULL REFERENCES sales_orders (id),
    line_no              INTEGER NOT NULL CHECK (line_no > 0),
    item_id              INTEGER NOT NULL REFERENCES items (id),
    warehouse_id         INTEGER NOT NULL REFERENCES warehouses (id),
    quantity             INTEGER NOT NULL CHECK (quantity > 0),
    rate                 INTEGER NOT NULL CHECK (rate >= 0),
    tax_rate             INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 1000000),
    discount             INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
    amount               INTEGER NOT NULL DEFAULT 0,
    tax                  INTEGER NOT NULL DEFAULT 0,
    reserved             INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    packed               INTEGER NOT NULL DEFAULT 0 CHECK (packed >= 0 AND packed <= reserved),
    shipped              INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    dropshipped          INTEGER NOT NULL DEFAULT 0 CHECK (dropshipped >= 0),
    invoiced             INTEGER NOT NULL DEFAULT 0 CHECK (invoiced >= 0 AND invoiced <= quantity),
    shortfall_at_confirm INTEGER NOT NULL DEFAULT 0 CHECK (shortfall_at_confirm >= 0),
    -- 1 while the order is confirmed or on hold and the line is not fully shipped/drop-shipped:
    -- such lines are "committed" and may wait for stock.
    open                 INTEGER NOT NULL DEFAULT 0 CHECK (open = 0 OR open = 1),
    CHECK (reserved + shipped + dropshipped <= quantity),
    UNIQUE (so_id, line_no)
) STRICT;
CREATE INDEX so_lines_item ON so_lines (item_id, warehouse_id);
-- covering: `committed` of an item is read from the index alone
CREATE INDEX so_lines_open ON so_lines (item_id, warehouse_id, quantity, shipped, dropshipped) WHERE open = 1;

CREATE TABLE packages (
    id           INTEGER PRIMARY KEY,
    so_id        INTEGER NOT NULL REFERENCES sales_orders (id),
    date         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'packed' CHECK ((status = 'packed' OR status = 'shipped')),
    shipped_date TEXT,
    CHECK ((status = 'shipped') = (shipped_date IS NOT NULL))
) STRICT;
CREATE INDEX packages_so ON packages (so_id);

CREATE TABLE package_lines (
    package_id INTEGER NOT NULL REFERENCES packages (id),
    so_line_id INTEGER NOT NULL REFERENCES so_lines (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (package_id, so_line_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE invoices (
    id         INTEGER PRIMARY KEY,
    so_id      INTEGER NOT NULL REFERENCES sales_orders (id),
    date       TEXT NOT NULL,
    subtotal   INTEGER NOT NULL,
    discount   INTEGER NOT NULL DEFAULT 0,
    tax        INTEGER NOT NULL DEFAULT 0,
    charges    INTEGER NOT NULL DEFAULT 0,
    adjustment INTEGER NOT NULL DEFAULT 0,
    tcs        INTEGER NOT NULL DEFAULT 0,
    total      INTEGER NOT NULL
) STRICT;
CREATE INDEX invoices_so ON invoices (so_id);

CREATE TABLE invoice_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    so_line_id INTEGER NOT NULL REFERENCES so_lines (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    amount     INTEGER NOT NULL,
    tax        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (invoice_id, so_line_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE purchase_orders (
    id              INTEGER PRIMARY KEY,
    vendor_id       INTEGER NOT NULL REFERENCES vendors (id),
    date            TEXT NOT NULL,
    expected_date   TEXT,
    deliver_to      TEXT NOT NULL CHECK ((deliver_to = 'warehouse' OR deliver_to = 'customer')),
    warehouse_id    INTEGER REFERENCES warehouses (id),
    customer_id     INTEGER REFERENCES customers (id),
    ship_to         TEXT NOT NULL DEFAULT '',
    is_backorder    INTEGER NOT NULL DEFAULT 0 CHECK (is_backorder = 0 OR is_backorder = 1),
    status          TEXT NOT NULL DEFAULT 'draft' CHECK ((status = 'draft' OR status = 'issued' OR status = 'closed' OR status = 'cancelled')),
    received_status TEXT NOT NULL DEFAULT 'not_received'
                    CHECK ((received_status = 'not_received' OR received_status = 'partially_received' OR received_status = 'received')),
    billed_status   TEXT NOT NULL DEFAULT 'not_billed'
                    CHECK ((billed_status = 'not_billed' OR billed_status = 'partially_billed' OR billed_status = 'billed')),
    subtotal        INTEGER NOT NULL DEFAULT 0,
    discount        INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0),
    tax             INTEGER NOT NULL DEFAULT 0,
    charges         INTEGER NOT NULL DEFAULT 0 CHECK (charges >= 0),
    adjustment      INTEGER NOT NULL DEFAULT 0,
    tcs_rate        INTEGER NOT NULL DEFAULT 0 CHECK (tcs_rate BETWEEN 0 AND 1000000),
    tcs             INTEGER NOT NULL DEFAULT 0,
    total           INTEGER NOT NULL DEFAULT 0,
    CHECK ((deliver_to = 'warehouse') = (warehouse_id IS NOT NULL)),
    CHECK (deliver_to = 'warehouse' OR customer_id IS NOT NULL)
) STRICT;
CREATE INDEX purchase_orders_vendor ON purchase_orders (vendor_id, date);
CREATE INDEX purchase_orders_status ON purchase_orders (status);

CREATE TABLE po_lines (
    id           INTEGER PRIMARY KEY,
    po_id        INTEGER NOT NULL REFERENCES purchase_orders (id),
    line_no      INTEGER NOT NULL CHECK (line_no > 0),
    item_id      INTEGER NOT NULL REFERENCES items (id),
    -- the PO's warehouse, or NULL for a drop shipment (kept here for the on-order index)
    warehouse_id INTEGER REFERENCES warehouses (id),
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    rate         INTEGER NOT NULL CHECK (rate >= 0),
    tax_rate     INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 1000000),
    amount       INTEGER NOT NULL DEFAULT 0,
    tax          INTEGER NOT NULL DEFAULT 0,
    received     INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
    billed       INTEGER NOT NULL DEFAULT 0 CHECK (billed >= 0),
    cancelled    INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
    CHECK (received + cancelled <= quantity),
    CHECK (billed + cancelled <= quantity),
    UNIQUE (po_id, line_no),
    UNIQUE (po_id, item_id)
) STRICT;
CREATE INDEX po_lines_item ON po_lines (item_id);
CREATE INDEX po_lines_on_order ON po_lines (item_id, warehouse_id, po_id, quantity, received, cancelled)
    WHERE warehouse_id IS NOT NULL AND received + cancelled < quantity;

-- One row per (sales-order line, purchase-order line): the units of that PO line ordered for that
-- SO line. Links, not counters, say what is backordered.
CREATE TABLE backorder_links (
    id         INTEGER PRIMARY KEY,
    so_line_id INTEGER NOT NULL REFERENCES so_lines (id),
    po_line_id INTEGER NOT NULL REFERENCES po_lines (id),
    kind       TEXT NOT NULL CHECK ((kind = 'warehouse' OR kind = 'dropship')),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    -- units delivered to the SO line: received into its reservation, or drop-shipped when billed
    delivered  INTEGER NOT NULL DEFAULT 0 CHECK (delivered >= 0),
    billed     INTEGER NOT NULL DEFAULT 0 CHECK (billed >= 0),
    cancelled  INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
    state      TEXT NOT NULL DEFAULT 'open' CHECK ((state = 'open' OR state = 'done' OR state = 'cancelled' OR state = 'surplus')),
    created    TEXT NOT NULL,
    -- the day units last reached the SO line, and the day the last of them did (received, or
    -- drop-shipped): backorder days run from confirmation to delivered_date
    last_delivery  TEXT,
    delivered_date TEXT,
    done_date  TEXT,
    CHECK (delivered + cancelled <= quantity),
    CHECK (billed + cancelled <= quantity),
    UNIQUE (so_line_id, po_line_id)
) STRICT;
CREATE INDEX backorder_links_po_line ON backorder_links (po_line_id, state, quantity, cancelled, delivered);

CREATE TABLE receipts (
    id    INTEGER PRIMARY KEY,
    po_id INTEGER NOT NULL REFERENCES purchase_orders (id),
    date  TEXT NOT NULL
) STRICT;
CREATE INDEX receipts_po ON receipts (po_id);

CREATE TABLE receipt_lines (
    receipt_id INTEGER NOT NULL REFERENCES receipts (id),
    po_line_id INTEGER NOT NULL REFERENCES po_lines (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (receipt_id, po_line_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE bills (
    id         INTEGER PRIMARY KEY,
    po_id      INTEGER NOT NULL REFERENCES purchase_orders (id),
    vendor_ref TEXT NOT NULL DEFAULT '',
    date       TEXT NOT NULL,
    due_date   TEXT,
    subtotal   INTEGER NOT NULL,
    discount   INTEGER NOT NULL DEFAULT 0,
    tax        INTEGER NOT NULL DEFAULT 0,
    charges    INTEGER NOT NULL DEFAULT 0,
    adjustment INTEGER NOT NULL DEFAULT 0,
    tcs_rate   INTEGER NOT NULL DEFAULT 0,
    tcs        INTEGER NOT NULL DEFAULT 0,
    total      INTEGER NOT NULL
) STRICT;
CREATE INDEX bills_po ON bills (po_id);

CREATE TABLE bill_lines (
    bill_id    INTEGER NOT NULL REFERENCES bills (id),
    po_line_id INTEGER NOT NULL REFERENCES po_lines (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    amount     INTEGER NOT NULL,
    tax        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bill_id, po_line_id)
) STRICT, WITHOUT ROWID;
