//! Hostile input through the binary (SPEC §6: no input ever causes a panic or a partial write).
//! Generated CSV files — random bytes, invalid UTF-8, BOMs, huge numbers, 10,000-character names,
//! embedded NUL, quotes and newlines in fields, missing and extra columns — go into `item import -`
//! and `so import -`: each run either imports or exits 3 naming a line and a column, with the
//! database unchanged. Database files that are not SQLite, damaged, newer or read-only get a clear
//! error and are left as they were.
//!
//! 128 generated files per importer by default; `STOCKROOM_HOSTILE_CASES=5000` tries more.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const ITEM_COLUMNS: &[&str] = &[
    "sku",
    "name",
    "unit",
    "rate",
    "purchase_rate",
    "vendor",
    "reorder_level",
    "opening_stock",
    "warehouse",
];
const SO_COLUMNS: &[&str] = &[
    "channel",
    "external_id",
    "date",
    "customer",
    "sku",
    "quantity",
    "rate",
];

/// Cells a file may hold: plausible values next to hostile ones (as bytes: some are not UTF-8).
fn cell() -> impl Strategy<Value = Vec<u8>> {
    let plausible = prop_oneof![
        Just("A-1"),
        Just("W-2"),
        Just("Widget"),
        Just("Acme"),
        Just("MAIN"),
        Just("web"),
        Just("2026-03-01"),
        Just("3"),
        Just("2.5"),
        Just("0"),
        Just(""),
    ]
    .prop_map(|s| s.as_bytes().to_vec());
    let hostile = prop_oneof![
        Just("x".repeat(10_000).into_bytes()),
        Just("9".repeat(40).into_bytes()),
        Just(b"99999999999999999999.999".to_vec()),
        Just(b"-5".to_vec()),
        Just(b"1e3".to_vec()),
        Just(b"NaN".to_vec()),
        Just(b"a\0b".to_vec()),
        Just(b"caf\xe9".to_vec()),
        Just(b"\xff\xfe\x00".to_vec()),
        Just("\"quoted, with \"\"quotes\"\"\"".as_bytes().to_vec()),
        Just(b"\"line\nbreak\"".to_vec()),
        Just(b"\"cr\rbreak\"".to_vec()),
        Just(b"half\"quote".to_vec()),
        Just(b"=HYPERLINK(\"x\")".to_vec()),
        Just("\u{feff}bom".as_bytes().to_vec()),
        Just("\u{202e}rtl \u{1f4e6}".as_bytes().to_vec()),
        Just(b"2026-02-30".to_vec()),
        "\\PC{0,12}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..12),
    ];
    prop_oneof![3 => plausible, 2 => hostile]
}

/// A CSV file over `known` columns: a shuffled subset of them (plus, sometimes, an unknown or a
/// repeated one), rows with a cell too few or too many now and then, any line ending, an
/// optional BOM — or plain random bytes.
fn csv_file(known: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let structured = (
        Just(known.to_vec()).prop_shuffle(),
        1..=known.len(),
        prop_oneof![6 => Just(None), 1 => Just(Some("colour")), 1 => Just(Some(known[0]))],
        prop::collection::vec(
            (
                prop::collection::vec(cell(), 0..=known.len() + 1),
                -1i32..=1,
            ),
            0..4,
        ),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        any::<bool>(),
    )
        .prop_map(|(cols, n, extra, rows, eol, bom)| {
            let mut header: Vec<&str> = cols.into_iter().take(n).collect();
            if let Some(x) = extra {
                header.push(x);
            }
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice("\u{feff}".as_bytes());
            }
            out.extend_from_slice(header.join(",").as_bytes());
            out.extend_from_slice(eol.as_bytes());
            for (cells, skew) in rows {
                let width = (header.len() as i32 + skew).max(0) as usize;
                let row: Vec<Vec<u8>> = (0..width)
                    .map(|i| cells.get(i).cloned().unwrap_or_default())
                    .collect();
                out.extend_from_slice(&row.join(&b","[..]));
                out.extend_from_slice(eol.as_bytes());
            }
            out
        });
    prop_oneof![
        5 => structured,
        1 => prop::collection::vec(any::<u8>(), 0..400),
    ]
}

/// "line N" with a number, and "column" somewhere in the message.
fn names_line_and_column(msg: &str) -> bool {
    let has_line = msg.match_indices("line ").any(|(i, m)| {
        msg[i + m.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    });
    has_line && msg.contains("column")
}

/// Feeds generated files to an importer: each run imports, or refuses with exit 3 naming a line
/// and a column and changes nothing.
fn hammer(env: &Env, args: &[&str], known: &'static [&'static str]) {
    let cases = std::env::var("STOCKROOM_HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let (imported, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&csv_file(known), |bytes| {
            let before = env.dump();
            let out = env.run_stdin(args, &bytes);
            prop_assert!(!out.stderr.contains("panicked"), "{out:?}");
            match out.code {
                OK => imported.set(imported.get() + 1),
                REFUSED => {
                    refused.set(refused.get() + 1);
                    prop_assert!(names_line_and_column(&out.stderr), "{out:?}");
                    prop_assert!(env.dump() == before, "a refused import changed the file");
                }
                _ => prop_assert!(false, "exit {}\n{out:?}", out.code),
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "{}: {} imported, {} refused",
        args.join(" "),
        imported.get(),
        refused.get()
    );
    assert!(refused.get() > 0);
}

fn shop() -> Env {
    let env = Env::with_item("A-1");
    env.ok(&["customer", "add", "Widget"]);
    env
}

#[test]
fn item_import_never_panics_never_half_writes_and_names_the_cell() {
    let env = shop();
    hammer(&env, &["item", "import", "-"], ITEM_COLUMNS);
    env.ok(&["doctor"]);
}

#[test]
fn so_import_never_panics_never_half_writes_and_names_the_cell() {
    let env = shop();
    hammer(
        &env,
        &["so", "import", "-", "--channel", "web", "--confirm"],
        SO_COLUMNS,
    );
    env.ok(&["doctor"]);
}

#[test]
fn the_named_hostile_files_are_refused_with_line_and_column() {
    let env = shop();
    let long = "n".repeat(10_000);
    let items: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("BOM only", "\u{feff}".as_bytes().to_vec()),
        ("missing column", b"sku,name\nB-1,b\n".to_vec()),
        (
            "extra cell",
            b"sku,name,rate,purchase_rate\nB-1,b,1,1,surplus\n".to_vec(),
        ),
        (
            "missing cell",
            b"sku,name,rate,purchase_rate\nB-1,b,1\n".to_vec(),
        ),
        (
            "10,000-character name",
            format!("sku,name,rate,purchase_rate\nB-1,{long},1,1\n").into_bytes(),
        ),
        (
            "huge number",
            b"sku,name,rate,purchase_rate\nB-1,b,99999999999999999999999,1\n".to_vec(),
        ),
        (
            "embedded NUL",
            b"sku,name,rate,purchase_rate\nB-1,a\0b,1,1\n".to_vec(),
        ),
        (
            "invalid UTF-8",
            b"sku,name,rate,purchase_rate\nB-1,caf\xe9,1,1\n".to_vec(),
        ),
        (
            "newline in a quoted SKU",
            b"sku,name,rate,purchase_rate\n\"B\n1\",b,1,1\n".to_vec(),
        ),
        (
            "a bad row after good ones",
            b"sku,name,rate,purchase_rate\nB-1,b,1,1\nB-2,b,1,1\nB-3,b,x,1\n".to_vec(),
        ),
    ];
    for (what, bytes) in items {
        let before = env.dump();
        let out = env.run_stdin(&["item", "import", "-"], &bytes);
        assert_eq!(out.code, REFUSED, "{what}\n{out:?}");
        assert!(names_line_and_column(&out.stderr), "{what}\n{out:?}");
        assert!(
            out.stderr.len() < 2_000,
            "{what}: the message repeats the input\n{out:?}"
        );
        assert_eq!(env.dump(), before, "{what}");
    }
    let out = env.run_stdin(
        &["item", "import", "-"],
        b"sku,name,rate,purchase_rate\nB-1,b,1,1\nB-2,b,1,1\nB-3,b,x,1\n",
    );
    out.stderr_has(&["line 4, column rate"]);
    let orders: Vec<(&str, Vec<u8>)> = vec![
        (
            "unknown SKU",
            b"external_id,date,customer,sku,quantity\nE1,2026-03-01,Widget,NOPE,1\n".to_vec(),
        ),
        (
            "date that does not exist",
            b"external_id,date,customer,sku,quantity\nE1,2026-02-30,Widget,A-1,1\n".to_vec(),
        ),
        (
            "huge quantity",
            format!(
                "external_id,date,customer,sku,quantity\nE1,2026-03-01,Widget,A-1,{}\n",
                "9".repeat(10_000)
            )
            .into_bytes(),
        ),
        (
            "10,000-character customer",
            format!("external_id,date,customer,sku,quantity\nE1,2026-03-01,{long},A-1,1\n")
                .into_bytes(),
        ),
        (
            "second row of an order is bad",
            b"external_id,date,customer,sku,quantity\nE1,2026-03-01,Widget,A-1,1\nE1,2026-03-01,Widget,A-1,-1\n".to_vec(),
        ),
    ];
    for (what, bytes) in orders {
        let before = env.dump();
        let out = env.run_stdin(&["so", "import", "-", "--channel", "web"], &bytes);
        assert_eq!(out.code, REFUSED, "{what}\n{out:?}");
        assert!(names_line_and_column(&out.stderr), "{what}\n{out:?}");
        assert!(out.stderr.len() < 2_000, "{what}\n{out:?}");
        assert_eq!(env.dump(), before, "{what}");
    }
}

/// The commands a clerk or cron might point at a strange file: a read, a write and doctor.
const PROBES: &[&[&str]] = &[
    &["stock", "list"],
    &["stock", "adjust", "A-1", "1"],
    &["doctor"],
    &["backorder", "bulk", "--all"],
];

#[track_caller]
fn probe_all(env: &Env, code: i32, needles: &[&str]) {
    let before = std::fs::read(&env.db).unwrap();
    for args in PROBES {
        let out = env.run(args);
        assert_eq!(out.code, code, "{args:?}\n{out:?}");
        out.stderr_has(needles);
        assert!(!out.stderr.contains("panicked"), "{out:?}");
        assert_eq!(
            std::fs::read(&env.db).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_not_found_and_left_alone() {
    for bytes in [
        b"name,qty\nwidget,3\n".to_vec(),
        (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect(),
        b"SQLite format 3\0 but not really".to_vec(),
    ] {
        let env = Env::new();
        std::fs::write(&env.db, &bytes).unwrap();
        probe_all(&env, NOT_FOUND, &["not a SQLite database", "--db"]);
    }
    // an empty file is an empty SQLite database, but not a Stockroom one
    let env = Env::new();
    std::fs::write(&env.db, b"").unwrap();
    probe_all(&env, NOT_FOUND, &["not a Stockroom database"]);
}

#[test]
fn a_file_from_a_newer_stockroom_is_refused_and_left_alone() {
    let env = shop();
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch("PRAGMA user_version = 999").unwrap();
    drop(c);
    probe_all(&env, REFUSED, &["newer Stockroom", "999", "upgrade"]);
}

#[test]
fn a_damaged_file_is_reported_not_panicked_on() {
    let good = shop();
    good.ok(&[
        "so",
        "create",
        "--customer",
        "Widget",
        "--item",
        "A-1:3",
        "--confirm",
        "--no-backorder",
    ]);
    good.ok(&["backorder", "bulk", "--all"]);
    let bytes = std::fs::read(&good.db).unwrap();
    let mut cases: Vec<(&str, Vec<u8>)> = vec![("truncated", bytes[..bytes.len() / 2].to_vec())];
    let mut scribbled = bytes.clone();
    let page = 4096 * 3;
    for b in &mut scribbled[page + 8..page + 400] {
        *b = 0xA5;
    }
    cases.push(("scribbled page", scribbled));
    for (what, damaged) in cases {
        let env = Env::new();
        std::fs::write(&env.db, &damaged).unwrap();
        let out = env.run(&["doctor"]);
        assert!(
            [FAILURE, NOT_FOUND].contains(&out.code),
            "{what}: doctor must fail, not pass or panic\n{out:?}"
        );
        assert!(!out.stderr.contains("panicked"), "{out:?}");
        // other commands may work on the pages that survived; none may panic
        for args in PROBES {
            let out = env.run(args);
            assert!(
                [OK, FAILURE, REFUSED, NOT_FOUND].contains(&out.code),
                "{what} {args:?}\n{out:?}"
            );
            assert!(!out.stderr.contains("panicked"), "{what} {args:?}\n{out:?}");
            if out.code == FAILURE && args[0] != "doctor" {
                out.stderr_has(&["damaged", "doctor"]);
            }
        }
    }
}

#[test]
fn a_read_only_file_refuses_writes_and_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let env = shop();
    env.ok(&["stock", "adjust", "A-1", "5"]);
    let before = env.dump();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o444)).unwrap();
    if std::fs::OpenOptions::new()
        .write(true)
        .open(&env.db)
        .is_ok()
    {
        // root (or CAP_DAC_OVERRIDE) writes through file modes: this cannot be arranged here.
        // The message for SQLite's "read-only" error is covered by a unit test in src/repo.
        eprintln!("skipped: file permissions do not stop this user from writing");
        return;
    }
    let out = env.run(&["stock", "adjust", "A-1", "1"]);
    assert_eq!(out.code, REFUSED, "{out:?}");
    out.stderr_has(&["read-only"]);
    assert_eq!(env.dump(), before);
}
