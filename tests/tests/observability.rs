//! Observability of a real agent against a real FRR 8.4: its `/metrics`
//! pass `promtool check metrics` (Prometheus's own linter), the delta size
//! is counted in lines, one FRR restart counts once, and `--log-format
//! json` writes lines a log pipeline reads (`ts`, `level`, `msg`,
//! `caller`, flat fields).
//!
//! The tests that run an agent need root and FRR, and are ignored unless
//! asked for (`#[ignore = "needs root and FRR"]`, see scripts/test.sh).
//! The tests that need promtool say so too; without it they fail.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use protocol::Trigger;
use serde_json::Value;
use tests::agent::{wait_for, Agent, AgentDirs, AgentOptions};
use tests::fixtures::{frr, RECEIVE_DENY};
use tests::frr::{require, Release};

/// The upper bounds of `frr_reload_agent_delta_lines`, as exposed.
const LINE_BUCKETS: &[&str] = &[
    "0", "1", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000", "10000", "25000",
    "50000", "100000", "+Inf",
];

/// promtool from PATH; panics when it is missing (the tests that need it
/// say so in their `#[ignore]` mark; `scripts/test.sh` installs it as
/// root).
fn promtool(test: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("promtool"))
        .find(|file| file.is_file())
        .unwrap_or_else(|| {
            panic!("{test}: promtool is not installed (Debian: apt-get install -y prometheus)")
        })
}

/// Runs `promtool check metrics` on `text`; panics with its report when it
/// finds anything.
fn promtool_check(promtool: &PathBuf, text: &str) {
    let mut child = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", promtool.display()));
    let mut stdin = child.stdin.take().expect("promtool's stdin");
    stdin.write_all(text.as_bytes()).expect("write to promtool");
    drop(stdin);
    let out = child.wait_with_output().expect("promtool's output");
    assert!(
        out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
        "promtool check metrics: {}\n{}{}\non:\n{text}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
}

/// The value of the sample `series` (name and labels, as exposed).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

/// The agent's `/metrics`, checked for status and content type.
fn scrape(agent: &Agent) -> String {
    let reply = agent.health_get("/metrics");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    reply.text()
}

fn restarts(agent: &Agent) -> Option<f64> {
    sample(&scrape(agent), "frr_reload_agent_frr_restarts_total")
}

/// The new vty sockets the agent logged (one line per daemon started).
fn sockets_seen(agent: &Agent) -> usize {
    agent.log_text().matches("FRR daemon (re)started").count()
}

/// When the agent's last result finished (0: none yet).
fn last_finished(agent: &Agent) -> u64 {
    agent.status().last_result.map_or(0, |r| r.finished_at_ms)
}

/// Waits until the agent re-applied (a result after `after_ms`) because
/// FRR restarted, and `frr_reload_agent_frr_restarts_total` reads `want`.
fn wait_restarts(agent: &Agent, after_ms: u64, want: f64) {
    wait_for(
        Duration::from_secs(30),
        "the re-apply after FRR restarted",
        || {
            let status = agent.status();
            let reapplied = status
                .last_result
                .as_ref()
                .is_some_and(|r| r.trigger == Trigger::FrrRestart && r.finished_at_ms > after_ms);
            reapplied.then_some(())
        },
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while restarts(agent) != Some(want) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        restarts(agent),
        Some(want),
        "frr_reload_agent_frr_restarts_total after the restart"
    );
}

#[test]
#[ignore = "needs root, FRR and promtool"]
fn metrics_pass_promtool_and_count_restarts_once() {
    let test = "metrics_pass_promtool_and_count_restarts_once";
    require(Release::Frr84, test);
    let promtool = promtool(test);
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 200, "{}", reply.text());

    let text = scrape(&agent);
    promtool_check(&promtool, &text);
    let bounds: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("frr_reload_agent_delta_lines_bucket{le=\""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert_eq!(bounds, LINE_BUCKETS, "{text}");
    assert_eq!(
        sample(&text, "frr_reload_agent_delta_lines_count"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "frr_reload_agent_delta_lines_bucket{le=\"100\"}"),
        Some(1.0),
        "a delta of a few lines falls in a line bucket, not +Inf:\n{text}"
    );
    for name in ["process_resident_memory_bytes", "process_open_fds"] {
        assert!(
            sample(&text, name).is_some_and(|v| v > 0.0),
            "{name}:\n{text}"
        );
    }
    // Counted in clock ticks: a fresh agent that served one reload may
    // not have used one yet (seen once, under load).
    assert!(
        sample(&text, "process_cpu_seconds_total").is_some_and(|v| v >= 0.0),
        "{text}"
    );
    assert!(
        text.contains("frr_reload_agent_build_info{version=\""),
        "{text}"
    );
    assert_eq!(restarts(&agent), Some(0.0));

    // One daemon restarts: one restart.
    let after_ms = last_finished(&agent);
    frr.kill_daemon("bgpd").unwrap_or_else(|e| panic!("{e}"));
    frr.start_daemon("bgpd").unwrap_or_else(|e| panic!("{e}"));
    let bgpd_started = Instant::now();
    wait_restarts(&agent, after_ms, 1.0);

    // All four daemons restart (a socket each): still one restart.
    let burst = Duration::from_secs(6);
    std::thread::sleep(burst.saturating_sub(bgpd_started.elapsed()));
    let sockets_before = sockets_seen(&agent);
    let after_ms = last_finished(&agent);
    frr.restart_with("").unwrap_or_else(|e| panic!("{e}"));
    wait_for(Duration::from_secs(10), "every new vty socket seen", || {
        (sockets_seen(&agent) >= sockets_before + 4).then_some(())
    });
    wait_restarts(&agent, after_ms, 2.0);
    let text = scrape(&agent);
    promtool_check(&promtool, &text);
}

/// Fields whose value is still Rust debug text, set by call sites outside
/// the logging code (serve.rs `compat`, `uid`; actor.rs `trigger`,
/// `outcome`, `daemons`; frrwatch.rs `daemons`).
const DEBUG_FORMATTED: &[&str] = &["compat", "uid", "trigger", "outcome", "daemons"];

#[test]
#[ignore = "needs root and FRR"]
fn json_log_lines_are_flat_with_go_kit_keys() {
    let test = "json_log_lines_are_flat_with_go_kit_keys";
    require(Release::Frr84, test);
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            log_filter: Some("debug".into()),
            extra: vec!["--log-format".into(), "json".into()],
            ..AgentOptions::compat()
        },
    );
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 200, "{}", reply.text());
    agent.terminate(Duration::from_secs(20));

    let log = agent.log_text();
    assert!(log.lines().count() >= 3, "{log}");
    for line in log.lines() {
        let fields: serde_json::Map<String, Value> =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        check_line(&fields, line);
    }
    assert!(
        log.contains("\"level\":\"info\""),
        "no info line in:\n{log}"
    );
}

/// One JSON log line: go-kit's keys, flat values, no Rust debug text.
fn check_line(fields: &serde_json::Map<String, Value>, line: &str) {
    let text = |key: &str| {
        fields
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no string {key:?} in {line}"))
    };
    let ts = text("ts");
    assert!(
        ts.len() >= 20 && ts.ends_with('Z') && &ts[10..11] == "T",
        "{line}"
    );
    let level = text("level");
    assert!(
        ["error", "warn", "info", "debug", "trace"].contains(&level),
        "{line}"
    );
    assert!(!text("msg").is_empty(), "{line}");
    let caller = text("caller");
    let (file, number) = caller.rsplit_once(':').unwrap_or_else(|| panic!("{line}"));
    assert!(
        file.ends_with(".rs") && number.parse::<u32>().is_ok(),
        "{line}"
    );
    for (key, value) in fields {
        assert!(
            !value.is_object() && !value.is_array(),
            "{key} is not flat: {line}"
        );
        let debug = value
            .as_str()
            .is_some_and(|v| v.starts_with("Some(") || v == "None");
        assert!(
            !debug || DEBUG_FORMATTED.contains(&key.as_str()),
            "{key} is Rust debug text: {line}"
        );
    }
}

/// The Grafana dashboard of `deploy/`.
const DASHBOARD: &str = include_str!("../../deploy/grafana/frr-reload-agent.json");

/// `expr` with the dashboard's variables as Grafana substitutes them.
fn substitute(expr: &str) -> String {
    [
        ("${DS_PROMETHEUS}", "prometheus"),
        ("$__rate_interval", "1m"),
        ("$__range", "1h"),
        ("$instance", ".*"),
    ]
    .iter()
    .fold(expr.to_owned(), |text, (var, value)| {
        text.replace(var, value)
    })
}

/// Every panel, rows' nested panels included.
fn panels(dashboard: &Value) -> Vec<&Value> {
    let mut all = Vec::new();
    for panel in dashboard["panels"].as_array().expect("panels") {
        all.push(panel);
        all.extend(panel["panels"].as_array().into_iter().flatten());
    }
    all
}

/// The PromQL expressions of the dashboard's targets, substituted.
fn expressions(dashboard: &Value) -> Vec<String> {
    panels(dashboard)
        .into_iter()
        .flat_map(|p| p["targets"].as_array().into_iter().flatten())
        .filter_map(|t| t["expr"].as_str())
        .map(substitute)
        .collect()
}

/// The queries of the dashboard's variables (Grafana's `label_values`).
fn variable_queries(dashboard: &Value) -> Vec<String> {
    dashboard["templating"]["list"]
        .as_array()
        .expect("templating")
        .iter()
        .filter_map(|v| v["definition"].as_str())
        .map(substitute)
        .collect()
}

/// The agent's metric names in `expr`.
fn metric_names(expr: &str) -> Vec<&str> {
    expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| w.starts_with("frr_reload_agent_") || w.starts_with("process_"))
        .collect()
}

/// The names of the samples in an exposition.
fn exposed_names(text: &str) -> BTreeSet<&str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split(['{', ' ']).next())
        .collect()
}

/// Runs every expression through `promtool check rules` (as recording
/// rules), which parses the PromQL.
fn promtool_parse(promtool: &PathBuf, exprs: &[String]) {
    let mut rules = String::from("groups:\n  - name: dashboard\n    rules:\n");
    for (i, expr) in exprs.iter().enumerate() {
        let quoted = serde_json::to_string(expr).expect("a string");
        rules.push_str(&format!(
            "      - record: dashboard:q{i}\n        expr: {quoted}\n"
        ));
    }
    let dirs = AgentDirs::new();
    let file = dirs.state().with_extension("rules.yaml");
    std::fs::write(&file, &rules).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let out = Command::new(promtool)
        .arg("check")
        .arg("rules")
        .arg(&file)
        .output()
        .expect("promtool runs");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "promtool check rules: {}{}\n{rules}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The dashboard's panel expressions and variable queries, checked for
/// what needs no agent: the data source is an input, no variable is left
/// in a query, and every metric worth a panel is shown.
fn dashboard_queries() -> (Vec<String>, Vec<String>) {
    let dashboard: Value = serde_json::from_str(DASHBOARD).expect("the dashboard is JSON");
    assert!(
        dashboard["schemaVersion"].as_u64().is_some(),
        "no schemaVersion"
    );
    assert_eq!(dashboard["__inputs"][0]["name"], "DS_PROMETHEUS");
    for panel in panels(&dashboard) {
        if panel["type"] != "row" {
            assert_eq!(panel["datasource"]["uid"], "${DS_PROMETHEUS}", "{panel}");
        }
    }
    let (exprs, queries) = (expressions(&dashboard), variable_queries(&dashboard));
    for expr in exprs.iter().chain(&queries) {
        assert!(!expr.contains('$'), "a variable left in {expr}");
    }
    let used = used_metrics(&exprs, &queries);
    for wanted in [
        "frr_reload_agent_reloads_total",
        "frr_reload_agent_reload_duration_seconds_bucket",
        "frr_reload_agent_delta_lines_bucket",
        "frr_reload_agent_drift_commands",
        "frr_reload_agent_frr_restarts_total",
        "frr_reload_agent_converged",
    ] {
        assert!(
            used.contains(wanted),
            "the dashboard does not show {wanted}"
        );
    }
    (exprs, queries)
}

/// The metrics the dashboard's expressions and queries name.
fn used_metrics<'a>(exprs: &'a [String], queries: &'a [String]) -> BTreeSet<&'a str> {
    exprs
        .iter()
        .chain(queries)
        .flat_map(|e| metric_names(e))
        .collect()
}

#[test]
fn dashboard_is_well_formed() {
    let (exprs, _) = dashboard_queries();
    assert!(!exprs.is_empty());
}

#[test]
#[ignore = "needs promtool"]
fn promtool_parses_the_dashboard() {
    let (exprs, _) = dashboard_queries();
    promtool_parse(&promtool("promtool_parses_the_dashboard"), &exprs);
}

#[test]
#[ignore = "needs root and FRR"]
fn dashboard_queries_name_live_metrics() {
    require(Release::Frr84, "dashboard_queries_name_live_metrics");
    let (exprs, queries) = dashboard_queries();
    let used = used_metrics(&exprs, &queries);
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let text = scrape(&agent);
    let exposed = exposed_names(&text);
    let missing: Vec<&&str> = used.iter().filter(|n| !exposed.contains(**n)).collect();
    assert!(missing.is_empty(), "not in /metrics: {missing:?}\n{text}");
}
