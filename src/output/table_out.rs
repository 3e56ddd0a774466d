//! Tables for people: comfy-table, numbers right-aligned, colour only on a terminal.

use super::{Record, Value};
use anyhow::Result;
use comfy_table::{presets, Attribute, Cell, CellAlignment, ContentArrangement, Table};
use std::io::Write;

/// How tables look in this run.
#[derive(Debug, Clone, Default)]
pub struct TableStyle {
    pub color: bool,
    /// Terminal width, when stdout is one.
    pub width: Option<u16>,
    /// The organization's currency symbol or code, shown before amounts.
    pub currency: Option<String>,
}

/// `₹` for INR and a few other common symbols; otherwise the code itself.
pub fn currency_symbol(code: &str) -> String {
    match code {
        "INR" => "₹".into(),
        "USD" => "$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "JPY" => "¥".into(),
        other => format!("{other} "),
    }
}

fn new_table(color: bool, width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    match width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

fn header_cells(columns: &[&str], color: bool) -> Vec<Cell> {
    columns
        .iter()
        .map(|c| {
            let cell = Cell::new(c);
            if color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        })
        .collect()
}

fn cell(v: &Value, style: &TableStyle) -> Cell {
    let text = match (v, &style.currency) {
        (Value::Money(m), Some(sym)) if m.is_negative() => format!("-{sym}{}", -*m),
        (Value::Money(m), Some(sym)) => format!("{sym}{m}"),
        _ => v.plain(),
    };
    let c = Cell::new(text);
    if v.is_numeric() {
        c.set_alignment(CellAlignment::Right)
    } else {
        c
    }
}

/// A list table, laid out once all rows are in.
pub struct TableList {
    table: Table,
    style: TableStyle,
    rows: usize,
}

impl TableList {
    pub fn new(columns: &[&'static str], style: &TableStyle) -> Self {
        let mut table = new_table(style.color, style.width);
        table.set_header(header_cells(columns, style.color));
        Self {
            table,
            style: style.clone(),
            rows: 0,
        }
    }

    pub fn row(&mut self, columns: &[&'static str], rec: &Record) {
        self.table.add_row(columns.iter().map(|c| {
            rec.get(c)
                .map_or_else(|| Cell::new(""), |v| cell(v, &self.style))
        }));
        self.rows += 1;
    }

    pub fn finish(self, w: &mut dyn Write) -> Result<()> {
        writeln!(w, "{}", self.table)?;
        Ok(())
    }
}

/// A document: its scalar fields as a two-column table, then each nested list as a table under
/// its name.
pub fn show(w: &mut dyn Write, rec: &Record, style: &TableStyle) -> Result<()> {
    let mut t = new_table(style.color, style.width);
    for (name, v) in &rec.0 {
        if matches!(v, Value::List(_)) {
            continue;
        }
        t.add_row(vec![Cell::new(name), cell(v, style)]);
    }
    writeln!(w, "{t}")?;
    for (name, v) in &rec.0 {
        let Value::List(items) = v else { continue };
        let Some(first) = items.first() else { continue };
        let cols: Vec<&'static str> = first.0.iter().map(|(n, _)| *n).collect();
        let mut list = TableList::new(&cols, style);
        for item in items {
            list.row(&cols, item);
        }
        writeln!(w, "{name}:")?;
        list.finish(w)?;
    }
    Ok(())
}
