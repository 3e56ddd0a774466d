//! Sales-order statuses and how quantities decide them (SPEC §3.3): `fulfilled` when every unit is
//! shipped or drop-shipped, `closed` when also fully invoiced; `on_hold` remembers where it returns.

use crate::num::Qty;
use std::fmt;

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
            /// The accepted spellings, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// Status of a sales order.
    SoStatus {
        Draft = "draft",
        Confirmed = "confirmed",
        OnHold = "on_hold",
        Fulfilled = "fulfilled",
        Closed = "closed",
        Void = "void",
    }
);

str_enum!(
    /// How much of a sales order has left the warehouse (or been drop-shipped).
    ShipmentStatus {
        NotShipped = "not_shipped",
        PartiallyShipped = "partially_shipped",
        Shipped = "shipped",
    }
);

str_enum!(
    /// How much of a sales order has been invoiced.
    InvoiceStatus {
        NotInvoiced = "not_invoiced",
        PartiallyInvoiced = "partially_invoiced",
        Invoiced = "invoiced",
    }
);

/// The quantities of one line that decide statuses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineProgress {
    pub quantity: Qty,
    pub shipped: Qty,
    pub dropshipped: Qty,
    pub invoiced: Qty,
}

impl LineProgress {
    pub fn delivered(&self) -> Qty {
        self.shipped + self.dropshipped
    }
}

fn tri<T>(done: Qty, total: Qty, none: T, some: T, all: T) -> T {
    if done.is_zero() {
        none
    } else if done >= total {
        all
    } else {
        some
    }
}

pub fn shipment_status(lines: &[LineProgress]) -> ShipmentStatus {
    let done: Qty = lines.iter().map(LineProgress::delivered).sum();
    let total: Qty = lines.iter().map(|l| l.quantity).sum();
    tri(
        done,
        total,
        ShipmentStatus::NotShipped,
        ShipmentStatus::PartiallyShipped,
        ShipmentStatus::Shipped,
    )
}

pub fn invoice_status(lines: &[LineProgress]) -> InvoiceStatus {
    let done: Qty = lines.iter().map(|l| l.invoiced).sum();
    let total: Qty = lines.iter().map(|l| l.quantity).sum();
    tri(
        done,
        total,
        InvoiceStatus::NotInvoiced,
        InvoiceStatus::PartiallyInvoiced,
        InvoiceStatus::Invoiced,
    )
}

/// Where a confirmed order stands by its quantities alone: confirmed, fulfilled or closed.
pub fn settled_status(lines: &[LineProgress]) -> SoStatus {
    let fulfilled = lines.iter().all(|l| l.delivered() >= l.quantity);
    let invoiced = lines.iter().all(|l| l.invoiced >= l.quantity);
    match (fulfilled, invoiced) {
        (true, true) => SoStatus::Closed,
        (true, false) => SoStatus::Fulfilled,
        _ => SoStatus::Confirmed,
    }
}

/// The status (and remembered status, when on hold) after the order's quantities changed. Draft
/// and void orders are left alone; an on-hold order stays on hold, remembering where it would be.
pub fn after_progress(status: SoStatus, lines: &[LineProgress]) -> (SoStatus, Option<SoStatus>) {
    match status {
        SoStatus::Draft | SoStatus::Void => (status, None),
        SoStatus::OnHold => (SoStatus::OnHold, Some(settled_status(lines))),
        _ => (settled_status(lines), None),
    }
}

/// A line's open (committed) quantity: ordered and not yet shipped or drop-shipped.
pub fn open_quantity(l: &LineProgress) -> Qty {
    l.quantity.sub_floor0(l.delivered())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Qty {
        Qty::from_raw(n * 1000)
    }
    fn line(quantity: i64, shipped: i64, dropshipped: i64, invoiced: i64) -> LineProgress {
        LineProgress {
            quantity: q(quantity),
            shipped: q(shipped),
            dropshipped: q(dropshipped),
            invoiced: q(invoiced),
        }
    }

    #[test]
    fn statuses_follow_quantities() {
        let cases = [
            (
                vec![line(5, 0, 0, 0)],
                SoStatus::Confirmed,
                ShipmentStatus::NotShipped,
                InvoiceStatus::NotInvoiced,
            ),
            (
                vec![line(5, 2, 0, 0)],
                SoStatus::Confirmed,
                ShipmentStatus::PartiallyShipped,
                InvoiceStatus::NotInvoiced,
            ),
            (
                vec![line(5, 2, 3, 0)],
                SoStatus::Fulfilled,
                ShipmentStatus::Shipped,
                InvoiceStatus::NotInvoiced,
            ),
            (
                vec![line(5, 5, 0, 5)],
                SoStatus::Closed,
                ShipmentStatus::Shipped,
                InvoiceStatus::Invoiced,
            ),
            (
                vec![line(5, 0, 0, 5)],
                SoStatus::Confirmed,
                ShipmentStatus::NotShipped,
                InvoiceStatus::Invoiced,
            ),
            (
                vec![line(5, 5, 0, 5), line(2, 0, 0, 0)],
                SoStatus::Confirmed,
                ShipmentStatus::PartiallyShipped,
                InvoiceStatus::PartiallyInvoiced,
            ),
        ];
        for (lines, st, sh, inv) in cases {
            assert_eq!(settled_status(&lines), st, "{lines:?}");
            assert_eq!(shipment_status(&lines), sh, "{lines:?}");
            assert_eq!(invoice_status(&lines), inv, "{lines:?}");
        }
    }

    #[test]
    fn on_hold_remembers_where_it_would_be() {
        let done = vec![line(1, 1, 0, 0)];
        assert_eq!(
            after_progress(SoStatus::OnHold, &done),
            (SoStatus::OnHold, Some(SoStatus::Fulfilled))
        );
        assert_eq!(
            after_progress(SoStatus::Confirmed, &done),
            (SoStatus::Fulfilled, None)
        );
        assert_eq!(
            after_progress(SoStatus::Draft, &done),
            (SoStatus::Draft, None)
        );
    }

    #[test]
    fn names_round_trip() {
        for s in SoStatus::ALL {
            assert_eq!(SoStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(SoStatus::parse("bogus"), None);
    }
}
