//! `so ship SO|PKG`: packed stock leaves the warehouse: out of on-hand and reserved, into shipped.

use crate::exit::UserError;
use crate::ops::effects::{get_so, refresh_so, reserve};
use crate::repo::{Db, Movement, MovementKind};
use anyhow::Result;
use stockroom_core::{Date, DocKind, DocNumber};

/// Ships one package, or every packed package of an order. Returns the packages shipped.
pub fn so_ship(db: &mut Db, target: DocNumber, date: Date) -> Result<(DocNumber, Vec<DocNumber>)> {
    db.write(|c| {
        let (so_id, only) = match target.kind {
            DocKind::Package => {
                let so_id = c.find_package_so(target.id)?.ok_or_else(|| {
                    UserError::not_found(format!("no package {target}; see `stockroom so show SO-…`"))
                })?;
                (so_id, Some(target.id))
            }
            DocKind::SalesOrder => (target.id, None),
            _ => {
                return Err(UserError::usage(format!(
                    "{target} is neither a sales order nor a package; give SO-… or PKG-…"
                ))
                .into())
            }
        };
        let number = DocNumber::new(DocKind::SalesOrder, so_id);
        let _so = get_so(c, number)?;
        let packages: Vec<_> = c
            .list_packages(so_id)?
            .into_iter()
            .filter(|p| only.is_none_or(|id| p.id == id))
            .collect();
        if let Some(p) = packages.iter().find(|p| p.shipped && only.is_some()) {
            return Err(UserError::refused(format!(
                "{} was already shipped on {}",
                DocNumber::new(DocKind::Package, p.id),
                p.shipped_date.map(|d| d.to_string()).unwrap_or_default()
            ))
            .into());
        }
        let to_ship: Vec<_> = packages.into_iter().filter(|p| !p.shipped).collect();
        if to_ship.is_empty() {
            return Err(UserError::refused(format!(
                "{number} has no packed, unshipped package; pack first with `stockroom so package {number}`"
            ))
            .into());
        }
        let mut shipped = Vec::new();
        for p in &to_ship {
            let pkg = DocNumber::new(DocKind::Package, p.id);
            let pkg_s = pkg.to_string();
            for (line_id, q) in &p.lines {
                let mut line = c.get_so_line(*line_id)?;
                line.packed -= *q;
                line.shipped += *q;
                // reserved first, then on hand: the balance row never shows reserved > on hand
                reserve(c, &mut line, -*q)?;
                c.insert_movement(&Movement {
                    item_id: line.item_id,
                    warehouse_id: line.warehouse_id,
                    kind: MovementKind::Shipment,
                    qty: -*q,
                    date,
                    reason: "shipment",
                    doc: Some(&pkg_s),
                })?;
            }
            c.mark_package_shipped(p.id, date)?;
            c.event(&pkg_s, "shipped", &format!("on {date}"))?;
            c.event(&number.to_string(), "shipped", &format!("{pkg_s} on {date}"))?;
            shipped.push(pkg);
        }
        refresh_so(c, so_id)?;
        Ok((number, shipped))
    })
}
