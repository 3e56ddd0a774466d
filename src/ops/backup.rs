//! `backup FILE`: SQLite's online backup into a temporary file beside FILE, checked with
//! `quick_check`, then published under FILE in one step. A crash or a failed check leaves at most
//! a stray `.partial` file, never a half-written FILE; an existing FILE is replaced only with
//! `--force`; the live database itself can never be the target.

use crate::exit::UserError;
use crate::repo::{quick_check_file, Db};
use anyhow::{Context, Result};
use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
}

/// `path` with `suffix` appended to its file name (`stock.db` -> `stock.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s: OsString = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Removes a file that may not exist.
fn remove_if_there(p: &Path) -> Result<()> {
    match std::fs::remove_file(p) {
        Err(e) if e.kind() != ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", p.display()))
        }
        _ => Ok(()),
    }
}

pub fn backup(db: &Db, dest: &Path, force: bool) -> Result<BackupReport> {
    let live = db.path();
    for part in ["", "-wal", "-shm"] {
        if same_file(dest, &with_suffix(live, part)) {
            return Err(UserError::refused(format!(
                "{} is the database itself; give the backup another name",
                dest.display()
            ))
            .into());
        }
    }
    if dest.is_dir() {
        return Err(UserError::refused(format!(
            "{} is a folder; give a file name for the backup",
            dest.display()
        ))
        .into());
    }
    if dest.exists() && !force {
        return Err(UserError::refused(format!(
            "{} already exists; choose a new name or pass --force to replace it",
            dest.display()
        ))
        .into());
    }
    let folder = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(UserError::not_found(format!(
            "no folder {} for the backup; create it first",
            folder.display()
        ))
        .into());
    }
    let tmp = with_suffix(dest, &format!(".partial-{}", std::process::id()));
    for part in ["", "-wal", "-shm", "-journal"] {
        remove_if_there(&with_suffix(&tmp, part))?;
    }
    let result = copy_and_check(db, &tmp).and_then(|()| publish(&tmp, dest, force));
    if result.is_err() {
        for part in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(with_suffix(&tmp, part));
        }
    }
    result?;
    let bytes = std::fs::metadata(dest)
        .with_context(|| format!("cannot read {}", dest.display()))?
        .len();
    Ok(BackupReport {
        path: dest.to_path_buf(),
        bytes,
    })
}

fn copy_and_check(db: &Db, tmp: &Path) -> Result<()> {
    db.backup_to(tmp)?;
    let answer = quick_check_file(tmp)?;
    if answer != ["ok"] {
        anyhow::bail!(
            "the copy in {} failed its check ({}); the backup was not kept",
            tmp.display(),
            answer.join("; ")
        );
    }
    Ok(())
}

/// Puts the checked copy under its name: without `--force` by a hard link, which fails if the
/// name was taken meanwhile, so an existing file is never replaced.
fn publish(tmp: &Path, dest: &Path, force: bool) -> Result<()> {
    // a WAL or shared-memory file left from an older file of that name would be replayed into
    // the new copy when it is opened
    if force || !dest.exists() {
        for part in ["-wal", "-shm"] {
            remove_if_there(&with_suffix(dest, part))?;
        }
    }
    if force {
        std::fs::rename(tmp, dest).with_context(|| format!("cannot write {}", dest.display()))?;
        return Ok(());
    }
    match std::fs::hard_link(tmp, dest) {
        Ok(()) => {
            std::fs::remove_file(tmp).with_context(|| format!("cannot remove {}", tmp.display()))
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(UserError::refused(format!(
            "{} already exists; choose a new name or pass --force to replace it",
            dest.display()
        ))
        .into()),
        // file systems without hard links: the existence check above has to do
        Err(_) if !dest.exists() => {
            std::fs::rename(tmp, dest).with_context(|| format!("cannot write {}", dest.display()))
        }
        Err(e) => Err(e).with_context(|| format!("cannot write {}", dest.display())),
    }
}
