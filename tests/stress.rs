//! Several processes on one file at once (SPEC §2, §3): three clerks create and confirm orders,
//! issue, receive, bill and cancel purchase orders, drop-ship, pack, ship, invoice and void orders,
//! switch the hold rule and adjust stock; a cron process runs
//! `backorder bulk --all` in a loop; an auditor runs `doctor` and `backup` while they work. Every
//! command is logged with its exit code. Afterwards: every exit code is 0, 3 or 75; doctor is clean
//! (on the file and on every backup taken mid-run); and the quantities add up against the log.
//!
//! Runs ~15 s of work by default; `STOCKROOM_STRESS_SECS=300 cargo test --test stress` runs longer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const SKUS: &[&str] = &["S-1", "S-2", "S-3", "S-4", "S-5", "S-6"];
const CUSTOMERS: &[&str] = &["Asha", "Bruno", "Chen"];
const OPENING: i64 = 10;

/// A small deterministic generator (xorshift64*), one per process, so a failing run can be
/// replayed by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, v: &'a [String]) -> Option<&'a String> {
        if v.is_empty() {
            None
        } else {
            Some(&v[self.below(v.len() as u64) as usize])
        }
    }
}

/// One logged command.
#[derive(Debug, Clone)]
struct Entry {
    who: String,
    args: Vec<String>,
    code: i32,
    stderr: String,
}

impl Entry {
    fn is(&self, words: &[&str]) -> bool {
        self.args.len() >= words.len() && self.args.iter().zip(words).all(|(a, w)| a == w)
    }
}

struct Log(Mutex<Vec<Entry>>);

impl Log {
    fn run(&self, env: &Env, who: &str, args: &[String]) -> Out {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&a);
        self.0.lock().unwrap().push(Entry {
            who: who.to_string(),
            args: args.to_vec(),
            code: out.code,
            stderr: out.stderr.clone(),
        });
        out
    }
}

fn s(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

/// Document numbers in the first column of a CSV list.
fn numbers(env: &Env, args: &[&str]) -> Vec<String> {
    let out = env.run(args);
    if out.code != OK {
        return Vec::new();
    }
    csv_records(&out.stdout)
        .into_iter()
        .skip(1)
        .filter_map(|r| r.into_iter().next())
        .collect()
}

fn clerk(env: &Env, log: &Log, who: &str, seed: u64, until: Instant) {
    let mut rng = Rng(seed);
    while Instant::now() < until {
        let op = rng.below(100);
        let args: Vec<String> = match op {
            0..=27 => {
                let customer = CUSTOMERS[rng.below(CUSTOMERS.len() as u64) as usize];
                let mut a = s(&["so", "create", "--customer", customer]);
                for _ in 0..=rng.below(2) {
                    let sku = SKUS[rng.below(SKUS.len() as u64) as usize];
                    a.push("--item".into());
                    a.push(format!("{sku}:{}", 1 + rng.below(4)));
                }
                a.extend(s(&["--confirm", "--no-backorder", "-q"]));
                a
            }
            28..=74 => {
                // work on a document that exists now (another clerk may get to it first: exit 3)
                let (list, status) = match op {
                    28..=38 => ("po", "draft"),
                    39..=62 => ("po", "issued"),
                    _ => ("so", "confirmed"),
                };
                let docs = numbers(env, &[list, "list", "--status", status, "--format", "csv"]);
                let Some(doc) = rng.pick(&docs) else {
                    continue;
                };
                match op {
                    28..=38 => s(&["po", "issue", doc, "-q"]),
                    39..=51 => s(&["po", "receive", doc, "-q"]),
                    52..=62 => s(&["bill", "record", doc, "-q"]),
                    63..=68 => s(&["so", "package", doc, "-q"]),
                    69..=72 => s(&["so", "ship", doc, "-q"]),
                    73 => s(&["so", "invoice", doc, "-q"]),
                    _ => s(&["so", "void", doc, "-q"]),
                }
            }
            75..=78 => {
                let status = if rng.below(2) == 0 { "issued" } else { "draft" };
                let pos = numbers(env, &["po", "list", "--status", status, "--format", "csv"]);
                let Some(po) = rng.pick(&pos) else {
                    continue;
                };
                if rng.below(2) == 0 {
                    s(&["po", "cancel", po, "-q"])
                } else {
                    s(&["po", "cancel", po, "--remaining", "-q"])
                }
            }
            79 => {
                let rule = ["billed", "received", "received_and_billed"][rng.below(3) as usize];
                s(&["config", "set", "hold_release", rule, "-q"])
            }
            80..=81 => {
                // a drop shipment must be raised before the cron job backorders the order
                let customer = CUSTOMERS[rng.below(CUSTOMERS.len() as u64) as usize];
                let sku = SKUS[rng.below(SKUS.len() as u64) as usize];
                let qty = format!("{sku}:{}", 5 + rng.below(5));
                let out = log.run(
                    env,
                    who,
                    &s(&[
                        "so",
                        "create",
                        "--customer",
                        customer,
                        "--item",
                        &qty,
                        "--confirm",
                        "--no-backorder",
                        "-q",
                        "--format",
                        "json",
                    ]),
                );
                if out.code != OK {
                    continue;
                }
                let so = out.json()["number"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                s(&["backorder", "create", &so, "--deliver-to", "customer", "-q"])
            }
            _ => {
                let sku = SKUS[rng.below(SKUS.len() as u64) as usize];
                let q = 1 + rng.below(5) as i64;
                let q = if rng.below(3) == 0 { -q } else { q };
                s(&["stock", "adjust", sku, &q.to_string(), "-q"])
            }
        };
        log.run(env, who, &args);
    }
}

fn cron(env: &Env, log: &Log, until: Instant) {
    while Instant::now() < until {
        log.run(env, "cron", &s(&["backorder", "bulk", "--all", "-q"]));
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// Runs doctor and takes backups while the others write.
fn auditor(env: &Env, log: &Log, until: Instant) -> Vec<std::path::PathBuf> {
    let mut backups = Vec::new();
    let mut i = 0;
    while Instant::now() < until {
        log.run(env, "auditor", &s(&["doctor", "-q"]));
        let file = env.path(&format!("backup-{i}.db"));
        let out = log.run(
            env,
            "auditor",
            &s(&["backup", file.to_str().unwrap(), "-q"]),
        );
        if out.code == OK {
            backups.push(file);
        }
        i += 1;
        std::thread::sleep(Duration::from_millis(700));
    }
    backups
}

fn ro(env: &Env) -> Connection {
    Connection::open_with_flags(&env.db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// `SELECT sku, total` rows as a map of whole units.
fn per_sku(c: &Connection, sql: &str) -> BTreeMap<String, i64> {
    let mut st = c.prepare(sql).unwrap();
    st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
        .map(|r| {
            let (k, v) = r.unwrap();
            assert_eq!(v % 1000, 0, "whole units only in this test");
            (k, v / 1000)
        })
        .collect()
}

fn count(c: &Connection, sql: &str) -> usize {
    c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize
}

#[test]
fn clerks_cron_and_auditor_at_once_lose_nothing() {
    let secs: u64 = std::env::var("STOCKROOM_STRESS_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let env = Env::init();
    let log = Log(Mutex::new(Vec::new()));
    for v in ["North Supply", "South Supply"] {
        env.ok(&["vendor", "add", v]);
    }
    for c in CUSTOMERS {
        env.ok(&["customer", "add", c, "--shipping-address", "somewhere"]);
    }
    for (i, sku) in SKUS.iter().enumerate() {
        let vendor = if i % 2 == 0 {
            "North Supply"
        } else {
            "South Supply"
        };
        env.ok(&[
            "item",
            "add",
            sku,
            "--name",
            sku,
            "--rate",
            "9.5",
            "--purchase-rate",
            "4",
            "--vendor",
            vendor,
        ]);
        log.run(
            &env,
            "setup",
            &s(&["stock", "adjust", sku, &OPENING.to_string()]),
        )
        .expect(OK);
    }

    let started = Instant::now();
    let until = started + Duration::from_secs(secs);
    let backups = std::thread::scope(|sc| {
        for (n, seed) in [
            (1, 0x9E37_79B9_7F4A_7C15_u64),
            (2, 0xD1B5_4A32_D192_ED03),
            (3, 42),
        ] {
            let (env, log) = (&env, &log);
            sc.spawn(move || clerk(env, log, &format!("clerk{n}"), seed, until));
        }
        sc.spawn(|| cron(&env, &log, until));
        let auditor = sc.spawn(|| auditor(&env, &log, until));
        auditor.join().unwrap()
    });
    let log = log.0.into_inner().unwrap();

    // every command ended as documented: done, refused by a rule, or busy
    let mut tally: BTreeMap<(String, i32), usize> = BTreeMap::new();
    for e in &log {
        let words = if matches!(e.args[0].as_str(), "doctor" | "backup") {
            1
        } else {
            2
        };
        let kind = e.args[..words].join(" ");
        *tally.entry((kind, e.code)).or_default() += 1;
    }
    eprintln!(
        "{} commands in {:?}: {tally:?}",
        log.len(),
        started.elapsed()
    );
    let bad: Vec<&Entry> = log
        .iter()
        .filter(|e| ![OK, REFUSED, BUSY].contains(&e.code) || e.stderr.contains("panicked"))
        .collect();
    assert!(bad.is_empty(), "undocumented exits: {bad:#?}");
    // readers and backups never wait for writers in WAL mode, and see one consistent snapshot
    let audit_failures: Vec<&Entry> = log
        .iter()
        .filter(|e| e.who == "auditor" && e.code != OK)
        .collect();
    assert!(audit_failures.is_empty(), "{audit_failures:#?}");
    let ok = |words: &[&str]| log.iter().filter(|e| e.is(words) && e.code == OK).count();
    assert!(
        ok(&["so", "create"]) >= 10,
        "too little work to mean anything: {tally:?}"
    );
    assert!(ok(&["backorder", "bulk"]) >= 3, "{tally:?}");

    // doctor on the file and on every backup taken while the others wrote
    env.run(&["doctor"]).expect(OK);
    assert!(!backups.is_empty());
    for b in &backups {
        let copy = Env::new();
        std::fs::copy(b, &copy.db).unwrap();
        let out = copy.run(&["doctor"]);
        assert_eq!(out.code, OK, "backup {}\n{out:?}", b.display());
    }

    // quantities add up against the log: each successful command made exactly one document ...
    let c = ro(&env);
    assert_eq!(
        count(&c, "SELECT count(*) FROM sales_orders"),
        ok(&["so", "create"])
    );
    assert_eq!(
        count(&c, "SELECT count(*) FROM receipts"),
        ok(&["po", "receive"])
    );
    assert_eq!(
        count(&c, "SELECT count(*) FROM bills"),
        ok(&["bill", "record"])
    );
    assert_eq!(
        count(&c, "SELECT count(*) FROM packages"),
        ok(&["so", "package"])
    );
    let adjustments = log
        .iter()
        .filter(|e| e.is(&["stock", "adjust"]) && e.code == OK)
        .count();
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM movements WHERE kind = 'adjustment'"
        ),
        adjustments
    );
    // ... and on hand is the opening plus the logged adjustments, plus what the receipts brought,
    // minus what the shipped packages took
    let received = per_sku(
        &c,
        "SELECT i.sku, sum(rl.quantity) FROM receipt_lines rl JOIN po_lines pl ON pl.id = rl.po_line_id \
         JOIN items i ON i.id = pl.item_id GROUP BY i.sku",
    );
    let shipped = per_sku(
        &c,
        "SELECT i.sku, sum(pk.quantity) FROM package_lines pk JOIN packages p ON p.id = pk.package_id \
         JOIN so_lines l ON l.id = pk.so_line_id JOIN items i ON i.id = l.item_id \
         WHERE p.status = 'shipped' GROUP BY i.sku",
    );
    let stock = env.stock();
    for sku in SKUS {
        let adjusted: i64 = log
            .iter()
            .filter(|e| e.is(&["stock", "adjust", sku]) && e.code == OK)
            .map(|e| e.args[3].parse::<i64>().unwrap())
            .sum();
        let want = adjusted + received.get(*sku).copied().unwrap_or(0)
            - shipped.get(*sku).copied().unwrap_or(0);
        let row = stock
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["sku"] == *sku)
            .unwrap();
        assert_eq!(row["on_hand"], want.to_string(), "{sku}: {row}");
    }
    // no order line is backordered twice: what its open links still owe fits in its shortfall
    let over = count(
        &c,
        "SELECT count(*) FROM so_lines l WHERE \
           (SELECT coalesce(sum(quantity - cancelled - delivered), 0) FROM backorder_links bl \
             WHERE bl.so_line_id = l.id AND bl.state = 'open') \
           > l.quantity - l.shipped - l.dropshipped - l.reserved",
    );
    assert_eq!(over, 0);
    drop(c);

    // the cron path is idempotent once the clerks are gone
    env.ok(&["backorder", "bulk", "--all"]);
    let pos = env.json(&["po", "list"]).as_array().unwrap().len();
    env.ok(&["backorder", "bulk", "--all"]);
    assert_eq!(env.json(&["po", "list"]).as_array().unwrap().len(), pos);
    env.run(&["doctor"]).expect(OK);
}
