//! What an on-hold order waits for, in words, from its pending backorder links.

use crate::repo::Conn;
use anyhow::Result;
use stockroom_core::hold::{is_pending, HoldRelease};
use stockroom_core::{DocKind, DocNumber};

/// The `hold_release` setting.
pub fn rule(c: &Conn) -> Result<HoldRelease> {
    let v = c.setting("hold_release")?;
    HoldRelease::parse(&v)
        .ok_or_else(|| anyhow::anyhow!("the stored hold_release setting '{v}' is unknown"))
}

/// "PO-00004 is billed" / "PO-00004 and PO-00007 are billed".
pub fn waiting_for(c: &Conn, so_id: i64) -> Result<String> {
    let rule = rule(c)?;
    let mut pos: Vec<String> = c
        .links_of_so(so_id)?
        .iter()
        .filter(|l| is_pending(rule, &l.link))
        .map(|l| DocNumber::new(DocKind::PurchaseOrder, l.po_id).to_string())
        .collect();
    pos.sort();
    pos.dedup();
    let verb = match rule {
        HoldRelease::Received => "received",
        HoldRelease::ReceivedAndBilled => "received and billed",
        HoldRelease::Billed => "billed",
    };
    Ok(match pos.len() {
        0 => "its backorders are settled".to_string(),
        1 => format!("{} is {verb}", pos[0]),
        _ => format!("{} are {verb}", pos.join(" and ")),
    })
}
