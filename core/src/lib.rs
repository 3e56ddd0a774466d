//! Stockroom's pure domain rules: exact numbers, identifiers, stock commitment, backorder planning,
//! allocation, hold/release, money and metrics. No I/O, no clock, no environment: every function
//! takes values and returns values or errors, so the rules can be tested in isolation.

pub mod backorder;
pub mod date;
pub mod doctor;
pub mod hold;
pub mod ident;
pub mod metrics;
pub mod money;
pub mod num;
pub mod order;
pub mod purchase;
pub mod settings;
pub mod stock;
pub mod tcs;

pub use date::{parse_date, Date, DateError};
pub use ident::{DocKind, DocNumber, IdentError, Sku};
pub use num::{Money, NumError, Percent, Qty};
pub use order::{InvoiceStatus, LineProgress, ShipmentStatus, SoStatus};
