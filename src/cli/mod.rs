//! The command line (clap derive): global flags and one file per command group. Each group file
//! declares its arguments and turns them into typed requests for a use case or a query, then hands
//! the result to the output module. No rule lives here.

pub mod backorder;
pub mod backup;
pub mod bill;
pub mod config;
pub mod customer;
pub mod demo;
pub mod doctor;
pub mod history;
pub mod init;
pub mod item;
pub mod po;
pub mod price;
pub mod report;
pub mod so;
pub mod stock;
pub mod vendor;
pub mod warehouse;

use crate::output::Format;
use crate::ui::ColorChoice;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "stockroom",
    version,
    about = "Inventory and backorders over one local SQLite file",
    long_about = "Stockroom keeps items, stock, sales orders and purchase orders in one SQLite file. \
When a sales order cannot be filled from stock, it raises backorders: purchase orders for exactly the \
missing quantity, delivered to the warehouse or drop-shipped to the customer.",
    after_help = "Exit codes: 0 ok, 1 failure, 2 usage, 3 refused, 4 not found, 5 partial, 75 busy.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted anywhere on the line.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Database file [default: $XDG_DATA_HOME/stockroom/stockroom.db]
    #[arg(long, global = true, env = "STOCKROOM_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Output format of data on stdout
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write data to FILE instead of stdout
    #[arg(short = 'o', long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Start CSV with a UTF-8 byte-order mark (for Excel)
    #[arg(long, global = true)]
    pub bom: bool,
    /// Answer yes to confirmations
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// Never prompt; a needed answer without its flag exits 2
    #[arg(long, global = true)]
    pub no_input: bool,
    /// Print only errors on stderr
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
    /// Colour in tables and messages (NO_COLOR is honoured by auto)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Seconds to wait for another process's write lock before exiting 75
    #[arg(long, global = true, default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u32).range(0..=86_400))]
    pub wait: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (and its folder) with the default warehouse MAIN; harmless when it exists
    Init(init::InitArgs),
    /// Build a demo database (a temporary file unless --db) and walk the whole backorder flow
    Demo,
    /// Organization settings
    #[command(subcommand)]
    Config(config::ConfigCmd),
    /// Warehouses
    #[command(subcommand)]
    Warehouse(warehouse::WarehouseCmd),
    /// Vendors (suppliers)
    #[command(subcommand)]
    Vendor(vendor::VendorCmd),
    /// Customers
    #[command(subcommand)]
    Customer(customer::CustomerCmd),
    /// Items (SKUs)
    #[command(subcommand)]
    Item(item::ItemCmd),
    /// Sales orders: create, confirm, package, ship, invoice, void, import
    #[command(subcommand)]
    So(so::SoCmd),
    /// Backorders: purchase orders raised for the shortfall of sales orders
    #[command(subcommand)]
    Backorder(backorder::BackorderCmd),
    /// Purchase orders: list, show, issue, receive, cancel
    #[command(subcommand)]
    Po(po::PoCmd),
    /// Vendor bills against purchase orders
    #[command(subcommand)]
    Bill(bill::BillCmd),
    /// Stock on hand: adjust and list the figures per warehouse
    #[command(subcommand)]
    Stock(stock::StockCmd),
    /// Reports: backorder rate, fill rate, backorder days and aging; stock against reorder levels
    #[command(subcommand)]
    Report(report::ReportCmd),
    /// The event log of a document, item, vendor, customer or warehouse
    History(history::HistoryArgs),
    /// Check every invariant (stock, orders, purchase orders, links, event log, file); exit 1 with a table of problems
    Doctor(doctor::DoctorArgs),
    /// Copy the database to FILE with SQLite's online backup (safe while others work)
    Backup(backup::BackupArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_go_anywhere_and_negative_quantities_parse() {
        let cli = Cli::try_parse_from([
            "stockroom",
            "stock",
            "adjust",
            "W-1",
            "-3",
            "--format",
            "json",
            "--db",
            "x.db",
        ]);
        let Ok(cli) = cli else {
            panic!("parse failed: {cli:?}");
        };
        assert_eq!(cli.global.format, Format::Json);
        match cli.command {
            Command::Stock(stock::StockCmd::Adjust(a)) => assert_eq!(a.qty, "-3"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn wait_is_bounded() {
        assert!(Cli::try_parse_from(["stockroom", "--wait", "-1", "vendor", "list"]).is_err());
        assert!(Cli::try_parse_from(["stockroom", "--wait", "0", "vendor", "list"]).is_ok());
    }
}
