//! `item import FILE|-` (SPEC §4): all or nothing, every bad row listed by line and column, exit 3
//! for anything wrong with the file, and big files in one go.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

fn item_count(env: &Env) -> usize {
    env.json(&["item", "list"]).as_array().unwrap().len()
}

#[test]
fn ten_thousand_rows_import_with_their_opening_stock() {
    let env = Env::init();
    let file = env.write_file("items.csv", generated_items_csv(10_000).as_bytes());
    let out = env.run(&["item", "import", &file, "--date", "2024-04-01"]);
    out.expect(OK)
        .stderr_has(&["Imported 10000 item(s), 10000 with opening stock"]);
    let items = env.json(&["item", "list"]);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 10_000);
    assert_eq!(items[0]["sku"], "G-000001");
    assert_eq!(items[0]["name"], "Generated item 1");
    assert_eq!(items[0]["rate"], "1.50");
    assert_eq!(items[0]["purchase_rate"], "1.25");
    assert_eq!(items[9_999]["sku"], "G-010000");
    let stock = env.stock();
    let stock = stock.as_array().unwrap();
    assert_eq!(stock.len(), 10_000);
    assert!(stock
        .iter()
        .all(|r| r["on_hand"] == "2" && r["warehouse"] == "MAIN"));
    let history = env.json(&["history", "G-000042"]);
    let details: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("+2") && d.contains("2024-04-01")),
        "{details:?}"
    );
}

#[test]
fn one_bad_row_among_good_ones_imports_nothing_and_names_its_line_and_column() {
    let env = Env::init();
    let mut lines: Vec<String> = generated_items_csv(6_000)
        .lines()
        .map(str::to_string)
        .collect();
    // Data row 5000 is line 5001 of the file.
    lines[5_000] = "G-BAD,Bad row,pcs,12.345,1,,,2,".to_string();
    let file = env.write_file("items.csv", (lines.join("\n") + "\n").as_bytes());
    let before = env.dump();
    env.fails(&["item", "import", &file], REFUSED).stderr_has(&[
        "1 bad row",
        "nothing was imported",
        "line 5001, column rate",
        "12.345",
    ]);
    assert_eq!(item_count(&env), 0);
    assert_eq!(env.dump(), before);
}

/// A file with six bad rows (lines 4 to 9; the name on lines 2-3 has a quoted newline).
fn six_bad_rows(eol: &str) -> String {
    [
        "sku,name,rate,purchase_rate,vendor,opening_stock,warehouse",
        "OK-1,\"Two\nline name\",1,1,acme,,",
        "B 2,Bad sku,1,1,,,",
        "OK-3,Fine,x,1,,,",
        "OK-4,Fine,1,1,Ghost,,",
        "OK-5,Fine,1,1,,-2,",
        "OK-6,Fine,1,1,,1,WEST",
        "ok-1,Duplicate,1,1,,,",
    ]
    .iter()
    .map(|l| format!("{l}{eol}"))
    .collect()
}

fn assert_six_bad_rows_listed(eol: &str) {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme"]);
    let file = env.write_file("bad.csv", six_bad_rows(eol).as_bytes());
    let out = env.fails(&["item", "import", &file], REFUSED);
    out.stderr_has(&[
        "6 bad row(s)",
        "line 4, column sku",
        "line 5, column rate",
        "line 6, column vendor: no vendor named 'Ghost'",
        "line 7, column opening_stock",
        "line 8, column warehouse: no warehouse 'WEST'",
        "line 9, column sku",
    ]);
    assert_eq!(item_count(&env), 0);
}

#[test]
fn every_bad_row_is_listed_with_its_line_counting_quoted_newlines() {
    assert_six_bad_rows_listed("\n");
}

#[test]
fn bad_rows_in_a_crlf_file_are_listed_with_their_own_line() {
    assert_six_bad_rows_listed("\r\n");
}

#[test]
fn skus_that_already_exist_are_refused() {
    let env = Env::with_item("W-1");
    let file = env.write_file(
        "dup.csv",
        b"sku,name,rate,purchase_rate\nN-1,New,1,1\nw-1,Again,1,1\n",
    );
    env.fails(&["item", "import", &file], REFUSED)
        .stderr_has(&["line 3, column sku", "already exists"]);
    assert_eq!(item_count(&env), 1);
}

#[test]
fn import_reads_stdin_with_a_dash() {
    let env = Env::init();
    env.ok(&["warehouse", "add", "EAST", "--name", "East"]);
    env.ok(&["vendor", "add", "Acme"]);
    let csv = b"sku,name,unit,rate,purchase_rate,vendor,reorder_level,opening_stock,warehouse\n\
                S-1,From stdin,kg,2.5,1.75,ACME,3.5,1.25,east\n\
                S-2,Second,,0,0,,,,\n";
    env.run_stdin(&["item", "import", "-"], csv)
        .expect(OK)
        .stderr_has(&["Imported 2 item(s), 1 with opening stock"]);
    let s1 = env.json(&["item", "show", "S-1"]);
    assert_eq!(s1["unit"], "kg");
    assert_eq!(s1["rate"], "2.50");
    assert_eq!(s1["purchase_rate"], "1.75");
    assert_eq!(s1["vendor"], "Acme");
    assert_eq!(s1["reorder_level"], "3.5");
    assert_eq!(env.on_hand("S-1", "EAST"), "1.25");
    let s2 = env.json(&["item", "show", "S-2"]);
    assert_eq!(s2["unit"], "pcs", "an empty unit is the default");
    assert_eq!(env.on_hand("S-2", "MAIN"), "0");
}

#[test]
fn a_file_with_a_byte_order_mark_and_any_column_order_imports() {
    let env = Env::init();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(b"Purchase_Rate,NAME,sku,rate\r\n1,Excel item,X-1,2\r\n\r\n");
    let file = env.write_file("excel.csv", &bytes);
    env.ok(&["item", "import", &file]);
    let x = env.json(&["item", "show", "X-1"]);
    assert_eq!(x["name"], "Excel item");
    assert_eq!(x["purchase_rate"], "1.00");
}

#[test]
fn structural_problems_are_refused_and_import_nothing() {
    let env = Env::init();
    let cases: &[(&str, &[u8], &[&str])] = &[
        (
            "unknown column",
            b"sku,name,rate,purchase_rate,colour\nA,a,1,1,red\n",
            &["unknown column 'colour'"],
        ),
        (
            "missing column",
            b"sku,name,rate\nA,a,1\n",
            &["missing column", "purchase_rate"],
        ),
        (
            "too few fields",
            b"sku,name,rate,purchase_rate\nA,a,1,1\nB,b,1\n",
            &["line 3", "3 field(s)"],
        ),
        (
            "too many fields",
            b"sku,name,rate,purchase_rate\nA,a,1,1,9\n",
            &["line 2", "5 field(s)"],
        ),
        (
            "invalid UTF-8",
            b"sku,name,rate,purchase_rate\nA,caf\xe9,1,1\n",
            &["line 2", "UTF-8"],
        ),
        (
            "duplicate column",
            b"sku,name,rate,purchase_rate,sku\nA,a,1,1,B\n",
            &["appears twice"],
        ),
        ("empty file", b"", &["empty"]),
    ];
    for (what, bytes, needles) in cases {
        let file = env.write_file("bad.csv", bytes);
        let out = env.run(&["item", "import", &file]);
        assert_eq!(out.code, REFUSED, "{what}\n{out:?}");
        out.stderr_has(needles);
        let out = env.run_stdin(&["item", "import", "-"], bytes);
        assert_eq!(out.code, REFUSED, "{what} on stdin\n{out:?}");
    }
    assert_eq!(item_count(&env), 0);
}

#[test]
fn a_missing_file_is_not_found() {
    let env = Env::init();
    let missing = env.path("nope.csv");
    env.fails(&["item", "import", missing.to_str().unwrap()], NOT_FOUND)
        .stderr_has(&["nope.csv"]);
}
