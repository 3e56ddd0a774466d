//! The conversation with the person (or the cron log) on stderr: messages, warnings, prompts and
//! progress bars. Interactivity and colour are decided once, here; every prompt names the flag that
//! answers it, and a run without a terminal that lacks that flag stops with exit 2.

use crate::exit::UserError;
use anyhow::Result;
use dialoguer::{theme::ColorfulTheme, Confirm, Select};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal, Write};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How this run talks to its user.
#[derive(Debug, Clone)]
pub struct Ui {
    interactive: bool,
    quiet: bool,
    color: bool,
    yes: bool,
}

impl Ui {
    /// Prompts only when stdin and stderr are terminals and `--no-input` was not given.
    pub fn new(no_input: bool, quiet: bool, yes: bool, color: ColorChoice) -> Self {
        let stderr_tty = io::stderr().is_terminal();
        let interactive = !no_input && io::stdin().is_terminal() && stderr_tty;
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        };
        Self {
            interactive,
            quiet,
            color,
            yes,
        }
    }

    /// A silent, non-interactive Ui (tests, the demo's inner steps).
    pub fn silent() -> Self {
        Self {
            interactive: false,
            quiet: true,
            color: false,
            yes: false,
        }
    }

    pub fn is_interactive(&self) -> bool {
        self.interactive
    }
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }
    /// Colour on stdout tables (decided with stdout's own terminal check by the output module).
    pub fn color(&self) -> bool {
        self.color
    }
    fn stderr_color(&self) -> bool {
        self.color && io::stderr().is_terminal()
    }

    /// A message for the person; silenced by `-q`.
    pub fn say(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            let _ = writeln!(io::stderr().lock(), "{}", msg.as_ref());
        }
    }

    /// A warning; silenced by `-q`.
    pub fn warn(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            let prefix = if self.stderr_color() {
                "\x1b[33mwarning:\x1b[0m"
            } else {
                "warning:"
            };
            let _ = writeln!(io::stderr().lock(), "{prefix} {}", msg.as_ref());
        }
    }

    /// A warning that `-q` does not silence (a partial result).
    pub fn warn_always(&self, msg: impl AsRef<str>) {
        let prefix = if self.stderr_color() {
            "\x1b[33mwarning:\x1b[0m"
        } else {
            "warning:"
        };
        let _ = writeln!(io::stderr().lock(), "{prefix} {}", msg.as_ref());
    }

    /// An error; never silenced.
    pub fn error(&self, msg: impl AsRef<str>) {
        let prefix = if self.stderr_color() {
            "\x1b[31merror:\x1b[0m"
        } else {
            "error:"
        };
        let _ = writeln!(io::stderr().lock(), "{prefix} {}", msg.as_ref());
    }

    /// Several lines at once (e.g. a table on stderr); silenced by `-q`.
    pub fn block(&self, text: impl AsRef<str>) {
        if !self.quiet {
            let _ = write!(io::stderr().lock(), "{}", text.as_ref());
        }
    }

    /// Asks yes/no. `-y` answers yes; `answer` is the flag's own answer when given. Without a
    /// terminal and without an answer this is a usage error naming `flag`.
    pub fn confirm(&self, prompt: &str, answer: Option<bool>, flag: &str) -> Result<bool> {
        if let Some(a) = answer {
            return Ok(a);
        }
        if self.yes {
            return Ok(true);
        }
        if !self.interactive {
            return Err(UserError::usage(format!(
                "{prompt} needs an answer and there is no terminal to ask; pass {flag}"
            ))
            .into());
        }
        Ok(Confirm::with_theme(&ColorfulTheme::default())
            .with_prompt(prompt)
            .default(true)
            .interact_on(&console_term())?)
    }

    /// Asks the person to pick one option; without a terminal this is a usage error naming `flag`.
    pub fn select(&self, prompt: &str, options: &[String], flag: &str) -> Result<usize> {
        if !self.interactive || options.is_empty() {
            return Err(UserError::usage(format!(
                "{prompt}: there is no terminal to ask; pass {flag}"
            ))
            .into());
        }
        Ok(Select::with_theme(&ColorfulTheme::default())
            .with_prompt(prompt)
            .items(options)
            .default(0)
            .interact_on(&console_term())?)
    }

    /// A progress bar on stderr when it is a terminal and not `-q`; hidden otherwise.
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        if self.quiet || !io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})") {
            pb.set_style(style.progress_chars("=> "));
        }
        pb.set_message(what.to_string());
        pb
    }
}

fn console_term() -> dialoguer::console::Term {
    dialoguer::console::Term::stderr()
}
