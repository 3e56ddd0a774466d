//! Reading CSV input files (or stdin for `-`), streamed: the header by name, then every data row
//! with its line number (as an editor counts them, for `\n`, `\r\n` and `\r` files alike), a BOM
//! tolerated. Header problems are refused at once; a broken row is handed on as a problem with its
//! line and column so that the importer decides (refuse everything, or reject just that row).

use crate::exit::UserError;
use anyhow::{Context, Result};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

/// A CSV file's data rows as `(line, cells by column)`, for small files read whole.
pub struct CsvRows {
    pub rows: Vec<(u64, HashMap<String, String>)>,
}

/// Opens `path` for reading (`-` is stdin); a missing file is "not found".
pub fn open(path: &Path) -> Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    let f = std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            anyhow::Error::from(UserError::not_found(format!("no file {}", path.display())))
        } else {
            anyhow::Error::from(e).context(format!("cannot read {}", path.display()))
        }
    })?;
    Ok(Box::new(BufReader::with_capacity(256 * 1024, f)))
}

/// Reads all of `path` (`-` is stdin).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    open(path)?
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(buf)
}

/// One data row: its cells in the order of `known` (empty for a column the file lacks), or the
/// problem that makes it unreadable.
pub type Row<'a> = std::result::Result<&'a [String], String>;

/// Streams the rows of a CSV file with a header. `known` are the accepted columns (cells come in
/// this order), `required` must be present. Calls `f(line, row)` per data row; blank lines are
/// skipped. Broken quoting ends the file with a refusal naming the line.
pub fn for_each_row(
    reader: impl Read,
    known: &[&str],
    required: &[&str],
    mut f: impl FnMut(u64, Row) -> Result<()>,
) -> Result<()> {
    let lines = Rc::new(RefCell::new(LineTracker::default()));
    let counting = Counting {
        inner: reader,
        lines: Rc::clone(&lines),
        offset: 0,
        bom_checked: false,
        last_cr: false,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(64 * 1024)
        .from_reader(counting);
    let mut rec = csv::ByteRecord::new();
    let line_of =
        |pos: Option<&csv::Position>| pos.map_or(0, |p| lines.borrow_mut().line_of(p.byte()));
    let header_read = match rdr.read_byte_record(&mut rec) {
        Ok(r) => r,
        Err(e) => {
            return Err(UserError::refused(format!("line 1, column 1: {}", csv_problem(&e))).into())
        }
    };
    if !header_read {
        return Err(UserError::refused(format!(
            "line 1: the file is empty; expected a header row with the columns {}",
            known.join(",")
        ))
        .into());
    }
    // where each file column goes in `known` order
    let mut slots = Vec::with_capacity(rec.len());
    let mut names: Vec<String> = Vec::with_capacity(rec.len());
    for (i, raw) in rec.iter().enumerate() {
        let name = std::str::from_utf8(raw)
            .map_err(|_| {
                UserError::refused(format!("line 1, column {}: the header is not UTF-8", i + 1))
            })?
            .trim()
            .to_ascii_lowercase();
        let Some(slot) = known.iter().position(|k| *k == name) else {
            return Err(UserError::refused(format!(
                "line 1, column {}: unknown column '{}'; the columns are: {}",
                i + 1,
                stockroom_core::ident::excerpt(&name),
                known.join(",")
            ))
            .into());
        };
        if names.contains(&name) {
            return Err(UserError::refused(format!(
                "line 1, column {}: column '{name}' appears twice",
                i + 1
            ))
            .into());
        }
        names.push(name);
        slots.push(slot);
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !names.iter().any(|c| c == r))
        .collect();
    if !missing.is_empty() {
        return Err(UserError::refused(format!(
            "line 1: missing column(s) {}; the header must include {}",
            missing.join(", "),
            required.join(",")
        ))
        .into());
    }
    let mut cells: Vec<String> = vec![String::new(); known.len()];
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = line_of(e.position());
                return Err(UserError::refused(format!(
                    "line {line}, column {}: {}; nothing was imported",
                    csv_field(&e),
                    csv_problem(&e)
                ))
                .into());
            }
        }
        let line = line_of(rec.position());
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        if rec.len() != slots.len() {
            let problem = if rec.len() < slots.len() {
                format!(
                    "column {} ({}): missing; the row has {} field(s), the header has {}",
                    rec.len() + 1,
                    names[rec.len()],
                    rec.len(),
                    slots.len()
                )
            } else {
                format!(
                    "column {}: a field beyond the header; the row has {} field(s), the header has {}",
                    slots.len() + 1,
                    rec.len(),
                    slots.len()
                )
            };
            f(line, Err(problem))?;
            continue;
        }
        for c in cells.iter_mut() {
            c.clear();
        }
        let mut problem = None;
        for (i, raw) in rec.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) if s.contains('\0') => {
                    problem = Some(format!("column {}: contains a NUL byte", names[i]));
                    break;
                }
                Ok(s) => cells[slots[i]].push_str(s),
                Err(_) => {
                    problem = Some(format!("column {}: not valid UTF-8", names[i]));
                    break;
                }
            }
        }
        match problem {
            Some(p) => f(line, Err(p))?,
            None => f(line, Ok(&cells))?,
        }
    }
    Ok(())
}

/// The 1-based field of a reading error, where the csv crate knows it.
fn csv_field(e: &csv::Error) -> u64 {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => err.field() as u64 + 1,
        _ => 1,
    }
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read the file: {io}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        _ => "the CSV is malformed (an unclosed quote?)".into(),
    }
}

/// Reads a small CSV whole; any broken row refuses the file, listing every problem by line.
pub fn parse_csv(bytes: &[u8], known: &[&str], required: &[&str]) -> Result<CsvRows> {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for_each_row(bytes, known, required, |line, row| {
        match row {
            Ok(cells) => rows.push((
                line,
                known
                    .iter()
                    .zip(cells)
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| ((*k).to_string(), v.clone()))
                    .collect(),
            )),
            Err(p) => problems.push(format!("line {line}, {p}")),
        }
        Ok(())
    })?;
    if !problems.is_empty() {
        let n = problems.len();
        let mut msg = format!("{n} bad row(s), nothing was imported; fix them and import again:");
        for p in problems.iter().take(50) {
            msg.push_str("\n  ");
            msg.push_str(p);
        }
        if n > 50 {
            msg.push_str(&format!("\n  ... and {} more", n - 50));
        }
        return Err(UserError::refused(msg).into());
    }
    Ok(CsvRows { rows })
}

/// Line starts seen so far but not yet passed by a record, and how many lines were passed.
#[derive(Default)]
struct LineTracker {
    /// Offsets where lines start; for `\r\n` the offset of the `\n` (the csv reader may report a
    /// record there).
    pending: VecDeque<u64>,
    passed: u64,
}

impl LineTracker {
    /// The 1-based line of a record starting at `byte`.
    fn line_of(&mut self, byte: u64) -> u64 {
        while self.pending.front().is_some_and(|s| *s <= byte) {
            self.pending.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

/// A reader that notes where lines start as bytes go by, and drops a leading UTF-8 BOM.
struct Counting<R> {
    inner: R,
    lines: Rc<RefCell<LineTracker>>,
    offset: u64,
    bom_checked: bool,
    last_cr: bool,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = self.inner.read(buf)?;
        if !self.bom_checked && n > 0 {
            // a BOM split across reads is not worth handling: readers hand over at least 3 bytes
            if buf[..n].starts_with("\u{feff}".as_bytes()) {
                buf.copy_within(3..n, 0);
                n -= 3;
            }
            self.bom_checked = true;
        }
        let mut lines = self.lines.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            match b {
                b'\n' if self.last_cr => {
                    // `\r\n`: the line was already counted at the `\r`; move its start to here
                    if let Some(last) = lines.pending.back_mut() {
                        *last = at;
                    }
                }
                b'\n' => lines.pending.push_back(at + 1),
                b'\r' => lines.pending.push_back(at + 1),
                _ => {}
            }
            self.last_cr = *b == b'\r';
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_with_line_numbers_and_tolerates_bom() -> Result<()> {
        let data = "\u{feff}sku,name\r\nA,\"x,\ny\"\r\nB,z\r\n";
        let r = parse_csv(data.as_bytes(), &["sku", "name"], &["sku"])?;
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].0, 2);
        assert_eq!(r.rows[0].1.get("name").map(String::as_str), Some("x,\ny"));
        assert_eq!(r.rows[1].0, 4);
        Ok(())
    }

    #[test]
    fn counts_lines_for_lf_crlf_and_cr_files() -> Result<()> {
        for data in [
            "sku,name\nA,x\nB,y\n",
            "sku,name\r\nA,x\r\nB,y\r\n",
            "sku,name\rA,x\rB,y\r",
        ] {
            let r = parse_csv(data.as_bytes(), &["sku", "name"], &["sku"])?;
            assert_eq!(
                r.rows.iter().map(|x| x.0).collect::<Vec<_>>(),
                vec![2, 3],
                "{data:?}"
            );
        }
        Ok(())
    }

    #[test]
    fn refuses_structural_problems() {
        let cases: &[&[u8]] = &[
            b"",
            b"sku,bogus\nA,1\n",
            b"name\nx\n",
            b"sku,name\nA,1,extra\n",
            b"sku,name\nA,\xff\xfe\n",
            b"sku,name\nA,a\0b\n",
            b"sku,sku\nA,B\n",
        ];
        for c in cases {
            let e = parse_csv(c, &["sku", "name"], &["sku"]).err();
            let code = e.as_ref().map(crate::exit::classify);
            assert_eq!(
                code,
                Some(crate::exit::Exit::Refused),
                "{:?}",
                String::from_utf8_lossy(c)
            );
        }
    }
}
