//! Master data writes: settings, warehouses, vendors, customers, items.

use crate::exit::UserError;
use crate::ops::effects::refresh_so;
use crate::repo::{Customer, Db, Item, NewItem, Vendor, Warehouse};
use anyhow::Result;
use stockroom_core::{DocKind, DocNumber, SoStatus};

/// `config set KEY VALUE`: the value is already validated by the core. A new `hold_release` rule applies to the orders already waiting, in the same
/// transaction: each order on hold or with an open backorder link is held or released under it.
/// Returns the orders whose status changed.
pub fn config_set(db: &mut Db, key: &str, value: &str) -> Result<Vec<(DocNumber, SoStatus)>> {
    db.write(|c| {
        let old = c.setting(key)?;
        c.set_setting(key, value)?;
        c.event("config", "set", &format!("{key}: '{old}' -> '{value}'"))?;
        let mut changed = Vec::new();
        if key == "hold_release" && old != value {
            for id in c.list_so_ids_held_or_linked()? {
                let before = c.find_sales_order(id)?.map(|s| s.status);
                let after = refresh_so(c, id)?.status;
                if before != Some(after) {
                    changed.push((DocNumber::new(DocKind::SalesOrder, id), after));
                }
            }
        }
        Ok(changed)
    })
}

pub fn warehouse_add(db: &mut Db, code: &str, name: &str, address: &str) -> Result<Warehouse> {
    db.write(|c| {
        if c.find_warehouse(code)?.is_some() {
            return Err(UserError::refused(format!(
                "warehouse {code} already exists; see `stockroom warehouse list`"
            ))
            .into());
        }
        let id = c.insert_warehouse(code, name, address)?;
        c.event(&format!("warehouse:{code}"), "created", name)?;
        Ok(Warehouse {
            id,
            code: code.to_string(),
            name: name.to_string(),
            address: address.to_string(),
        })
    })
}

pub fn vendor_add(db: &mut Db, mut v: Vendor) -> Result<Vendor> {
    db.write(|c| {
        if let Some(existing) = c.find_vendor(&v.name)? {
            return Err(UserError::refused(format!(
                "vendor '{}' already exists; see `stockroom vendor show '{}'`",
                existing.name, existing.name
            ))
            .into());
        }
        v.id = c.insert_vendor(&v)?;
        c.event(&format!("vendor:{}", v.name), "created", &v.email)?;
        Ok(v)
    })
}

pub fn customer_add(db: &mut Db, mut cu: Customer) -> Result<Customer> {
    db.write(|c| {
        if let Some(existing) = c.find_customer(&cu.name)? {
            return Err(UserError::refused(format!(
                "customer '{}' already exists; see `stockroom customer show '{}'`",
                existing.name, existing.name
            ))
            .into());
        }
        cu.id = c.insert_customer(&cu)?;
        c.event(&format!("customer:{}", cu.name), "created", &cu.email)?;
        Ok(cu)
    })
}

/// `item add`: the vendor (by name) must exist; the SKU must be new. The item gets a zero balance
/// in the default warehouse so it shows in `stock list` at once.
pub fn item_add(db: &mut Db, item: NewItemByName) -> Result<Item> {
    db.write(|c| {
        let vendor_id = match &item.vendor {
            Some(name) => Some(c.get_vendor(name)?.id),
            None => None,
        };
        if let Some(existing) = c.find_item(&item.sku)? {
            return Err(UserError::refused(format!(
                "item {} already exists; see `stockroom item show {}`",
                existing.sku, existing.sku
            ))
            .into());
        }
        let new = NewItem {
            sku: item.sku.clone(),
            name: item.name.clone(),
            unit: item.unit.clone(),
            rate: item.rate,
            purchase_rate: item.purchase_rate,
            vendor_id,
            reorder_level: item.reorder_level,
        };
        let id = c.insert_item(&new)?;
        if let Some(main) = c.find_warehouse("MAIN")? {
            c.ensure_balance(id, main.id)?;
        }
        c.event(&item.sku, "created", &item.name)?;
        c.find_item(&item.sku)?
            .ok_or_else(|| anyhow::anyhow!("item {} vanished after insert", item.sku))
    })
}

/// An item as typed: the vendor by name.
#[derive(Debug, Clone)]
pub struct NewItemByName {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub rate: stockroom_core::Money,
    pub purchase_rate: stockroom_core::Money,
    pub vendor: Option<String>,
    pub reorder_level: Option<stockroom_core::Qty>,
}

/// What `item edit` changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ItemChanges {
    pub name: Option<String>,
    pub unit: Option<String>,
    pub rate: Option<stockroom_core::Money>,
    pub purchase_rate: Option<stockroom_core::Money>,
    /// `Some(None)` removes the preferred vendor.
    pub vendor: Option<Option<String>>,
    /// `Some(None)` removes the reorder level.
    pub reorder_level: Option<Option<stockroom_core::Qty>>,
}

/// `item edit`: changes an item's master data (documents already made keep their own rates).
pub fn item_edit(db: &mut Db, sku: &str, ch: &ItemChanges) -> Result<Item> {
    db.write(|c| {
        let old = c.get_item(sku)?;
        let vendor_id = match &ch.vendor {
            None => old.vendor_id,
            Some(None) => None,
            Some(Some(name)) => Some(
                c.get_vendor(name)?
                    .id,
            ),
        };
        let new = NewItem {
            sku: old.sku.clone(),
            name: ch.name.clone().unwrap_or_else(|| old.name.clone()),
            unit: ch.unit.clone().unwrap_or_else(|| old.unit.clone()),
            rate: ch.rate.unwrap_or(old.rate),
            purchase_rate: ch.purchase_rate.unwrap_or(old.purchase_rate),
            vendor_id,
            reorder_level: ch.reorder_level.unwrap_or(old.reorder_level),
        };
        c.update_item(old.id, &new)?;
        let item = c
            .find_item(&old.sku)?
            .ok_or_else(|| anyhow::anyhow!("item {} vanished", old.sku))?;
        let mut diffs = Vec::new();
        let mut diff = |what: &str, a: String, b: String| {
            if a != b {
                diffs.push(format!("{what}: '{a}' -> '{b}'"));
            }
        };
        diff("name", old.name, item.name.clone());
        diff("unit", old.unit, item.unit.clone());
        diff("rate", old.rate.to_string(), item.rate.to_string());
        diff("purchase_rate", old.purchase_rate.to_string(), item.purchase_rate.to_string());
        diff("vendor", old.vendor.unwrap_or_default(), item.vendor.clone().unwrap_or_default());
        diff(
            "reorder_level",
            old.reorder_level.map(|q| q.to_string()).unwrap_or_default(),
            item.reorder_level.map(|q| q.to_string()).unwrap_or_default(),
        );
        if diffs.is_empty() {
            return Err(UserError::usage("nothing to change: give --name, --rate, --purchase-rate, --unit, --vendor, --no-vendor, --reorder-level or --no-reorder-level").into());
        }
        c.event(&item.sku, "edited", &diffs.join("; "))?;
        Ok(item)
    })
}
