//! `doctor` and `backup` (SPEC §2, §3, §6): doctor is clean after every legitimate step of the
//! backorder story, finds each kind of tampering with exit 1 and a table naming the check, and
//! never changes the file; a backup is a consistent copy that doctor passes and that restores.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use rusqlite::Connection;

/// Runs doctor and asserts it is clean, naming the step that broke it.
#[track_caller]
fn clean(env: &Env, step: &str) {
    let out = env.run(&["doctor"]);
    assert_eq!(out.code, OK, "doctor after: {step}\n{out:?}");
    out.stderr_has(&["all", "checks hold"]);
    assert!(
        out.stdout.is_empty(),
        "a clean table prints nothing\n{out:?}"
    );
}

/// Master data for the stories: a vendor, a customer with a shipping address, two items.
fn shop() -> Env {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme", "--lead-time-days", "3"]);
    env.ok(&[
        "customer",
        "add",
        "Bob",
        "--shipping-address",
        "1 Main Road",
    ]);
    for sku in ["W", "D"] {
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
    env
}

/// The whole backorder story, with doctor after every step.
fn story(env: &Env) {
    let steps: &[&[&str]] = &[
        &["stock", "adjust", "W", "3"],
        &[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W:5",
            "--confirm",
            "--no-backorder",
        ],
        &["backorder", "create", "SO-00001"],
        &["po", "issue", "PO-00001"],
        &["po", "receive", "PO-00001", "--item", "W=1"],
        &["bill", "record", "PO-00001"],
        &["po", "receive", "PO-00001"],
        &["so", "package", "SO-00001"],
        &["so", "ship", "SO-00001"],
        &["so", "invoice", "SO-00001"],
        // drop ship, billed in two parts
        &[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "D:4",
            "--confirm",
            "--no-backorder",
        ],
        &[
            "backorder",
            "create",
            "SO-00002",
            "--deliver-to",
            "customer",
        ],
        &["po", "issue", "PO-00002"],
        &["bill", "record", "PO-00002", "--item", "D=1"],
        &["bill", "record", "PO-00002"],
        // void turns links into surplus; cancelling the PO afterwards
        &[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W:2",
            "--confirm",
            "--no-backorder",
        ],
        &["backorder", "bulk", "--all"],
        &["so", "void", "SO-00003"],
        &["po", "cancel", "PO-00003"],
        // cancelling what is left of a partly received PO
        &[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W:4",
            "--confirm",
            "--no-backorder",
        ],
        &["backorder", "bulk", "--all"],
        &["po", "issue", "PO-00004"],
        &["po", "receive", "PO-00004", "--item", "W=1"],
        &["po", "cancel", "PO-00004", "--remaining"],
        &["stock", "adjust", "W", "10"],
        &["stock", "adjust", "W", "-10", "--release-reservations"],
        &["config", "set", "hold_release", "received_and_billed"],
    ];
    for step in steps {
        env.ok(step);
        clean(env, &step.join(" "));
    }
}

#[test]
fn doctor_is_clean_after_every_step_of_the_backorder_story() {
    let env = shop();
    clean(&env, "init");
    story(&env);
    let json = env.json(&["doctor"]);
    assert_eq!(
        json,
        serde_json::json!([]),
        "a clean JSON run is an empty list"
    );
    let csv = env.ok(&["doctor", "--format", "csv"]);
    assert_eq!(csv_records(&csv), vec![vec!["check", "subject", "detail"]]);
}

/// Copies a closed database (with its WAL, should one be left) to another env.
fn copy_db(from: &Env, to: &Env) {
    std::fs::copy(&from.db, &to.db).unwrap();
    let mut wal = from.db.clone().into_os_string();
    wal.push("-wal");
    if std::path::Path::new(&wal).exists() {
        let mut to_wal = to.db.clone().into_os_string();
        to_wal.push("-wal");
        std::fs::copy(&wal, to_wal).unwrap();
    }
}

/// Changes the file behind stockroom's back, as a bug or a hand edit would.
fn tamper(env: &Env, sql: &str) {
    let c = Connection::open(&env.db).unwrap();
    c.execute_batch(sql).unwrap();
}

#[test]
fn doctor_finds_each_kind_of_damage_and_changes_nothing() {
    let base = shop();
    story(&base);
    // (what, SQL, the check that must report it)
    let cases: &[(&str, &str, &str)] = &[
        (
            "on hand drifted from the ledger",
            "UPDATE stock SET on_hand = on_hand + 1000",
            "on_hand",
        ),
        (
            "a reservation without a line",
            "UPDATE stock SET on_hand = on_hand + 1000, reserved = reserved + 1000",
            "reserved_sum",
        ),
        (
            "a movement deleted",
            "DELETE FROM movements WHERE id = (SELECT max(id) FROM movements)",
            "on_hand",
        ),
        (
            "an event deleted",
            "DELETE FROM events WHERE id = 5",
            "event_log",
        ),
        (
            "a line covered twice",
            "UPDATE backorder_links SET quantity = quantity + 50000 WHERE state = 'open'",
            "line_coverage",
        ),
        (
            "an invoice lost",
            "DELETE FROM invoice_lines",
            "line_documents",
        ),
        (
            "a receipt lost",
            "DELETE FROM receipt_lines WHERE receipt_id = (SELECT min(receipt_id) FROM receipt_lines)",
            "po_line_documents",
        ),
        (
            "an order released by hand",
            "UPDATE sales_orders SET status = 'confirmed', held_from = NULL WHERE id = 4",
            "hold",
        ),
        (
            "an order put on hold by hand",
            "UPDATE sales_orders SET status = 'on_hold', held_from = 'closed' WHERE id = 1",
            "hold",
        ),
        (
            "a shipment status typed in",
            "UPDATE sales_orders SET shipment_status = 'not_shipped' WHERE id = 1",
            "so_status",
        ),
        (
            "a PO closed early",
            "UPDATE purchase_orders SET status = 'closed' WHERE id = 4",
            "po_status",
        ),
        (
            "a link marked done",
            "UPDATE backorder_links SET state = 'done' WHERE state = 'open'",
            "link_state",
        ),
        (
            "an open flag flipped",
            "UPDATE so_lines SET open = 1 - open WHERE so_id = 1",
            "line_open",
        ),
        (
            "a customer deleted under its orders",
            "PRAGMA foreign_keys = OFF; DELETE FROM customers",
            "foreign_keys",
        ),
    ];
    for (what, sql, check) in cases {
        let env = Env::new();
        copy_db(&base, &env);
        tamper(&env, sql);
        let before = env.dump();
        let out = env.run(&["doctor", "--format", "csv"]);
        assert_eq!(out.code, FAILURE, "{what}: exit 1\n{out:?}");
        out.stderr_has(&["problem(s) found", check]);
        let rows = csv_records(&out.stdout);
        assert_eq!(rows[0], ["check", "subject", "detail"], "{what}");
        assert!(
            rows[1..].iter().any(|r| r[0] == *check),
            "{what}: no {check} row\n{out:?}"
        );
        assert_eq!(env.dump(), before, "{what}: doctor changed the file");
    }
}

#[test]
fn doctor_table_names_the_check_subject_and_numbers() {
    let env = shop();
    env.ok(&["stock", "adjust", "W", "4"]);
    tamper(&env, "UPDATE stock SET on_hand = 7000");
    let out = env.fails(&["doctor"], FAILURE);
    for needle in [
        "on_hand",
        "W in MAIN",
        "on hand 7 but the movements add up to 4",
    ] {
        assert!(out.stdout.contains(needle), "{needle}\n{out:?}");
    }
}

#[test]
fn doctor_on_a_missing_file_is_not_found() {
    let env = Env::new();
    env.fails(&["doctor"], NOT_FOUND)
        .stderr_has(&["stockroom init"]);
}

#[test]
fn changing_hold_release_holds_and_releases_waiting_orders_at_once() {
    // regression: the new rule used to apply only when each order was next touched, so an
    // order stayed on hold with nothing pending (doctor: hold)
    let env = shop();
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W:5",
        "--confirm",
        "--no-backorder",
    ]);
    env.ok(&["backorder", "bulk", "--all"]);
    env.ok(&["po", "issue", "PO-00001"]);
    env.ok(&["po", "receive", "PO-00001"]);
    let status = |env: &Env| env.json(&["so", "show", "SO-00001"])["status"].clone();
    assert_eq!(status(&env), "on_hold", "received but not billed");
    env.run(&["config", "set", "hold_release", "received"])
        .expect(OK)
        .stderr_has(&["SO-00001 is now confirmed"]);
    assert_eq!(status(&env), "confirmed");
    clean(&env, "hold_release received");
    env.ok(&["config", "set", "hold_release", "billed"]);
    assert_eq!(status(&env), "on_hold");
    clean(&env, "hold_release billed");
}

#[test]
fn cancelling_a_backorder_gives_free_stock_to_the_lines_short_again() {
    // regression: a line whose backorder was cancelled waited for a new PO while free stock of
    // its item sat on the shelf (doctor: allocation)
    let env = shop();
    env.ok(&[
        "so",
        "create",
        "--customer",
        "Bob",
        "--item",
        "W:5",
        "--confirm",
        "--no-backorder",
    ]);
    env.ok(&["backorder", "bulk", "--all"]);
    env.ok(&["stock", "adjust", "W", "5"]);
    env.run(&["po", "cancel", "PO-00001"])
        .expect(OK)
        .stderr_has(&["W 5 reserved for SO-00001"]);
    let so = env.json(&["so", "show", "SO-00001"]);
    assert_eq!(so["lines"][0]["reserved"], "5", "{so}");
    assert_eq!(so["status"], "confirmed", "{so}");
    clean(&env, "po cancel");
}

#[test]
fn cancelling_the_rest_of_a_po_after_a_void_strands_no_order_line() {
    // PO-00001 orders 10 W for SO-00001 (5) and SO-00002 (5). The first 5 arrive and are
    // reserved for SO-00001, which is then voided: its link turns surplus and the 5 become free
    // stock. The vendor bills 5 (marking SO-00002's link billed) and the rest is cancelled: the PO
    // is closed with nothing left to receive, yet SO-00002's link still waits for 5 units, so its
    // line is never given the 5 free units and no backorder run will ever cover it.
    let env = shop();
    for _ in 0..2 {
        env.ok(&[
            "so",
            "create",
            "--customer",
            "Bob",
            "--item",
            "W:5",
            "--confirm",
            "--no-backorder",
        ]);
    }
    env.ok(&["backorder", "bulk", "--all"]);
    env.ok(&["po", "issue", "PO-00001"]);
    env.ok(&["po", "receive", "PO-00001", "--item", "W=5"]);
    env.ok(&["so", "void", "SO-00001"]);
    env.ok(&["bill", "record", "PO-00001", "--item", "W=5"]);
    env.ok(&["po", "cancel", "PO-00001", "--remaining"]);
    clean(&env, "po cancel --remaining after a void");
}

#[test]
fn backup_copies_a_consistent_database_that_doctor_passes_and_restores() {
    let env = shop();
    story(&env);
    let copy = env.path("copy.db");
    let out = env.run(&["backup", copy.to_str().unwrap(), "--format", "json"]);
    out.expect(OK).stderr_has(&["backed up", "doctor"]);
    let rec = out.json();
    assert!(rec["bytes"].as_i64().unwrap() > 0, "{rec}");
    for leftover in ["copy.db-wal", "copy.db-shm"] {
        assert!(!env.path(leftover).exists(), "{leftover} left behind");
    }
    let partials: Vec<_> = std::fs::read_dir(env.dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(partials.is_empty(), "{partials:?}");
    let backup = Env::new();
    std::fs::copy(&copy, &backup.db).unwrap();
    assert_eq!(backup.dump(), env.dump(), "the copy has every row");
    clean(&backup, "backup");

    // restore: stop writers, copy the backup over the file, remove -wal/-shm, run doctor
    let good = env.dump();
    env.ok(&["stock", "adjust", "W", "7"]);
    std::fs::copy(&copy, &env.db).unwrap();
    for side in ["-wal", "-shm"] {
        let mut p = env.db.clone().into_os_string();
        p.push(side);
        let _ = std::fs::remove_file(p);
    }
    clean(&env, "restore");
    assert_eq!(env.dump(), good);
}

#[test]
fn backup_refuses_to_overwrite_without_force() {
    let env = shop();
    let file = env.write_file("taken.db", b"precious");
    env.fails(&["backup", &file], REFUSED)
        .stderr_has(&["already exists", "--force"]);
    assert_eq!(std::fs::read(&file).unwrap(), b"precious");
    env.ok(&["backup", &file, "--force"]);
    let copy = Env::new();
    std::fs::copy(&file, &copy.db).unwrap();
    clean(&copy, "backup --force");
}

#[test]
fn backup_refuses_the_database_itself_a_folder_and_a_missing_folder() {
    let env = shop();
    let before = env.dump();
    let db = env.db.to_str().unwrap().to_string();
    env.fails(&["backup", &db, "--force"], REFUSED)
        .stderr_has(&["the database itself"]);
    let dir = env.dir().to_str().unwrap().to_string();
    env.fails(&["backup", &dir, "--force"], REFUSED)
        .stderr_has(&["folder"]);
    let nowhere = env.path("no/such/dir/x.db");
    env.fails(&["backup", nowhere.to_str().unwrap()], NOT_FOUND)
        .stderr_has(&["no folder"]);
    assert_eq!(env.dump(), before);
}
