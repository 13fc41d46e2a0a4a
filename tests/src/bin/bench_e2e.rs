//! End-to-end benchmark against real FRR 8.4 (`scripts/bench-e2e.sh`
//! builds and runs it): for frr-k8s-shaped configurations (N neighbors ×
//! S services) and the transitions frr-k8s makes, the time from "a new
//! config" to "FRR runs it" for
//! - the agent serving (`frr-reload-agent serve`, release build), in its
//!   steady state: a fresh agent is given the first config (which FRR
//!   already runs), then, half a second later (an idle agent has its
//!   vtysh started for the next reload), the second, and the second PUT
//!   is timed;
//! - our one-shot `frr-reload-agent reload`, on the no-op at the small and
//!   medium sizes (on every transition of `--one-shot SIZES`);
//! - frr-reload.py `--reload`, on the same FRR instance;
//! - FRR's own limit: the minimal delta in one `vtysh -f`.
//!
//! Each run starts from the transition's first config (put back with our
//! one-shot reload, and checked), except the mass delete, which each tool
//! runs right after its initial load, from the full config that load ended
//! on; every run is checked to have converged.
//! The tools take turns going first. Also: the daemon's no-op answer and its memory (idle, and
//! through a 100k-line reload). Prints one table of medians and ratios.
//!
//! usage: bench_e2e AGENT [--sizes small,medium,large] [--transitions a,b]
//!        [--runs N] [--large-runs N] [--one-shot SIZES] [--no-daemon]
//!        [--dump DIR]
//!
//! `--dump DIR` only writes each transition's configurations to
//! `DIR/SIZE-TRANSITION.{from,to}.conf` (to try them by hand).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use protocol::{ApplyResult, Outcome};
use reloader::{diff, Config, FrrVersion, Options};
use tests::agent::{Agent, AgentDirs, AgentOptions};
use tests::frr::{FrrInstance, Release};
use tests::gen::{Spec, Transition};

/// A workload size: neighbors × services.
struct Size {
    name: &'static str,
    neighbors: usize,
    services: usize,
}

const SIZES: [Size; 3] = [
    Size {
        name: "small",
        neighbors: 2,
        services: 50,
    },
    Size {
        name: "medium",
        neighbors: 2,
        services: 500,
    },
    Size {
        name: "large",
        neighbors: 4,
        services: 1000,
    },
];

/// The transitions measured, as (name, from, to).
fn transitions(size: &Size) -> Vec<(&'static str, String, String)> {
    let spec = Spec::new(size.neighbors, size.services);
    let text = spec.render();
    let mut cases = vec![("initial", String::new(), text.clone())];
    for t in [
        Transition::Noop,
        Transition::DenyPermit,
        Transition::AddOne,
        Transition::RemoveMiddle,
        Transition::RemoveHalf,
    ] {
        cases.push((t.name(), text.clone(), t.apply(&spec).render()));
    }
    cases.push((
        "mass-delete",
        text.clone(),
        Spec::new(size.neighbors, 1).render(),
    ));
    cases.push((
        "add-neighbor",
        text.clone(),
        Spec::new(size.neighbors + 1, size.services).render(),
    ));
    cases.push((
        "remove-neighbor",
        text,
        Spec::new(size.neighbors - 1, size.services).render(),
    ));
    cases
}

struct Bench {
    agent: PathBuf,
    frr: FrrInstance,
}

/// What one tool's runs of a transition gave.
struct Runs {
    times: Vec<Duration>,
    converged: bool,
}

impl Runs {
    fn new() -> Runs {
        Runs {
            times: Vec::new(),
            converged: true,
        }
    }

    fn push(&mut self, (took, ok): (Duration, bool)) {
        self.times.push(took);
        self.converged &= ok;
    }

    fn median(&self) -> Option<Duration> {
        (!self.times.is_empty()).then(|| median(self.times.clone()))
    }
}

/// How the agent answered.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Answer {
    /// From its last result: the same configuration, no command sent.
    Cached,
    /// With its last read standing for the first read.
    ReusedRead,
    FreshRead,
}

/// How long the agent is idle before the timed configuration.
const IDLE: Duration = Duration::from_millis(500);

/// The longest a reload of the largest size may take.
const RELOAD_TIMEOUT: Duration = Duration::from_secs(900);

impl Bench {
    fn write(&self, name: &str, text: &str) -> PathBuf {
        self.frr
            .write_file(name, text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The agent serving, in its steady state: a fresh agent is given
    /// `from` first (FRR runs it already: the agent reads it), then `to`,
    /// and the second PUT is timed. Also how it answered: from its cache
    /// (same sha256), with its last read reused, or with a fresh read.
    fn agent(&self, from: &str, to: &str) -> (Duration, bool, Answer) {
        let dirs = AgentDirs::new();
        let agent = Agent::start(&self.frr, &dirs, &AgentOptions::default());
        if !from.is_empty() {
            let warm = agent.put_config_within(RELOAD_TIMEOUT, from);
            assert_eq!(warm.status, 200, "{}", warm.text());
            // An agent between two configurations is idle: after a reload
            // it starts vtysh for the next one's check and script.
            std::thread::sleep(IDLE);
        }
        let started = Instant::now();
        let reply = agent.put_config_within(RELOAD_TIMEOUT, to);
        let took = started.elapsed();
        let result: Option<ApplyResult> = (reply.status == 200).then(|| reply.json());
        let converged = result
            .as_ref()
            .is_some_and(|r| r.outcome == Outcome::Converged)
            && self.converged(to);
        let answer = match result {
            Some(r) if r.cached => Answer::Cached,
            Some(r) if r.reload.reused_read => Answer::ReusedRead,
            _ => Answer::FreshRead,
        };
        (took, converged, answer)
    }

    /// Our one-shot reload of `text`: its wall time and whether FRR then
    /// runs `text`.
    fn one_shot(&self, text: &str) -> (Duration, bool) {
        let path = self.write("ours.conf", text);
        let vtysh = self.frr.vtysh();
        let started = Instant::now();
        let status = Command::new(&self.agent)
            .args(["reload", "-N", self.frr.name(), "--vtysh"])
            .arg(&vtysh.program)
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run the agent");
        let took = started.elapsed();
        (took, status.success() && self.converged(text))
    }

    fn python(&self, text: &str) -> (Duration, bool) {
        let started = Instant::now();
        let run = self.frr.frr_reload_py(text);
        let took = started.elapsed();
        if let Err(e) = run {
            panic!("{e}");
        }
        (took, self.converged(text))
    }

    /// Whether FRR runs `text` (our diff against it is empty, boot-only
    /// lines aside).
    fn converged(&self, text: &str) -> bool {
        let running = self.frr.running_config().unwrap_or_else(|e| panic!("{e}"));
        let version = FrrVersion::detect(&running).unwrap_or_default();
        let (Ok(running), Ok(desired)) = (
            Config::parse_for(&running, version),
            Config::parse_for(text, version),
        ) else {
            return false;
        };
        if text.is_empty() {
            // Only what FRR prints of itself (version, hostname, …).
            return running.contexts.keys().all(|k| k.as_slice().len() == 1)
                && running.contexts.keys().all(|k| {
                    let line = &k.as_slice()[0];
                    !line.contains("prefix-list") && !line.starts_with("route-map")
                });
        }
        let delta = diff(&running, &desired);
        delta
            .delete
            .iter()
            .chain(&delta.add)
            .all(|c| c.context.is_empty() && c.command.contains("hostname"))
    }

    /// Puts FRR on `text` (an empty text: no configuration at all) with our
    /// one-shot reload from wherever it is (the reverse transition: fast
    /// where the transition is), checked.
    fn reset(&self, text: &str) {
        if self.converged(text) {
            return;
        }
        let text_or_blank = if text.is_empty() {
            "log stdout informational\n"
        } else {
            text
        };
        for _ in 0..3 {
            self.one_shot(text_or_blank);
            if self.converged(text) {
                return;
            }
        }
        panic!("cannot put FRR on the starting configuration");
    }

    /// FRR's own limit: the minimal delta from `from` to `to` in one
    /// `vtysh -f`.
    fn bound(&self, to: &str) -> (Duration, bool) {
        let running = self.frr.running_config().unwrap_or_else(|e| panic!("{e}"));
        let delta = reloader::diff_text(&running, to, &Options::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let path = self.write("delta.conf", &delta.script);
        let started = Instant::now();
        let run = self
            .frr
            .vtysh_run(&["-f", &path.to_string_lossy()])
            .unwrap_or_else(|e| panic!("{e}"));
        let took = started.elapsed();
        assert!(run.ok(), "the minimal delta failed: {}", run.text());
        (took, self.converged(to))
    }
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

struct Row {
    size: &'static str,
    lines: usize,
    transition: &'static str,
    runs: usize,
    agent: Runs,
    one_shot: Runs,
    python: Runs,
    bound: Runs,
    /// How the agent answered, when all its runs answered alike.
    answer: Option<Answer>,
}

/// The tools measured on each run, in turn.
#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Agent,
    OneShot,
    Python,
    Bound,
}

/// A transition that starts where another one ends, and runs right after
/// it, by the same tool, instead of after a reset: the mass delete starts
/// from the full configuration the initial load ends on, which saves FRR
/// a full load per run (about 90 s at the large size).
const FOLLOWS: [(&str, &str); 1] = [("mass-delete", "initial")];

fn bench_size(
    agent: &Path,
    size: &Size,
    runs: usize,
    one_shot: bool,
    only: &[String],
    rows: &mut Vec<Row>,
) {
    let frr = FrrInstance::start_default(Release::Frr84).unwrap_or_else(|e| panic!("{e}"));
    let bench = Bench {
        agent: agent.to_owned(),
        frr,
    };
    let cases: Vec<_> = transitions(size)
        .into_iter()
        .filter(|(name, ..)| only.is_empty() || only.iter().any(|t| t == name))
        .collect();
    let follower = |name: &str| {
        FOLLOWS
            .iter()
            .find(|(_, first)| *first == name)
            .and_then(|(then, _)| cases.iter().find(|(n, ..)| n == then))
    };
    let first_row = rows.len();
    for case in &cases {
        if FOLLOWS
            .iter()
            .any(|(then, first)| *then == case.0 && cases.iter().any(|(n, ..)| n == first))
        {
            continue; // measured after the transition it follows
        }
        let mut chain = vec![case];
        chain.extend(follower(case.0));
        let mut tools = vec![Tool::Agent, Tool::Python, Tool::Bound];
        // The one-shot's no-op is a target of its own; the rest of its
        // column is asked for with --one-shot.
        if one_shot || (case.0 == "noop" && size.name != "large") {
            tools.insert(1, Tool::OneShot);
        }
        let mut measured: Vec<(Row, Vec<Answer>)> = chain
            .iter()
            .map(|(name, from, to)| {
                let row = Row {
                    size: size.name,
                    lines: to.lines().count().max(from.lines().count()),
                    transition: name,
                    runs,
                    agent: Runs::new(),
                    one_shot: Runs::new(),
                    python: Runs::new(),
                    bound: Runs::new(),
                    answer: None,
                };
                (row, Vec::new())
            })
            .collect();
        for run in 0..runs {
            // Each run starts with another tool.
            for i in 0..tools.len() {
                let tool = tools[(run + i) % tools.len()];
                for ((_, from, to), (row, answers)) in chain.iter().zip(&mut measured) {
                    bench.reset(from);
                    match tool {
                        Tool::Agent => {
                            let (took, ok, answer) = bench.agent(from, to);
                            row.agent.push((took, ok));
                            answers.push(answer);
                        }
                        Tool::OneShot => row.one_shot.push(bench.one_shot(to)),
                        Tool::Python => row.python.push(bench.python(to)),
                        Tool::Bound => row.bound.push(bench.bound(to)),
                    }
                }
            }
        }
        for (mut row, answers) in measured {
            row.answer = answers.iter().all(|a| *a == answers[0]).then(|| answers[0]);
            let show = |r: &Runs| r.median().map_or_else(|| "-".to_owned(), secs);
            eprintln!(
                "{} {} {}: agent {} s, one-shot {} s, frr-reload.py {} s, bound {} s",
                row.size,
                row.lines,
                row.transition,
                show(&row.agent),
                show(&row.one_shot),
                show(&row.python),
                show(&row.bound),
            );
            rows.push(row);
        }
    }
    // The table keeps the transitions' order.
    let position = |name: &str| cases.iter().position(|(n, ..)| *n == name);
    rows[first_row..].sort_by_key(|r| position(r.transition));
}

fn print_table(rows: &[Row]) {
    let show = |r: &Runs| r.median().map_or_else(|| "-".to_owned(), secs);
    let ok = |r: &Runs| match (r.times.is_empty(), r.converged) {
        (true, _) => "-",
        (false, true) => "yes",
        (false, false) => "NO",
    };
    println!("| size | lines | transition | runs | agent (s) | one-shot (s) | frr-reload.py (s) | py / agent | FRR bound (s) | agent / bound | converged (agent, one-shot, py, bound) |");
    println!("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for r in rows {
        let (Some(agent), Some(python), Some(bound)) =
            (r.agent.median(), r.python.median(), r.bound.median())
        else {
            continue;
        };
        println!(
            "| {} | {} | {} | {} | {} ({}) | {} | {} | {:.1}× | {} | {:.2} | {}, {}, {}, {} |",
            r.size,
            r.lines,
            r.transition,
            r.runs,
            secs(agent),
            match r.answer {
                Some(Answer::Cached) => "cached",
                Some(Answer::ReusedRead) => "read reused",
                Some(Answer::FreshRead) => "fresh read",
                None => "mixed",
            },
            show(&r.one_shot),
            secs(python),
            python.as_secs_f64() / agent.as_secs_f64(),
            secs(bound),
            agent.as_secs_f64() / bound.as_secs_f64().max(1e-3),
            ok(&r.agent),
            ok(&r.one_shot),
            ok(&r.python),
            ok(&r.bound),
        );
    }
}

/// VmRSS and VmHWM of a process, in KiB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The daemon: no-op answer time and memory.
fn bench_daemon() {
    let frr = FrrInstance::start_default(Release::Frr84).unwrap_or_else(|e| panic!("{e}"));
    let dirs = AgentDirs::new();
    let daemon = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            resync_interval: Some(60),
            ..AgentOptions::default()
        },
    );
    std::thread::sleep(Duration::from_secs(1));
    let (idle, _) = memory(daemon.pid());
    let medium = Spec::new(2, 500).render();
    let first = daemon.put_config(&medium);
    assert_eq!(first.status, 200, "{}", first.text());
    let mut noop = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let again = daemon.put_config(&medium);
        noop.push(started.elapsed());
        assert_eq!(again.status, 200);
    }
    // 100k lines FRR takes quickly: `network` statements (/32s of
    // 198.18.0.0/15).
    let mut big = String::from(
        "router bgp 64512\n no bgp network import-check\n address-family ipv4 unicast\n",
    );
    let base = u32::from(std::net::Ipv4Addr::new(198, 18, 0, 0));
    for i in 0..100_000u32 {
        big.push_str(&format!(
            "  network {}/32\n",
            std::net::Ipv4Addr::from(base + i)
        ));
    }
    let started = Instant::now();
    let reply = daemon.put_config(&big);
    let took = started.elapsed();
    let (_, peak) = memory(daemon.pid());
    println!();
    println!("daemon (release build, FRR 8.4):");
    println!(
        "  no-op PUT of the medium config (same sha256, cached): median {:.1} ms over 20",
        median(noop).as_secs_f64() * 1e3
    );
    println!("  RSS idle: {:.1} MB", idle as f64 / 1024.0);
    println!(
        "  100k-line reload (`network` lines): HTTP {} in {} s, peak RSS {:.1} MB",
        reply.status,
        secs(took),
        peak as f64 / 1024.0
    );
}

/// The sizes a comma-separated list names, in the suite's order.
fn size_names(list: &str) -> Vec<&'static str> {
    SIZES
        .iter()
        .map(|s| s.name)
        .filter(|n| list.split(',').any(|x| x == *n))
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let agent = PathBuf::from(args.next().expect("usage: bench_e2e AGENT [options]"));
    let mut sizes = vec!["small", "medium", "large"];
    let mut runs = 3;
    let mut large_runs = 1;
    let mut daemon = true;
    let mut one_shot_sizes = vec![];
    let mut only: Vec<String> = Vec::new();
    let mut dump = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sizes" => sizes = size_names(&args.next().expect("--sizes LIST")),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--large-runs" => {
                large_runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--large-runs N");
            }
            "--no-daemon" => daemon = false,
            "--one-shot" => one_shot_sizes = size_names(&args.next().expect("--one-shot SIZES")),
            "--dump" => dump = Some(PathBuf::from(args.next().expect("--dump DIR"))),
            "--transitions" => {
                only = args
                    .next()
                    .expect("--transitions LIST")
                    .split(',')
                    .map(str::to_owned)
                    .collect();
            }
            other => panic!("unknown argument {other}"),
        }
    }
    if let Some(dir) = dump {
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for size in SIZES.iter().filter(|s| sizes.contains(&s.name)) {
            for (name, from, to) in transitions(size) {
                for (end, text) in [("from", from), ("to", to)] {
                    let path = dir.join(format!("{}-{name}.{end}.conf", size.name));
                    std::fs::write(&path, text)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                }
            }
        }
        return;
    }
    std::env::set_var("FRR_RELOAD_AGENT_BIN", &agent);
    let mut rows = Vec::new();
    for size in SIZES.iter().filter(|s| sizes.contains(&s.name)) {
        let n = if size.name == "large" {
            large_runs
        } else {
            runs
        };
        let one_shot = one_shot_sizes.contains(&size.name);
        bench_size(&agent, size, n, one_shot, &only, &mut rows);
    }
    print_table(&rows);
    if daemon {
        bench_daemon();
    }
}
