//! The `stockroom` binary: runs the library and exits with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    stockroom::run(std::env::args_os()).into()
}
