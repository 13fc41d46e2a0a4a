//! The real [`Vtysh`]: spawns `vtysh` (never through a shell) with a
//! timeout on every call.
//!
//! A script reaches FRR typed into a long-lived session when it is short
//! (see [`crate::frr::session`]), else through `vtysh -f`. Before FRR 9 that
//! vtysh is started ahead and reads the script from a pipe once it is
//! known. From FRR 9 on, `vtysh -f` forks a child per daemon and each
//! child reads the file itself, so it is given a private file (see
//! [`script_file`]); vtysh's children then each report the lines no daemon
//! knows, and [`line_errors`] reports each once. FRR's check (`--dryrun`)
//! and `vtysh -d DAEMON -f` do not fork and still read pipes.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::config::list::{self, List};
use crate::config::version::{FrrVersion, SeenVersion};
use crate::frr::checked::Checked;
use crate::frr::errors::{commit_failures, line_errors, lost_daemons, LineError};
use crate::frr::session::{self, Failure, Session, Slot};
use crate::frr::started::{finish_all, Started};
use crate::frr::{vty, KeptChecks, Output, Vtysh};
use crate::Error;

mod script_file;

use script_file::ScriptFile;

/// What a vtysh given `-f` reads from a pipe on its standard input.
const STDIN: &str = "/proc/self/fd/0";

/// How to reach FRR: which `vtysh`, which pathspace and vty socket.
#[derive(Debug, Clone)]
pub struct VtyshCommand {
    /// The vtysh program (a path, or a name looked up in `PATH`).
    pub program: PathBuf,
    /// FRR pathspace (`vtysh -N NAME`).
    pub pathspace: Option<String>,
    /// Directory of the daemons' vty sockets (`vtysh --vty_socket DIR`).
    pub vty_socket: Option<PathBuf>,
    /// Timeout of a call that sends no script (show commands).
    pub base_timeout: Duration,
    /// Extra time allowed per script line: FRR legitimately spends tens of
    /// seconds on long prefix-lists.
    pub per_line: Duration,
    /// Read the running configuration from the daemons' vty sockets while
    /// that gives vtysh's text exactly (see [`crate::frr::vty`]); `false`: always
    /// through vtysh.
    pub direct_reads: bool,
    /// What was learned about reading directly (shared by clones).
    pub direct: Arc<DirectReads>,
    /// The blocks FRR's check accepted: only new ones are checked again
    /// (see [`crate::frr::checked`]; shared by clones).
    pub checked: Arc<Checked>,
    /// vtysh kept started between reloads (shared by clones): short
    /// scripts are typed into one long-lived interactive vtysh (see
    /// [`crate::frr::session`]) and FRR's check goes to a `vtysh --dryrun`
    /// started ahead. `None`: every script and check starts a vtysh.
    pub warm: Option<Arc<Warm>>,
    /// The FRR version vtysh last printed (shared by clones). A `vtysh -f`
    /// is started before its script is known, reading it from a pipe,
    /// only where FRR is known not to fork it (before 9.0): otherwise the
    /// script goes to a private file (see [`FrrVersion::vtysh_f_forks`]).
    ///
    /// [`FrrVersion::vtysh_f_forks`]: crate::FrrVersion::vtysh_f_forks
    pub version: Arc<SeenVersion>,
    /// FRR's verdicts on whole texts kept from earlier runs (the one-shot
    /// commands; see [`KeptChecks`]). `None`: none kept.
    pub kept: Option<Arc<dyn KeptChecks>>,
}

/// What is kept started between reloads (see [`VtyshCommand::warm`]).
#[derive(Debug, Default)]
pub struct Warm {
    /// The long-lived interactive vtysh.
    session: Slot,
    /// A `vtysh --dryrun` reading its text from standard input, which
    /// stays open until a check needs it. It talks to no daemon, so it
    /// holds nothing while it waits.
    checker: Mutex<Option<Started>>,
}

impl Warm {
    fn checker(&self) -> std::sync::MutexGuard<'_, Option<Started>> {
        self.checker.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for VtyshCommand {
    fn default() -> Self {
        VtyshCommand {
            program: PathBuf::from("vtysh"),
            pathspace: None,
            vty_socket: None,
            base_timeout: Duration::from_secs(30),
            per_line: Duration::from_millis(50),
            direct_reads: true,
            direct: Arc::default(),
            checked: Arc::default(),
            warm: None,
            version: Arc::default(),
            kept: None,
        }
    }
}

/// How long a check that the direct read gives vtysh's text holds before
/// the next read is made both ways again.
pub const CALIBRATION_LIFETIME: Duration = Duration::from_secs(300);

/// Whether, and with which lines of vtysh's own, the running configuration
/// can be read from the daemons directly.
#[derive(Debug, Default)]
pub struct DirectReads {
    /// The last check, `None` before the first (or once forgotten).
    calibration: Mutex<Option<Calibration>>,
    reads: AtomicU64,
    checks: AtomicU64,
}

/// One check of the direct read against vtysh.
#[derive(Debug, Clone)]
struct Calibration {
    /// vtysh's own lines when the merge gave vtysh's text exactly, `None`
    /// when it did not (then vtysh reads alone until the check is due
    /// again).
    own: Option<Vec<String>>,
    /// The `frr version` line of vtysh's text then: a direct read whose
    /// merge says another is checked again.
    version: Option<String>,
    /// When it was made.
    at: Instant,
}

/// A check that passed, as the one-shot commands keep it between runs
/// (see [`DirectReads::passed`] and [`DirectReads::restore`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedCheck {
    /// vtysh's own lines, added to the merge of the daemons' answers.
    pub own: Vec<String>,
    /// The `frr version` line of vtysh's text when it was checked.
    pub version: Option<String>,
    /// How long ago it was made.
    pub age: Duration,
}

/// What to do for the next read.
enum Next {
    /// Directly, with vtysh's own lines, expecting this `frr version` line.
    Direct(Vec<String>, Option<String>),
    /// Through vtysh, checking the direct read beside it.
    Check,
    /// Through vtysh alone: the last check failed.
    Vtysh,
}

impl DirectReads {
    fn next(&self) -> Next {
        let calibration = self.calibration.lock().unwrap_or_else(|e| e.into_inner());
        match calibration.as_ref() {
            Some(c) if c.at.elapsed() >= CALIBRATION_LIFETIME => Next::Check,
            Some(Calibration {
                own: Some(own),
                version,
                ..
            }) => Next::Direct(own.clone(), version.clone()),
            Some(Calibration { own: None, .. }) => Next::Vtysh,
            None => Next::Check,
        }
    }

    fn set(&self, calibration: Option<Calibration>) {
        *self.calibration.lock().unwrap_or_else(|e| e.into_inner()) = calibration;
    }

    /// Records a check made now: `own` is what [`vty::calibrate`] found.
    fn checked(&self, own: Option<Vec<String>>, vtysh_text: &str) {
        self.checks.fetch_add(1, Ordering::Relaxed);
        self.set(Some(Calibration {
            own,
            version: vty::version_line(vtysh_text).map(str::to_owned),
            at: Instant::now(),
        }));
    }

    /// Forgets the last check: the next read goes through vtysh (and checks
    /// again). For when FRR restarted.
    pub fn forget(&self) {
        self.set(None);
    }

    /// Reads answered from the daemons directly so far.
    pub fn count(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// Checks made so far (reads through vtysh with the daemons read
    /// beside it), passed or not.
    pub fn checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    /// The last check, if it passed and still holds
    /// ([`CALIBRATION_LIFETIME`]).
    pub fn passed(&self) -> Option<PassedCheck> {
        let calibration = self.calibration.lock().unwrap_or_else(|e| e.into_inner());
        let c = calibration.as_ref()?;
        let age = c.at.elapsed();
        let own = c.own.clone().filter(|_| age < CALIBRATION_LIFETIME)?;
        Some(PassedCheck {
            own,
            version: c.version.clone(),
            age,
        })
    }

    /// Takes up a check made earlier (by an earlier run of a one-shot
    /// command), for what is left of its lifetime: the next read goes
    /// directly. The caller vouches that nothing it depends on changed
    /// since (the daemons, vtysh and its configuration); the `frr
    /// version` line of each direct read is still compared with the
    /// check's. An expired check is not taken.
    pub fn restore(&self, check: PassedCheck) {
        if check.age >= CALIBRATION_LIFETIME {
            return;
        }
        let Some(at) = Instant::now().checked_sub(check.age) else {
            return;
        };
        self.set(Some(Calibration {
            own: Some(check.own),
            version: check.version,
            at,
        }));
    }
}

impl VtyshCommand {
    /// vtysh from `bindir` (as frr-reload.py's `--bindir`), else from `PATH`.
    pub fn with_bindir(bindir: Option<&Path>) -> VtyshCommand {
        let program = bindir.map_or_else(|| PathBuf::from("vtysh"), |d| d.join("vtysh"));
        VtyshCommand {
            program,
            ..VtyshCommand::default()
        }
    }

    /// Forgets what was learned about FRR (for when it restarted): the
    /// next read goes through vtysh, the next check checks every block,
    /// the next script starts a new vtysh.
    pub fn forget(&self) {
        self.direct.forget();
        self.checked.forget();
        self.version.forget();
        if let Some(warm) = &self.warm {
            warm.session.forget();
            if let Some(started) = warm.checker().take() {
                let _ = started.finish("", self.base_timeout);
            }
        }
    }

    /// Has vtysh started for the next reload's check and script, when
    /// [`VtyshCommand::warm`] is on.
    pub fn warm_up(&self) {
        if let Some(warm) = &self.warm {
            if self.session_is_safe() {
                warm.session.warm(self.command(), &self.socket_dir());
            }
            let mut checker = warm.checker();
            if !checker.as_mut().is_some_and(Started::running) {
                *checker = self.start_checker();
            }
        }
    }

    /// `vtysh --dryrun` of `script`: through the one started ahead, if any,
    /// else through one started now. Both read the script from a pipe (a
    /// dry run does not fork): no file is written, and a vtysh wrapped
    /// into a chroot has none to copy. The next is started by
    /// [`VtyshCommand::warm_up`], once the reload is over: started here,
    /// its vtysh start (30–45 ms of CPU) would run beside the apply's own
    /// `vtysh -f`, which the reload waits for.
    fn check(&self, script: &str) -> Result<Output, Error> {
        let timeout = self.timeout_for(script);
        let ahead = self.warm.as_ref().and_then(|warm| warm.checker().take());
        if let Some(started) = ahead {
            match started.finish(script, timeout) {
                // Killed by a signal, it answered nothing: a fresh one checks.
                Ok(Output { status: None, .. }) => {}
                output => return output,
            }
        }
        self.spawn(&["--dryrun", "-f", STDIN])?
            .finish(script, timeout)
    }

    /// The session, ready for a script, when this vtysh keeps one and it
    /// can be had.
    fn take_session(&self) -> Option<Ready> {
        let warm = self.warm.as_ref().filter(|_| self.session_is_safe())?;
        let session = warm.session.take(self.command(), &self.socket_dir()).ok()?;
        Some(Ready::Session(session, Arc::clone(warm)))
    }

    /// A `vtysh -d DAEMON -f` for each daemon, waiting for `script` on its
    /// input, when the script is [`worth_splitting`] and more than one
    /// daemon runs.
    fn start_per_daemon(&self, script: &str) -> Option<Ready> {
        if !worth_splitting(script) {
            return None;
        }
        let daemons = vty::daemons(&self.socket_dir());
        (daemons.len() > 1).then(|| {
            let started = daemons
                .into_iter()
                .map(|daemon| self.spawn(&["-d", daemon, "-f", STDIN]))
                .collect();
            Ready::Daemons(started, self.base_timeout)
        })
    }

    /// A `vtysh --dryrun` waiting for the text to check on its input (a
    /// dry run does not fork, on any version).
    fn start_checker(&self) -> Option<Started> {
        self.spawn(&["--dryrun", "-f", STDIN]).ok()
    }

    /// A plain `vtysh -f` for a script not known yet: started now, to read
    /// the script from a pipe, where FRR is known not to fork it; else
    /// nothing yet, and the script goes to a private file once known.
    fn start_plain(&self) -> Ready {
        if self.pipe_is_safe() {
            Ready::Pipe(self.spawn(&["-f", STDIN]), self.base_timeout)
        } else {
            Ready::File
        }
    }

    /// Whether a plain `vtysh -f` may read its script from a pipe: FRR is
    /// known to be older than 9.0, whose `vtysh -f` does not fork. Until a
    /// read or `show version` told the version, it is not.
    /// Whether the FRR seen takes scripts typed into the session (see
    /// [`FrrVersion::session_is_safe`]); not before its version is known.
    fn session_is_safe(&self) -> bool {
        self.version.get().is_some_and(FrrVersion::session_is_safe)
    }

    fn pipe_is_safe(&self) -> bool {
        self.version.get().is_some_and(|v| !v.vtysh_f_forks())
    }

    /// The vtysh command every vtysh the agent starts is built from (the
    /// session's too). vtysh appends what it is given to
    /// `$HOME/.history_frr` (passwords included) unless `VTYSH_HISTFILE`
    /// names another file, and to `VTYSH_LOG` when that is set: neither
    /// keeps anything.
    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command
            .env("VTYSH_HISTFILE", "/dev/null")
            .env_remove("VTYSH_LOG");
        if let Some(name) = &self.pathspace {
            command.arg("-N").arg(name);
        }
        if let Some(dir) = &self.vty_socket {
            command.arg("--vty_socket").arg(dir);
        }
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// The daemons' vty sockets: `--vty_socket`, else FRR's default
    /// directory (with the pathspace).
    fn socket_dir(&self) -> PathBuf {
        vty::socket_dir(self.vty_socket.as_deref(), self.pathspace.as_deref())
    }

    /// `show running-config`: from the daemons directly while that is known
    /// to give vtysh's text; else through vtysh, reading the daemons beside
    /// it to check whether their merge gives the same text.
    fn read_running(&self) -> Result<String, Error> {
        if !self.direct_reads {
            return self.show("show running-config");
        }
        let dir = self.socket_dir();
        match self.direct.next() {
            Next::Vtysh => return self.show("show running-config"),
            Next::Direct(own, version) => {
                if let Ok(answers) = vty::read(&dir, self.base_timeout) {
                    let text = vty::merge(&answers, &own);
                    // Daemons of another FRR than the one checked: checked
                    // again.
                    if vty::version_line(&text) == version.as_deref() {
                        self.direct.reads.fetch_add(1, Ordering::Relaxed);
                        return Ok(text);
                    }
                }
            }
            Next::Check => {}
        }
        let (text, answers) = thread::scope(|scope| {
            let answers = scope.spawn(|| vty::read(&dir, self.base_timeout));
            (self.show("show running-config"), answers.join())
        });
        let text = text?;
        let own = match answers {
            Ok(Ok(answers)) => vty::calibrate(&text, &answers),
            _ => None,
        };
        self.direct.checked(own, &text);
        Ok(text)
    }

    fn timeout_for(&self, text: &str) -> Duration {
        let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
        self.base_timeout + self.per_line.saturating_mul(lines)
    }

    /// Runs vtysh with `args`, feeding `input` on standard input.
    fn run(&self, args: &[&str], input: &str, timeout: Duration) -> Result<Output, Error> {
        self.spawn(args)?.finish(input, timeout)
    }

    /// Starts vtysh with `args`, its standard input still open.
    fn spawn(&self, args: &[&str]) -> Result<Started, Error> {
        let mut command = self.command();
        // Its own process group: a timeout kills whatever it started too
        // (a wrapper's children would otherwise hold the pipes open).
        command.args(args).process_group(0);
        let what = format!("{} {}", self.program.display(), args.join(" "));
        let child = command.spawn().map_err(|e| Error::Vtysh {
            command: what.clone(),
            reason: e.to_string(),
        })?;
        Ok(Started::new(child, what))
    }

    /// Applies a script with a plain `vtysh -f` of a private file that is
    /// removed afterwards (see [`script_file`]): a file, never a pipe,
    /// which FRR 10's forking `vtysh -f` would share among its children.
    fn run_file(&self, script: &str) -> Result<Output, Error> {
        let file = ScriptFile::write(script).map_err(|e| Error::Vtysh {
            command: "temporary script".into(),
            reason: e.to_string(),
        })?;
        let path = file.path().to_string_lossy().into_owned();
        self.run(&["-f", &path], "", self.timeout_for(script))
    }

    /// `output` with each line that a failed commit did not apply reported
    /// as a `line N: …` error, and a failed status where vtysh said
    /// success (see [`commit_failures`]).
    fn with_commit_failures(&self, script: &str, mut output: Output) -> Output {
        let text = output.text();
        let failures = commit_failures(script, &text, self.version.get());
        if failures.is_empty() {
            if !lost_daemons(&text).is_empty() && output.status == Some(0) {
                // A daemon vtysh lost may not have applied its lines:
                // not a success, whatever vtysh's status says.
                output.status = Some(1);
            }
            return output;
        }
        if !output.stderr.is_empty() && !output.stderr.ends_with('\n') {
            output.stderr.push('\n');
        }
        for LineError { line, message } in failures {
            output.stderr.push_str(&format!("line {line}: {message}\n"));
        }
        if output.status == Some(0) {
            output.status = Some(1);
        }
        output
    }

    fn show(&self, command: &str) -> Result<String, Error> {
        let output = self.run(&["-c", command], "", self.base_timeout)?;
        // A daemon lost mid-read left its part out: not an answer.
        if output.status != Some(0) || !lost_daemons(&output.text()).is_empty() {
            return Err(Error::Vtysh {
                command: format!("vtysh -c '{command}'"),
                reason: output.text().trim().to_owned(),
            });
        }
        Ok(output.stdout)
    }
}

impl Vtysh for VtyshCommand {
    type Prepared = Prepared;

    fn running_config(&self) -> Result<String, Error> {
        let text = self.read_running()?;
        self.version.learn(&text);
        Ok(text)
    }

    fn show_version(&self) -> Result<String, Error> {
        let text = self.show("show version")?;
        self.version.learn(&text);
        Ok(text)
    }

    /// From their sockets; where none is to be seen (FRR in another mount
    /// namespace), from vtysh's `show daemons`.
    fn daemons(&self) -> Option<Vec<&'static str>> {
        let seen = vty::daemons(&self.socket_dir());
        if !seen.is_empty() {
            return Some(seen);
        }
        let text = self.show("show daemons").ok()?;
        Some(vty::named_daemons(&text))
    }

    fn show_interfaces(&self) -> Option<String> {
        self.show("show interface vrf all").ok()
    }

    /// `show modules`: each daemon's table, whose rows start with the
    /// module's name.
    fn modules(&self) -> Option<Vec<String>> {
        let text = self.show("show modules").ok()?;
        Some(
            text.lines()
                .filter(|l| !l.starts_with(char::is_whitespace))
                .filter_map(|l| l.split_whitespace().next())
                .map(str::to_owned)
                .collect(),
        )
    }

    /// Checks only the blocks not accepted before (see [`crate::frr::checked`]);
    /// errors name the configuration's lines.
    fn dry_run(&self, config: &str) -> Result<Output, Error> {
        let Some(plan) = self.checked.plan(config) else {
            return self.check(config);
        };
        if plan.script.is_empty() {
            return Ok(Output {
                status: Some(0),
                ..Output::default()
            });
        }
        let output = plan.renumber(self.check(&plan.script)?);
        if output.status == Some(0) && line_errors(&output.text()).is_empty() {
            self.checked.accept(plan);
        }
        Ok(output)
    }

    fn kept_check(&self, config: &str) -> Option<String> {
        self.kept.as_ref()?.accepted(config)
    }

    fn keep_check(&self, config: &str, version: &str) {
        let Some(kept) = &self.kept else {
            return;
        };
        let plan = self.checked.plan(config).unwrap_or_default();
        kept.accept(config, version, plan.blocks());
    }

    fn take_up_kept_blocks(&self) -> Option<String> {
        let (version, blocks) = self.kept.as_ref()?.blocks()?;
        self.checked.accept_blocks(&blocks);
        Some(version)
    }

    fn forget_checks(&self) {
        self.checked.forget();
    }

    /// `vtysh -f` of a private file; failed commits are reported on the
    /// lines they did not apply (see [`commit_failures`]).
    fn apply(&self, script: &str) -> Result<Output, Error> {
        self.run_file(script)
            .map(|output| self.with_commit_failures(script, output))
    }

    /// The session's vtysh when the script [`session::fits`] it; else,
    /// where FRR is known not to fork `vtysh -f` (8.4), `vtysh -f`
    /// reading its script from standard input, which stays empty until
    /// the caller decides: vtysh applies nothing before. Elsewhere (FRR 9
    /// on, or the version not known yet) nothing is started: each child
    /// of a forking `vtysh -f` reads the file itself, so the script goes
    /// to a private file once it is known, and vtysh starts then.
    ///
    /// On FRR 8.4, a script too long for the session, with many list
    /// lines (see `worth_splitting`), goes to each daemon through a
    /// vtysh of its own (`vtysh -d DAEMON -f`, which does not fork on any
    /// version), all side by side. Such a script is where FRR's time
    /// goes: each of zebra, bgpd and bfdd works through every prefix-list
    /// line, one after the other when one vtysh sends each line to each
    /// daemon in turn. Each daemon still gets its lines in the script's
    /// order, between the same start and end of configuration. A vtysh
    /// given `-d` sends nothing to the other daemons: their lines are read
    /// for the node they open, and skipped. From FRR 9 on, `vtysh -f`
    /// itself sends the file to the daemons side by side.
    fn prepare_apply(&self, script: &str) -> Prepared {
        let ready = if session::fits(script) {
            self.take_session()
        } else if self.pipe_is_safe() {
            self.start_per_daemon(script)
        } else {
            None
        };
        Prepared(Some(ready.unwrap_or_else(|| self.start_plain())))
    }

    /// A script that does not [`session::fits`] the session, or that the
    /// session could not start typing, goes to `vtysh -f`. Failed commits
    /// are reported on the lines they did not apply (see
    /// [`commit_failures`]).
    fn apply_prepared(&self, prepared: Prepared, script: &str) -> Result<Output, Error> {
        let timeout = self.timeout_for(script);
        let output = match prepared.take() {
            Some(Ready::Pipe(started, _)) => started.and_then(|s| s.finish(script, timeout)),
            Some(Ready::Daemons(started, _)) => finish_all(started, script, timeout),
            Some(Ready::Session(mut session, warm)) if session::fits(script) => {
                match session.apply(script, timeout) {
                    Ok(output) => {
                        if !session.failed_commit() {
                            warm.session.put(session);
                        }
                        Ok(output)
                    }
                    Err(Failure::Before(_)) => self.run_file(script),
                    Err(Failure::During(e)) => Err(e),
                }
            }
            Some(Ready::Session(session, warm)) => {
                warm.session.put(session);
                self.run_file(script)
            }
            Some(Ready::File) | None => self.run_file(script),
        };
        output.map(|output| self.with_commit_failures(script, output))
    }

    fn write_memory(&self) -> Result<Output, Error> {
        self.run(&["-c", "write memory"], "", self.base_timeout)
    }
}

/// What [`Vtysh::prepare_apply`] got ready: with the real vtysh, the
/// session's vtysh, a `vtysh -f` waiting for its script on a pipe, or
/// nothing yet (the script will go to a file). Dropped unused,
/// the session is kept for the next script; the `vtysh -f` has its input
/// closed empty and exits having applied nothing. It is waited for, not
/// killed (unless it hangs): a `vtysh -f` killed between the start and
/// the end of its configuration leaves bgpd holding new peers down for 10
/// minutes.
pub struct Prepared(Option<Ready>);

enum Ready {
    /// A plain `vtysh -f` reading standard input (FRR before 9.0 only).
    Pipe(Result<Started, Error>, Duration),
    /// Nothing started: `vtysh -f` of a private file, once the script is
    /// known.
    File,
    /// A `vtysh -d DAEMON -f` for each daemon.
    Daemons(Vec<Result<Started, Error>>, Duration),
    Session(Session, Arc<Warm>),
}

impl Default for Prepared {
    /// Nothing started: the script goes to `vtysh -f` once known.
    fn default() -> Self {
        Prepared(None)
    }
}

impl Prepared {
    fn take(mut self) -> Option<Ready> {
        self.0.take()
    }

    /// How many vtysh processes wait for the script: one, or one for each
    /// daemon; none when the script will go to a file (or with a vtysh
    /// that is not the real one).
    pub fn vtyshes(&self) -> usize {
        match &self.0 {
            Some(Ready::Daemons(started, _)) => started.len(),
            Some(Ready::File) | None => 0,
            Some(_) => 1,
        }
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        match self.0.take() {
            Some(Ready::Pipe(Ok(started), timeout)) => {
                let _ = started.finish("", timeout);
            }
            Some(Ready::Daemons(started, timeout)) => {
                for started in started.into_iter().flatten() {
                    let _ = started.finish("", timeout);
                }
            }
            Some(Ready::Session(session, warm)) => warm.session.put(session),
            _ => {}
        }
    }
}

/// Prefix-list and access-list lines a script needs for its split over
/// the daemons to pay: every daemon keeps these lists, and FRR 8.4 takes
/// a time for each line that grows with its list's length (500 lines of
/// a 500-entry list: about 5 s of CPU in each of zebra, bgpd and bfdd).
/// A vtysh costs 30–40 ms of CPU to start: a long script of other lines
/// (the mass delete's `no network` lines, for bgpd alone) is done sooner
/// through one.
const SPLIT_MIN_LIST_LINES: usize = 100;

/// Whether `script` has [`SPLIT_MIN_LIST_LINES`] lines (or their `no`
/// forms) of prefix-lists or access-lists (see [`list::command`]).
fn worth_splitting(script: &str) -> bool {
    let list_lines = script
        .lines()
        .map(|line| {
            let line = line.trim_start();
            line.strip_prefix("no ").unwrap_or(line)
        })
        .filter(|line| matches!(list::command(line), Some((List::Prefix | List::Access, _))));
    list_lines.take(SPLIT_MIN_LIST_LINES).count() == SPLIT_MIN_LIST_LINES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_scripts_with_many_list_lines_are_split() {
        let entries = |n: usize, prefix: &str| -> String {
            (1..=n)
                .map(|i| format!("{prefix}ip prefix-list L seq {i} permit 198.51.100.{i}/32\n"))
                .collect()
        };
        assert!(worth_splitting(&entries(SPLIT_MIN_LIST_LINES, "")));
        assert!(!worth_splitting(&entries(SPLIT_MIN_LIST_LINES - 1, "")));
        assert!(worth_splitting(&entries(SPLIT_MIN_LIST_LINES, " no ")));
        let acl = "access-list A seq 5 permit 198.51.100.0/24\n".repeat(SPLIT_MIN_LIST_LINES);
        assert!(worth_splitting(&acl));
        // bgpd's lines alone, however many.
        let networks: String = (1..=500)
            .map(|i| format!("  no network 198.18.{}.{}/32\n", i / 256, i % 256))
            .collect();
        let script = format!("router bgp 64512\n address-family ipv4 unicast\n{networks}");
        assert!(!worth_splitting(&script));
    }

    #[test]
    fn a_passed_check_is_kept_restored_and_expires() {
        let text = "Building configuration...\n\nCurrent configuration:\n!\n\
                    frr version 10.4.3\nhostname h\n!\nend\n";
        let reads = DirectReads::default();
        assert_eq!(reads.passed(), None);
        assert!(matches!(reads.next(), Next::Check));
        reads.checked(Some(vec!["hostname h".into()]), text);
        assert_eq!(reads.checks(), 1);
        let passed = reads.passed().expect("passed");
        assert_eq!(passed.own, ["hostname h"]);
        assert_eq!(passed.version.as_deref(), Some("frr version 10.4.3"));
        assert!(passed.age < Duration::from_secs(5));

        // Taken up by another run: direct at once, the same check.
        let later = DirectReads::default();
        later.restore(PassedCheck {
            age: Duration::from_secs(200),
            ..passed.clone()
        });
        assert!(matches!(
            later.next(),
            Next::Direct(own, Some(v)) if own == ["hostname h"] && v == "frr version 10.4.3"
        ));
        assert!(later.passed().unwrap().age >= Duration::from_secs(200));
        assert_eq!(later.checks(), 0, "restored, not made");
        // Too old: not taken.
        let expired = DirectReads::default();
        expired.restore(PassedCheck {
            age: CALIBRATION_LIFETIME,
            ..passed
        });
        assert!(matches!(expired.next(), Next::Check));
        assert_eq!(expired.passed(), None);

        // A failed check is no check to keep.
        reads.checked(None, text);
        assert_eq!(reads.passed(), None);
        assert!(matches!(reads.next(), Next::Vtysh));
    }

    #[test]
    fn no_vtysh_keeps_a_history_or_a_log() {
        let command = VtyshCommand::default().command();
        let envs: Vec<_> = command.get_envs().collect();
        assert!(envs.contains(&("VTYSH_HISTFILE".as_ref(), Some("/dev/null".as_ref()))));
        assert!(envs.contains(&("VTYSH_LOG".as_ref(), None)));
    }

    #[test]
    fn timeout_kills_and_reports() {
        let vtysh = VtyshCommand {
            program: PathBuf::from("sleep"),
            base_timeout: Duration::from_millis(100),
            ..VtyshCommand::default()
        };
        let started = Instant::now();
        let err = vtysh.run(&["5"], "", vtysh.base_timeout).unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn timeout_kills_what_a_wrapper_started() {
        let vtysh = VtyshCommand {
            program: PathBuf::from("sh"),
            base_timeout: Duration::from_millis(200),
            ..VtyshCommand::default()
        };
        let started = Instant::now();
        let err = vtysh
            .run(&["-c", "sleep 30 & sleep 30"], "", vtysh.base_timeout)
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn missing_program_names_it() {
        let vtysh = VtyshCommand {
            program: PathBuf::from("/nonexistent/vtysh"),
            ..VtyshCommand::default()
        };
        let err = vtysh.running_config().unwrap_err().to_string();
        assert!(err.contains("/nonexistent/vtysh"), "{err}");
    }
}
