//! The composition root: resolves the database path, decides interactivity and colour once, opens
//! the repository, and dispatches to the command groups.

use crate::cli::{Cli, Command, Global};
use crate::exit::UserError;
use crate::output::{Format, Out};
use crate::repo::{Actor, Db};
use crate::ui::Ui;
use anyhow::Result;
use clap::CommandFactory;
use std::path::PathBuf;
use stockroom_core::Date;

/// Everything a command needs to know about this run.
pub struct App {
    pub global: Global,
    /// `--db` was typed on the command line (not taken from STOCKROOM_DB).
    pub db_on_command_line: bool,
    pub ui: Ui,
    pub today: Date,
    actor: Actor,
    /// The organization's currency, read when the database is opened (for tables).
    currency: std::cell::OnceCell<String>,
}

impl App {
    pub fn new(global: Global, command_line: String, db_on_command_line: bool) -> Self {
        let ui = Ui::new(global.no_input, global.quiet, global.yes, global.color);
        let now = chrono::Local::now();
        let os_user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "unknown".into());
        Self {
            global,
            db_on_command_line,
            ui,
            today: now.date_naive(),
            currency: std::cell::OnceCell::new(),
            actor: Actor {
                at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                os_user,
                command: command_line,
            },
        }
    }

    /// `--db`, else `$STOCKROOM_DB` (both via clap), else the XDG data folder.
    pub fn db_path(&self) -> Result<PathBuf> {
        if let Some(p) = &self.global.db {
            if p.as_os_str().is_empty() {
                return Err(
                    UserError::usage("--db (or STOCKROOM_DB) is empty; give a file path").into(),
                );
            }
            return Ok(p.clone());
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|h| PathBuf::from(h).join(".local/share"))
            })
            .ok_or_else(|| {
                UserError::usage(
                    "neither --db, STOCKROOM_DB, XDG_DATA_HOME nor HOME is set; pass --db PATH",
                )
            })?;
        Ok(data.join("stockroom").join("stockroom.db"))
    }

    /// Opens the existing database (never creates one).
    pub fn open(&self) -> Result<Db> {
        let mut db = Db::open(&self.db_path()?, self.global.wait, self.actor.clone())?;
        if let Some(file) = std::env::var_os("STOCKROOM_TRACE_SQL").filter(|v| !v.is_empty()) {
            db.trace_sql_to(std::path::Path::new(&file))?;
        }
        if self.currency.get().is_none() {
            let _ = self.currency.set(db.conn().setting("currency")?);
        }
        Ok(db)
    }

    /// Creates the database if needed.
    pub fn init(&self, seed: &[(&str, String)]) -> Result<(Db, bool)> {
        Db::init(&self.db_path()?, self.global.wait, self.actor.clone(), seed)
    }

    /// Where data goes.
    pub fn out(&self) -> Result<Out> {
        Out::new(
            self.global.format,
            self.global.output.as_deref(),
            self.global.bom,
            self.ui.color(),
            self.currency.get().map(String::as_str),
        )
    }

    /// The `--date` of a write command, else today.
    pub fn date_or_today(&self, date: Option<&str>) -> Result<Date> {
        match date {
            Some(d) => Ok(stockroom_core::parse_date(d)?),
            None => Ok(self.today),
        }
    }
}

/// Checks flag combinations clap cannot express, then runs the command.
pub fn dispatch(cli: Cli, command_line: String, db_on_command_line: bool) -> (Result<()>, App) {
    let app = App::new(cli.global, command_line, db_on_command_line);
    let result = check_globals(&app).and_then(|()| run_command(&app, cli.command));
    (result, app)
}

fn check_globals(app: &App) -> Result<()> {
    if app.global.bom && app.global.format != Format::Csv {
        return Err(UserError::usage("--bom applies to CSV only; add --format csv").into());
    }
    // An unwritable -o must stop the command before it changes anything.
    if let Some(p) = &app.global.output {
        let opened = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(p);
        if let Err(e) = opened {
            let msg = format!("cannot write -o {}: {e}; nothing was changed", p.display());
            return Err(match e.kind() {
                std::io::ErrorKind::NotFound => UserError::not_found(msg),
                _ => UserError::refused(msg),
            }
            .into());
        }
    }
    Ok(())
}

fn run_command(app: &App, command: Command) -> Result<()> {
    use crate::cli::*;
    match command {
        Command::Init(a) => init::run(app, a),
        Command::Config(c) => config::run(app, c),
        Command::Warehouse(c) => warehouse::run(app, c),
        Command::Vendor(c) => vendor::run(app, c),
        Command::Customer(c) => customer::run(app, c),
        Command::Item(c) => item::run(app, c),
        Command::Stock(c) => stock::run(app, c),
        Command::So(c) => so::run(app, c),
        Command::Backorder(c) => backorder::run(app, c),
        Command::Po(c) => po::run(app, c),
        Command::Demo => demo::run(app),
        Command::Bill(c) => bill::run(app, c),
        Command::Report(c) => report::run(app, c),
        Command::History(a) => history::run(app, a),
        Command::Doctor(a) => doctor::run(app, a),
        Command::Backup(a) => backup::run(app, a),
        Command::Completions(a) => {
            let mut out = app.out()?;
            let mut buf = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "stockroom", &mut buf);
            out.raw(&buf)
        }
    }
}
