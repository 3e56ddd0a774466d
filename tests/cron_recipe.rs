//! The cron recipe in examples/cron runs as an operator would install it: the nightly script
//! imports the day's marketplace files, backorders every shortfall once per vendor, logs, and exits
//! with the documented codes; run again, it creates nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::process::Command;

fn nightly(env: &Env, orders_dir: &std::path::Path) -> (i32, String) {
    let log = env.path("nightly.log");
    let status = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/cron/stockroom-nightly.sh"
        ))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", env.dir())
        .env("STOCKROOM_DB", &env.db)
        .env("STOCKROOM", BIN)
        .env("ORDERS_DIR", orders_dir)
        .env("LOG", &log)
        .stdin(std::process::Stdio::null())
        .status()
        .expect("run the nightly script");
    (
        status.code().unwrap_or(-1),
        std::fs::read_to_string(&log).unwrap_or_default(),
    )
}

#[test]
fn the_nightly_script_imports_backorders_once_and_reports_partial_runs() {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme"]);
    env.ok(&["vendor", "add", "Globex"]);
    for (sku, vendor) in [("W-1", "Acme"), ("G-7", "Globex")] {
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
            vendor,
        ]);
    }
    env.ok(&[
        "item",
        "add",
        "N-3",
        "--name",
        "No vendor",
        "--rate",
        "1",
        "--purchase-rate",
        "1",
    ]);
    let incoming = env.path("incoming");
    std::fs::create_dir_all(&incoming).unwrap();
    std::fs::write(
        incoming.join("day1.csv"),
        "channel,external_id,date,customer,sku,quantity,rate\r\n\
         web,1001,2026-03-02,Ann,W-1,3,\r\n\
         web,1001,2026-03-02,Ann,G-7,1,\r\n\
         web,1002,2026-03-02,Ben,W-1,2,\r\n\
         web,1003,2026-03-02,Cy,NOPE,1,\r\n",
    )
    .unwrap();

    let (code, log) = nightly(&env, &incoming);
    // a rejected row makes the night partial (5), the rest is done
    assert_eq!(code, 5, "{log}");
    assert!(log.contains("backorder bulk --all"), "{log}");
    assert!(incoming.join("done/day1.csv").exists());
    let rejects = std::fs::read_to_string(incoming.join("rejects/day1.csv")).unwrap();
    assert!(
        rejects.contains("NOPE") && rejects.contains("reason"),
        "{rejects}"
    );
    let pos = env.json(&["po", "list"]);
    let pos = pos.as_array().unwrap();
    assert_eq!(pos.len(), 2, "one PO per vendor: {pos:?}");
    let links = env.json(&["backorder", "list"]);
    assert_eq!(links.as_array().unwrap().len(), 3, "{links}");

    // the next night: nothing new to import, nothing new to backorder
    let (code, log) = nightly(&env, &incoming);
    assert_eq!(code, 0, "{log}");
    assert_eq!(env.json(&["po", "list"]).as_array().unwrap().len(), 2);
    assert_eq!(
        env.json(&["backorder", "list"]).as_array().unwrap().len(),
        3
    );

    // an order for an item without vendor: the rest is backordered, the night is partial
    std::fs::write(
        incoming.join("day3.csv"),
        "channel,external_id,date,customer,sku,quantity,rate\n\
         web,1004,2026-03-04,Ann,N-3,2,\n\
         web,1005,2026-03-04,Ben,G-7,4,\n",
    )
    .unwrap();
    let (code, log) = nightly(&env, &incoming);
    assert_eq!(code, 5, "{log}");
    assert!(
        log.contains("N-3"),
        "the log names the item without vendor\n{log}"
    );
    assert_eq!(env.json(&["po", "list"]).as_array().unwrap().len(), 3);
    env.ok(&["doctor"]);
}
