//! The agent's long-lived interactive vtysh (`reloader::session`), against
//! real FRR 8.4: a script typed into it leaves FRR as `vtysh -f` of the
//! same script does, with errors on the same lines; a daemon that
//! restarted, or started since, gets a new session; scripts readline
//! would mangle go to `vtysh -f`. And FRR's check through the `vtysh
//! --dryrun` started ahead finds what a fresh one finds, also when the one
//! started ahead died. A script too long for the session, split over the
//! daemons, also leaves FRR as `vtysh -f` does.
//!
//! Needs root, FRR 8.4 and FRR 10.3 for the comparison on it.
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use std::collections::BTreeSet;
use std::sync::Arc;

use reloader::frr::{line_errors, LineError, Output, Vtysh, VtyshCommand};
use tests::fixtures::{running, RECEIVE_DENY};
use tests::frr::{releases, require, FrrInstance, Release};

/// `vtysh` of `frr` with a session.
fn with_session(frr: &FrrInstance) -> VtyshCommand {
    VtyshCommand {
        warm: Some(Arc::default()),
        ..frr.vtysh()
    }
}

/// Applies `script` the way the reload's first pass does.
fn apply(vtysh: &VtyshCommand, script: &str) -> Output {
    let prepared = vtysh.prepare_apply(script);
    vtysh
        .apply_prepared(prepared, script)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn error_lines(output: &Output) -> BTreeSet<usize> {
    line_errors(&output.text()).iter().map(|e| e.line).collect()
}

fn started() -> (FrrInstance, FrrInstance) {
    started_on(Release::Frr84)
}

fn started_on(release: Release) -> (FrrInstance, FrrInstance) {
    let start = || {
        let frr = FrrInstance::start_default(release).unwrap_or_else(|e| panic!("{e}"));
        let loaded = frr.load(RECEIVE_DENY).unwrap_or_else(|e| panic!("{e}"));
        assert!(loaded.ok(), "{}", loaded.text());
        frr
    };
    (start(), start())
}

/// Scripts with good lines, lines vtysh refuses (unknown, incomplete), a
/// line bgpd refuses, lines longer than readline's 80 columns, and lines
/// inside nodes after a refused one.
const SCRIPTS: [&str; 4] = [
    "ip prefix-list 192.0.2.1-inpl-ipv4 seq 1 permit any\n",
    "router bgp 64512\n\
     \x20bogus command here\n\
     \x20neighbor 192.0.2.77 remote-as 64777\n\
     \x20neighbor 192.0.2.78 route-map NOPE in\n\
     \x20address-family ipv4 unicast\n\
     \x20 neighbor 192.0.2.77 activate\n\
     \x20 neighbor 192.0.2.77 timers\n\
     \x20 network 198.51.100.0/24\n\
     \x20exit-address-family\n\
     \x20neighbor 192.0.2.77 description a description long enough to make readline redraw the line it echoes\n\
     exit\n",
    "route-map session-test permit 10\n\
     \x20match ip address prefix-list 192.0.2.1-inpl-ipv4\n\
     \x20set local-preference 250 300\n\
     \x20set metric 7\n\
     exit\n\
     ip prefix-list long-one seq 5 permit 198.51.100.0/24 le 32\n\
     ip prefix-list long-one seq 6 permit 198.51.100.0/33\n",
    "no route-map session-test permit 10\n\
     no ip prefix-list long-one\n\
     router bgp 64512\n\
     \x20no neighbor 192.0.2.77 remote-as 64777\n\
     \x20no neighbor 192.0.2.99 remote-as 64999\n\
     exit\n",
];

#[test]
#[ignore = "needs root and FRR"]
fn a_typed_script_does_what_vtysh_f_does() {
    for release in releases() {
        require(release, "a_typed_script_does_what_vtysh_f_does");
        typed_as_filed(release);
    }
}

fn typed_as_filed(release: Release) {
    let (typed, filed) = started_on(release);
    let session = with_session(&typed);
    let plain = filed.vtysh();
    let mut refused = 0;
    for script in SCRIPTS {
        assert!(reloader::frr::session::fits(script));
        let by_session = apply(&session, script);
        let by_file = plain.apply(script).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            error_lines(&by_session),
            error_lines(&by_file),
            "FRR {release}: errors of\n{script}\nsession: {}\nvtysh -f: {}",
            by_session.text(),
            by_file.text()
        );
        refused += error_lines(&by_file).len();
        assert_eq!(
            running(&typed),
            running(&filed),
            "FRR {release}: after\n{script}"
        );
    }
    assert!(refused >= 5, "the scripts have refused lines: {refused}");
}

/// A script too long for the session goes to each daemon through a vtysh
/// of its own, side by side: FRR is left as one `vtysh -f` of the script
/// leaves it, with the same errors, each once.
#[test]
#[ignore = "needs root and FRR"]
fn a_long_script_split_over_the_daemons_does_what_vtysh_f_does() {
    require(
        Release::Frr84,
        "a_long_script_split_over_the_daemons_does_what_vtysh_f_does",
    );
    split_as_filed(Release::Frr84);
}

fn split_as_filed(release: Release) {
    let (split, filed) = started_on(release);
    let (vtysh, plain) = (split.vtysh(), filed.vtysh());
    // Read first, as a reload does: the version FRR prints decides how a
    // long script reaches vtysh (split on 8.4).
    vtysh.running_config().unwrap_or_else(|e| panic!("{e}"));
    // Each script after the entries of a new prefix-list: too long for
    // the session, and sent to zebra, bgpd and bfdd.
    let entries: String = (1..=120)
        .map(|i| format!("ip prefix-list split-test seq {i} permit 198.51.100.{i}/32\n"))
        .collect();
    let sorted = |output: &Output| {
        let mut errors = line_errors(&output.text());
        errors.sort_by(|a, b| (a.line, &a.message).cmp(&(b.line, &b.message)));
        errors
    };
    let mut refused = 0;
    for script in SCRIPTS {
        let script = format!("{entries}{script}");
        assert!(!reloader::frr::session::fits(&script));
        let prepared = vtysh.prepare_apply(&script);
        assert_eq!(
            prepared.vtyshes(),
            4,
            "one for each of zebra, bgpd, staticd, bfdd"
        );
        let by_daemons = vtysh
            .apply_prepared(prepared, &script)
            .unwrap_or_else(|e| panic!("{e}"));
        let by_file = plain.apply(&script).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            sorted(&by_daemons),
            sorted(&by_file),
            "FRR {release}: errors of\n{script}\nsplit: {}\nvtysh -f: {}",
            by_daemons.text(),
            by_file.text()
        );
        assert_eq!(by_daemons.status == Some(0), by_file.status == Some(0));
        refused += sorted(&by_file).len();
        assert_eq!(
            running(&split),
            running(&filed),
            "FRR {release}: after\n{script}"
        );
    }
    assert!(refused >= 5, "the scripts have refused lines: {refused}");
    assert!(running(&split).contains("seq 120 permit 198.51.100.120/32"));
}

#[test]
#[ignore = "needs root and FRR"]
fn a_restarted_daemon_gets_a_new_session() {
    require(Release::Frr84, "a_restarted_daemon_gets_a_new_session");
    let (frr, _) = started();
    let vtysh = with_session(&frr);
    let output = apply(&vtysh, SCRIPTS[0]);
    assert_eq!(output.status, Some(0), "{}", output.text());
    frr.kill_daemon("bgpd").unwrap_or_else(|e| panic!("{e}"));
    frr.start_daemon("bgpd").unwrap_or_else(|e| panic!("{e}"));
    let script = "router bgp 64512\n neighbor 192.0.2.80 remote-as 64880\nexit\n";
    let output = apply(&vtysh, script);
    assert_eq!(output.status, Some(0), "{}", output.text());
    assert!(running(&frr).contains("neighbor 192.0.2.80 remote-as 64880"));
}

/// vtysh connects to the daemons once, when it starts, and skips the ones
/// that did not answer then, silently: a daemon that came up since must
/// get a new session.
#[test]
#[ignore = "needs root and FRR"]
fn a_daemon_started_since_gets_a_new_session() {
    require(Release::Frr84, "a_daemon_started_since_gets_a_new_session");
    let (frr, _) = started();
    let vtysh = with_session(&frr);
    frr.kill_daemon("bfdd").unwrap_or_else(|e| panic!("{e}"));
    let output = apply(&vtysh, SCRIPTS[0]);
    assert_eq!(output.status, Some(0), "{}", output.text());
    frr.start_daemon("bfdd").unwrap_or_else(|e| panic!("{e}"));
    let output = apply(&vtysh, "bfd\n peer 192.0.2.5\n exit\nexit\n");
    assert_eq!(output.status, Some(0), "{}", output.text());
    let text = running(&frr);
    assert!(text.contains("peer 192.0.2.5"), "{text}");
}

#[test]
#[ignore = "needs root and FRR"]
fn what_readline_would_mangle_goes_to_vtysh_f() {
    require(Release::Frr84, "what_readline_would_mangle_goes_to_vtysh_f");
    let (frr, _) = started();
    let vtysh = with_session(&frr);
    // Typed, `?` would ask for help and vanish; a tab would complete.
    let script = "bgp as-path access-list session-test seq 5 permit ^6450?$\n\
                  interface lo\n\
                  \x20description tab\there\n\
                  exit\n";
    assert!(!reloader::frr::session::fits(script));
    let output = apply(&vtysh, script);
    assert_eq!(output.status, Some(0), "{}", output.text());
    let text = running(&frr);
    assert!(text.contains("permit ^6450?$"), "{text}");
}

fn check(vtysh: &VtyshCommand, text: &str) -> (bool, Vec<LineError>) {
    let output = vtysh.dry_run(text).unwrap_or_else(|e| panic!("{e}"));
    let errors = line_errors(&output.text());
    (output.status == Some(0) && errors.is_empty(), errors)
}

#[test]
#[ignore = "needs root and FRR"]
fn a_check_started_ahead_finds_what_a_fresh_one_finds() {
    require(
        Release::Frr84,
        "a_check_started_ahead_finds_what_a_fresh_one_finds",
    );
    let (frr, _) = started();
    let warm = with_session(&frr);
    let cold = frr.vtysh();
    let refused = RECEIVE_DENY.replace("seq 1 deny any", "seq 1 deny any bogus");
    let mut texts = vec![RECEIVE_DENY.to_owned(), refused.clone()];
    for script in SCRIPTS {
        texts.push(format!("{RECEIVE_DENY}{script}"));
    }
    for text in &texts {
        warm.warm_up();
        assert_eq!(check(&warm, text), check(&cold, text), "{text}");
    }
    assert!(!check(&cold, &refused).0);

    // The one started ahead is killed: the check starts another, and does
    // not take the dead one's exit for a refusal.
    warm.warm_up();
    let killed = std::process::Command::new("pkill")
        .args(["-KILL", "-f"])
        .arg(format!(
            "vtysh -N {} --dryrun -f /proc/self/fd/0",
            frr.name()
        ))
        .status()
        .unwrap();
    assert!(killed.success(), "the check started ahead runs");
    let text = RECEIVE_DENY.replace("seq 1 deny any", "seq 2 deny any");
    assert_eq!(check(&warm, &text), (true, vec![]));
}
