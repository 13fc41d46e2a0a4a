//! End-to-end benchmark against real FRR 8.4 (`scripts/bench-e2e.sh`
//! builds and runs it): for frr-k8s-shaped configurations (N neighbors ×
//! S services) and the transitions frr-k8s makes, the time from "a new
//! config" to "FRR runs it" for
//! - ours: `frr-reload-agent reload` (one-shot, release build);
//! - frr-reload.py `--reload`, on the same FRR instance, alternating;
//! - FRR's own limit: the minimal delta in one `vtysh -f`.
//!
//! Every run starts from the transition's first config (loaded and checked
//! with our reload) and is checked to have converged afterwards. Also: the
//! daemon's no-op answer and its memory (idle, and through a 100k-line
//! reload). Prints one table of medians and ratios.
//!
//! usage: bench_e2e AGENT [--sizes small,medium,large] [--transitions a,b]
//!        [--runs N] [--large-runs N] [--no-daemon] [--dump DIR]
//!
//! `--dump DIR` only writes each transition's configurations to
//! `DIR/SIZE-TRANSITION.{from,to}.conf` (to try them by hand).

#[allow(dead_code)]
#[path = "../../../reloader/benches/k8s_gen/mod.rs"]
mod k8s_gen;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use k8s_gen::{Spec, Transition};
use reloader::{diff, Config, FrrVersion, Options};
use tests::agent::{Agent, AgentDirs, AgentOptions};
use tests::frr::{FrrInstance, Release};

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

impl Bench {
    fn write(&self, name: &str, text: &str) -> PathBuf {
        self.frr
            .write_file(name, text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Our one-shot reload of `text`: its wall time and exit status.
    fn ours(&self, text: &str) -> (Duration, bool) {
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
        (started.elapsed(), status.success())
    }

    fn python(&self, text: &str) -> Duration {
        let started = Instant::now();
        let run = self.frr.frr_reload_py(text);
        let took = started.elapsed();
        if let Err(e) = run {
            panic!("{e}");
        }
        took
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
        let delta = diff(&running, &desired, &Options { version });
        delta
            .delete
            .iter()
            .chain(&delta.add)
            .all(|c| c.context.is_empty() && c.command.contains("hostname"))
    }

    /// Puts FRR on `text` (an empty text: no configuration at all).
    fn reset(&self, text: &str) {
        let text = if text.is_empty() {
            "log stdout informational\n"
        } else {
            text
        };
        for _ in 0..3 {
            self.ours(text);
            if self.converged(text) {
                return;
            }
        }
        panic!("cannot put FRR on the starting configuration");
    }

    /// FRR's own limit: the minimal delta from `from` to `to` in one
    /// `vtysh -f` (its median is taken over as many runs as the tools').
    fn bound(&self, from: &str, to: &str) -> Duration {
        self.reset(from);
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
        took
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
    ours: Duration,
    python: Duration,
    bound: Duration,
    ours_ok: bool,
    python_ok: bool,
    runs: usize,
}

fn bench_size(agent: &Path, size: &Size, runs: usize, only: &[String], rows: &mut Vec<Row>) {
    let frr = FrrInstance::start_default(Release::Frr84).unwrap_or_else(|e| panic!("{e}"));
    let bench = Bench {
        agent: agent.to_owned(),
        frr,
    };
    for (name, from, to) in transitions(size) {
        if !only.is_empty() && !only.iter().any(|t| t == name) {
            continue;
        }
        let (mut ours, mut python) = (Vec::new(), Vec::new());
        let (mut ours_ok, mut python_ok) = (true, true);
        for run in 0..runs {
            // Alternate which tool goes first.
            for tool in [run % 2, 1 - run % 2] {
                bench.reset(&from);
                if tool == 0 {
                    let (took, ok) = bench.ours(&to);
                    ours.push(took);
                    ours_ok &= ok && bench.converged(&to);
                } else {
                    python.push(bench.python(&to));
                    python_ok &= bench.converged(&to);
                }
            }
        }
        let bound = median((0..runs).map(|_| bench.bound(&from, &to)).collect());
        let row = Row {
            size: size.name,
            lines: to.lines().count().max(from.lines().count()),
            transition: name,
            ours: median(ours),
            python: median(python),
            bound,
            ours_ok,
            python_ok,
            runs,
        };
        eprintln!(
            "{} {} {}: ours {} s, frr-reload.py {} s, bound {} s",
            row.size,
            row.lines,
            row.transition,
            secs(row.ours),
            secs(row.python),
            secs(row.bound)
        );
        rows.push(row);
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
fn bench_daemon(agent: &Path) {
    std::env::set_var("FRR_RELOAD_AGENT_BIN", agent);
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

fn main() {
    let mut args = std::env::args().skip(1);
    let agent = PathBuf::from(args.next().expect("usage: bench_e2e AGENT [options]"));
    let mut sizes = vec!["small", "medium", "large"];
    let mut runs = 3;
    let mut large_runs = 1;
    let mut daemon = true;
    let mut only: Vec<String> = Vec::new();
    let mut dump = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sizes" => {
                let list = args.next().expect("--sizes LIST");
                sizes = SIZES
                    .iter()
                    .map(|s| s.name)
                    .filter(|n| list.split(',').any(|x| x == *n))
                    .collect();
            }
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--large-runs" => {
                large_runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--large-runs N");
            }
            "--no-daemon" => daemon = false,
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
    let mut rows = Vec::new();
    for size in SIZES.iter().filter(|s| sizes.contains(&s.name)) {
        let n = if size.name == "large" {
            large_runs
        } else {
            runs
        };
        bench_size(&agent, size, n, &only, &mut rows);
    }
    println!("| size | lines | transition | runs | ours (s) | frr-reload.py (s) | py / ours | FRR bound (s) | ours / bound | converged (ours, py) |");
    println!("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.1}× | {} | {:.2} | {}, {} |",
            r.size,
            r.lines,
            r.transition,
            r.runs,
            secs(r.ours),
            secs(r.python),
            r.python.as_secs_f64() / r.ours.as_secs_f64(),
            secs(r.bound),
            r.ours.as_secs_f64() / r.bound.as_secs_f64().max(1e-3),
            if r.ours_ok { "yes" } else { "NO" },
            if r.python_ok { "yes" } else { "NO" },
        );
    }
    if daemon {
        bench_daemon(&agent);
    }
}
