//! Clean-boot equivalence, the oracle of a reload: for configurations A
//! and B, an instance booted with A and reloaded to B must run what an
//! instance booted with B runs (see [`crate::oracle`]). When FRR itself
//! refuses B, the reload must refuse it too and change nothing; when FRR
//! fails to load part of B at boot (or B holds no command), the reload
//! may refuse it, changing nothing.
//!
//! Each case runs on fresh instances: X (boot A, reload to B with ours,
//! then reload B once more, which must send nothing), Y (boot B in a
//! namespace whose kernel forwarding is as X's after booting A: FRR
//! restarted with B on the same node; shared by the cases that go to the
//! same B from the same forwarding) and, when asked, Z (boot A, reload to
//! B with `frr-reload.py` of the same release), judged alike: strictly,
//! `show running-config` line for line against Y's, with the reviewed
//! exceptions of `tests/clean-boot-allowed.txt` ([`crate::allowed`])
//! counted apart as warnings.
//!
//! [`Runner::with_log`] appends each case, as it ends, to a JSON-lines
//! file (one line per case and tool; [`Record`]), which a later run reads
//! to skip the cases done ([`done`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread;
use std::time::Instant;

use reloader::pipeline::{reload, Settings};
use serde::{Deserialize, Serialize};

use crate::allowed::{Allowed, Judgement};
use crate::corpus::Input;
use crate::frr::{DaemonSet, Forwarding, FrrInstance, Release};

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

    /// Its id on `release` with `set`: `8.4:k8s/empty>TestEVPNFull` (see
    /// [`tag_for`]).
    pub fn id(&self, release: Release, set: DaemonSet) -> String {
        format!(
            "{}:{}/{}>{}",
            tag_for(release, set),
            self.part,
            self.from.name,
            self.to.name
        )
    }
}

/// How case ids name the release and the daemons the instances run
/// (`FRA_DAEMONS`): `8.4` with frr-k8s's, `8.4+every` with every daemon.
pub fn tag(release: Release) -> String {
    tag_for(release, DaemonSet::from_env())
}

/// How case ids name `release` with `set`.
pub fn tag_for(release: Release, set: DaemonSet) -> String {
    match set {
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
    /// Line for line what the clean boot prints (or, for a refused B,
    /// unchanged).
    Pass,
    /// Converged with a warning: equal but for the differences these
    /// entries of `tests/clean-boot-allowed.txt` allow.
    Warn(Vec<String>),
    /// Not converged: why.
    Fail(String),
    /// No judgement: FRR itself crashes booting A (no start to reload
    /// from) or a clean boot of B (no reference), each of its attempts:
    /// the configuration's crash, not the tool's. Why.
    NoReference(String),
}

impl Verdict {
    /// Whether it converged, strictly or with a warning.
    pub fn passed(&self) -> bool {
        matches!(self, Verdict::Pass | Verdict::Warn(_))
    }

    /// Whether it did not converge (a case without a reference neither
    /// passes nor fails).
    pub fn failed(&self) -> bool {
        matches!(self, Verdict::Fail(_))
    }

    /// Whether it converged strictly.
    pub fn strict(&self) -> bool {
        *self == Verdict::Pass
    }

    fn of(judgement: Judgement, what: &str) -> Verdict {
        match judgement {
            Judgement::Strict => Verdict::Pass,
            Judgement::Warning(names) => Verdict::Warn(names),
            Judgement::Differs(why) => Verdict::Fail(format!("{what}: {why}")),
        }
    }

    /// `strict`, `warn`, `fail` or `noref`.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Pass => "strict",
            Verdict::Warn(_) => "warn",
            Verdict::Fail(_) => "fail",
            Verdict::NoReference(_) => "noref",
        }
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
    /// FRR daemons died during our reload.
    pub ours_crashed: bool,
    /// The oracle on `frr-reload.py`, when it ran.
    pub frr_reload: Option<Verdict>,
    /// `frr-reload.py`'s exit status, when it ran.
    pub frr_reload_status: Option<i32>,
    /// FRR daemons died during `frr-reload.py`'s reload.
    pub frr_reload_crashed: bool,
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

/// The release the opt-in corpus runs use: `CLEAN_BOOT_FRR`, else 8.4.
pub fn release_from_env() -> Release {
    std::env::var("CLEAN_BOOT_FRR")
        .ok()
        .map_or(Release::Frr84, |name| {
            Release::named(&name).unwrap_or_else(|| panic!("CLEAN_BOOT_FRR: unknown FRR {name}"))
        })
}

/// The number in the environment variable `name`, if set.
pub fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v}: not a number"))
    })
}

/// Fails on the reports whose case the harness could not run (the
/// reporting runs fail on nothing else).
pub fn assert_no_harness_errors(reports: &[Report]) {
    let harness: Vec<_> = reports
        .iter()
        .filter(|r| matches!(&r.ours, Verdict::Fail(w) if w.starts_with("harness")))
        .map(line)
        .collect();
    assert!(
        harness.is_empty(),
        "harness errors:\n{}",
        harness.join("\n")
    );
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

impl Runner {
    /// Boots a fresh instance with `text`, its kernel forwarding set as
    /// `node` has it.
    fn clean_boot(&self, text: &str, node: Forwarding) -> Result<Boot, String> {
        let y = self.start()?;
        y.set_forwarding(node)?;
        let check = y.write_file("check.conf", text.as_bytes())?;
        let dry = y.vtysh_run(&["--dryrun", "-f", &check.to_string_lossy()])?;
        let accepted = dry.ok() && reloader::frr::line_errors(&dry.text()).is_empty();
        let load = y.load(text)?;
        let output = load.text();
        settle_after_failure(&output);
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
}

/// Waits a moment after a boot whose load failed a commit: mgmtd 10.3
/// and 10.4.3 may assert on it (`mgmt_txn_notify_be_txn_reply`) after
/// vtysh is done, and a crash seen only once the reload ran was charged
/// to the reload (zebra_recursive r1, whose labelled static routes this
/// kernel refuses: 2 of 6 boots lost mgmtd, no reload did).
fn settle_after_failure(load_output: &str) {
    if load_output.contains("% Configuration failed") {
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

/// Runs cases on one FRR release.
#[derive(Debug)]
pub struct Runner {
    release: Release,
    daemons: DaemonSet,
    with_frr_reload: bool,
    allowed: Allowed,
    log: Option<Mutex<PathBuf>>,
    boots: Mutex<HashMap<(Forwarding, String), Cell>>,
}

impl Runner {
    /// A runner on `release` with the daemons of `FRA_DAEMONS`;
    /// `frr-reload.py` of the same release runs too when asked.
    pub fn new(release: Release, with_frr_reload: bool) -> Runner {
        Runner {
            release,
            daemons: DaemonSet::from_env(),
            with_frr_reload,
            allowed: Allowed::reviewed().for_release(&release.to_string()),
            log: None,
            boots: Mutex::new(HashMap::new()),
        }
    }

    /// The same, running `set`'s daemons.
    pub fn with_daemons(mut self, set: DaemonSet) -> Runner {
        self.daemons = set;
        self
    }

    /// The same, appending each case as it ends to the JSON-lines file
    /// `path` (see [`Record`]).
    pub fn with_log(mut self, path: &Path) -> Runner {
        self.log = Some(Mutex::new(path.to_owned()));
        self
    }

    /// The id of `case` on this runner.
    pub fn id(&self, case: &Case) -> String {
        case.id(self.release, self.daemons)
    }

    fn start(&self) -> Result<FrrInstance, String> {
        FrrInstance::start_set(self.release, self.daemons)
    }

    /// The clean boot of `text` on a node whose forwarding is `node` (once
    /// per text and forwarding).
    fn boot(&self, text: &str, node: Forwarding) -> Result<Boot, String> {
        let cell = self
            .boots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((node, text.to_owned()))
            .or_default()
            .clone();
        cell.get_or_init(|| {
            // A crashed boot is no reference, so try again. The crashes
            // seen come from configs FRR fails to load (FRR 10.3's and
            // 10.4.3's mgmtd asserts, more often than not, on a commit a
            // backend fails to validate, `mgmt_txn_notify_be_txn_reply`:
            // frr-k8s's TestTwoSessions… has prefix ranges zebra refuses,
            // which `vtysh --dryrun` accepts), where refusing is right
            // whatever the boot prints (see `ours`).
            let mut boot = self.clean_boot(text, node)?;
            for _ in 1..BOOT_ATTEMPTS {
                if boot.dead.is_empty() || !boot.accepted {
                    break;
                }
                eprintln!(
                    "FRR {} crashed ({}) booting a config; booting it again",
                    self.release,
                    boot.dead.join(", ")
                );
                boot = self.clean_boot(text, node)?;
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
                    self.log_report(case, &report);
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

    /// Appends the records of `report` to the log, if any.
    fn log_report(&self, case: &Case, report: &Report) {
        let Some(log) = &self.log else { return };
        let path = log.lock().unwrap_or_else(|e| e.into_inner());
        let mut text = String::new();
        for record in self.records(case, report) {
            text.push_str(&serde_json::to_string(&record).expect("a record serializes"));
            text.push('\n');
        }
        let written = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&*path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            panic!("cannot append to {}: {e}", path.display());
        }
    }

    /// One record per tool that ran.
    pub fn records(&self, case: &Case, report: &Report) -> Vec<Record> {
        let record = |tool: &str, verdict: &Verdict, said: bool, crashed: bool| Record {
            forwarding_aside: None,
            refused: None,
            version: self.release.to_string(),
            daemons: self.daemons.label().to_owned(),
            tool: tool.to_owned(),
            id: report.id.clone(),
            part: report.part.clone(),
            from: case.from.name.clone(),
            to: case.to.name.clone(),
            verdict: verdict.word().to_owned(),
            said_success: said,
            false_success: said && verdict.failed(),
            crashed,
            entries: match verdict {
                Verdict::Warn(names) => names.clone(),
                _ => Vec::new(),
            },
            why: match verdict {
                Verdict::Fail(why) | Verdict::NoReference(why) => why.clone(),
                _ => String::new(),
            },
            seconds: report.seconds,
        };
        let mut ours = record(OURS, &report.ours, report.converged, report.ours_crashed);
        ours.refused = Some(!report.conversion_ok);
        let mut records = vec![ours];
        if let Some(theirs) = &report.frr_reload {
            let mut theirs = record(
                FRR_RELOAD,
                theirs,
                report.frr_reload_status == Some(0),
                report.frr_reload_crashed,
            );
            theirs.forwarding_aside = report.frr_reload_lenient;
            records.push(theirs);
        }
        records
    }

    fn empty_report(&self, case: &Case) -> Report {
        Report {
            id: self.id(case),
            part: case.part.clone(),
            ours: Verdict::Pass,
            converged: false,
            conversion_ok: false,
            passes: 0,
            residue: Vec::new(),
            ours_crashed: false,
            frr_reload: None,
            frr_reload_status: None,
            frr_reload_crashed: false,
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
        // The reference is FRR started with B on the node as A left it:
        // forwarding is the kernel's, which B may not name (zebra prints
        // `no ip forwarding` when it is off, and a fresh namespace has it
        // off).
        let node = self.booted_with(&case.from.text).and_then(|(x, before)| {
            let forwarding = x.forwarding()?;
            Ok((x, before, forwarding))
        });
        let (x, before, forwarding) = match node {
            Ok(node) => node,
            Err(e) => {
                report.ours = Verdict::Fail(format!("harness: booting A: {e}"));
                return;
            }
        };
        let dead = x.dead_daemons();
        if !dead.is_empty() {
            // No start to reload from, for either tool: FRR's crash, not
            // theirs (pim_igmp_vrf r1 on 10.3: pimd and pim6d).
            let why = format!("FRR crashed booting A ({}): no reload", dead.join(", "));
            report.ours = Verdict::NoReference(why.clone());
            if self.with_frr_reload {
                report.frr_reload = Some(Verdict::NoReference(why));
                report.frr_reload_lenient = Some(false);
            }
            return;
        }
        let boot = match self.boot(&case.to.text, forwarding) {
            Ok(boot) => boot,
            Err(e) => {
                report.ours = Verdict::Fail(format!("harness: clean boot: {e}"));
                return;
            }
        };
        // A boot that crashes FRR is a failed load: a refusal that leaves
        // FRR as it was needs no more reference (see `ours`).
        report.ours = match self.ours(case, &boot, x, before, forwarding, report) {
            Ok(verdict) => verdict,
            Err(e) => Verdict::Fail(format!("harness: {e}")),
        };
        if self.with_frr_reload && !boot.dead.is_empty() {
            let why = format!(
                "a clean boot with B crashes FRR ({}), {BOOT_ATTEMPTS} times: no reference",
                boot.dead.join(", ")
            );
            report.frr_reload = Some(Verdict::NoReference(why));
            report.frr_reload_lenient = Some(false);
        } else if self.with_frr_reload {
            let (verdict, lenient) = self
                .theirs(case, &boot, forwarding, report)
                .unwrap_or_else(|e| (Verdict::Fail(format!("harness: {e}")), false));
            report.frr_reload = Some(verdict);
            report.frr_reload_lenient = Some(lenient);
        }
    }

    /// Where daemons died (`dead`) in a reload from A to B: why, when a
    /// clean boot of B or of A crashes FRR too, which makes the crash the
    /// configuration's, not the reload's (pim_igmp_vrf r1 on 10.3: pimd
    /// asserts on it at boot, soon after the boot's own check). Some
    /// crash only at times: mgmtd 10.3 and 10.4.3 assert on a commit a
    /// backend fails, in one boot out of three or so (zebra_recursive r1,
    /// whose labelled static routes this kernel refuses): where the boots
    /// already made did not crash, each text is booted again, up to
    /// [`BOOT_ATTEMPTS`] times, and one crash is enough.
    fn crashes_booting(
        &self,
        case: &Case,
        b: &Boot,
        node: Forwarding,
        dead: &[String],
    ) -> Option<String> {
        if dead.is_empty() {
            return None;
        }
        let seen = if b.dead.is_empty() {
            self.boot(&case.from.text, node).ok()?.dead
        } else {
            b.dead.clone()
        };
        let (which, at_boot) = if seen.is_empty() {
            self.crash_booting_again(case, node)?
        } else {
            (if b.dead.is_empty() { "A" } else { "B" }, seen)
        };
        Some(format!(
            "FRR crashed ({}), and a clean boot of {which} crashes it ({}): not the reload's",
            dead.join(", "),
            at_boot.join(", ")
        ))
    }

    /// Boots A, then B, again (not cached), up to [`BOOT_ATTEMPTS`] times
    /// each: the first that crashes FRR, and what died.
    fn crash_booting_again(
        &self,
        case: &Case,
        node: Forwarding,
    ) -> Option<(&'static str, Vec<String>)> {
        for (which, text) in [("A", &case.from.text), ("B", &case.to.text)] {
            for _ in 0..BOOT_ATTEMPTS {
                let boot = self.clean_boot(text, node).ok()?;
                if !boot.dead.is_empty() {
                    return Some((which, boot.dead));
                }
            }
        }
        None
    }

    fn booted_with(&self, text: &str) -> Result<(FrrInstance, String), String> {
        let x = self.start()?;
        if !text.is_empty() {
            settle_after_failure(&x.load(text)?.text());
        }
        let before = x.running_config()?;
        Ok((x, before))
    }

    /// Our reload of `x`, booted with A (`before` is what it printed),
    /// to B.
    fn ours(
        &self,
        case: &Case,
        boot: &Boot,
        x: FrrInstance,
        before: String,
        node: Forwarding,
        report: &mut Report,
    ) -> Result<Verdict, String> {
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
        if let Some(why) = self.crashes_booting(case, boot, node, &dead) {
            return Ok(Verdict::NoReference(why));
        }
        if !dead.is_empty() {
            report.ours_crashed = true;
            return Ok(Verdict::Fail(format!(
                "crashed FRR: {} no longer running after the reload",
                dead.join(", ")
            )));
        }
        if !result.conversion.ok {
            let unchanged = after == before;
            // Refusing is right when FRR refuses B, when FRR fails to load
            // all of B at boot (or dies loading it), and for a file without a single command
            // (refused on purpose: a controller never means "delete
            // everything" that way).
            let refuse = !boot.accepted
                || boot.load_failure.is_some()
                || !boot.dead.is_empty()
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
        if !boot.dead.is_empty() {
            return Ok(Verdict::NoReference(format!(
                "applied a config whose clean boot crashes FRR ({}), {BOOT_ATTEMPTS} times: \
                 no reference",
                boot.dead.join(", ")
            )));
        }
        let claim = if result.reload.converged {
            "reported converged, but differs from a clean boot"
        } else {
            "differs from a clean boot"
        };
        let verdict = Verdict::of(self.allowed.judge(&after, &boot.running), claim);
        if !verdict.passed() {
            return Ok(verdict);
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
        Ok(verdict)
    }

    /// The oracle on `frr-reload.py`, strict and with forwarding lines
    /// left out.
    fn theirs(
        &self,
        case: &Case,
        boot: &Boot,
        node: Forwarding,
        report: &mut Report,
    ) -> Result<(Verdict, bool), String> {
        let (z, before) = self.booted_with(&case.from.text)?;
        let run = z.frr_reload_py(&case.to.text)?;
        report.frr_reload_status = run.status;
        let dead = z.dead_daemons();
        if let Some(why) = self.crashes_booting(case, boot, node, &dead) {
            return Ok((Verdict::NoReference(why), false));
        }
        if !dead.is_empty() {
            report.frr_reload_crashed = true;
            let why = format!("crashed FRR: {} no longer running", dead.join(", "));
            return Ok((Verdict::Fail(why), false));
        }
        let after = z.running_config()?;
        let (reference, what) = if boot.accepted {
            (boot.running.as_str(), "differs from a clean boot")
        } else {
            (
                before.as_str(),
                "FRR refuses B, yet the running config changed",
            )
        };
        let what = format!("{what} (exit {:?})", run.status);
        let verdict = Verdict::of(self.allowed.judge(&after, reference), &what);
        let forwarding_aside = || {
            self.allowed
                .judge(&without_forwarding(&after), &without_forwarding(reference))
        };
        let lenient = verdict.passed() || !matches!(forwarding_aside(), Judgement::Differs(_));
        Ok((verdict, lenient))
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

/// The tool names of [`Record::tool`].
pub const OURS: &str = "ours";
/// See [`OURS`].
pub const FRR_RELOAD: &str = "frr-reload.py";

/// One case and one tool, as the log of [`Runner::with_log`] holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The FRR release (`10.4.3`).
    pub version: String,
    /// The daemon set (`frr-k8s`, `every`).
    pub daemons: String,
    /// [`OURS`] or [`FRR_RELOAD`].
    pub tool: String,
    /// The case id ([`Case::id`]).
    pub id: String,
    /// The part of the run.
    pub part: String,
    /// A's name.
    pub from: String,
    /// B's name.
    pub to: String,
    /// [`Verdict::word`]: `strict`, `warn`, `fail` or `noref`.
    pub verdict: String,
    /// The tool said it succeeded (ours: converged; `frr-reload.py`:
    /// exit 0).
    pub said_success: bool,
    /// It said so, but the verdict is `fail`.
    pub false_success: bool,
    /// An FRR daemon died during its reload.
    pub crashed: bool,
    /// For `warn`: the allowed entries that covered the differences.
    pub entries: Vec<String>,
    /// For `frr-reload.py`: whether it converges (strictly or with a
    /// warning) once the `ip forwarding` lines it turns on are left aside.
    #[serde(default)]
    pub forwarding_aside: Option<bool>,
    /// For ours: whether it refused the configuration (FRR's check or
    /// ours), which is right where FRR refuses it too. With `said_success`
    /// false and a `strict` or `warn` verdict otherwise, a false alarm:
    /// FRR matches its clean boot and the reload said "not converged".
    #[serde(default)]
    pub refused: Option<bool>,
    /// For `fail`: why.
    pub why: String,
    /// Wall time of the whole case, seconds.
    pub seconds: f64,
}

/// The records of the log at `path` (none when it does not exist); a
/// line that does not parse (a run killed mid-write) is left out.
pub fn records(path: &Path) -> Vec<Record> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The ids of the cases the log at `path` holds for every tool in
/// `tools`.
pub fn done(path: &Path, tools: &[&str]) -> BTreeSet<String> {
    let records = records(path);
    let ids: BTreeSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.into_iter()
        .filter(|id| {
            tools
                .iter()
                .all(|t| records.iter().any(|r| r.id == *id && r.tool == *t))
        })
        .map(str::to_owned)
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
    match verdict {
        Verdict::Pass => "ok",
        Verdict::Warn(_) => "warn",
        Verdict::Fail(_) => "FAIL",
        Verdict::NoReference(_) => "noref",
    }
}

/// Ours: `ok`, `ok*` (equal to the clean boot, but reported as not
/// converged: B holds what FRR does not run even at boot, or a false
/// alarm), `FAIL`.
fn our_mark(report: &Report) -> &'static str {
    match (&report.ours, report.converged || !report.conversion_ok) {
        (Verdict::Pass, true) => "ok",
        (Verdict::Pass, false) => "ok*",
        (Verdict::Warn(_), true) => "warn",
        (Verdict::Warn(_), false) => "warn*",
        (Verdict::Fail(_), _) => "FAIL",
        (Verdict::NoReference(_), _) => "noref",
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
    for (tool, verdict) in [
        (OURS, Some(&report.ours)),
        (FRR_RELOAD, report.frr_reload.as_ref()),
    ] {
        match verdict {
            Some(Verdict::Fail(why) | Verdict::NoReference(why)) => {
                let _ = write!(s, "\n        {tool}: {why}");
            }
            Some(Verdict::Warn(names)) => {
                let _ = write!(s, "\n        {tool} warning: {}", names.join(", "));
            }
            _ => {}
        }
    }
    s
}

/// Counts of one part of a run.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    cases: usize,
    ours: usize,
    ours_warn: usize,
    ours_converged: usize,
    no_reference: usize,
    theirs_cases: usize,
    theirs: usize,
    theirs_warn: usize,
    theirs_lenient: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.cases += other.cases;
        self.ours += other.ours;
        self.ours_warn += other.ours_warn;
        self.ours_converged += other.ours_converged;
        self.no_reference += other.no_reference;
        self.theirs_cases += other.theirs_cases;
        self.theirs += other.theirs;
        self.theirs_warn += other.theirs_warn;
        self.theirs_lenient += other.theirs_lenient;
    }

    fn print(&self, out: &mut String, part: &str) {
        let _ = write!(
            out,
            "  {part:<10} ours {:>3}/{:<3} strict, {:>3} warn (reported converged or refused: {:>3})",
            self.ours, self.cases, self.ours_warn, self.ours_converged
        );
        if self.no_reference > 0 {
            let _ = write!(out, ", {} without a reference", self.no_reference);
        }
        if self.theirs_cases > 0 {
            let _ = write!(
                out,
                "  frr-reload.py {:>3}/{:<3} strict, {:>3} warn (forwarding aside: {:>3})",
                self.theirs, self.theirs_cases, self.theirs_warn, self.theirs_lenient
            );
        }
        out.push('\n');
    }
}

/// Pass counts per part: ours, strict and with a warning (and how many of
/// those our reload also reported as converged, or refused; and the cases
/// FRR crashes on booting, which have no reference),
/// `frr-reload.py` (strict, with a warning, and with the `ip forwarding`
/// lines it turns on left aside).
pub fn summary(reports: &[Report]) -> String {
    let mut parts: BTreeMap<&str, Counts> = BTreeMap::new();
    for r in reports {
        let c = parts.entry(r.part.as_str()).or_default();
        c.cases += 1;
        c.ours += usize::from(r.ours.strict());
        c.ours_warn += usize::from(matches!(r.ours, Verdict::Warn(_)));
        c.ours_converged += usize::from(matches!(our_mark(r), "ok" | "warn"));
        c.no_reference += usize::from(matches!(r.ours, Verdict::NoReference(_)));
        if let Some(theirs) = &r.frr_reload {
            c.theirs_cases += 1;
            c.theirs += usize::from(theirs.strict());
            c.theirs_warn += usize::from(matches!(theirs, Verdict::Warn(_)));
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
            // A case FRR crashes on booting is news too.
            (Verdict::Fail(_) | Verdict::NoReference(_), None) => bad.push(r.id.clone()),
            (Verdict::Pass | Verdict::Warn(_), Some(reason)) => {
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
