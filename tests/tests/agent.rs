//! Integration tests of `frr-reload-agent serve`: the real agent process
//! against a real FRR 8.4 instance (each test its own instance, agent,
//! directories and ports), driven over its Unix socket with HTTP, through
//! the frr-k8s compatibility files and signals, and through FRR itself
//! (daemon crash and restart). Every assertion about FRR reads FRR's own
//! `show running-config`.
//!
//! They need root (network namespaces, FRR daemons) and FRR 8.4.
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use protocol::{ApplyResult, Delta, ErrorReply, Outcome, Trigger};
use tests::agent::{send_signal, wait_for, Agent, AgentDirs, AgentOptions};
use tests::fixtures::{
    frr, large, put_in_background, running, sha256_hex, wait_status, RECEIVE_ALL, RECEIVE_DENY,
};
use tests::frr::{require, Release};

/// A BGP password that must never leave the agent except towards FRR.
const SECRET: &str = "S3cretPlant";
/// Another one, for a changed password.
const OTHER_SECRET: &str = "0therS3cret";

/// The lines of a configuration, trimmed.
fn lines(text: &str) -> BTreeSet<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Whether `text` has every one of `wanted` as a (trimmed) line.
fn has_lines(text: &str, wanted: &[&str]) -> bool {
    let have = lines(text);
    wanted.iter().all(|w| have.contains(w))
}

#[track_caller]
fn assert_lines(text: &str, wanted: &[&str]) {
    let have = lines(text);
    let missing: Vec<&&str> = wanted.iter().filter(|w| !have.contains(**w)).collect();
    assert!(missing.is_empty(), "missing {missing:?} in:\n{text}");
}

/// Lines of `RECEIVE_DENY` as FRR prints them.
const DENY_LINES: &[&str] = &[
    "ip prefix-list 192.0.2.2-inpl-ipv4 seq 1 deny any",
    "ip prefix-list 192.0.2.2-allowed-ipv4 seq 1 permit 203.0.113.10/32",
    "router bgp 64512",
    "neighbor 192.0.2.2 remote-as 64600",
    "neighbor 192.0.2.2 route-map 192.0.2.2-in in",
    "neighbor 192.0.2.2 route-map 192.0.2.2-out out",
    "network 203.0.113.10/32",
];

/// `base` (which ends inside `router bgp`) with `bgp` appended there.
fn with_bgp(base: &str, bgp: &str) -> String {
    format!("{}\n{bgp}", base.trim_end())
}

/// `RECEIVE_DENY` with a second neighbor that has a password.
fn with_password(secret: &str) -> String {
    with_bgp(
        RECEIVE_DENY,
        &format!("  neighbor 192.0.2.9 remote-as 64513\n  neighbor 192.0.2.9 password {secret}\n"),
    )
}

// ---------------------------------------------------------------------------
// 1. The socket API
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs root and FRR"]
fn api_apply_diff_status_events_errors() {
    require(Release::Frr84, "api_apply_diff_status_events_errors");
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            max_config_bytes: Some(4096),
            ..AgentOptions::default()
        },
    );

    // Apply: converged, and FRR runs it.
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let first: ApplyResult = reply.json();
    assert_eq!(first.outcome, Outcome::Converged, "{first:#?}");
    assert_eq!(first.last_reload_result, "success");
    assert_eq!(first.last_conversion_result, "success");
    assert_eq!(first.sha256, sha256_hex(RECEIVE_DENY));
    assert_eq!(first.id, first.sha256, "no id given: the id is the sha256");
    assert_eq!(first.trigger, Trigger::Api);
    assert!(!first.cached);
    assert!(first.delta.stats.adds > 0, "{:#?}", first.delta);
    assert!(first.residue.is_empty());
    let applied = running(&frr);
    assert_lines(&applied, DENY_LINES);
    assert_lines(&first.running_config, DENY_LINES);

    // The same again: answered from the cache, FRR untouched.
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let again: ApplyResult = reply.json();
    assert_eq!(again.outcome, Outcome::Converged);
    assert!(again.cached, "{again:#?}");
    assert!(again.delta.is_empty(), "{:#?}", again.delta);
    assert!(again.generation > first.generation);
    assert_eq!(running(&frr), applied, "an identical config changed FRR");

    // Diff: the delta to receive-all, nothing applied.
    let reply = agent
        .request(
            "POST",
            "/v1/diff",
            Some("text/plain"),
            RECEIVE_ALL.as_bytes(),
        )
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let delta: Delta = reply.json();
    let adds: Vec<&str> = delta.add.iter().map(|c| c.command.as_str()).collect();
    assert!(
        adds.contains(&"ip prefix-list 192.0.2.2-inpl-ipv4 seq 1 permit any"),
        "{delta:#?}"
    );
    assert!(delta.add.len() + delta.delete.len() <= 2, "{delta:#?}");
    assert!(delta.script.contains("permit any"), "{}", delta.script);
    assert_eq!(running(&frr), applied, "POST /v1/diff changed FRR");

    // Status.
    let status = agent.status();
    assert_eq!(status.desired_sha256, sha256_hex(RECEIVE_DENY));
    assert_eq!(status.generation, again.generation);
    assert!(status.converged);
    assert_eq!(status.last_reload_result, "success");
    assert_eq!(status.last_conversion_result, "success");
    assert_lines(&status.running_config, DENY_LINES);
    for daemon in ["bgpd", "zebra", "staticd", "bfdd"] {
        assert!(
            status.daemons.iter().any(|d| d == daemon),
            "{:?}",
            status.daemons
        );
    }
    assert_eq!(status.frr_restarts, 0);
    let last = status.last_result.expect("a last result");
    assert_eq!(last.sha256, sha256_hex(RECEIVE_DENY));

    // Running config: FRR's, as text.
    let reply = agent.get("/v1/running-config");
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain")),
        "{:?}",
        reply.headers
    );
    assert_eq!(reply.text(), running(&frr));

    // Events: the next result arrives on the stream as it happens.
    let mut events = agent.events();
    assert_eq!(events.status, 200);
    let body = serde_json::json!({"config": RECEIVE_ALL, "id": "receive-all"}).to_string();
    let reply = agent
        .request(
            "PUT",
            "/v1/config",
            Some("application/json"),
            body.as_bytes(),
        )
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let all: ApplyResult = reply.json();
    assert_eq!(all.outcome, Outcome::Converged, "{all:#?}");
    assert_eq!(all.id, "receive-all");
    assert_eq!(all.sha256, sha256_hex(RECEIVE_ALL));
    let line = events.next_line(Duration::from_secs(10)).unwrap();
    let event: ApplyResult = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(event.id, "receive-all");
    assert_eq!(event.generation, all.generation);
    assert_eq!(event.outcome, Outcome::Converged);
    let applied = running(&frr);
    assert_lines(
        &applied,
        &["ip prefix-list 192.0.2.2-inpl-ipv4 seq 1 permit any"],
    );
    assert!(!applied.contains("seq 1 deny any"), "{applied}");

    // A command FRR does not know: 422, the line named, FRR untouched.
    let bad = with_bgp(RECEIVE_ALL, "  neighbor 192.0.2.2 remote-ass 64600\n");
    let bad_line = bad.lines().count();
    let reply = agent.put_config(&bad);
    assert_eq!(reply.status, 422, "{}", reply.text());
    let refused: ApplyResult = reply.json();
    assert_eq!(refused.outcome, Outcome::ConversionFailed);
    assert!(!refused.conversion.ok);
    assert!(
        refused
            .conversion
            .errors
            .iter()
            .any(|e| e.line == bad_line && e.text.contains("remote-ass")),
        "line {bad_line} not named: {:#?}",
        refused.conversion.errors
    );
    assert!(refused.last_reload_result.contains("remote-ass"));
    assert_ne!(refused.last_conversion_result, "success");
    assert_eq!(running(&frr), applied, "a refused config changed FRR");
    let line = events.next_line(Duration::from_secs(10)).unwrap();
    let event: ApplyResult = serde_json::from_str(&line).unwrap();
    assert_eq!(event.outcome, Outcome::ConversionFailed);

    // Malformed requests.
    let expect = |reply: tests::agent::Response, code: u16| {
        assert_eq!(reply.status, code, "{}", reply.text());
        let error: ErrorReply = reply.json();
        assert!(!error.error.is_empty());
        reply
    };
    expect(
        agent
            .request(
                "PUT",
                "/v1/config",
                Some("application/json"),
                b"{\"config\": ",
            )
            .unwrap(),
        400,
    );
    expect(
        agent
            .request(
                "PUT",
                "/v1/config",
                Some("application/json"),
                b"{\"confg\": \"x\"}",
            )
            .unwrap(),
        400,
    );
    expect(agent.get("/v1/nothing-here"), 404);
    let reply = expect(agent.get("/v1/config"), 405);
    assert_eq!(reply.header("allow"), Some("PUT"));
    expect(
        agent.request("DELETE", "/v1/status", None, b"").unwrap(),
        405,
    );
    expect(
        agent
            .request(
                "PUT",
                "/v1/config",
                Some("application/xml"),
                RECEIVE_DENY.as_bytes(),
            )
            .unwrap(),
        415,
    );
    let big = format!("{RECEIVE_DENY}{}", "!\n".repeat(2100));
    assert!(big.len() > 4096);
    expect(agent.put_config(&big), 413);
    let big_json = serde_json::json!({ "config": big }).to_string();
    expect(
        agent
            .request(
                "PUT",
                "/v1/config",
                Some("application/json"),
                big_json.as_bytes(),
            )
            .unwrap(),
        413,
    );
    expect(
        agent
            .request("POST", "/v1/diff", Some("text/plain"), big.as_bytes())
            .unwrap(),
        413,
    );
    assert_eq!(running(&frr), applied, "a refused request changed FRR");

    // Health and metrics.
    assert_eq!(agent.health_get("/healthz").status, 200);
    assert_eq!(agent.health_get("/livez").status, 200);
    wait_for(Duration::from_secs(15), "/readyz answers 200", || {
        (agent.health_get("/readyz").status == 200).then_some(())
    });
    let metrics = agent.health_get("/metrics");
    assert_eq!(metrics.status, 200);
    let metrics = metrics.text();
    assert!(
        metrics.contains("frr_reload_agent_reloads_total{result=\"converged\",trigger=\"api\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "frr_reload_agent_reloads_total{result=\"conversion_failed\",trigger=\"api\"} 1"
        ),
        "{metrics}"
    );
}

// ---------------------------------------------------------------------------
// 2. Passwords
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs root and FRR"]
fn passwords_never_leave_the_agent() {
    require(Release::Frr84, "passwords_never_leave_the_agent");
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            log_filter: Some("debug".into()),
            ..AgentOptions::compat()
        },
    );
    let mut events = agent.events();
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut keep = |what: &str, text: String| seen.push((what.to_owned(), text));

    let config = with_password(SECRET);
    let reply = agent.put_config(&config);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let result: ApplyResult = reply.json();
    assert_eq!(result.outcome, Outcome::Converged, "{result:#?}");
    keep("PUT reply", reply.text());
    // FRR has it: the test would be empty otherwise.
    assert!(running(&frr).contains(&format!("neighbor 192.0.2.9 password {SECRET}")));
    keep("cached PUT reply", agent.put_config(&config).text());
    let changed = with_password(OTHER_SECRET);
    let reply = agent
        .request("POST", "/v1/diff", Some("text/plain"), changed.as_bytes())
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let delta: Delta = reply.json();
    assert!(
        delta
            .add
            .iter()
            .any(|c| c.command.starts_with("neighbor 192.0.2.9 password")),
        "{delta:#?}"
    );
    keep("diff reply", reply.text());
    let bad = with_bgp(&config, "  neighbor 192.0.2.9 bogus-knob 1\n");
    let reply = agent.put_config(&bad);
    assert_eq!(reply.status, 422, "{}", reply.text());
    keep("refused PUT reply", reply.text());
    let reply = agent.put_config(&changed);
    assert_eq!(reply.status, 200, "{}", reply.text());
    keep("changed PUT reply", reply.text());
    assert!(running(&frr).contains(&format!("neighbor 192.0.2.9 password {OTHER_SECRET}")));
    for _ in 0..4 {
        let line = events.next_line(Duration::from_secs(10)).unwrap();
        keep("event", line);
    }
    let shown = agent.get("/v1/running-config").text();
    assert!(
        shown.contains("neighbor 192.0.2.9 password "),
        "the line is shown, redacted:\n{shown}"
    );
    keep("/v1/running-config", shown);
    keep("/v1/status", agent.get("/v1/status").text());
    keep("/metrics", agent.health_get("/metrics").text());
    keep("/readyz", agent.health_get("/readyz").text());

    // The frr-k8s files, after a good and a bad configuration.
    let compat = dirs.compat();
    fs::write(compat.join("frr.conf"), &config).unwrap();
    send_signal(agent.pid(), "-HUP");
    let good = wait_status(&compat, 0, |_| true);
    let read = |name: &str| fs::read_to_string(compat.join(name)).unwrap_or_default();
    assert!(read("running-config").contains("neighbor 192.0.2.9 password "));
    keep("compat running-config", read("running-config"));
    fs::write(compat.join("frr.conf"), &bad).unwrap();
    send_signal(agent.pid(), "-HUP");
    wait_status(&compat, good.0, |s| s == "failure");
    assert!(!read("last-error").is_empty());
    for name in ["running-config", "last-error", ".status"] {
        keep(&format!("compat {name}"), read(name));
    }

    let (status, _) = agent
        .terminate(Duration::from_secs(30))
        .expect("the agent exits");
    assert!(status.success(), "{status}");
    keep("log", agent.log_text());
    assert!(agent.log_text().contains("reload"), "the log is empty");

    for (what, text) in &seen {
        for secret in [SECRET, OTHER_SECRET] {
            assert!(
                !text.contains(secret),
                "the password appears in {what}:\n{text}"
            );
        }
    }
    // The state keeps the desired config to re-apply it, secret included:
    // only root may read it.
    let state = dirs.state().join("state.json");
    let mode = fs::metadata(&state).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", state.display());
}

// ---------------------------------------------------------------------------
// 3. frr-k8s compatibility
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs root and FRR"]
fn frr_k8s_files_and_sighup() {
    require(Release::Frr84, "frr_k8s_files_and_sighup");
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(&frr, &dirs, &AgentOptions::compat());
    let dir = dirs.compat();
    // What frr-k8s does: write the file in place (os.WriteFile), read the
    // pid file as is, SIGHUP that pid, poll .status.
    let pid_text = fs::read_to_string(dir.join("reloader.pid")).unwrap();
    assert!(
        !pid_text.is_empty() && pid_text.bytes().all(|b| b.is_ascii_digit()),
        "reloader.pid must be digits only: {pid_text:?}"
    );
    let pid: u32 = pid_text.parse().unwrap();
    assert_eq!(pid, agent.pid());
    assert!(!dir.join(".status").exists());

    fs::write(dir.join("frr.conf"), RECEIVE_DENY).unwrap();
    send_signal(pid, "-HUP");
    let (epoch, word) = wait_status(&dir, 0, |_| true);
    assert_eq!(word, "success");
    assert_eq!(fs::read_to_string(dir.join("last-error")).unwrap(), "");
    assert_lines(
        &fs::read_to_string(dir.join("running-config")).unwrap(),
        DENY_LINES,
    );
    assert_lines(&running(&frr), DENY_LINES);

    // A second config through the same path.
    fs::write(dir.join("frr.conf"), RECEIVE_ALL).unwrap();
    send_signal(pid, "-HUP");
    let (epoch, word) = wait_status(&dir, epoch, |_| true);
    assert_eq!(word, "success");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !has_lines(
        &running(&frr),
        &["ip prefix-list 192.0.2.2-inpl-ipv4 seq 1 permit any"],
    ) {
        assert!(Instant::now() < deadline, "receive-all never ran");
        thread::sleep(Duration::from_millis(50));
    }

    // A bad one: failure, a larger epoch, the real error, FRR untouched.
    let before = running(&frr);
    let bad = with_bgp(RECEIVE_ALL, "  neighbor 192.0.2.2 remote-ass 64600\n");
    fs::write(dir.join("frr.conf"), &bad).unwrap();
    send_signal(pid, "-HUP");
    let (failed_epoch, _) = wait_status(&dir, epoch, |w| w == "failure");
    assert!(failed_epoch > epoch);
    let error = fs::read_to_string(dir.join("last-error")).unwrap();
    assert!(error.contains("remote-ass"), "last-error: {error:?}");
    assert_eq!(running(&frr), before, "a refused config changed FRR");

    // SIGTERM: exit 0, pid file gone.
    let (status, took) = agent
        .terminate(Duration::from_secs(30))
        .expect("the agent exits after SIGTERM");
    assert!(status.success(), "{status}\n{}", agent.log_text());
    eprintln!("exit after SIGTERM: {took:.1?}");
    assert!(
        !dir.join("reloader.pid").exists(),
        "reloader.pid left behind"
    );
}

// ---------------------------------------------------------------------------
// 4. Coalescing
// ---------------------------------------------------------------------------

/// `RECEIVE_DENY` plus a prefix-list entry that names configuration `n`.
fn numbered(n: usize) -> (String, String) {
    assert!(n < 256);
    let line = format!("ip prefix-list churn seq 5 permit 198.51.100.{n}/32");
    (format!("{line}\n{RECEIVE_DENY}"), line)
}

#[test]
#[ignore = "needs root and FRR"]
fn coalescing_under_200_configs() {
    require(Release::Frr84, "coalescing_under_200_configs");
    const THREADS: usize = 10;
    const EACH: usize = 20;
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Arc::new(Agent::start(&frr, &dirs, &AgentOptions::default()));
    let results: Arc<Mutex<Vec<(usize, u16, ApplyResult)>>> = Arc::default();
    let started = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (agent, results) = (agent.clone(), results.clone());
            thread::spawn(move || {
                for i in 0..EACH {
                    let n = t * EACH + i;
                    let reply = agent.put_config(&numbered(n).0);
                    let result: ApplyResult = reply.json();
                    results.lock().unwrap().push((n, reply.status, result));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a client thread");
    }
    let took = started.elapsed();
    let results = results.lock().unwrap();
    assert_eq!(results.len(), THREADS * EACH, "every request answered");
    let mut reloads = 0;
    for (n, code, result) in results.iter() {
        assert_eq!(*code, 200, "config {n}: {result:#?}");
        assert_eq!(result.sha256, sha256_hex(&numbered(*n).0));
        match result.outcome {
            Outcome::Converged => reloads += usize::from(!result.cached),
            Outcome::Superseded => {
                let by = result.superseded_by.as_ref().expect("superseded by whom");
                assert_eq!(by.result.sha256, by.sha256);
                assert!(by.result.generation > result.generation);
            }
            other => panic!("config {n}: {other:?}: {result:#?}"),
        }
    }
    eprintln!(
        "{} configs from {THREADS} threads in {took:.1?}: {reloads} reloads",
        results.len()
    );
    assert!(
        reloads <= THREADS * EACH / 3,
        "{reloads} reloads for {} configs: no coalescing",
        THREADS * EACH
    );
    let metrics = agent.health_get("/metrics").text();
    let counted: u64 = metrics
        .lines()
        .filter(|l| l.starts_with("frr_reload_agent_reloads_total{"))
        .filter(|l| !l.contains("result=\"superseded\"") && !l.contains("result=\"cached\""))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    assert_eq!(counted, reloads as u64, "{metrics}");

    // The last accepted (highest generation) config is what FRR runs.
    let (last_n, _, last) = results.iter().max_by_key(|(_, _, r)| r.generation).unwrap();
    assert_eq!(last.outcome, Outcome::Converged, "{last:#?}");
    let status = agent.status();
    assert_eq!(status.desired_sha256, last.sha256);
    assert_eq!(status.generation, last.generation);
    assert!(status.converged);
    let live = running(&frr);
    let churn: Vec<&str> = live
        .lines()
        .filter(|l| l.starts_with("ip prefix-list churn"))
        .collect();
    assert_eq!(churn, vec![numbered(*last_n).1.as_str()], "{live}");
    assert_lines(&live, DENY_LINES);
}

// ---------------------------------------------------------------------------
// 5. Agent restart
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs root and FRR"]
fn agent_restart_reapplies() {
    require(Release::Frr84, "agent_restart_reapplies");
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let applied: ApplyResult = reply.json();
    let (status, _) = agent
        .terminate(Duration::from_secs(30))
        .expect("the agent exits");
    assert!(status.success(), "{status}");
    drop(agent);

    let wiped = frr
        .vtysh_run(&["-c", "configure terminal", "-c", "no router bgp 64512"])
        .unwrap();
    assert!(wiped.ok(), "{}", wiped.text());
    assert!(!running(&frr).contains("router bgp"), "BGP not wiped");

    let started = Instant::now();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    wait_for(
        Duration::from_secs(20),
        "the restarted agent re-applies the saved config",
        || has_lines(&running(&frr), DENY_LINES).then_some(()),
    );
    eprintln!("re-applied {:.1?} after the start", started.elapsed());
    let last = wait_for(
        Duration::from_secs(10),
        "status shows the startup reload",
        || {
            agent
                .status()
                .last_result
                .filter(|r| r.trigger == Trigger::Startup)
        },
    );
    assert_eq!(last.outcome, Outcome::Converged, "{last:#?}");
    assert_eq!(last.sha256, applied.sha256);
    assert_eq!(last.generation, applied.generation);
    assert!(last.delta.stats.adds > 0, "{:#?}", last.delta);
    let status = agent.status();
    assert_eq!(status.desired_sha256, applied.sha256);
    assert!(status.converged);
}

// ---------------------------------------------------------------------------
// 6. FRR restart
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs root and FRR"]
fn bgpd_restart_reapplies() {
    require(Release::Frr84, "bgpd_restart_reapplies");
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_lines(&running(&frr), DENY_LINES);

    frr.kill_daemon("bgpd").unwrap_or_else(|e| panic!("{e}"));
    frr.start_daemon("bgpd").unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    wait_for(
        Duration::from_secs(20),
        "bgpd's config re-applied after its restart",
        || has_lines(&running(&frr), DENY_LINES).then_some(()),
    );
    eprintln!("re-applied {:.1?} after bgpd restarted", started.elapsed());
    let status = wait_for(Duration::from_secs(10), "status shows the re-apply", || {
        let status = agent.status();
        status
            .last_result
            .as_ref()
            .is_some_and(|r| r.trigger == Trigger::FrrRestart)
            .then_some(status)
    });
    assert!(status.frr_restarts >= 1, "{status:#?}");
    assert!(status.converged, "{status:#?}");
    let last = status.last_result.unwrap();
    assert_eq!(last.outcome, Outcome::Converged);
    assert!(!last.reload.reused_read, "FRR restarted: {last:#?}");
    assert!(last.delta.stats.adds > 0);
    let metrics = agent.health_get("/metrics").text();
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("frr_reload_agent_frr_restarts_total ") && !l.ends_with(" 0")),
        "{metrics}"
    );
}

/// Between two reloads the agent reuses its last read; a change made by hand
/// in between is still found (by the verifying read) and undone.
#[test]
#[ignore = "needs root and FRR"]
fn a_change_made_by_hand_between_reloads_is_undone() {
    require(
        Release::Frr84,
        "a_change_made_by_hand_between_reloads_is_undone",
    );
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let first: ApplyResult = agent.put_config(RECEIVE_DENY).json();
    assert_eq!(first.outcome, Outcome::Converged, "{first:#?}");
    assert!(!first.reload.reused_read, "nothing read before: {first:#?}");

    let by_hand = "ip prefix-list BY-HAND seq 5 permit 198.51.100.0/24";
    let run = frr
        .vtysh_run(&["-c", "configure terminal", "-c", by_hand])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(run.ok(), "{}", run.text());
    assert!(running(&frr).contains(by_hand));

    let second: ApplyResult = agent.put_config(RECEIVE_ALL).json();
    assert_eq!(second.outcome, Outcome::Converged, "{second:#?}");
    assert!(second.reload.reused_read, "{second:#?}");
    assert_eq!(
        second.reload.passes, 2,
        "the first pass did not know: {second:#?}"
    );
    let now = running(&frr);
    assert!(!now.contains("BY-HAND"), "{now}");
    assert_lines(
        &now,
        &["ip prefix-list 192.0.2.2-inpl-ipv4 seq 1 permit any"],
    );
    assert_eq!(second.running_config, now);
}

// ---------------------------------------------------------------------------
// 7. SIGTERM during a reload
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs root and FRR"]
fn sigterm_finishes_the_reload_in_flight() {
    require(Release::Frr84, "sigterm_finishes_the_reload_in_flight");
    const ENTRIES: usize = 400;
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            extra: vec!["--shutdown-grace".into(), "60".into()],
            ..AgentOptions::default()
        },
    );
    let config = large(ENTRIES);
    let client = put_in_background(&agent, &config);
    // Into the reload: its apply alone takes seconds, validate and read
    // some 0.2 s; the log shows below that SIGTERM came first.
    let sent = Instant::now();
    thread::sleep(Duration::from_millis(1000));
    let (status, took) = agent
        .terminate(Duration::from_secs(60))
        .expect("the agent exits within the grace period");
    eprintln!(
        "SIGTERM {:.1?} after the PUT; exit {took:.1?} later",
        sent.elapsed() - took
    );
    assert!(status.success(), "{status}\n{}", agent.log_text());
    let reply = client.join().unwrap();
    eprintln!(
        "the client got: {}",
        reply.lines().next().unwrap_or("nothing")
    );
    if let Some((_, body)) = reply.split_once("\r\n\r\n") {
        if let Ok(result) = serde_json::from_str::<ApplyResult>(body) {
            eprintln!("{:?} {:?}", result.outcome, result.timings_ms);
        }
    }
    let log = agent.log_text();
    let stopping = log
        .find("frr_reload_agent::serve: stopping")
        .unwrap_or_else(|| panic!("no `stopping` in the log:\n{log}"));
    let reload = log
        .find("frr_reload_agent::actor: reload id=")
        .unwrap_or_else(|| panic!("no reload in the log:\n{log}"));
    assert!(
        stopping < reload,
        "SIGTERM came after the reload had finished: make it larger\n{log}"
    );
    let live = running(&frr);
    let entries = live
        .lines()
        .filter(|l| l.starts_with("ip prefix-list big "))
        .count();
    assert_eq!(entries, ENTRIES, "the reload in flight was cut short");
    assert_lines(&live, DENY_LINES);
}

// ---------------------------------------------------------------------------
// 8. Peer credentials
// ---------------------------------------------------------------------------

/// `curl` as uid/gid 65534 (nobody) on the socket: the HTTP code (with
/// curl's error, if any). Panics when setpriv or curl is missing.
fn curl_as_nobody(socket: &Path) -> String {
    for tool in ["/usr/bin/setpriv", "/usr/bin/curl"] {
        assert!(
            Path::new(tool).exists(),
            "{tool} is missing: the non-root peer case needs it (scripts/test.sh installs curl)"
        );
    }
    let output = Command::new("setpriv")
        .args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .args(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"])
        .arg("--unix-socket")
        .arg(socket)
        .arg("http://localhost/v1/status")
        .output()
        .expect("run setpriv");
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// Lets gid 65534 reach the socket (directory 0750 and socket 0660 stay).
fn open_to_nogroup(socket: &Path) {
    for path in [socket.parent().unwrap(), socket] {
        std::os::unix::fs::chown(path, None, Some(65534)).unwrap();
    }
}

#[test]
#[ignore = "needs root and FRR"]
fn disallowed_uid_is_refused() {
    require(Release::Frr84, "disallowed_uid_is_refused");
    let frr = frr();

    let dirs = AgentDirs::new();
    let agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            allow_uid: vec![4242],
            ..AgentOptions::default()
        },
    );
    let reply = agent.get("/v1/status");
    assert_eq!(reply.status, 403, "{}", reply.text());
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert!(
        !running(&frr).contains("router bgp"),
        "a refused peer changed FRR"
    );
    assert!(agent.log_text().contains("refused"), "no log line");
    let metrics = agent.health_get("/metrics").text();
    assert!(metrics.contains("rejected"), "{metrics}");
    drop(agent);

    // Root allowed; nobody (65534), able to open the socket, refused.
    let dirs = AgentDirs::new();
    let agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            allow_uid: vec![0],
            ..AgentOptions::default()
        },
    );
    assert_eq!(agent.get("/v1/status").status, 200);
    open_to_nogroup(&agent.socket);
    let code = curl_as_nobody(&agent.socket);
    assert_eq!(code, "403", "uid 65534 with --allow-uid 0");
    drop(agent);

    // Nobody allowed: it gets in, root does not.
    let dirs = AgentDirs::new();
    let agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            allow_uid: vec![65534],
            ..AgentOptions::default()
        },
    );
    assert_eq!(agent.get("/v1/status").status, 403);
    open_to_nogroup(&agent.socket);
    let code = curl_as_nobody(&agent.socket);
    assert_eq!(code, "200", "uid 65534 with --allow-uid 65534");
}

#[test]
#[ignore = "needs root and FRR"]
fn ready_while_a_long_reload_runs() {
    require(Release::Frr84, "ready_while_a_long_reload_runs");
    // FRR answers no other vtysh command while it applies a long script;
    // readiness must not turn 503 for that (it is about FRR being there,
    // not about reloads).
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    wait_for(Duration::from_secs(15), "ready before the reload", || {
        (agent.health_get("/readyz").status == 200).then_some(())
    });
    let config = large(600);
    let client = put_in_background(&agent, &config);
    let mut probes = 0;
    let mut unready = Vec::new();
    while !client.is_finished() {
        let ready = agent.health_get("/readyz");
        probes += 1;
        if ready.status != 200 {
            unready.push(ready.text());
        }
        thread::sleep(Duration::from_millis(250));
    }
    let reply = client.join().unwrap();
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "{}",
        reply.lines().next().unwrap_or("")
    );
    assert!(
        probes >= 8,
        "the reload was too short to tell ({probes} probes)"
    );
    assert!(unready.is_empty(), "unready during the reload: {unready:?}");
}
