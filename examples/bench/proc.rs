//! Child processes: every command of the benchmark runs through here, so every exit status is
//! checked and a failure names the command and shows its stderr.

use anyhow::{bail, Context, Result};
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

/// Where a job's stdout goes.
#[derive(Clone)]
pub enum Out {
    Null,
    File(PathBuf),
}

/// One command line.
#[derive(Clone)]
pub struct Job {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub stdout: Out,
}

/// One timed run: wall-clock seconds and, when measured, peak resident set size in KiB.
#[derive(Clone, Copy)]
pub struct Sample {
    pub secs: f64,
    pub rss_kb: Option<u64>,
}

impl Job {
    pub fn new(program: &Path) -> Self {
        Job {
            program: program.to_path_buf(),
            args: Vec::new(),
            stdout: Out::Null,
        }
    }

    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Self {
        self.args.push(a.as_ref().to_os_string());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for a in args {
            self.args.push(a.as_ref().to_os_string());
        }
        self
    }

    pub fn stdout(mut self, path: &Path) -> Self {
        self.stdout = Out::File(path.to_path_buf());
        self
    }

    /// The command as a reader would type it: program by name, paths under `root` by file
    /// name (the database shows as `DB`), arguments with spaces or quotes single-quoted.
    pub fn shown(&self, root: &Path) -> String {
        let mut parts = vec![self.program.file_name().map_or_else(
            || self.program.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )];
        for a in &self.args {
            let p = Path::new(a);
            let text = a.to_string_lossy();
            if text.len() > SQL_INLINE {
                parts.push("\"$SQL\"".to_string());
                continue;
            }
            let s = if p.starts_with(root) {
                short_path(p)
            } else {
                // paths inside an argument (`.import --csv PATH table`)
                text.split(' ')
                    .map(|w| {
                        if Path::new(w).starts_with(root) {
                            short_path(Path::new(w))
                        } else {
                            w.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            parts.push(quote(&s));
        }
        if let Out::File(f) = &self.stdout {
            let name = f
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            parts.push(format!("> {name}"));
        }
        parts.join(" ")
    }

    /// The SQL statement among the arguments, if any (see `shown`).
    pub fn sql(&self) -> Option<String> {
        self.args
            .iter()
            .map(|a| a.to_string_lossy())
            .find(|a| a.len() > SQL_INLINE)
            .map(|a| a.into_owned())
    }

    fn full(&self) -> String {
        let mut s = self.program.display().to_string();
        for a in &self.args {
            s.push(' ');
            s.push_str(&quote(&a.to_string_lossy()));
        }
        if let Out::File(f) = &self.stdout {
            s.push_str(&format!(" > {}", f.display()));
        }
        s
    }

    fn stdout_stdio(&self) -> Result<Stdio> {
        Ok(match &self.stdout {
            Out::Null => Stdio::null(),
            Out::File(f) => Stdio::from(
                File::create(f).with_context(|| format!("cannot create {}", f.display()))?,
            ),
        })
    }
}

/// Arguments longer than this (SQL statements) show as `"$SQL"` in `Job::shown`.
pub const SQL_INLINE: usize = 100;

/// A path in the temporary directory by its file name; a database as `DB`.
fn short_path(p: &Path) -> String {
    let name = p
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if name.ends_with(".db") {
        "DB".to_string()
    } else {
        name
    }
}

fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Runs jobs with stderr captured in `scratch` and, when `/usr/bin/time` exists, measures peak
/// memory through it.
pub struct Runner {
    pub time: Option<PathBuf>,
    pub scratch: PathBuf,
}

impl Runner {
    fn stderr_file(&self) -> PathBuf {
        self.scratch.join("stderr.txt")
    }

    fn failure(&self, job: &Job, status: ExitStatus) -> anyhow::Error {
        let how = match (status.code(), status.signal()) {
            (Some(c), _) => format!("exit code {c}"),
            (None, Some(s)) => format!("killed by signal {s}"),
            (None, None) => "unknown status".to_string(),
        };
        let err = std::fs::read_to_string(self.stderr_file()).unwrap_or_default();
        let lines: Vec<&str> = err.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        anyhow::anyhow!("command failed ({how}): {}\n{tail}", job.full())
    }

    fn command(&self, job: &Job, time_out: Option<&Path>) -> Result<Command> {
        let mut cmd = match (time_out, &self.time) {
            (Some(out), Some(time)) => {
                let mut c = Command::new(time);
                c.arg("-f")
                    .arg("%e %M")
                    .arg("-o")
                    .arg(out)
                    .arg(&job.program);
                c
            }
            _ => Command::new(&job.program),
        };
        let err = File::create(self.stderr_file())
            .with_context(|| format!("cannot create {}", self.stderr_file().display()))?;
        cmd.args(&job.args)
            .stdin(Stdio::null())
            .stdout(job.stdout_stdio()?)
            .stderr(Stdio::from(err))
            .env_remove("STOCKROOM_DB")
            .env("NO_COLOR", "1");
        Ok(cmd)
    }

    /// Runs `job` once and times the whole process; with `rss`, wraps it in `/usr/bin/time` (when
    /// present) for its peak RSS.
    pub fn timed(&self, job: &Job, rss: bool) -> Result<Sample> {
        let time_out = self.scratch.join("time.txt");
        let wrap = rss && self.time.is_some();
        let mut cmd = self.command(job, wrap.then_some(time_out.as_path()))?;
        let start = Instant::now();
        let status = cmd
            .status()
            .with_context(|| format!("cannot start {}", job.full()))?;
        let secs = start.elapsed().as_secs_f64();
        if !status.success() {
            return Err(self.failure(job, status));
        }
        let rss_kb = if wrap {
            let text = std::fs::read_to_string(&time_out)
                .with_context(|| format!("cannot read {}", time_out.display()))?;
            // The last line holds "%e %M" (a failing child adds a line before it).
            let last = text.lines().last().unwrap_or_default();
            let kb = last
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse::<u64>().ok());
            match kb {
                Some(kb) => Some(kb),
                None => bail!("cannot read peak RSS from /usr/bin/time output {text:?}"),
            }
        } else {
            None
        };
        Ok(Sample { secs, rss_kb })
    }

    /// Runs `job` once, untimed, checking its exit status.
    pub fn run(&self, job: &Job) -> Result<()> {
        self.timed(job, false).map(|_| ())
    }

    /// Runs `job` and returns its stdout, trimmed.
    pub fn capture(&self, job: &Job) -> Result<String> {
        let mut cmd = self.command(job, None)?;
        cmd.stdout(Stdio::piped());
        let out = cmd
            .output()
            .with_context(|| format!("cannot start {}", job.full()))?;
        if !out.status.success() {
            return Err(self.failure(job, out.status));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}
