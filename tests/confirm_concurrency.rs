//! Two clerks confirming orders for the same scarce item at the same moment never reserve more
//! than is on hand (SPEC §3.2 invariant, §2 `BEGIN IMMEDIATE`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::sync::Barrier;

#[test]
fn parallel_confirms_of_a_scarce_item_reserve_exactly_what_is_on_hand() {
    const ORDERS: usize = 8;
    let env = Env::with_item("S-1");
    env.ok(&["customer", "add", "Bob"]);
    env.ok(&["stock", "adjust", "S-1", "5"]);
    for _ in 0..ORDERS {
        env.ok(&["-q", "so", "create", "--customer", "Bob", "--item", "S-1:1"]);
    }
    let barrier = Barrier::new(ORDERS);
    let outs: Vec<Out> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..=ORDERS)
            .map(|i| {
                let env = &env;
                let barrier = &barrier;
                s.spawn(move || {
                    let so = format!("SO-{i:05}");
                    let args = [
                        "--wait",
                        "60",
                        "so",
                        "confirm",
                        so.as_str(),
                        "--no-backorder",
                    ];
                    let cmd = env.command_db(&args);
                    barrier.wait();
                    env.output(cmd, &args)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for o in &outs {
        o.expect(OK);
    }
    let stock = env.json(&["stock", "list", "--sku", "S-1"]);
    assert_eq!(stock[0]["on_hand"], "5");
    assert_eq!(stock[0]["reserved"], "5", "{stock}");
    assert_eq!(stock[0]["committed"], "8");
    let mut reserved = 0;
    let mut short = 0;
    for i in 1..=ORDERS {
        let doc = env.json(&["so", "show", &format!("SO-{i:05}")]);
        assert_eq!(doc["status"], "confirmed");
        match doc["lines"][0]["reserved"].as_str().unwrap() {
            "1" => reserved += 1,
            "0" => {
                short += 1;
                assert_eq!(doc["lines"][0]["shortfall"], "1");
            }
            other => panic!("reserved {other} on a line of 1: {doc}"),
        }
    }
    assert_eq!((reserved, short), (5, 3));
    // the file agrees with itself
    let c = rusqlite::Connection::open(&env.db).unwrap();
    let (stock_reserved, line_reserved): (i64, i64) = c
        .query_row(
            "SELECT (SELECT sum(reserved) FROM stock), (SELECT sum(reserved) FROM so_lines)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(stock_reserved, 5000);
    assert_eq!(line_reserved, 5000);
}

#[test]
fn the_same_order_confirmed_twice_at_once_is_confirmed_once() {
    let env = Env::with_item("S-1");
    env.ok(&["customer", "add", "Bob"]);
    env.ok(&["stock", "adjust", "S-1", "2"]);
    env.ok(&["-q", "so", "create", "--customer", "Bob", "--item", "S-1:2"]);
    let barrier = Barrier::new(4);
    let codes: Vec<i32> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                let env = &env;
                let barrier = &barrier;
                s.spawn(move || {
                    let args = ["--wait", "60", "so", "confirm", "SO-00001"];
                    let cmd = env.command_db(&args);
                    barrier.wait();
                    env.output(cmd, &args).code
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [OK, REFUSED, REFUSED, REFUSED], "{codes:?}");
    let stock = env.json(&["stock", "list", "--sku", "S-1"]);
    assert_eq!(stock[0]["reserved"], "2");
}
