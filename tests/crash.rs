//! Crash safety (SPEC §2: every write happens completely or not at all): `kill -9` a
//! `backorder bulk --all` over a large backlog and a large `so import --confirm` at pseudo-random
//! moments, at least 20 times each. After every kill `doctor` is clean and the run's effects are
//! all there or all absent; the next run finishes the job, and a run after that adds nothing.
//!
//! The moments are spread over the length of an uninterrupted run, measured first, so most kills
//! land inside the write transaction. When a run finishes before its kill, the database is put
//! back from a backup the way README's restore recipe says, and the next kill has work to cut.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const KILLS: usize = 20;

/// Runs the command with nowhere to block (stdout and stderr to /dev/null), killing it with
/// SIGKILL after `delay` unless it finished. Returns `None` when it was killed, else its code.
fn run_or_kill(env: &Env, args: &[&str], stdin: Option<&Path>, delay: Duration) -> Option<i32> {
    let mut c = env.command_db(args);
    c.stdout(Stdio::null()).stderr(Stdio::null());
    if let Some(p) = stdin {
        c.stdin(std::fs::File::open(p).unwrap());
    }
    let mut child = c.spawn().unwrap();
    let deadline = Instant::now() + delay;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status.code().unwrap_or(-1));
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(2)));
    }
    child.kill().unwrap(); // SIGKILL
                           // a code means it got to exit between our last look and the kill; none means the signal
    child.wait().unwrap().code()
}

/// A pseudo-random fraction in 0..1, the same on every run.
fn moment(i: usize) -> f64 {
    ((i as f64 + 1.0) * 0.618_033_988_75).fract()
}

fn count(env: &Env, sql: &str) -> i64 {
    let c = Connection::open_with_flags(&env.db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn side(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    p.into()
}

/// README's restore: writers stopped, copy the backup over the file, remove -wal and -shm.
fn restore(env: &Env, backup: &Path) {
    std::fs::copy(backup, &env.db).unwrap();
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(side(&env.db, s));
    }
}

#[track_caller]
fn doctor_clean(env: &Env, after: &str) {
    let out = env.run(&["doctor"]);
    assert_eq!(out.code, OK, "doctor after {after}\n{out:?}");
}

/// Items of two vendors, no stock.
fn shop(items: usize) -> Env {
    let env = Env::init();
    env.ok(&["vendor", "add", "North"]);
    env.ok(&["vendor", "add", "South"]);
    let mut csv = String::from("sku,name,rate,purchase_rate,vendor\n");
    for i in 0..items {
        let vendor = if i % 2 == 0 { "North" } else { "South" };
        csv.push_str(&format!("K-{i:03},Item {i},10,6,{vendor}\n"));
    }
    let f = env.write_file("items.csv", csv.as_bytes());
    env.ok(&["item", "import", &f]);
    env
}

/// `orders` marketplace orders of `lines` lines each, for 50 customers.
fn orders_csv(orders: usize, lines: usize, items: usize) -> String {
    let mut csv = String::from("channel,external_id,date,customer,sku,quantity,rate\n");
    for o in 0..orders {
        for l in 0..lines {
            csv.push_str(&format!(
                "shop,E{o:06},2026-01-{:02},Customer {},K-{:03},{},\n",
                1 + o % 28,
                o % 50,
                (o * 7 + l) % items,
                1 + (o + l) % 3
            ));
        }
    }
    csv
}

/// Where the kills landed.
#[derive(Debug, Default)]
struct Outcome {
    /// Killed before the commit: nothing of the run is there.
    before_commit: usize,
    /// Killed after the commit (while printing): all of it is there.
    after_commit: usize,
    /// Finished before its kill.
    ran_to_end: usize,
}

/// One command to cut short, and how to tell whether it committed.
struct Job<'a> {
    args: &'a [&'a str],
    stdin: Option<&'a Path>,
    /// How long an uninterrupted run takes.
    full_run: Duration,
    /// A backup of the database before the run.
    pristine: &'a Path,
    /// The run's effect: `before` until it commits, `after` once it did.
    done: &'a dyn Fn(&Env) -> i64,
    before: i64,
    after: i64,
}

/// Kills the job at pseudo-random moments until `KILLS` kills landed; after each, doctor is clean and the effect all or nothing.
fn kill_loop(env: &Env, job: &Job) -> Outcome {
    let mut outcome = Outcome::default();
    let mut full_run = job.full_run;
    for i in 0.. {
        if outcome.before_commit + outcome.after_commit >= KILLS {
            break;
        }
        assert!(
            i < 3 * KILLS,
            "the runs keep finishing before their kill: {outcome:?}"
        );
        let delay = full_run.mul_f64(0.05 + moment(i));
        let started = Instant::now();
        let code = run_or_kill(env, job.args, job.stdin, delay);
        let lived = started.elapsed();
        if code.is_some() {
            // the machine got faster (other tests finished): aim at the run's real length
            full_run = full_run.min(lived);
        }
        // doctor first: it is also the first opener after the crash and recovers the WAL
        doctor_clean(env, &format!("kill {i} at {delay:?} ({code:?})"));
        let now = (job.done)(env);
        assert!(
            now == job.before || now == job.after,
            "kill {i} at {delay:?} left {now}, neither {} nor {}",
            job.before,
            job.after
        );
        match code {
            None if now == job.before => outcome.before_commit += 1,
            None => outcome.after_commit += 1,
            Some(code) => {
                assert_eq!(code, OK, "run {i} finished with {code}");
                assert_eq!(now, job.after, "run {i} finished");
                outcome.ran_to_end += 1;
            }
        }
        if now == job.after {
            restore(env, job.pristine);
            assert_eq!((job.done)(env), job.before);
        }
    }
    outcome
}

#[test]
fn kill_9_during_backorder_bulk_leaves_all_or_nothing() {
    const ITEMS: usize = 40;
    let env = shop(ITEMS);
    let csv = env.write_file("orders.csv", orders_csv(1500, 2, ITEMS).as_bytes());
    env.ok(&["-q", "so", "import", &csv, "--confirm"]);
    let pristine = env.path("pristine.db");
    env.ok(&["backup", pristine.to_str().unwrap()]);
    let links = |e: &Env| count(e, "SELECT count(*) FROM backorder_links");
    let pos = |e: &Env| count(e, "SELECT count(*) FROM purchase_orders");
    assert_eq!(links(&env), 0);

    // an uninterrupted run: how long it takes and what it makes (its rows go to /dev/null as CSV,
    // so that nearly all of the run is the transaction, where the kills should land)
    let args = [
        "backorder",
        "bulk",
        "--all",
        "--format",
        "csv",
        "-o",
        "/dev/null",
    ];
    let t = Instant::now();
    assert_eq!(
        run_or_kill(&env, &args, None, Duration::from_secs(600)),
        Some(OK)
    );
    let full_run = t.elapsed();
    let (all_links, all_pos) = (links(&env), pos(&env));
    assert_eq!(all_links, 3000, "one link per backordered line");
    assert_eq!(all_pos, 2, "one PO per vendor");
    restore(&env, &pristine);

    let o = kill_loop(
        &env,
        &Job {
            args: &args,
            stdin: None,
            full_run,
            pristine: &pristine,
            done: &links,
            before: 0,
            after: all_links,
        },
    );
    eprintln!("bulk: an uninterrupted run takes {full_run:?}; {o:?}");
    assert!(
        o.before_commit >= KILLS / 2,
        "too few kills landed mid-run: {o:?}"
    );
    // every cut run left POs and links together or not at all
    assert!([0, all_pos].contains(&pos(&env)));

    // the next run finishes the job; the one after it creates nothing
    env.ok(&["-q", "backorder", "bulk", "--all"]);
    assert_eq!((links(&env), pos(&env)), (all_links, all_pos));
    env.ok(&["-q", "backorder", "bulk", "--all"]);
    assert_eq!((links(&env), pos(&env)), (all_links, all_pos));
    doctor_clean(&env, "the final runs");
}

#[test]
fn kill_9_during_so_import_leaves_all_or_nothing() {
    const ITEMS: usize = 40;
    const ORDERS: i64 = 10_000;
    let env = shop(ITEMS);
    env.ok(&["stock", "adjust", "K-001", "500"]);
    let csv = env.path("orders.csv");
    std::fs::write(&csv, orders_csv(ORDERS as usize, 2, ITEMS)).unwrap();
    let pristine = env.path("pristine.db");
    env.ok(&["backup", pristine.to_str().unwrap()]);
    let orders = |e: &Env| count(e, "SELECT count(*) FROM sales_orders");
    let args = ["so", "import", "-", "--confirm"];

    let t = Instant::now();
    assert_eq!(
        run_or_kill(&env, &args, Some(&csv), Duration::from_secs(600)),
        Some(OK)
    );
    let full_run = t.elapsed();
    assert_eq!(orders(&env), ORDERS);
    assert_eq!(
        count(&env, "SELECT count(*) FROM so_lines"),
        2 * ORDERS,
        "20,000 lines"
    );
    restore(&env, &pristine);

    let o = kill_loop(
        &env,
        &Job {
            args: &args,
            stdin: Some(&csv),
            full_run,
            pristine: &pristine,
            done: &orders,
            before: 0,
            after: ORDERS,
        },
    );
    eprintln!("import: an uninterrupted run takes {full_run:?}; {o:?}");
    assert!(
        o.before_commit >= KILLS / 2,
        "too few kills landed mid-run: {o:?}"
    );

    // the next run imports everything; importing again skips every order
    let csv_s = csv.to_str().unwrap();
    env.ok(&["-q", "so", "import", csv_s, "--confirm"]);
    assert_eq!(orders(&env), ORDERS);
    let out = env.run(&["so", "import", csv_s, "--confirm"]);
    out.expect(OK)
        .stderr_has(&["imported 0 order(s)", "skipped 10000"]);
    assert_eq!(orders(&env), ORDERS);
    assert_eq!(count(&env, "SELECT count(*) FROM so_lines"), 2 * ORDERS);
    doctor_clean(&env, "the final imports");
}
