//! Purchase-order statuses and the quantities that decide them (SPEC §3.4): `closed` when every
//! line is fully received (or drop-shipped) and fully billed, counting what was cancelled.

use crate::num::Qty;
use crate::order::str_enum;
use std::fmt;

str_enum!(
    /// Status of a purchase order.
    PoStatus {
        Draft = "draft",
        Issued = "issued",
        Closed = "closed",
        Cancelled = "cancelled",
    }
);

str_enum!(
    ReceivedStatus {
        NotReceived = "not_received",
        PartiallyReceived = "partially_received",
        Received = "received",
    }
);

str_enum!(
    BilledStatus {
        NotBilled = "not_billed",
        PartiallyBilled = "partially_billed",
        Billed = "billed",
    }
);

/// The quantities of one PO line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoLineProgress {
    pub quantity: Qty,
    pub received: Qty,
    pub billed: Qty,
    pub cancelled: Qty,
}

impl PoLineProgress {
    pub fn to_receive(&self) -> Qty {
        self.quantity.sub_floor0(self.received + self.cancelled)
    }
    pub fn to_bill(&self) -> Qty {
        self.quantity.sub_floor0(self.billed + self.cancelled)
    }
}

/// Received and billed status; for a drop shipment "received" follows billing (delivery).
pub fn statuses(lines: &[PoLineProgress], dropship: bool) -> (ReceivedStatus, BilledStatus) {
    let wanted: Qty = lines
        .iter()
        .map(|l| l.quantity.sub_floor0(l.cancelled))
        .sum();
    let received: Qty = lines
        .iter()
        .map(|l| if dropship { l.billed } else { l.received })
        .sum();
    let billed: Qty = lines.iter().map(|l| l.billed).sum();
    let rs = if received.is_zero() {
        ReceivedStatus::NotReceived
    } else if received >= wanted {
        ReceivedStatus::Received
    } else {
        ReceivedStatus::PartiallyReceived
    };
    let bs = if billed.is_zero() {
        BilledStatus::NotBilled
    } else if billed >= wanted {
        BilledStatus::Billed
    } else {
        BilledStatus::PartiallyBilled
    };
    (rs, bs)
}

/// The status after quantities changed: an issued PO closes when received (or drop-shipped) and
/// billed in full.
pub fn status_after(status: PoStatus, lines: &[PoLineProgress], dropship: bool) -> PoStatus {
    if status != PoStatus::Issued {
        return status;
    }
    let done = lines.iter().all(|l| {
        let wanted = l.quantity.sub_floor0(l.cancelled);
        (dropship || l.received >= wanted) && l.billed >= wanted
    });
    if done {
        PoStatus::Closed
    } else {
        PoStatus::Issued
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Qty {
        Qty::from_raw(n * 1000)
    }
    fn l(quantity: i64, received: i64, billed: i64, cancelled: i64) -> PoLineProgress {
        PoLineProgress {
            quantity: q(quantity),
            received: q(received),
            billed: q(billed),
            cancelled: q(cancelled),
        }
    }

    #[test]
    fn statuses_and_closing() {
        let cases = [
            (
                vec![l(5, 0, 0, 0)],
                false,
                ReceivedStatus::NotReceived,
                BilledStatus::NotBilled,
                PoStatus::Issued,
            ),
            (
                vec![l(5, 5, 0, 0)],
                false,
                ReceivedStatus::Received,
                BilledStatus::NotBilled,
                PoStatus::Issued,
            ),
            (
                vec![l(5, 5, 5, 0)],
                false,
                ReceivedStatus::Received,
                BilledStatus::Billed,
                PoStatus::Closed,
            ),
            (
                vec![l(5, 3, 3, 2)],
                false,
                ReceivedStatus::Received,
                BilledStatus::Billed,
                PoStatus::Closed,
            ),
            (
                vec![l(5, 0, 5, 0)],
                true,
                ReceivedStatus::Received,
                BilledStatus::Billed,
                PoStatus::Closed,
            ),
            (
                vec![l(5, 0, 2, 0)],
                true,
                ReceivedStatus::PartiallyReceived,
                BilledStatus::PartiallyBilled,
                PoStatus::Issued,
            ),
        ];
        for (lines, ds, rs, bs, st) in cases {
            assert_eq!(statuses(&lines, ds), (rs, bs), "{lines:?}");
            assert_eq!(status_after(PoStatus::Issued, &lines, ds), st, "{lines:?}");
        }
        assert_eq!(
            status_after(PoStatus::Draft, &[l(1, 1, 1, 0)], false),
            PoStatus::Draft
        );
    }
}
