//! Several processes on one file (SPEC §2): writers wait for each other up to `--wait`, nothing is
//! lost, and a writer that cannot get the lock in time changes nothing and exits 75.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use rusqlite::Connection;
use std::time::{Duration, Instant};

#[test]
fn two_processes_adjusting_at_once_lose_no_update() {
    const PER_THREAD: usize = 200;
    let env = Env::with_item("C-1");
    env.ok(&["stock", "adjust", "C-1", "10"]);
    let failures: Vec<Out> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut failed = Vec::new();
                    for _ in 0..PER_THREAD {
                        let out =
                            env.run(&["-q", "stock", "adjust", "C-1", "1", "--format", "csv"]);
                        if out.code != OK {
                            failed.push(out);
                        }
                    }
                    failed
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} invocation(s) failed, first:\n{:?}",
        failures.len(),
        failures[0]
    );
    assert_eq!(
        env.on_hand("C-1", "MAIN"),
        (10 + 2 * PER_THREAD).to_string()
    );
    let events = env.json(&["history", "C-1"]);
    assert_eq!(
        events.as_array().unwrap().len(),
        2 + 2 * PER_THREAD,
        "one event per adjustment"
    );
}

/// Holds SQLite's write lock from the test, like another process in the middle of a write.
fn hold_write_lock(env: &Env) -> Connection {
    let c = Connection::open(&env.db).unwrap();
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    c
}

#[test]
fn a_writer_blocked_past_wait_exits_75_and_changes_nothing() {
    let env = Env::with_item("X");
    env.ok(&["stock", "adjust", "X", "5"]);
    let before = env.dump();
    let lock = hold_write_lock(&env);

    let started = Instant::now();
    let out = env.run(&["--wait", "1", "stock", "adjust", "X", "1"]);
    let took = started.elapsed();
    out.expect(BUSY).stderr_has(&["locked", "retry"]);
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(
        took >= Duration::from_millis(900),
        "it waited about --wait 1: {took:?}"
    );
    assert!(
        took < Duration::from_secs(10),
        "it gave up soon after --wait 1: {took:?}"
    );

    let orders = env.write_file(
        "orders.csv",
        b"channel,external_id,date,customer,sku,quantity\nweb,1,2026-01-02,Ann,X,1\n",
    );
    for args in [
        &["--wait", "1", "vendor", "add", "Late"][..],
        &["--wait", "1", "config", "set", "hold_release", "received"],
        &[
            "--wait",
            "0",
            "item",
            "add",
            "Y",
            "--name",
            "Y",
            "--rate",
            "1",
            "--purchase-rate",
            "1",
        ],
        &["--wait", "1", "backorder", "bulk", "--all"],
        &["--wait", "1", "so", "import", &orders],
    ] {
        env.fails(args, BUSY);
    }

    lock.execute_batch("ROLLBACK").unwrap();
    drop(lock);
    assert_eq!(env.dump(), before, "nothing changed");
    assert_eq!(env.on_hand("X", "MAIN"), "5");
}

#[test]
fn a_writer_waits_for_a_lock_released_within_wait() {
    let env = Env::with_item("X");
    let lock = hold_write_lock(&env);
    let child = env
        .command_db(&["--wait", "20", "stock", "adjust", "X", "2"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    lock.execute_batch("COMMIT").unwrap();
    drop(lock);
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(OK),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(env.on_hand("X", "MAIN"), "2");
}

#[test]
fn readers_are_not_blocked_by_a_writer() {
    let env = Env::with_item("X");
    env.ok(&["stock", "adjust", "X", "3"]);
    let lock = hold_write_lock(&env);
    let started = Instant::now();
    for args in [
        &["--wait", "1", "stock", "list"][..],
        &["--wait", "1", "item", "list"],
        &["--wait", "1", "history", "X"],
        &["--wait", "1", "config", "list"],
    ] {
        env.ok(args);
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "reads did not wait for the lock"
    );
    drop(lock);
}
