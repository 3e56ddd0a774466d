//! The repository: the only code that speaks SQL. It opens the database (pragmas, migrations),
//! runs every write in one `BEGIN IMMEDIATE` transaction, and offers typed queries per aggregate.

mod doctor;
mod import;
mod master;
mod purchase;
mod report;
mod sales;
mod stock;

pub use doctor::*;
pub use import::*;
pub use master::*;
pub use purchase::*;
pub use sales::*;
pub use stock::*;

use crate::exit::{Exit, UserError};
use anyhow::{Context, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema of a new database.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// Steps that carry a file of version `n - 1` to version `n`, in order.
pub const MIGRATIONS: &[(i64, &str)] = &[(2, include_str!("migrations/0002_orders.sql"))];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = 2;

static SQL_TRACE: std::sync::OnceLock<std::sync::Mutex<std::fs::File>> = std::sync::OnceLock::new();

fn trace_sql(sql: &str) {
    use std::io::Write;
    if let Some(Ok(mut f)) = SQL_TRACE.get().map(|m| m.lock()) {
        let _ = writeln!(f, "{}", sql.replace(['\n', '\r'], " "));
    }
}

/// Who is changing the database, for the event log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub at: String,
    pub os_user: String,
    pub command: String,
}

/// An open database.
pub struct Db {
    conn: Connection,
    path: PathBuf,
    actor: Actor,
    wait_secs: u32,
}

/// A connection inside a transaction, carrying the actor for event rows. Every query lives in an
/// `impl Conn` block in this module's files.
pub struct Conn<'a> {
    c: &'a Connection,
    actor: &'a Actor,
}

impl Db {
    /// Creates the database (and its folder) if it does not exist; harmless on an existing one.
    /// Safe when several processes run it on the same new path at once: the schema is applied in
    /// one IMMEDIATE transaction by whichever gets the lock first.
    /// Returns the database and whether it was created.
    pub fn init(
        path: &Path,
        wait_secs: u32,
        actor: Actor,
        seed: &[(&str, String)],
    ) -> Result<(Db, bool)> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot create the database {}", path.display()))?;
        let mut db = Db {
            conn,
            path: path.to_path_buf(),
            actor,
            wait_secs,
        };
        db.conn
            .busy_timeout(Duration::from_secs(u64::from(wait_secs)))?;
        let created = db
            .write(|c| {
                if c.user_version()? != 0 {
                    return Ok(false);
                }
                if c.table_count()? != 0 {
                    return Err(not_stockroom(path));
                }
                c.c.execute_batch(SCHEMA)?;
                c.c.execute(
                    "INSERT INTO warehouses (code, name) VALUES ('MAIN', 'Main warehouse')",
                    [],
                )?;
                for (k, v) in seed {
                    c.set_setting(k, v)?;
                }
                c.event("warehouse:MAIN", "created", "default warehouse")?;
                c.event(
                    "config",
                    "initialized",
                    &format!("schema version {SCHEMA_VERSION}"),
                )?;
                Ok(true)
            })
            .map_err(|e| db.explain_open_error(e))?;
        db.check_version()?;
        db.apply_pragmas()?;
        Ok((db, created))
    }

    /// Opens an existing database, refusing a missing file, a file that is not a Stockroom
    /// database and one from a newer Stockroom; migrates an older one forward. A refused file is
    /// left exactly as it was.
    pub fn open(path: &Path, wait_secs: u32, actor: Actor) -> Result<Db> {
        if !path.is_file() {
            return Err(UserError::not_found(format!(
                "no database at {}; create it with `stockroom init --db {}` (or set --db / STOCKROOM_DB to the right file)",
                path.display(),
                path.display()
            ))
            .into());
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open the database {}", path.display()))?;
        let mut db = Db {
            conn,
            path: path.to_path_buf(),
            actor,
            wait_secs,
        };
        db.conn
            .busy_timeout(Duration::from_secs(u64::from(wait_secs)))?;
        db.check_version()?;
        db.apply_pragmas().map_err(|e| db.explain_open_error(e))?;
        Ok(db)
    }

    /// Refuses files that are not (yet) Stockroom databases or are newer than this binary, before
    /// anything is written; migrates older ones.
    fn check_version(&mut self) -> Result<()> {
        let version = self
            .conn()
            .user_version()
            .map_err(|e| self.explain_open_error(e))?;
        if version == 0 {
            return Err(not_stockroom(&self.path));
        }
        if version > SCHEMA_VERSION {
            return Err(UserError::refused(format!(
                "{} was written by a newer Stockroom (schema version {version}, this binary knows {SCHEMA_VERSION}); upgrade stockroom to use it",
                self.path.display()
            ))
            .into());
        }
        if version < SCHEMA_VERSION {
            self.migrate()?;
        }
        Ok(())
    }

    fn explain_open_error(&self, e: anyhow::Error) -> anyhow::Error {
        let code = e
            .downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error_code);
        match code {
            Some(ErrorCode::NotADatabase) => UserError::not_found(format!(
                "{} is not a SQLite database (nor a Stockroom one); point --db at your Stockroom file or create one with `stockroom init --db NEW_PATH`",
                self.path.display()
            ))
            .into(),
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => UserError::refused(format!(
                "{} cannot be opened for writing (read-only file or folder); check its permissions",
                self.path.display()
            ))
            .into(),
            _ => e,
        }
    }

    fn apply_pragmas(&mut self) -> Result<()> {
        // Switching to WAL needs a moment with no other connection; SQLite does not wait for that
        // through the busy handler, so retry until --wait runs out.
        let deadline = std::time::Instant::now() + Duration::from_secs(u64::from(self.wait_secs));
        loop {
            match self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            {
                Ok(mode) if mode.eq_ignore_ascii_case("wal") => break,
                Ok(mode) => anyhow::bail!(
                    "could not switch {} to WAL journal mode (got {mode})",
                    self.path.display()
                ),
                Err(e)
                    if matches!(
                        e.sqlite_error_code(),
                        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                    ) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(e.into()),
            }
        }
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;",
        )?;
        self.conn.set_prepared_statement_cache_capacity(64);
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.display().to_string();
        self.write(|c| {
            let mut version = c.user_version()?;
            for (to, sql) in MIGRATIONS {
                if *to > version {
                    c.c.execute_batch(sql)
                        .with_context(|| format!("migrating {path} to schema version {to}"))?;
                    c.c.pragma_update(None, "user_version", to)?;
                    c.event(
                        "config",
                        "migrated",
                        &format!("schema version {version} -> {to}"),
                    )?;
                    version = *to;
                }
            }
            Ok(())
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends every SQL statement this connection runs, parameters filled in, one per line to
    /// `file` (`STOCKROOM_TRACE_SQL`): for debugging, and for the test that checks interactive
    /// commands use indexes.
    pub fn trace_sql_to(&mut self, file: &Path) -> Result<()> {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .with_context(|| format!("cannot write the SQL trace {}", file.display()))?;
        let _ = SQL_TRACE.set(std::sync::Mutex::new(f));
        self.conn.trace(Some(trace_sql));
        Ok(())
    }

    pub fn wait_secs(&self) -> u32 {
        self.wait_secs
    }

    /// A connection for reads outside a transaction (each statement sees a consistent snapshot).
    pub fn conn(&self) -> Conn<'_> {
        Conn {
            c: &self.conn,
            actor: &self.actor,
        }
    }

    /// Runs `f` in one read transaction: every query in it sees the same snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&Conn {
            c: &tx,
            actor: &self.actor,
        })?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in a deferred transaction meant for this connection's TEMP tables (staging an
    /// import): it takes no lock that would stop other processes writing.
    pub fn stage<T>(&mut self, f: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        self.read(f)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: it commits when `f` succeeds and rolls back
    /// (changing nothing) when it fails. Waits up to `--wait` for other writers.
    pub fn write<T>(&mut self, f: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&Conn {
            c: &tx,
            actor: &self.actor,
        })?;
        tx.commit()?;
        Ok(out)
    }

    /// Copies the whole database to `dest` with SQLite's online backup (safe while others write).
    /// All pages are copied in one step under one read lock, so the copy is one consistent
    /// snapshot and a busy writer can never make the backup start over again and again (which a
    /// page-by-page backup does whenever another process writes between its steps).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        use rusqlite::backup::{Backup, StepResult};
        let context = || format!("backing up to {}", dest.display());
        let mut dst = Connection::open(dest).with_context(context)?;
        let deadline =
            std::time::Instant::now() + Duration::from_secs(u64::from(self.wait_secs.max(1)));
        let backup = Backup::new(&self.conn, &mut dst).with_context(context)?;
        loop {
            match backup.step(-1).with_context(context)? {
                StepResult::Done => return Ok(()),
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        None,
                    ))
                    .with_context(context)
                }
            }
        }
    }
}

fn not_stockroom(path: &Path) -> anyhow::Error {
    UserError::not_found(format!(
        "{} is a SQLite file but not a Stockroom database; point --db at your Stockroom file or create one with `stockroom init --db NEW_PATH`",
        path.display()
    ))
    .into()
}

impl Conn<'_> {
    /// Runs a (cached) query and collects its rows through `map`.
    pub(crate) fn collect<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.c.prepare_cached(sql)?;
        let rows = st.query_map(params, map)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn user_version(&self) -> Result<i64> {
        Ok(self.c.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn table_count(&self) -> Result<i64> {
        Ok(self
            .c
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?)
    }

    /// Appends one row to the event log.
    pub fn event(&self, doc: &str, action: &str, detail: &str) -> Result<()> {
        let mut st = self.c.prepare_cached(
            "INSERT INTO events (at, os_user, command, doc, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        st.execute((
            &self.actor.at,
            &self.actor.os_user,
            &self.actor.command,
            doc,
            action,
            detail,
        ))?;
        Ok(())
    }

    /// The schema as `(type, name, sql)` rows, for comparing a migrated file with a new one.
    pub fn schema_objects(&self) -> Result<Vec<(String, String, String)>> {
        let mut st = self.c.prepare(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The exit code for a database error, if it is one with a documented meaning.
pub fn classify(err: &(dyn std::error::Error + 'static)) -> Option<Exit> {
    let e = err.downcast_ref::<rusqlite::Error>()?;
    match e.sqlite_error_code()? {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(Exit::Busy),
        ErrorCode::ReadOnly => Some(Exit::Refused),
        ErrorCode::NotADatabase => Some(Exit::NotFound),
        _ => None,
    }
}

/// A one-line explanation for a database error with a documented meaning.
pub fn explain(err: &anyhow::Error, path: &Path, wait_secs: u32) -> Option<String> {
    let e = err
        .chain()
        .find_map(|c| c.downcast_ref::<rusqlite::Error>())?;
    match e.sqlite_error_code()? {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(format!(
            "the database {} stayed locked by another stockroom process for more than --wait {wait_secs}s; nothing was changed; retry later (or raise --wait)",
            path.display()
        )),
        ErrorCode::ReadOnly => Some(format!(
            "the database {} is read-only (file or folder permissions); nothing was changed",
            path.display()
        )),
        ErrorCode::DatabaseCorrupt => Some(format!(
            "the database {} is damaged (SQLite: {e}); nothing was changed. Run `stockroom --db {} doctor` to see what, \
             and restore the last good backup (README, Reliability)",
            path.display(),
            path.display()
        )),
        ErrorCode::DiskFull => Some(format!(
            "the disk holding {} is full; nothing was changed; free some space and retry",
            path.display()
        )),
        _ => None,
    }
}

/// Helper for optional rows.
pub(crate) fn opt<T>(r: rusqlite::Result<T>) -> rusqlite::Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::Exit;

    /// As root, file modes cannot make a database read-only for a test; a connection opened
    /// read-only gets the very error SQLite gives a writer on a read-only file.
    #[test]
    fn a_write_to_a_read_only_database_is_refused_with_a_clear_message() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("ro.db");
        Connection::open(&path)?.execute_batch("CREATE TABLE t (x INTEGER)")?;
        let c = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let err = anyhow::Error::from(
            c.execute("INSERT INTO t VALUES (1)", [])
                .err()
                .ok_or_else(|| anyhow::anyhow!("the write went through"))?,
        );
        assert_eq!(crate::exit::classify(&err), Exit::Refused);
        let msg = explain(&err, &path, 30).unwrap_or_default();
        assert!(
            msg.contains("read-only") && msg.contains("nothing was changed"),
            "{msg}"
        );
        Ok(())
    }

    #[test]
    fn a_damaged_database_is_explained() {
        let e = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            None,
        );
        let err = anyhow::Error::from(e);
        assert_eq!(crate::exit::classify(&err), Exit::Failure);
        let msg = explain(&err, Path::new("x.db"), 30).unwrap_or_default();
        assert!(msg.contains("damaged") && msg.contains("doctor"), "{msg}");
    }
}
