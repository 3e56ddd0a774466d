//! Master data: settings, warehouses, vendors, customers, items.

use super::{opt, Conn};
use crate::exit::UserError;
use anyhow::Result;
use rusqlite::Row;
use stockroom_core::ident::excerpt;
use stockroom_core::{Money, Qty};

#[derive(Debug, Clone)]
pub struct Warehouse {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub address: String,
}

#[derive(Debug, Clone)]
pub struct Vendor {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub address: String,
    pub lead_time_days: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub billing_address: String,
    pub shipping_address: String,
    pub pan: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub rate: Money,
    pub purchase_rate: Money,
    pub vendor_id: Option<i64>,
    pub vendor: Option<String>,
    pub reorder_level: Option<Qty>,
}

/// A new item as validated by the use case.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub rate: Money,
    pub purchase_rate: Money,
    pub vendor_id: Option<i64>,
    pub reorder_level: Option<Qty>,
}

fn warehouse(r: &Row) -> rusqlite::Result<Warehouse> {
    Ok(Warehouse {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        address: r.get(3)?,
    })
}

fn vendor(r: &Row) -> rusqlite::Result<Vendor> {
    Ok(Vendor {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        address: r.get(3)?,
        lead_time_days: r.get(4)?,
    })
}

fn customer(r: &Row) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        billing_address: r.get(3)?,
        shipping_address: r.get(4)?,
        pan: r.get(5)?,
    })
}

const ITEM_COLS: &str =
    "i.id, i.sku, i.name, i.unit, i.rate, i.purchase_rate, i.vendor_id, v.name, i.reorder_level \
     FROM items i LEFT JOIN vendors v ON v.id = i.vendor_id";

fn item(r: &Row) -> rusqlite::Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        sku: r.get(1)?,
        name: r.get(2)?,
        unit: r.get(3)?,
        rate: Money::from_raw(r.get(4)?),
        purchase_rate: Money::from_raw(r.get(5)?),
        vendor_id: r.get(6)?,
        vendor: r.get(7)?,
        reorder_level: r.get::<_, Option<i64>>(8)?.map(Qty::from_raw),
    })
}

impl Conn<'_> {
    // ---- lookups that must succeed: one "not found" (exit 4) message each ----

    pub fn get_vendor(&self, name: &str) -> Result<Vendor> {
        self.find_vendor(name)?.ok_or_else(|| {
            UserError::not_found(format!(
                "no vendor named '{}'; see `stockroom vendor list` or add it with `stockroom vendor add`",
                excerpt(name)
            ))
            .into()
        })
    }

    pub fn get_customer(&self, name: &str) -> Result<Customer> {
        self.find_customer(name)?.ok_or_else(|| {
            UserError::not_found(format!(
                "no customer named '{}'; see `stockroom customer list` or add it with `stockroom customer add`",
                excerpt(name)
            ))
            .into()
        })
    }

    pub fn get_item(&self, sku: &str) -> Result<Item> {
        self.find_item(sku)?.ok_or_else(|| {
            UserError::not_found(format!(
                "no item with SKU '{}'; see `stockroom item list` or add it with `stockroom item add`",
                excerpt(sku)
            ))
            .into()
        })
    }

    pub fn get_warehouse(&self, code: &str) -> Result<Warehouse> {
        self.find_warehouse(code)?.ok_or_else(|| {
            UserError::not_found(format!(
                "no warehouse '{}'; see `stockroom warehouse list`",
                excerpt(code)
            ))
            .into()
        })
    }

    // ---- settings ----

    pub fn find_setting(&self, key: &str) -> Result<Option<String>> {
        let mut st = self
            .c
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
        Ok(opt(st.query_row([key], |r| r.get(0)))?)
    }

    /// A setting's stored value, or its default.
    pub fn setting(&self, key: &str) -> Result<String> {
        match self.find_setting(key)? {
            Some(v) => Ok(v),
            None => Ok(stockroom_core::settings::find(key)?.default.to_string()),
        }
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.c.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )?;
        Ok(())
    }

    // ---- warehouses ----

    pub fn find_warehouse(&self, code: &str) -> Result<Option<Warehouse>> {
        let mut st = self
            .c
            .prepare_cached("SELECT id, code, name, address FROM warehouses WHERE code = ?1")?;
        Ok(opt(st.query_row([code], warehouse))?)
    }

    pub fn list_warehouses(&self) -> Result<Vec<Warehouse>> {
        self.collect(
            "SELECT id, code, name, address FROM warehouses ORDER BY code",
            [],
            warehouse,
        )
    }

    pub fn insert_warehouse(&self, code: &str, name: &str, address: &str) -> Result<i64> {
        self.c.execute(
            "INSERT INTO warehouses (code, name, address) VALUES (?1, ?2, ?3)",
            (code, name, address),
        )?;
        Ok(self.c.last_insert_rowid())
    }

    // ---- vendors ----

    pub fn find_vendor(&self, name: &str) -> Result<Option<Vendor>> {
        let mut st = self.c.prepare_cached(
            "SELECT id, name, email, address, lead_time_days FROM vendors WHERE name = ?1",
        )?;
        Ok(opt(st.query_row([name.trim()], vendor))?)
    }

    pub fn get_vendor_by_id(&self, id: i64) -> Result<Vendor> {
        let mut st = self.c.prepare_cached(
            "SELECT id, name, email, address, lead_time_days FROM vendors WHERE id = ?1",
        )?;
        Ok(st.query_row([id], vendor)?)
    }

    pub fn list_vendors(&self) -> Result<Vec<Vendor>> {
        self.collect(
            "SELECT id, name, email, address, lead_time_days FROM vendors ORDER BY name",
            [],
            vendor,
        )
    }

    pub fn insert_vendor(&self, v: &Vendor) -> Result<i64> {
        self.c.execute(
            "INSERT INTO vendors (name, email, address, lead_time_days) VALUES (?1, ?2, ?3, ?4)",
            (&v.name, &v.email, &v.address, v.lead_time_days),
        )?;
        Ok(self.c.last_insert_rowid())
    }

    // ---- customers ----

    pub fn find_customer(&self, name: &str) -> Result<Option<Customer>> {
        let mut st = self.c.prepare_cached(
            "SELECT id, name, email, billing_address, shipping_address, pan FROM customers WHERE name = ?1",
        )?;
        Ok(opt(st.query_row([name.trim()], customer))?)
    }

    pub fn get_customer_by_id(&self, id: i64) -> Result<Customer> {
        let mut st = self.c.prepare_cached(
            "SELECT id, name, email, billing_address, shipping_address, pan FROM customers WHERE id = ?1",
        )?;
        Ok(st.query_row([id], customer)?)
    }

    pub fn list_customers(&self) -> Result<Vec<Customer>> {
        self.collect("SELECT id, name, email, billing_address, shipping_address, pan FROM customers ORDER BY name", [], customer)
    }

    pub fn insert_customer(&self, c: &Customer) -> Result<i64> {
        self.c.execute(
            "INSERT INTO customers (name, email, billing_address, shipping_address, pan) VALUES (?1, ?2, ?3, ?4, ?5)",
            (&c.name, &c.email, &c.billing_address, &c.shipping_address, &c.pan),
        )?;
        Ok(self.c.last_insert_rowid())
    }

    // ---- items ----

    pub fn find_item(&self, sku: &str) -> Result<Option<Item>> {
        let mut st = self
            .c
            .prepare_cached(&format!("SELECT {ITEM_COLS} WHERE i.sku = ?1"))?;
        Ok(opt(st.query_row([sku.trim()], item))?)
    }

    /// Streams every item in SKU order.
    pub fn for_each_item(&self, mut f: impl FnMut(Item) -> Result<()>) -> Result<()> {
        let mut st = self
            .c
            .prepare_cached(&format!("SELECT {ITEM_COLS} ORDER BY i.sku"))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            f(item(r)?)?;
        }
        Ok(())
    }

    pub fn update_item(&self, id: i64, i: &NewItem) -> Result<()> {
        self.c.execute(
            "UPDATE items SET name = ?2, unit = ?3, rate = ?4, purchase_rate = ?5, vendor_id = ?6, reorder_level = ?7 WHERE id = ?1",
            rusqlite::params![
                id,
                i.name,
                i.unit,
                i.rate.raw(),
                i.purchase_rate.raw(),
                i.vendor_id,
                i.reorder_level.map(Qty::raw)
            ],
        )?;
        Ok(())
    }

    pub fn insert_item(&self, i: &NewItem) -> Result<i64> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO items (sku, name, unit, rate, purchase_rate, vendor_id, reorder_level) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        st.execute((
            &i.sku,
            &i.name,
            &i.unit,
            i.rate.raw(),
            i.purchase_rate.raw(),
            i.vendor_id,
            i.reorder_level.map(Qty::raw),
        ))?;
        Ok(self.c.last_insert_rowid())
    }
}
