//! Stockroom: inventory and backorders over one local SQLite file. `run` is the whole program,
//! callable from tests; `main` only exits with its code.

pub mod app;
pub mod cli;
pub mod exit;
pub mod input;
pub mod ops;
pub mod output;
pub mod repo;
pub mod ui;

use clap::{CommandFactory, FromArgMatches};
use exit::{classify, Exit, UserError};

/// Parses `args`, runs the command and returns its exit code. Errors are printed here, once.
pub fn run<I, T>(args: I) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let parsed = cli::Cli::command()
        .try_get_matches_from(&args)
        .and_then(|m| cli::Cli::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
        }
    };
    let command_line = args
        .iter()
        .skip(1)
        .map(|a| {
            let s = a.to_string_lossy();
            if s.is_empty() || s.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
                format!("'{}'", s.replace('\'', r"'\''"))
            } else {
                s.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    // `demo` must never write into a database named only by STOCKROOM_DB
    let db_on_command_line =
        matches.value_source("db") == Some(clap::parser::ValueSource::CommandLine);
    let (result, app) = app::dispatch(cli, format!("stockroom {command_line}"), db_on_command_line);
    match result {
        Ok(()) => Exit::Ok,
        Err(err) => {
            let code = classify(&err);
            match code {
                Exit::Ok => {}
                Exit::Partial => app.ui.warn_always(message(&err, &app)),
                _ => app.ui.error(message(&err, &app)),
            }
            code
        }
    }
}

fn message(err: &anyhow::Error, app: &app::App) -> String {
    if let Some(u) = err.chain().find_map(|c| c.downcast_ref::<UserError>()) {
        return u.message.clone();
    }
    if let Ok(path) = app.db_path() {
        if let Some(m) = repo::explain(err, &path, app.global.wait) {
            return m;
        }
    }
    format!("{err:#}")
}
