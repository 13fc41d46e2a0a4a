//! The frr-k8s / MetalLB file contract as their controller reads it:
//! every outcome reaches `.status`, `last-error` and `running-config`,
//! whatever started the reload (a SIGHUP, the agent's start, an FRR
//! restart, a resync), and a new epoch is written only when what the files
//! say changes. The real agent against a real FRR 8.4.
//!
//! They need root (network namespaces, FRR daemons) and FRR 8.4.
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use std::fs;
use std::thread;
use std::time::Duration;

use tests::agent::{send_signal, Agent, AgentDirs, AgentOptions};
use tests::fixtures::{frr, read_status, wait_status, RECEIVE_DENY};
use tests::frr::{require, Release};

#[test]
#[ignore = "needs root and FRR"]
fn every_outcome_reaches_the_files_and_only_changes_make_news() {
    require(
        Release::Frr84,
        "every_outcome_reaches_the_files_and_only_changes_make_news",
    );
    let frr = frr();
    let dirs = AgentDirs::new();
    let options = AgentOptions {
        resync_interval: Some(1),
        ..AgentOptions::compat()
    };
    let compat = dirs.compat();
    let mut agent = Agent::start(&frr, &dirs, &options);
    fs::write(compat.join("frr.conf"), RECEIVE_DENY).unwrap();
    send_signal(agent.pid(), "-HUP");
    let first = wait_status(&compat, 0, |w| w == "success").0;

    // Resyncs (every second) and a re-sent identical file change nothing
    // the files say: no new epoch.
    thread::sleep(Duration::from_secs(3));
    send_signal(agent.pid(), "-HUP");
    thread::sleep(Duration::from_secs(2));
    assert_eq!(
        read_status(&compat).unwrap().0,
        first,
        "news without a change"
    );

    // The agent restarts while bgpd is down: its start's reload fails,
    // and the files say so (before: nothing was written).
    agent.terminate(Duration::from_secs(30)).unwrap();
    frr.kill_daemon("bgpd").unwrap();
    let agent = Agent::start(&frr, &dirs, &options);
    let failed = wait_status(&compat, first, |w| w == "failure").0;
    let error = fs::read_to_string(compat.join("last-error")).unwrap();
    assert!(!error.trim().is_empty(), "a failure without an error");

    // bgpd comes back: the agent re-applies on its own, and the files say
    // success without any SIGHUP (before: `failure` until the next one).
    frr.start_daemon("bgpd").unwrap();
    let recovered = wait_status(&compat, failed, |w| w == "success").0;
    assert_eq!(fs::read_to_string(compat.join("last-error")).unwrap(), "");
    let running = fs::read_to_string(compat.join("running-config")).unwrap();
    assert!(
        running.contains("neighbor 192.0.2.2 remote-as 64600"),
        "{running}"
    );

    // And stays quiet again.
    thread::sleep(Duration::from_secs(3));
    assert_eq!(read_status(&compat).unwrap().0, recovered);
    drop(agent);
}

#[test]
#[ignore = "needs root and FRR"]
fn an_invalid_configuration_reads_as_frr_k8s_expects() {
    require(
        Release::Frr84,
        "an_invalid_configuration_reads_as_frr_k8s_expects",
    );
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::compat());
    let compat = dirs.compat();
    fs::write(compat.join("frr.conf"), RECEIVE_DENY).unwrap();
    send_signal(agent.pid(), "-HUP");
    let good = wait_status(&compat, 0, |w| w == "success").0;
    // What frr-k8s's e2e test pushes, and what it looks for.
    fs::write(compat.join("frr.conf"), "this is a non valid configuration").unwrap();
    send_signal(agent.pid(), "-HUP");
    wait_status(&compat, good, |w| w == "failure");
    let error = fs::read_to_string(compat.join("last-error")).unwrap();
    assert!(error.contains("ERROR"), "{error}");
    assert!(
        error.starts_with("ERROR: line 1: this is a non valid configuration: "),
        "{error}"
    );
    let running = fs::read_to_string(compat.join("running-config")).unwrap();
    assert!(running.contains("router bgp 64512"), "{running}");
}

#[test]
#[ignore = "needs root and FRR"]
fn sighup_is_the_trigger_and_the_file_watch_is_opt_in() {
    require(
        Release::Frr84,
        "sighup_is_the_trigger_and_the_file_watch_is_opt_in",
    );
    let frr = frr();
    for watch in [false, true] {
        let dirs = AgentDirs::new();
        let agent = Agent::start(
            &frr,
            &dirs,
            &AgentOptions {
                extra: if watch {
                    vec!["--watch-file".into()]
                } else {
                    vec![]
                },
                ..AgentOptions::compat()
            },
        );
        let compat = dirs.compat();
        // A controller that writes in place and dies before its SIGHUP.
        fs::write(
            compat.join("frr.conf"),
            &RECEIVE_DENY[..RECEIVE_DENY.len() / 2],
        )
        .unwrap();
        thread::sleep(Duration::from_secs(2));
        let reloaded = read_status(&compat).is_some();
        assert_eq!(reloaded, watch, "--watch-file {watch}: reloaded {reloaded}");
        if !watch {
            fs::write(compat.join("frr.conf"), RECEIVE_DENY).unwrap();
            send_signal(agent.pid(), "-HUP");
            wait_status(&compat, 0, |w| w == "success");
        }
    }
}
