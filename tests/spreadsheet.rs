//! CSV that spreadsheets trust (SPEC §5): lists and `report backorders` written as CSV are opened
//! by a real spreadsheet, LibreOffice Calc running headless, and read back cell by cell from the
//! flat ODS it saves: numbers are numbers, dates are dates, non-ASCII text survives, and text that
//! looks like a formula stays text. Calc imports with formula evaluation ON (the worst case): an
//! unguarded `=HYPERLINK("x")` would become a live formula.
//!
//! Needs `soffice` (Debian: `apt-get install libreoffice-calc-nogui`; `.ci/run` installs it). A
//! machine without it FAILS this test rather than skipping it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Calc's CSV import options: comma, double quote, UTF-8 (76), from line 1, default column
/// types, English (1033) so `.` is the decimal point, quoted fields not forced to text, no
/// "special number" detection (only plain decimals and ISO dates become numbers), and formulas
/// evaluated.
const CSV_IMPORT: &str = "CSV:44,34,76,1,,1033,false,false,false,false,false,-1,true";

/// How long one soffice run may take before the test gives up on it.
const SOFFICE_TIMEOUT: Duration = Duration::from_secs(240);

/// One cell as Calc stored it.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    /// `float`, `date`, `string`, ... or empty for an empty cell.
    kind: String,
    /// `office:value` of a number, `office:date-value` of a date.
    value: Option<String>,
    /// The text shown.
    text: String,
    /// A formula, when Calc made one.
    formula: Option<String>,
}

impl Cell {
    fn is_empty(&self) -> bool {
        self.kind.is_empty() && self.text.is_empty()
    }
}

fn soffice_or_fail() -> &'static str {
    let found = Command::new("soffice")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        found,
        "LibreOffice `soffice` is not installed, so CSV cannot be checked in a real spreadsheet.\n\
         Install it: `apt-get update && apt-get install -y --no-install-recommends libreoffice-calc-nogui`\n\
         (CI's .ci/run installs it when it is missing)."
    );
    "soffice"
}

/// Converts CSV files to flat ODS with Calc; returns the `.fods` paths in the same order.
fn to_fods(dir: &Path, csvs: &[PathBuf]) -> Vec<PathBuf> {
    let soffice = soffice_or_fail();
    let out_dir = dir.join("fods");
    let profile = dir.join("lo-profile");
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut c = Command::new(soffice);
    c.env("HOME", dir)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.to_string_lossy()
        ))
        .args(["--headless", "--norestore", "--nolockcheck"])
        .arg(format!("--infilter={CSV_IMPORT}"))
        .args(["--convert-to", "fods", "--outdir"])
        .arg(&out_dir)
        .args(csvs)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("start soffice");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for soffice") {
            let o = child.wait_with_output().expect("soffice output");
            assert!(
                status.success(),
                "soffice failed ({status}):\n{}\n{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            break;
        }
        if started.elapsed() > SOFFICE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice did not finish within {SOFFICE_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    csvs.iter()
        .map(|p| {
            let f = out_dir.join(p.file_stem().unwrap()).with_extension("fods");
            assert!(f.is_file(), "soffice wrote no {}", f.display());
            f
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

/// The text of a cell's `<text:p>` paragraphs (joined by newlines), tags removed.
fn cell_text(inner: &str) -> String {
    let mut paras = Vec::new();
    let mut rest = inner;
    while let Some(i) = rest.find("<text:p") {
        rest = &rest[i..];
        let open_end = rest.find('>').unwrap();
        if rest[..open_end].ends_with('/') {
            paras.push(String::new());
            rest = &rest[open_end + 1..];
            continue;
        }
        let close = rest.find("</text:p>").unwrap();
        let body = &rest[open_end + 1..close];
        // drop inline markup (spans, <text:s/>) and keep the text
        let mut text = String::new();
        let mut in_tag = false;
        for ch in body.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        paras.push(unescape(&text));
        rest = &rest[close + "</text:p>".len()..];
    }
    paras.join("\n")
}

/// The cells of the first sheet, row by row, with empty trailing rows and cells dropped.
fn read_fods(path: &Path) -> Vec<Vec<Cell>> {
    let xml = std::fs::read_to_string(path).unwrap();
    let mut rows = Vec::new();
    let table_start = xml.find("<table:table ").expect("a sheet");
    let table_end = xml[table_start..].find("</table:table>").unwrap() + table_start;
    let mut rest = &xml[table_start..table_end];
    while let Some(i) = rest.find("<table:table-row") {
        rest = &rest[i..];
        let end = rest.find("</table:table-row>").unwrap();
        let mut row_xml = &rest[..end];
        rest = &rest[end..];
        let mut row = Vec::new();
        while let Some(j) = row_xml.find("<table:table-cell") {
            row_xml = &row_xml[j..];
            let tag_end = row_xml.find('>').unwrap();
            let tag = &row_xml[..tag_end];
            let (inner, next) = if tag.ends_with('/') {
                ("", tag_end + 1)
            } else {
                let close = row_xml.find("</table:table-cell>").unwrap();
                (&row_xml[tag_end + 1..close], close)
            };
            let repeat: usize =
                attr(tag, "table:number-columns-repeated").map_or(1, |n| n.parse().unwrap());
            let cell = Cell {
                kind: attr(tag, "office:value-type").unwrap_or_default(),
                value: attr(tag, "office:value").or_else(|| attr(tag, "office:date-value")),
                text: cell_text(inner),
                formula: attr(tag, "table:formula"),
            };
            for _ in 0..repeat.min(64) {
                row.push(cell.clone());
            }
            row_xml = &row_xml[next..];
        }
        while row.last().is_some_and(Cell::is_empty) {
            row.pop();
        }
        if !row.is_empty() {
            rows.push(row);
        }
    }
    rows
}

/// A sheet with its header row, for looking cells up by column name.
struct Sheet {
    name: String,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    fn new(name: &str, cells: Vec<Vec<Cell>>) -> Self {
        let mut it = cells.into_iter();
        let header_cells = it.next().unwrap_or_default();
        for h in &header_cells {
            assert_eq!(h.kind, "string", "{name}: header cells are text: {h:?}");
        }
        Self {
            name: name.into(),
            header: header_cells.into_iter().map(|c| c.text).collect(),
            rows: it.collect(),
        }
    }

    #[track_caller]
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{}: no column {name} in {:?}", self.name, self.header))
    }

    /// The row whose `key` column shows `text`.
    #[track_caller]
    fn row(&self, key: &str, text: &str) -> &Vec<Cell> {
        let k = self.col(key);
        self.rows
            .iter()
            .find(|r| r.get(k).is_some_and(|c| c.text == text))
            .unwrap_or_else(|| panic!("{}: no row with {key} = {text:?}", self.name))
    }

    #[track_caller]
    fn cell(&self, row: &[Cell], col: &str) -> Cell {
        let i = self.col(col);
        row.get(i).cloned().unwrap_or(Cell {
            kind: String::new(),
            value: None,
            text: String::new(),
            formula: None,
        })
    }
}

#[track_caller]
fn assert_number(sheet: &Sheet, row: &[Cell], col: &str, value: &str) {
    let c = sheet.cell(row, col);
    assert_eq!(
        (c.kind.as_str(), c.value.as_deref()),
        ("float", Some(value)),
        "{}: {col} should be the number {value}: {c:?}",
        sheet.name
    );
}

#[track_caller]
fn assert_date(sheet: &Sheet, row: &[Cell], col: &str, value: &str) {
    let c = sheet.cell(row, col);
    assert_eq!(
        (c.kind.as_str(), c.value.as_deref()),
        ("date", Some(value)),
        "{}: {col} should be the date {value}: {c:?}",
        sheet.name
    );
}

#[track_caller]
fn assert_text(sheet: &Sheet, row: &[Cell], col: &str, text: &str) {
    let c = sheet.cell(row, col);
    assert_eq!(
        (c.kind.as_str(), c.text.as_str(), c.formula.as_deref()),
        ("string", text, None),
        "{}: {col} should be the text {text:?}, not evaluated: {c:?}",
        sheet.name
    );
}

#[test]
fn csv_opens_in_a_real_spreadsheet_with_numbers_dates_and_text_intact() {
    soffice_or_fail();
    let env = Env::init();
    env.ok(&["vendor", "add", "Søren Ølsen ApS"]);
    env.ok(&["customer", "add", "=HYPERLINK(\"x\")"]);
    env.ok(&["customer", "add", "+1-555"]);
    env.ok(&["customer", "add", "José Müller 東京"]);
    env.ok(&[
        "item",
        "add",
        "W-1",
        "--name",
        "Ünïcode widget",
        "--rate",
        "1234.50",
        "--purchase-rate",
        "800",
        "--vendor",
        "Søren Ølsen ApS",
        "--reorder-level",
        "2.5",
    ]);
    env.ok(&["stock", "adjust", "W-1", "5", "--date", "2026-01-02"]);
    let adjust = env.path("adjust.csv");
    env.ok(&[
        "stock",
        "adjust",
        "W-1",
        "-3",
        "--date",
        "2026-01-03",
        "--format",
        "csv",
        "-o",
        adjust.to_str().unwrap(),
    ]);
    // 2 in stock: the first order reserves 1.5, the second 0.5 (1 short), the third is 1.5 short
    for (customer, date) in [
        ("=HYPERLINK(\"x\")", "2026-01-05"),
        ("+1-555", "2026-01-06"),
        ("José Müller 東京", "2026-01-07"),
    ] {
        env.ok(&[
            "so",
            "create",
            "--customer",
            customer,
            "--item",
            "W-1:1.5",
            "--date",
            date,
            "--confirm",
            "--no-backorder",
        ]);
    }
    env.ok(&["backorder", "create", "SO-00002", "--date", "2026-01-08"]);
    env.ok(&["backorder", "create", "SO-00003", "--date", "2026-01-08"]);

    let write = |name: &str, args: &[&str], bom: bool| -> PathBuf {
        let p = env.path(name);
        let mut a = args.to_vec();
        a.extend(["--format", "csv", "-o", p.to_str().unwrap()]);
        if bom {
            a.push("--bom");
        }
        env.ok(&a);
        p
    };
    let csvs = vec![
        write("items.csv", &["item", "list"], false),
        write("orders.csv", &["so", "list"], true),
        write("links.csv", &["backorder", "list"], false),
        write(
            "report.csv",
            &["report", "backorders", "--as-of", "2026-01-31"],
            false,
        ),
        write("stock.csv", &["stock", "list"], false),
        adjust,
    ];
    assert!(std::fs::read(&csvs[1])
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF"));
    let fods = to_fods(env.dir(), &csvs);
    let sheet = |i: usize, name: &str| Sheet::new(name, read_fods(&fods[i]));

    let items = sheet(0, "item list");
    let w1 = items.row("sku", "W-1");
    assert_text(&items, w1, "name", "Ünïcode widget");
    assert_text(&items, w1, "vendor", "Søren Ølsen ApS");
    assert_number(&items, w1, "rate", "1234.5");
    assert_eq!(items.cell(w1, "rate").text, "1234.5");
    assert_number(&items, w1, "purchase_rate", "800");
    assert_number(&items, w1, "reorder_level", "2.5");

    // --bom: the mark is not glued to the first header, and non-ASCII names survive
    let orders = sheet(1, "so list");
    assert_eq!(orders.header[0], "number", "BOM leaked into the header");
    let hyperlink = orders.row("number", "SO-00001");
    assert_text(&orders, hyperlink, "customer", "'=HYPERLINK(\"x\")");
    assert_date(&orders, hyperlink, "date", "2026-01-05");
    assert_number(&orders, hyperlink, "total", "1851.75");
    let phone = orders.row("number", "SO-00002");
    assert_text(&orders, phone, "customer", "'+1-555");
    assert_text(&orders, phone, "status", "on_hold");
    let jose = orders.row("number", "SO-00003");
    assert_text(&orders, jose, "customer", "José Müller 東京");
    assert_date(&orders, jose, "date", "2026-01-07");

    let links = sheet(2, "backorder list");
    let l2 = links.row("so", "SO-00002");
    assert_text(&links, l2, "customer", "'+1-555");
    assert_text(&links, l2, "vendor", "Søren Ølsen ApS");
    assert_number(&links, l2, "quantity", "1");
    assert_date(&links, l2, "created", "2026-01-08");
    assert_eq!(links.cell(l2, "age_days").kind, "float");
    let l3 = links.row("so", "SO-00003");
    assert_number(&links, l3, "quantity", "1.5");

    // the report: 4.5 ordered, 2.5 short at confirmation and backordered (1 + 1.5), both open
    let report = sheet(3, "report backorders");
    assert_eq!(report.rows.len(), 1);
    let r = &report.rows[0];
    assert_number(&report, r, "orders", "3");
    assert_number(&report, r, "units_ordered", "4.5");
    assert_number(&report, r, "units_backordered", "2.5");
    assert_number(&report, r, "items_backordered_pct", "55.56");
    assert_number(&report, r, "fill_rate_pct", "44.44");
    assert_number(&report, r, "open_lines", "2");
    for empty in ["backorder_days_mean", "backorder_days_max"] {
        assert!(report.cell(r, empty).is_empty(), "{empty} is an empty cell");
    }

    // a negative figure stays a negative number
    let stock = sheet(4, "stock list");
    let s = stock.row("sku", "W-1");
    assert_number(&stock, s, "on_hand", "2");
    assert_number(&stock, s, "available_for_sale", "-2.5");
    let adjusted = sheet(5, "stock adjust");
    assert_number(&adjusted, &adjusted.rows[0], "quantity", "-3");
}
