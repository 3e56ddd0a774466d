//! Property test of the §3 invariants over random command sequences, driven in-process through
//! `stockroom::run` (the binary would be too slow for hundreds of steps): confirm, adjust,
//! backorder (single and bulk, warehouse and drop ship, more or less than the shortfall), issue,
//! partial receipts and bills, cancel, void, package, ship and invoice. After every step the file
//! is read with rusqlite and must satisfy:
//!
//! - `0 ≤ reserved ≤ on_hand` per item and warehouse; `stock.reserved` = Σ `so_lines.reserved`;
//!   `stock.on_hand` = Σ movements;
//! - per SO line `reserved + open links outstanding + shipped + dropshipped ≤ quantity`,
//!   `packed ≤ reserved`, `invoiced ≤ quantity`, and its `open` flag set exactly when the order
//!   is confirmed or on hold and something is left to ship;
//! - Σ links on a PO line ≤ its quantity; received and billed ≤ ordered − cancelled; the units
//!   delivered through warehouse links ≤ received;
//! - an order is on hold iff it has a pending link under the case's `hold_release` rule;
//!   a void order has no open link; a fulfilled or closed order has every unit shipped or
//!   drop-shipped;
//! - no command ever ends in exit 1 (an unexpected failure, e.g. a CHECK constraint) or 2;
//! - a bulk backorder run right after a successful one creates nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

const ITEMS: [&str; 2] = ["A-1", "B-2"];
const RULES: [&str; 3] = ["billed", "received", "received_and_billed"];

#[derive(Debug, Clone)]
enum Op {
    Create {
        item: usize,
        second: Option<usize>,
        qty: u32,
        confirm: bool,
        backorder: Option<bool>,
    },
    Confirm {
        so: usize,
    },
    Adjust {
        item: usize,
        delta: i32,
        release: bool,
    },
    Backorder {
        so: usize,
        qty: Option<u32>,
        dropship: bool,
    },
    Bulk {
        by_so: bool,
        dropship: bool,
    },
    Issue {
        po: usize,
    },
    Receive {
        po: usize,
        item: usize,
        qty: Option<u32>,
    },
    Bill {
        po: usize,
        item: usize,
        qty: Option<u32>,
    },
    Cancel {
        po: usize,
        remaining: bool,
    },
    Void {
        so: usize,
    },
    Package {
        so: usize,
        item: usize,
        qty: Option<u32>,
    },
    Ship {
        so: usize,
    },
    Invoice {
        so: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let idx = 0usize..8;
    prop_oneof![
        4 => (0usize..2, proptest::option::of(0usize..2), 1u32..7, proptest::bool::weighted(0.7), proptest::option::of(any::<bool>()))
            .prop_map(|(item, second, qty, confirm, backorder)| Op::Create { item, second, qty, confirm, backorder }),
        2 => idx.clone().prop_map(|so| Op::Confirm { so }),
        2 => (0usize..2, -5i32..7, any::<bool>()).prop_map(|(item, delta, release)| Op::Adjust { item, delta, release }),
        3 => (idx.clone(), proptest::option::of(1u32..9), proptest::bool::weighted(0.25))
            .prop_map(|(so, qty, dropship)| Op::Backorder { so, qty, dropship }),
        1 => (any::<bool>(), proptest::bool::weighted(0.2)).prop_map(|(by_so, dropship)| Op::Bulk { by_so, dropship }),
        3 => idx.clone().prop_map(|po| Op::Issue { po }),
        4 => (idx.clone(), 0usize..2, proptest::option::of(1u32..5)).prop_map(|(po, item, qty)| Op::Receive { po, item, qty }),
        4 => (idx.clone(), 0usize..2, proptest::option::of(1u32..5)).prop_map(|(po, item, qty)| Op::Bill { po, item, qty }),
        1 => (idx.clone(), any::<bool>()).prop_map(|(po, remaining)| Op::Cancel { po, remaining }),
        1 => idx.clone().prop_map(|so| Op::Void { so }),
        2 => (idx.clone(), 0usize..2, proptest::option::of(1u32..4)).prop_map(|(so, item, qty)| Op::Package { so, item, qty }),
        2 => idx.clone().prop_map(|so| Op::Ship { so }),
        1 => idx.prop_map(|so| Op::Invoice { so }),
    ]
}

/// One case's database.
struct Case {
    _dir: tempfile::TempDir,
    db: PathBuf,
    rule: &'static str,
}

impl Case {
    fn new(rule: &'static str, stock: [u32; 2]) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("stockroom-prop-")
            .tempdir()
            .unwrap();
        let db = dir.path().join("p.db");
        let case = Self {
            _dir: dir,
            db,
            rule,
        };
        case.must(&["init"]);
        case.must(&["config", "set", "hold_release", rule]);
        case.must(&["vendor", "add", "Acme"]);
        case.must(&["vendor", "add", "Bolt"]);
        case.must(&[
            "item",
            "add",
            "A-1",
            "--name",
            "A",
            "--rate",
            "5",
            "--purchase-rate",
            "3",
            "--vendor",
            "Acme",
        ]);
        case.must(&[
            "item",
            "add",
            "B-2",
            "--name",
            "B",
            "--rate",
            "7",
            "--purchase-rate",
            "4",
            "--vendor",
            "Bolt",
        ]);
        case.must(&["customer", "add", "Bob", "--shipping-address", "1 Main St"]);
        case.must(&["customer", "add", "Cy", "--shipping-address", "2 Side St"]);
        for (sku, q) in ITEMS.iter().zip(stock) {
            if q > 0 {
                case.must(&["stock", "adjust", sku, &q.to_string()]);
            }
        }
        case
    }

    /// Runs one command in-process, quietly, data to /dev/null; returns its exit code.
    fn run(&self, args: &[&str]) -> i32 {
        let mut argv: Vec<String> = vec![
            "stockroom".into(),
            "--db".into(),
            self.db.to_string_lossy().into_owned(),
            "-q".into(),
            "--no-input".into(),
            "-o".into(),
            "/dev/null".into(),
        ];
        argv.extend(args.iter().map(|s| (*s).to_string()));
        stockroom::run(argv) as i32
    }

    #[track_caller]
    fn must(&self, args: &[&str]) {
        assert_eq!(self.run(args), 0, "setup step {args:?}");
    }

    fn conn(&self) -> Connection {
        Connection::open(&self.db).unwrap()
    }

    fn count(&self, table: &str) -> usize {
        self.conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap() as usize
    }

    fn ids(&self, sql: &str) -> Vec<i64> {
        let c = self.conn();
        let mut st = c.prepare(sql).unwrap();
        let ids = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<i64>>>()
            .unwrap();
        ids
    }

    /// A document picked by `i`: mostly one in a state where `statuses` make the command
    /// meaningful, now and then any (so that refusals are exercised too).
    fn pick(
        &self,
        table: &str,
        prefix: &str,
        statuses: &[&str],
        i: usize,
    ) -> Option<(i64, String)> {
        let any = self.ids(&format!("SELECT id FROM {table} ORDER BY id"));
        let list = format!("'{}'", statuses.join("','"));
        let fit = self.ids(&format!(
            "SELECT id FROM {table} WHERE status IN ({list}) ORDER BY id"
        ));
        let from = if i.is_multiple_of(7) { &any } else { &fit };
        from.get(i % from.len().max(1))
            .map(|id| (*id, format!("{prefix}-{id:05}")))
    }

    fn so(&self, statuses: &[&str], i: usize) -> Option<(i64, String)> {
        self.pick("sales_orders", "SO", statuses, i)
    }

    fn po(&self, statuses: &[&str], i: usize) -> Option<(i64, String)> {
        self.pick("purchase_orders", "PO", statuses, i)
    }

    /// The SKU of one of the document's lines (`so_lines` or `po_lines`), picked by `i`.
    fn sku_of(&self, lines: &str, owner: &str, id: i64, i: usize) -> &'static str {
        let items = self.ids(&format!(
            "SELECT item_id FROM {lines} WHERE {owner} = {id} ORDER BY line_no"
        ));
        match items.get(i % items.len().max(1)) {
            Some(2) => ITEMS[1],
            _ => ITEMS[0],
        }
    }

    fn apply(&self, op: &Op) -> Vec<Vec<String>> {
        let mut runs: Vec<Vec<String>> = Vec::new();
        let sv = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        let open_so = ["confirmed", "on_hold"];
        match op {
            Op::Create {
                item,
                second,
                qty,
                confirm,
                backorder,
            } => {
                let customer = if qty.is_multiple_of(2) { "Bob" } else { "Cy" };
                let mut v = sv(&["so", "create", "--customer", customer]);
                v.extend(["--item".into(), format!("{}:{qty}", ITEMS[*item])]);
                if let Some(s) = second.filter(|s| s != item) {
                    v.extend(["--item".into(), format!("{}:{}", ITEMS[s], qty % 3 + 1)]);
                }
                if *confirm {
                    v.push("--confirm".into());
                    match backorder {
                        Some(true) => v.push("--backorder".into()),
                        Some(false) => v.push("--no-backorder".into()),
                        None => {}
                    }
                }
                runs.push(v);
            }
            Op::Confirm { so } => {
                if let Some((_, n)) = self.so(&["draft"], *so) {
                    runs.push(sv(&["so", "confirm", &n]));
                }
            }
            Op::Adjust {
                item,
                delta,
                release,
            } => {
                if *delta != 0 {
                    let mut v = sv(&["stock", "adjust", ITEMS[*item], &delta.to_string()]);
                    if *release {
                        v.push("--release-reservations".into());
                    }
                    runs.push(v);
                }
            }
            Op::Backorder { so, qty, dropship } => {
                if let Some((id, n)) = self.so(&open_so, *so) {
                    let mut v = sv(&["backorder", "create", &n]);
                    if let Some(q) = qty {
                        let sku = self.sku_of("so_lines", "so_id", id, *q as usize);
                        v.extend(["--qty".into(), format!("{sku}={q}")]);
                    }
                    if *dropship {
                        v.extend(sv(&["--deliver-to", "customer"]));
                    }
                    runs.push(v);
                }
            }
            Op::Bulk { by_so, dropship } => {
                let mut v = sv(&["backorder", "bulk", "--all"]);
                if *by_so {
                    v.extend(sv(&["--group-by", "so"]));
                }
                if *dropship {
                    v.extend(sv(&["--deliver-to", "customer"]));
                }
                runs.push(v);
            }
            Op::Issue { po } => {
                if let Some((_, n)) = self.po(&["draft"], *po) {
                    runs.push(sv(&["po", "issue", &n]));
                }
            }
            Op::Receive { po, item, qty } | Op::Bill { po, item, qty } => {
                if let Some((id, n)) = self.po(&["issued"], *po) {
                    let mut v = if matches!(op, Op::Receive { .. }) {
                        sv(&["po", "receive", &n])
                    } else {
                        sv(&["bill", "record", &n])
                    };
                    if let Some(q) = qty {
                        let sku = self.sku_of("po_lines", "po_id", id, *item);
                        let col = if matches!(op, Op::Receive { .. }) {
                            "received"
                        } else {
                            "billed"
                        };
                        let left = self.ids(&format!(
                            "SELECT (l.quantity - l.{col} - l.cancelled) / 1000 FROM po_lines l \
                             JOIN items i ON i.id = l.item_id WHERE l.po_id = {id} AND i.sku = '{sku}'"
                        ));
                        // mostly within what is left; now and then beyond it (a refusal)
                        let q = match left.first() {
                            Some(&l) if l > 0 && !q.is_multiple_of(4) => (*q as i64).min(l),
                            _ => *q as i64,
                        };
                        v.extend(["--item".into(), format!("{sku}={q}")]);
                    }
                    runs.push(v);
                }
            }
            Op::Cancel { po, remaining } => {
                if let Some((_, n)) = self.po(&["draft", "issued"], *po) {
                    let mut v = sv(&["po", "cancel", &n]);
                    if *remaining {
                        v.push("--remaining".into());
                    }
                    runs.push(v);
                }
            }
            Op::Void { so } => {
                if let Some((_, n)) = self.so(&["draft", "confirmed", "on_hold"], *so) {
                    runs.push(sv(&["so", "void", &n]));
                }
            }
            Op::Package { so, item, qty } => {
                if let Some((id, n)) = self.so(&["confirmed"], *so) {
                    let mut v = sv(&["so", "package", &n]);
                    if let Some(q) = qty {
                        let sku = self.sku_of("so_lines", "so_id", id, *item);
                        v.extend(["--item".into(), format!("{sku}={q}")]);
                    }
                    runs.push(v);
                }
            }
            Op::Ship { so } => {
                let packed = self.ids(
                    "SELECT DISTINCT so_id FROM packages WHERE status = 'packed' ORDER BY so_id",
                );
                let pick = match packed.get(so % packed.len().max(1)) {
                    _ if so.is_multiple_of(7) => {
                        self.so(&["confirmed", "on_hold", "fulfilled"], *so)
                    }
                    Some(id) => Some((*id, format!("SO-{id:05}"))),
                    None => None,
                };
                if let Some((_, n)) = pick {
                    runs.push(sv(&["so", "ship", &n]));
                }
            }
            Op::Invoice { so } => {
                if let Some((_, n)) = self.so(&["confirmed", "fulfilled"], *so) {
                    runs.push(sv(&["so", "invoice", &n]));
                }
            }
        }
        runs
    }
}

/// Every invariant of the module doc; returns the violations in words.
fn violations(db: &Path, rule: &str) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut bad = Vec::new();
    let mut rows = |sql: &str, what: &str| {
        let mut st = c.prepare(sql).unwrap();
        let n = st.column_count();
        let found: Vec<String> = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| {
                        r.get_ref(i)
                            .map(|v| match v {
                                rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                                rusqlite::types::ValueRef::Text(t) => {
                                    String::from_utf8_lossy(t).into_owned()
                                }
                                rusqlite::types::ValueRef::Null => "NULL".into(),
                                other => format!("{other:?}"),
                            })
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for f in found {
            bad.push(format!("{what}: {f}"));
        }
    };
    const OUTSTANDING: &str =
        "(SELECT coalesce(sum(bl.quantity - bl.cancelled - bl.delivered), 0) \
         FROM backorder_links bl WHERE bl.so_line_id = l.id AND bl.state = 'open')";
    rows(
        "SELECT item_id, warehouse_id, on_hand, reserved FROM stock WHERE reserved < 0 OR reserved > on_hand",
        "0 <= reserved <= on_hand",
    );
    rows(
        "SELECT s.item_id, s.reserved, (SELECT coalesce(sum(l.reserved), 0) FROM so_lines l \
         WHERE l.item_id = s.item_id AND l.warehouse_id = s.warehouse_id) AS lines \
         FROM stock s WHERE s.reserved <> lines",
        "stock.reserved = sum of line reservations",
    );
    rows(
        "SELECT s.item_id, s.on_hand, (SELECT coalesce(sum(m.qty), 0) FROM movements m \
         WHERE m.item_id = s.item_id AND m.warehouse_id = s.warehouse_id) AS moved \
         FROM stock s WHERE s.on_hand <> moved",
        "on_hand = sum of movements",
    );
    rows(
        &format!(
            "SELECT l.id, l.quantity, l.reserved, {OUTSTANDING} AS o, l.shipped, l.dropshipped FROM so_lines l \
             WHERE l.reserved + {OUTSTANDING} + l.shipped + l.dropshipped > l.quantity"
        ),
        "reserved + open links + shipped + dropshipped <= quantity",
    );
    rows(
        "SELECT id, reserved, packed, invoiced, quantity FROM so_lines \
         WHERE packed > reserved OR invoiced > quantity OR packed < 0",
        "packed <= reserved, invoiced <= quantity",
    );
    rows(
        "SELECT l.id, l.open, so.status, l.quantity - l.shipped - l.dropshipped FROM so_lines l \
         JOIN sales_orders so ON so.id = l.so_id \
         WHERE l.open <> (so.status IN ('confirmed', 'on_hold') AND l.quantity - l.shipped - l.dropshipped > 0)",
        "a line is open iff its order is confirmed/on hold and it has units left to ship",
    );
    rows(
        "SELECT pl.id, pl.quantity, sum(bl.quantity) FROM po_lines pl JOIN backorder_links bl \
         ON bl.po_line_id = pl.id GROUP BY pl.id HAVING sum(bl.quantity) > pl.quantity",
        "sum of links <= PO line quantity",
    );
    rows(
        "SELECT id, quantity, received, billed, cancelled FROM po_lines \
         WHERE received + cancelled > quantity OR billed + cancelled > quantity",
        "received/billed <= ordered - cancelled",
    );
    rows(
        "SELECT pl.id, pl.received, sum(bl.delivered) FROM po_lines pl JOIN backorder_links bl \
         ON bl.po_line_id = pl.id WHERE bl.kind = 'warehouse' GROUP BY pl.id HAVING sum(bl.delivered) > pl.received",
        "units delivered through links <= received",
    );
    rows(
        "SELECT bl.id, bl.quantity, bl.delivered, bl.billed, bl.cancelled FROM backorder_links bl \
         WHERE bl.delivered + bl.cancelled > bl.quantity OR bl.billed + bl.cancelled > bl.quantity",
        "link delivered/billed <= quantity - cancelled",
    );
    rows(
        "SELECT bl.id, so.id FROM backorder_links bl JOIN so_lines l ON l.id = bl.so_line_id \
         JOIN sales_orders so ON so.id = l.so_id WHERE so.status = 'void' AND bl.state = 'open'",
        "a void order has no open link",
    );
    rows(
        "SELECT bl.id, po.id FROM backorder_links bl JOIN po_lines pl ON pl.id = bl.po_line_id \
         JOIN purchase_orders po ON po.id = pl.po_id WHERE po.status = 'cancelled' AND bl.state = 'open'",
        "a cancelled PO has no open link",
    );
    rows(
        "SELECT l.id, so.status FROM so_lines l JOIN sales_orders so ON so.id = l.so_id \
         WHERE (so.status IN ('fulfilled', 'closed') OR so.held_from IN ('fulfilled', 'closed')) \
         AND l.shipped + l.dropshipped < l.quantity",
        "a fulfilled order has every unit shipped or drop-shipped",
    );
    rows(
        "SELECT id, status, received_status, billed_status FROM purchase_orders \
         WHERE status = 'closed' AND (billed_status <> 'billed' OR received_status <> 'received')",
        "a closed PO is received and billed",
    );
    let pending = match rule {
        "billed" => "bl.billed < bl.quantity - bl.cancelled",
        "received" => "(CASE WHEN bl.kind = 'dropship' THEN bl.billed ELSE bl.delivered END) < bl.quantity - bl.cancelled",
        _ => "(bl.delivered < bl.quantity - bl.cancelled OR bl.billed < bl.quantity - bl.cancelled)",
    };
    rows(
        &format!(
            "SELECT so.id, so.status, so.held_from, EXISTS (SELECT 1 FROM backorder_links bl \
             JOIN so_lines l ON l.id = bl.so_line_id WHERE l.so_id = so.id AND bl.state = 'open' AND {pending}) AS p \
             FROM sales_orders so WHERE (so.status = 'on_hold') <> p"
        ),
        "on hold iff a pending link",
    );
    rows(
        "SELECT id, status, held_from FROM sales_orders WHERE (status = 'on_hold') <> (held_from IS NOT NULL)",
        "held_from set iff on hold",
    );
    bad
}

fn scenario() -> impl Strategy<Value = (usize, [u32; 2], Vec<Op>)> {
    (
        0usize..3,
        [0u32..5, 0u32..5],
        proptest::collection::vec(op(), 25..=35),
    )
}

/// Set in the child process that runs the property (see the test below).
const CHILD: &str = "STOCKROOM_PROP_CHILD";
const TEST_NAME: &str = "random_command_sequences_keep_the_invariants";

/// Runs one random sequence and checks the invariants after every command.
fn check_sequence(rule: usize, stock: [u32; 2], ops: &[Op]) -> Result<(), TestCaseError> {
    let case = Case::new(RULES[rule], stock);
    let mut log: Vec<String> = Vec::new();
    for op in ops {
        for args in case.apply(op) {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let code = case.run(&a);
            log.push(format!("{} -> {code}", args.join(" ")));
            prop_assert!(
                matches!(code, 0 | 3 | 4 | 5),
                "unexpected exit {code} (rule {}):\n{}",
                case.rule,
                log.join("\n")
            );
            if matches!(op, Op::Bulk { .. }) && matches!(code, 0 | 5) {
                let before = (case.count("purchase_orders"), case.count("backorder_links"));
                let again = case.run(&a);
                log.push(format!("{} (again) -> {again}", args.join(" ")));
                prop_assert!(
                    matches!(again, 0 | 5),
                    "bulk re-run exit {again}:\n{}",
                    log.join("\n")
                );
                prop_assert_eq!(
                    (case.count("purchase_orders"), case.count("backorder_links")),
                    before,
                    "a bulk re-run created something:\n{}",
                    log.join("\n")
                );
            }
            let bad = violations(&case.db, case.rule);
            prop_assert!(
                bad.is_empty(),
                "invariants broken (rule {}):\n{}\nafter:\n{}",
                case.rule,
                bad.join("\n"),
                log.join("\n")
            );
        }
    }
    // and the product's own checker agrees, once per sequence
    let doctor = case.run(&["doctor"]);
    prop_assert_eq!(
        doctor,
        0,
        "doctor found a problem after:\n{}",
        log.join("\n")
    );
    Ok(())
}

/// `stockroom::run` writes its error messages straight to this process's stderr, where the test
/// harness cannot capture them; so the property runs in a child copy of this test binary whose
/// output is kept, and only shown (without the expected `error:` lines) when it fails.
/// `PROP_CASES=N` runs more cases.
#[test]
fn random_command_sequences_keep_the_invariants() {
    if std::env::var_os(CHILD).is_some() {
        let config = ProptestConfig {
            cases: std::env::var("PROP_CASES")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(32),
            max_shrink_iters: 300,
            failure_persistence: None,
            ..ProptestConfig::default()
        };
        let mut runner = TestRunner::new(config);
        if let Err(e) = runner.run(&scenario(), |(rule, stock, ops)| {
            check_sequence(rule, stock, &ops)
        }) {
            panic!("{e}");
        }
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads", "1"])
        .env(CHILD, "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let relevant: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("error: "))
        .collect();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        relevant.join("\n")
    );
}
