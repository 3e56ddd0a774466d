//! The performance benchmark of SPEC §7 (issues 5 and 9).
//!
//! ```text
//! cargo build --release
//! cargo run --release --example bench -- [--lines N]... [--runs K] [--out bench.md] [--keep]
//! ```
//!
//! For each size N it builds a database through the real commands (`init`, 50 × `vendor add`,
//! `item import` of 10,000 items, `so import --confirm` of N marketplace order lines), then times
//! whole processes of the release `stockroom` binary side by side with the `sqlite3` shell doing
//! the same work on the same file: the import, `backorder bulk --all` (and its rerun), the CSV
//! exports and `report backorders`. Interactive commands are timed on every database at the end,
//! interleaved, and compared smallest against largest. The result is a markdown report on stdout
//! (and in `--out`).

#[path = "bench/gen.rs"]
mod gen;
#[path = "bench/proc.rs"]
mod proc;
#[path = "bench/sql.rs"]
mod sql;

use anyhow::{bail, Context, Result};
use proc::{Job, Runner, Sample};
use std::fmt::Write as _;
use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Confirmation date of the imported orders (dated 2026-01-01..2026-11-30).
const CONFIRM_DATE: &str = "2026-11-30";
/// Date of the bulk POs and of the orders created for the interactive measurements.
const BULK_DATE: &str = "2026-12-01";
/// `report backorders --as-of`, fixed so the window never depends on the day of the run.
const AS_OF: &str = "2026-12-31";
const DEFAULT_LINES: [u64; 3] = [10_000, 100_000, 1_000_000];

const USAGE: &str = "\
Usage: cargo run --release --example bench -- [OPTIONS]

Times the release `stockroom` binary against the `sqlite3` shell on generated databases
(50 vendors, 10,000 items, 1,000 customers, N order lines). Build the binary first with
`cargo build --release`; needs `sqlite3` on PATH and, for peak memory, /usr/bin/time.

Options:
  --lines N              Order lines of one database size (repeatable; 10k, 1M and 1_000_000
                         are accepted) [default: 10000 100000 1000000]
  --runs K               Runs per measurement; each figure is the median [default: 3]
  --interactive-runs R   Runs per interactive command and size [default: 11]
  --out FILE             Also write the markdown report to FILE
  --tmp DIR              Where to make the temporary directory [default: the system temp dir]
  --keep                 Keep the temporary directory with the databases
  -h, --help             Print this help
";

struct Args {
    lines: Vec<u64>,
    runs: usize,
    interactive_runs: usize,
    out: Option<PathBuf>,
    tmp: Option<PathBuf>,
    keep: bool,
    command: String,
}

fn parse_count(flag: &str, s: &str) -> Result<u64> {
    let t: String = s.chars().filter(|c| *c != '_' && *c != ',').collect();
    let (digits, mult) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1_000),
        Some((i, 'm' | 'M')) => (&t[..i], 1_000_000),
        _ => (t.as_str(), 1),
    };
    match digits.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n * mult),
        _ => bail!("{flag} wants a positive number, not '{s}'\n\n{USAGE}"),
    }
}

impl Args {
    /// `None` after `--help`.
    fn parse() -> Result<Option<Args>> {
        let raw: Vec<String> = std::env::args().skip(1).collect();
        let mut a = Args {
            lines: Vec::new(),
            runs: 3,
            interactive_runs: 11,
            out: None,
            tmp: None,
            keep: false,
            command: String::new(),
        };
        let mut it = raw.iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (arg.as_str(), None),
            };
            let mut value = || -> Result<String> {
                match inline.clone().or_else(|| it.next().cloned()) {
                    Some(v) => Ok(v),
                    None => bail!("{flag} needs a value\n\n{USAGE}"),
                }
            };
            match flag {
                "-h" | "--help" => {
                    print!("{USAGE}");
                    return Ok(None);
                }
                "--lines" => a.lines.push(parse_count(flag, &value()?)?),
                "--runs" => a.runs = usize::try_from(parse_count(flag, &value()?)?)?,
                "--interactive-runs" => {
                    a.interactive_runs = usize::try_from(parse_count(flag, &value()?)?)?;
                }
                "--out" => a.out = Some(PathBuf::from(value()?)),
                "--tmp" => a.tmp = Some(PathBuf::from(value()?)),
                "--keep" => a.keep = true,
                _ => bail!("unknown argument '{arg}'\n\n{USAGE}"),
            }
        }
        if a.lines.is_empty() {
            a.lines = DEFAULT_LINES.to_vec();
        }
        a.lines.sort_unstable();
        a.lines.dedup();
        a.command = std::iter::once("cargo run --release --example bench --".to_string())
            .chain(raw)
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Some(a))
    }
}

/// The programs the benchmark runs.
struct Tools {
    stockroom: PathBuf,
    sqlite3: PathBuf,
    time: Option<PathBuf>,
}

impl Tools {
    fn locate() -> Result<Tools> {
        let exe = std::env::current_exe().context("cannot find the benchmark's own path")?;
        // target/release/examples/bench -> target/release/stockroom
        let stockroom = exe
            .parent()
            .and_then(Path::parent)
            .map(|d| d.join("stockroom"))
            .filter(|p| p.is_file());
        let Some(stockroom) = stockroom else {
            bail!(
                "no stockroom binary next to {}: run `cargo build --release` first",
                exe.display()
            );
        };
        let sqlite3 = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|d| d.join("sqlite3"))
            .find(|p| p.is_file());
        let Some(sqlite3) = sqlite3 else {
            bail!("the sqlite3 shell is not on PATH: install it (Debian/Ubuntu: `apt install sqlite3`), it is the baseline");
        };
        let time = Path::new("/usr/bin/time");
        let time = time.is_file().then(|| time.to_path_buf());
        Ok(Tools {
            stockroom,
            sqlite3,
            time,
        })
    }
}

/// Newest modification time of the files under `dir` (recursively).
fn newest(dir: &Path) -> Option<std::time::SystemTime> {
    let meta = fs::metadata(dir).ok()?;
    if meta.is_file() {
        return meta.modified().ok();
    }
    fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| newest(&e.path()))
        .max()
}

/// A warning when the binary is older than the sources it was built from.
fn stale_warning(bin: &Path) -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let built = fs::metadata(bin).ok()?.modified().ok()?;
    let src = [
        "src",
        "core/src",
        "schema.sql",
        "Cargo.toml",
        "core/Cargo.toml",
    ]
    .iter()
    .filter_map(|p| newest(&root.join(p)))
    .max()?;
    (src > built).then(|| {
        format!(
            "{} is older than the sources in {}: run `cargo build --release` to time the current code",
            bin.display(),
            root.display()
        )
    })
}

/// Median time and peak memory of the runs of one command.
#[derive(Clone, Copy)]
struct Stats {
    median: f64,
    rss_kb: Option<u64>,
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    match s.len() {
        0 => 0.0,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

fn stats(samples: &[Sample]) -> Stats {
    let secs: Vec<f64> = samples.iter().map(|s| s.secs).collect();
    Stats {
        median: median(&secs),
        rss_kb: samples.iter().filter_map(|s| s.rss_kb).max(),
    }
}

/// One operation measured against its baseline.
struct Row {
    op: String,
    ours: Stats,
    base: Stats,
    target: f64,
    /// Lines per second make sense (the operation works on all N lines).
    per_line: bool,
    ours_cmd: String,
    base_cmd: String,
    base_sql: Option<String>,
}

struct SizeResult {
    n: u64,
    orders: u64,
    rows: Vec<Row>,
    /// (phase, seconds) of building and measuring this size.
    phases: Vec<(&'static str, f64)>,
    notes: Vec<String>,
    /// The database after the bulk run, kept for the interactive measurements.
    db: PathBuf,
}

struct Bench {
    tools: Tools,
    runner: Runner,
    root: PathBuf,
    items_csv: PathBuf,
    runs: usize,
}

fn so_number(id: i64) -> String {
    format!("SO-{id:05}")
}

fn po_number(id: i64) -> String {
    format!("PO-{id:05}")
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn secs(s: f64) -> String {
    if s >= 100.0 {
        format!("{s:.1}")
    } else if s >= 1.0 {
        format!("{s:.2}")
    } else if s >= 0.01 {
        format!("{s:.3}")
    } else {
        format!("{s:.4}")
    }
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(
        || "n/a".to_string(),
        |k| format!("{:.1}", k as f64 / 1024.0),
    )
}

/// Removes a database file and its WAL companions.
fn remove_db(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        let p = PathBuf::from(p);
        if p.exists() {
            fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    Ok(())
}

/// A fresh copy of a (closed) database file.
fn copy_db(from: &Path, to: &Path) -> Result<()> {
    remove_db(to)?;
    fs::copy(from, to)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    let mut wal = from.as_os_str().to_os_string();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    if wal.exists() {
        let mut dst = to.as_os_str().to_os_string();
        dst.push("-wal");
        fs::copy(&wal, PathBuf::from(dst))
            .with_context(|| format!("cannot copy {}", wal.display()))?;
    }
    Ok(())
}

/// Compares two CSV files record by record (quoting aside): `None` when they hold the same rows.
fn csv_difference(ours: &Path, theirs: &Path) -> Result<Option<String>> {
    let open = |p: &Path| -> Result<csv::Reader<BufReader<fs::File>>> {
        let f = fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
        Ok(csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(BufReader::new(f)))
    };
    let (mut a, mut b) = (open(ours)?, open(theirs)?);
    let (mut ra, mut rb) = (csv::StringRecord::new(), csv::StringRecord::new());
    let mut row = 0u64;
    loop {
        let more_a = a.read_record(&mut ra)?;
        let more_b = b.read_record(&mut rb)?;
        row += 1;
        match (more_a, more_b) {
            (false, false) => return Ok(None),
            (true, true) if ra == rb => {}
            (true, true) => {
                return Ok(Some(format!(
                    "row {row} differs: stockroom `{}` vs sqlite3 `{}`",
                    ra.iter().collect::<Vec<_>>().join(","),
                    rb.iter().collect::<Vec<_>>().join(",")
                )))
            }
            (true, false) => return Ok(Some(format!("sqlite3 ends at row {row}"))),
            (false, true) => return Ok(Some(format!("stockroom ends at row {row}"))),
        }
    }
}

impl Bench {
    fn sr(&self, db: &Path) -> Job {
        Job::new(&self.tools.stockroom).arg("--db").arg(db)
    }

    fn sq(&self, db: &Path) -> Job {
        Job::new(&self.tools.sqlite3)
            .args(["-batch", "-bail", "-init", "/dev/null"])
            .arg(db)
    }

    fn scalar(&self, db: &Path, sql: &str) -> Result<i64> {
        let out = self.runner.capture(&self.sq(db).arg(sql))?;
        out.parse()
            .with_context(|| format!("`{sql}` on {} gave '{out}'", db.display()))
    }

    fn shown(&self, job: &Job) -> String {
        job.shown(&self.root)
    }

    /// Runs the baseline then ours (after `prepare`), `runs` times; returns both series.
    fn pair(
        &self,
        label: &str,
        ours: &Job,
        base: &Job,
        mut prepare: impl FnMut(usize) -> Result<()>,
        mut after: impl FnMut(usize) -> Result<()>,
    ) -> Result<(Stats, Stats)> {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for r in 0..self.runs {
            prepare(r)?;
            let sb = self.runner.timed(base, true)?;
            let sa = self.runner.timed(ours, true)?;
            eprintln!(
                "  {label} run {}/{}: stockroom {} s ({} MB), sqlite3 {} s",
                r + 1,
                self.runs,
                secs(sa.secs),
                mb(sa.rss_kb),
                secs(sb.secs)
            );
            a.push(sa);
            b.push(sb);
            after(r)?;
        }
        Ok((stats(&a), stats(&b)))
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        rows: &mut Vec<Row>,
        op: &str,
        ours: &Job,
        base: &Job,
        (o, b): (Stats, Stats),
        target: f64,
        per_line: bool,
    ) {
        rows.push(Row {
            op: op.to_string(),
            ours: o,
            base: b,
            target,
            per_line,
            ours_cmd: self.shown(ours),
            base_cmd: self.shown(base),
            base_sql: base.sql(),
        });
    }

    fn size(&self, n: u64) -> Result<SizeResult> {
        let dir = self.root.join(format!("lines-{n}"));
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let tag = format!("[{} lines]", thousands(n));
        let mut phases = Vec::new();
        let mut notes = Vec::new();
        let mut rows = Vec::new();

        // 1. Data and the database without orders.
        let t = Instant::now();
        let orders_csv = dir.join("orders.csv");
        let orders = gen::write_orders(&orders_csv, n)?.orders;
        phases.push(("generate CSV", t.elapsed().as_secs_f64()));
        eprintln!(
            "{tag} generated {} orders in {} s",
            thousands(orders),
            secs(t.elapsed().as_secs_f64())
        );

        let t = Instant::now();
        let base_db = dir.join("base.db");
        self.runner
            .run(&self.sr(&base_db).args(["init", "--org", "Bench"]))?;
        for v in 1..=gen::VENDORS {
            self.runner.run(
                &self
                    .sr(&base_db)
                    .args(["vendor", "add", &gen::vendor_name(v)])
                    .arg("--lead-time-days")
                    .arg(gen::lead_time(v).to_string()),
            )?;
        }
        self.runner.run(
            &self
                .sr(&base_db)
                .args(["item", "import"])
                .arg(&self.items_csv),
        )?;
        let items = self.scalar(
            &base_db,
            "SELECT count(*) FROM items WHERE vendor_id IS NOT NULL",
        )?;
        if items != gen::ITEMS as i64 {
            bail!(
                "item import gave {items} items with a vendor, not {}",
                gen::ITEMS
            );
        }
        phases.push((
            "init, 50 × vendor add, item import",
            t.elapsed().as_secs_f64(),
        ));
        eprintln!(
            "{tag} base database in {} s",
            secs(t.elapsed().as_secs_f64())
        );

        // 2. so import --confirm against sqlite3 .import, each on a fresh copy of the base.
        let t = Instant::now();
        let imported = dir.join("imported.db");
        let run_db = dir.join("import-run.db");
        let raw_db = dir.join("raw.db");
        let ours = self
            .sr(&run_db)
            .args(["so", "import"])
            .arg(&orders_csv)
            .args([
                "--confirm",
                "--date",
                CONFIRM_DATE,
                "--format",
                "csv",
                "-o",
                "/dev/null",
            ]);
        let base = self
            .sq(&raw_db)
            .arg(format!(".import --csv {} rawtable", orders_csv.display()));
        let result = self.pair(
            &format!("{tag} so import"),
            &ours,
            &base,
            |_| {
                copy_db(&base_db, &run_db)?;
                copy_db(&base_db, &raw_db)
            },
            |r| {
                if r == 0 {
                    let lines =
                        self.scalar(&run_db, "SELECT count(*) FROM so_lines WHERE open = 1")?;
                    if lines != n as i64 {
                        bail!("so import gave {lines} open order lines, not {n}");
                    }
                    let raw = self.scalar(&raw_db, "SELECT count(*) FROM rawtable")?;
                    if raw != n as i64 {
                        bail!("sqlite3 .import gave {raw} rows, not {n}");
                    }
                    remove_db(&imported)?;
                    fs::rename(&run_db, &imported).context("cannot keep the imported database")?;
                }
                Ok(())
            },
        )?;
        remove_db(&run_db)?;
        remove_db(&raw_db)?;
        self.row(
            &mut rows,
            "`so import --confirm` vs `.import`",
            &ours,
            &base,
            result,
            3.0,
            true,
        );
        phases.push(("so import (runs)", t.elapsed().as_secs_f64()));

        // 3. backorder bulk --all against the aggregation query, on a fresh copy each run.
        let t = Instant::now();
        let db = dir.join("bulk.db");
        let ours = self.sr(&db).args([
            "backorder",
            "bulk",
            "--all",
            "--date",
            BULK_DATE,
            "--format",
            "csv",
            "-o",
            "/dev/null",
        ]);
        let base = self.sq(&db).arg(sql::BULK_AGGREGATION);
        let result = self.pair(
            &format!("{tag} backorder bulk"),
            &ours,
            &base,
            |_| copy_db(&imported, &db),
            |_| Ok(()),
        )?;
        self.row(
            &mut rows,
            "`backorder bulk --all` vs aggregation",
            &ours,
            &base,
            result,
            2.0,
            true,
        );
        let links = self.scalar(&db, "SELECT count(*) FROM backorder_links")?;
        if links != n as i64 {
            bail!("backorder bulk made {links} links, not one per order line ({n})");
        }
        let pos = self.scalar(&db, "SELECT count(*) FROM purchase_orders")?;
        notes.push(format!(
            "`backorder bulk --all` made {} POs and {} links (one per order line).",
            thousands(pos as u64),
            thousands(links as u64)
        ));
        let result = self.pair(
            &format!("{tag} backorder bulk rerun"),
            &ours,
            &base,
            |_| Ok(()),
            |_| Ok(()),
        )?;
        self.row(
            &mut rows,
            "`backorder bulk --all` rerun (nothing to do) vs aggregation",
            &ours,
            &base,
            result,
            2.0,
            false,
        );
        let again = self.scalar(&db, "SELECT count(*) FROM backorder_links")?;
        if again != links {
            bail!("the rerun of backorder bulk changed the links from {links} to {again}");
        }
        phases.push(("backorder bulk (runs, reruns)", t.elapsed().as_secs_f64()));

        // 4. Exports and the report, on the database after the bulk run.
        let t = Instant::now();
        let ours_csv = dir.join("out.csv");
        let base_csv = dir.join("out2.csv");
        let ours = self
            .sr(&db)
            .args(["backorder", "list", "--format", "csv", "-o"])
            .arg(&ours_csv);
        let base = self
            .sq(&db)
            .args(["-header", "-csv"])
            .arg(sql::backorder_list())
            .stdout(&base_csv);
        let result = self.pair(
            &format!("{tag} backorder list"),
            &ours,
            &base,
            |_| Ok(()),
            |_| Ok(()),
        )?;
        self.row(
            &mut rows,
            "`backorder list --format csv` vs `sqlite3 -csv`",
            &ours,
            &base,
            result,
            1.5,
            true,
        );
        match csv_difference(&ours_csv, &base_csv)? {
            None => notes.push(format!(
                "`backorder list` CSV: the same {} rows as the sqlite3 query.",
                thousands(n)
            )),
            Some(d) => notes.push(format!(
                "`backorder list` CSV differs from the sqlite3 query: {d}"
            )),
        }

        let ours = self
            .sr(&db)
            .args(["so", "list", "--format", "csv", "-o"])
            .arg(&ours_csv);
        let base = self
            .sq(&db)
            .args(["-header", "-csv"])
            .arg(sql::so_list())
            .stdout(&base_csv);
        let result = self.pair(
            &format!("{tag} so list"),
            &ours,
            &base,
            |_| Ok(()),
            |_| Ok(()),
        )?;
        self.row(
            &mut rows,
            "`so list --format csv` vs `sqlite3 -csv`",
            &ours,
            &base,
            result,
            1.5,
            false,
        );
        match csv_difference(&ours_csv, &base_csv)? {
            None => notes.push(format!(
                "`so list` CSV: the same {} rows as the sqlite3 query.",
                thousands(orders)
            )),
            Some(d) => notes.push(format!("`so list` CSV differs from the sqlite3 query: {d}")),
        }

        let ours_json = dir.join("report.json");
        let ours = self
            .sr(&db)
            .args([
                "report",
                "backorders",
                "--as-of",
                AS_OF,
                "--format",
                "json",
                "-o",
            ])
            .arg(&ours_json);
        let base = self
            .sq(&db)
            .arg("-json")
            .arg(sql::report_backorders(AS_OF))
            .stdout(&dir.join("report2.json"));
        let result = self.pair(
            &format!("{tag} report backorders"),
            &ours,
            &base,
            |_| Ok(()),
            |_| Ok(()),
        )?;
        self.row(
            &mut rows,
            "`report backorders --format json` vs aggregation",
            &ours,
            &base,
            result,
            2.0,
            true,
        );
        let report: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(&ours_json).context("cannot read the report")?,
        )
        .context("report backorders did not write JSON")?;
        let lines = report
            .get(0)
            .and_then(|r| r.get("lines"))
            .and_then(serde_json::Value::as_u64);
        if lines == Some(n) {
            notes.push(format!(
                "`report backorders` covers all {} lines.",
                thousands(n)
            ));
        } else {
            notes.push(format!(
                "`report backorders` reports {lines:?} lines, not {n}."
            ));
        }
        phases.push(("exports and report (runs)", t.elapsed().as_secs_f64()));

        for f in [&orders_csv, &ours_csv, &base_csv, &ours_json] {
            fs::remove_file(f).with_context(|| format!("cannot remove {}", f.display()))?;
        }
        fs::remove_file(dir.join("report2.json")).context("cannot remove report2.json")?;
        remove_db(&base_db)?;
        remove_db(&imported)?;
        Ok(SizeResult {
            n,
            orders,
            rows,
            phases,
            notes,
            db,
        })
    }

    /// Times the interactive commands on every database, interleaved run by run so they share the
    /// same machine load.
    fn interactive(&self, sizes: &[SizeResult], runs: usize) -> Result<Interactive> {
        struct Prepared {
            db: PathBuf,
            drafts: Vec<i64>,
            small_po: i64,
        }
        let mut prepared = Vec::new();
        for s in sizes {
            let db = s.db.clone();
            // customers exist once an imported order names them: take the first one
            let customer = self.runner.capture(
                &self
                    .sq(&db)
                    .arg("SELECT name FROM customers ORDER BY id LIMIT 1"),
            )?;
            self.runner.run(&self.sr(&db).args([
                "so",
                "create",
                "--customer",
                &customer,
                "--item",
                &format!("{}:1", gen::sku(2)),
                "--date",
                BULK_DATE,
                "--confirm",
                "--backorder",
                "--no-input",
            ]))?;
            let small_po = self.scalar(&db, "SELECT max(id) FROM purchase_orders")?;
            let mut drafts = Vec::new();
            for _ in 0..=runs {
                self.runner.run(&self.sr(&db).args([
                    "so",
                    "create",
                    "--customer",
                    &customer,
                    "--item",
                    &format!("{}:1", gen::sku(1)),
                    "--date",
                    BULK_DATE,
                ]))?;
                drafts.push(self.scalar(&db, "SELECT max(id) FROM sales_orders")?);
            }
            prepared.push(Prepared {
                db,
                drafts,
                small_po,
            });
        }

        type MakeJob<'a> = Box<dyn Fn(&Prepared, usize) -> Job + 'a>;
        let ops: Vec<(&str, MakeJob)> = vec![
            (
                "`so confirm` of a new 1-line draft (`--no-backorder`)",
                Box::new(|p: &Prepared, r: usize| {
                    let id = p.drafts.get(r).copied().unwrap_or_default();
                    self.sr(&p.db)
                        .arg("so")
                        .arg("confirm")
                        .arg(so_number(id))
                        .args(["--no-backorder", "--date", BULK_DATE, "--no-input"])
                }),
            ),
            (
                "`so show SO-00001`",
                Box::new(|p: &Prepared, _| self.sr(&p.db).args(["so", "show", "SO-00001"])),
            ),
            (
                "`po show PO-00001` (a bulk PO: its links grow as N/50)",
                Box::new(|p: &Prepared, _| self.sr(&p.db).args(["po", "show", "PO-00001"])),
            ),
            (
                "`po show` of a 1-line backorder PO",
                Box::new(|p: &Prepared, _| {
                    self.sr(&p.db)
                        .args(["po", "show"])
                        .arg(po_number(p.small_po))
                }),
            ),
            (
                "`stock list --sku SKU-00001`",
                Box::new(|p: &Prepared, _| {
                    self.sr(&p.db).args(["stock", "list", "--sku", "SKU-00001"])
                }),
            ),
            (
                "`stockroom --version` (start-up)",
                Box::new(|_: &Prepared, _| Job::new(&self.tools.stockroom).arg("--version")),
            ),
        ];

        // A first run of each (also a warm-up) measures peak memory through /usr/bin/time; the
        // timed runs then run the binary directly, without the wrapper's own start-up.
        let mut rss = vec![vec![None; prepared.len()]; ops.len()];
        for (oi, (_, make)) in ops.iter().enumerate() {
            for (si, p) in prepared.iter().enumerate() {
                rss[oi][si] = self.runner.timed(&make(p, runs), true)?.rss_kb;
            }
        }
        let mut times = vec![vec![Vec::new(); prepared.len()]; ops.len()];
        for r in 0..runs {
            for (si, p) in prepared.iter().enumerate() {
                for (oi, (_, make)) in ops.iter().enumerate() {
                    times[oi][si].push(self.runner.timed(&make(p, r), false)?.secs);
                }
            }
            eprintln!("[interactive] run {}/{runs} done", r + 1);
        }
        let rows = ops
            .iter()
            .enumerate()
            .map(|(oi, (name, make))| InteractiveRow {
                op: name.to_string(),
                medians: times[oi].iter().map(|t| median(t)).collect(),
                rss_kb: rss[oi].clone(),
                cmd: prepared
                    .first()
                    .map(|p| self.shown(&make(p, 0)))
                    .unwrap_or_default(),
            })
            .collect();
        Ok(Interactive { rows })
    }
}

struct InteractiveRow {
    op: String,
    medians: Vec<f64>,
    rss_kb: Vec<Option<u64>>,
    cmd: String,
}

struct Interactive {
    rows: Vec<InteractiveRow>,
}

/// What the report says about the machine.
fn machine(b: &Bench) -> Vec<String> {
    let version = |job: Job| -> String {
        b.runner
            .capture(&job)
            .unwrap_or_else(|e| format!("unknown ({})", e.to_string().lines().next().unwrap_or("")))
    };
    let nproc = version(Job::new(Path::new("nproc")));
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or_else(|| "unknown CPU".to_string(), |(_, m)| m.trim().to_string());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<u64>().ok())
        .map_or_else(
            || "unknown".to_string(),
            |k| format!("{:.1} GiB", k as f64 / 1024.0 / 1024.0),
        );
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or_else(|_| "unknown".to_string(), |s| s.trim().to_string());
    vec![
        format!("CPU: {model}, `nproc` = {nproc}; memory {mem}; Linux {kernel}"),
        format!("{}", version(Job::new(Path::new("rustc")).arg("--version"))),
        format!(
            "sqlite3 {}",
            version(Job::new(&b.tools.sqlite3).arg("--version"))
                .split_whitespace()
                .next()
                .unwrap_or("unknown")
        ),
        version(Job::new(&b.tools.stockroom).arg("--version")),
    ]
}

/// One clause a line, indented to sit in a markdown list item.
fn pretty_sql(q: &str) -> String {
    let mut s = q.to_string();
    for kw in [
        " FROM ",
        " LEFT JOIN ",
        " JOIN ",
        " WHERE ",
        " GROUP BY ",
        " ORDER BY ",
    ] {
        s = s.replace(kw, &format!("\n    {}", &kw[1..]));
    }
    s
}

fn render(
    args: &Args,
    b: &Bench,
    sizes: &[SizeResult],
    inter: &Interactive,
    machine: &[String],
    warnings: &[String],
    total: f64,
) -> Result<String> {
    let mut md = String::new();
    writeln!(md, "# Stockroom benchmark\n")?;
    writeln!(md, "Command: `{}`\n", args.command)?;
    writeln!(md, "Machine:")?;
    for m in machine {
        writeln!(md, "- {m}")?;
    }
    let today = b
        .runner
        .capture(&b.sq(Path::new(":memory:")).arg("SELECT date('now')"))
        .unwrap_or_default();
    writeln!(md, "- run on {today}, {} s in all\n", secs(total))?;
    writeln!(
        md,
        "Data: {} vendors, {} items (each with a preferred vendor), {} customers; N marketplace \
         order lines in orders of 1–9 lines, quantities 1–5, no stock anywhere, so every line is \
         short and `backorder bulk --all` backorders all of them. Each figure is the median \
         wall-clock time of {} runs of the whole process (start-up included), side by side with \
         the `sqlite3` shell doing the same work on the same file in the same run; ratio = \
         stockroom / sqlite3. Peak RSS is the largest over the runs (`/usr/bin/time %M`).\n",
        gen::VENDORS,
        thousands(gen::ITEMS),
        thousands(gen::CUSTOMERS),
        b.runs
    )?;
    for w in warnings {
        writeln!(md, "**Warning:** {w}\n")?;
    }

    for s in sizes {
        writeln!(
            md,
            "## {} order lines ({} orders)\n",
            thousands(s.n),
            thousands(s.orders)
        )?;
        writeln!(
            md,
            "| operation | stockroom s | sqlite3 s | ratio | target | lines/s | stockroom peak RSS MB | sqlite3 peak RSS MB |"
        )?;
        writeln!(md, "|---|--:|--:|--:|--:|--:|--:|--:|")?;
        for r in &s.rows {
            let ratio = r.ours.median / r.base.median.max(1e-9);
            let rate = if r.per_line {
                thousands((s.n as f64 / r.ours.median.max(1e-9)).round() as u64)
            } else {
                String::new()
            };
            writeln!(
                md,
                "| {} | {} | {} | {ratio:.2}× {} | ≤ {}× | {rate} | {} | {} |",
                r.op,
                secs(r.ours.median),
                secs(r.base.median),
                if ratio <= r.target { "✓" } else { "✗" },
                r.target,
                mb(r.ours.rss_kb),
                mb(r.base.rss_kb),
            )?;
        }
        let phases: Vec<String> = s
            .phases
            .iter()
            .map(|(p, t)| format!("{p} {} s", secs(*t)))
            .collect();
        let total: f64 = s.phases.iter().map(|(_, t)| t).sum();
        writeln!(
            md,
            "\nTime spent on this size: {} s in all ({}).\n",
            secs(total),
            phases.join(", ")
        )?;
        for n in &s.notes {
            writeln!(md, "- {n}")?;
        }
        writeln!(md)?;
    }

    if sizes.len() > 1 {
        writeln!(md, "## Scaling\n")?;
        write!(md, "| operation |")?;
        for s in sizes {
            write!(md, " {} lines: s · ratio · MB |", thousands(s.n))?;
        }
        writeln!(md)?;
        writeln!(md, "|---|{}", "--:|".repeat(sizes.len()))?;
        let ops = sizes.first().map(|s| s.rows.len()).unwrap_or_default();
        for i in 0..ops {
            let name = sizes
                .first()
                .and_then(|s| s.rows.get(i))
                .map(|r| r.op.clone())
                .unwrap_or_default();
            write!(md, "| {name} |")?;
            for s in sizes {
                match s.rows.get(i) {
                    Some(r) => write!(
                        md,
                        " {} · {:.2}× · {} |",
                        secs(r.ours.median),
                        r.ours.median / r.base.median.max(1e-9),
                        mb(r.ours.rss_kb)
                    )?,
                    None => write!(md, " |")?,
                }
            }
            writeln!(md)?;
        }
        writeln!(md)?;
    }

    writeln!(md, "## Interactive commands against database size\n")?;
    let (first, last) = match (sizes.first(), sizes.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => bail!("no sizes measured"),
    };
    writeln!(
        md,
        "Median of {} runs of each command on every database (after the bulk run), interleaved; \
         ratio = {} lines / {} lines, target ≤ 1.25 (SPEC §7).\n",
        args.interactive_runs,
        thousands(last.n),
        thousands(first.n)
    )?;
    write!(md, "| operation |")?;
    for s in sizes {
        write!(md, " {} lines s |", thousands(s.n))?;
    }
    writeln!(
        md,
        " ratio | peak RSS MB ({} → {}) |",
        thousands(first.n),
        thousands(last.n)
    )?;
    writeln!(md, "|---|{}--:|--:|", "--:|".repeat(sizes.len()))?;
    for r in &inter.rows {
        write!(md, "| {} |", r.op)?;
        for m in &r.medians {
            write!(md, " {} |", secs(*m))?;
        }
        let small = r.medians.first().copied().unwrap_or_default();
        let large = r.medians.last().copied().unwrap_or_default();
        let ratio = large / small.max(1e-9);
        writeln!(
            md,
            " {ratio:.2}× {} | {} → {} |",
            if ratio <= 1.25 { "✓" } else { "✗" },
            mb(r.rss_kb.first().copied().flatten()),
            mb(r.rss_kb.last().copied().flatten())
        )?;
    }
    writeln!(md)?;

    writeln!(md, "## Commands\n")?;
    writeln!(
        md,
        "`DB` is the database of the size being measured; the import runs on a fresh copy of the \
         database before the import and the bulk run on a fresh copy of the imported one, each run.\n"
    )?;
    if let Some(s) = sizes.first() {
        let mut last_sql = None;
        for r in &s.rows {
            writeln!(
                md,
                "- {}:\n  - `{}`\n  - `{}`",
                r.op, r.ours_cmd, r.base_cmd
            )?;
            if r.base_sql == last_sql {
                writeln!(md, "    (the same query as above)")?;
                continue;
            }
            last_sql.clone_from(&r.base_sql);
            if let Some(q) = &r.base_sql {
                writeln!(md, "\n    ```sql\n    {}\n    ```", pretty_sql(q))?;
            }
        }
    }
    for r in &inter.rows {
        writeln!(md, "- {}: `{}`", r.op, r.cmd)?;
    }
    writeln!(md)?;
    Ok(md)
}

fn main() -> Result<()> {
    let Some(args) = Args::parse()? else {
        return Ok(());
    };
    let started = Instant::now();
    let tools = Tools::locate()?;
    let mut warnings = Vec::new();
    if tools.time.is_none() {
        let w = "/usr/bin/time not found (Debian/Ubuntu: `apt install time`): peak memory is not measured".to_string();
        eprintln!("warning: {w}");
        warnings.push(w);
    }
    if tools.stockroom.parent().and_then(Path::file_name) == Some(std::ffi::OsStr::new("debug")) {
        let w = format!(
            "{} is a debug build: run `cargo run --release --example bench` for meaningful figures",
            tools.stockroom.display()
        );
        eprintln!("warning: {w}");
        warnings.push(w);
    }
    if let Some(w) = stale_warning(&tools.stockroom) {
        eprintln!("warning: {w}");
        warnings.push(w);
    }

    let mut tmp = tempfile::Builder::new();
    tmp.prefix("stockroom-bench-");
    let tmp = match &args.tmp {
        Some(dir) => tmp.tempdir_in(dir),
        None => tmp.tempdir(),
    }
    .context("cannot make a temporary directory")?;
    let root = tmp.path().to_path_buf();
    let scratch = root.join("scratch");
    fs::create_dir_all(&scratch).with_context(|| format!("cannot create {}", scratch.display()))?;
    let items_csv = root.join("items.csv");
    gen::write_items(&items_csv)?;
    eprintln!(
        "benchmarking {} in {}",
        tools.stockroom.display(),
        root.display()
    );

    let bench = Bench {
        runner: Runner {
            time: tools.time.clone(),
            scratch,
        },
        tools,
        root,
        items_csv,
        runs: args.runs,
    };
    let result = (|| -> Result<String> {
        let mut sizes = Vec::new();
        for &n in &args.lines {
            sizes.push(bench.size(n)?);
        }
        let inter = bench.interactive(&sizes, args.interactive_runs)?;
        let machine = machine(&bench);
        render(
            &args,
            &bench,
            &sizes,
            &inter,
            &machine,
            &warnings,
            started.elapsed().as_secs_f64(),
        )
    })();
    if args.keep {
        let kept = tmp.keep();
        eprintln!("kept the databases in {}", kept.display());
    }
    let md = result?;
    print!("{md}");
    if let Some(out) = &args.out {
        fs::write(out, &md).with_context(|| format!("cannot write {}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}
