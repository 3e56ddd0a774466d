-- Stockroom database schema: the schema of a NEW database, embedded in the binary.
-- Older files are carried forward by the migrations in src/repo/migrations/ (one transaction, on
-- open); PRAGMA user_version holds the schema version. Quantities are INTEGER thousandths of a
-- unit, money INTEGER hundredths, percentages INTEGER ten-thousandths: never REAL or NUMERIC.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE warehouses (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 32),
    name    TEXT NOT NULL CHECK (length(name) > 0),
    address TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE vendors (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
    email          TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    lead_time_days INTEGER CHECK (lead_time_days IS NULL OR lead_time_days BETWEEN 0 AND 3650)
) STRICT;

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
    email            TEXT NOT NULL DEFAULT '',
    billing_address  TEXT NOT NULL DEFAULT '',
    shipping_address TEXT NOT NULL DEFAULT '',
    pan              TEXT
) STRICT;

CREATE TABLE items (
    id            INTEGER PRIMARY KEY,
    sku           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(sku) BETWEEN 1 AND 64),
    name          TEXT NOT NULL CHECK (length(name) > 0),
    unit          TEXT NOT NULL DEFAULT 'pcs' CHECK (length(unit) > 0),
    rate          INTEGER NOT NULL CHECK (rate >= 0),
    purchase_rate INTEGER NOT NULL CHECK (purchase_rate >= 0),
    vendor_id     INTEGER REFERENCES vendors (id),
    reorder_level INTEGER CHECK (reorder_level IS NULL OR reorder_level >= 0)
) STRICT;
CREATE INDEX items_vendor ON items (vendor_id);

-- Balance per item and warehouse, kept in step with `movements` (on_hand = their sum) and with the
-- reservations of sales-order lines in the same transaction; `doctor` recomputes both.
CREATE TABLE stock (
    item_id      INTEGER NOT NULL REFERENCES items (id),
    warehouse_id INTEGER NOT NULL REFERENCES warehouses (id),
    on_hand      INTEGER NOT NULL DEFAULT 0,
    reserved     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, warehouse_id),
    CHECK (reserved >= 0 AND reserved <= on_hand)
) STRICT, WITHOUT ROWID;
CREATE INDEX stock_warehouse ON stock (warehouse_id);

CREATE TABLE movements (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES items (id),
    warehouse_id INTEGER NOT NULL REFERENCES warehouses (id),
    kind         TEXT NOT NULL CHECK (kind IN ('opening', 'adjustment', 'receipt', 'shipment')),
    qty          INTEGER NOT NULL CHECK (qty <> 0),
    date         TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason       TEXT NOT NULL DEFAULT '',
    doc          TEXT
) STRICT;
CREATE INDEX movements_item ON movements (item_id, warehouse_id);

-- Append-only story of every change: who, when, which command, which document, what changed.
CREATE TABLE events (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    os_user TEXT NOT NULL,
    command TEXT NOT NULL,
    doc     TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX events_doc ON events (doc COLLATE NOCASE, id);

PRAGMA user_version = 1;
