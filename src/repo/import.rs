//! The staging area of `so import`: the file's rows go into a TEMP table of this connection (no
//! lock on the shared database while the file is read), then come back sorted by order.

use super::Conn;
use anyhow::Result;

/// One staged CSV row: its line, its cells (in the importer's column order), or the problem that
/// made it unreadable.
#[derive(Debug, Clone, Default)]
pub struct StagedRow {
    pub line: u64,
    pub cells: Vec<String>,
    pub problem: Option<String>,
}

impl Conn<'_> {
    /// A fresh staging table with `columns` text columns.
    pub fn create_import_stage(&self, columns: usize) -> Result<()> {
        let cols: Vec<String> = (0..columns)
            .map(|i| format!("c{i} TEXT NOT NULL"))
            .collect();
        self.c.execute_batch(&format!(
            "DROP TABLE IF EXISTS temp.import_stage; \
             CREATE TEMP TABLE import_stage (line INTEGER NOT NULL, grp TEXT, problem TEXT, {});",
            cols.join(", ")
        ))?;
        Ok(())
    }

    /// Stages one row; `group` is the key its order is grouped by (`None` for a row on its own).
    pub fn stage_import_row(&self, row: &StagedRow, group: Option<&str>) -> Result<()> {
        let placeholders: Vec<String> = (0..row.cells.len())
            .map(|i| format!("?{}", i + 4))
            .collect();
        let cols: Vec<String> = (0..row.cells.len()).map(|i| format!("c{i}")).collect();
        let mut st = self.c.prepare_cached(&format!(
            "INSERT INTO temp.import_stage (line, grp, problem, {}) VALUES (?1, ?2, ?3, {})",
            cols.join(", "),
            placeholders.join(", ")
        ))?;
        let mut params: Vec<&dyn rusqlite::ToSql> = vec![&row.line, &group, &row.problem];
        for c in &row.cells {
            params.push(c);
        }
        st.execute(params.as_slice())?;
        Ok(())
    }

    /// Streams the staged rows, those of one order together (in file order within it), orders in
    /// the order their first row appears in the file.
    pub fn for_each_staged_row(
        &self,
        columns: usize,
        mut f: impl FnMut(StagedRow, Option<String>) -> Result<()>,
    ) -> Result<()> {
        let cols: Vec<String> = (0..columns).map(|i| format!("s.c{i}")).collect();
        let mut st = self.c.prepare(&format!(
            "SELECT s.line, s.grp, s.problem, {} FROM temp.import_stage s \
             LEFT JOIN (SELECT grp, min(line) AS first FROM temp.import_stage WHERE grp IS NOT NULL GROUP BY grp) g \
               ON g.grp = s.grp \
             ORDER BY coalesce(g.first, s.line), s.line",
            cols.join(", ")
        ))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let mut cells = Vec::with_capacity(columns);
            for i in 0..columns {
                cells.push(r.get(3 + i)?);
            }
            f(
                StagedRow {
                    line: r.get::<_, i64>(0)? as u64,
                    cells,
                    problem: r.get(2)?,
                },
                r.get(1)?,
            )?;
        }
        Ok(())
    }

    pub fn drop_import_stage(&self) -> Result<()> {
        self.c
            .execute_batch("DROP TABLE IF EXISTS temp.import_stage;")?;
        Ok(())
    }

    /// The largest sales-order id so far (orders above it were made after).
    pub fn max_sales_order_id(&self) -> Result<i64> {
        Ok(self
            .c
            .query_row("SELECT coalesce(max(id), 0) FROM sales_orders", [], |r| {
                r.get(0)
            })?)
    }

    /// Ids of the orders after `after`, oldest order date first (then by number).
    pub fn for_each_sales_order_after(
        &self,
        after: i64,
        mut f: impl FnMut(i64, stockroom_core::Date) -> Result<()>,
    ) -> Result<()> {
        let mut st = self
            .c
            .prepare("SELECT id, date FROM sales_orders WHERE id > ?1 ORDER BY date, id")?;
        let mut rows = st.query([after])?;
        while let Some(r) = rows.next()? {
            f(r.get(0)?, super::sales::date_col(r, 1)?)?;
        }
        Ok(())
    }
}
