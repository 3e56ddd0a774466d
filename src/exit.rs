//! Exit codes are an API (SPEC §6): one enum, and one classifier from an error to its code.

use std::fmt;
use std::process::ExitCode;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Failure = 1,
    Usage = 2,
    Refused = 3,
    NotFound = 4,
    Partial = 5,
    Busy = 75,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// An error a user can act on: its exit code and a message that names the thing and the way forward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    pub code: Exit,
    pub message: String,
}

impl UserError {
    pub fn new(code: Exit, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(Exit::Refused, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Exit::NotFound, message)
    }
    pub fn partial(message: impl Into<String>) -> Self {
        Self::new(Exit::Partial, message)
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Returns early with a refused (exit 3) error.
#[macro_export]
macro_rules! refuse {
    ($($arg:tt)*) => {
        return Err($crate::exit::UserError::refused(format!($($arg)*)).into())
    };
}

/// Returns early with a not-found (exit 4) error.
#[macro_export]
macro_rules! not_found {
    ($($arg:tt)*) => {
        return Err($crate::exit::UserError::not_found(format!($($arg)*)).into())
    };
}

/// Maps any error to its exit code. Invalid values from the core are refusals; a locked database is
/// busy; a closed stdout is not a failure at all.
pub fn classify(err: &anyhow::Error) -> Exit {
    for cause in err.chain() {
        if let Some(u) = cause.downcast_ref::<UserError>() {
            return u.code;
        }
        if cause.is::<stockroom_core::NumError>()
            || cause.is::<stockroom_core::IdentError>()
            || cause.is::<stockroom_core::DateError>()
            || cause.is::<stockroom_core::settings::SettingError>()
        {
            return Exit::Refused;
        }
        if is_broken_pipe(cause) {
            return Exit::Ok;
        }
        if let Some(code) = crate::repo::classify(cause) {
            return code;
        }
    }
    Exit::Failure
}

/// A closed stdout, however the writer wrapped it (plain io, the csv crate, serde_json).
fn is_broken_pipe(cause: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        return io.kind() == BrokenPipe;
    }
    if let Some(e) = cause.downcast_ref::<csv::Error>() {
        return matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe);
    }
    if let Some(e) = cause.downcast_ref::<serde_json::Error>() {
        return e.io_error_kind() == Some(BrokenPipe);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_errors_to_documented_codes() {
        let cases: Vec<(anyhow::Error, Exit)> = vec![
            (UserError::usage("x").into(), Exit::Usage),
            (UserError::refused("x").into(), Exit::Refused),
            (UserError::not_found("x").into(), Exit::NotFound),
            (UserError::partial("x").into(), Exit::Partial),
            (
                stockroom_core::NumError::Empty { what: "x" }.into(),
                Exit::Refused,
            ),
            (stockroom_core::IdentError::EmptySku.into(), Exit::Refused),
            (
                csv::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe)).into(),
                Exit::Ok,
            ),
            (
                serde_json::Error::io(std::io::Error::from(std::io::ErrorKind::BrokenPipe)).into(),
                Exit::Ok,
            ),
            (
                std::io::Error::from(std::io::ErrorKind::BrokenPipe).into(),
                Exit::Ok,
            ),
            (
                std::io::Error::from(std::io::ErrorKind::PermissionDenied).into(),
                Exit::Failure,
            ),
            (anyhow::anyhow!("bug"), Exit::Failure),
            (
                anyhow::Error::from(UserError::not_found("inner")).context("outer"),
                Exit::NotFound,
            ),
        ];
        for (err, code) in cases {
            assert_eq!(classify(&err), code, "{err:#}");
        }
    }

    #[test]
    fn exit_code_numbers_are_the_documented_ones() {
        let codes = [
            (Exit::Ok, 0),
            (Exit::Failure, 1),
            (Exit::Usage, 2),
            (Exit::Refused, 3),
            (Exit::NotFound, 4),
            (Exit::Partial, 5),
            (Exit::Busy, 75),
        ];
        for (e, n) in codes {
            assert_eq!(e as u8, n);
        }
    }
}
