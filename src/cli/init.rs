//! `stockroom init`.

use crate::app::App;
use anyhow::Result;
use clap::Args;
use stockroom_core::settings;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Organization name
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// Currency code (shown in tables)
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
}

pub fn run(app: &App, a: InitArgs) -> Result<()> {
    let mut seed = Vec::new();
    if let Some(o) = &a.org {
        seed.push(("org.name", settings::validate("org.name", o)?));
    }
    if let Some(c) = &a.currency {
        seed.push(("currency", settings::validate("currency", c)?));
    }
    let (db, created) = app.init(&seed)?;
    if created {
        app.ui.say(format!(
            "Created {} with warehouse MAIN. Next: `stockroom vendor add`, `stockroom item add`.",
            db.path().display()
        ));
    } else {
        app.ui.say(format!(
            "{} already exists; nothing changed.",
            db.path().display()
        ));
        if !seed.is_empty() {
            app.ui.warn("--org/--currency apply to a new database only; use `stockroom config set` to change them");
        }
    }
    Ok(())
}
