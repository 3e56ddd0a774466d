//! Stockroom's pure domain rules: exact numbers, identifiers, stock commitment, backorder planning,
//! allocation, hold/release, money and metrics. No I/O, no clock, no environment: every function
//! takes values and returns values or errors, so the rules can be tested in isolation.

pub mod date;
pub mod ident;
pub mod num;
pub mod settings;

pub use date::{parse_date, Date, DateError};
pub use ident::{DocKind, DocNumber, IdentError, Sku};
pub use num::{Money, NumError, Percent, Qty};
