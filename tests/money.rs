#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Money through the binary (SPEC §3.9, issue 7): every flag that sets an amount on a sales order,
//! a backorder PO, a bill or an invoice, with the expected figures computed by hand in comments.
//! Rounding is to 2 decimals, half away from zero, at the line, tax and TCS steps.

mod common;
use common::*;
use serde_json::Value;

/// A JSON field as a string (decimals are strings in JSON output).
#[track_caller]
fn s(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(x) => x.clone(),
        other => panic!("{key} is not a string: {other:?} in {v:#}"),
    }
}

/// Asserts several string fields of one JSON object at once.
#[track_caller]
fn fields(v: &Value, expected: &[(&str, &str)]) {
    for (k, want) in expected {
        assert_eq!(s(v, k), *want, "field {k} of {v:#}");
    }
}

/// Adds a vendor and an item with a selling and a purchase rate.
fn item(env: &Env, sku: &str, rate: &str, purchase: &str, vendor: &str) {
    env.ok(&[
        "item",
        "add",
        sku,
        "--name",
        sku,
        "--rate",
        rate,
        "--purchase-rate",
        purchase,
        "--vendor",
        vendor,
    ]);
}

/// The one purchase order of `vendor` among `po list`.
#[track_caller]
fn po_of(env: &Env, vendor: &str) -> Value {
    let list = env.json(&["po", "list"]);
    let rows: Vec<&Value> = list
        .as_array()
        .expect("po list is an array")
        .iter()
        .filter(|p| p["vendor"] == vendor)
        .collect();
    assert_eq!(rows.len(), 1, "one PO of {vendor}: {list:#}");
    env.json(&["po", "show", &s(rows[0], "number")])
}

// ---------------------------------------------------------------------------------------------
// 1. Sales-order totals
// ---------------------------------------------------------------------------------------------

fn so_env() -> Env {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme Supplies"]);
    env.ok(&["customer", "add", "Zed Retail"]);
    item(&env, "W-1", "2.01", "1.00", "Acme Supplies");
    item(&env, "G-7", "10.25", "1.00", "Acme Supplies");
    item(&env, "H-2", "40.00", "1.00", "Acme Supplies");
    item(&env, "K-1", "0.10", "0.05", "Acme Supplies");
    env
}

#[test]
fn so_totals_from_every_money_flag() {
    let env = so_env();
    let so = env.json(&[
        "so",
        "create",
        "--customer",
        "Zed Retail",
        "--item",
        "W-1:0.5",
        "--item",
        "G-7:1",
        "--item",
        "H-2:3@40.00",
        "--item",
        "K-1:1",
        "--tax-rate",
        "5",
        "--tax-rate",
        "G-7=18",
        "--discount",
        "H-2=10.00",
        "--discount",
        "2.00",
        "--charges",
        "15.00",
        "--adjustment",
        "-0.50",
    ]);
    // W-1: 0.5 × 2.01 = 1.005 → 1.01 (half away from zero); tax 5 % of 1.01 = 0.0505 → 0.05
    // G-7: 1 × 10.25 = 10.25; tax 18 % (its own rate) = 1.845 → 1.85
    // H-2: 3 × 40.00 − 10.00 line discount = 110.00; tax 5 % = 5.50
    // K-1: 1 × 0.10 = 0.10; tax 5 % = 0.005 → 0.01 (banker's rounding would give 0.00)
    // subtotal = 1.01 + 10.25 + 110.00 + 0.10 = 121.36; tax = 0.05 + 1.85 + 5.50 + 0.01 = 7.41
    // total = 121.36 − 2.00 + 7.41 + 15.00 − 0.50 = 141.27
    fields(
        &so,
        &[
            ("subtotal", "121.36"),
            ("discount", "2.00"),
            ("tax", "7.41"),
            ("charges", "15.00"),
            ("adjustment", "-0.50"),
            ("total", "141.27"),
        ],
    );
    let amounts: Vec<String> = so["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| s(l, "amount"))
        .collect();
    assert_eq!(amounts, ["1.01", "10.25", "110.00", "0.10"]);
    // `so show` reads back the same figures
    let shown = env.json(&["so", "show", "SO-00001"]);
    for k in [
        "subtotal",
        "discount",
        "tax",
        "charges",
        "adjustment",
        "total",
    ] {
        assert_eq!(shown[k], so[k], "{k}");
    }
}

#[test]
fn so_invoice_carries_the_order_totals() {
    let env = so_env();
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Zed Retail",
        "--item",
        "G-7:2",
        "--tax-rate",
        "18",
        "--discount",
        "0.50",
        "--charges",
        "3.00",
        "--adjustment",
        "-0.01",
        "--confirm",
    ]);
    env.ok(&["so", "invoice", "SO-00001", "--date", "2026-11-01"]);
    // 2 × 10.25 = 20.50; tax 18 % = 3.69; total = 20.50 − 0.50 + 3.69 + 3.00 − 0.01 = 26.68
    let so = env.json(&["so", "show", "SO-00001"]);
    assert_eq!(s(&so, "total"), "26.68");
    let inv = &so["invoices"][0];
    fields(
        inv,
        &[
            ("number", "INV-00001"),
            ("date", "2026-11-01"),
            ("total", "26.68"),
        ],
    );
}

#[test]
fn so_money_flags_are_refused_when_wrong_and_change_nothing() {
    let env = so_env();
    let before = env.dump();
    let base = [
        "so",
        "create",
        "--customer",
        "Zed Retail",
        "--item",
        "G-7:1",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter()
            .chain(extra.iter())
            .map(|x| (*x).to_string())
            .collect()
    };
    let cases: &[&[&str]] = &[
        // a line discount larger than its amount 10.25
        &["--discount", "G-7=10.26"],
        // a document discount larger than the subtotal 10.25
        &["--discount", "10.26"],
        // a tax rate above 100 %
        &["--tax-rate", "101"],
        // a per-line term for a SKU with no line
        &["--discount", "X-9=1"],
        &["--tax-rate", "X-9=5"],
        // charges are never negative
        &["--charges=-1.00"],
    ];
    for extra in cases {
        let args = with(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&args);
        out.expect(REFUSED);
        assert_eq!(env.dump(), before, "{extra:?} changed the database");
    }
    // the discount equal to the amount is fine: 10.25 − 10.25 = 0.00, tax 18 % of 0 = 0.00,
    // total = 0.00 − 0.00 + 0.00 + 0.00 − 0.50 = −0.50 (a negative adjustment is accepted)
    let so = env.json(&[
        "so",
        "create",
        "--customer",
        "Zed Retail",
        "--item",
        "G-7:1",
        "--discount",
        "G-7=10.25",
        "--tax-rate",
        "18",
        "--adjustment",
        "-0.50",
    ]);
    fields(
        &so,
        &[
            ("subtotal", "0.00"),
            ("tax", "0.00"),
            ("adjustment", "-0.50"),
            ("total", "-0.50"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Purchase orders raised by backorder create / bulk
// ---------------------------------------------------------------------------------------------

/// W-1 (purchase 8.25) and G-7 (purchase 3.35) from Acme Supplies; SO-00001 short W-1 4, G-7 3.
fn backorder_env() -> Env {
    let env = Env::with_item("W-1");
    item(&env, "G-7", "6.00", "3.35", "Acme Supplies");
    env.ok(&["customer", "add", "Zed Retail"]);
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Zed Retail",
        "--item",
        "W-1:4",
        "--item",
        "G-7:3",
        "--confirm",
        "--no-backorder",
    ]);
    env
}

/// `backorder create SO-00001` with every money flag; the PO is PO-00001.
fn backorder_with_money(env: &Env) {
    env.ok(&[
        "backorder",
        "create",
        "SO-00001",
        "--tax-rate",
        "18",
        "--tax-rate",
        "G-7=5",
        "--discount",
        "W-1=1.00",
        "--discount",
        "3.00",
        "--charges",
        "25.60",
        "--adjustment",
        "-0.41",
        "--tcs-rate",
        "1",
    ]);
}

#[test]
fn po_totals_from_backorder_create() {
    let env = backorder_env();
    backorder_with_money(&env);
    let po = env.json(&["po", "show", "PO-00001"]);
    // W-1: 4 × 8.25 = 33.00 − 1.00 = 32.00; tax 18 % = 5.76
    // G-7: 3 × 3.35 = 10.05; tax 5 % = 0.5025 → 0.50
    // subtotal 42.05, tax 6.26
    // TCS base = 42.05 − 3.00 + 6.26 + 25.60 − 0.41 = 70.50; 1 % = 0.705 → 0.71 (half away)
    // total = 70.50 + 0.71 = 71.21
    fields(
        &po,
        &[
            ("subtotal", "42.05"),
            ("discount", "3.00"),
            ("tax", "6.26"),
            ("charges", "25.60"),
            ("adjustment", "-0.41"),
            ("tcs_rate", "1"),
            ("tcs", "0.71"),
            ("total", "71.21"),
        ],
    );
    let amounts: Vec<String> = po["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| s(l, "amount"))
        .collect();
    assert_eq!(amounts, ["32.00", "10.05"]);
}

#[test]
fn po_totals_from_backorder_bulk_apply_to_each_po() {
    let env = Env::with_item("W-1");
    env.ok(&["vendor", "add", "Beta Traders"]);
    item(&env, "B-2", "30.00", "20.00", "Beta Traders");
    env.ok(&["customer", "add", "Zed Retail"]);
    for items in [
        &["--item", "W-1:10"][..],
        &["--item", "W-1:5.5", "--item", "B-2:2"],
    ] {
        let mut a = vec!["so", "create", "--customer", "Zed Retail"];
        a.extend_from_slice(items);
        a.extend(["--confirm", "--no-backorder"]);
        env.ok(&a);
    }
    env.ok(&[
        "backorder",
        "bulk",
        "--all",
        "--tax-rate",
        "12",
        "--charges",
        "10.00",
        "--adjustment",
        "-0.05",
        "--tcs-rate",
        "0.1",
    ]);
    // Acme: W-1 (10 + 5.5) × 8.25 = 127.875 → 127.88; tax 12 % = 15.3456 → 15.35
    //   TCS base = 127.88 + 15.35 + 10.00 − 0.05 = 153.18; 0.1 % = 0.15318 → 0.15; total 153.33
    let acme = po_of(&env, "Acme Supplies");
    fields(
        &acme,
        &[
            ("subtotal", "127.88"),
            ("discount", "0.00"),
            ("tax", "15.35"),
            ("charges", "10.00"),
            ("adjustment", "-0.05"),
            ("tcs_rate", "0.1"),
            ("tcs", "0.15"),
            ("total", "153.33"),
        ],
    );
    // Beta: B-2 2 × 20.00 = 40.00; tax 12 % = 4.80
    //   TCS base = 40.00 + 4.80 + 10.00 − 0.05 = 54.75; 0.1 % = 0.05475 → 0.05; total 54.80
    let beta = po_of(&env, "Beta Traders");
    fields(
        &beta,
        &[
            ("subtotal", "40.00"),
            ("tax", "4.80"),
            ("charges", "10.00"),
            ("adjustment", "-0.05"),
            ("tcs_rate", "0.1"),
            ("tcs", "0.05"),
            ("total", "54.80"),
        ],
    );
}

#[test]
fn backorder_tcs_rate_is_checked() {
    let env = backorder_env();
    let before = env.dump();
    for bad in ["101", "-1", "abc"] {
        let flag = format!("--tcs-rate={bad}");
        env.fails(&["backorder", "create", "SO-00001", &flag], REFUSED);
        assert_eq!(env.dump(), before, "--tcs-rate {bad} changed the database");
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Bills
// ---------------------------------------------------------------------------------------------

#[test]
fn bills_inherit_or_override_tcs_and_carry_charges_once() {
    let env = backorder_env();
    backorder_with_money(&env);
    env.ok(&["po", "issue", "PO-00001"]);

    // Bill 1, G-7 1 of 3: the line's 10.05 (tax 0.50) shared by quantity: 3.35, tax 0.17.
    // The PO's discount 3.00 is shared by amount billed: 3.00 × 3.35 / 42.05 = 0.239 → 0.24;
    // its charges 25.60 and adjustment −0.41 go on the first bill.
    // TCS (the PO's 1 %) on 3.35 − 0.24 + 0.17 + 25.60 − 0.41 = 28.47 → 0.2847 → 0.28
    // total = 28.47 + 0.28 = 28.75
    let b1 = env.json(&["bill", "record", "PO-00001", "--item", "G-7=1"]);
    fields(
        &b1,
        &[
            ("number", "BILL-00001"),
            ("subtotal", "3.35"),
            ("discount", "0.24"),
            ("tax", "0.17"),
            ("charges", "25.60"),
            ("adjustment", "-0.41"),
            ("tcs_rate", "1"),
            ("tcs", "0.28"),
            ("total", "28.75"),
        ],
    );
    let l = &b1["lines"][0];
    fields(
        l,
        &[
            ("sku", "G-7"),
            ("quantity", "1"),
            ("amount", "3.35"),
            ("tax", "0.17"),
        ],
    );
    assert_eq!(b1["lines"].as_array().map(Vec::len), Some(1));

    // Bill 2, G-7 the other 2, --tcs-rate 0.5: 10.05 − 3.35 = 6.70; tax 0.50 − 0.17 = 0.33
    // discount: 3.00 × 10.05 / 42.05 = 0.717 → 0.72, less the 0.24 billed = 0.48
    // not the first bill: no charges or adjustment
    // TCS 0.5 % of 6.70 − 0.48 + 0.33 = 6.55 → 0.03275 → 0.03; total 6.58
    env.ok(&[
        "bill",
        "record",
        "PO-00001",
        "--item",
        "G-7=2",
        "--tcs-rate",
        "0.5",
    ]);
    let b2 = env.json(&["bill", "show", "BILL-00002"]);
    fields(
        &b2,
        &[
            ("subtotal", "6.70"),
            ("discount", "0.48"),
            ("tax", "0.33"),
            ("charges", "0.00"),
            ("adjustment", "0.00"),
            ("tcs_rate", "0.5"),
            ("tcs", "0.03"),
            ("total", "6.58"),
        ],
    );

    // Bill 3, the rest (W-1 4, the whole line: 32.00, tax 5.76) with its own charges and adjustment
    // discount: the rest of the PO's, 3.00 − 0.72 = 2.28 (the three bills' discounts add up to 3.00)
    // TCS 1 % (the PO's again) of 32.00 − 2.28 + 5.76 + 4.50 − 0.05 = 39.93 → 0.3993 → 0.40; total 40.33
    env.ok(&[
        "bill",
        "record",
        "PO-00001",
        "--charges",
        "4.50",
        "--adjustment",
        "-0.05",
    ]);
    let b3 = env.json(&["bill", "show", "BILL-00003"]);
    fields(
        &b3,
        &[
            ("subtotal", "32.00"),
            ("discount", "2.28"),
            ("tax", "5.76"),
            ("charges", "4.50"),
            ("adjustment", "-0.05"),
            ("tcs_rate", "1"),
            ("tcs", "0.40"),
            ("total", "40.33"),
        ],
    );
    fields(
        &b3["lines"][0],
        &[("sku", "W-1"), ("quantity", "4"), ("amount", "32.00")],
    );
    // the first bill still reads the same
    assert_eq!(env.json(&["bill", "show", "BILL-00001"]), b1);
}

#[test]
fn a_whole_bill_matches_the_po_and_tcs_rate_zero_overrides() {
    let env = backorder_env();
    backorder_with_money(&env);
    env.ok(&["po", "issue", "PO-00001"]);
    // everything at once is the PO itself: 42.05 − 3.00 + 6.26 + 25.60 − 0.41 = 70.50,
    // and with --tcs-rate 0 no TCS: total 70.50
    let b = env.json(&["bill", "record", "PO-00001", "--tcs-rate", "0"]);
    fields(
        &b,
        &[
            ("subtotal", "42.05"),
            ("discount", "3.00"),
            ("tax", "6.26"),
            ("charges", "25.60"),
            ("adjustment", "-0.41"),
            ("tcs_rate", "0"),
            ("tcs", "0.00"),
            ("total", "70.50"),
        ],
    );
}

#[test]
fn a_line_billed_in_parts_keeps_its_discount() {
    let env = backorder_env();
    backorder_with_money(&env);
    env.ok(&["po", "issue", "PO-00001"]);
    // W-1 on the PO: 4 × 8.25 − 1.00 = 32.00. Billed as 1 + 3, the bills' W-1 amounts must add
    // up to the same 32.00 (at once it is 32.00; in parts the code bills 8.25 + 24.75 = 33.00).
    env.ok(&["bill", "record", "PO-00001", "--item", "W-1=1"]);
    env.ok(&["bill", "record", "PO-00001", "--item", "W-1=3"]);
    let mut total_cents = 0i64;
    for b in ["BILL-00001", "BILL-00002"] {
        let bill = env.json(&["bill", "show", b]);
        let amount = s(&bill["lines"][0], "amount");
        let (whole, frac) = amount.split_once('.').expect("a decimal");
        total_cents +=
            whole.parse::<i64>().expect("whole") * 100 + frac.parse::<i64>().expect("frac");
    }
    assert_eq!(total_cents, 3200, "W-1 billed in parts");
}

#[test]
fn a_small_first_bill_on_a_discounted_po_can_be_recorded() {
    let env = backorder_env();
    backorder_with_money(&env);
    env.ok(&["po", "issue", "PO-00001"]);
    // G-7 0.5 = 1.675 → 1.68 < the PO discount 3.00: SPEC §3.4 allows billing some of the lines
    env.ok(&["bill", "record", "PO-00001", "--item", "G-7=0.5"]);
}

// ---------------------------------------------------------------------------------------------
// 4. TCS on sales invoices
// ---------------------------------------------------------------------------------------------

/// TCS switched on (turnover above ₹10 crore); BIG sells at ₹10,00,000.00; customers with PAN
/// (`Pan Co`) and without (`No Pan`).
fn tcs_env() -> Env {
    let env = Env::init();
    env.ok(&["config", "set", "tcs.enabled", "true"]);
    env.ok(&["config", "set", "tcs.turnover_exceeds_threshold", "true"]);
    env.ok(&["vendor", "add", "Acme Supplies"]);
    item(&env, "BIG", "1000000", "1", "Acme Supplies");
    env.ok(&["stock", "adjust", "BIG", "100", "--reason", "opening"]);
    env.ok(&["customer", "add", "Pan Co", "--pan", "ABCDE1234F"]);
    env.ok(&["customer", "add", "No Pan"]);
    env
}

/// Creates and confirms an order dated `date`, packs it, invoices it on `date`; returns the
/// invoice as `so show` lists it.
#[track_caller]
fn invoice(env: &Env, customer: &str, date: &str, extra: &[&str]) -> Value {
    let mut a = vec!["so", "create", "--customer", customer, "--date", date];
    a.extend_from_slice(extra);
    a.push("--confirm");
    let so = env.json(&a);
    let n = s(&so, "number");
    env.ok(&["so", "package", &n, "--date", date]);
    env.ok(&["so", "invoice", &n, "--date", date]);
    let shown = env.json(&["so", "show", &n]);
    let invs = shown["invoices"].as_array().expect("invoices").clone();
    assert_eq!(invs.len(), 1, "{shown:#}");
    assert_eq!(s(&invs[0], "date"), date);
    invs[0].clone()
}

#[test]
fn sales_tcs_only_on_the_excess_over_50_lakh_per_financial_year() {
    let env = tcs_env();
    // FY 2025-26. 30,00,000.00: below the threshold, no TCS
    let i1 = invoice(&env, "Pan Co", "2025-05-01", &["--item", "BIG:3"]);
    assert_eq!(s(&i1, "total"), "3000000.00");
    // 25,00,000.00 + charges 1,234.56 = 25,01,234.56; the year reaches 55,01,234.56:
    // TCS 0.1 % of the excess 5,01,234.56 = 501.23456 → 501.23; total 25,01,735.79
    let i2 = invoice(
        &env,
        "Pan Co",
        "2025-06-01",
        &["--item", "BIG:2.5", "--charges", "1234.56"],
    );
    assert_eq!(s(&i2, "total"), "2501735.79");
    // fully above: 1,23,456.78 at 0.1 % = 123.45678 → 123.46; total 1,23,580.24
    let i3 = invoice(&env, "Pan Co", "2025-07-01", &["--item", "BIG:1@123456.78"]);
    assert_eq!(s(&i3, "total"), "123580.24");
    // on the last day of the year still above: 10,000.00 at 0.1 % = 10.00
    let i4 = invoice(&env, "Pan Co", "2026-03-31", &["--item", "BIG:1@10000"]);
    assert_eq!(s(&i4, "total"), "10010.00");
    // FY 2026-27 starts from zero: 40,00,000.00 is below the threshold again
    let i5 = invoice(&env, "Pan Co", "2026-04-01", &["--item", "BIG:4"]);
    assert_eq!(s(&i5, "total"), "4000000.00");
    // and crossing it again: 40,00,000 + 15,00,000 = 55,00,000; 0.1 % of 5,00,000 = 500.00
    let i6 = invoice(&env, "Pan Co", "2026-05-01", &["--item", "BIG:1.5"]);
    assert_eq!(s(&i6, "total"), "1500500.00");
}

#[test]
fn sales_tcs_without_pan_is_one_percent() {
    let env = tcs_env();
    // 52,00,000.00 with 18 % tax: 52,00,000 + 9,36,000 = 61,36,000.00 (TCS is on the total with taxes)
    // excess 11,36,000.00 at 1 % = 11,360.00; total 61,47,360.00
    let i = invoice(
        &env,
        "No Pan",
        "2025-05-01",
        &["--item", "BIG:5.2", "--tax-rate", "18"],
    );
    assert_eq!(s(&i, "total"), "6147360.00");
}

#[test]
fn sales_tcs_dates_around_the_start_and_the_reduced_rate() {
    let env = tcs_env();
    // FY 2020-21. 30 September 2020: before TCS started, none even above the threshold
    let i1 = invoice(&env, "Pan Co", "2020-09-30", &["--item", "BIG:6"]);
    assert_eq!(s(&i1, "total"), "6000000.00");
    // 1 October 2020: the year's earlier sales count toward ₹50 lakh, so all of it is above;
    // reduced rate 0.075 % of 10,00,000 = 750.00
    let i2 = invoice(&env, "Pan Co", "2020-10-01", &["--item", "BIG:1"]);
    assert_eq!(s(&i2, "total"), "1000750.00");
    // 1 February 2021, still the reduced rate: 0.075 % of 2,00,000.00 = 150.00
    let i3 = invoice(&env, "Pan Co", "2021-02-01", &["--item", "BIG:0.2"]);
    assert_eq!(s(&i3, "total"), "200150.00");
    // 31 March 2021, the last reduced day: 0.075 % of 6,666.00 = 4.9995 → 5.00
    let i4 = invoice(&env, "Pan Co", "2021-03-31", &["--item", "BIG:1@6666"]);
    assert_eq!(s(&i4, "total"), "6671.00");
    // 1 April 2021: a new year, from zero: 50,00,000 exactly is not above, no TCS
    let i5 = invoice(&env, "Pan Co", "2021-04-01", &["--item", "BIG:5"]);
    assert_eq!(s(&i5, "total"), "5000000.00");
    // then the full rate 0.1 % on 2,00,000.00 = 200.00
    let i6 = invoice(&env, "Pan Co", "2021-04-02", &["--item", "BIG:0.2"]);
    assert_eq!(s(&i6, "total"), "200200.00");
}

#[test]
fn sales_tcs_off_turnover_false_or_after_the_end_date_means_none() {
    let env = tcs_env();
    // 60,00,000.00 in one invoice would carry 0.1 % of 10,00,000 = 1,000.00 if TCS applied
    env.ok(&["config", "set", "tcs.enabled", "false"]);
    let i = invoice(&env, "Pan Co", "2025-05-01", &["--item", "BIG:6"]);
    assert_eq!(s(&i, "total"), "6000000.00");

    env.ok(&["config", "set", "tcs.enabled", "true"]);
    env.ok(&["config", "set", "tcs.turnover_exceeds_threshold", "false"]);
    let i = invoice(&env, "Pan Co", "2025-05-02", &["--item", "BIG:1"]);
    assert_eq!(s(&i, "total"), "1000000.00");

    env.ok(&["config", "set", "tcs.turnover_exceeds_threshold", "true"]);
    env.ok(&["config", "set", "tcs.end_date", "2025-05-31"]);
    let i = invoice(&env, "Pan Co", "2025-06-01", &["--item", "BIG:1"]);
    assert_eq!(s(&i, "total"), "1000000.00");

    // with the end date cleared it applies again: the year has 80,00,000 before; 0.1 % of
    // 10,00,000 = 1,000.00
    env.ok(&["config", "set", "tcs.end_date", ""]);
    let i = invoice(&env, "Pan Co", "2025-06-02", &["--item", "BIG:1"]);
    assert_eq!(s(&i, "total"), "1001000.00");
}

/// The first day of the Indian financial year of `date` (YYYY-MM-DD).
fn fy_start(date: &str) -> String {
    let year: i32 = date[..4].parse().expect("year");
    let month: u32 = date[5..7].parse().expect("month");
    let start = if month >= 4 { year } else { year - 1 };
    format!("{start}-04-01")
}

#[test]
fn customer_show_counts_this_financial_year_before_tcs() {
    let env = tcs_env();
    // invoices dated today (no --date), so they are in the financial year `customer show` reports
    let today = {
        let so = env.json(&[
            "so",
            "create",
            "--customer",
            "Pan Co",
            "--item",
            "BIG:4.5",
            "--confirm",
        ]);
        env.ok(&["so", "invoice", "SO-00001"]);
        s(&so, "date")
    };
    // an invoice of last financial year does not count
    let last_year = format!(
        "{}-05-01",
        fy_start(&today)[..4].parse::<i32>().expect("y") - 1
    );
    invoice(&env, "Pan Co", &last_year, &["--item", "BIG:7"]);

    // 45,00,000.00 invoiced: 5,00,000.00 left below ₹50 lakh
    let c = env.json(&["customer", "show", "Pan Co"]);
    fields(
        &c,
        &[
            ("fy_start", &fy_start(&today)),
            ("fy_invoiced", "4500000.00"),
            ("tcs_threshold", "5000000.00"),
            ("below_threshold_left", "500000.00"),
        ],
    );
    // 10,00,000 more crosses it: TCS 0.1 % of 5,00,000 = 500.00 on a total of 10,00,500.00;
    // fy_invoiced counts totals before TCS: 55,00,000.00; nothing left
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Pan Co",
        "--item",
        "BIG:1",
        "--confirm",
    ]);
    env.ok(&["so", "invoice", "SO-00003"]);
    let so = env.json(&["so", "show", "SO-00003"]);
    assert_eq!(s(&so["invoices"][0], "total"), "1000500.00");
    let c = env.json(&["customer", "show", "Pan Co"]);
    fields(
        &c,
        &[
            ("fy_invoiced", "5500000.00"),
            ("below_threshold_left", "0.00"),
        ],
    );
    // a customer with nothing invoiced has the whole threshold left
    let c = env.json(&["customer", "show", "No Pan"]);
    fields(
        &c,
        &[
            ("fy_invoiced", "0.00"),
            ("below_threshold_left", "5000000.00"),
        ],
    );
}
