//! CSV: RFC 4180, CRLF line ends, a header of snake_case names, and a guard that makes a
//! spreadsheet show formula-looking text as text. Numeric cells are never altered.

use super::{Record, Value};
use anyhow::Result;
use std::io::Write;

/// Text that a spreadsheet would run as a formula gets a leading apostrophe.
pub fn guard(s: &str) -> std::borrow::Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Text(s) => guard(s).into_owned(),
        Value::Strings(_) | Value::List(_) => guard(&v.plain()).into_owned(),
        other => other.plain(),
    }
}

fn writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        // a document's sections have different columns
        .flexible(true)
        .buffer_capacity(64 * 1024)
        .from_writer(w)
}

pub fn header<W: Write>(w: W, columns: &[&'static str]) -> Result<csv::Writer<W>> {
    let mut c = writer(w);
    c.write_record(columns)?;
    Ok(c)
}

pub fn row<W: Write>(c: &mut csv::Writer<W>, columns: &[&'static str], rec: &Record) -> Result<()> {
    let mut buf = String::new();
    for col in columns {
        match rec.get(col) {
            None | Some(Value::Null) => c.write_field("")?,
            Some(Value::Text(s)) => c.write_field(guard(s).as_bytes())?,
            Some(v @ (Value::Strings(_) | Value::List(_))) => c.write_field(cell(v))?,
            Some(v) => {
                buf.clear();
                v.write_plain(&mut buf);
                c.write_field(&buf)?;
            }
        }
    }
    c.write_record(None::<&[u8]>)?;
    Ok(())
}

/// A document as CSV: its scalar fields as one header and one row; then each nested list as a
/// blank line, its own header (prefixed by the document number column) and rows.
pub fn show(w: &mut dyn Write, rec: &Record) -> Result<()> {
    let scalars: Vec<&'static str> = rec
        .0
        .iter()
        .filter(|(_, v)| !matches!(v, Value::List(_)))
        .map(|(n, _)| *n)
        .collect();
    let mut c = writer(w);
    c.write_record(&scalars)?;
    row(&mut c, &scalars, rec)?;
    for (name, v) in &rec.0 {
        if let Value::List(items) = v {
            let Some(first) = items.first() else { continue };
            c.write_record(None::<&[u8]>)?;
            let cols: Vec<&'static str> = first.0.iter().map(|(n, _)| *n).collect();
            let mut head = vec![format!("{name}")];
            head.extend(cols.iter().map(|s| s.to_string()));
            c.write_record(&head)?;
            for item in items {
                c.write_field(rec.0.first().map(|(_, v)| cell(v)).unwrap_or_default())?;
                row(&mut c, &cols, item)?;
            }
        }
    }
    c.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use stockroom_core::Qty;

    #[test]
    fn guards_formula_text_but_not_numbers() {
        assert_eq!(guard("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard("+1-555"), "'+1-555");
        assert_eq!(guard("-x"), "'-x");
        assert_eq!(guard("@cmd"), "'@cmd");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("plain"), "plain");
        assert_eq!(cell(&Value::Qty(Qty::from_raw(-3000))), "-3");
    }

    #[test]
    fn quotes_per_rfc4180_with_crlf() -> Result<()> {
        let mut c = header(Vec::new(), &["name", "qty"])?;
        let rec = Record::new()
            .with("name", Value::text("a \"b\",\nc"))
            .with("qty", Value::Qty(Qty::from_raw(1500)));
        row(&mut c, &["name", "qty"], &rec)?;
        let s = String::from_utf8(c.into_inner().map_err(|e| e.into_error())?)?;
        assert_eq!(s, "name,qty\r\n\"a \"\"b\"\",\nc\",1.5\r\n");
        Ok(())
    }
}
