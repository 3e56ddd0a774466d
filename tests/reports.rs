//! `report backorders` and `report stock` (SPEC §3.10, §3.2) over a scenario built through the
//! binary with `--date` across ten weeks, checked field by field against values computed by hand;
//! plus the aging in `backorder list --open` and `so list --status on_hold`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{json, Value};

/// The numbers of the purchase orders a `backorder create` made, by vendor.
fn backorder(env: &Env, args: &[&str]) -> Vec<(String, String)> {
    let mut a = vec!["backorder", "create"];
    a.extend_from_slice(args);
    let out = env.json(&a);
    out["purchase_orders"]
        .as_array()
        .expect("purchase_orders")
        .iter()
        .map(|p| {
            (
                p["vendor"].as_str().unwrap().to_string(),
                p["number"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn po_of(pos: &[(String, String)], vendor: &str) -> String {
    pos.iter()
        .find(|(v, _)| v == vendor)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| panic!("no PO for {vendor} in {pos:?}"))
}

fn confirm(env: &Env, customer: &str, items: &[&str], date: &str) {
    let mut a = vec!["so", "create", "--customer", customer, "--date", date];
    for i in items {
        a.extend(["--item", i]);
    }
    a.extend(["--confirm", "--no-backorder"]);
    env.ok(&a);
}

/// Ten weeks of trade (the comments give each line's figures for the report):
///
/// | SO | confirmed | customer | line | ordered | short | backorder | delivered |
/// |----|-----------|----------|------|---------|-------|-----------|-----------|
/// | 1 | 01-05 | Alice | W-1 | 4 | 0 | – | – |
/// | 1 | 01-05 | Alice | G-2 | 6 | 6 | Bolt 6 | received 01-19: 14 days |
/// | 2 | 01-12 | Bob | W-1 | 10 | 4 | Acme 4 | 2 on 01-20, 2 on 02-02: 21 days |
/// | 3 | 01-20 | Carol | G-2 | 3 | 3 | Bolt drop ship 3 | billed 01-26: 6 days |
/// | 4 | 02-02 | Alice | W-1 | 5 | 5 | Acme 5 | 3 on 02-16, 2 still open |
/// | 4 | 02-02 | Alice | G-2 | 2 | 2 | Bolt 2 | received 02-10: 8 days |
/// | 5 | 02-20 | Bob | W-1 | 2 | 2 | – (never backordered) | – |
/// | 6 | 02-23 | Carol | G-2 | 4 | 4 | Acme 4 cancelled, then Bolt 4 | received 03-02: 7 days |
/// | 7 | 02-25 | Bob | W-1 | 1 | 1 | – | void: not counted |
/// | 8 | draft | Carol | W-1 | 1 | – | – | draft: not counted |
fn scenario() -> Env {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme", "--lead-time-days", "5"]);
    env.ok(&["vendor", "add", "Bolt"]);
    for c in ["Alice", "Bob", "Carol"] {
        env.ok(&["customer", "add", c]);
    }
    env.ok(&[
        "item",
        "add",
        "W-1",
        "--name",
        "Widget",
        "--rate",
        "10",
        "--purchase-rate",
        "6",
        "--vendor",
        "Acme",
        "--reorder-level",
        "5",
    ]);
    env.ok(&[
        "item",
        "add",
        "G-2",
        "--name",
        "Gadget",
        "--rate",
        "20",
        "--purchase-rate",
        "12",
        "--vendor",
        "Bolt",
    ]);
    env.ok(&["stock", "adjust", "W-1", "10", "--date", "2026-01-01"]);

    // SO-1: G-2 short 6, backordered from Bolt, received 01-19, billed 01-20
    confirm(&env, "Alice", &["W-1:4", "G-2:6"], "2026-01-05");
    let po1 = po_of(
        &backorder(&env, &["SO-00001", "--date", "2026-01-06"]),
        "Bolt",
    );
    env.ok(&["po", "issue", &po1]);

    // SO-2: W-1 short 4 (6 free), backordered from Acme
    confirm(&env, "Bob", &["W-1:10"], "2026-01-12");
    let po2 = po_of(
        &backorder(&env, &["SO-00002", "--date", "2026-01-12"]),
        "Acme",
    );
    env.ok(&["po", "issue", &po2]);

    env.ok(&["po", "receive", &po1, "--date", "2026-01-19"]);
    env.ok(&["bill", "record", &po1, "--date", "2026-01-20"]);
    env.ok(&[
        "po",
        "receive",
        &po2,
        "--item",
        "W-1=2",
        "--date",
        "2026-01-20",
    ]);

    // SO-3: G-2 short 3, drop-shipped by Bolt, delivered when billed on 01-26
    confirm(&env, "Carol", &["G-2:3"], "2026-01-20");
    let po3 = po_of(
        &backorder(
            &env,
            &[
                "SO-00003",
                "--deliver-to",
                "customer",
                "--date",
                "2026-01-21",
            ],
        ),
        "Bolt",
    );
    env.ok(&["po", "issue", &po3]);
    env.ok(&["bill", "record", &po3, "--date", "2026-01-26"]);

    env.ok(&["po", "receive", &po2, "--date", "2026-02-02"]);
    env.ok(&["bill", "record", &po2, "--date", "2026-02-03"]);

    // SO-4: both lines short; W-1 from Acme (partly received), G-2 from Bolt
    confirm(&env, "Alice", &["W-1:5", "G-2:2"], "2026-02-02");
    let pos = backorder(&env, &["SO-00004", "--date", "2026-02-03"]);
    let (po4, po5) = (po_of(&pos, "Acme"), po_of(&pos, "Bolt"));
    env.ok(&["po", "issue", &po4, &po5]);
    env.ok(&["po", "receive", &po5, "--date", "2026-02-10"]);
    env.ok(&["bill", "record", &po5, "--date", "2026-02-10"]);
    env.ok(&[
        "po",
        "receive",
        &po4,
        "--item",
        "W-1=3",
        "--date",
        "2026-02-16",
    ]);

    // SO-5: short, never backordered
    confirm(&env, "Bob", &["W-1:2"], "2026-02-20");

    // SO-6: backordered twice — the first PO is cancelled, the second delivers
    confirm(&env, "Carol", &["G-2:4"], "2026-02-23");
    let po6 = po_of(
        &backorder(
            &env,
            &["SO-00006", "--vendor", "Acme", "--date", "2026-02-23"],
        ),
        "Acme",
    );
    env.ok(&["po", "cancel", &po6]);
    let po7 = po_of(
        &backorder(&env, &["SO-00006", "--date", "2026-02-24"]),
        "Bolt",
    );
    env.ok(&["po", "issue", &po7]);

    // SO-7 is void and SO-8 a draft: neither counts
    confirm(&env, "Bob", &["W-1:1"], "2026-02-25");
    env.ok(&["so", "void", "SO-00007"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Carol",
        "--item",
        "W-1:1",
        "--date",
        "2026-03-01",
    ]);

    env.ok(&["po", "receive", &po7, "--date", "2026-03-02"]);
    env.ok(&["bill", "record", &po7, "--date", "2026-03-02"]);
    env
}

fn report(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["report", "backorders"];
    a.extend_from_slice(args);
    env.json(&a).as_array().expect("an array").clone()
}

/// Compares every field, naming the first that differs.
#[track_caller]
fn assert_row(got: &Value, want: &Value) {
    let (g, w) = (got.as_object().unwrap(), want.as_object().unwrap());
    let names: Vec<&String> = g.keys().collect();
    let want_names: Vec<&String> = w.keys().collect();
    assert_eq!(names, want_names, "field names and order");
    for (k, v) in w {
        assert_eq!(&g[k], v, "field {k}\n got: {got}\nwant: {want}");
    }
}

#[test]
fn report_backorders_over_ten_weeks() {
    let env = scenario();

    // All orders up to 03-09. Units: 4+6+10+3+5+2+2+4 = 36 ordered, 6+4+3+5+2+4 = 24
    // backordered (the cancelled first backorder of SO-6 does not count twice); shortfall 26.
    // Backorder days of the fulfilled lines: 14, 21, 6, 8, 7. SO-4's W-1 is open at 35 days.
    let all = report(&env, &["--as-of", "2026-03-09"]);
    assert_eq!(all.len(), 1);
    assert_row(
        &all[0],
        &json!({
            "orders": 6,
            "lines": 8,
            "units_ordered": "36",
            "units_backordered": "24",
            "items_backordered_pct": "66.67",
            "lines_backordered_pct": "75.00",
            "orders_backordered_pct": "83.33",
            "fill_rate_pct": "27.78",
            "backorder_days_mean": "11.20",
            "backorder_days_median": "8.00",
            "backorder_days_p90": "21.00",
            "backorder_days_max": "21.00",
            "open_lines": 1,
            "aging_0_7": 0,
            "aging_8_14": 0,
            "aging_15_30": 0,
            "aging_31_60": 1,
            "aging_61_plus": 0
        }),
    );

    // February only: SO-4, SO-5, SO-6. 13 ordered, 11 backordered, all short at confirmation;
    // days 8 and 7.
    let feb = report(
        &env,
        &[
            "--from",
            "2026-02-01",
            "--to",
            "2026-02-28",
            "--as-of",
            "2026-03-09",
        ],
    );
    assert_row(
        &feb[0],
        &json!({
            "orders": 3,
            "lines": 4,
            "units_ordered": "13",
            "units_backordered": "11",
            "items_backordered_pct": "84.62",
            "lines_backordered_pct": "75.00",
            "orders_backordered_pct": "66.67",
            "fill_rate_pct": "0.00",
            "backorder_days_mean": "7.50",
            "backorder_days_median": "7.50",
            "backorder_days_p90": "8.00",
            "backorder_days_max": "8.00",
            "open_lines": 1,
            "aging_0_7": 0,
            "aging_8_14": 0,
            "aging_15_30": 0,
            "aging_31_60": 1,
            "aging_61_plus": 0
        }),
    );
}

#[test]
fn report_as_of_an_earlier_day_sees_later_deliveries_as_pending() {
    let env = scenario();
    // On 01-25 only SO-1..3 existed; SO-2's last units came on 02-02 and SO-3's drop shipment on
    // 01-26, so both were open (13 and 5 days old). 23 ordered, 13 backordered, 13 short.
    let early = report(&env, &["--as-of", "2026-01-25"]);
    assert_row(
        &early[0],
        &json!({
            "orders": 3,
            "lines": 4,
            "units_ordered": "23",
            "units_backordered": "13",
            "items_backordered_pct": "56.52",
            "lines_backordered_pct": "75.00",
            "orders_backordered_pct": "100.00",
            "fill_rate_pct": "43.48",
            "backorder_days_mean": "14.00",
            "backorder_days_median": "14.00",
            "backorder_days_p90": "14.00",
            "backorder_days_max": "14.00",
            "open_lines": 2,
            "aging_0_7": 1,
            "aging_8_14": 1,
            "aging_15_30": 0,
            "aging_31_60": 0,
            "aging_61_plus": 0
        }),
    );
    // --to beyond --as-of stops at --as-of
    assert_eq!(
        report(&env, &["--to", "2026-12-31", "--as-of", "2026-01-25"]),
        early
    );
}

#[test]
fn report_by_vendor_item_and_customer() {
    let env = scenario();
    let rows = report(&env, &["--as-of", "2026-03-09", "--by", "vendor"]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    // Acme: W-1 lines of SO-1 (preferred vendor, no backorder), SO-2, SO-4, SO-5 (preferred
    // vendor). Its cancelled PO for SO-6 does not make SO-6 an Acme line.
    assert_row(
        &rows[0],
        &json!({
            "vendor": "Acme",
            "orders": 4,
            "lines": 4,
            "units_ordered": "21",
            "units_backordered": "9",
            "items_backordered_pct": "42.86",
            "lines_backordered_pct": "50.00",
            "orders_backordered_pct": "50.00",
            "fill_rate_pct": "47.62",
            "backorder_days_mean": "21.00",
            "backorder_days_median": "21.00",
            "backorder_days_p90": "21.00",
            "backorder_days_max": "21.00",
            "open_lines": 1,
            "aging_0_7": 0,
            "aging_8_14": 0,
            "aging_15_30": 0,
            "aging_31_60": 1,
            "aging_61_plus": 0
        }),
    );
    // Bolt: every G-2 line; days 14, 6, 8, 7 -> median of an even count (7 + 8) / 2.
    assert_row(
        &rows[1],
        &json!({
            "vendor": "Bolt",
            "orders": 4,
            "lines": 4,
            "units_ordered": "15",
            "units_backordered": "15",
            "items_backordered_pct": "100.00",
            "lines_backordered_pct": "100.00",
            "orders_backordered_pct": "100.00",
            "fill_rate_pct": "0.00",
            "backorder_days_mean": "8.75",
            "backorder_days_median": "7.50",
            "backorder_days_p90": "14.00",
            "backorder_days_max": "14.00",
            "open_lines": 0,
            "aging_0_7": 0,
            "aging_8_14": 0,
            "aging_15_30": 0,
            "aging_31_60": 0,
            "aging_61_plus": 0
        }),
    );

    let items = report(&env, &["--as-of", "2026-03-09", "--by", "item"]);
    let summary: Vec<(String, i64, String)> = items
        .iter()
        .map(|r| {
            (
                r["item"].as_str().unwrap().to_string(),
                r["lines"].as_i64().unwrap(),
                r["units_backordered"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("G-2".into(), 4, "15".into()),
            ("W-1".into(), 4, "9".into())
        ]
    );

    let customers = report(&env, &["--as-of", "2026-03-09", "--by", "customer"]);
    let summary: Vec<(String, i64, Value)> = customers
        .iter()
        .map(|r| {
            (
                r["customer"].as_str().unwrap().to_string(),
                r["orders"].as_i64().unwrap(),
                r["backorder_days_max"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Alice".into(), 2, json!("14.00")),
            ("Bob".into(), 2, json!("21.00")),
            ("Carol".into(), 2, json!("7.00")),
        ]
    );

    // the group column comes first in CSV too
    let csv = env.ok(&[
        "report",
        "backorders",
        "--as-of",
        "2026-03-09",
        "--by",
        "vendor",
        "--format",
        "csv",
    ]);
    let recs = csv_records(&csv);
    assert_eq!(recs[0][0], "vendor");
    assert_eq!(recs[0][1], "orders");
    assert_eq!(recs.len(), 3);
}

#[test]
fn an_empty_window_gives_zeros_and_empty_cells() {
    let env = scenario();
    let rows = report(&env, &["--from", "2025-01-01", "--to", "2025-12-31"]);
    assert_row(
        &rows[0],
        &json!({
            "orders": 0,
            "lines": 0,
            "units_ordered": "0",
            "units_backordered": "0",
            "items_backordered_pct": null,
            "lines_backordered_pct": null,
            "orders_backordered_pct": null,
            "fill_rate_pct": null,
            "backorder_days_mean": null,
            "backorder_days_median": null,
            "backorder_days_p90": null,
            "backorder_days_max": null,
            "open_lines": 0,
            "aging_0_7": 0,
            "aging_8_14": 0,
            "aging_15_30": 0,
            "aging_31_60": 0,
            "aging_61_plus": 0
        }),
    );
    let csv = env.ok(&[
        "report",
        "backorders",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "csv",
    ]);
    assert_eq!(
        csv_records(&csv)[1],
        ["0", "0", "0", "0", "", "", "", "", "", "", "", "", "0", "0", "0", "0", "0", "0"]
    );
    // grouped, an empty window has no groups
    assert_eq!(
        report(&env, &["--to", "2025-12-31", "--by", "vendor"]),
        Vec::<Value>::new()
    );
    // a fresh database is an empty window too
    let fresh = Env::init();
    assert_eq!(report(&fresh, &[])[0]["orders"], 0);
}

#[test]
fn no_charts_in_csv_json_or_through_a_pipe() {
    let env = scenario();
    // stdout is a pipe here: the table has no chart under it, CSV and JSON never do
    for format in ["table", "csv", "json"] {
        let out = env.ok(&[
            "report",
            "backorders",
            "--as-of",
            "2026-03-09",
            "--format",
            format,
        ]);
        assert!(
            !out.contains('█') && !out.contains("by age"),
            "{format}: {out}"
        );
    }
}

#[test]
fn bad_report_input_is_refused_with_its_exit_code() {
    let env = Env::init();
    env.fails(&["report", "backorders", "--from", "2026-02-30"], REFUSED)
        .stderr_has(&["--from", "2026-02-30", "YYYY-MM-DD"]);
    env.fails(&["report", "backorders", "--as-of", "yesterday"], REFUSED)
        .stderr_has(&["--as-of", "yesterday"]);
    env.fails(
        &[
            "report",
            "backorders",
            "--from",
            "2026-03-02",
            "--to",
            "2026-03-01",
        ],
        REFUSED,
    )
    .stderr_has(&["--from 2026-03-02 is after --to 2026-03-01"]);
    env.fails(&["report", "backorders", "--by", "colour"], USAGE)
        .stderr_has(&["colour", "vendor, item, customer"]);
    env.fails(&["report"], USAGE);
    let missing = Env::new();
    missing
        .fails(&["report", "stock"], NOT_FOUND)
        .stderr_has(&["stockroom init"]);
}

#[test]
fn report_stock_counts_what_is_on_order_before_suggesting_a_reorder() {
    let env = Env::with_item("W-1");
    let add = |sku: &str, level: Option<&str>| {
        let mut a = vec![
            "item",
            "add",
            sku,
            "--name",
            "Thing",
            "--rate",
            "5",
            "--purchase-rate",
            "3",
            "--vendor",
            "Acme Supplies",
        ];
        if let Some(l) = level {
            a.extend(["--reorder-level", l]);
        }
        env.ok(&a);
    };
    add("LOW", Some("2"));
    add("OK", Some("2"));
    add("BO", Some("0"));
    env.ok(&["customer", "add", "Dee"]);
    env.ok(&["stock", "adjust", "LOW", "1"]);
    env.ok(&["stock", "adjust", "OK", "5"]);
    // BO: 3 sold, none in stock, backordered on a draft PO
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Dee",
        "--item",
        "BO:3",
        "--confirm",
        "--backorder",
    ]);
    let rows = env.json(&["report", "stock"]);
    let stock = env.stock();
    let view: Vec<(String, Value, Value, Value, Value)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["sku"].as_str().unwrap().to_string(),
                r["on_order_draft"].clone(),
                r["projected"].clone(),
                r["reorder_level"].clone(),
                r["below_reorder"].clone(),
            )
        })
        .collect();
    assert_eq!(
        view,
        [
            // available for sale -3, the draft backorder brings it back to 0: not below 0
            (
                "BO".into(),
                json!("3"),
                json!("0"),
                json!("0"),
                json!(false)
            ),
            (
                "LOW".into(),
                json!("0"),
                json!("1"),
                json!("2"),
                json!(true)
            ),
            (
                "OK".into(),
                json!("0"),
                json!("5"),
                json!("2"),
                json!(false)
            ),
            // no reorder level: never below it
            (
                "W-1".into(),
                json!("0"),
                json!("0"),
                Value::Null,
                json!(false)
            ),
        ]
    );
    // the §3.2 figures are those of `stock list`
    for (r, s) in rows
        .as_array()
        .unwrap()
        .iter()
        .zip(stock.as_array().unwrap())
    {
        for (k, v) in s.as_object().unwrap() {
            assert_eq!(&r[k], v, "{k} of {}", r["sku"]);
        }
    }
    // issued, the backorder is on order instead of in a draft: still not below
    let po = env.json(&["po", "list"])[0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    env.ok(&["po", "issue", &po]);
    let below = env.json(&["report", "stock", "--below-reorder"]);
    let skus: Vec<&str> = below
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["LOW"]);
    let bo = &env.json(&["report", "stock"])[0];
    assert_eq!(
        (&bo["on_order"], &bo["backordered"], &bo["projected"]),
        (&json!("3"), &json!("3"), &json!("0"))
    );
}

#[test]
fn open_backorders_show_their_age_and_held_orders_filter() {
    let env = scenario();
    let today = chrono::Local::now().date_naive();
    let confirmed = chrono::NaiveDate::from_ymd_opt(2026, 2, 2).unwrap();
    let open = env.json(&["backorder", "list", "--open"]);
    let open = open.as_array().unwrap();
    // only SO-4's W-1 from Acme is still waiting (3 of 5 received, nothing billed)
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["so"], "SO-00004");
    assert_eq!(open[0]["sku"], "W-1");
    assert_eq!(open[0]["received"], "3");
    assert_eq!(
        open[0]["age_days"],
        json!((today - confirmed).num_days().max(0))
    );
    // done links have no age
    let all = env.json(&["backorder", "list"]);
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["state"] != "open")
        .all(|l| l["age_days"].is_null()));

    let held = env.json(&["so", "list", "--status", "on_hold"]);
    let numbers: Vec<&str> = held
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["SO-00004"]);
    assert!(held
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["status"] == "on_hold"));
}

#[test]
fn charts_follow_the_table_on_a_terminal() {
    let env = scenario();
    // `script` (util-linux, essential on Debian) runs the command on a pseudo-terminal
    let cmd = format!(
        "stty cols 100 rows 40; {BIN} --db '{}' report backorders --as-of 2026-03-09",
        env.db.display()
    );
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir())
        .env("TERM", "dumb")
        .env("LANG", "C.UTF-8")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run `script` (util-linux) to get a terminal");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    // the table, then the charts: one open line aged 35 days, five fulfilled ones
    let table = text.find("aging_61_plus").expect("the table");
    let aging = text
        .find("Open backorder lines by age in days (1)")
        .expect("the aging chart");
    let days = text
        .find("Fulfilled backorder lines by backorder days (5)")
        .expect("the days chart");
    assert!(table < aging && aging < days, "{text}");
    assert!(text.contains('█'), "{text}");

    // CSV and JSON carry data only, terminal or not
    for format in ["csv", "json"] {
        let out = std::process::Command::new("script")
            .args([
                "-q",
                "-e",
                "-c",
                &format!("{cmd} --format {format}"),
                "/dev/null",
            ])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.dir())
            .env("LANG", "C.UTF-8")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run `script`");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(text.contains("items_backordered_pct"), "{text}");
        assert!(
            !text.contains('█') && !text.contains("by age"),
            "{format}: {text}"
        );
    }
}
