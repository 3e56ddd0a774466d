//! `stockroom demo`: builds a demo database and walks the seed page's whole flow on it — items,
//! an order larger than stock, confirm and shortfall, backorder, issue, receive, bill, release,
//! package, ship, invoice, a drop shipment and a bulk run — printing each command and its output.

use crate::app::App;
use crate::exit::{Exit, UserError};
use anyhow::Result;
use chrono::Days;
use std::path::PathBuf;

/// One step: what it shows, the command, and the exit code it is expected to end with.
struct Step {
    note: &'static str,
    args: Vec<String>,
    expect: Exit,
}

fn step(note: &'static str, args: &[&str]) -> Step {
    Step {
        note,
        args: args.iter().map(|s| s.to_string()).collect(),
        expect: Exit::Ok,
    }
}

fn demo_path(app: &App) -> Result<PathBuf> {
    if app.db_on_command_line {
        let p = app.db_path()?;
        if p.exists() {
            return Err(UserError::refused(format!(
                "{} exists; the demo builds a new database — give a new path, or none for a temporary one",
                p.display()
            ))
            .into());
        }
        return Ok(p);
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("stockroom-demo-{}-{nanos}", std::process::id()));
    Ok(dir.join("demo.db"))
}

pub fn run(app: &App) -> Result<()> {
    let path = demo_path(app)?;
    let day = |n: u64| {
        app.today
            .checked_sub_days(Days::new(n))
            .unwrap_or(app.today)
            .to_string()
    };
    let (d14, d13, d10, d9, d8, d7, d5, d3) = (
        day(14),
        day(13),
        day(10),
        day(9),
        day(8),
        day(7),
        day(5),
        day(3),
    );
    let mut on_hold_guard = step(
        "While the order is on hold, packages and invoices are refused:",
        &["so", "package", "SO-00001"],
    );
    on_hold_guard.expect = Exit::Refused;
    let steps = vec![
        step("A new database with the default warehouse MAIN.", &["init", "--org", "Demo Store"]),
        step("Two vendors, with their lead times.", &["vendor", "add", "Acme Supplies", "--email", "orders@acme.example", "--lead-time-days", "5"]),
        step("", &["vendor", "add", "Globex Wholesale", "--lead-time-days", "3"]),
        step("Two customers.", &["customer", "add", "Bob's Bikes", "--address", "1 Main St, Pune"]),
        step("", &["customer", "add", "Carol's Cafe", "--address", "9 Hill Rd, Mumbai", "--shipping-address", "Carol's Cafe, 9 Hill Rd, Mumbai"]),
        step("Items, each with a preferred vendor.", &["item", "add", "W-1", "--name", "Widget", "--rate", "12.50", "--purchase-rate", "8.00", "--vendor", "Acme Supplies"]),
        step("", &["item", "add", "G-7", "--name", "Gadget", "--rate", "40.00", "--purchase-rate", "25.00", "--vendor", "Globex Wholesale"]),
        step("", &["item", "add", "B-2", "--name", "Bolt pack", "--unit", "box", "--rate", "3.20", "--purchase-rate", "1.75", "--vendor", "Acme Supplies"]),
        step("Stock on hand: only 3 widgets.", &["stock", "adjust", "W-1", "3", "--reason", "opening count", "--date", &d14]),
        step("", &["stock", "adjust", "G-7", "10", "--reason", "opening count", "--date", &d14]),
        step("Bob orders 10 widgets and 2 gadgets.", &["so", "create", "--customer", "Bob's Bikes", "--item", "W-1:10", "--item", "G-7:2", "--date", &d13]),
        step("Confirming reserves what is free; the rest is the shortfall (a clerk would be asked whether to backorder).", &["so", "confirm", "SO-00001", "--date", &d13]),
        step("The backorder: a draft PO to Acme for exactly the 7 missing widgets; the order goes on hold.", &["backorder", "create", "SO-00001", "--date", &d13]),
        on_hold_guard,
        step("The PO is sent to the vendor.", &["po", "issue", "PO-00001"]),
        step("Part of it arrives: it is reserved for Bob's order at once.", &["po", "receive", "PO-00001", "--item", "W-1=4", "--date", &d10]),
        step("The rest arrives.", &["po", "receive", "PO-00001", "--date", &d9]),
        step("Stock now: every widget on hand is reserved for Bob.", &["stock", "list"]),
        step("The vendor's bill releases the hold (hold_release = billed).", &["bill", "record", "PO-00001", "--number", "ACME-1001", "--date", &d8]),
        step("Now the order can be packed, shipped and invoiced.", &["so", "package", "SO-00001", "--date", &d8]),
        step("", &["so", "ship", "SO-00001", "--date", &d7]),
        step("", &["so", "invoice", "SO-00001", "--date", &d7]),
        step("Carol orders 50 bolt packs; none in stock — confirmed without a backorder for now.", &["so", "create", "--customer", "Carol's Cafe", "--item", "B-2:50", "--date", &d7, "--confirm", "--no-backorder"]),
        step("A drop shipment: Acme ships straight to Carol's shipping address.", &["backorder", "create", "SO-00002", "--deliver-to", "customer", "--date", &d7]),
        step("", &["po", "issue", "PO-00002"]),
        step("Billing a drop-ship PO delivers it: the order is fulfilled without touching our stock.", &["bill", "record", "PO-00002", "--number", "ACME-1002", "--date", &d5]),
        step("Two more orders, confirmed during the day…", &["so", "create", "--customer", "Bob's Bikes", "--item", "G-7:12", "--item", "W-1:5", "--date", &d3, "--confirm", "--no-backorder"]),
        step("", &["so", "create", "--customer", "Carol's Cafe", "--item", "W-1:4", "--item", "B-2:20", "--date", &d3, "--confirm", "--no-backorder"]),
        step("…and the nightly bulk run: one PO per vendor for all of them, a link per order line.", &["backorder", "bulk", "--all", "--date", &d3]),
        step("Running it again creates nothing.", &["backorder", "bulk", "--all", "--date", &d3]),
        step("Every backorder link, with its state.", &["backorder", "list"]),
        step("The first order's story.", &["history", "SO-00001"]),
        step("All orders.", &["so", "list"]),
    ];
    let mut out = app.out()?;
    out.raw(format!("Stockroom demo — database: {}\n", path.display()).as_bytes())?;
    let db = path.to_string_lossy().into_owned();
    for s in steps {
        if !s.note.is_empty() {
            out.raw(format!("\n# {}\n", s.note).as_bytes())?;
        }
        let shown: Vec<String> = s
            .args
            .iter()
            .map(|a| {
                if a.contains([' ', '\'']) {
                    format!("\"{a}\"")
                } else {
                    a.clone()
                }
            })
            .collect();
        out.raw(format!("$ stockroom {}\n", shown.join(" ")).as_bytes())?;
        let mut args = vec![
            "stockroom".to_string(),
            "--db".into(),
            db.clone(),
            "--no-input".into(),
        ];
        if app.global.quiet {
            args.push("-q".into());
        }
        args.extend(s.args.iter().cloned());
        let code = crate::run(args);
        if code != s.expect {
            return Err(UserError::new(
                Exit::Failure,
                format!(
                    "the demo step `stockroom {}` ended with exit {} (expected {})",
                    shown.join(" "),
                    code as u8,
                    s.expect as u8
                ),
            )
            .into());
        }
    }
    out.raw(
        format!(
            "\nDone. Explore the demo database with:\n  stockroom --db {db} so show SO-00001\n  stockroom --db {db} report backorders\n"
        )
        .as_bytes(),
    )?;
    Ok(())
}
