//! `stock adjust` and `stock list` (SPEC §3.1, §3.2, §4): signed exact quantities, never below
//! zero, and every refusal leaves the ledger as it was.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;

#[test]
fn adjust_up_and_down_prints_the_result_and_moves_on_hand() {
    let env = Env::with_item("W-1");
    let out = env.run(&[
        "stock", "adjust", "W-1", "10.5", "--reason", "count", "--format", "json",
    ]);
    out.expect(OK).stderr_has(&["W-1 in MAIN: on hand 10.5"]);
    assert_eq!(
        out.json(),
        json!({"sku": "W-1", "warehouse": "MAIN", "quantity": "10.5", "on_hand": "10.5", "reserved": "0"})
    );
    let out = env.run(&["stock", "adjust", "w-1", "-3.25", "--format", "json"]);
    out.expect(OK);
    assert_eq!(
        out.json()["sku"],
        "W-1",
        "the SKU is matched case-insensitively and shown as stored"
    );
    assert_eq!(out.json()["quantity"], "-3.25");
    assert_eq!(out.json()["on_hand"], "7.25");
    env.ok(&["stock", "adjust", "W-1", "+0.001"]);
    assert_eq!(env.on_hand("W-1", "MAIN"), "7.251");
}

#[test]
fn negative_fractions_are_values_not_flags() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "2"]);
    let out = env.run(&["stock", "adjust", "W-1", "-0.5", "--format", "csv"]);
    out.expect(OK);
    assert_eq!(
        csv_records(&out.stdout)[1],
        ["W-1", "MAIN", "-0.5", "1.5", "0"]
    );
}

#[test]
fn a_negative_quantity_without_a_leading_zero_is_a_value() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "2"]);
    env.ok(&["stock", "adjust", "W-1", "-.5"]);
    assert_eq!(env.on_hand("W-1", "MAIN"), "1.5");
}

#[test]
fn adjust_to_exactly_zero_is_allowed() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "2"]);
    env.ok(&["stock", "adjust", "W-1", "-2"]);
    assert_eq!(env.on_hand("W-1", "MAIN"), "0");
}

#[test]
fn stock_list_shows_every_figure_for_every_item_and_warehouse() {
    let env = Env::with_item("W-1");
    env.ok(&["warehouse", "add", "EAST", "--name", "East"]);
    env.ok(&[
        "item",
        "add",
        "A-1",
        "--name",
        "A",
        "--rate",
        "1",
        "--purchase-rate",
        "1",
    ]);
    env.ok(&["stock", "adjust", "W-1", "4", "--warehouse", "east"]);
    env.ok(&["stock", "adjust", "W-1", "1"]);
    let rows = env.stock();
    assert_eq!(
        rows,
        json!([
            {"sku": "A-1", "warehouse": "MAIN", "on_hand": "0", "reserved": "0", "free": "0", "committed": "0",
             "available_for_sale": "0", "on_order": "0", "backordered": "0"},
            {"sku": "W-1", "warehouse": "EAST", "on_hand": "4", "reserved": "0", "free": "4", "committed": "0",
             "available_for_sale": "4", "on_order": "0", "backordered": "0"},
            {"sku": "W-1", "warehouse": "MAIN", "on_hand": "1", "reserved": "0", "free": "1", "committed": "0",
             "available_for_sale": "1", "on_order": "0", "backordered": "0"}
        ])
    );
    assert_eq!(
        env.json(&["stock", "list", "--sku", "w-1"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        env.json(&["stock", "list", "--warehouse", "EAST"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        env.json(&["stock", "list", "--sku", "W-1", "--warehouse", "MAIN"])[0]["on_hand"],
        "1"
    );
}

#[test]
fn stock_list_with_an_unknown_sku_or_warehouse_is_not_found() {
    let env = Env::with_item("W-1");
    env.fails(&["stock", "list", "--sku", "NOPE"], NOT_FOUND)
        .stderr_has(&["NOPE"]);
    env.fails(&["stock", "list", "--warehouse", "NOPE"], NOT_FOUND)
        .stderr_has(&["NOPE"]);
}

#[test]
fn malformed_quantities_are_refused_and_change_nothing() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "5"]);
    let before = env.dump();
    for qty in [
        "1e3",
        "NaN",
        "inf",
        "1,5",
        "1 000",
        "1_000",
        "0x10",
        "1.0001",
        "99999999999999",
        "1000000000.001",
        "--1",
        "1.2.3",
        "",
        " ",
        "0",
        "-0",
        "0.000",
        "five",
    ] {
        let out = env.run(&["stock", "adjust", "W-1", qty]);
        assert!(
            out.code == REFUSED || (out.code == USAGE && qty.starts_with("--")),
            "quantity {qty:?} should be refused\n{out:?}"
        );
        assert!(out.stdout.is_empty(), "{out:?}");
    }
    env.fails(&["stock", "adjust", "W-1", "1.0001"], REFUSED)
        .stderr_has(&["1.0001", "3 decimals"]);
    env.fails(&["stock", "adjust", "W-1", "1e3"], REFUSED)
        .stderr_has(&["'1e3'", "plain decimal"]);
    env.fails(&["stock", "adjust", "W-1", "99999999999999"], REFUSED)
        .stderr_has(&["out of range"]);
    assert_eq!(env.dump(), before);
    assert_eq!(env.on_hand("W-1", "MAIN"), "5");
}

#[test]
fn an_adjustment_below_zero_is_refused_and_changes_nothing() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "2"]);
    let stock_before = env.stock();
    let before = env.dump();
    let out = env.fails(&["stock", "adjust", "W-1", "-3"], REFUSED);
    out.stderr_has(&["W-1", "2 on hand", "-1", "nothing was changed"]);
    assert!(out.stdout.is_empty());
    env.fails(&["stock", "adjust", "W-1", "-2.001"], REFUSED);
    env.fails(&["stock", "adjust", "W-1", "-1000000000"], REFUSED);
    assert_eq!(env.stock(), stock_before);
    assert_eq!(env.dump(), before);
}

#[test]
fn an_adjustment_beyond_the_largest_quantity_is_refused() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "1000000000"]);
    let before = env.dump();
    env.fails(&["stock", "adjust", "W-1", "1"], REFUSED)
        .stderr_has(&["out of range"]);
    assert_eq!(env.dump(), before);
}

#[test]
fn unknown_sku_or_warehouse_is_not_found_and_changes_nothing() {
    let env = Env::with_item("W-1");
    let before = env.dump();
    env.fails(&["stock", "adjust", "NOPE", "1"], NOT_FOUND)
        .stderr_has(&["NOPE", "item list"]);
    env.fails(
        &["stock", "adjust", "W-1", "1", "--warehouse", "WEST"],
        NOT_FOUND,
    )
    .stderr_has(&["WEST", "warehouse list"]);
    env.fails(
        &["stock", "adjust", "W-1", "1", "--warehouse", "a b"],
        REFUSED,
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn bad_dates_and_reasons_are_refused() {
    let env = Env::with_item("W-1");
    let before = env.dump();
    for date in ["2024-02-30", "2024-1-1", "tomorrow", "01/02/2024", ""] {
        env.fails(&["stock", "adjust", "W-1", "1", "--date", date], REFUSED)
            .stderr_has(&["YYYY-MM-DD"]);
    }
    env.fails(
        &["stock", "adjust", "W-1", "1", "--reason", "bad\u{1}"],
        REFUSED,
    );
    env.fails(
        &["stock", "adjust", "W-1", "1", "--reason", &"r".repeat(501)],
        REFUSED,
    );
    assert_eq!(env.dump(), before);
    env.ok(&[
        "stock",
        "adjust",
        "W-1",
        "1",
        "--date",
        "2024-02-29",
        "--reason",
        "leap day",
    ]);
    let last = env
        .json(&["history", "W-1"])
        .as_array()
        .unwrap()
        .last()
        .cloned()
        .unwrap();
    let detail = last["detail"].as_str().unwrap();
    assert!(
        detail.contains("2024-02-29") && detail.contains("leap day"),
        "{detail}"
    );
}

#[test]
fn release_reservations_flag_is_accepted_when_nothing_is_reserved() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "3"]);
    env.ok(&["stock", "adjust", "W-1", "-1", "--release-reservations"]);
    assert_eq!(env.on_hand("W-1", "MAIN"), "2");
}
