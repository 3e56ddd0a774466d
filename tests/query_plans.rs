//! Interactive commands answer by indexed lookups whatever the size of the database (SPEC §7):
//! every statement they run, as SQLite traces it (`STOCKROOM_TRACE_SQL`), is planned without a
//! full scan of a table that grows with the business.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use rusqlite::Connection;
use std::process::Command;

/// Tables that grow with orders and history; scanning one of them is what must never happen.
const GROWING: &[&str] = &[
    "sales_orders",
    "so_lines",
    "purchase_orders",
    "po_lines",
    "backorder_links",
    "movements",
    "events",
    "packages",
    "package_lines",
    "invoices",
    "invoice_lines",
    "receipts",
    "receipt_lines",
    "bills",
    "bill_lines",
    "stock",
    "items",
    "customers",
];

fn traced(env: &Env, args: &[&str]) -> Vec<String> {
    let trace = env.path("trace.sql");
    let _ = std::fs::remove_file(&trace);
    let out = Command::new(BIN)
        .args([
            "--db",
            env.db.to_str().unwrap(),
            "--no-input",
            "-q",
            "-o",
            "/dev/null",
        ])
        .args(args)
        .env("STOCKROOM_TRACE_SQL", &trace)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(&trace)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The full scans in a statement's plan, as `table (alias)`.
fn scans(conn: &Connection, sql: &str) -> Vec<String> {
    let upper = sql.trim_start().to_ascii_uppercase();
    if [
        "PRAGMA",
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT",
        "RELEASE",
    ]
    .iter()
    .any(|k| upper.starts_with(k))
    {
        return Vec::new();
    }
    // aliases in the statement: `FROM so_lines l`, `JOIN items i`
    let words: Vec<&str> = sql.split_whitespace().collect();
    let mut alias_of = std::collections::HashMap::new();
    for w in words.windows(2) {
        let table = w[0].trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        if GROWING.contains(&table) {
            alias_of.insert(w[1].trim_matches(',').to_string(), table.to_string());
            alias_of.insert(table.to_string(), table.to_string());
        }
    }
    let mut st = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
    let details: Vec<String> = st
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    details
        .iter()
        .filter_map(|d| {
            let name = d.strip_prefix("SCAN ")?.split_whitespace().next()?;
            alias_of.get(name).map(|t| format!("{t} ({d})"))
        })
        .collect()
}

#[test]
fn interactive_commands_never_scan_a_growing_table() {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme"]);
    for sku in ["W-1", "G-7", "B-2"] {
        env.ok(&[
            "item",
            "add",
            sku,
            "--name",
            sku,
            "--rate",
            "10",
            "--purchase-rate",
            "6",
            "--vendor",
            "Acme",
        ]);
    }
    env.ok(&["stock", "adjust", "G-7", "500"]);
    let mut csv = String::from("channel,external_id,date,customer,sku,quantity\n");
    for i in 0..300 {
        let sku = ["W-1", "G-7", "B-2"][i % 3];
        csv.push_str(&format!(
            "web,{i},2026-01-{:02},Customer {},{sku},{}\n",
            1 + i % 28,
            i % 17,
            1 + i % 4
        ));
    }
    env.run_stdin(&["so", "import", "-", "--confirm"], csv.as_bytes())
        .expect(OK);
    env.ok(&["backorder", "bulk", "--all"]);
    env.ok(&["po", "issue", "PO-00001"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Customer 1",
        "--item",
        "W-1:2",
        "--item",
        "G-7:1",
    ]);
    let conn = Connection::open(&env.db).unwrap();

    let draft = "SO-00301";
    let steps: Vec<Vec<&str>> = vec![
        vec!["so", "confirm", draft],
        vec!["so", "show", "SO-00001"],
        vec!["po", "show", "PO-00001"],
        vec!["stock", "list", "--sku", "W-1"],
        vec!["item", "show", "W-1"],
        vec!["backorder", "create", draft],
        vec!["stock", "adjust", "W-1", "3"],
        vec!["po", "receive", "PO-00001", "--item", "W-1=2"],
        vec!["bill", "record", "PO-00001", "--item", "W-1=2"],
        vec!["so", "package", "SO-00002"],
        vec!["so", "ship", "SO-00002"],
        vec!["so", "invoice", "SO-00002"],
        vec!["history", "SO-00001"],
        vec!["customer", "show", "Customer 1"],
    ];
    let mut problems = Vec::new();
    for args in &steps {
        let statements = traced(&env, args);
        assert!(!statements.is_empty(), "{args:?} ran no SQL?");
        for sql in statements {
            for s in scans(&conn, &sql) {
                problems.push(format!("{}: {s}\n    {sql}", args.join(" ")));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "full scans in interactive commands:\n{}",
        problems.join("\n")
    );
}
