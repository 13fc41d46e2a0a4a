//! End-to-end benchmark against real FRR (`scripts/bench-e2e.sh` builds and
//! runs it; `--release 8.4|10.3|10.4.3|10.7.1`, default 8.4, the FRR 10
//! releases in their chroots): for frr-k8s-shaped configurations (N neighbors ×
//! S services) and the transitions frr-k8s makes, the time from "a new
//! config" to "FRR runs it" for
//! - the agent serving (`frr-reload-agent serve`, release build), in its
//!   steady state: a fresh agent is given the first config (which FRR
//!   already runs), then, half a second later (an idle agent has its
//!   vtysh started for the next reload), the second, and the second PUT
//!   is timed;
//! - our one-shot `frr-reload-agent reload`, on the no-op at the small and
//!   medium sizes (on every transition of `--one-shot SIZES`);
//! - frr-reload.py `--reload` of the same release, on the same FRR
//!   instance, killed after 10 minutes (reported as "> 600 s"; a
//!   transition it did not finish at one size is not tried at the larger
//!   ones);
//! - FRR's limit (issue 19's definition): the agent's computed delta
//!   written to a file and applied with one `vtysh -f`, plus one `show
//!   running-config` through vtysh, timed one after the other.
//!
//! Each run starts from the transition's first config (put back with our
//! one-shot reload, and checked), except the mass delete, which each tool
//! runs right after its initial load, from the full config that load ended
//! on; every run is checked to have converged.
//! The tools take turns going first. Also: the daemon's no-op answer and its memory (idle, and
//! through a 100k-line reload). Prints one table of medians and ratios.
//!
//! usage: bench_e2e AGENT [--release R] [--sizes small,medium,large,xl,xxl]
//!        [--transitions a,b] [--runs N] [--large-runs N] [--one-shot SIZES]
//!        [--no-daemon] [--profile] [--fresh-checks | --new-texts] [--forget-reads]
//!        [--agents-only | --no-python] [--old-agent] [--dump DIR]
//!
//! `xl` (4 × 2,500) and `xxl` (8 × 5,000) run once, as the large size.
//! Besides the table, each row's phases as the agent's `timingsMs` report
//! them (serving and one-shot: check, read, diff, apply, passes).
//! `--profile` times FRR's own steps instead (vtysh's start, a read
//! through vtysh and from the vty sockets, the check of the whole text, a
//! one-line `vtysh -f`) at each size.
//!
//! The one-shot keeps what it keeps between runs (the direct-read check,
//! the texts FRR's check accepted, its last read) in a directory of the
//! bench's own: a transition's second and third runs give FRR's check a
//! text it accepted in the first. Each timed one-shot run follows an
//! untimed one given the text FRR runs, as a controller's runs follow one
//! another: the read it keeps is what FRR runs (FRR is put on the
//! transition's start by any tool). `--fresh-checks` forgets the
//! accepted texts and the last read before each timed one-shot run, so
//! that each reads FRR and checks its whole text, as a first run does.
//! `--new-texts` forgets the accepted texts only, so that each timed run
//! is given a text new to it after the one it accepted last: a
//! controller's next text, whose changed blocks only are checked.
//! `--forget-reads` forgets the last read only (each timed run reads FRR
//! first, as the one-shot did before it kept one).
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

const SIZES: [Size; 5] = [
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
    Size {
        name: "xl",
        neighbors: 4,
        services: 2500,
    },
    Size {
        name: "xxl",
        neighbors: 8,
        services: 5000,
    },
];

/// Whether `size` runs once, as the large size does.
fn runs_once(size: &Size) -> bool {
    matches!(size.name, "large" | "xl" | "xxl")
}

/// How long frr-reload.py may take on one measurement.
const PY_LIMIT: Duration = Duration::from_secs(600);

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
    /// The one-shot's `--cache-dir` (the direct-read check and FRR's kept
    /// checks), the bench's own.
    cache: PathBuf,
    /// An agent from before `--cache-dir` (`--old-agent`): not given one.
    old_agent: bool,
}

/// The phases of one reload, as `timingsMs` reports them.
#[derive(Clone, Copy, Default)]
struct Phases {
    check: u64,
    read: u64,
    diff: u64,
    apply: u64,
    total: u64,
    passes: u32,
}

impl Phases {
    fn of(result: &ApplyResult) -> Phases {
        let t = &result.timings_ms;
        Phases {
            check: t.validate_ms,
            read: t.read_ms,
            diff: t.diff_ms,
            apply: t.apply_ms,
            total: t.total_ms,
            passes: result.reload.passes,
        }
    }
}

/// What one tool's runs of a transition gave.
struct Runs {
    times: Vec<Duration>,
    converged: bool,
    /// Runs killed at [`PY_LIMIT`] (frr-reload.py), or not tried since it
    /// was killed at a smaller size: counted as longer than every time.
    timed_out: usize,
    /// The phases the agent reported (serving, one-shot).
    phases: Vec<Phases>,
    /// For FRR's limit: the `vtysh -f` and the read, apart.
    parts: Vec<(Duration, Duration)>,
}

impl Runs {
    fn new() -> Runs {
        Runs {
            times: Vec::new(),
            converged: true,
            timed_out: 0,
            phases: Vec::new(),
            parts: Vec::new(),
        }
    }

    fn push(&mut self, (took, ok): (Duration, bool)) {
        self.times.push(took);
        self.converged &= ok;
    }

    fn measured(&self) -> bool {
        !self.times.is_empty() || self.timed_out > 0
    }

    /// The median, `None` when it is a run killed at the limit.
    fn median(&self) -> Option<Duration> {
        if self.times.is_empty() || self.timed_out * 2 >= self.times.len() + self.timed_out {
            return None;
        }
        let mut all = self.times.clone();
        all.sort();
        // The timed-out runs sort after every finished one.
        Some(all[(all.len() + self.timed_out) / 2])
    }

    fn show(&self) -> String {
        match self.median() {
            Some(d) => secs(d),
            None if self.timed_out > 0 => format!("> {}", PY_LIMIT.as_secs()),
            None => "-".to_owned(),
        }
    }

    /// The median of each phase.
    fn phases(&self) -> Option<Phases> {
        if self.phases.is_empty() {
            return None;
        }
        let m = |f: fn(&Phases) -> u64| {
            let mut v: Vec<u64> = self.phases.iter().map(f).collect();
            v.sort_unstable();
            v[v.len() / 2]
        };
        let mut passes: Vec<u32> = self.phases.iter().map(|p| p.passes).collect();
        passes.sort_unstable();
        Some(Phases {
            check: m(|p| p.check),
            read: m(|p| p.read),
            diff: m(|p| p.diff),
            apply: m(|p| p.apply),
            total: m(|p| p.total),
            passes: passes[passes.len() / 2],
        })
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
    fn agent(&self, from: &str, to: &str) -> (Duration, bool, Answer, Option<Phases>) {
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
        let phases = result.as_ref().map(Phases::of);
        let answer = match result {
            Some(r) if r.cached => Answer::Cached,
            Some(r) if r.reload.reused_read => Answer::ReusedRead,
            _ => Answer::FreshRead,
        };
        (took, converged, answer, phases)
    }

    /// Our one-shot reload of `text`: its wall time and whether FRR then
    /// runs `text`.
    fn one_shot(&self, text: &str) -> (Duration, bool) {
        let (took, ok, _) = self.one_shot_phases(text);
        (took, ok)
    }

    /// [`Bench::one_shot`], with the phases it reported (`--json`).
    fn one_shot_phases(&self, text: &str) -> (Duration, bool, Option<Phases>) {
        let path = self.write("ours.conf", text);
        let vtysh = self.frr.vtysh();
        let started = Instant::now();
        let output = Command::new(&self.agent)
            .args(["reload", "--json", "-N", self.frr.name(), "--vtysh"])
            .arg(&vtysh.program)
            .args(
                (!self.old_agent)
                    .then(|| ["--cache-dir".as_ref(), self.cache.as_os_str()])
                    .into_iter()
                    .flatten(),
            )
            .arg(&path)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .expect("run the agent");
        let took = started.elapsed();
        let phases = serde_json::from_slice::<ApplyResult>(&output.stdout)
            .ok()
            .map(|r| Phases::of(&r));
        (
            took,
            output.status.success() && self.converged(text),
            phases,
        )
    }

    /// Forgets what earlier one-shot runs kept in the files named
    /// `PREFIX*`: the texts FRR's check accepted (`checks-`: the next
    /// one-shot checks its text with FRR, as a text never given before
    /// is), or the last read (`last-read-`: it reads FRR).
    fn forget(&self, prefix: &str) {
        for entry in std::fs::read_dir(&self.cache)
            .into_iter()
            .flatten()
            .flatten()
        {
            if entry.file_name().to_string_lossy().starts_with(prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// frr-reload.py of the same release; `None` when killed at
    /// [`PY_LIMIT`].
    fn python(&self, text: &str) -> Option<(Duration, bool)> {
        let started = Instant::now();
        let run = self
            .frr
            .frr_reload_py_within(text, Some(PY_LIMIT))
            .unwrap_or_else(|e| panic!("{e}"));
        let took = started.elapsed();
        run.map(|_| (took, self.converged(text)))
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

    /// FRR's limit: the agent's delta from what runs to `to`, written to
    /// a file and applied with one `vtysh -f`, then one `show
    /// running-config`; both times, apart.
    fn bound(&self, to: &str) -> (Duration, bool, (Duration, Duration)) {
        let running = self.frr.running_config().unwrap_or_else(|e| panic!("{e}"));
        let delta = reloader::diff_text(&running, to, &Options::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let path = self.write("delta.conf", &delta.script);
        let started = Instant::now();
        let run = self
            .frr
            .vtysh_run(&["-f", &path.to_string_lossy()])
            .unwrap_or_else(|e| panic!("{e}"));
        let applied = started.elapsed();
        let read = self
            .frr
            .vtysh_run(&["-c", "show running-config"])
            .unwrap_or_else(|e| panic!("{e}"));
        let took = started.elapsed();
        assert!(run.ok(), "the minimal delta failed: {}", run.text());
        assert!(read.ok(), "the read failed: {}", read.text());
        (took, self.converged(to), (applied, took - applied))
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
/// a full load per run (about 90 s at the large size on FRR 8.4).
const FOLLOWS: [(&str, &str); 1] = [("mass-delete", "initial")];

/// What a timed one-shot run finds kept of FRR's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checks {
    /// What the runs before it kept: a transition's second and third runs
    /// find their text accepted.
    Kept,
    /// Nothing (`--fresh-checks`).
    Fresh,
    /// The text FRR runs, accepted last (`--new-texts`).
    New,
}

/// What the suite is asked to run.
struct Plan<'a> {
    agent: &'a Path,
    release: Release,
    one_shot: bool,
    only: &'a [String],
    /// What each timed one-shot run finds kept of FRR's checks.
    checks: Checks,
    /// Only the agent, serving and one-shot (`--agents-only`): for
    /// comparing two agents on the same FRR, run after run.
    agents_only: bool,
    /// The agent and FRR's limit, without frr-reload.py (`--no-python`):
    /// for the sizes where it takes longer than the rest together.
    no_python: bool,
    /// See [`Bench::old_agent`].
    old_agent: bool,
    /// Forget the one-shot's last read before each timed run
    /// (`--forget-reads`): it reads FRR first, as before it kept one.
    forget_reads: bool,
    /// Transitions frr-reload.py did not finish within [`PY_LIMIT`] at a
    /// smaller size: not tried again.
    py_gave_up: &'a mut Vec<&'static str>,
}

/// An instance of `release`, its vty sockets where the agent looks for
/// them, as in a pod where the agent and FRR share `/var/run/frr` (see
/// [`FrrInstance::expose_sockets`]).
fn start(release: Release) -> FrrInstance {
    let mut frr = FrrInstance::start_default(release).unwrap_or_else(|e| panic!("{e}"));
    frr.expose_sockets().unwrap_or_else(|e| panic!("{e}"));
    frr
}

fn bench_size(plan: &mut Plan<'_>, size: &Size, runs: usize, rows: &mut Vec<Row>) {
    let frr = start(plan.release);
    let cache = frr.private_dir().join("one-shot-cache");
    let bench = Bench {
        agent: plan.agent.to_owned(),
        frr,
        cache,
        old_agent: plan.old_agent,
    };
    let only = plan.only;
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
        let mut tools = if plan.agents_only {
            vec![Tool::Agent]
        } else if plan.no_python {
            vec![Tool::Agent, Tool::Bound]
        } else {
            vec![Tool::Agent, Tool::Python, Tool::Bound]
        };
        // The one-shot's no-op is a target of its own; the rest of its
        // column is asked for with --one-shot.
        if plan.one_shot || (case.0 == "noop" && size.name != "large") {
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
                for ((name, from, to), (row, answers)) in chain.iter().zip(&mut measured) {
                    if tool == Tool::Python && plan.py_gave_up.contains(name) {
                        row.python.timed_out += 1;
                        continue;
                    }
                    bench.reset(from);
                    match tool {
                        Tool::Agent => {
                            let (took, ok, answer, phases) = bench.agent(from, to);
                            row.agent.push((took, ok));
                            row.agent.phases.extend(phases);
                            answers.push(answer);
                        }
                        Tool::OneShot => {
                            match plan.checks {
                                Checks::Kept => {
                                    bench.one_shot(from);
                                }
                                Checks::New => {
                                    bench.forget("checks-");
                                    bench.one_shot(from);
                                }
                                Checks::Fresh => {
                                    bench.forget("checks-");
                                    bench.forget("last-read-");
                                }
                            }
                            if plan.forget_reads {
                                bench.forget("last-read-");
                            }
                            let (took, ok, phases) = bench.one_shot_phases(to);
                            row.one_shot.push((took, ok));
                            row.one_shot.phases.extend(phases);
                        }
                        Tool::Python => match bench.python(to) {
                            Some(run) => row.python.push(run),
                            None => {
                                row.python.timed_out += 1;
                                plan.py_gave_up.push(name);
                            }
                        },
                        Tool::Bound => {
                            let (took, ok, parts) = bench.bound(to);
                            row.bound.push((took, ok));
                            row.bound.parts.push(parts);
                        }
                    }
                }
            }
        }
        for (mut row, answers) in measured {
            row.answer = (!answers.is_empty() && answers.iter().all(|a| *a == answers[0]))
                .then(|| answers[0]);
            eprintln!(
                "FRR {} {} {} {}: agent {} s, one-shot {} s, frr-reload.py {} s, limit {} s",
                plan.release,
                row.size,
                row.lines,
                row.transition,
                row.agent.show(),
                row.one_shot.show(),
                row.python.show(),
                row.bound.show(),
            );
            rows.push(row);
        }
    }
    // The table keeps the transitions' order.
    let position = |name: &str| cases.iter().position(|(n, ..)| *n == name);
    rows[first_row..].sort_by_key(|r| position(r.transition));
}

/// `a / b`, or `-` when either is missing; `> x` when `a` timed out.
fn ratio(a: &Runs, b: &Runs, digits: usize) -> String {
    match (a.median(), b.median()) {
        (Some(a), Some(b)) => format!("{:.digits$}×", a.as_secs_f64() / b.as_secs_f64().max(1e-3)),
        (None, Some(b)) if a.timed_out > 0 => format!(
            "> {:.digits$}×",
            PY_LIMIT.as_secs_f64() / b.as_secs_f64().max(1e-3)
        ),
        _ => "-".to_owned(),
    }
}

fn print_table(release: Release, rows: &[Row]) {
    let ok = |r: &Runs| match (r.times.is_empty(), r.converged) {
        (true, _) => "-",
        (false, true) => "yes",
        (false, false) => "NO",
    };
    println!("FRR {release}: medians; limit = the agent's delta in one `vtysh -f` + one `show running-config`");
    println!();
    println!("| size | lines | transition | runs | agent serving (s) | one-shot (s) | frr-reload.py (s) | py / serving | py / one-shot | FRR's limit (s) | serving / limit | one-shot / limit | converged (serving, one-shot, py, limit) |");
    println!(
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for r in rows {
        if !r.agent.measured() {
            continue;
        }
        println!(
            "| {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} | {}, {}, {}, {} |",
            r.size,
            r.lines,
            r.transition,
            r.runs,
            r.agent.show(),
            match r.answer {
                Some(Answer::Cached) => "cached",
                Some(Answer::ReusedRead) => "read reused",
                Some(Answer::FreshRead) => "fresh read",
                None => "mixed",
            },
            r.one_shot.show(),
            r.python.show(),
            ratio(&r.python, &r.agent, 1),
            ratio(&r.python, &r.one_shot, 1),
            r.bound.show(),
            ratio(&r.agent, &r.bound, 2),
            ratio(&r.one_shot, &r.bound, 2),
            ok(&r.agent),
            ok(&r.one_shot),
            ok(&r.python),
            ok(&r.bound),
        );
    }
    println!();
    println!("Phases (ms, medians of the agent's own timingsMs: check = FRR's check beside the first read; read = every read; passes of apply + read; wall = the tool's time as measured outside; limit's apply and read apart):");
    println!();
    println!("| size | transition | who | wall | total | check | read | diff | apply | passes | limit: vtysh -f | limit: read |");
    println!("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in rows {
        let parts = limit_parts(r);
        for (who, runs) in [("serving", &r.agent), ("one-shot", &r.one_shot)] {
            let (Some(p), Some(wall)) = (runs.phases(), runs.median()) else {
                continue;
            };
            println!(
                "| {} | {} | {who} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.size,
                r.transition,
                wall.as_secs_f64() * 1e3,
                p.total,
                p.check,
                p.read,
                p.diff,
                p.apply,
                p.passes,
                parts.0,
                parts.1,
            );
        }
    }
}

/// The limit's `vtysh -f` and read, apart (medians, ms).
fn limit_parts(r: &Row) -> (String, String) {
    if r.bound.parts.is_empty() {
        return ("-".into(), "-".into());
    }
    let ms = |d: Duration| format!("{:.0}", d.as_secs_f64() * 1e3);
    (
        ms(median(r.bound.parts.iter().map(|p| p.0).collect())),
        ms(median(r.bound.parts.iter().map(|p| p.1).collect())),
    )
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

/// No-op PUTs timed by the daemon bench.
const NOOP_RUNS: usize = 50;

/// The daemon: no-op answer time and memory.
fn bench_daemon(release: Release) {
    let frr = start(release);
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
    for _ in 0..NOOP_RUNS {
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
    let reply = daemon.put_config_within(RELOAD_TIMEOUT, &big);
    let took = started.elapsed();
    let (_, peak) = memory(daemon.pid());
    let outcome = (reply.status == 200)
        .then(|| reply.json::<ApplyResult>().outcome)
        .map_or_else(|| "-".to_owned(), |o| format!("{o:?}"));
    println!();
    println!("daemon (release build, FRR {release}):");
    println!(
        "  no-op PUT of the medium config (same sha256, cached): median {:.1} ms over {NOOP_RUNS}",
        median(noop).as_secs_f64() * 1e3
    );
    println!("  RSS idle: {:.1} MB", idle as f64 / 1024.0);
    println!(
        "  100k-line reload (`network` lines): HTTP {} ({outcome}) in {} s, peak RSS {:.1} MB",
        reply.status,
        secs(took),
        peak as f64 / 1024.0
    );
}

/// FRR's own steps, apart, at each size (`--profile`): medians of `runs`.
fn profile(release: Release, size: &Size, runs: usize) {
    let frr = start(release);
    let spec = Spec::new(size.neighbors, size.services);
    let text = spec.render();
    frr.load(&text).unwrap_or_else(|e| panic!("{e}"));
    let time = |f: &dyn Fn()| {
        let mut v = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            f();
            v.push(t.elapsed());
        }
        median(v).as_secs_f64() * 1e3
    };
    let wrapper = time(&|| {
        let root = release.root();
        let _ = Command::new("chroot").arg(root).arg("/bin/true").status();
    });
    let version = time(&|| {
        frr.vtysh_run(&["-c", "show version"]).unwrap();
    });
    let vtysh_read = time(&|| {
        frr.vtysh_run(&["-c", "show running-config"]).unwrap();
    });
    let vty_read = time(&|| {
        let _ = reloader::frr::vty::read(&frr.run_dir(), Duration::from_secs(30));
    });
    let running = frr.running_config().unwrap();
    let merged = reloader::frr::vty::read(&frr.run_dir(), Duration::from_secs(30))
        .ok()
        .map(|answers| reloader::frr::vty::calibrate(&running, &answers).is_some());
    let full = frr.write_file("full.conf", text.as_bytes()).unwrap();
    let dryrun = time(&|| {
        frr.vtysh_run(&["--dryrun", "-f", &full.to_string_lossy()])
            .unwrap();
    });
    let one_line = reloader::diff_text(
        &running,
        &Transition::DenyPermit.apply(&spec).render(),
        &Options::default(),
    )
    .unwrap()
    .script;
    let back = reloader::diff_text(
        &Transition::DenyPermit.apply(&spec).render(),
        &text,
        &Options::default(),
    )
    .unwrap()
    .script;
    let there = frr.write_file("there.conf", one_line.as_bytes()).unwrap();
    let back_file = frr.write_file("back.conf", back.as_bytes()).unwrap();
    let mut there_times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        frr.vtysh_run(&["-f", &there.to_string_lossy()]).unwrap();
        there_times.push(t.elapsed());
        frr.vtysh_run(&["-f", &back_file.to_string_lossy()])
            .unwrap();
    }
    let apply = median(there_times).as_secs_f64() * 1e3;
    println!(
        "| {release} | {} | {} | {wrapper:.1} | {version:.1} | {vtysh_read:.1} | {vty_read:.1} | {} | {dryrun:.1} | {apply:.1} ({} lines) |",
        size.name,
        running.lines().count(),
        match merged {
            Some(true) => "yes",
            Some(false) => "no",
            None => "no answer",
        },
        one_line.lines().count(),
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
    let mut release = Release::Frr84;
    let mut profiling = false;
    let mut checks = Checks::Kept;
    let mut agents_only = false;
    let mut no_python = false;
    let mut old_agent = false;
    let mut forget_reads = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--release" => {
                let name = args.next().expect("--release 8.4|10.3|10.4.3|10.7.1");
                release =
                    Release::named(&name).unwrap_or_else(|| panic!("unknown FRR release {name}"));
            }
            "--sizes" => sizes = size_names(&args.next().expect("--sizes LIST")),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--large-runs" => {
                large_runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--large-runs N");
            }
            "--no-daemon" => daemon = false,
            "--profile" => profiling = true,
            "--fresh-checks" => checks = Checks::Fresh,
            "--new-texts" => checks = Checks::New,
            "--agents-only" => agents_only = true,
            "--no-python" => no_python = true,
            "--old-agent" => old_agent = true,
            "--forget-reads" => forget_reads = true,
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
    if profiling {
        println!("FRR's own steps (ms, medians of {runs}): chroot = `chroot ROOT /bin/true` (the harness's wrapper pays it on every vtysh of a chrooted FRR); vtysh start = `vtysh -c 'show version'`; read = `show running-config` through vtysh; vty = the daemons' vty sockets read side by side (no merge); merge = vtysh's text rebuilt from them byte for byte; check = `vtysh --dryrun -f` of the whole text; apply = deny → permit's delta through `vtysh -f`");
        println!();
        println!("| FRR | size | lines | chroot | vtysh start | read (vtysh) | read (vty) | merge = vtysh | check (whole text) | apply (vtysh -f) |");
        println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        for size in SIZES.iter().filter(|s| sizes.contains(&s.name)) {
            profile(release, size, runs);
        }
        return;
    }
    let mut rows = Vec::new();
    let mut py_gave_up = Vec::new();
    for size in SIZES.iter().filter(|s| sizes.contains(&s.name)) {
        let n = if runs_once(size) { large_runs } else { runs };
        let mut plan = Plan {
            agent: &agent,
            release,
            one_shot: one_shot_sizes.contains(&size.name),
            only: &only,
            checks,
            agents_only,
            no_python,
            old_agent,
            forget_reads,
            py_gave_up: &mut py_gave_up,
        };
        bench_size(&mut plan, size, n, &mut rows);
        // Each size's rows as soon as they are known.
        print_table(
            release,
            &rows[rows.len()
                - rows
                    .iter()
                    .rev()
                    .take_while(|r| r.size == size.name)
                    .count()..],
        );
    }
    if daemon {
        bench_daemon(release);
    }
}
