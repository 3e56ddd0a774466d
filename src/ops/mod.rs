//! Use cases: one per command that writes. Each runs in exactly one `BEGIN IMMEDIATE` transaction
//! (through `Db::write`): load through the repository, decide with the core, persist, and return a
//! report value. They never print.

pub mod backorder_bulk;
pub mod backorder_create;
pub mod backorder_plan;
pub mod backup;
pub mod bill_record;
pub mod doctor;
pub mod effects;
pub mod hold;
pub mod item_import;
pub mod master;
pub mod po;
pub mod so_confirm;
pub mod so_create;
pub mod so_import;
pub mod so_invoice;
pub mod so_package;
pub mod so_ship;
pub mod so_void;
pub mod stock_adjust;
