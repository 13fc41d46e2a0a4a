//! The reload actor: the one task that changes FRR, and the only owner
//! of its [`Driver`] (the API and the probes read through a
//! [`crate::frr::Reader`], which cannot apply). Requests reach it
//! through a bounded channel with a oneshot reply; applies never overlap.
//! While a reload runs, new configurations are folded into one pending
//! slot (the newest wins; the others are answered `superseded` with the
//! winner's result), so a flood costs one reload, not one per request.
//! It also re-applies after FRR restarts, resyncs periodically, retries
//! with backoff or rolls back, and keeps the state directory current.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use protocol::{ApplyResult, Effect, NodeStatus, Outcome, Supersession, Trigger};
use sha2::{Digest, Sha256};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::time::sleep_until;

use crate::frr::Driver;
use crate::metrics::Metrics;
use crate::outbound;
use crate::shutdown::Shutdown;
use crate::state::{Saved, State, StateDir, StateError};

/// What to do when a reload does not converge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnFailure {
    /// Report it, then retry the same configuration with exponential
    /// backoff (1 s, 2 s, 4 s … at most 60 s apart, `--retry-max` times).
    Retry,
    /// Report it, then restore the last configuration that converged and
    /// report that too.
    Rollback,
}

/// How the actor works.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The reload pipeline's settings.
    pub reload: reloader::pipeline::Settings,
    /// Re-read (and converge) at least this often; `None`: only on events.
    pub resync_interval: Option<Duration>,
    /// What a reload that does not converge leads to.
    pub on_failure: OnFailure,
    /// Retries after a failure (with `OnFailure::Retry`).
    pub retry_max: u32,
    /// How long after the last FRR restart event to wait before
    /// re-applying (daemons start one after the other).
    pub restart_settle: Duration,
    /// FRR's run directory: a daemon whose vty socket there does not
    /// answer has died since the last read.
    pub run_dir: std::path::PathBuf,
}

/// What the actor shares with the servers.
#[derive(Debug)]
pub struct Shared {
    /// The status served by `GET /v1/status`.
    pub status: Mutex<NodeStatus>,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Every result as it happens (`GET /v1/events`).
    pub events: broadcast::Sender<Arc<ApplyResult>>,
    /// True while a reload runs (FRR may then be too busy to answer other
    /// vtysh commands quickly, which does not make it unready).
    pub reloading: AtomicBool,
}

impl Default for Shared {
    fn default() -> Shared {
        Shared {
            status: Mutex::new(NodeStatus::default()),
            metrics: Metrics::default(),
            events: broadcast::channel(256).0,
            reloading: AtomicBool::new(false),
        }
    }
}

impl Shared {
    /// The current status.
    pub fn status(&self) -> NodeStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Changes the status.
    pub fn update_status(&self, f: impl FnOnce(&mut NodeStatus)) {
        f(&mut self.status.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

/// A desired configuration to apply.
#[derive(Debug)]
pub struct Job {
    /// The text (shared with the state that saves it).
    pub config: Arc<String>,
    /// The caller's id (default: the sha256).
    pub id: String,
    /// sha256 of the text.
    pub sha256: String,
    /// What asked for it.
    pub trigger: Trigger,
    /// Where the answer goes.
    pub reply: Option<oneshot::Sender<ApplyResult>>,
    /// The most its reload may do to sessions; `None`: the agent's
    /// `--max-impact`.
    pub max_impact: Option<Effect>,
    /// Its body's share of the API's body budget, held until the actor
    /// takes the job in (see `api::collect_body`).
    budget: Option<tokio::sync::OwnedSemaphorePermit>,
    generation: u64,
    /// Why it could not be saved when it was accepted (an agent restart
    /// would not find it).
    unsaved: Option<String>,
}

impl Job {
    /// A job for `config`, identified by `id` or else its sha256.
    pub fn new(
        config: impl Into<Arc<String>>,
        id: Option<String>,
        trigger: Trigger,
        reply: Option<oneshot::Sender<ApplyResult>>,
    ) -> Job {
        let config = config.into();
        let sha256 = sha256_hex(&config);
        Job {
            id: id
                .filter(|i| !i.is_empty())
                .unwrap_or_else(|| sha256.clone()),
            config,
            sha256,
            trigger,
            reply,
            max_impact: None,
            budget: None,
            generation: 0,
            unsaved: None,
        }
    }

    /// The job holding its body's share of the body budget.
    pub fn with_budget(mut self, budget: Option<tokio::sync::OwnedSemaphorePermit>) -> Job {
        self.budget = budget;
        self
    }

    /// The job with its own impact limit.
    pub fn with_max_impact(mut self, max_impact: Option<Effect>) -> Job {
        self.max_impact = max_impact;
        self
    }

    /// Keeps an existing generation instead of counting a new one.
    pub fn set_generation(&mut self, generation: u64) {
        self.generation = generation;
    }

    fn from_saved(saved: &Saved, trigger: Trigger) -> Job {
        Job {
            config: saved.config.clone(),
            id: saved.id.clone(),
            sha256: saved.sha256.clone(),
            trigger,
            reply: None,
            max_impact: saved.max_impact,
            budget: None,
            generation: saved.generation,
            unsaved: None,
        }
    }

    fn saved(&self) -> Saved {
        Saved {
            config: self.config.clone(),
            id: self.id.clone(),
            sha256: self.sha256.clone(),
            generation: self.generation,
            max_impact: self.max_impact,
        }
    }

    /// The impact limit of its reload: its own or `default` for a
    /// configuration asked for (or re-applied at start); none for a
    /// retry, a resync, a re-apply after an FRR restart or a rollback,
    /// which restore a configuration already let through.
    fn guard(&self, default: Option<Effect>) -> Option<Effect> {
        match self.trigger {
            Trigger::Api | Trigger::Compat | Trigger::Startup | Trigger::Cli => {
                self.max_impact.or(default)
            }
            Trigger::FrrRestart | Trigger::Resync | Trigger::Retry | Trigger::Rollback => None,
        }
    }
}

/// A message to the actor.
#[derive(Debug)]
pub enum Msg {
    /// Apply a configuration.
    Apply(Job),
    /// FRR daemons (re)started: re-apply once they settle.
    FrrRestarted,
}

/// sha256 of a text, lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

struct Pending {
    job: Job,
    superseded: Vec<Job>,
}

/// The actor's own state.
pub struct Actor<D> {
    settings: Settings,
    /// FRR: only the actor applies. Shared with the blocking task of the
    /// reload in flight, never beyond.
    driver: Arc<D>,
    shared: Arc<Shared>,
    store: StateDir,
    state: State,
    generation: u64,
    /// What FRR should run: the desired configuration, or after a rollback
    /// the last converged one.
    target: Option<Saved>,
    /// sha256 of the configuration FRR was last seen converged to.
    converged_sha: Option<String>,
    last_read: Option<Instant>,
    /// The running configuration as the last reload read it (unredacted),
    /// when that read worked.
    last_running: Option<Arc<str>>,
    restart_seen: bool,
    next: Option<Pending>,
    retry: Option<(Instant, u32)>,
    reapply_at: Option<Instant>,
}

impl<D: Driver> Actor<D> {
    /// An actor driving FRR through `driver`, starting from the saved
    /// `state`.
    pub fn new(
        settings: Settings,
        driver: D,
        shared: Arc<Shared>,
        store: StateDir,
        state: State,
    ) -> Actor<D> {
        let generation = state
            .desired
            .as_ref()
            .map_or(0, |d| d.generation)
            .max(state.generation);
        if let Some(last) = &state.last_result {
            shared.update_status(|s| fill_status(s, last));
        }
        Actor {
            settings,
            driver: Arc::new(driver),
            shared,
            store,
            target: state.desired.clone(),
            state,
            generation,
            converged_sha: None,
            last_read: None,
            last_running: None,
            restart_seen: false,
            next: None,
            retry: None,
            reapply_at: None,
        }
    }

    /// Runs until the channel closes or `shutdown` is asked for; the reload
    /// in flight is always finished first. Jobs still pending then are
    /// dropped (their callers see the agent going away); their configuration
    /// is already saved and is applied at the next start.
    pub async fn run(mut self, mut rx: mpsc::Receiver<Msg>, shutdown: Shutdown) {
        loop {
            if shutdown.requested() {
                break;
            }
            // What arrived meanwhile (also as a reload ended, unseen by
            // its loop) folds into the pending slot first: the newest
            // configuration wins.
            while let Ok(msg) = rx.try_recv() {
                self.accept(msg);
            }
            let Some(pending) = self.next.take() else {
                let timer = self.next_timer();
                tokio::select! {
                    msg = rx.recv() => match msg {
                        Some(msg) => self.accept(msg),
                        None => break,
                    },
                    () = sleep_until(timer.unwrap_or_else(far_future).into()), if timer.is_some() => {
                        self.on_timer();
                    }
                    () = shutdown.wait() => {}
                }
                continue;
            };
            self.execute(pending, &mut rx).await;
        }
        if let Some(pending) = self.next.take() {
            tracing::warn!(
                id = %pending.job.id,
                "shutting down before applying; the configuration is saved for the next start"
            );
        }
    }

    fn next_timer(&self) -> Option<Instant> {
        let resync = match (&self.target, self.settings.resync_interval, self.last_read) {
            (Some(_), Some(interval), Some(read)) => Some(read + interval),
            _ => None,
        };
        [self.retry.map(|(at, _)| at), self.reapply_at, resync]
            .into_iter()
            .flatten()
            .min()
    }

    fn on_timer(&mut self) {
        let now = Instant::now();
        let Some(target) = self.target.clone() else {
            return;
        };
        let trigger = if self.reapply_at.is_some_and(|at| at <= now) {
            self.reapply_at = None;
            Trigger::FrrRestart
        } else if self.retry.is_some_and(|(at, _)| at <= now) {
            Trigger::Retry
        } else {
            Trigger::Resync
        };
        self.next = Some(Pending {
            job: Job::from_saved(&target, trigger),
            superseded: vec![],
        });
    }

    fn accept(&mut self, msg: Msg) {
        match msg {
            Msg::FrrRestarted => {
                self.restart_seen = true;
                // The restarted FRR may be another one: vtysh reads again
                // until the direct read is checked anew, checks whole
                // configurations again, and a new vtysh session starts.
                self.driver.forget();
                // One restart of FRR shows as one vty socket per daemon.
                if self.shared.metrics.frr_restart() {
                    self.shared.update_status(|s| s.frr_restarts += 1);
                }
                self.reapply_at = Some(Instant::now() + self.settings.restart_settle);
            }
            Msg::Apply(mut job) => {
                // Taken in: one pending configuration at most is kept,
                // whatever the budget.
                drop(job.budget.take());
                if job.generation == 0 {
                    self.generation += 1;
                    job.generation = self.generation;
                    self.state.generation = self.generation;
                }
                if matches!(
                    job.trigger,
                    Trigger::Api | Trigger::Compat | Trigger::Startup
                ) {
                    self.retry = None;
                    job.max_impact = job.guard(self.settings.reload.max_impact);
                    self.state.desired = Some(job.saved());
                    self.target = self.state.desired.clone();
                    job.unsaved = self.save();
                    // Not converged until this configuration's reload says
                    // so, unless FRR already runs it.
                    let runs_it = self.converged_sha.as_deref() == Some(job.sha256.as_str());
                    self.shared.update_status(|s| {
                        s.desired_sha256.clone_from(&job.sha256);
                        s.generation = job.generation;
                        s.converged = runs_it;
                    });
                }
                let superseded = match self.next.take() {
                    Some(mut previous) => {
                        // Only the newest text is kept: a loser needs its
                        // id and reply, not its configuration.
                        let mut loser = previous.job;
                        loser.config = Arc::default();
                        previous.superseded.push(loser);
                        previous.superseded
                    }
                    None => vec![],
                };
                self.next = Some(Pending { job, superseded });
            }
        }
    }

    /// Saves the state (two fsyncs) without holding up the runtime's other
    /// tasks: the connections keep being served meanwhile. Returns why it
    /// failed. A state that cannot be saved must not leave an older one
    /// behind for a restart to re-apply over the newer configuration: the
    /// saved state is then removed, and the answer says so.
    fn save(&self) -> Option<String> {
        let multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        let save = || self.store.save(&self.state);
        let saved = if multi_thread {
            tokio::task::block_in_place(save)
        } else {
            save()
        };
        let error = match saved {
            Ok(()) => String::new(),
            Err(e @ StateError::Unusable { .. }) => {
                let error = format!(
                    "{e}; nothing is saved, so an agent restart re-applies no configuration"
                );
                tracing::error!(error = %error, "cannot save state; serving continues");
                error
            }
            Err(e) => {
                let error = match self.store.discard() {
                    Ok(()) => format!(
                        "{e}; the older saved state was removed, so an agent restart \
                         re-applies no configuration until one is saved"
                    ),
                    Err(gone) => format!(
                        "{e}; the older saved state could not be removed either ({gone}): \
                         an agent restart would re-apply an older configuration"
                    ),
                };
                tracing::error!(error = %error, "cannot save state; serving continues");
                error
            }
        };
        self.shared
            .update_status(|s| s.state_error.clone_from(&error));
        (!error.is_empty()).then_some(error)
    }

    /// Whether the last read can stand for FRR's running configuration in
    /// answering `job`: the job was asked for (not a resync, a retry or a
    /// re-apply after a restart), no FRR restart was seen since, and the
    /// read is younger than the resync interval.
    fn last_read_trusted(&self, job: &Job) -> bool {
        let fresh = match (self.last_read, self.settings.resync_interval) {
            (Some(read), Some(interval)) => read.elapsed() < interval,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let asked = matches!(job.trigger, Trigger::Api | Trigger::Compat);
        fresh && asked && !self.restart_seen
    }

    /// Whether `job` can be answered from the last result without FRR.
    fn cached(&self, job: &Job) -> Option<ApplyResult> {
        let same = self.converged_sha.as_deref() == Some(job.sha256.as_str());
        if !(same && self.last_read_trusted(job) && self.daemons_answer()) {
            return None;
        }
        let mut result = self.state.last_result.clone()?;
        if result.sha256 != job.sha256 || result.outcome != Outcome::Converged {
            return None;
        }
        result.cached = true;
        result.id.clone_from(&job.id);
        result.generation = job.generation;
        result.trigger = job.trigger;
        result.delta = protocol::Delta::default();
        result.timings_ms = protocol::Timings::default();
        result.finished_at_ms = now_ms();
        Some(result)
    }

    /// Whether every daemon with a vty socket in the run directory still
    /// accepts a connection on it: one killed since the last read leaves
    /// its socket behind, and FRR no longer runs what it held.
    fn daemons_answer(&self) -> bool {
        let dead = crate::frrwatch::silent_daemons(&self.settings.run_dir);
        if !dead.is_empty() {
            tracing::warn!(daemons = %dead.join(","), "FRR daemons do not answer: reading FRR again");
        }
        dead.is_empty()
    }

    async fn execute(&mut self, pending: Pending, rx: &mut mpsc::Receiver<Msg>) {
        let Pending { job, superseded } = pending;
        let result = match self.cached(&job) {
            Some(result) => result,
            None => {
                let mut result = self.reload(&job, rx).await;
                self.after_reload(&job, &mut result, rx).await;
                result
            }
        };
        self.finish(job, superseded, result);
        // The next reload finds vtysh started for its check and script.
        self.driver.warm_up();
    }

    /// Runs the blocking reload pipeline while folding new messages.
    async fn reload(&mut self, job: &Job, rx: &mut mpsc::Receiver<Msg>) -> ApplyResult {
        let driver = Arc::clone(&self.driver);
        let mut settings = self.settings.reload.clone();
        settings.max_impact = job.guard(settings.max_impact);
        let config = job.config.clone();
        // Nothing else configures FRR between reloads, so the last read is
        // reused; the reload still confirms its outcome with a fresh read.
        let last_running = self
            .last_running
            .clone()
            .filter(|_| self.last_read_trusted(job));
        let mut task = tokio::task::spawn_blocking(move || {
            reloader::pipeline::reload_from(&*driver, &config, &settings, last_running.as_deref())
        });
        self.restart_seen = false;
        self.shared.reloading.store(true, Ordering::Relaxed);
        let reload = loop {
            tokio::select! {
                done = &mut task => break done.unwrap_or_else(|e| ApplyResult {
                    last_conversion_result: "success".to_owned(),
                    last_reload_result: format!("reload task failed: {e}"),
                    ..ApplyResult::default()
                }),
                Some(msg) = rx.recv() => self.accept(msg),
            }
        };
        self.shared.reloading.store(false, Ordering::Relaxed);
        // Also after a failed read: the resync timer counts from the last
        // attempt, so an unreachable FRR is not polled in a tight loop.
        self.last_read = Some(Instant::now());
        self.last_running = (reload.outcome != Outcome::FrrUnreachable
            && !reload.running_config.is_empty())
        .then(|| Arc::from(reload.running_config.as_str()));
        self.converged_sha = (reload.outcome == Outcome::Converged).then(|| job.sha256.clone());
        let mut result = reload;
        result.id.clone_from(&job.id);
        result.sha256.clone_from(&job.sha256);
        result.generation = job.generation;
        result.trigger = job.trigger;
        outbound::prepare(&mut result);
        result
    }

    /// Retry or rollback after a reload that did not converge.
    async fn after_reload(
        &mut self,
        job: &Job,
        result: &mut ApplyResult,
        rx: &mut mpsc::Receiver<Msg>,
    ) {
        let failed = matches!(
            result.outcome,
            Outcome::NotConverged | Outcome::FrrUnreachable
        );
        let previous_retry = self.retry.take();
        if job.trigger == Trigger::Resync && !result.delta.is_empty() {
            tracing::warn!(
                id = %job.id,
                deletes = result.delta.stats.deletes,
                adds = result.delta.stats.adds,
                "drift: the running configuration differed from the desired one"
            );
        }
        if result.outcome == Outcome::Converged {
            self.state.last_converged = Some(job.saved());
            return;
        }
        if matches!(
            result.outcome,
            Outcome::ConversionFailed | Outcome::ImpactRefused
        ) {
            // FRR was not touched: restarts and resyncs keep restoring what
            // last ran, not a configuration FRR refuses.
            self.target.clone_from(&self.state.last_converged);
        }
        if result.outcome == Outcome::ImpactRefused {
            // Nor may an agent restart apply it unguarded: what is saved
            // for the next start goes back to what last ran (saved with
            // the result, in `finish`).
            self.state.desired.clone_from(&self.state.last_converged);
        }
        if !failed || job.trigger == Trigger::Rollback {
            return;
        }
        match self.settings.on_failure {
            OnFailure::Retry => {
                let attempt = match (job.trigger, previous_retry) {
                    (Trigger::Retry, Some((_, n))) => n + 1,
                    _ => 1,
                };
                if attempt <= self.settings.retry_max {
                    let backoff =
                        Duration::from_secs(1 << (attempt - 1).min(6)).min(Duration::from_secs(60));
                    tracing::warn!(id = %job.id, attempt, backoff_s = backoff.as_secs(), "not converged; will retry");
                    self.retry = Some((Instant::now() + backoff, attempt));
                } else {
                    tracing::error!(id = %job.id, "not converged; retries exhausted");
                    self.retry = None;
                }
            }
            OnFailure::Rollback if result.outcome == Outcome::NotConverged => {
                let Some(good) = self.state.last_converged.clone() else {
                    tracing::warn!(id = %job.id, "not converged and no converged configuration to roll back to");
                    return;
                };
                let rollback = Job::from_saved(&good, Trigger::Rollback);
                let mut restored = self.reload(&rollback, rx).await;
                self.publish(&mut restored);
                self.target = Some(good);
                result.rollback = Some(Box::new(restored));
            }
            OnFailure::Rollback => {}
        }
    }

    fn publish(&self, result: &mut ApplyResult) {
        if result.finished_at_ms == 0 {
            result.finished_at_ms = now_ms();
        }
        let stats = &result.delta.stats;
        let t = &result.timings_ms;
        tracing::info!(
            id = %result.id,
            sha256 = %result.sha256,
            generation = result.generation,
            trigger = crate::metrics::trigger_label(result.trigger),
            outcome = crate::metrics::outcome_label(result.outcome),
            cached = result.cached,
            deletes = stats.deletes,
            adds = stats.adds,
            replaced_in_place = stats.replaced_in_place,
            residue = result.residue.len(),
            validate_ms = t.validate_ms,
            read_ms = t.read_ms,
            diff_ms = t.diff_ms,
            apply_ms = t.apply_ms,
            total_ms = t.total_ms,
            result = %result.last_reload_result,
            "reload"
        );
        self.shared.metrics.record(result);
        let _ = self.shared.events.send(Arc::new(event_of(result)));
    }

    fn finish(&mut self, job: Job, superseded: Vec<Job>, mut result: ApplyResult) {
        if let Some(error) = &job.unsaved {
            result
                .reload
                .warnings
                .push(format!("not saved: applied, but {error}"));
        }
        // What is saved and shown as the last result leaves out the
        // delta's commands (the reply and the event have them): a large
        // reload is not kept several times over. The status is current
        // before the event goes out (the compat files follow it).
        result.finished_at_ms = now_ms();
        let summary = without_commands(&mut result);
        self.shared.update_status(|s| {
            // The status answers for the desired configuration: a resync
            // or FRR-restart reload of what last ran, after the desired
            // one was refused or rolled back, only updates what runs.
            if s.desired_sha256.is_empty() || s.desired_sha256 == summary.sha256 {
                fill_status(s, &summary);
            } else {
                s.running_config.clone_from(&summary.running_config);
            }
        });
        self.publish(&mut result);
        self.state.last_result = Some(summary.clone());
        self.save();
        for loser in superseded {
            if !matches!(loser.trigger, Trigger::Api | Trigger::Compat) {
                continue;
            }
            let mut answer = ApplyResult {
                id: loser.id.clone(),
                sha256: loser.sha256.clone(),
                generation: loser.generation,
                trigger: loser.trigger,
                outcome: Outcome::Superseded,
                last_conversion_result: format!("superseded by {}", job.id),
                last_reload_result: format!("superseded by {}", job.id),
                superseded_by: Some(Supersession {
                    id: job.id.clone(),
                    sha256: job.sha256.clone(),
                    result: Box::new(summary.clone()),
                }),
                ..ApplyResult::default()
            };
            self.publish(&mut answer);
            if let Some(reply) = loser.reply {
                let _ = reply.send(answer);
            }
        }
        if let Some(reply) = job.reply {
            let _ = reply.send(result);
        }
    }
}

/// What `/v1/events` carries of a result: all but the running
/// configurations (`GET /v1/running-config` has them), so the queue kept
/// for slow readers stays small whatever the size of FRR's configuration.
fn event_of(result: &mut ApplyResult) -> ApplyResult {
    let running = std::mem::take(&mut result.running_config);
    let rollback = result.rollback.take();
    let winner = result.superseded_by.take();
    let mut event = result.clone();
    result.running_config = running;
    if let Some(mut rollback) = rollback {
        event.rollback = Some(Box::new(event_of(&mut rollback)));
        result.rollback = Some(rollback);
    }
    if let Some(mut winner) = winner {
        event.superseded_by = Some(Supersession {
            id: winner.id.clone(),
            sha256: winner.sha256.clone(),
            result: Box::new(event_of(&mut winner.result)),
        });
        result.superseded_by = Some(winner);
    }
    event
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400)
}

/// Updates the status from a result (given without its delta's commands).
fn fill_status(status: &mut NodeStatus, result: &ApplyResult) {
    status
        .last_conversion_result
        .clone_from(&result.last_conversion_result);
    status
        .last_reload_result
        .clone_from(&result.last_reload_result);
    status.running_config.clone_from(&result.running_config);
    status.converged = result.outcome == Outcome::Converged;
    let mut last = result.clone();
    // Already in `status.running_config`.
    last.running_config = String::new();
    status.last_result = Some(last);
}

/// A result without its delta's commands and script (their counts stay),
/// made without copying them.
fn without_commands(result: &mut ApplyResult) -> ApplyResult {
    let delta = std::mem::take(&mut result.delta);
    let summary = ApplyResult {
        delta: protocol::Delta {
            stats: delta.stats.clone(),
            ..protocol::Delta::default()
        },
        ..result.clone()
    };
    result.delta = delta;
    summary
}
