//! `so package`: a package takes reserved quantity of a confirmed order (SPEC §3.3).

use crate::exit::UserError;
use crate::ops::effects::{get_so, refuse_if_on_hold};
use crate::repo::Db;
use anyhow::Result;
use stockroom_core::{Date, DocKind, DocNumber, Qty, SoStatus};

/// Packs `items` (SKU, quantity), or by default everything reserved and not yet packed.
pub fn so_package(
    db: &mut Db,
    number: DocNumber,
    items: &[(String, Qty)],
    date: Date,
) -> Result<DocNumber> {
    db.write(|c| {
        let so = get_so(c, number)?;
        refuse_if_on_hold(c, &so, "packages")?;
        if so.status != SoStatus::Confirmed {
            return Err(UserError::refused(format!(
                "{number} is {}; only a confirmed order can be packed",
                so.status
            ))
            .into());
        }
        let mut lines = c.so_lines(so.id)?;
        let mut picks: Vec<(usize, Qty)> = Vec::new();
        if items.is_empty() {
            for (i, l) in lines.iter().enumerate() {
                let q = l.reserved - l.packed;
                if q.is_positive() {
                    picks.push((i, q));
                }
            }
            if picks.is_empty() {
                return Err(UserError::refused(format!(
                    "{number} has nothing reserved to pack; see `stockroom so show {number}`"
                ))
                .into());
            }
        } else {
            for (sku, want) in items {
                let mut left = *want;
                for (i, l) in lines.iter().enumerate() {
                    if l.sku.eq_ignore_ascii_case(sku) && left.is_positive() {
                        let already: Qty = picks.iter().filter(|p| p.0 == i).map(|p| p.1).sum();
                        let q = (l.reserved - l.packed - already).min(left);
                        if q.is_positive() {
                            picks.push((i, q));
                            left -= q;
                        }
                    }
                }
                if !lines.iter().any(|l| l.sku.eq_ignore_ascii_case(sku)) {
                    return Err(UserError::not_found(format!("{number} has no line for {sku}")).into());
                }
                if left.is_positive() {
                    let packable: Qty = lines
                        .iter()
                        .filter(|l| l.sku.eq_ignore_ascii_case(sku))
                        .map(|l| l.reserved - l.packed)
                        .sum();
                    return Err(UserError::refused(format!(
                        "{number}: only {packable} of {sku} is reserved and not yet packed, {want} was asked"
                    ))
                    .into());
                }
            }
        }
        let mut pkg_lines = Vec::new();
        for (i, q) in &picks {
            let l = &mut lines[*i];
            l.packed += *q;
            c.update_so_line(l)?;
            pkg_lines.push((l.id, *q));
        }
        let id = c.insert_package(so.id, date, &pkg_lines)?;
        let pkg = DocNumber::new(DocKind::Package, id);
        let detail: Vec<String> = picks.iter().map(|(i, q)| format!("{} {q}", lines[*i].sku)).collect();
        c.event(&number.to_string(), "packed", &format!("{pkg}: {}", detail.join(", ")))?;
        c.event(&pkg.to_string(), "created", &format!("for {number}: {}", detail.join(", ")))?;
        Ok(pkg)
    })
}
