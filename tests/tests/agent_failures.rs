//! The agent when a reload does not converge, and when FRR drifts, against
//! real FRR 8.4: retry with backoff (every attempt reported, bounded),
//! `--on-failure rollback` (both results reported, FRR back on the last
//! converged configuration), and the periodic resync that finds a change
//! made by hand and converges again.
//!
//! Non-convergence is made on purpose by a vtysh wrapper that silently
//! drops the line adding the neighbor 192.0.2.99 from every script, as
//! FRR does with some commands it ignores.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::Duration;

use protocol::{ApplyResult, Outcome, Trigger};
use tests::agent::{wait_for, Agent, AgentDirs, AgentOptions, Events};
use tests::fixtures::{frr, running, RECEIVE_DENY};
use tests::frr::{require, FrrInstance, Release};

/// The line the wrapper never lets through.
const MARK: &str = "neighbor 192.0.2.99 remote-as 64699";

/// RECEIVE_DENY plus the marked neighbor.
fn marked() -> String {
    let anchor = "  neighbor 192.0.2.2 remote-as 64600\n";
    assert!(RECEIVE_DENY.contains(anchor));
    RECEIVE_DENY.replace(anchor, &format!("{anchor}  {MARK}\n"))
}

/// A vtysh that drops the lines adding [`MARK`] from every script (`-f
/// FILE`, or typed into an interactive vtysh: the agent's session) and
/// runs the real one with the rest.
fn dropping_vtysh(frr: &FrrInstance) -> PathBuf {
    let real = frr.vtysh().program;
    let script = format!(
        "#!/bin/bash\n\
         args=()\n\
         next=\n\
         kept=\n\
         interactive=1\n\
         for a in \"$@\"; do\n\
         \x20 if [ \"$next\" = 1 ]; then\n\
         \x20   kept=$(mktemp); grep -v '^ *{MARK}' \"$a\" > \"$kept\"; a=$kept\n\
         \x20 fi\n\
         \x20 if [ \"$a\" = -f ]; then next=1; else next=; fi\n\
         \x20 case \"$a\" in -f|-c) interactive=;; esac\n\
         \x20 args+=(\"$a\")\n\
         done\n\
         if [ -n \"$interactive\" ]; then\n\
         \x20 grep --line-buffered -v '^ *{MARK}' | {real} \"${{args[@]}}\"\n\
         \x20 exit\n\
         fi\n\
         {real} \"${{args[@]}}\"\n\
         rc=$?\n\
         [ -n \"$kept\" ] && rm -f \"$kept\"\n\
         exit $rc\n",
        real = real.display()
    );
    let path = frr
        .write_file("vtysh-dropping", script.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    path
}

/// The next result on the stream, or `None` when none comes in `timeout`.
fn next_result(events: &mut Events, timeout: Duration) -> Option<ApplyResult> {
    loop {
        let line = events.next_line(timeout).ok()?;
        if let Ok(result) = serde_json::from_str(&line) {
            return Some(result);
        }
    }
}

#[test]
#[ignore = "needs root and FRR"]
fn retries_are_reported_and_bounded() {
    require(Release::Frr84, "retries_are_reported_and_bounded");
    let frr = frr();
    let dirs = AgentDirs::new();
    let options = AgentOptions {
        vtysh: Some(dropping_vtysh(&frr)),
        extra: ["--on-failure", "retry", "--retry-max", "2"]
            .map(String::from)
            .to_vec(),
        ..AgentOptions::default()
    };
    let agent = Agent::start(&frr, &dirs, &options);
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    let mut events = agent.events();

    let response = agent.put_config(&marked());
    assert_eq!(response.status, 500, "{}", response.text());
    let failed: ApplyResult = response.json();
    assert_eq!(failed.outcome, Outcome::NotConverged);
    assert!(
        failed.residue.iter().any(|c| c.command == MARK),
        "the residue names the line FRR did not take: {:?}",
        failed.residue
    );
    assert_eq!(
        next_result(&mut events, Duration::from_secs(5)).map(|r| r.trigger),
        Some(Trigger::Api)
    );
    // Backoff 1 s, then 2 s: two retries, each reported, then no more.
    let mut retries = Vec::new();
    while let Some(result) = next_result(&mut events, Duration::from_secs(6)) {
        assert_eq!(result.trigger, Trigger::Retry, "{result:?}");
        assert_eq!(result.outcome, Outcome::NotConverged);
        assert_eq!(result.sha256, failed.sha256);
        retries.push(result.finished_at_ms);
    }
    assert_eq!(retries.len(), 2, "--retry-max 2");
    let gap = retries[1] - retries[0];
    assert!(
        gap >= 1_900,
        "the second retry waits longer (2 s): {gap} ms"
    );
    let status = agent.status();
    assert!(!status.converged);
    assert!(
        status.last_reload_result.contains("not converged"),
        "{}",
        status.last_reload_result
    );
    assert!(!running(&frr).contains("192.0.2.99"));
}

#[test]
#[ignore = "needs root and FRR"]
fn rollback_restores_the_last_converged_configuration() {
    require(
        Release::Frr84,
        "rollback_restores_the_last_converged_configuration",
    );
    let frr = frr();
    let dirs = AgentDirs::new();
    let options = AgentOptions {
        vtysh: Some(dropping_vtysh(&frr)),
        extra: ["--on-failure", "rollback"].map(String::from).to_vec(),
        ..AgentOptions::default()
    };
    let agent = Agent::start(&frr, &dirs, &options);
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    let good = running(&frr);

    // The failing configuration also changes a prefix-list, which FRR
    // takes: the rollback has to undo that.
    let bad = marked().replace("seq 1 deny any", "seq 1 permit any");
    let response = agent.put_config(&bad);
    assert_eq!(response.status, 500, "{}", response.text());
    let result: ApplyResult = response.json();
    assert_eq!(result.outcome, Outcome::NotConverged);
    let rollback = result.rollback.expect("the rollback's result is reported");
    assert_eq!(rollback.trigger, Trigger::Rollback);
    assert_eq!(
        rollback.outcome,
        Outcome::Converged,
        "{}",
        rollback.last_reload_result
    );
    assert!(rollback.delta.stats.adds + rollback.delta.stats.deletes > 0);
    assert_eq!(
        running(&frr),
        good,
        "FRR is back on the last converged configuration"
    );
}

#[test]
#[ignore = "needs root and FRR"]
fn resync_converges_a_change_made_by_hand() {
    require(Release::Frr84, "resync_converges_a_change_made_by_hand");
    let frr = frr();
    let dirs = AgentDirs::new();
    let options = AgentOptions {
        resync_interval: Some(2),
        ..AgentOptions::default()
    };
    let agent = Agent::start(&frr, &dirs, &options);
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    let good = running(&frr);
    let mut events = agent.events();

    let by_hand = frr
        .vtysh_run(&[
            "-c",
            "configure terminal",
            "-c",
            "no ip prefix-list 192.0.2.2-inpl-ipv4",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(by_hand.ok(), "{}", by_hand.text());
    assert_ne!(running(&frr), good);

    let fixed = wait_for(Duration::from_secs(15), "a resync that converges", || {
        let result = next_result(&mut events, Duration::from_secs(5))?;
        (result.trigger == Trigger::Resync && result.delta.stats.adds > 0).then_some(result)
    });
    assert_eq!(fixed.outcome, Outcome::Converged);
    assert_eq!(running(&frr), good);
    assert!(agent.log_text().contains("drift"), "the drift is logged");
    // Nothing changed by hand since: the next resyncs send nothing.
    let quiet = wait_for(Duration::from_secs(10), "a quiet resync", || {
        next_result(&mut events, Duration::from_secs(5)).filter(|r| r.trigger == Trigger::Resync)
    });
    assert!(quiet.delta.is_empty(), "{}", quiet.delta.script);
}
