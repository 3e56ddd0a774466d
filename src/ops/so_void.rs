//! `so void`: only a draft or confirmed order with nothing packed, shipped or invoiced. Its
//! reservations go back to waiting orders; its open backorder links become surplus (the POs stay,
//! their goods become ordinary stock) and every affected PO is reported (SPEC §3.7).

use crate::exit::UserError;
use crate::ops::effects::{allocate_free, get_so, refresh_so, reserve, settle_link, Allocation};
use crate::repo::Db;
use anyhow::Result;
use std::collections::BTreeSet;
use stockroom_core::hold::LinkState;
use stockroom_core::{DocKind, DocNumber, SoStatus};

#[derive(Debug, Clone)]
pub struct VoidReport {
    pub so: DocNumber,
    pub reallocated: Vec<Allocation>,
    pub surplus_pos: Vec<DocNumber>,
}

pub fn so_void(db: &mut Db, number: DocNumber) -> Result<VoidReport> {
    db.write(|c| {
        let mut so = get_so(c, number)?;
        if !matches!(
            so.status,
            SoStatus::Draft | SoStatus::Confirmed | SoStatus::OnHold
        ) {
            return Err(UserError::refused(format!(
                "{number} is {}; only a draft or confirmed order can be voided",
                so.status
            ))
            .into());
        }
        let lines = c.so_lines(so.id)?;
        let busy = lines.iter().any(|l| {
            l.packed.is_positive()
                || l.shipped.is_positive()
                || l.dropshipped.is_positive()
                || l.invoiced.is_positive()
        }) || !c.list_packages(so.id)?.is_empty();
        if busy {
            return Err(UserError::refused(format!(
                "{number} already has packages, shipments or invoices; it cannot be voided"
            ))
            .into());
        }
        let mut touched = Vec::new();
        for mut l in lines {
            let r = l.reserved;
            l.open = false;
            reserve(c, &mut l, -r)?;
            touched.push((l.item_id, l.warehouse_id));
        }
        // Units already received for this order's links were ordered on a PO line that other
        // orders may wait on too: they go to those links first, as if the receipt had gone there.
        let mut handed = Vec::new();
        let mut others_touched = BTreeSet::new();
        for mut mine in c.links_of_so(so.id)? {
            if mine.link.state != LinkState::Open
                || mine.link.dropship
                || mine.link.delivered.is_zero()
            {
                continue;
            }
            let mut others = c.links_of_po_line(mine.po_line_id)?;
            others.retain(|o| {
                o.so_id != so.id && o.link.state == LinkState::Open && !o.link.dropship
            });
            others.sort_by_key(|o| o.key);
            for o in &mut others {
                let x = o.link.outstanding().min(mine.link.delivered);
                if !x.is_positive() {
                    continue;
                }
                mine.link.delivered -= x;
                o.link.delivered += x;
                if o.last_delivery.is_none() {
                    o.last_delivery = mine.last_delivery;
                }
                settle_link(c, o, mine.last_delivery.unwrap_or(so.date))?;
                c.update_link(&mine)?;
                let mut line = c.get_so_line(o.so_line_id)?;
                reserve(c, &mut line, x)?;
                let other = DocNumber::new(DocKind::SalesOrder, o.so_id);
                c.event(
                    &other.to_string(),
                    "backorder received",
                    &format!(
                        "{} +{x} reserved (received for {number}, which was voided)",
                        o.sku
                    ),
                )?;
                handed.push(Allocation {
                    so: other,
                    sku: o.sku.clone(),
                    qty: x,
                });
                others_touched.insert(o.so_id);
            }
        }
        let surplus_pos = c.surplus_links_of_so(so.id)?;
        so.status = SoStatus::Void;
        so.held_from = None;
        c.update_so_status(&so)?;
        let pos: Vec<DocNumber> = surplus_pos
            .into_iter()
            .map(|id| DocNumber::new(DocKind::PurchaseOrder, id))
            .collect();
        let mut detail = "voided; reservations released".to_string();
        if !pos.is_empty() {
            let list: Vec<String> = pos.iter().map(ToString::to_string).collect();
            detail.push_str(&format!(
                "; backorder links on {} are now surplus",
                list.join(", ")
            ));
        }
        c.event(&number.to_string(), "voided", &detail)?;
        for po in &pos {
            c.event(
                &po.to_string(),
                "links surplus",
                &format!("{number} was voided"),
            )?;
        }
        touched.sort_unstable();
        touched.dedup();
        let mut reallocated = handed;
        for (item, wh) in touched {
            reallocated.extend(allocate_free(c, item, wh)?);
        }
        for id in others_touched {
            refresh_so(c, id)?;
        }
        Ok(VoidReport {
            so: number,
            reallocated,
            surplus_pos: pos,
        })
    })
}
