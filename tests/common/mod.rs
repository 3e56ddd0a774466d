//! A hermetic harness for driving the built `stockroom` binary: every test gets its own temporary
//! folder and database path, a scrubbed environment (no STOCKROOM_DB, XDG_*, NO_COLOR from the
//! developer's shell; HOME is the temp folder) and a null stdin, so a test can never touch a real
//! database or wait for a terminal.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_stockroom");

/// The documented exit codes (SPEC §6), named so assertions read as the spec does.
pub const OK: i32 = 0;
pub const FAILURE: i32 = 1;
pub const USAGE: i32 = 2;
pub const REFUSED: i32 = 3;
pub const NOT_FOUND: i32 = 4;
pub const BUSY: i32 = 75;

/// What one run of the binary produced.
pub struct Out {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// stdout as bytes (BOM checks, CRLF checks).
    pub raw: Vec<u8>,
}

impl fmt::Debug for Out {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stockroom {}\n--- exit {} ---\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

impl Out {
    /// Asserts the exit code, showing the whole run when it differs.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit code\n{self:?}");
        self
    }

    /// Asserts stderr contains every one of `needles` (case-insensitive).
    #[track_caller]
    pub fn stderr_has(&self, needles: &[&str]) -> &Self {
        let hay = self.stderr.to_lowercase();
        for n in needles {
            assert!(
                hay.contains(&n.to_lowercase()),
                "stderr lacks {n:?}\n{self:?}"
            );
        }
        self
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self:?}"))
    }
}

/// One temporary folder with one database path in it (not created until `init`).
pub struct Env {
    dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Env {
    /// A temp folder and a database path that does not exist yet.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("stockroom-test-")
            .tempdir()
            .expect("create a temp dir");
        let db = dir.path().join("stock.db");
        Self { dir, db }
    }

    /// A temp folder with an initialized database.
    pub fn init() -> Self {
        let env = Self::new();
        env.ok(&["init"]);
        env
    }

    /// The temp folder (also HOME of every run).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the temp folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary with a scrubbed environment and null stdin, without `--db`.
    pub fn command(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("USER", "tester")
            .env("LANG", "C.UTF-8")
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// The binary with `--db` set to this env's database, then `args`.
    pub fn command_db(&self, args: &[&str]) -> Command {
        let mut c = self.command();
        c.arg("--db").arg(&self.db).args(args);
        c
    }

    /// Runs a prepared command to completion.
    pub fn output(&self, mut c: Command, args: &[&str]) -> Out {
        let o = c.output().expect("run stockroom");
        Out {
            args: args.iter().map(|s| (*s).to_string()).collect(),
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            raw: o.stdout,
        }
    }

    /// Runs `stockroom --db DB args...`.
    pub fn run(&self, args: &[&str]) -> Out {
        self.output(self.command_db(args), args)
    }

    /// Runs `stockroom args...` without `--db` (the default path rules apply).
    pub fn run_no_db(&self, args: &[&str]) -> Out {
        let mut c = self.command();
        c.args(args);
        self.output(c, args)
    }

    /// Runs `stockroom --db DB args...` with `input` on stdin.
    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Out {
        let mut c = self.command_db(args);
        c.stdin(Stdio::piped());
        let mut child = c.spawn().expect("spawn stockroom");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let data = input.to_vec();
        // Write from a thread so a child that stops reading cannot deadlock the test.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
        let o = child.wait_with_output().expect("wait for stockroom");
        let _ = writer.join();
        Out {
            args: args.iter().map(|s| (*s).to_string()).collect(),
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            raw: o.stdout,
        }
    }

    /// Runs and asserts exit 0; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        out.expect(OK);
        out.stdout
    }

    /// Runs with `--format json` appended, asserts exit 0 and parses stdout.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        let out = self.run(&a);
        out.expect(OK);
        out.json()
    }

    /// Runs and returns only the exit code.
    pub fn code(&self, args: &[&str]) -> i32 {
        self.run(args).code
    }

    /// Runs, asserts `code`, and returns the run for further checks.
    #[track_caller]
    pub fn fails(&self, args: &[&str], code: i32) -> Out {
        let out = self.run(args);
        out.expect(code);
        out
    }

    /// Writes a file into the temp folder and returns its path as a string.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write a test file");
        p.to_string_lossy().into_owned()
    }

    /// Every row of every table, as text: two equal dumps mean nothing in the file changed.
    pub fn dump(&self) -> String {
        let c = rusqlite::Connection::open_with_flags(
            &self.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open the database read-only");
        let mut tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .expect("list tables");
        tables.retain(|t| !t.starts_with("sqlite_"));
        let mut out = String::new();
        for t in tables {
            out.push_str(&format!("== {t}\n"));
            let mut st = c
                .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1, 2"))
                .expect("select");
            let n = st.column_count();
            let mut rows = st.query([]).expect("query");
            while let Some(r) = rows.next().expect("row") {
                let cells: Vec<String> =
                    (0..n).map(|i| cell(r.get_ref(i).expect("cell"))).collect();
                out.push_str(&cells.join("|"));
                out.push('\n');
            }
        }
        out
    }

    /// `stock list --format json` as an array.
    pub fn stock(&self) -> serde_json::Value {
        self.json(&["stock", "list"])
    }

    /// `on_hand` of one SKU in one warehouse, as the JSON string.
    #[track_caller]
    pub fn on_hand(&self, sku: &str, warehouse: &str) -> String {
        let rows = self.json(&["stock", "list", "--sku", sku, "--warehouse", warehouse]);
        let rows = rows.as_array().expect("stock list is an array");
        assert_eq!(
            rows.len(),
            1,
            "one stock row for {sku} in {warehouse}: {rows:?}"
        );
        rows[0]["on_hand"]
            .as_str()
            .expect("on_hand is a string")
            .to_string()
    }

    /// Adds a vendor and an item with a preferred vendor; a common starting point.
    pub fn with_item(sku: &str) -> Self {
        let env = Self::init();
        env.ok(&[
            "vendor",
            "add",
            "Acme Supplies",
            "--email",
            "orders@acme.example",
            "--lead-time-days",
            "5",
        ]);
        env.ok(&[
            "item",
            "add",
            sku,
            "--name",
            "Widget",
            "--rate",
            "12.5",
            "--purchase-rate",
            "8.25",
            "--vendor",
            "Acme Supplies",
        ]);
        env
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

/// One cell of a dump, readable in an assertion message.
fn cell(v: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => format!("{f:?}"),
        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => format!(
            "x'{}'",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        ),
    }
}

/// A CSV text split into records with the `csv` crate (RFC 4180), asserting CRLF line ends.
#[track_caller]
pub fn csv_records(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    assert!(
        body.is_empty() || body.ends_with("\r\n"),
        "CSV must end with CRLF: {body:?}"
    );
    // Outside quoted fields every line feed must follow a carriage return.
    let mut quoted = false;
    let mut prev = 0u8;
    for (i, b) in body.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => assert_eq!(prev, b'\r', "bare LF at byte {i}: {body:?}"),
            _ => {}
        }
        prev = b;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    rdr.records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

/// An items CSV with `n` generated rows (SKU `G-000001`...), each with opening stock 2.
pub fn generated_items_csv(n: usize) -> String {
    let mut s = String::from(
        "sku,name,unit,rate,purchase_rate,vendor,reorder_level,opening_stock,warehouse\n",
    );
    for i in 1..=n {
        s.push_str(&format!(
            "G-{i:06},Generated item {i},pcs,{}.50,{}.25,,,2,\n",
            i % 100,
            i % 50
        ));
    }
    s
}

/// One line's tracked quantities from `so show` JSON, checked against `want` as
/// `[quantity, reserved, packed, backordered, shipped, dropshipped, invoiced, shortfall]`.
#[track_caller]
pub fn assert_line(doc: &serde_json::Value, line: usize, want: [i64; 8]) {
    let l = &doc["lines"][line];
    let names = [
        "quantity",
        "reserved",
        "packed",
        "backordered",
        "shipped",
        "dropshipped",
        "invoiced",
        "shortfall",
    ];
    let got: Vec<String> = names
        .iter()
        .map(|n| l[*n].as_str().unwrap_or("<missing>").to_string())
        .collect();
    let want: Vec<String> = want.iter().map(ToString::to_string).collect();
    assert_eq!(
        got, want,
        "line {line} of {} ({names:?}): {l}",
        doc["number"]
    );
}

/// The §3.2 figures of `sku` in MAIN as `[on_hand, reserved, free, committed, available_for_sale,
/// on_order, backordered]`, checked against `want`.
#[track_caller]
pub fn assert_stock(env: &Env, sku: &str, want: [i64; 7], step: &str) {
    let rows = env.json(&["stock", "list", "--sku", sku, "--warehouse", "MAIN"]);
    let row = &rows.as_array().expect("an array")[0];
    let names = [
        "on_hand",
        "reserved",
        "free",
        "committed",
        "available_for_sale",
        "on_order",
        "backordered",
    ];
    let got: Vec<String> = names
        .iter()
        .map(|n| row[*n].as_str().unwrap_or("<missing>").to_string())
        .collect();
    let want: Vec<String> = want.iter().map(ToString::to_string).collect();
    assert_eq!(
        got, want,
        "stock figures of {sku} after {step} ({names:?}): {row}"
    );
}
