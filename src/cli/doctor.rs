//! `stockroom doctor`: checks every invariant of the database and lists what is broken.

use crate::app::App;
use crate::exit::{Exit, UserError};
use crate::ops::doctor::doctor;
use crate::output::{self, Format};
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct DoctorArgs {}

pub fn run(app: &App, _a: DoctorArgs) -> Result<()> {
    let mut db = app.open()?;
    let report = doctor(&mut db)?;
    let n = report.violations.len();
    // a clean table would be an empty frame; CSV and JSON readers still get their empty list
    if n > 0 || app.global.format != Format::Table {
        app.out()?.records(
            output::VIOLATION_COLUMNS,
            report.violations.iter().map(output::violation),
        )?;
    }
    if n == 0 {
        app.ui.say(format!(
            "{}: all {} checks hold",
            db.path().display(),
            report.checks
        ));
        return Ok(());
    }
    let checks: std::collections::BTreeSet<&str> =
        report.violations.iter().map(|v| v.check.as_str()).collect();
    Err(UserError::new(
        Exit::Failure,
        format!(
            "{}: {n} problem(s) found by {} of {} checks ({}); doctor changed nothing. \
             See `stockroom history DOC` for the documents named above, and README (Reliability) for what each check means and how to restore a backup",
            db.path().display(),
            checks.len(),
            report.checks,
            checks.into_iter().collect::<Vec<_>>().join(", ")
        ),
    )
    .into())
}
