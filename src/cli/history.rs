//! `stockroom history DOC`: the event log of a document, an item (by SKU), a vendor, a customer
//! or a warehouse (`vendor:NAME`, `customer:NAME`, `warehouse:CODE`), or `config`.

use crate::app::App;
use crate::exit::UserError;
use crate::output;
use anyhow::Result;
use clap::Args;
use stockroom_core::DocNumber;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// SO-00001, PO-00001, an item SKU, vendor:NAME, customer:NAME, warehouse:CODE or config
    pub doc: String,
}

pub fn run(app: &App, a: HistoryArgs) -> Result<()> {
    let db = app.open()?;
    let c = db.conn();
    let key = if let Ok(d) = a.doc.parse::<DocNumber>() {
        d.to_string()
    } else if let Some(item) = c.find_item(&a.doc)? {
        item.sku
    } else if let Some(v) = c.find_vendor(&a.doc)? {
        format!("vendor:{}", v.name)
    } else if let Some(cu) = c.find_customer(&a.doc)? {
        format!("customer:{}", cu.name)
    } else {
        a.doc.trim().to_string()
    };
    let mut events = Vec::new();
    c.for_each_event(&key, |e| {
        events.push(output::event(&e));
        Ok(())
    })?;
    if events.is_empty() {
        return Err(UserError::not_found(format!(
            "nothing recorded for '{}'; give a document number (SO-00001), a SKU, vendor:NAME, customer:NAME, warehouse:CODE or config",
            a.doc
        ))
        .into());
    }
    app.out()?.records(output::EVENT_COLUMNS, events)
}
