//! `stockroom backup FILE`: a consistent copy of the database made while others keep working.

use crate::app::App;
use crate::ops::backup::backup;
use crate::output;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where the copy goes (a new file)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
}

pub fn run(app: &App, a: BackupArgs) -> Result<()> {
    let db = app.open()?;
    let report = backup(&db, &a.file, a.force)?;
    app.ui.say(format!(
        "Backed up {} to {} ({} bytes); check the copy with `stockroom --db {} doctor`",
        db.path().display(),
        report.path.display(),
        report.bytes,
        report.path.display()
    ));
    app.out()?
        .show(&output::backup(db.path(), &report.path, report.bytes))
}
