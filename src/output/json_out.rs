//! JSON: a document is one object, a list an array; decimal quantities and amounts are strings so
//! no reader turns them into floats. Field names are the CSV names.

use super::{Record, Value};
use anyhow::Result;
use serde_json::{Map, Value as J};
use std::io::Write;

fn value(v: &Value) -> J {
    match v {
        Value::Null => J::Null,
        Value::Text(s) => J::String(s.clone()),
        Value::Int(i) => J::from(*i),
        Value::Bool(b) => J::Bool(*b),
        Value::Qty(_) | Value::Money(_) | Value::Pct(_) | Value::Dec(_) | Value::Date(_) => {
            J::String(v.plain())
        }
        Value::Strings(list) => J::Array(list.iter().cloned().map(J::String).collect()),
        Value::List(recs) => J::Array(recs.iter().map(object).collect()),
    }
}

pub fn object(rec: &Record) -> J {
    let mut m = Map::with_capacity(rec.0.len());
    for (k, v) in &rec.0 {
        m.insert((*k).to_string(), value(v));
    }
    J::Object(m)
}

pub fn write_object(w: &mut dyn Write, rec: &Record) -> Result<()> {
    serde_json::to_writer(&mut *w, &object(rec))?;
    Ok(())
}

pub fn show(w: &mut dyn Write, rec: &Record) -> Result<()> {
    serde_json::to_writer_pretty(&mut *w, &object(rec))?;
    w.write_all(b"\n")?;
    Ok(())
}

pub fn show_many(w: &mut dyn Write, recs: &[Record]) -> Result<()> {
    serde_json::to_writer_pretty(&mut *w, &J::Array(recs.iter().map(object).collect()))?;
    w.write_all(b"\n")?;
    Ok(())
}

pub fn show_groups(w: &mut dyn Write, groups: &[(&'static str, Vec<Record>)]) -> Result<()> {
    let mut m = Map::new();
    for (name, recs) in groups {
        m.insert(
            (*name).to_string(),
            J::Array(recs.iter().map(object).collect()),
        );
    }
    serde_json::to_writer_pretty(&mut *w, &J::Object(m))?;
    w.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use stockroom_core::{Money, Qty};

    #[test]
    fn decimals_are_strings_and_ints_are_numbers() {
        let rec = Record::new()
            .with("quantity", Value::Qty(Qty::from_raw(12_500)))
            .with("total", Value::Money(Money::from_raw(123_450)))
            .with("age_days", Value::Int(3))
            .with("pan", Value::Null);
        assert_eq!(
            object(&rec).to_string(),
            r#"{"quantity":"12.5","total":"1234.50","age_days":3,"pan":null}"#
        );
    }
}
