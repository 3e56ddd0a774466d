//! The command line itself (SPEC §4, §5, §6): global flags anywhere, usage errors exit 2, stdout
//! is data and stderr conversation, `-q`, `--no-input`, completions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn global_flags_are_accepted_anywhere_on_the_line() {
    let env = Env::with_item("W-1");
    let db = env.db.to_str().unwrap();
    for args in [
        &[
            "--format",
            "json",
            "-q",
            "--no-input",
            "-y",
            "--color",
            "never",
            "--wait",
            "5",
            "stock",
            "adjust",
            "W-1",
            "1",
        ][..],
        &[
            "stock",
            "--format",
            "json",
            "-q",
            "adjust",
            "--no-input",
            "W-1",
            "1",
        ],
        &[
            "stock",
            "adjust",
            "W-1",
            "1",
            "--format",
            "json",
            "-q",
            "--no-input",
            "-y",
            "--color",
            "never",
            "--wait",
            "5",
        ],
        &[
            "stock",
            "adjust",
            "W-1",
            "-1",
            "--no-input",
            "--format=json",
            "--quiet",
            "--yes",
        ],
    ] {
        let mut c = env.command();
        c.args(args).args(["--db", db]);
        let out = env.output(c, args);
        out.expect(OK);
        assert!(out.json().is_object(), "{out:?}");
        assert_eq!(out.stderr, "", "-q silences the message\n{out:?}");
    }
    assert_eq!(env.on_hand("W-1", "MAIN"), "2");
}

#[test]
fn stdout_is_data_and_stderr_is_conversation() {
    let env = Env::init();
    let out = env.run(&["vendor", "add", "Acme", "--format", "csv"]);
    out.expect(OK);
    assert_eq!(
        out.stdout,
        "name,email,address,lead_time_days\r\nAcme,,,\r\n"
    );
    assert_eq!(out.stderr, "Added vendor Acme\n");
    let out = env.run(&["vendor", "list", "--format", "csv"]);
    assert_eq!(out.stderr, "", "a read says nothing on stderr");
    let out = env.run(&["vendor", "add", "acme"]);
    out.expect(REFUSED);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.starts_with("error: "), "{out:?}");
    assert_eq!(out.stderr.lines().count(), 1, "one message\n{out:?}");
}

#[test]
fn quiet_silences_messages_on_success_but_never_errors() {
    let env = Env::new();
    let out = env.run(&["-q", "init"]);
    out.expect(OK);
    assert_eq!(out.stderr, "");
    for args in [
        &["vendor", "add", "Acme", "-q"][..],
        &["-q", "customer", "add", "Bob"],
        &["warehouse", "add", "EAST", "--name", "East", "--quiet"],
        &[
            "item",
            "add",
            "W-1",
            "--name",
            "W",
            "--rate",
            "1",
            "--purchase-rate",
            "1",
            "-q",
        ],
        &["stock", "adjust", "W-1", "3", "-q"],
        &["config", "set", "hold_release", "received", "-q"],
        &["init", "-q"],
    ] {
        let out = env.run(args);
        out.expect(OK);
        assert_eq!(out.stderr, "", "{out:?}");
        assert!(
            !out.stdout.is_empty() || args.contains(&"init"),
            "data still goes to stdout\n{out:?}"
        );
    }
    env.fails(&["vendor", "add", "Acme", "-q"], REFUSED)
        .stderr_has(&["error:", "already exists"]);
    env.fails(&["-q", "stock", "adjust", "W-1", "-5"], REFUSED)
        .stderr_has(&["error:"]);
    env.fails(&["-q", "item", "show", "NOPE"], NOT_FOUND)
        .stderr_has(&["error:", "NOPE"]);
    let missing = Env::new();
    missing
        .fails(&["-q", "item", "list"], NOT_FOUND)
        .stderr_has(&["stockroom init"]);
}

#[test]
fn no_input_runs_without_a_terminal_and_never_waits_for_one() {
    let env = Env::with_item("W-1");
    for args in [
        &["--no-input", "item", "list"][..],
        &["stock", "adjust", "W-1", "2", "--no-input"],
        &["vendor", "add", "Bolt", "--no-input", "-y"],
    ] {
        env.run(args).expect(OK);
    }
}

#[test]
fn bad_usage_exits_2_and_changes_nothing() {
    let env = Env::with_item("W-1");
    let before = env.dump();
    for args in [
        &["--frobnicate", "item", "list"][..],
        &["item", "list", "--frobnicate"],
        &["item", "frobnicate"],
        &["frobnicate"],
        &[],
        &["item"],
        &["--format", "xml", "item", "list"],
        &["--color", "sometimes", "item", "list"],
        &["--wait", "-1", "item", "list"],
        &["--wait", "soon", "item", "list"],
        &["--wait", "86401", "item", "list"],
        &["stock", "adjust", "W-1"],
        &["stock", "adjust", "W-1", "1", "extra"],
        &["stock", "adjust", "W-1", "1", "--warehouse"],
        &["item", "add", "X", "--name", "X", "--rate", "1"],
        &["vendor", "add", "Bolt", "--lead-time-days", "-1"],
        &["completions", "powershell-ish"],
        &["--bom", "item", "list"],
    ] {
        let out = env.run(args);
        assert_eq!(out.code, USAGE, "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        assert!(
            !out.stderr.is_empty(),
            "a usage error says what is wrong\n{out:?}"
        );
    }
    assert_eq!(env.dump(), before);
}

#[test]
fn help_and_version_exit_0_on_stdout() {
    let env = Env::new();
    let out = env.run_no_db(&["--help"]);
    out.expect(OK);
    assert!(out.stdout.contains("Usage: stockroom"), "{out:?}");
    assert!(
        out.stdout.contains("75 busy"),
        "exit codes are in the help\n{out:?}"
    );
    let out = env.run_no_db(&["stock", "adjust", "--help"]);
    out.expect(OK);
    assert!(out.stdout.contains("--release-reservations"));
    let out = env.run_no_db(&["--version"]);
    out.expect(OK);
    assert!(out.stdout.starts_with("stockroom "), "{out:?}");
}

#[test]
fn completions_print_a_script_for_each_shell_without_a_database() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.run(&["completions", shell]);
        out.expect(OK);
        assert!(out.stdout.contains("stockroom"), "{shell}\n{out:?}");
        assert!(
            out.stdout.contains("adjust"),
            "{shell} completes subcommands"
        );
        assert_eq!(out.stderr, "");
    }
    assert!(!env.db.exists(), "completions never touch the database");
}
