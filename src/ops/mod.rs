//! Use cases: one per command that writes. Each runs in exactly one `BEGIN IMMEDIATE` transaction
//! (through `Db::write`): load through the repository, decide with the core, persist, and return a
//! report value. They never print.

pub mod item_import;
pub mod master;
pub mod stock_adjust;
