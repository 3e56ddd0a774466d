//! The output contract (SPEC §5): CSV with stable headers, CRLF, RFC 4180 quoting, a formula guard
//! on text only and an optional BOM; JSON with decimals as strings; `-o FILE`; a reader that
//! closes the pipe early is not an error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// A database with one of everything, and names that need care in CSV.
fn populated() -> Env {
    let env = Env::with_item("W-1");
    env.ok(&[
        "item",
        "add",
        "F-1",
        "--name",
        "=SUM(A1)",
        "--rate",
        "1234.5",
        "--purchase-rate",
        "0.1",
    ]);
    env.ok(&[
        "customer",
        "add",
        "+1-555",
        "--email",
        "x@y.example",
        "--pan",
        "ABCDE1234F",
    ]);
    env.ok(&[
        "warehouse",
        "add",
        "EAST",
        "--name",
        "East",
        "--address",
        "@dock, \"north\"\nside",
    ]);
    env.ok(&["stock", "adjust", "W-1", "12.5", "--reason", "counted"]);
    env
}

/// Each list command with its exact CSV header (SPEC §5 names first; more are allowed after).
const LISTS: &[(&[&str], &[&str])] = &[
    (
        &["item", "list"],
        &[
            "sku",
            "name",
            "unit",
            "rate",
            "purchase_rate",
            "vendor",
            "reorder_level",
        ],
    ),
    (
        &["stock", "list"],
        &[
            "sku",
            "warehouse",
            "on_hand",
            "reserved",
            "free",
            "committed",
            "available_for_sale",
            "on_order",
            "backordered",
        ],
    ),
    (
        &["vendor", "list"],
        &["name", "email", "address", "lead_time_days"],
    ),
    (
        &["customer", "list"],
        &[
            "name",
            "email",
            "billing_address",
            "shipping_address",
            "pan",
        ],
    ),
    (&["warehouse", "list"], &["code", "name", "address"]),
    (
        &["config", "list"],
        &["key", "value", "default", "description"],
    ),
    (
        &["history", "W-1"],
        &["id", "at", "user", "doc", "action", "detail", "command"],
    ),
];

#[test]
fn every_list_in_csv_has_its_header_crlf_and_a_row_per_record() {
    let env = populated();
    for (args, header) in LISTS {
        let mut a = args.to_vec();
        a.extend(["--format", "csv"]);
        let out = env.run(&a);
        out.expect(OK);
        let recs = csv_records(&out.stdout);
        assert_eq!(recs[0], *header, "{args:?} header");
        assert!(recs.len() > 1, "{args:?} has rows\n{out:?}");
        assert!(
            recs.iter().all(|r| r.len() == header.len()),
            "{args:?}: ragged rows {recs:?}"
        );
        let json = env.json(args);
        assert_eq!(
            json.as_array().unwrap().len(),
            recs.len() - 1,
            "{args:?}: same rows in CSV and JSON"
        );
    }
}

#[test]
fn every_list_in_json_is_an_array_of_objects_with_the_csv_names() {
    let env = populated();
    for (args, header) in LISTS {
        let list = env.json(args);
        let list = list
            .as_array()
            .unwrap_or_else(|| panic!("{args:?} is an array"));
        assert!(!list.is_empty());
        for obj in list {
            let keys: Vec<&str> = obj
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, *header, "{args:?}");
        }
    }
}

#[test]
fn empty_lists_are_a_header_or_an_empty_array() {
    let env = Env::init();
    let out = env.run(&["item", "list", "--format", "csv"]);
    out.expect(OK);
    assert_eq!(
        out.stdout,
        "sku,name,unit,rate,purchase_rate,vendor,reorder_level\r\n"
    );
    assert_eq!(env.json(&["vendor", "list"]), serde_json::json!([]));
}

#[test]
fn json_decimals_are_strings_and_counts_are_numbers() {
    let env = populated();
    let items = env.json(&["item", "list"]);
    let f = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["sku"] == "F-1")
        .unwrap();
    assert_eq!(f["rate"], "1234.50");
    assert_eq!(f["purchase_rate"], "0.10");
    let w = env.json(&["stock", "list", "--sku", "W-1"]);
    assert_eq!(w[0]["on_hand"], "12.5");
    assert_eq!(w[0]["available_for_sale"], "12.5");
    let v = env.json(&["vendor", "show", "Acme Supplies"]);
    assert_eq!(v["lead_time_days"], 5, "days are a count, not a decimal");
    assert!(env.json(&["history", "W-1"])[0]["id"].is_i64());
}

#[test]
fn a_show_prints_one_object_and_a_list_an_array() {
    let env = populated();
    assert!(env.json(&["item", "show", "W-1"]).is_object());
    assert!(env.json(&["vendor", "show", "Acme Supplies"]).is_object());
    assert!(env.json(&["customer", "show", "+1-555"]).is_object());
    assert!(env.json(&["config", "get", "currency"]).is_object());
    assert!(env.json(&["item", "list"]).is_array());
}

#[test]
fn formula_looking_text_is_guarded_in_csv_but_numbers_are_not() {
    let env = populated();
    let items = csv_records(&env.ok(&["item", "list", "--format", "csv"]));
    let f = items.iter().find(|r| r[0] == "F-1").unwrap();
    assert_eq!(f[1], "'=SUM(A1)");
    assert_eq!(
        f[3], "1234.50",
        "numbers are plain: no separators, no symbol"
    );

    let customers = csv_records(&env.ok(&["customer", "list", "--format", "csv"]));
    assert_eq!(customers[1][0], "'+1-555");
    let shown = csv_records(&env.ok(&["customer", "show", "+1-555", "--format", "csv"]));
    assert_eq!(shown[1][0], "'+1-555");

    let wh = csv_records(&env.ok(&["warehouse", "list", "--format", "csv"]));
    let east = wh.iter().find(|r| r[0] == "EAST").unwrap();
    assert_eq!(
        east[2], "'@dock, \"north\"\nside",
        "guarded and quoted per RFC 4180"
    );

    let out = env.run(&["stock", "adjust", "W-1", "-3", "--format", "csv"]);
    out.expect(OK);
    assert_eq!(
        out.stdout, "sku,warehouse,quantity,on_hand,reserved\r\nW-1,MAIN,-3,9.5,0\r\n",
        "a negative quantity stays a plain -3"
    );

    // JSON is data, not a spreadsheet: no guard there.
    let json = env.json(&["customer", "show", "+1-555"]);
    assert_eq!(json["name"], "+1-555");
}

#[test]
fn text_that_needs_quoting_round_trips_through_csv() {
    let env = Env::init();
    let name = "Bolt \"M8\", zinc;\nlong";
    env.ok(&[
        "item",
        "add",
        "Q-1",
        "--name",
        name,
        "--rate",
        "1",
        "--purchase-rate",
        "1",
    ]);
    let out = env.run(&["item", "list", "--format", "csv"]);
    out.expect(OK);
    assert!(
        out.stdout.contains("\"Bolt \"\"M8\"\", zinc;\nlong\""),
        "{out:?}"
    );
    assert_eq!(csv_records(&out.stdout)[1][1], name);
}

#[test]
fn bom_puts_the_byte_order_mark_first_only_in_csv() {
    let env = populated();
    let out = env.run(&["item", "list", "--format", "csv", "--bom"]);
    out.expect(OK);
    assert_eq!(&out.raw[..3], b"\xEF\xBB\xBF");
    assert!(out.raw[3..].starts_with(b"sku,name,"));
    assert_eq!(
        out.raw.windows(3).filter(|w| *w == b"\xEF\xBB\xBF").count(),
        1
    );

    let out = env.run(&["--bom", "stock", "adjust", "W-1", "1", "--format", "csv"]);
    out.expect(OK);
    assert!(
        out.raw.starts_with(b"\xEF\xBB\xBFsku,warehouse,quantity"),
        "{out:?}"
    );

    let plain = env.run(&["item", "list", "--format", "csv"]);
    assert!(plain.raw.starts_with(b"sku,"), "no BOM unless asked");
}

#[test]
fn bom_without_csv_is_a_usage_error_that_changes_nothing() {
    let env = populated();
    let before = env.dump();
    env.fails(&["item", "list", "--bom"], USAGE)
        .stderr_has(&["--bom", "--format csv"]);
    env.fails(&["item", "list", "--bom", "--format", "json"], USAGE);
    env.fails(&["stock", "adjust", "W-1", "1", "--bom"], USAGE);
    assert_eq!(env.dump(), before);
}

#[test]
fn output_file_gets_the_data_and_stdout_stays_empty() {
    let env = populated();
    let file = env.path("items.csv");
    let out = env.run(&[
        "item",
        "list",
        "--format",
        "csv",
        "--bom",
        "-o",
        file.to_str().unwrap(),
    ]);
    out.expect(OK);
    assert!(out.stdout.is_empty(), "{out:?}");
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBFsku,name,unit,rate,purchase_rate,vendor,reorder_level\r\n")
    );
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(csv_records(&text).len(), 3);

    let file = env.path("vendor.json");
    let out = env.run(&[
        "vendor",
        "add",
        "Bolt Co",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    out.expect(OK).stderr_has(&["Added vendor Bolt Co"]);
    assert!(out.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(v["name"], "Bolt Co");
}

#[test]
fn a_write_whose_output_file_cannot_be_created_changes_nothing() {
    let env = Env::with_item("W-1");
    let before = env.dump();
    let bad = env.path("no/such/dir/out.csv");
    let out = env.run(&["stock", "adjust", "W-1", "5", "-o", bad.to_str().unwrap()]);
    assert_ne!(out.code, OK, "{out:?}");
    assert_eq!(
        env.dump(),
        before,
        "the adjustment was committed although the command failed"
    );
}

#[test]
fn tables_are_plain_text_when_piped() {
    let env = populated();
    for color in ["auto", "never", "always"] {
        let out = env.run(&["item", "list", "--color", color]);
        out.expect(OK);
        assert!(
            !out.stdout.contains('\u{1b}'),
            "no escape codes on a pipe (--color {color})\n{out:?}"
        );
        assert!(
            out.stdout.contains("sku") && out.stdout.contains("=SUM(A1)"),
            "{out:?}"
        );
    }
    let out = env.run(&["--color", "always", "stock", "adjust", "NOPE", "1"]);
    out.expect(NOT_FOUND);
    assert!(!out.stderr.contains('\u{1b}'), "{out:?}");
}

#[test]
fn every_table_fits_in_the_layout_with_headers() {
    let env = populated();
    let t = env.ok(&["stock", "list"]);
    for col in [
        "sku",
        "warehouse",
        "on_hand",
        "reserved",
        "free",
        "committed",
        "available_for_sale",
    ] {
        assert!(t.contains(col), "{col} in\n{t}");
    }
    assert!(t.contains("12.5"));
}

/// Runs a command whose stdout is closed after one line, like `stockroom ... | head -1`.
fn closed_after_one_line(env: &Env, args: &[&str]) -> Out {
    let mut c = env.command_db(args);
    c.stdout(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    drop(reader);
    let o = child.wait_with_output().unwrap();
    Out {
        args: args.iter().map(|s| (*s).to_string()).collect(),
        code: o.status.code().unwrap_or(-1),
        stdout: first,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        raw: Vec::new(),
    }
}

/// 5000 items: every format's list is far larger than a pipe buffer.
fn many_items() -> Env {
    let env = Env::init();
    let file = env.write_file("items.csv", generated_items_csv(5_000).as_bytes());
    env.ok(&["item", "import", &file]);
    env
}

#[test]
fn a_reader_closing_the_pipe_early_is_not_an_error_for_tables() {
    let env = many_items();
    for args in [&["item", "list"][..], &["stock", "list"]] {
        let out = closed_after_one_line(&env, args);
        assert_eq!(out.code, OK, "{out:?}");
        assert_eq!(out.stderr, "", "{out:?}");
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn a_reader_closing_the_pipe_early_is_not_an_error_for_csv_and_json() {
    let env = many_items();
    for args in [
        &["item", "list", "--format", "csv"][..],
        &["item", "list", "--format", "json"],
        &["stock", "list", "--format", "csv"],
        &["stock", "list", "--format", "json"],
    ] {
        let out = closed_after_one_line(&env, args);
        assert_eq!(out.code, OK, "{out:?}");
        assert_eq!(out.stderr, "", "{out:?}");
    }
}

#[test]
fn a_show_with_nested_rows_works_in_csv() {
    let env = populated();
    let out = env.run(&["item", "show", "W-1", "--format", "csv"]);
    out.expect(OK);
    let recs = csv_records(&out.stdout);
    assert_eq!(
        recs[0],
        [
            "sku",
            "name",
            "unit",
            "rate",
            "purchase_rate",
            "vendor",
            "reorder_level"
        ]
    );
    assert_eq!(recs[1][0], "W-1");
    assert!(
        out.stdout.contains("on_hand"),
        "the stock rows follow\n{out:?}"
    );
    env.run(&["vendor", "show", "Acme Supplies", "--format", "csv"])
        .expect(OK);
}
