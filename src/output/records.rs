//! The records each noun is shown as: field names and cell types, shared by table, CSV and JSON.

use super::{Record, Value};
use crate::repo::{Customer, Event, Item, StockRow, Vendor, Warehouse};

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
        .with("lead_time_days", v.lead_time_days.map_or(Value::Null, Value::Int))
}

pub const CUSTOMER_COLUMNS: &[&str] = &["name", "email", "billing_address", "shipping_address", "pan"];

pub fn customer(c: &Customer) -> Record {
    Record::new()
        .with("name", Value::text(&c.name))
        .with("email", Value::text(&c.email))
        .with("billing_address", Value::text(&c.billing_address))
        .with("shipping_address", Value::text(&c.shipping_address))
        .with("pan", Value::opt_text(c.pan.clone()))
}

pub const ITEM_COLUMNS: &[&str] = &["sku", "name", "unit", "rate", "purchase_rate", "vendor", "reorder_level"];

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
