//! Hold and release (SPEC §3.5 rule 7): a sales order stays on hold while any of its backorder
//! links is pending; which links are pending depends on the `hold_release` setting.

use crate::num::Qty;
use crate::order::{str_enum, SoStatus};
use std::fmt;

str_enum!(
    /// The `hold_release` setting.
    HoldRelease {
        Billed = "billed",
        Received = "received",
        ReceivedAndBilled = "received_and_billed",
    }
);

str_enum!(
    /// A link's stored lifecycle.
    LinkState {
        Open = "open",
        Done = "done",
        Cancelled = "cancelled",
        Surplus = "surplus",
    }
);

/// The quantities of one backorder link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub dropship: bool,
    pub quantity: Qty,
    pub delivered: Qty,
    pub billed: Qty,
    pub cancelled: Qty,
    pub state: LinkState,
}

impl Link {
    /// What the link still stands for after cancellations.
    pub fn effective(&self) -> Qty {
        self.quantity.sub_floor0(self.cancelled)
    }
    /// Units ordered for the line and not yet delivered to it (they count as backordered).
    pub fn outstanding(&self) -> Qty {
        if self.state == LinkState::Open {
            self.effective().sub_floor0(self.delivered)
        } else {
            Qty::ZERO
        }
    }
    /// Delivered and billed in full: nothing more will happen to it.
    pub fn is_complete(&self) -> bool {
        self.delivered >= self.effective() && self.billed >= self.effective()
    }
}

/// Whether a link still holds its sales order under `rule`.
pub fn is_pending(rule: HoldRelease, l: &Link) -> bool {
    if l.state != LinkState::Open {
        return false;
    }
    let eff = l.effective();
    let received = l.delivered >= eff;
    let billed = l.billed >= eff;
    match rule {
        HoldRelease::Billed => !billed,
        // a drop shipment is delivered when billed
        HoldRelease::Received if l.dropship => !billed,
        HoldRelease::Received => !received,
        HoldRelease::ReceivedAndBilled => !(received && billed),
    }
}

/// The order's status once its links are considered: held while any link is pending (remembering
/// the status to return to), released to that status when none is.
pub fn apply_hold(
    status: SoStatus,
    held_from: Option<SoStatus>,
    any_pending: bool,
) -> (SoStatus, Option<SoStatus>) {
    match (status, any_pending) {
        (SoStatus::Draft | SoStatus::Void, _) => (status, None),
        (SoStatus::OnHold, true) => (SoStatus::OnHold, held_from.or(Some(SoStatus::Confirmed))),
        (SoStatus::OnHold, false) => (held_from.unwrap_or(SoStatus::Confirmed), None),
        (s, true) => (SoStatus::OnHold, Some(s)),
        (s, false) => (s, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Qty {
        Qty::from_raw(n * 1000)
    }
    fn link(dropship: bool, delivered: i64, billed: i64) -> Link {
        Link {
            dropship,
            quantity: q(5),
            delivered: q(delivered),
            billed: q(billed),
            cancelled: Qty::ZERO,
            state: LinkState::Open,
        }
    }

    #[test]
    fn pending_under_each_rule() {
        use HoldRelease::*;
        // (rule, dropship, delivered, billed, pending)
        let cases = [
            (Billed, false, 5, 0, true),
            (Billed, false, 0, 5, false),
            (Received, false, 5, 0, false),
            (Received, false, 4, 5, true),
            (Received, true, 0, 5, false),
            (Received, true, 0, 4, true),
            (ReceivedAndBilled, false, 5, 4, true),
            (ReceivedAndBilled, false, 5, 5, false),
        ];
        for (rule, ds, d, b, want) in cases {
            assert_eq!(
                is_pending(rule, &link(ds, d, b)),
                want,
                "{rule} ds={ds} d={d} b={b}"
            );
        }
    }

    #[test]
    fn cancelled_and_surplus_links_never_hold() {
        let mut l = link(false, 0, 0);
        l.state = LinkState::Cancelled;
        assert!(!is_pending(HoldRelease::Billed, &l));
        l.state = LinkState::Surplus;
        assert!(!is_pending(HoldRelease::ReceivedAndBilled, &l));
        let mut partly = link(false, 2, 2);
        partly.cancelled = q(3);
        assert!(!is_pending(HoldRelease::ReceivedAndBilled, &partly));
        assert_eq!(partly.outstanding(), Qty::ZERO);
    }

    #[test]
    fn hold_and_release_return_to_the_remembered_status() {
        use SoStatus::*;
        assert_eq!(apply_hold(Confirmed, None, true), (OnHold, Some(Confirmed)));
        assert_eq!(
            apply_hold(OnHold, Some(Confirmed), true),
            (OnHold, Some(Confirmed))
        );
        assert_eq!(
            apply_hold(OnHold, Some(Fulfilled), false),
            (Fulfilled, None)
        );
        assert_eq!(apply_hold(Confirmed, None, false), (Confirmed, None));
        assert_eq!(apply_hold(Void, None, true), (Void, None));
    }
}
