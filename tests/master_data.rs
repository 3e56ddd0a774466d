//! Master data (SPEC §3.1, §4): settings, warehouses, vendors, customers, items and the history
//! of each; the happy path and every refusal with its exit code, and a refusal changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;

// ---- config ----

#[test]
fn config_list_shows_every_setting_with_its_default() {
    let env = Env::init();
    let list = env.json(&["config", "list"]);
    let list = list.as_array().unwrap();
    let keys: Vec<&str> = list.iter().map(|s| s["key"].as_str().unwrap()).collect();
    for key in [
        "org.name",
        "currency",
        "hold_release",
        "tcs.enabled",
        "tcs.rate",
        "tcs.no_pan_rate",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let hold = list.iter().find(|s| s["key"] == "hold_release").unwrap();
    assert_eq!(hold["value"], "billed");
    assert_eq!(hold["default"], "billed");
    assert!(!hold["description"].as_str().unwrap().is_empty());
}

#[test]
fn config_set_then_get_and_history() {
    let env = Env::init();
    let out = env.run(&[
        "config",
        "set",
        "hold_release",
        "RECEIVED",
        "--format",
        "json",
    ]);
    out.expect(OK).stderr_has(&["hold_release = received"]);
    assert_eq!(out.json()["value"], "received", "values are normalized");
    assert_eq!(
        env.json(&["config", "get", "hold_release"])["value"],
        "received"
    );
    env.ok(&["config", "set", "org.name", "Corner Shop"]);
    assert_eq!(
        env.json(&["config", "get", "org.name"])["value"],
        "Corner Shop"
    );

    let events = env.json(&["history", "config"]);
    let details: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("hold_release") && d.contains("billed") && d.contains("received")),
        "{details:?}"
    );
}

#[test]
fn config_refuses_bad_values_and_unknown_keys() {
    let env = Env::init();
    let before = env.dump();
    env.fails(&["config", "set", "hold_release", "bogus"], REFUSED)
        .stderr_has(&[
            "hold_release",
            "bogus",
            "billed, received, received_and_billed",
        ]);
    env.fails(&["config", "set", "nope", "x"], REFUSED)
        .stderr_has(&["unknown setting 'nope'", "hold_release"]);
    env.fails(&["config", "get", "nope"], REFUSED)
        .stderr_has(&["unknown setting"]);
    env.fails(&["config", "set", "tcs.rate", "101"], REFUSED);
    env.fails(&["config", "set", "tcs.enabled", "maybe"], REFUSED);
    env.fails(&["config", "set", "tcs.start_date", "2020-13-01"], REFUSED);
    env.fails(&["config", "set", "currency", "RUPEES"], REFUSED);
    env.fails(&["config", "set", "org.name", "  "], REFUSED);
    env.fails(&["config", "set", "hold_release"], USAGE);
    assert_eq!(env.dump(), before);
}

// ---- warehouses ----

#[test]
fn warehouse_add_and_list() {
    let env = Env::init();
    let out = env.run(&[
        "warehouse",
        "add",
        "east-1",
        "--name",
        "East",
        "--address",
        "1 Dock Rd",
        "--format",
        "json",
    ]);
    out.expect(OK).stderr_has(&["Added warehouse EAST-1"]);
    assert_eq!(
        out.json(),
        json!({"code": "EAST-1", "name": "East", "address": "1 Dock Rd"})
    );
    let list = env.json(&["warehouse", "list"]);
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["EAST-1", "MAIN"]);
    assert_eq!(
        env.json(&["history", "warehouse:east-1"])[0]["action"],
        "created"
    );
}

#[test]
fn warehouse_add_refuses_duplicates_bad_codes_and_empty_names() {
    let env = Env::init();
    env.ok(&["warehouse", "add", "EAST", "--name", "East"]);
    let before = env.dump();
    env.fails(&["warehouse", "add", "east", "--name", "Again"], REFUSED)
        .stderr_has(&["EAST already exists"]);
    env.fails(&["warehouse", "add", "main", "--name", "Again"], REFUSED);
    env.fails(&["warehouse", "add", "a b", "--name", "X"], REFUSED)
        .stderr_has(&["warehouse code"]);
    env.fails(
        &["warehouse", "add", &"W".repeat(33), "--name", "X"],
        REFUSED,
    );
    env.fails(&["warehouse", "add", "WEST", "--name", " "], REFUSED)
        .stderr_has(&["name"]);
    env.fails(&["warehouse", "add", "WEST"], USAGE)
        .stderr_has(&["--name"]);
    assert_eq!(env.dump(), before);
}

// ---- vendors ----

#[test]
fn vendor_add_list_and_show() {
    let env = Env::init();
    let out = env.run(&[
        "vendor",
        "add",
        "  Acme Supplies ",
        "--email",
        "orders@acme.example",
        "--address",
        "12 Mill Lane",
        "--lead-time-days",
        "7",
        "--format",
        "json",
    ]);
    out.expect(OK).stderr_has(&["Added vendor Acme Supplies"]);
    let v = out.json();
    assert_eq!(
        v,
        json!({"name": "Acme Supplies", "email": "orders@acme.example", "address": "12 Mill Lane", "lead_time_days": 7})
    );
    env.ok(&["vendor", "add", "Bolt Co"]);
    let list = env.json(&["vendor", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["name"], "Acme Supplies");
    assert_eq!(list[1]["lead_time_days"], serde_json::Value::Null);

    env.ok(&[
        "item",
        "add",
        "W-1",
        "--name",
        "Widget",
        "--rate",
        "1",
        "--purchase-rate",
        "1",
        "--vendor",
        "acme supplies",
    ]);
    let show = env.json(&["vendor", "show", "ACME SUPPLIES"]);
    assert_eq!(show["name"], "Acme Supplies");
    assert_eq!(show["items"], json!([{"sku": "W-1", "name": "Widget"}]));
    let table = env.ok(&["vendor", "show", "Acme Supplies"]);
    assert!(
        table.contains("orders@acme.example") && table.contains("W-1"),
        "{table}"
    );
}

#[test]
fn vendor_add_refuses_duplicates_case_insensitively_and_bad_fields() {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme"]);
    let before = env.dump();
    env.fails(&["vendor", "add", "ACME"], REFUSED)
        .stderr_has(&["'Acme' already exists", "vendor show"]);
    env.fails(&["vendor", "add", " acme "], REFUSED);
    env.fails(&["vendor", "add", ""], REFUSED)
        .stderr_has(&["vendor name must not be empty"]);
    env.fails(&["vendor", "add", "   "], REFUSED);
    env.fails(&["vendor", "add", &"v".repeat(201)], REFUSED);
    env.fails(&["vendor", "add", "Tab\u{7}Co"], REFUSED)
        .stderr_has(&["control"]);
    env.fails(
        &["vendor", "add", "Bolt", "--email", "not-an-email"],
        REFUSED,
    )
    .stderr_has(&["e-mail"]);
    env.fails(
        &["vendor", "add", "Bolt", "--lead-time-days", "4000"],
        USAGE,
    );
    env.fails(
        &["vendor", "add", "Bolt", "--lead-time-days", "soon"],
        USAGE,
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn vendor_show_unknown_is_not_found() {
    let env = Env::init();
    env.fails(&["vendor", "show", "Nobody"], NOT_FOUND)
        .stderr_has(&["Nobody", "vendor list"]);
}

// ---- customers ----

#[test]
fn customer_add_list_and_show() {
    let env = Env::init();
    let c = env.json(&[
        "customer",
        "add",
        "Bob's Bikes",
        "--email",
        "bob@bikes.example",
        "--address",
        "1 High St",
        "--pan",
        "abcde1234f",
    ]);
    assert_eq!(
        c,
        json!({
            "name": "Bob's Bikes",
            "email": "bob@bikes.example",
            "billing_address": "1 High St",
            "shipping_address": "1 High St",
            "pan": "ABCDE1234F"
        }),
        "shipping address defaults to billing; PAN upper-cased"
    );
    let d = env.json(&[
        "customer",
        "add",
        "Dana",
        "--address",
        "A",
        "--shipping-address",
        "B",
    ]);
    assert_eq!(d["shipping_address"], "B");
    assert_eq!(d["pan"], serde_json::Value::Null);
    assert_eq!(env.json(&["customer", "list"]).as_array().unwrap().len(), 2);
    assert_eq!(
        env.json(&["customer", "show", "bob's bikes"])["email"],
        "bob@bikes.example"
    );
    assert_eq!(
        env.json(&["history", "customer:Dana"])[0]["action"],
        "created"
    );
}

#[test]
fn customer_add_refuses_duplicates_and_bad_fields() {
    let env = Env::init();
    env.ok(&["customer", "add", "Bob"]);
    let before = env.dump();
    env.fails(&["customer", "add", "BOB"], REFUSED)
        .stderr_has(&["already exists"]);
    env.fails(&["customer", "add", ""], REFUSED);
    env.fails(&["customer", "add", "Eve", "--pan", "123"], REFUSED)
        .stderr_has(&["PAN"]);
    env.fails(&["customer", "add", "Eve", "--email", "eve@"], REFUSED);
    env.fails(
        &["customer", "add", "Eve", "--address", "a\u{1b}[31m"],
        REFUSED,
    );
    assert_eq!(env.dump(), before);
    env.fails(&["customer", "show", "Eve"], NOT_FOUND)
        .stderr_has(&["Eve", "customer list"]);
}

// ---- items ----

#[test]
fn item_add_list_and_show() {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme"]);
    let out = env.run(&[
        "item",
        "add",
        "BOLT-10/x.y_z",
        "--name",
        "Bolt, 10 mm",
        "--rate",
        "0.5",
        "--purchase-rate",
        "1234.5",
        "--unit",
        "box",
        "--vendor",
        "ACME",
        "--reorder-level",
        "2.125",
        "--format",
        "json",
    ]);
    out.expect(OK).stderr_has(&["Added item BOLT-10/x.y_z"]);
    assert_eq!(
        out.json(),
        json!({
            "sku": "BOLT-10/x.y_z",
            "name": "Bolt, 10 mm",
            "unit": "box",
            "rate": "0.50",
            "purchase_rate": "1234.50",
            "vendor": "Acme",
            "reorder_level": "2.125"
        })
    );
    let plain = env.json(&[
        "item",
        "add",
        "P-1",
        "--name",
        "Plain",
        "--rate",
        "3",
        "--purchase-rate",
        "2",
    ]);
    assert_eq!(plain["unit"], "pcs");
    assert_eq!(plain["vendor"], serde_json::Value::Null);
    assert_eq!(plain["reorder_level"], serde_json::Value::Null);

    let list = env.json(&["item", "list"]);
    let skus: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["BOLT-10/x.y_z", "P-1"]);

    let show = env.json(&["item", "show", "p-1"]);
    assert_eq!(show["sku"], "P-1", "lookup is case-insensitive");
    assert_eq!(
        show["stock"].as_array().unwrap().len(),
        1,
        "a new item has a zero row in MAIN"
    );
    assert_eq!(show["stock"][0]["warehouse"], "MAIN");
    assert_eq!(show["stock"][0]["on_hand"], "0");
}

#[test]
fn item_add_with_an_unknown_vendor_is_not_found_and_creates_nothing() {
    let env = Env::init();
    let before = env.dump();
    env.fails(
        &[
            "item",
            "add",
            "W-1",
            "--name",
            "W",
            "--rate",
            "1",
            "--purchase-rate",
            "1",
            "--vendor",
            "Ghost",
        ],
        NOT_FOUND,
    )
    .stderr_has(&["Ghost", "vendor add"]);
    assert_eq!(env.dump(), before);
    env.fails(&["item", "show", "W-1"], NOT_FOUND);
}

#[test]
fn item_add_refuses_bad_skus_names_and_numbers() {
    let env = Env::with_item("W-1");
    let before = env.dump();
    // (sku, name, rate, purchase rate, more flags)
    let add = |sku: &str, name: &str, rate: &str, purchase: &str, extra: &[&str]| {
        let rate = format!("--rate={rate}");
        let purchase = format!("--purchase-rate={purchase}");
        let mut a = vec!["item", "add", sku, "--name", name, &rate, &purchase];
        a.extend_from_slice(extra);
        env.run(&a)
    };
    add("a b", "N", "1", "1", &[])
        .expect(REFUSED)
        .stderr_has(&["SKU 'a b'"]);
    add("a,b", "N", "1", "1", &[]).expect(REFUSED);
    add("=1+1", "N", "1", "1", &[]).expect(REFUSED);
    add(&"s".repeat(65), "N", "1", "1", &[]).expect(REFUSED);
    add("w-1", "N", "1", "1", &[])
        .expect(REFUSED)
        .stderr_has(&["W-1 already exists"]);
    add("N-1", " ", "1", "1", &[])
        .expect(REFUSED)
        .stderr_has(&["name"]);
    add("N-1", "N", "1", "1", &["--unit", ""])
        .expect(REFUSED)
        .stderr_has(&["unit"]);
    add("N-1", "N", "-1", "1", &[])
        .expect(REFUSED)
        .stderr_has(&["--rate", "negative"]);
    add("N-1", "N", "1.005", "1", &[])
        .expect(REFUSED)
        .stderr_has(&["--rate", "decimals"]);
    add("N-1", "N", "1", "1e3", &[])
        .expect(REFUSED)
        .stderr_has(&["--purchase-rate"]);
    add("N-1", "N", "1,50", "1", &[]).expect(REFUSED);
    add("N-1", "N", "NaN", "1", &[]).expect(REFUSED);
    add("N-1", "N", "", "1", &[]).expect(REFUSED);
    add("N-1", "N", "1", "1", &["--reorder-level", "1.0001"])
        .expect(REFUSED)
        .stderr_has(&["--reorder-level"]);
    add("N-1", "N", "1", "1", &["--reorder-level=-1"]).expect(REFUSED);
    assert_eq!(env.dump(), before);
    env.fails(&["item", "add", "N-1", "--name", "N", "--rate", "1"], USAGE)
        .stderr_has(&["--purchase-rate"]);
}

#[test]
fn item_show_unknown_is_not_found() {
    let env = Env::init();
    env.fails(&["item", "show", "NOPE"], NOT_FOUND)
        .stderr_has(&["NOPE", "item list"]);
}

// ---- history ----

#[test]
fn history_finds_items_vendors_customers_warehouses_and_config() {
    let env = Env::with_item("W-1");
    env.ok(&["customer", "add", "Bob"]);
    for (doc, expected) in [
        ("W-1", "W-1"),
        ("w-1", "W-1"),
        ("Acme Supplies", "vendor:Acme Supplies"),
        ("vendor:Acme Supplies", "vendor:Acme Supplies"),
        ("Bob", "customer:Bob"),
        ("customer:Bob", "customer:Bob"),
        ("warehouse:MAIN", "warehouse:MAIN"),
        ("config", "config"),
    ] {
        let events = env.json(&["history", doc]);
        let events = events.as_array().unwrap();
        assert!(!events.is_empty(), "history {doc}");
        assert!(
            events.iter().all(|e| e["doc"] == expected),
            "history {doc}: {events:?}"
        );
        assert_eq!(events[0]["user"], "tester");
    }
}

#[test]
fn history_of_something_unknown_is_not_found() {
    let env = Env::init();
    for doc in ["NOPE", "vendor:Nobody", "SO-00001", "PO-1"] {
        env.fails(&["history", doc], NOT_FOUND)
            .stderr_has(&[doc, "vendor:NAME"]);
    }
}

#[test]
fn item_edit_changes_master_data_and_refuses_what_it_cannot_do() {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme"]);
    env.ok(&[
        "item",
        "add",
        "W-1",
        "--name",
        "W",
        "--rate",
        "1",
        "--purchase-rate",
        "1",
    ]);
    let item = env.json(&[
        "item",
        "edit",
        "W-1",
        "--vendor",
        "Acme",
        "--purchase-rate",
        "2.50",
        "--reorder-level",
        "4",
    ]);
    assert_eq!(item["vendor"], "Acme");
    assert_eq!(item["purchase_rate"], "2.50");
    assert_eq!(item["reorder_level"], "4");
    let item = env.json(&["item", "edit", "W-1", "--no-vendor", "--no-reorder-level"]);
    assert_eq!(item["vendor"], serde_json::Value::Null);
    assert_eq!(item["reorder_level"], serde_json::Value::Null);
    let before = env.dump();
    env.fails(&["item", "edit", "W-1", "--vendor", "Ghost"], NOT_FOUND);
    env.fails(&["item", "edit", "NOPE", "--rate", "1"], NOT_FOUND);
    env.fails(&["item", "edit", "W-1", "--rate", "1e3"], REFUSED);
    env.fails(&["item", "edit", "W-1"], USAGE);
    env.fails(
        &["item", "edit", "W-1", "--vendor", "Acme", "--no-vendor"],
        USAGE,
    );
    assert_eq!(env.dump(), before);
    assert!(env.ok(&["history", "W-1"]).contains("edited"));
}
