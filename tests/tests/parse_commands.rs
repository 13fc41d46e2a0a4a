//! The parser against real FRR 8.4 on two kinds of lines that are not
//! plain configuration:
//!
//! - vtysh's own commands (`output file`, `do …`, `list`, `show`, …),
//!   which vtysh runs even in its dry run: a configuration holding one is
//!   refused before any of it reaches vtysh, FRR's check included, so the
//!   file `output file` names is never created;
//! - `end`, `exit` and `quit` inside blocks, which the reloader must read
//!   as `vtysh -f` does: reloading a configuration onto what `vtysh -f`
//!   made of it changes nothing.
//!
//! Needs root and FRR 8.4.
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use std::sync::Arc;

use protocol::Outcome;
use reloader::frr::VtyshCommand;
use reloader::pipeline::{reload, Settings};
use reloader::{Config, Error, FrrVersion};
use tests::fixtures::running;
use tests::frr::{require, FrrInstance, Release};
use tests::oracle;

/// `vtysh` of `frr` as the agent runs it: the long-lived session and the
/// check started ahead, both started.
fn warm(frr: &FrrInstance) -> VtyshCommand {
    let vtysh = VtyshCommand {
        warm: Some(Arc::default()),
        ..frr.vtysh()
    };
    vtysh.warm_up();
    vtysh
}

fn start() -> FrrInstance {
    FrrInstance::start_default(Release::Frr84).unwrap_or_else(|e| panic!("{e}"))
}

/// Configurations with vtysh commands in them, each with the files they
/// would create (`{dir}` is a scratch directory).
const WITH_OUTPUT_FILE: &[&str] = &[
    // The report's case: a file, then a command whose output fills it.
    "ip prefix-list A seq 5 permit any\noutput file {dir}/top\ndo list\n",
    // Inside a block, indented, abbreviated.
    "router bgp 64512\n neighbor 192.0.2.1 remote-as 64513\n outp file {dir}/outp\n do list\nexit\n",
    "route-map RM permit 10\n  ou   file {dir}/ou\n set metric 5\nexit\n",
    "ip prefix-list A seq 5 permit any\nno output file\nterm pag\n o file {dir}/o\n",
];

#[test]
#[ignore = "needs root and FRR"]
fn vtysh_commands_never_reach_vtysh() {
    require(Release::Frr84, "vtysh_commands_never_reach_vtysh");
    let frr = start();
    let dir = frr.private_dir().join("outputs");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let dir_text = dir.to_string_lossy();

    // What is at stake: FRR's own check runs `output file`.
    let probe = frr
        .write_file(
            "probe.conf",
            format!("output file {dir_text}/probe\n").as_bytes(),
        )
        .expect("probe file");
    let run = frr
        .vtysh_run(&["--dryrun", "-f", &probe.to_string_lossy()])
        .expect("vtysh --dryrun");
    assert!(
        dir.join("probe").exists(),
        "vtysh --dryrun no longer runs `output file` ({}): the danger this test guards against is gone",
        run.text()
    );

    let vtysh = warm(&frr);
    let before = running(&frr);
    for template in WITH_OUTPUT_FILE {
        let config = template.replace("{dir}", &dir_text);
        let result = reload(&vtysh, &config, &Settings::default());
        assert_eq!(result.outcome, Outcome::ConversionFailed, "{config}");
        let errors = &result.conversion.errors;
        assert!(
            errors
                .iter()
                .any(|e| e.line > 0 && e.message.starts_with("not a configuration command")),
            "{config}\n{errors:?}"
        );
        assert_eq!(running(&frr), before, "{config}");
    }
    // A good configuration afterwards goes through the session and the
    // check started ahead: nothing of the refused ones stayed in them.
    let good = "ip prefix-list A seq 5 permit any\n";
    let result = reload(&vtysh, good, &Settings::default());
    assert!(result.reload.converged, "{}", result.last_reload_result);
    let mut created: Vec<String> = std::fs::read_dir(&dir)
        .expect("read scratch dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    created.sort();
    assert_eq!(created, ["probe"], "files created in {}", dir.display());
}

/// Configurations `vtysh -f` accepts that have `end`, `exit` or `quit`
/// inside blocks; `vtysh -f` skips `end` lines and leaves one node for
/// `exit` and `quit`.
const MID_BLOCK: &[&str] = &[
    // The report's case: a live session was torn down.
    "router bgp 64512\n bgp router-id 192.0.2.1\nend\n neighbor 192.0.2.1 remote-as 64513\n",
    "router bgp 64512\n neighbor 192.0.2.1 remote-as 64513\n address-family ipv4 unicast\n  network 198.51.100.0/24\n end\n  network 203.0.113.0/24\n exit-address-family\n neighbor 192.0.2.2 remote-as 64514\nexit\n",
    "route-map RM permit 10\n match ip address prefix-list A\nend\n set metric 5\nexit\nip prefix-list A seq 5 permit any\n",
    "interface lo\n description loopback\n  end\n ip address 192.0.2.9/32\nexit\n",
    "bfd\n peer 192.0.2.7\n  detect-multiplier 5\n  end\n  receive-interval 600\n exit\nexit\n",
    // `exit` and `quit` leave one node.
    "router bgp 64512\n neighbor 192.0.2.1 remote-as 64513\n address-family ipv4 unicast\n  network 198.51.100.0/24\n  exit\n neighbor 192.0.2.2 remote-as 64514\nexit\nip prefix-list A seq 5 permit any\n",
    "router bgp 64512\n neighbor 192.0.2.1 remote-as 64513\n address-family ipv4 unicast\n  network 198.51.100.0/24\n  quit\n neighbor 192.0.2.2 remote-as 64514\nquit\nip prefix-list B seq 5 permit any\n",
    // `end` at the top level, and the running configuration's final one.
    "ip prefix-list A seq 5 permit any\nend\nip prefix-list B seq 5 permit any\nend\n",
];

#[test]
#[ignore = "needs root and FRR"]
fn end_exit_and_quit_are_read_as_vtysh_f_reads_them() {
    require(
        Release::Frr84,
        "end_exit_and_quit_are_read_as_vtysh_f_reads_them",
    );
    let frr = start();
    let mut failures = Vec::new();
    for config in MID_BLOCK {
        frr.restart_with("").unwrap_or_else(|e| panic!("{e}"));
        if let Err(e) = reload_onto_vtysh_f(&frr, config) {
            failures.push(format!("{config}\n  {e}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Loads `config` with `vtysh -f`, then reloads `config` onto that: the
/// reload must change nothing.
fn reload_onto_vtysh_f(frr: &FrrInstance, config: &str) -> Result<(), String> {
    let loaded = frr.load(config)?;
    if !loaded.ok() || !loaded.stderr.trim().is_empty() {
        return Err(format!("vtysh -f refused it: {}", loaded.text()));
    }
    let by_vtysh = running(frr);
    let result = reload(&frr.vtysh(), config, &Settings::default());
    let delta = &result.delta;
    if !delta.delete.is_empty() || !delta.add.is_empty() {
        return Err(format!(
            "the reload sent\n{}(running after vtysh -f:\n{by_vtysh})",
            delta.script
        ));
    }
    if !result.reload.converged {
        return Err(result.last_reload_result);
    }
    oracle::compare(&running(frr), &by_vtysh, FrrVersion::default()).map_err(|m| m.summary(10))
}

/// Configurations where vtysh leaves configuration mode (a top-level
/// `exit` or `quit`) before more of it: FRR 8.4 refuses the lines after
/// it, or, after a second `exit`, vtysh ends without reading them (its
/// check passes); FRR 10.4 stops reading at the first `exit`. The parser
/// refuses such a text.
const LEAVES_CONFIG: &[&str] = &[
    "ip prefix-list A seq 5 permit any\nexit\nip prefix-list B seq 5 permit any\n",
    "ip prefix-list A seq 5 permit any\nexit\nexit\nip prefix-list B seq 5 permit any\n",
    "router bgp 64512\n neighbor 192.0.2.1 remote-as 64513\nexit\nquit\nip prefix-list B seq 5 permit any\n",
];

#[test]
#[ignore = "needs root and FRR"]
fn configuration_after_leaving_configuration_mode_is_refused() {
    for config in LEAVES_CONFIG {
        let err = Config::parse(config).expect_err(config);
        assert!(matches!(err, Error::Parse { .. }), "{err}");
    }
    require(
        Release::Frr84,
        "configuration_after_leaving_configuration_mode_is_refused",
    );
    let frr = start();
    let before = running(&frr);
    for config in LEAVES_CONFIG {
        let result = reload(&frr.vtysh(), config, &Settings::default());
        assert_eq!(result.outcome, Outcome::ConversionFailed, "{config}");
        assert_eq!(running(&frr), before, "{config}");
    }
}
