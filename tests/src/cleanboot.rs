//! Clean-boot equivalence, the oracle of a reload: for configurations A
//! and B, an instance booted with A and reloaded to B must run what an
//! instance booted with B runs (see [`crate::oracle`]). When FRR itself
//! refuses B, the reload must refuse it too and change nothing; when FRR
//! fails to load part of B at boot (or B holds no command), the reload
//! may refuse it, changing nothing.
//!
//! Each case runs on fresh instances: X (boot A, reload to B with ours,
//! then reload B once more, which must send nothing), Y (boot B, shared by
//! the cases that go to the same B) and, on FRR 8.4, Z (boot A, reload to
//! B with `frr-reload.py`), judged by the same oracle.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread;
use std::time::Instant;

use reloader::pipeline::{reload, Settings};

use crate::corpus::Input;
use crate::frr::{DaemonSet, FrrInstance, Release};
use crate::oracle::compare;

/// One transition to check.
#[derive(Debug, Clone)]
pub struct Case {
    /// Which part of the run it belongs to (`k8s`, `k8s-chain`, `gen`, `topo`).
    pub part: String,
    /// The boot configuration (A).
    pub from: Input,
    /// The configuration to reload to (B).
    pub to: Input,
}

impl Case {
    /// A case of `part` from `from` to `to`.
    pub fn new(part: &str, from: &Input, to: &Input) -> Case {
        Case {
            part: part.to_owned(),
            from: from.clone(),
            to: to.clone(),
        }
    }

    /// Its id on `release`: `8.4:k8s/empty>TestEVPNFull` (see [`tag`]).
    pub fn id(&self, release: Release) -> String {
        format!(
            "{}:{}/{}>{}",
            tag(release),
            self.part,
            self.from.name,
            self.to.name
        )
    }
}

/// How case ids name the release and the daemons the instances run
/// (`FRA_DAEMONS`): `8.4` with frr-k8s's, `8.4+every` with every daemon.
pub fn tag(release: Release) -> String {
    match DaemonSet::from_env() {
        DaemonSet::FrrK8s => release.to_string(),
        set => format!("{release}+{}", set.label()),
    }
}

/// Empty → each input, as cases of `part`.
pub fn from_empty(part: &str, inputs: &[Input]) -> Vec<Case> {
    let empty = Input::empty();
    inputs.iter().map(|i| Case::new(part, &empty, i)).collect()
}

/// Each input → the next one, as cases of `part`.
pub fn chain(part: &str, inputs: &[Input]) -> Vec<Case> {
    inputs
        .windows(2)
        .map(|w| Case::new(part, &w[0], &w[1]))
        .collect()
}

/// A verdict of the oracle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Equivalent to the clean boot (or, for a refused B, unchanged).
    Pass,
    /// Why not.
    Fail(String),
}

impl Verdict {
    /// Whether it passed.
    pub fn passed(&self) -> bool {
        *self == Verdict::Pass
    }
}

/// What one case found.
#[derive(Debug, Clone)]
pub struct Report {
    /// The case id (see [`Case::id`]).
    pub id: String,
    /// The part of the run.
    pub part: String,
    /// The oracle on our reload.
    pub ours: Verdict,
    /// What our reload reported: converged.
    pub converged: bool,
    /// What our reload reported: the configuration passed the check.
    pub conversion_ok: bool,
    /// Apply passes of our reload.
    pub passes: u32,
    /// What our reload reported as not converged (the first few commands).
    pub residue: Vec<String>,
    /// The oracle on `frr-reload.py`, when it ran.
    pub frr_reload: Option<Verdict>,
    /// Whether `frr-reload.py` passes when `ip forwarding` lines are left
    /// out of the comparison (it turns forwarding on when the new config
    /// does not mention it; a clean boot leaves it off).
    pub frr_reload_lenient: Option<bool>,
    /// Wall time of the case, seconds.
    pub seconds: f64,
}

/// A counting semaphore bounding how many cases run at once in this
/// process (`CLEAN_BOOT_JOBS`, default 4), whichever test runs them.
struct Slots {
    free: Mutex<usize>,
    cond: Condvar,
}

fn slots() -> &'static Slots {
    static SLOTS: OnceLock<Slots> = OnceLock::new();
    SLOTS.get_or_init(|| Slots {
        free: Mutex::new(jobs()),
        cond: Condvar::new(),
    })
}

/// Parallel cases (`CLEAN_BOOT_JOBS`, default 4).
pub fn jobs() -> usize {
    std::env::var("CLEAN_BOOT_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(4)
}

struct Slot;

impl Slot {
    fn take() -> Slot {
        let slots = slots();
        let mut free = slots.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = slots.cond.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let slots = slots();
        *slots.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        slots.cond.notify_one();
    }
}

type Cell = Arc<OnceLock<Result<Boot, String>>>;

/// What FRR made of a configuration on a fresh instance.
#[derive(Debug, Clone)]
struct Boot {
    /// FRR's own check (`vtysh --dryrun -f`) accepts it.
    accepted: bool,
    /// What FRR printed when it failed to load part of it at boot (`line
    /// N:` errors, `% Configuration failed.`), or `None`.
    load_failure: Option<String>,
    /// The running configuration after booting with it.
    running: String,
    /// Daemons that died booting with it.
    dead: Vec<String>,
}

/// Clean boots of one config tried before a crash counts.
const BOOT_ATTEMPTS: usize = 3;

/// Boots a fresh instance with `text`.
fn clean_boot(release: Release, text: &str) -> Result<Boot, String> {
    let y = FrrInstance::start_default(release)?;
    let check = y.write_file("check.conf", text.as_bytes())?;
    let dry = y.vtysh_run(&["--dryrun", "-f", &check.to_string_lossy()])?;
    let accepted = dry.ok() && reloader::frr::line_errors(&dry.text()).is_empty();
    let load = y.load(text)?;
    let output = load.text();
    let errors = reloader::frr::line_errors(&output);
    let load_failure = if let Some(first) = errors.first() {
        Some(format!("line {}: {}", first.line, first.message))
    } else if output.contains("% Configuration failed") {
        Some("% Configuration failed".to_owned())
    } else if !load.ok() {
        Some(format!("vtysh -f exited with {:?}", load.status))
    } else {
        None
    };
    Ok(Boot {
        accepted,
        load_failure,
        dead: y.dead_daemons(),
        running: y.running_config()?,
    })
}

/// Runs cases on one FRR release.
#[derive(Debug)]
pub struct Runner {
    release: Release,
    with_frr_reload: bool,
    boots: Mutex<HashMap<String, Cell>>,
}

impl Runner {
    /// A runner on `release`; `frr-reload.py` runs too when asked and on 8.4.
    pub fn new(release: Release, with_frr_reload: bool) -> Runner {
        Runner {
            release,
            with_frr_reload: with_frr_reload && release == Release::Frr84,
            boots: Mutex::new(HashMap::new()),
        }
    }

    /// The clean boot of `text` (once per text).
    fn boot(&self, text: &str) -> Result<Boot, String> {
        let cell = self
            .boots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(text.to_owned())
            .or_default()
            .clone();
        cell.get_or_init(|| {
            // FRR 10.3's mgmtd sometimes crashes loading a config it
            // rejects: a crashed boot is no reference, so try again.
            let mut boot = clean_boot(self.release, text)?;
            for _ in 1..BOOT_ATTEMPTS {
                if boot.dead.is_empty() {
                    break;
                }
                eprintln!(
                    "FRR {} crashed ({}) booting a config; booting it again",
                    self.release,
                    boot.dead.join(", ")
                );
                boot = clean_boot(self.release, text)?;
            }
            Ok(boot)
        })
        .clone()
    }

    /// Runs `cases` in parallel worker threads; reports in the input order.
    pub fn run(&self, cases: &[Case]) -> Vec<Report> {
        let next = AtomicUsize::new(0);
        let reports: Mutex<Vec<Option<Report>>> = Mutex::new(vec![None; cases.len()]);
        let verbose = std::env::var_os("CLEAN_BOOT_VERBOSE").is_some();
        thread::scope(|scope| {
            for _ in 0..jobs().min(cases.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(i) else { break };
                    let report = {
                        let _slot = Slot::take();
                        let run = std::panic::AssertUnwindSafe(|| self.run_case(case));
                        std::panic::catch_unwind(run).unwrap_or_else(|panic| {
                            let what = panic
                                .downcast_ref::<String>()
                                .cloned()
                                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                                .unwrap_or_default();
                            self.panicked(case, &what)
                        })
                    };
                    if verbose {
                        eprintln!("{}", line(&report));
                    }
                    reports.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(report);
                });
            }
        });
        reports
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .flatten()
            .collect()
    }

    fn panicked(&self, case: &Case, what: &str) -> Report {
        let mut report = self.empty_report(case);
        report.ours = Verdict::Fail(format!("panicked: {what}"));
        report
    }

    fn empty_report(&self, case: &Case) -> Report {
        Report {
            id: case.id(self.release),
            part: case.part.clone(),
            ours: Verdict::Pass,
            converged: false,
            conversion_ok: false,
            passes: 0,
            residue: Vec::new(),
            frr_reload: None,
            frr_reload_lenient: None,
            seconds: 0.0,
        }
    }

    /// Runs one case.
    pub fn run_case(&self, case: &Case) -> Report {
        let started = Instant::now();
        let mut report = self.empty_report(case);
        self.judge(case, &mut report);
        report.seconds = started.elapsed().as_secs_f64();
        report
    }

    fn judge(&self, case: &Case, report: &mut Report) {
        let boot = match self.boot(&case.to.text) {
            Ok(boot) => boot,
            Err(e) => {
                report.ours = Verdict::Fail(format!("harness: clean boot: {e}"));
                return;
            }
        };
        if !boot.dead.is_empty() {
            report.ours = Verdict::Fail(format!(
                "a clean boot with B crashes FRR ({}), {BOOT_ATTEMPTS} times: no reference",
                boot.dead.join(", ")
            ));
            return;
        }
        report.ours = match self.ours(case, &boot, report) {
            Ok(verdict) => verdict,
            Err(e) => Verdict::Fail(format!("harness: {e}")),
        };
        if self.with_frr_reload {
            let (verdict, lenient) = self
                .theirs(case, &boot)
                .unwrap_or_else(|e| (Verdict::Fail(format!("harness: {e}")), false));
            report.frr_reload = Some(verdict);
            report.frr_reload_lenient = Some(lenient);
        }
    }

    fn booted_with(&self, text: &str) -> Result<(FrrInstance, String), String> {
        let x = FrrInstance::start_default(self.release)?;
        if !text.is_empty() {
            x.load(text)?;
        }
        let before = x.running_config()?;
        Ok((x, before))
    }

    fn ours(&self, case: &Case, boot: &Boot, report: &mut Report) -> Result<Verdict, String> {
        let (x, before) = self.booted_with(&case.from.text)?;
        let settings = Settings::default();
        let result = reload(&x.vtysh(), &case.to.text, &settings);
        let after = x.running_config()?;
        report.converged = result.reload.converged;
        report.conversion_ok = result.conversion.ok;
        report.passes = result.reload.passes;
        report.residue = result
            .residue
            .iter()
            .take(3)
            .map(|c| {
                let mut parts = c.context.clone();
                parts.push(c.command.clone());
                parts.join(" > ")
            })
            .collect();
        let dead = x.dead_daemons();
        if !dead.is_empty() {
            return Ok(Verdict::Fail(format!(
                "crashed FRR: {} no longer running after the reload",
                dead.join(", ")
            )));
        }
        if !result.conversion.ok {
            let unchanged = after == before;
            // Refusing is right when FRR refuses B, when FRR fails to load
            // all of B at boot, and for a file without a single command
            // (refused on purpose: a controller never means "delete
            // everything" that way).
            let refuse = !boot.accepted
                || boot.load_failure.is_some()
                || no_commands(&case.to.text, self.release);
            return Ok(match (refuse, unchanged) {
                (true, true) => Verdict::Pass,
                (true, false) => Verdict::Fail("refused, but the running config changed".into()),
                (false, _) => Verdict::Fail(format!(
                    "refused a config FRR accepts: {}",
                    result.last_reload_result
                )),
            });
        }
        if let Err(mismatch) = compare(&after, &boot.running, self.release.version()) {
            let claim = if result.reload.converged {
                "reported converged, but "
            } else {
                ""
            };
            return Ok(Verdict::Fail(format!(
                "{claim}differs from a clean boot: {}",
                mismatch.summary(4)
            )));
        }
        if result.reload.converged {
            let again = reload(&x.vtysh(), &case.to.text, &settings);
            let after_again = x.running_config()?;
            if again.reload.passes != 0 || after_again != after || !again.reload.converged {
                return Ok(Verdict::Fail(format!(
                    "reloading the same config again: {} passes, converged {}, running config {}",
                    again.reload.passes,
                    again.reload.converged,
                    if after_again == after {
                        "unchanged"
                    } else {
                        "changed"
                    }
                )));
            }
        }
        Ok(Verdict::Pass)
    }

    /// The oracle on `frr-reload.py`, strict and with forwarding lines
    /// left out.
    fn theirs(&self, case: &Case, boot: &Boot) -> Result<(Verdict, bool), String> {
        let (z, before) = self.booted_with(&case.from.text)?;
        let run = z.frr_reload_py(&case.to.text)?;
        let dead = z.dead_daemons();
        if !dead.is_empty() {
            let why = format!("crashed FRR: {} no longer running", dead.join(", "));
            return Ok((Verdict::Fail(why), false));
        }
        let after = z.running_config()?;
        let version = self.release.version();
        let (reference, what) = if boot.accepted {
            (boot.running.as_str(), "differs from a clean boot")
        } else {
            (
                before.as_str(),
                "FRR refuses B, yet the running config changed",
            )
        };
        Ok(match compare(&after, reference, version) {
            Ok(()) => (Verdict::Pass, true),
            Err(m) => {
                let lenient = compare(
                    &without_forwarding(&after),
                    &without_forwarding(reference),
                    version,
                )
                .is_ok();
                let why = format!("{what} (exit {:?}): {}", run.status, m.summary(4));
                (Verdict::Fail(why), lenient)
            }
        })
    }
}

/// Whether `text` holds no configuration command (only comments, blank
/// lines), which the reload refuses by design.
fn no_commands(text: &str, release: Release) -> bool {
    reloader::Config::parse_for(text, release.version()).is_ok_and(|c| c.contexts.is_empty())
}

fn without_forwarding(text: &str) -> String {
    text.lines()
        .filter(|l| !matches!(l.trim(), "no ip forwarding" | "no ipv6 forwarding"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Known failures of ours: `tests/clean-boot-known.txt`, one `ID -- REASON`
/// per line (`#` comments).
pub fn known(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))?;
    let mut map = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, reason) = line
            .split_once(" -- ")
            .ok_or_else(|| format!("{}:{}: expected `ID -- REASON`", path.display(), n + 1))?;
        if reason.trim().is_empty() {
            return Err(format!("{}:{}: no reason given", path.display(), n + 1));
        }
        map.insert(id.trim().to_owned(), reason.trim().to_owned());
    }
    Ok(map)
}

fn mark(verdict: &Verdict) -> &'static str {
    if verdict.passed() {
        "ok"
    } else {
        "FAIL"
    }
}

/// Ours: `ok`, `ok*` (equal to the clean boot, but reported as not
/// converged: B holds what FRR does not run even at boot, or a false
/// alarm), `FAIL`.
fn our_mark(report: &Report) -> &'static str {
    match (&report.ours, report.converged || !report.conversion_ok) {
        (Verdict::Pass, true) => "ok",
        (Verdict::Pass, false) => "ok*",
        _ => "FAIL",
    }
}

/// One line about a report.
pub fn line(report: &Report) -> String {
    let mut s = format!(
        "{:5.1}s ours {:4} (converged {}, passes {})",
        report.seconds,
        our_mark(report),
        report.converged,
        report.passes
    );
    if let Some(theirs) = &report.frr_reload {
        let lenient = if !theirs.passed() && report.frr_reload_lenient == Some(true) {
            "~"
        } else {
            ""
        };
        let _ = write!(
            s,
            " frr-reload.py {:5}",
            format!("{}{lenient}", mark(theirs))
        );
    }
    let _ = write!(s, " {}", report.id);
    if !report.converged && report.conversion_ok && !report.residue.is_empty() {
        let _ = write!(
            s,
            "\n        ours reported residue: {}",
            report.residue.join(" | ")
        );
    }
    if let Verdict::Fail(why) = &report.ours {
        let _ = write!(s, "\n        ours: {why}");
    }
    if let Some(Verdict::Fail(why)) = &report.frr_reload {
        let _ = write!(s, "\n        frr-reload.py: {why}");
    }
    s
}

/// Counts of one part of a run.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    cases: usize,
    ours: usize,
    ours_converged: usize,
    theirs_cases: usize,
    theirs: usize,
    theirs_lenient: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.cases += other.cases;
        self.ours += other.ours;
        self.ours_converged += other.ours_converged;
        self.theirs_cases += other.theirs_cases;
        self.theirs += other.theirs;
        self.theirs_lenient += other.theirs_lenient;
    }

    fn print(&self, out: &mut String, part: &str) {
        let _ = write!(
            out,
            "  {part:<10} ours {:>3}/{:<3} (reported converged or refused: {:>3})",
            self.ours, self.cases, self.ours_converged
        );
        if self.theirs_cases > 0 {
            let _ = write!(
                out,
                "  frr-reload.py {:>3}/{:<3} (forwarding aside: {:>3})",
                self.theirs, self.theirs_cases, self.theirs_lenient
            );
        }
        out.push('\n');
    }
}

/// Pass counts per part: ours (and how many of those passes our reload
/// also reported as converged, or refused), `frr-reload.py` (strict, and
/// with the `ip forwarding` lines it turns on left aside).
pub fn summary(reports: &[Report]) -> String {
    let mut parts: BTreeMap<&str, Counts> = BTreeMap::new();
    for r in reports {
        let c = parts.entry(r.part.as_str()).or_default();
        c.cases += 1;
        c.ours += usize::from(r.ours.passed());
        c.ours_converged += usize::from(our_mark(r) == "ok");
        if let Some(theirs) = &r.frr_reload {
            c.theirs_cases += 1;
            c.theirs += usize::from(theirs.passed());
            c.theirs_lenient += usize::from(r.frr_reload_lenient == Some(true));
        }
    }
    let mut out = String::new();
    let mut total = Counts::default();
    for (part, counts) in &parts {
        counts.print(&mut out, part);
        total.add(*counts);
    }
    total.print(&mut out, "total");
    out
}

/// Checks reports against the known failures: the ids of failures of ours
/// that are not known (with their reports printed), and prints the known
/// entries of this run that now pass.
pub fn unexpected(reports: &[Report], known: &BTreeMap<String, String>) -> Vec<String> {
    let mut bad = Vec::new();
    for r in reports {
        match (&r.ours, known.get(&r.id)) {
            (Verdict::Fail(_), None) => bad.push(r.id.clone()),
            (Verdict::Pass, Some(reason)) => {
                eprintln!(
                    "known failure now passes (remove it from the list): {} -- {reason}",
                    r.id
                );
            }
            _ => {}
        }
    }
    bad
}

/// Writes every report, one per line group, to `CLEAN_BOOT_REPORT` when set.
pub fn write_report(title: &str, reports: &[Report]) {
    let Some(path) = std::env::var_os("CLEAN_BOOT_REPORT") else {
        return;
    };
    let mut text = format!("# {title}\n{}\n", summary(reports));
    for r in reports {
        text.push_str(&line(r));
        text.push('\n');
    }
    let path = Path::new(&path);
    let mut old = fs::read_to_string(path).unwrap_or_default();
    old.push_str(&text);
    if let Err(e) = fs::write(path, old) {
        eprintln!("cannot write {}: {e}", path.display());
    }
}
