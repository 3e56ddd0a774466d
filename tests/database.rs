//! The database file (SPEC §2): where it is, creating it, refusing what is not ours, WAL and the
//! schema version, and the event log every write appends to.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use rusqlite::Connection;

/// Every command that needs an existing database, with valid arguments.
const NEEDS_DB: &[&[&str]] = &[
    &["config", "list"],
    &["config", "get", "currency"],
    &["config", "set", "hold_release", "received"],
    &["warehouse", "list"],
    &["warehouse", "add", "EAST", "--name", "East"],
    &["vendor", "list"],
    &["vendor", "add", "Acme"],
    &["vendor", "show", "Acme"],
    &["customer", "list"],
    &["customer", "add", "Bob"],
    &["customer", "show", "Bob"],
    &["item", "list"],
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
    ],
    &["item", "show", "W-1"],
    &["stock", "list"],
    &["stock", "adjust", "W-1", "1"],
    &["history", "config"],
];

#[test]
fn missing_database_is_not_found_names_the_path_and_init_and_creates_nothing() {
    let env = Env::new();
    let db = env.db.to_string_lossy().into_owned();
    for args in NEEDS_DB {
        let out = env.run(args);
        out.expect(NOT_FOUND).stderr_has(&[&db, "stockroom init"]);
        assert!(out.stdout.is_empty(), "no data on stdout\n{out:?}");
        assert!(!env.db.exists(), "{args:?} created the database file");
    }
    let leftovers: Vec<_> = std::fs::read_dir(env.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers.is_empty(),
        "nothing is created next to the path: {leftovers:?}"
    );
}

#[test]
fn missing_database_in_a_missing_folder_creates_no_folder() {
    let env = Env::new();
    let db = env.path("no/such/folder/stock.db");
    let db = db.to_str().unwrap();
    env.run_no_db(&["--db", db, "vendor", "list"])
        .expect(NOT_FOUND)
        .stderr_has(&[db, "stockroom init"]);
    assert!(!env.path("no").exists());
}

#[test]
fn a_directory_at_the_path_is_not_a_database() {
    let env = Env::new();
    std::fs::create_dir(&env.db).unwrap();
    env.fails(&["vendor", "list"], NOT_FOUND);
}

#[test]
fn init_creates_the_database_with_warehouse_main_and_says_what_next() {
    let env = Env::new();
    let out = env.run(&["init"]);
    out.expect(OK).stderr_has(&["created", "MAIN"]);
    assert!(env.db.is_file());
    let wh = env.json(&["warehouse", "list"]);
    assert_eq!(wh.as_array().unwrap().len(), 1);
    assert_eq!(wh[0]["code"], "MAIN");
}

#[test]
fn init_twice_is_harmless_and_keeps_the_data() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "7"]);
    let before = env.dump();
    let out = env.run(&["init"]);
    out.expect(OK)
        .stderr_has(&["already exists", "nothing changed"]);
    assert_eq!(env.dump(), before);
    assert_eq!(env.on_hand("W-1", "MAIN"), "7");
}

#[test]
fn init_on_an_existing_database_ignores_org_and_currency_with_a_warning() {
    let env = Env::new();
    env.ok(&["init", "--org", "First", "--currency", "usd"]);
    let out = env.run(&["init", "--org", "Second", "--currency", "EUR"]);
    out.expect(OK).stderr_has(&["warning", "config set"]);
    assert_eq!(env.json(&["config", "get", "org.name"])["value"], "First");
    assert_eq!(env.json(&["config", "get", "currency"])["value"], "USD");
}

#[test]
fn init_creates_missing_folders() {
    let env = Env::new();
    let db = env.path("a/b/c/stock.db");
    env.run_no_db(&["--db", db.to_str().unwrap(), "init"])
        .expect(OK);
    assert!(db.is_file());
}

#[test]
fn init_with_a_bad_currency_is_refused_and_creates_no_file() {
    let env = Env::new();
    env.fails(&["init", "--currency", "EURO"], REFUSED)
        .stderr_has(&["currency"]);
    env.fails(&["init", "--org", "   "], REFUSED);
    assert!(!env.db.exists());
}

#[test]
fn default_path_is_xdg_data_home_then_home() {
    let env = Env::new();
    // HOME is the temp folder: ~/.local/share/stockroom/stockroom.db
    let home_db = env.path(".local/share/stockroom/stockroom.db");
    env.run_no_db(&["vendor", "list"])
        .expect(NOT_FOUND)
        .stderr_has(&[home_db.to_str().unwrap()]);
    env.run_no_db(&["init"]).expect(OK);
    assert!(home_db.is_file());

    let xdg = env.path("xdg");
    let mut c = env.command();
    c.env("XDG_DATA_HOME", &xdg).arg("init");
    env.output(c, &["init"]).expect(OK);
    assert!(xdg.join("stockroom/stockroom.db").is_file());
}

#[test]
fn stockroom_db_variable_is_used_and_db_flag_wins_over_it() {
    let env = Env::init();
    env.ok(&["vendor", "add", "From Flag"]);
    let other = env.path("other.db");
    env.run_no_db(&["--db", other.to_str().unwrap(), "init"])
        .expect(OK);

    let mut c = env.command();
    c.env("STOCKROOM_DB", &env.db)
        .args(["vendor", "list", "--format", "csv"]);
    let out = env.output(c, &["vendor", "list"]);
    out.expect(OK);
    assert!(out.stdout.contains("From Flag"), "{out:?}");

    let mut c = env.command();
    c.env("STOCKROOM_DB", &env.db).args([
        "--db",
        other.to_str().unwrap(),
        "vendor",
        "list",
        "--format",
        "csv",
    ]);
    let out = env.output(c, &["--db", "other.db", "vendor", "list"]);
    out.expect(OK);
    assert!(
        !out.stdout.contains("From Flag"),
        "--db wins over STOCKROOM_DB\n{out:?}"
    );
}

#[test]
fn an_empty_db_path_or_no_way_to_find_one_is_a_usage_error() {
    let env = Env::new();
    env.run_no_db(&["--db", "", "vendor", "list"]).expect(USAGE);
    let mut c = env.command();
    c.env_remove("HOME").args(["vendor", "list"]);
    env.output(c, &["vendor", "list"])
        .expect(USAGE)
        .stderr_has(&["--db"]);
}

#[test]
fn a_file_that_is_not_sqlite_is_not_found_and_left_untouched() {
    let env = Env::new();
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&env.db, &garbage).unwrap();
    for args in [
        &["vendor", "list"][..],
        &["stock", "adjust", "W-1", "1"],
        &["init"],
    ] {
        let out = env.run(args);
        out.expect(NOT_FOUND).stderr_has(&["not a SQLite database"]);
        assert!(!out.stderr.contains("panicked"), "{out:?}");
    }
    assert_eq!(std::fs::read(&env.db).unwrap(), garbage);

    std::fs::write(&env.db, b"hello, this is a text file\n").unwrap();
    env.fails(&["item", "list"], NOT_FOUND);
}

#[test]
fn a_sqlite_file_that_is_not_stockroom_is_not_found() {
    let env = Env::new();
    {
        let c = Connection::open(&env.db).unwrap();
        c.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    for args in NEEDS_DB {
        env.fails(args, NOT_FOUND)
            .stderr_has(&["not a Stockroom database"]);
    }
    let c = Connection::open(&env.db).unwrap();
    let body: String = c
        .query_row("SELECT body FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, "mine");
}

#[test]
fn an_empty_file_is_not_found() {
    let env = Env::new();
    std::fs::write(&env.db, b"").unwrap();
    env.fails(&["vendor", "list"], NOT_FOUND)
        .stderr_has(&["not a Stockroom database"]);
}

#[test]
fn refusing_a_foreign_sqlite_file_does_not_modify_it() {
    let env = Env::new();
    {
        let c = Connection::open(&env.db).unwrap();
        c.execute_batch("CREATE TABLE notes (body TEXT);").unwrap();
    }
    let before = std::fs::read(&env.db).unwrap();
    env.fails(&["vendor", "list"], NOT_FOUND);
    assert_eq!(
        std::fs::read(&env.db).unwrap(),
        before,
        "the refused file was modified"
    );

    std::fs::write(&env.db, b"").unwrap();
    env.fails(&["vendor", "list"], NOT_FOUND);
    assert_eq!(
        std::fs::metadata(&env.db).unwrap().len(),
        0,
        "the refused empty file was written to"
    );
}

#[test]
fn a_fresh_database_is_wal_with_a_schema_version_and_strict_integer_columns() {
    let env = Env::init();
    let c = Connection::open(&env.db).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert!(version >= 1, "user_version {version}");

    let tables: Vec<(String, String)> = c
        .prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!tables.is_empty());
    for (name, sql) in &tables {
        assert!(
            sql.to_uppercase().contains("STRICT"),
            "table {name} is not STRICT"
        );
        let types: Vec<String> = c
            .prepare(&format!("SELECT type FROM pragma_table_info('{name}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for t in types {
            assert!(
                t == "INTEGER" || t == "TEXT",
                "table {name} has a {t} column; quantities and money are INTEGER"
            );
        }
    }
}

#[test]
fn quantities_and_money_are_stored_as_integers() {
    let env = Env::with_item("W-1");
    env.ok(&["stock", "adjust", "W-1", "1.5"]);
    let c = Connection::open(&env.db).unwrap();
    let (qty, ty): (i64, String) = c
        .query_row("SELECT qty, typeof(qty) FROM movements", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (qty, ty.as_str()),
        (1500, "integer"),
        "thousandths of a unit"
    );
    let (rate, ty): (i64, String) = c
        .query_row("SELECT rate, typeof(rate) FROM items", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (rate, ty.as_str()),
        (1250, "integer"),
        "hundredths of the currency"
    );
}

#[test]
fn a_database_from_a_newer_stockroom_is_refused() {
    let env = Env::with_item("W-1");
    {
        let c = Connection::open(&env.db).unwrap();
        c.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = env.dump();
    for args in [
        &["item", "list"][..],
        &["stock", "adjust", "W-1", "1"],
        &["init"],
    ] {
        env.fails(args, REFUSED)
            .stderr_has(&["newer Stockroom", "999"]);
    }
    assert_eq!(env.dump(), before);
    let c = Connection::open(&env.db).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 999, "the version is left alone");
}

#[test]
fn every_write_appends_to_the_event_log_with_user_and_command() {
    let env = Env::with_item("W-1");
    env.ok(&[
        "stock",
        "adjust",
        "W-1",
        "4",
        "--reason",
        "found in back room",
        "--date",
        "2024-03-01",
    ]);
    let events = env.json(&["history", "W-1"]);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 2, "created + adjusted: {events:?}");
    assert_eq!(events[0]["action"], "created");
    let adj = &events[1];
    assert_eq!(adj["action"], "stock adjusted");
    assert_eq!(adj["user"], "tester");
    assert_eq!(adj["doc"], "W-1");
    let detail = adj["detail"].as_str().unwrap();
    for needle in ["MAIN", "+4", "2024-03-01", "found in back room", "0 -> 4"] {
        assert!(detail.contains(needle), "detail lacks {needle}: {detail}");
    }
    let command = adj["command"].as_str().unwrap();
    assert!(command.starts_with("stockroom "), "{command}");
    assert!(command.contains("stock adjust W-1 4"), "{command}");
    assert!(
        command.contains("'found in back room'"),
        "arguments with spaces are quoted: {command}"
    );
    let at = adj["at"].as_str().unwrap();
    assert!(
        at.len() >= 19 && at.as_bytes()[4] == b'-' && at.as_bytes()[10] == b'T',
        "{at}"
    );
}

#[test]
fn a_failed_write_appends_no_event() {
    let env = Env::with_item("W-1");
    let before = env.json(&["history", "W-1"]);
    env.fails(&["stock", "adjust", "W-1", "-1"], REFUSED);
    assert_eq!(env.json(&["history", "W-1"]), before);
}

#[test]
fn concurrent_inits_on_a_new_path_all_succeed() {
    for round in 0..10 {
        let env = Env::new();
        let codes: Vec<Out> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..3).map(|_| s.spawn(|| env.run(&["init"]))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for out in &codes {
            assert_eq!(out.code, OK, "round {round}\n{out:?}");
        }
        let wh = env.json(&["warehouse", "list"]);
        assert_eq!(wh.as_array().unwrap().len(), 1, "one MAIN warehouse");
    }
}
