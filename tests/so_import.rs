//! `so import` (SPEC §4): marketplace orders from CSV, one order per (channel, external_id),
//! idempotent on re-import, all or nothing unless `--skip-invalid --rejects FILE` (exit 5), and
//! `--confirm` in order of order date.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;

const PARTIAL: i32 = 5;

const HEADER: &str = "channel,external_id,date,customer,sku,quantity,rate\n";

/// W-1 (vendor Acme) and G-2 (no vendor), no customers: the import creates them.
fn shop() -> Env {
    let env = Env::with_item("W-1");
    env.ok(&[
        "item",
        "add",
        "G-2",
        "--name",
        "Gadget",
        "--rate",
        "3",
        "--purchase-rate",
        "2",
    ]);
    env
}

fn orders(env: &Env) -> Vec<Value> {
    env.json(&["so", "list"]).as_array().unwrap().clone()
}

fn numbers(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|s| s["number"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn import_groups_rows_into_orders_and_creates_unknown_customers() {
    let env = shop();
    let file = env.write_file(
        "orders.csv",
        format!(
            "{HEADER}amazon,A-1,2024-02-01,Ann,W-1,2,\n\
             amazon,A-1,2024-02-01,Ann,G-2,1,2.50\n\
             amazon,A-2,2024-02-02,Ben,W-1,1,\n\
             etsy,A-1,2024-02-03,Ann,G-2,4,\n"
        )
        .as_bytes(),
    );
    let out = env.run(&["so", "import", &file, "--format", "json"]);
    out.expect(OK)
        .stderr_has(&["Imported 3 order(s)", "skipped 0"]);
    let imported = out.json();
    assert_eq!(imported.as_array().unwrap().len(), 3, "{imported}");
    assert_eq!(imported[0]["external_id"], "A-1");
    assert_eq!(imported[0]["lines"], 2);
    let list = orders(&env);
    assert_eq!(numbers(&list), ["SO-00001", "SO-00002", "SO-00003"]);
    let first = env.json(&["so", "show", "SO-00001"]);
    assert_eq!(first["channel"], "amazon");
    assert_eq!(first["external_id"], "A-1");
    assert_eq!(first["customer"], "Ann");
    assert_eq!(first["date"], "2024-02-01");
    assert_eq!(first["status"], "draft");
    assert_eq!(first["lines"][0]["rate"], "12.50", "empty rate: the item's");
    assert_eq!(first["lines"][1]["rate"], "2.50");
    assert_eq!(first["total"], "27.50");
    let customers = env.json(&["customer", "list"]);
    let names: Vec<&str> = customers
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ann", "Ben"]);
}

#[test]
fn importing_the_same_file_twice_creates_nothing_the_second_time() {
    let env = shop();
    let file = env.write_file(
        "orders.csv",
        format!(
            "{HEADER}amazon,A-1,2024-02-01,Ann,W-1,2,\n\
             amazon,A-2,2024-02-02,Ben,W-1,1,\n"
        )
        .as_bytes(),
    );
    env.ok(&["so", "import", &file]);
    let list = orders(&env);
    let before = env.dump();
    let out = env.run(&["so", "import", &file, "--format", "json"]);
    out.expect(OK)
        .stderr_has(&["Imported 0 order(s)", "skipped 2"]);
    assert_eq!(out.json(), serde_json::json!([]));
    assert_eq!(orders(&env), list);
    assert_eq!(env.dump(), before, "the second run wrote nothing");
    // a file with one old and one new order imports only the new one
    let more = env.write_file(
        "more.csv",
        format!(
            "{HEADER}amazon,A-2,2024-02-02,Ben,W-1,1,\n\
             amazon,A-3,2024-02-04,Ben,W-1,5,\n"
        )
        .as_bytes(),
    );
    env.run(&["so", "import", &more])
        .expect(OK)
        .stderr_has(&["Imported 1 order(s)", "skipped 1"]);
    assert_eq!(orders(&env).len(), 3);
}

#[test]
fn a_bad_row_refuses_the_whole_file_with_its_line_and_reason() {
    let env = shop();
    let before = env.dump();
    let file = env.write_file(
        "orders.csv",
        format!(
            "{HEADER}amazon,A-1,2024-02-01,Ann,W-1,2,\n\
             amazon,A-2,2024-02-02,Ben,NOPE,1,\n\
             amazon,A-3,2024-02-31,Ben,W-1,1,\n\
             amazon,A-4,2024-02-02,Ben,W-1,0,\n"
        )
        .as_bytes(),
    );
    let out = env.fails(&["so", "import", &file], REFUSED);
    out.stderr_has(&[
        "nothing was imported",
        "line 3",
        "NOPE",
        "line 4",
        "date",
        "line 5",
        "quantity",
        "--skip-invalid",
    ]);
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_eq!(env.dump(), before, "nothing imported, no customer created");
}

#[test]
fn a_file_without_a_required_column_is_refused() {
    let env = shop();
    let before = env.dump();
    let file = env.write_file(
        "orders.csv",
        b"channel,external_id,date,customer,sku\namazon,A-1,2024-02-01,Ann,W-1\n",
    );
    env.fails(&["so", "import", &file], REFUSED)
        .stderr_has(&["quantity"]);
    env.fails(&["so", "import", "missing.csv"], NOT_FOUND);
    assert_eq!(env.dump(), before);
}

#[test]
fn skip_invalid_imports_the_valid_orders_and_writes_the_rejects_with_a_reason() {
    let env = shop();
    let file = env.write_file(
        "orders.csv",
        format!(
            "{HEADER}amazon,A-1,2024-02-01,Ann,W-1,2,\n\
             amazon,A-2,2024-02-02,Ben,NOPE,1,\n\
             amazon,A-2,2024-02-02,Ben,W-1,1,\n\
             amazon,A-3,2024-02-03,Cy,W-1,-1,\n\
             amazon,A-4,2024-02-04,Di,G-2,1,\n"
        )
        .as_bytes(),
    );
    let rejects = env.path("r.csv");
    let out = env.run(&[
        "so",
        "import",
        &file,
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    out.expect(PARTIAL).stderr_has(&["rejected", "r.csv"]);
    let list = orders(&env);
    let ext: Vec<String> = list
        .iter()
        .map(|s| {
            env.json(&["so", "show", s["number"].as_str().unwrap()])["external_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ext, ["A-1", "A-4"], "only the valid orders");
    let text = std::fs::read_to_string(&rejects).unwrap();
    let rows = csv_records(&text);
    let header = &rows[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name} in {header:?}"))
    };
    let (ext_c, sku_c, reason_c) = (col("external_id"), col("sku"), col("reason"));
    assert_eq!(rows.len(), 4, "header and three rejected rows: {text}");
    assert_eq!(
        (rows[1][ext_c].as_str(), rows[1][sku_c].as_str()),
        ("A-2", "NOPE")
    );
    assert!(rows[1][reason_c].contains("NOPE"), "{text}");
    assert_eq!(
        rows[2][ext_c], "A-2",
        "the good row of a bad order goes too"
    );
    assert!(!rows[2][reason_c].is_empty());
    assert_eq!(rows[3][ext_c], "A-3");
    assert!(rows[3][reason_c].contains("quantity"), "{text}");
}

#[test]
fn the_fixed_rejects_file_imports_as_the_message_says() {
    let env = shop();
    let file = env.write_file(
        "orders.csv",
        format!(
            "{HEADER}amazon,A-1,2024-02-01,Ann,W-1,2,\n\
             amazon,A-2,2024-02-02,Ben,NOPE,1,\n"
        )
        .as_bytes(),
    );
    let rejects = env.path("r.csv");
    env.run(&[
        "so",
        "import",
        &file,
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ])
    .expect(PARTIAL)
    .stderr_has(&["fix them and import that file again"]);
    let fixed = std::fs::read_to_string(&rejects)
        .unwrap()
        .replace("NOPE", "W-1");
    let fixed = env.write_file("r.csv", fixed.as_bytes());
    env.run(&["so", "import", &fixed]).expect(OK);
    assert_eq!(orders(&env).len(), 2);
}

#[test]
fn skip_invalid_needs_rejects() {
    let env = shop();
    let file = env.write_file("o.csv", HEADER.as_bytes());
    env.fails(&["so", "import", &file, "--skip-invalid"], USAGE);
}

#[test]
fn confirm_confirms_in_order_of_order_date() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "3"]);
    // the later order comes first in the file
    let file = env.write_file(
        "orders.csv",
        format!(
            "{HEADER}shop,B-9,2024-03-05,Ann,W-1,3,\n\
             shop,B-1,2024-03-01,Ben,W-1,2,\n"
        )
        .as_bytes(),
    );
    let out = env.run(&["so", "import", &file, "--confirm", "--date", "2024-03-06"]);
    out.expect(OK).stderr_has(&["confirmed 2"]);
    let late = env.json(&["so", "show", "SO-00001"]);
    let early = env.json(&["so", "show", "SO-00002"]);
    assert_eq!(late["external_id"], "B-9");
    assert_eq!(late["status"], "confirmed");
    assert_eq!(early["status"], "confirmed");
    assert_eq!(early["lines"][0]["reserved"], "2", "the older order first");
    assert_eq!(late["lines"][0]["reserved"], "1");
    assert_eq!(late["lines"][0]["shortfall"], "2");
}

#[test]
fn channel_comes_from_the_flag_when_the_cell_is_empty_and_stdin_works() {
    let env = shop();
    let data = format!("{HEADER},X-1,2024-02-01,Ann,W-1,1,\n");
    env.fails(&["so", "import", "-"], REFUSED); // empty stdin: no header
    env.run_stdin(&["so", "import", "-"], data.as_bytes())
        .expect(REFUSED)
        .stderr_has(&["channel"]);
    env.run_stdin(&["so", "import", "-", "--channel", "web"], data.as_bytes())
        .expect(OK);
    assert_eq!(env.json(&["so", "show", "SO-00001"])["channel"], "web");
}

#[test]
fn two_thousand_lines_import_and_confirm_quickly() {
    let env = shop();
    env.ok(&["stock", "adjust", "W-1", "1000"]);
    let mut csv = String::from(HEADER);
    for i in 0..2000 {
        let order = i / 4;
        let sku = if i % 2 == 0 { "W-1" } else { "G-2" };
        csv.push_str(&format!(
            "bulk,E-{order:05},2024-04-{:02},Customer {},{sku},{},\n",
            1 + order % 28,
            order % 37,
            1 + i % 3
        ));
    }
    let file = env.write_file("big.csv", csv.as_bytes());
    let started = std::time::Instant::now();
    let out = env.run(&["so", "import", &file, "--confirm", "--format", "csv"]);
    let took = started.elapsed();
    out.expect(OK).stderr_has(&["Imported 500 order(s)"]);
    assert_eq!(csv_records(&out.stdout).len(), 501);
    assert!(
        took < std::time::Duration::from_secs(20),
        "2,000 lines took {took:?}"
    );
    assert_eq!(orders(&env).len(), 500);
    assert_eq!(
        env.json(&["customer", "list"]).as_array().unwrap().len(),
        37
    );
    let stock = env.json(&["stock", "list", "--sku", "W-1"]);
    // W-1 is on every even line: 1 or 3 units (i % 3 over even i)
    let want: i64 = (0..2000)
        .filter(|i| i % 2 == 0)
        .map(|i| 1 + i % 3)
        .sum::<i64>();
    assert_eq!(stock[0]["committed"], want.to_string());
    assert_eq!(stock[0]["reserved"], want.min(1000).to_string());
    // re-running the big file is a no-op
    env.run(&["so", "import", &file])
        .expect(OK)
        .stderr_has(&["skipped 500"]);
}

#[test]
fn the_same_file_imported_by_parallel_processes_yields_each_order_once() {
    let env = shop();
    let mut csv = String::from(HEADER);
    for i in 0..40 {
        csv.push_str(&format!("shop,P-{i},2024-02-01,Ann,W-1,1,\n"));
    }
    let file = env.write_file("orders.csv", csv.as_bytes());
    let barrier = std::sync::Barrier::new(3);
    let outs: Vec<Out> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3)
            .map(|_| {
                let (env, barrier, file) = (&env, &barrier, &file);
                s.spawn(move || {
                    let args = ["--wait", "60", "so", "import", file.as_str()];
                    let cmd = env.command_db(&args);
                    barrier.wait();
                    env.output(cmd, &args)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for o in &outs {
        o.expect(OK);
    }
    assert_eq!(orders(&env).len(), 40);
    assert_eq!(env.json(&["customer", "list"]).as_array().unwrap().len(), 1);
}
