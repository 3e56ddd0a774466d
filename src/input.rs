//! Reading CSV input files (or stdin for `-`): header by name, every data row with its line
//! number, a BOM tolerated, and every structural problem reported as a row error (exit 3).

use crate::exit::UserError;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// A CSV file's data rows as `(line, cells by column)`.
pub struct CsvRows {
    pub rows: Vec<(u64, HashMap<String, String>)>,
}

/// Reads all of `path` (`-` is stdin).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("reading stdin")?;
    } else {
        let mut f = std::fs::File::open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                anyhow::Error::from(UserError::not_found(format!("no file {}", path.display())))
            } else {
                anyhow::Error::from(e).context(format!("cannot read {}", path.display()))
            }
        })?;
        f.read_to_end(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    Ok(buf)
}

/// Parses CSV bytes with a header row. `known` are the accepted columns, `required` must be present.
/// Any problem (unknown or missing column, wrong number of fields, invalid UTF-8, broken quoting)
/// is refused with its line number.
pub fn parse_csv(bytes: &[u8], known: &[&str], required: &[&str]) -> Result<CsvRows> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let lines = LineIndex::new(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = rdr.byte_records();
    let header = match records.next() {
        None => {
            return Err(UserError::refused(format!(
                "line 1: the file is empty; expected a header row with the columns {}",
                known.join(",")
            ))
            .into())
        }
        Some(Err(e)) => return Err(UserError::refused(format!("line 1: {e}")).into()),
        Some(Ok(h)) => h,
    };
    let mut columns = Vec::with_capacity(header.len());
    for (i, raw) in header.iter().enumerate() {
        let name = std::str::from_utf8(raw)
            .map_err(|_| {
                UserError::refused(format!("line 1, column {}: the header is not UTF-8", i + 1))
            })?
            .trim()
            .to_ascii_lowercase();
        if !known.contains(&name.as_str()) {
            return Err(UserError::refused(format!(
                "line 1, column {}: unknown column '{}'; the columns are: {}",
                i + 1,
                stockroom_core::ident::excerpt(&name),
                known.join(",")
            ))
            .into());
        }
        if columns.contains(&name) {
            return Err(UserError::refused(format!(
                "line 1, column {}: column '{name}' appears twice",
                i + 1
            ))
            .into());
        }
        columns.push(name);
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !columns.iter().any(|c| c == r))
        .collect();
    if !missing.is_empty() {
        return Err(UserError::refused(format!(
            "line 1: missing column(s) {}; the header must include {}",
            missing.join(", "),
            required.join(",")
        ))
        .into());
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(bytes, p.byte()));
                problems.push(format!("line {line}: {e}"));
                break;
            }
        };
        let line = rec.position().map_or(0, |p| lines.line_of(bytes, p.byte()));
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            continue; // blank line
        }
        if rec.len() < columns.len() {
            problems.push(format!(
                "line {line}, column {} ({}): missing; the row has {} field(s), the header has {}",
                rec.len() + 1,
                columns[rec.len()],
                rec.len(),
                columns.len()
            ));
            continue;
        }
        if rec.len() > columns.len() {
            problems.push(format!(
                "line {line}, column {}: a field beyond the header; the row has {} field(s), the header has {}",
                columns.len() + 1,
                rec.len(),
                columns.len()
            ));
            continue;
        }
        let mut cells = HashMap::with_capacity(columns.len());
        let mut ok = true;
        for (i, raw) in rec.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) if s.contains('\0') => {
                    problems.push(format!(
                        "line {line}, column {}: contains a NUL byte",
                        columns[i]
                    ));
                    ok = false;
                }
                Ok(s) => {
                    cells.insert(columns[i].clone(), s.to_string());
                }
                Err(_) => {
                    problems.push(format!(
                        "line {line}, column {}: not valid UTF-8",
                        columns[i]
                    ));
                    ok = false;
                }
            }
        }
        if ok {
            rows.push((line, cells));
        }
    }
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

/// Line numbers as a person counts them in an editor: `\n`, `\r\n` and a lone `\r` each end a line.
struct LineIndex {
    /// Byte offsets where lines 2, 3, ... start.
    starts: Vec<u64>,
}

impl LineIndex {
    fn new(bytes: &[u8]) -> Self {
        let mut starts = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i as u64 + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i as u64 + 2);
                    i += 1;
                }
                b'\r' => starts.push(i as u64 + 1),
                _ => {}
            }
            i += 1;
        }
        Self { starts }
    }

    /// The 1-based line of a record starting at `byte` (the csv reader may report the offset of
    /// the line break before it).
    fn line_of(&self, bytes: &[u8], mut byte: u64) -> u64 {
        while bytes
            .get(byte as usize)
            .is_some_and(|b| *b == b'\r' || *b == b'\n')
        {
            byte += 1;
        }
        self.starts.partition_point(|s| *s <= byte) as u64 + 1
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
