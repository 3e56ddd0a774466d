//! The only code that writes stdout (or `-o FILE`): lists and documents as a table, CSV or JSON,
//! all from the same records. CSV follows RFC 4180 with a formula guard on text cells; JSON keeps
//! decimals as strings.

mod chart;
mod csv_out;
mod json_out;
mod records;
mod table_out;

pub use chart::Chart;
pub use records::*;

use anyhow::{Context, Result};
use rust_decimal::Decimal;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use stockroom_core::{Date, Money, Percent, Qty};

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// One cell. Numbers keep their exact types so each format can render them right.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Qty(Qty),
    Money(Money),
    Pct(Percent),
    /// An exact decimal already rounded to the places it should show (report percentages, days).
    Dec(Decimal),
    Date(Date),
    Bool(bool),
    /// A list of plain strings (e.g. document numbers): a JSON array, space-separated elsewhere.
    Strings(Vec<String>),
    /// Nested records (e.g. an order's lines): a JSON array of objects, a sub-table in table form.
    List(Vec<Record>),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Self {
        Value::Text(s.into())
    }
    pub fn opt_text(s: Option<impl Into<String>>) -> Self {
        s.map_or(Value::Null, |s| Value::Text(s.into()))
    }
    pub fn opt_qty(q: Option<Qty>) -> Self {
        q.map_or(Value::Null, Value::Qty)
    }
    fn is_numeric(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Qty(_) | Value::Money(_) | Value::Pct(_) | Value::Dec(_)
        )
    }
    /// Appends the plain rendering to `out` (no allocation for numbers and dates).
    pub fn write_plain(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = match self {
            Value::Null => Ok(()),
            Value::Text(s) => {
                out.push_str(s);
                Ok(())
            }
            Value::Int(i) => write!(out, "{i}"),
            Value::Qty(q) => write!(out, "{q}"),
            Value::Money(m) => write!(out, "{m}"),
            Value::Pct(p) => write!(out, "{p}"),
            Value::Date(d) => write!(out, "{}", d.format("%Y-%m-%d")),
            _ => {
                out.push_str(&self.plain());
                Ok(())
            }
        };
    }

    /// Plain rendering for table cells and CSV (before any CSV guard).
    pub fn plain(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Qty(q) => q.to_string(),
            Value::Money(m) => m.to_string(),
            Value::Pct(p) => p.to_string(),
            Value::Dec(d) => d.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Bool(b) => if *b { "true" } else { "false" }.to_string(),
            Value::Strings(v) => v.join(" "),
            Value::List(recs) => recs
                .iter()
                .map(|r| {
                    r.0.iter()
                        .map(|(_, v)| v.plain())
                        .collect::<Vec<_>>()
                        .join(":")
                })
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// An ordered set of named cells; names are the stable snake_case CSV/JSON field names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record(pub Vec<(&'static str, Value)>);

impl Record {
    pub fn new() -> Self {
        Self(Vec::new())
    }
    pub fn with(mut self, name: &'static str, v: Value) -> Self {
        self.0.push((name, v));
        self
    }
    pub fn push(&mut self, name: &'static str, v: Value) {
        self.0.push((name, v));
    }
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// Where data goes, and how it looks. Built once per run.
pub struct Out {
    format: Format,
    w: Box<dyn Write>,
    bom: bool,
    table: table_out::TableStyle,
    /// stdout is a terminal (charts are drawn only there).
    tty: bool,
}

impl Out {
    /// Stdout, or `-o FILE` (created or truncated). Tables show amounts with `currency`.
    pub fn new(
        format: Format,
        path: Option<&Path>,
        bom: bool,
        color: bool,
        currency: Option<&str>,
    ) -> Result<Self> {
        let (w, tty): (Box<dyn Write>, bool) = match path {
            Some(p) => (
                Box::new(BufWriter::new(
                    File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
                )),
                false,
            ),
            None => {
                let tty = io::stdout().is_terminal();
                (Box::new(BufWriter::new(io::stdout())), tty)
            }
        };
        Ok(Self {
            format,
            w,
            bom,
            table: table_out::TableStyle {
                color: color && tty,
                width: if tty { comfy_width() } else { None },
                currency: currency.map(table_out::currency_symbol),
            },
            tty,
        })
    }

    /// An `Out` over any writer (tests, benchmarks).
    pub fn to_writer(format: Format, w: Box<dyn Write>) -> Self {
        Self {
            format,
            w,
            bom: false,
            table: table_out::TableStyle::default(),
            tty: false,
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Starts a list with these columns; rows stream through it (tables are laid out at the end).
    pub fn list(&mut self, columns: &[&'static str]) -> Result<ListWriter<'_>> {
        if self.bom && self.format == Format::Csv {
            self.w.write_all("\u{feff}".as_bytes())?;
            self.bom = false;
        }
        let inner = match self.format {
            Format::Table => Inner::Table(table_out::TableList::new(columns, &self.table)),
            Format::Csv => {
                let w = std::mem::replace(&mut self.w, Box::new(io::sink()));
                Inner::Csv(csv_out::header(w, columns)?)
            }
            Format::Json => {
                self.w.write_all(b"[")?;
                Inner::Json { first: true }
            }
        };
        Ok(ListWriter {
            out: self,
            columns: columns.to_vec(),
            inner,
        })
    }

    /// Writes a whole list of records.
    pub fn records(
        &mut self,
        columns: &[&'static str],
        recs: impl IntoIterator<Item = Record>,
    ) -> Result<()> {
        let mut l = self.list(columns)?;
        for r in recs {
            l.row(&r)?;
        }
        l.finish()
    }

    /// Writes one document: fields then its nested lists.
    pub fn show(&mut self, rec: &Record) -> Result<()> {
        match self.format {
            Format::Table => table_out::show(&mut self.w, rec, &self.table)?,
            Format::Csv => {
                if self.bom {
                    self.w.write_all("\u{feff}".as_bytes())?;
                    self.bom = false;
                }
                csv_out::show(&mut self.w, rec)?
            }
            Format::Json => json_out::show(&mut self.w, rec)?,
        }
        self.w.flush()?;
        Ok(())
    }

    /// Writes several documents: a JSON array, or one after another.
    pub fn show_many(&mut self, recs: &[Record]) -> Result<()> {
        if self.format == Format::Json {
            json_out::show_many(&mut self.w, recs)?;
            self.w.flush()?;
            return Ok(());
        }
        for r in recs {
            self.show(r)?;
        }
        Ok(())
    }

    /// Writes a JSON object of named arrays (e.g. `purchase_orders` and `sales_orders`); in table
    /// and CSV form each array's documents follow one another.
    pub fn show_groups(&mut self, groups: &[(&'static str, Vec<Record>)]) -> Result<()> {
        if self.format == Format::Json {
            json_out::show_groups(&mut self.w, groups)?;
            self.w.flush()?;
            return Ok(());
        }
        for (_, recs) in groups {
            self.show_many(recs)?;
        }
        Ok(())
    }

    /// Draws charts (after a table) for people looking at a terminal; writes nothing in CSV or
    /// JSON, or when stdout is a file or a pipe.
    pub fn charts(&mut self, charts: &[Chart]) -> Result<()> {
        if self.format != Format::Table || !self.tty {
            return Ok(());
        }
        chart::write(&mut self.w, charts, self.table.width)?;
        self.w.flush()?;
        Ok(())
    }

    /// Writes bytes as they are (shell completions).
    pub fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.w.write_all(bytes)?;
        self.w.flush()?;
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

/// A plain table as text (for stderr messages such as a shortfall).
pub fn render_table(columns: &[&'static str], recs: &[Record]) -> String {
    let mut t = table_out::TableList::new(columns, &table_out::TableStyle::default());
    for r in recs {
        t.row(columns, r);
    }
    let mut buf = Vec::new();
    let _ = t.finish(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// A CSV file written row by row (e.g. rejected import rows).
pub struct CsvFile {
    w: csv::Writer<BufWriter<File>>,
    columns: Vec<&'static str>,
}

impl CsvFile {
    pub fn create(path: &Path, columns: &[&'static str]) -> Result<Self> {
        let f = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Self {
            w: csv_out::header(BufWriter::new(f), columns)?,
            columns: columns.to_vec(),
        })
    }
    pub fn row(&mut self, rec: &Record) -> Result<()> {
        csv_out::row(&mut self.w, &self.columns, rec)
    }
    pub fn finish(mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

/// Writes records to a CSV file.
pub fn write_csv_file(path: &Path, columns: &[&'static str], recs: &[Record]) -> Result<()> {
    let f = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut c = csv_out::header(BufWriter::new(f), columns)?;
    for r in recs {
        csv_out::row(&mut c, columns, r)?;
    }
    c.flush()?;
    Ok(())
}

/// The terminal's width; a pseudo-terminal that reports 0 columns counts as none.
fn comfy_width() -> Option<u16> {
    comfy_table::Table::new().width().filter(|w| *w > 0)
}

enum Inner {
    Table(table_out::TableList),
    Csv(csv::Writer<Box<dyn Write>>),
    Json { first: bool },
}

/// A list being written row by row.
pub struct ListWriter<'a> {
    out: &'a mut Out,
    columns: Vec<&'static str>,
    inner: Inner,
}

impl ListWriter<'_> {
    pub fn row(&mut self, rec: &Record) -> Result<()> {
        match &mut self.inner {
            Inner::Table(t) => t.row(&self.columns, rec),
            Inner::Csv(c) => csv_out::row(c, &self.columns, rec)?,
            Inner::Json { first } => {
                self.out.w.write_all(if *first { b"\n" } else { b",\n" })?;
                *first = false;
                json_out::write_object(&mut self.out.w, rec)?;
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        match self.inner {
            Inner::Table(t) => t.finish(&mut self.out.w)?,
            Inner::Csv(c) => {
                self.out.w = c.into_inner().map_err(|e| e.into_error())?;
            }
            Inner::Json { first } => {
                self.out
                    .w
                    .write_all(if first { b"]\n" } else { b"\n]\n" })?;
            }
        }
        self.out.w.flush()?;
        Ok(())
    }
}
