//! A clerk at a terminal: `so confirm` with a shortfall asks "Create a backorder now?", and a line
//! without a vendor gets a selection of vendors. Runs the binary under `script` (a real
//! pseudo-terminal) and types the answers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `stockroom ARGS` on a pseudo-terminal, typing `keys` after a moment; returns the screen.
fn at_terminal(env: &Env, args: &str, keys: &[&str]) -> String {
    let cmd = format!("{BIN} --db {} {args} -o /dev/null", env.db.display());
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("HOME", env.dir())
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs the command on a pseudo-terminal");
    let mut stdin = child.stdin.take().unwrap();
    for k in keys {
        std::thread::sleep(Duration::from_millis(700));
        stdin.write_all(k.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    std::thread::sleep(Duration::from_millis(700));
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn shop(vendor_on_item: bool) -> Env {
    let env = Env::init();
    env.ok(&["vendor", "add", "Acme"]);
    env.ok(&["customer", "add", "Bob"]);
    let mut item = vec![
        "item",
        "add",
        "N-3",
        "--name",
        "N",
        "--rate",
        "1",
        "--purchase-rate",
        "1",
    ];
    if vendor_on_item {
        item.extend(["--vendor", "Acme"]);
    }
    env.ok(&item);
    env.ok(&["so", "create", "--customer", "Bob", "--item", "N-3:2"]);
    env
}

fn po_count(env: &Env) -> usize {
    env.json(&["po", "list"]).as_array().unwrap().len()
}

#[test]
fn a_clerk_answers_yes_and_gets_the_backorder() {
    let env = shop(true);
    let screen = at_terminal(&env, "so confirm SO-00001", &["y"]);
    assert!(screen.contains("Create a backorder now?"), "{screen}");
    assert!(screen.contains("Created PO-00001"), "{screen}");
    assert_eq!(po_count(&env), 1);
    assert_eq!(env.json(&["so", "show", "SO-00001"])["status"], "on_hold");
}

#[test]
fn a_clerk_answers_no_and_gets_the_hint() {
    let env = shop(true);
    let screen = at_terminal(&env, "so confirm SO-00001", &["n"]);
    assert!(screen.contains("Create a backorder now?"), "{screen}");
    assert!(
        screen.contains("stockroom backorder create SO-00001"),
        "{screen}"
    );
    assert_eq!(po_count(&env), 0);
    assert_eq!(env.json(&["so", "show", "SO-00001"])["status"], "confirmed");
}

#[test]
fn a_line_without_vendor_is_a_selection_at_a_terminal() {
    let env = shop(false);
    env.ok(&["so", "confirm", "SO-00001", "--no-backorder"]);
    let screen = at_terminal(&env, "backorder create SO-00001", &["\r"]);
    assert!(screen.contains("Vendor for N-3"), "{screen}");
    let po = env.json(&["po", "show", "PO-00001"]);
    assert_eq!(po["vendor"], "Acme", "{screen}");
    // without a terminal the same command is refused, naming the flag
    let env = shop(false);
    env.ok(&["so", "confirm", "SO-00001", "--no-backorder"]);
    env.fails(&["backorder", "create", "SO-00001"], REFUSED)
        .stderr_has(&["N-3", "--vendor"]);
}
