//! `stockroom config list|get|set`.

use crate::app::App;
use crate::ops::master;
use crate::output::{self};
use anyhow::Result;
use clap::Subcommand;
use stockroom_core::settings;

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Every setting with its value and default
    List,
    /// One setting's value
    Get { key: String },
    /// Change a setting (e.g. `config set hold_release received`)
    Set { key: String, value: String },
}

pub fn run(app: &App, cmd: ConfigCmd) -> Result<()> {
    let db = app.open()?;
    match cmd {
        ConfigCmd::List => {
            let c = db.conn();
            let mut recs = Vec::new();
            for s in settings::SETTINGS {
                recs.push(output::setting(s, &c.setting(s.key)?));
            }
            app.out()?.records(output::SETTING_COLUMNS, recs)
        }
        ConfigCmd::Get { key } => {
            let s = settings::find(&key)?;
            let v = db.conn().setting(s.key)?;
            app.out()?.show(&output::setting(s, &v))
        }
        ConfigCmd::Set { key, value } => {
            let mut db = db;
            let v = settings::validate(&key, &value)?;
            let s = settings::find(&key)?;
            let changed = master::config_set(&mut db, s.key, &v)?;
            app.ui.say(format!("{} = {v}", s.key));
            for (so, status) in &changed {
                app.ui
                    .say(format!("  {so} is now {status} under the new rule"));
            }
            app.out()?.show(&output::setting(s, &v))
        }
    }
}
