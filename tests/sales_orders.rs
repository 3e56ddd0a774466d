//! Sales orders through the binary (SPEC §3.2, §3.3, §4 `so …`, §6): create, confirm with a
//! shortfall, reserve, package, ship, invoice, void, and the §3.2 figures of `stock list` at every
//! step, as a clerk would check them. Every refusal has its exit code and changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;

/// A vendor, the item W-1 (rate 12.50, preferred vendor Acme Supplies) and the customer Bob.
fn shop() -> Env {
    let env = Env::with_item("W-1");
    env.ok(&["customer", "add", "Bob", "--shipping-address", "1 Main St"]);
    env
}

/// `so show SO --format json`.
fn so(env: &Env, number: &str) -> Value {
    env.json(&["so", "show", number])
}

#[track_caller]
fn assert_status(doc: &Value, status: &str, shipment: &str, invoice: &str) {
    assert_eq!(
        (
            doc["status"].as_str().unwrap(),
            doc["shipment_status"].as_str().unwrap(),
            doc["invoice_status"].as_str().unwrap()
        ),
        (status, shipment, invoice),
        "statuses of {}",
        doc["number"]
    );
}

// ---- create ----

#[test]
fn create_prices_lines_and_totals_and_starts_as_a_draft() {
    let env = shop();
    let doc = env.json(&[
        "so",
        "create",
        "--customer",
        "bob",
        "--item",
        "W-1:2",
        "--item",
        "W-1:1@10",
        "--tax-rate",
        "18",
        "--discount",
        "1",
        "--charges",
        "5",
        "--adjustment",
        "-0.5",
        "--date",
        "2024-03-01",
        "--shipment-date",
        "2024-03-05",
        "--reference",
        "PO-ACME-7",
    ]);
    assert_eq!(doc["number"], "SO-00001");
    assert_eq!(doc["customer"], "Bob", "the customer is shown as stored");
    assert_eq!(doc["date"], "2024-03-01");
    assert_eq!(doc["shipment_date"], "2024-03-05");
    assert_eq!(doc["reference"], "PO-ACME-7");
    assert_eq!(doc["warehouse"], "MAIN");
    assert_status(&doc, "draft", "not_shipped", "not_invoiced");
    assert_eq!(doc["lines"][0]["rate"], "12.50", "the item's selling rate");
    assert_eq!(doc["lines"][0]["amount"], "25.00");
    assert_eq!(doc["lines"][1]["rate"], "10.00", "the explicit @RATE");
    assert_eq!(doc["lines"][1]["amount"], "10.00");
    // 35.00 − 1.00 + 18 % tax (4.50 + 1.80) + 5.00 − 0.50
    assert_eq!(doc["subtotal"], "35.00");
    assert_eq!(doc["tax"], "6.30");
    assert_eq!(doc["total"], "44.80");
    assert_line(&doc, 0, [2, 0, 0, 0, 0, 0, 0, 2]);
    let listed = env.json(&["so", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["total"], "44.80");
    // a draft commits nothing
    assert_stock(&env, "W-1", [0, 0, 0, 0, 0, 0, 0], "a draft");
}

#[test]
fn line_amounts_round_half_away_from_zero() {
    let env = shop();
    // 0.05 × 12.50 = 0.625 → 0.63 (banker's rounding would give 0.62)
    let doc = env.json(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:0.05",
        "--item",
        "W-1:0.15@12.50",
    ]);
    assert_eq!(doc["lines"][0]["amount"], "0.63");
    // 0.15 × 12.50 = 1.875 → 1.88
    assert_eq!(doc["lines"][1]["amount"], "1.88");
    assert_eq!(doc["total"], "2.51");
}

#[test]
fn create_refuses_unknown_customer_sku_and_warehouse_with_exit_4() {
    let env = shop();
    let before = env.dump();
    env.fails(
        &["so", "create", "--customer", "Nobody", "--item", "W-1:1"],
        NOT_FOUND,
    )
    .stderr_has(&["Nobody", "customer add"]);
    env.fails(
        &["so", "create", "--customer", "Bob", "--item", "NOPE:1"],
        NOT_FOUND,
    )
    .stderr_has(&["NOPE"]);
    env.fails(
        &[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W-1:1",
            "--warehouse",
            "EAST",
        ],
        NOT_FOUND,
    )
    .stderr_has(&["EAST"]);
    // a bad second line: the first is not written either
    env.fails(
        &[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W-1:1",
            "--item",
            "NOPE:1",
        ],
        NOT_FOUND,
    );
    assert_eq!(env.dump(), before, "nothing was written");
}

#[test]
fn create_refuses_zero_negative_and_scientific_quantities_with_exit_3() {
    let env = shop();
    let before = env.dump();
    for spec in [
        "W-1:0", "W-1:-1", "W-1:-0.5", "W-1:1e3", "W-1:abc", "W-1:", "W-1", "W-1:1@-2",
    ] {
        let out = env.fails(
            &["so", "create", "--customer", "Bob", "--item", spec],
            REFUSED,
        );
        assert!(out.stdout.is_empty(), "no data on a refusal: {out:?}");
        assert!(
            out.stderr.starts_with("error:"),
            "one error message: {out:?}"
        );
    }
    // the shipment date cannot come before the order date
    env.fails(
        &[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W-1:1",
            "--date",
            "2024-03-05",
            "--shipment-date",
            "2024-03-01",
        ],
        REFUSED,
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn backorder_flags_on_create_need_confirm() {
    let env = shop();
    env.fails(
        &[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W-1:1",
            "--backorder",
        ],
        USAGE,
    );
    env.fails(
        &["so", "confirm", "SO-00001", "--backorder", "--no-backorder"],
        USAGE,
    );
}

// ---- confirm ----

#[test]
fn confirm_reserves_what_is_free_and_records_the_shortfall() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:10",
        "--date",
        "2024-01-01",
    ]);
    let out = env.run(&[
        "so",
        "confirm",
        "SO-00001",
        "--date",
        "2024-01-02",
        "--format",
        "json",
    ]);
    out.expect(OK);
    let doc = out.json();
    assert_status(&doc, "confirmed", "not_shipped", "not_invoiced");
    assert_eq!(doc["confirmed_date"], "2024-01-02");
    assert_line(&doc, 0, [10, 3, 0, 0, 0, 0, 0, 7]);
    assert_stock(&env, "W-1", [3, 3, 0, 10, -7, 0, 0], "confirm");
    // the story is in the event log
    let events = env.json(&["history", "SO-00001"]);
    let actions: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["created", "confirmed"], "{events}");
}

#[test]
fn confirm_without_a_flag_in_a_script_confirms_shows_the_shortfall_and_the_hint() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:10"]);
    let out = env.run(&["so", "confirm", "SO-00001"]);
    out.expect(OK).stderr_has(&[
        "out of stock or committed to other orders",
        "ordered",
        "reserved",
        "short",
        "stockroom backorder create SO-00001",
    ]);
    assert!(out.stderr.contains('7'), "the short quantity: {out:?}");
    assert!(
        !out.stdout.to_lowercase().contains("out of stock"),
        "the shortfall is conversation, not data: {out:?}"
    );
    assert_eq!(so(&env, "SO-00001")["status"], "confirmed");
    assert_eq!(env.json(&["po", "list"]), serde_json::json!([]));
    assert_eq!(env.json(&["backorder", "list"]), serde_json::json!([]));
}

#[test]
fn confirm_with_no_backorder_confirms_without_a_po() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:10"]);
    let out = env.run(&["so", "confirm", "SO-00001", "--no-backorder"]);
    out.expect(OK)
        .stderr_has(&["out of stock or committed to other orders"]);
    let doc = so(&env, "SO-00001");
    assert_eq!(doc["status"], "confirmed");
    assert_line(&doc, 0, [10, 3, 0, 0, 0, 0, 0, 7]);
    assert_eq!(env.json(&["po", "list"]), serde_json::json!([]));
}

#[test]
fn confirm_with_backorder_raises_the_po_and_holds_the_order() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:10"]);
    let out = env.run(&["so", "confirm", "SO-00001", "--backorder"]);
    out.expect(OK).stderr_has(&["PO-00001", "Acme Supplies"]);
    let doc = so(&env, "SO-00001");
    assert_eq!(doc["status"], "on_hold");
    assert_eq!(doc["held_from"], "confirmed");
    assert_eq!(doc["purchase_orders"], serde_json::json!(["PO-00001"]));
    assert_line(&doc, 0, [10, 3, 0, 7, 0, 0, 0, 0]);
    let po = env.json(&["po", "show", "PO-00001"]);
    assert_eq!(po["status"], "draft");
    assert_eq!(po["lines"][0]["quantity"], "7");
}

#[test]
fn create_with_confirm_and_backorder_does_all_three_at_once() {
    let env = shop();
    let out = env.run(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:4",
        "--confirm",
        "--backorder",
        "--format",
        "json",
    ]);
    out.expect(OK);
    let doc = so(&env, "SO-00001");
    assert_eq!(doc["status"], "on_hold");
    assert_line(&doc, 0, [4, 0, 0, 4, 0, 0, 0, 0]);
}

#[test]
fn yes_answers_the_backorder_question() {
    let env = shop();
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:4"]);
    env.ok(&["-y", "so", "confirm", "SO-00001"]);
    assert_eq!(so(&env, "SO-00001")["status"], "on_hold");
    assert_eq!(env.json(&["po", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn confirm_without_shortfall_prints_no_table() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "5"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:5"]);
    let out = env.run(&["so", "confirm", "SO-00001"]);
    out.expect(OK);
    assert!(
        !out.stderr.to_lowercase().contains("out of stock"),
        "{out:?}"
    );
    assert!(!out.stderr.contains("backorder create"), "{out:?}");
    assert_line(&so(&env, "SO-00001"), 0, [5, 5, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn confirm_refuses_a_non_draft_and_an_unknown_order() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "5"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:2"]);
    env.ok(&["so", "confirm", "SO-00001"]);
    let before = env.dump();
    env.fails(&["so", "confirm", "SO-00001"], REFUSED)
        .stderr_has(&["SO-00001", "confirmed", "draft"]);
    env.fails(&["so", "confirm", "SO-00009"], NOT_FOUND)
        .stderr_has(&["SO-00009"]);
    env.fails(&["so", "confirm", "PO-00001"], REFUSED);
    assert_eq!(env.dump(), before, "a second confirm reserves nothing more");
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:1"]);
    env.ok(&["so", "void", "SO-00002"]);
    env.fails(&["so", "confirm", "SO-00002"], REFUSED)
        .stderr_has(&["void"]);
}

#[test]
fn confirming_several_orders_is_all_or_nothing() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "5"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:2"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:2"]);
    env.ok(&["so", "confirm", "SO-00002"]);
    let before = env.dump();
    env.fails(&["so", "confirm", "SO-00001", "SO-00002"], REFUSED);
    assert_eq!(env.dump(), before, "SO-00001 was not confirmed either");
}

#[test]
fn confirm_date_before_the_order_date_is_refused() {
    let env = shop();
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:2",
        "--date",
        "2024-05-10",
    ]);
    env.fails(
        &["so", "confirm", "SO-00001", "--date", "2024-05-09"],
        REFUSED,
    );
}

// ---- package, ship, invoice ----

#[test]
fn package_beyond_reserved_is_refused() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:10",
        "--confirm",
    ]);
    let before = env.dump();
    env.fails(&["so", "package", "SO-00001", "--item", "W-1=4"], REFUSED)
        .stderr_has(&["3", "W-1"]);
    env.fails(&["so", "package", "SO-00001", "--item", "W-1=0"], REFUSED);
    env.fails(&["so", "package", "SO-00001", "--item", "X-9=1"], NOT_FOUND);
    assert_eq!(env.dump(), before);
    env.ok(&["so", "package", "SO-00001", "--item", "W-1=2"]);
    env.fails(&["so", "package", "SO-00001", "--item", "W-1=2"], REFUSED);
    env.ok(&["so", "package", "SO-00001"]);
    let doc = so(&env, "SO-00001");
    assert_eq!(doc["packages"].as_array().unwrap().len(), 2);
    assert_line(&doc, 0, [10, 3, 3, 0, 0, 0, 0, 7]);
    // nothing reserved left to pack
    env.fails(&["so", "package", "SO-00001"], REFUSED);
}

#[test]
fn package_of_a_draft_or_an_order_with_nothing_reserved_is_refused() {
    let env = shop();
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:2"]);
    env.fails(&["so", "package", "SO-00001"], REFUSED)
        .stderr_has(&["draft"]);
    env.ok(&["so", "confirm", "SO-00001"]);
    env.fails(&["so", "package", "SO-00001"], REFUSED)
        .stderr_has(&["nothing reserved"]);
    env.fails(&["so", "package", "SO-00042"], NOT_FOUND);
}

#[test]
fn ship_with_nothing_packed_is_refused() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--confirm",
    ]);
    let before = env.dump();
    env.fails(&["so", "ship", "SO-00001"], REFUSED)
        .stderr_has(&["so package SO-00001"]);
    env.fails(&["so", "ship", "PKG-00001"], NOT_FOUND);
    env.fails(&["so", "ship", "SO-00007"], NOT_FOUND);
    assert_eq!(env.dump(), before);
    env.ok(&["so", "package", "SO-00001"]);
    env.ok(&["so", "ship", "PKG-00001"]);
    env.fails(&["so", "ship", "PKG-00001"], REFUSED)
        .stderr_has(&["already shipped"]);
    env.fails(&["so", "ship", "SO-00001"], REFUSED);
}

#[test]
fn invoice_bills_the_ordered_quantity_once() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "1"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--confirm",
    ]);
    let doc = env.json(&["so", "invoice", "SO-00001"]);
    assert_eq!(doc["invoices"].as_array().unwrap().len(), 1);
    assert_eq!(doc["invoices"][0]["total"], "37.50");
    assert_eq!(doc["lines"][0]["invoiced"], "3");
    assert_status(&doc, "confirmed", "not_shipped", "invoiced");
    env.fails(&["so", "invoice", "SO-00001"], REFUSED)
        .stderr_has(&["already fully invoiced"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:1"]);
    env.fails(&["so", "invoice", "SO-00002"], REFUSED)
        .stderr_has(&["draft"]);
}

// ---- void ----

#[test]
fn void_of_a_packed_shipped_or_invoiced_order_is_refused() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "9"]);
    for _ in 0..3 {
        env.ok(&[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W-1:3",
            "--confirm",
        ]);
    }
    env.ok(&["so", "package", "SO-00001"]);
    env.ok(&["so", "package", "SO-00002"]);
    env.ok(&["so", "ship", "SO-00002"]);
    env.ok(&["so", "invoice", "SO-00003"]);
    let before = env.dump();
    for (n, what) in [
        ("SO-00001", "packages"),
        ("SO-00002", "fulfilled"),
        ("SO-00003", "invoices"),
    ] {
        env.fails(&["so", "void", n], REFUSED)
            .stderr_has(&[n, what]);
    }
    assert_eq!(env.dump(), before);
    env.fails(&["so", "void", "SO-00009"], NOT_FOUND);
}

#[test]
fn void_of_a_draft_or_confirmed_order_releases_its_reservations() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "4"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:2"]);
    env.ok(&["so", "void", "SO-00001"]);
    assert_eq!(so(&env, "SO-00001")["status"], "void");
    env.fails(&["so", "void", "SO-00001"], REFUSED)
        .stderr_has(&["void"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--confirm",
    ]);
    assert_stock(&env, "W-1", [4, 3, 1, 3, 1, 0, 0], "confirm");
    let out = env.run(&["so", "void", "SO-00002"]);
    out.expect(OK).stderr_has(&["released"]);
    let doc = so(&env, "SO-00002");
    assert_eq!(doc["status"], "void");
    // (the shortfall column of a void line follows the §3.3 formula: quantity − reserved − …)
    assert_line(&doc, 0, [3, 0, 0, 0, 0, 0, 0, 3]);
    assert_stock(&env, "W-1", [4, 0, 4, 0, 4, 0, 0], "void");
    env.fails(&["so", "package", "SO-00002"], REFUSED);
}

// ---- the figures a clerk sees, at every step ----

#[test]
fn stock_list_tells_the_truth_through_an_orders_life() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "5", "--date", "2024-01-01"]);
    assert_stock(&env, "W-1", [5, 0, 5, 0, 5, 0, 0], "adjust +5");

    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--date",
        "2024-01-02",
    ]);
    assert_stock(&env, "W-1", [5, 0, 5, 0, 5, 0, 0], "a draft of 3");

    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:4",
        "--date",
        "2024-01-02",
        "--confirm",
    ]);
    assert_stock(&env, "W-1", [5, 4, 1, 4, 1, 0, 0], "SO-2 of 4 confirmed");

    env.ok(&["so", "confirm", "SO-00001", "--date", "2024-01-03"]);
    assert_stock(
        &env,
        "W-1",
        [5, 5, 0, 7, -2, 0, 0],
        "SO-1 confirmed, 2 short",
    );
    assert_line(&so(&env, "SO-00001"), 0, [3, 1, 0, 0, 0, 0, 0, 2]);

    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:2",
        "--date",
        "2024-01-04",
        "--confirm",
    ]);
    assert_stock(&env, "W-1", [5, 5, 0, 9, -4, 0, 0], "SO-3 of 2, all short");

    env.ok(&["so", "package", "SO-00002", "--item", "W-1=3"]);
    assert_stock(&env, "W-1", [5, 5, 0, 9, -4, 0, 0], "package 3 of SO-2");

    env.ok(&["so", "ship", "SO-00002", "--date", "2024-01-05"]);
    assert_stock(&env, "W-1", [2, 2, 0, 6, -4, 0, 0], "ship 3 of SO-2");
    let doc = so(&env, "SO-00002");
    assert_status(&doc, "confirmed", "partially_shipped", "not_invoiced");
    assert_line(&doc, 0, [4, 1, 0, 0, 3, 0, 0, 0]);

    env.ok(&["so", "invoice", "SO-00002"]);
    assert_stock(&env, "W-1", [2, 2, 0, 6, -4, 0, 0], "invoice SO-2");
    assert_status(
        &so(&env, "SO-00002"),
        "confirmed",
        "partially_shipped",
        "invoiced",
    );

    let out = env.run(&["so", "void", "SO-00001"]);
    out.expect(OK).stderr_has(&["SO-00003"]);
    assert_stock(
        &env,
        "W-1",
        [2, 2, 0, 3, -1, 0, 0],
        "void SO-1: its 1 goes to SO-3",
    );
    assert_line(&so(&env, "SO-00003"), 0, [2, 1, 0, 0, 0, 0, 0, 1]);

    env.ok(&["stock", "adjust", "W-1", "1"]);
    assert_stock(&env, "W-1", [3, 3, 0, 3, 0, 0, 0], "adjust +1 goes to SO-3");
    assert_line(&so(&env, "SO-00003"), 0, [2, 2, 0, 0, 0, 0, 0, 0]);

    env.ok(&["so", "package", "SO-00002"]);
    env.ok(&["so", "ship", "SO-00002"]);
    assert_stock(&env, "W-1", [2, 2, 0, 2, 0, 0, 0], "SO-2 shipped in full");
    assert_status(&so(&env, "SO-00002"), "closed", "shipped", "invoiced");

    env.ok(&["so", "package", "SO-00003"]);
    env.ok(&["so", "ship", "SO-00003"]);
    assert_status(
        &so(&env, "SO-00003"),
        "fulfilled",
        "shipped",
        "not_invoiced",
    );
    env.ok(&["so", "invoice", "SO-00003"]);
    assert_status(&so(&env, "SO-00003"), "closed", "shipped", "invoiced");
    assert_stock(&env, "W-1", [0, 0, 0, 0, 0, 0, 0], "everything shipped");

    let listed = env.json(&["so", "list", "--status", "closed"]);
    let numbers: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["SO-00002", "SO-00003"]);
    env.fails(&["so", "list", "--status", "shipped"], REFUSED);
    env.fails(&["so", "list", "--customer", "Nobody"], NOT_FOUND);
}

#[test]
fn stock_list_csv_and_table_agree_with_json() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:10",
        "--confirm",
    ]);
    let csv = csv_records(&env.ok(&["stock", "list", "--format", "csv"]));
    assert_eq!(
        csv,
        [
            vec![
                "sku",
                "warehouse",
                "on_hand",
                "reserved",
                "free",
                "committed",
                "available_for_sale",
                "on_order",
                "backordered"
            ],
            vec!["W-1", "MAIN", "3", "3", "0", "10", "-7", "0", "0"]
        ]
    );
    let table = env.ok(&["stock", "list"]);
    assert!(table.contains("-7"), "{table}");
}

// ---- freed stock goes to waiting orders ----

#[test]
fn upward_adjust_fills_waiting_lines_oldest_confirmation_first() {
    let env = shop();
    // SO-00001 is confirmed later than SO-00002: the date decides, not the number
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--date",
        "2024-01-01",
    ]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--date",
        "2024-01-01",
    ]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--date",
        "2024-01-01",
    ]);
    env.ok(&["so", "confirm", "SO-00001", "--date", "2024-01-05"]);
    env.ok(&["so", "confirm", "SO-00002", "--date", "2024-01-02"]);
    env.ok(&["so", "confirm", "SO-00003", "--date", "2024-01-05"]);
    env.ok(&["stock", "adjust", "W-1", "4"]);
    assert_line(&so(&env, "SO-00002"), 0, [3, 3, 0, 0, 0, 0, 0, 0]);
    assert_line(&so(&env, "SO-00001"), 0, [3, 1, 0, 0, 0, 0, 0, 2]);
    assert_line(&so(&env, "SO-00003"), 0, [3, 0, 0, 0, 0, 0, 0, 3]);
    // same confirmation date: the lower number first
    env.ok(&["stock", "adjust", "W-1", "3"]);
    assert_line(&so(&env, "SO-00001"), 0, [3, 3, 0, 0, 0, 0, 0, 0]);
    assert_line(&so(&env, "SO-00003"), 0, [3, 1, 0, 0, 0, 0, 0, 2]);
    // more than anyone waits for stays free
    env.ok(&["stock", "adjust", "W-1", "10"]);
    assert_stock(&env, "W-1", [17, 9, 8, 9, 8, 0, 0], "+10 with 2 waiting");
    // drafts and void orders do not wait
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:50"]);
    env.ok(&["stock", "adjust", "W-1", "1"]);
    assert_line(&so(&env, "SO-00004"), 0, [50, 0, 0, 0, 0, 0, 0, 50]);
}

#[test]
fn adjust_below_reserved_is_refused_unless_releasing_the_newest_reservations() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "6"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:2",
        "--confirm",
        "--date",
        "2024-01-01",
    ]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--confirm",
        "--date",
        "2024-01-03",
    ]);
    assert_stock(&env, "W-1", [6, 5, 1, 5, 1, 0, 0], "two confirmed");
    let before = env.dump();
    env.fails(&["stock", "adjust", "W-1", "-3"], REFUSED)
        .stderr_has(&["reserved", "--release-reservations"]);
    assert_eq!(env.dump(), before);
    // going down to the free quantity needs no flag
    env.ok(&["stock", "adjust", "W-1", "-1"]);
    assert_stock(&env, "W-1", [5, 5, 0, 5, 0, 0, 0], "-1 of free stock");
    env.ok(&["stock", "adjust", "W-1", "-2", "--release-reservations"]);
    assert_stock(&env, "W-1", [3, 3, 0, 5, -2, 0, 0], "-2 releasing");
    // SO-00002 was confirmed last: it loses its reservation first
    assert_line(&so(&env, "SO-00002"), 0, [3, 1, 0, 0, 0, 0, 0, 2]);
    assert_line(&so(&env, "SO-00001"), 0, [2, 2, 0, 0, 0, 0, 0, 0]);
    env.ok(&["stock", "adjust", "W-1", "-2", "--release-reservations"]);
    assert_line(&so(&env, "SO-00002"), 0, [3, 0, 0, 0, 0, 0, 0, 3]);
    assert_line(&so(&env, "SO-00001"), 0, [2, 1, 0, 0, 0, 0, 0, 1]);
    // never below zero, even with the flag
    env.fails(
        &["stock", "adjust", "W-1", "-2", "--release-reservations"],
        REFUSED,
    );
}

#[test]
fn release_reservations_reports_the_order_lines_that_lost_them() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "5"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:5",
        "--confirm",
    ]);
    env.run(&["stock", "adjust", "W-1", "-2", "--release-reservations"])
        .expect(OK)
        .stderr_has(&["SO-00001"]);
}

#[test]
fn packed_stock_is_never_released_by_an_adjustment() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:3",
        "--confirm",
    ]);
    env.ok(&["so", "package", "SO-00001", "--item", "W-1=2"]);
    let before = env.dump();
    env.fails(
        &["stock", "adjust", "W-1", "-2", "--release-reservations"],
        REFUSED,
    );
    assert_eq!(env.dump(), before);
    env.ok(&["stock", "adjust", "W-1", "-1", "--release-reservations"]);
    assert_line(&so(&env, "SO-00001"), 0, [3, 2, 2, 0, 0, 0, 0, 1]);
}

// ---- history ----

#[test]
fn history_tells_the_orders_story() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "2"]);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "W-1:2"]);
    env.ok(&["so", "confirm", "SO-00001"]);
    env.ok(&["so", "package", "SO-00001"]);
    env.ok(&["so", "ship", "SO-00001"]);
    env.ok(&["so", "invoice", "SO-00001"]);
    let events = env.json(&["history", "SO-00001"]);
    let actions: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for want in ["created", "confirmed", "packed", "shipped", "invoiced"] {
        assert!(actions.contains(&want), "{want} in {actions:?}");
    }
    assert_eq!(actions.first(), Some(&"created"));
}

#[test]
fn ship_of_one_package_leaves_the_others_packed() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "5"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W-1:5",
        "--confirm",
    ]);
    env.ok(&["so", "package", "SO-00001", "--item", "W-1=2"]);
    env.ok(&["so", "package", "SO-00001", "--item", "W-1=3"]);
    env.ok(&["so", "ship", "PKG-00002"]);
    let doc = so(&env, "SO-00001");
    assert_line(&doc, 0, [5, 2, 2, 0, 3, 0, 0, 0]);
    assert_status(&doc, "confirmed", "partially_shipped", "not_invoiced");
    let states: Vec<&str> = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["packed", "shipped"]);
    assert_stock(&env, "W-1", [2, 2, 0, 2, 0, 0, 0], "ship PKG-00002");
    env.ok(&["so", "ship", "SO-00001"]);
    assert_status(
        &so(&env, "SO-00001"),
        "fulfilled",
        "shipped",
        "not_invoiced",
    );
}
