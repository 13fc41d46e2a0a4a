//! The reload actor against the fake FRR: coalescing of queued
//! configurations, retry, rollback, re-apply after a restart.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use protocol::{ApplyResult, Effect, Outcome, Trigger};
use tokio::sync::{broadcast, mpsc, oneshot};

use super::fake::{FakeDriver, Frr};
use super::{config, settings, TempDir};
use crate::actor::{Actor, Job, Msg, OnFailure, Settings, Shared};
use crate::shutdown;
use crate::state::{State, StateDir};

/// An actor running on a fake FRR.
struct Harness {
    frr: Arc<Frr>,
    shared: Arc<Shared>,
    tx: mpsc::Sender<Msg>,
    events: broadcast::Receiver<Arc<ApplyResult>>,
    trigger: shutdown::Trigger,
    task: tokio::task::JoinHandle<()>,
    _dir: TempDir,
}

impl Harness {
    fn start(on_failure: OnFailure) -> Harness {
        Harness::start_with(on_failure, |_| {})
    }

    /// An actor whose settings `adjust` changes.
    fn start_with(on_failure: OnFailure, adjust: impl FnOnce(&mut Settings)) -> Harness {
        let dir = TempDir::new();
        std::fs::create_dir(dir.path().join("run")).unwrap();
        let frr = Frr::new();
        let shared = Arc::new(Shared::default());
        let events = shared.events.subscribe();
        let store = StateDir::open(&dir.path().join("state")).unwrap();
        let mut settings = settings(dir.path(), on_failure);
        adjust(&mut settings);
        let actor = Actor::new(
            settings,
            FakeDriver(frr.clone()),
            shared.clone(),
            store,
            State::default(),
        );
        let (tx, rx) = mpsc::channel(64);
        let (trigger, shutdown) = shutdown::channel();
        let task = tokio::spawn(actor.run(rx, shutdown));
        Harness {
            frr,
            shared,
            tx,
            events,
            trigger,
            task,
            _dir: dir,
        }
    }

    /// Sends `config` as the API would; the reply comes on the receiver.
    async fn send(&self, config: String, id: &str) -> oneshot::Receiver<ApplyResult> {
        self.send_guarded(config, id, None).await
    }

    /// Sends `config` with an impact limit, as `PUT ?maxImpact=` would.
    async fn send_guarded(
        &self,
        config: String,
        id: &str,
        limit: Option<Effect>,
    ) -> oneshot::Receiver<ApplyResult> {
        let (reply, answer) = oneshot::channel();
        let job =
            Job::new(config, Some(id.into()), Trigger::Api, Some(reply)).with_max_impact(limit);
        self.tx.send(Msg::Apply(job)).await.unwrap();
        answer
    }

    /// What the state directory holds for the next start.
    fn saved(&self) -> State {
        let store = StateDir::open(&self._dir.path().join("state")).unwrap();
        store.load().unwrap().expect("a saved state")
    }

    /// The next event for which `wanted` holds (within 10 s).
    async fn event(&mut self, wanted: impl Fn(&ApplyResult) -> bool) -> Arc<ApplyResult> {
        let wait = async {
            loop {
                let event = self.events.recv().await.unwrap();
                if wanted(&event) {
                    return event;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), wait)
            .await
            .expect("no such event within 10 s")
    }

    async fn stop(self) {
        self.trigger.stop();
        self.task.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configurations_queued_during_a_reload_fold_into_the_newest() {
    let h = Harness::start(OnFailure::Retry);
    h.frr.close();
    let first = h.send(config(1), "one").await;
    h.frr.entered(1).await;
    let losers = [
        h.send(config(2), "two").await,
        h.send(config(3), "three").await,
    ];
    let winner = h.send(config(4), "four").await;
    h.frr.open();

    assert_eq!(first.await.unwrap().outcome, Outcome::Converged);
    for loser in losers {
        let loser = loser.await.unwrap();
        assert_eq!(loser.outcome, Outcome::Superseded, "{loser:?}");
        let by = loser.superseded_by.expect("names the winner");
        assert_eq!(by.id, "four");
        assert_eq!(by.result.outcome, Outcome::Converged);
    }
    let winner = winner.await.unwrap();
    assert_eq!(winner.outcome, Outcome::Converged, "{winner:?}");
    // One reload for the first, one for all the others.
    assert_eq!(h.frr.applies.load(Ordering::SeqCst), 2);
    assert_eq!(*h.frr.running.lock().unwrap(), config(4));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_that_does_not_converge_is_retried() {
    let mut h = Harness::start(OnFailure::Retry);
    h.frr.stuck.store(true, Ordering::SeqCst);
    let answer = h.send(config(1), "one").await.await.unwrap();
    assert_eq!(answer.outcome, Outcome::NotConverged, "{answer:?}");
    h.frr.stuck.store(false, Ordering::SeqCst);
    let retry = h.event(|e| e.trigger == Trigger::Retry).await;
    assert_eq!(retry.outcome, Outcome::Converged, "{retry:?}");
    assert_eq!(retry.id, "one");
    assert_eq!(*h.frr.running.lock().unwrap(), config(1));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_stop_after_retry_max() {
    let mut h = Harness::start(OnFailure::Retry);
    h.frr.stuck.store(true, Ordering::SeqCst);
    let answer = h.send(config(1), "one").await.await.unwrap();
    assert_eq!(answer.outcome, Outcome::NotConverged);
    // retry_max is 2: after 1 s, then 2 s more; then no more.
    for _ in 0..2 {
        let retry = h.event(|e| e.trigger == Trigger::Retry).await;
        assert_eq!(retry.outcome, Outcome::NotConverged);
    }
    let more = tokio::time::timeout(Duration::from_secs(5), h.events.recv()).await;
    assert!(more.is_err(), "a third retry: {more:?}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollback_restores_the_last_converged_configuration() {
    let h = Harness::start(OnFailure::Rollback);
    let good = h.send(config(1), "good").await.await.unwrap();
    assert_eq!(good.outcome, Outcome::Converged);
    h.frr.stuck.store(true, Ordering::SeqCst);
    let bad = h.send(config(2), "bad").await.await.unwrap();
    assert_eq!(bad.outcome, Outcome::NotConverged, "{bad:?}");
    let rollback = bad.rollback.expect("a rollback");
    assert_eq!(rollback.trigger, Trigger::Rollback);
    assert_eq!(rollback.id, "good");
    assert_eq!(rollback.outcome, Outcome::Converged, "{rollback:?}");
    assert_eq!(*h.frr.running.lock().unwrap(), config(1));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_frr_gets_the_configuration_again() {
    let mut h = Harness::start(OnFailure::Retry);
    let answer = h.send(config(1), "one").await.await.unwrap();
    assert_eq!(answer.outcome, Outcome::Converged);
    // The daemons came back empty.
    h.frr.running.lock().unwrap().clear();
    h.tx.send(Msg::FrrRestarted).await.unwrap();
    let again = h.event(|e| e.trigger == Trigger::FrrRestart).await;
    assert_eq!(again.outcome, Outcome::Converged, "{again:?}");
    assert_eq!(*h.frr.running.lock().unwrap(), config(1));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_reload_in_flight_and_drops_the_queue() {
    let h = Harness::start(OnFailure::Retry);
    h.frr.close();
    let first = h.send(config(1), "one").await;
    h.frr.entered(1).await;
    let queued = h.send(config(2), "two").await;
    h.trigger.stop();
    h.frr.open();
    assert_eq!(first.await.unwrap().outcome, Outcome::Converged);
    assert!(queued.await.is_err(), "a queued job is dropped at shutdown");
    h.task.await.unwrap();
}

/// A BGP configuration with one peer, and `extra` under it.
fn bgp(extra: &str) -> String {
    format!(
        "frr version 8.4.4\nrouter bgp 64512\n neighbor 192.0.2.2 remote-as 64513\n{extra}exit\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_over_the_impact_limit_is_refused_and_never_saved() {
    let mut h = Harness::start(OnFailure::Retry);
    let good = h.send(bgp(""), "good").await.await.unwrap();
    assert_eq!(good.outcome, Outcome::Converged, "{good:?}");
    assert_eq!(good.impact, vec![], "a new peer has no session to reset");
    let applies = h.frr.applies.load(Ordering::SeqCst);

    // update-source resets the session: over `soft`.
    let resets = bgp(" neighbor 192.0.2.2 update-source 192.0.2.1\n");
    let refused = h
        .send_guarded(resets.clone(), "resets", Some(Effect::Soft))
        .await
        .await
        .unwrap();
    assert_eq!(refused.outcome, Outcome::ImpactRefused, "{refused:?}");
    assert_eq!(refused.impact.len(), 1, "{refused:?}");
    assert_eq!(refused.impact[0].peer, "192.0.2.2");
    assert_eq!(refused.impact[0].effect, Effect::Reset);
    assert!(
        refused
            .last_reload_result
            .contains("reset bgp 192.0.2.2 vrf default"),
        "{}",
        refused.last_reload_result
    );
    assert_eq!(
        h.frr.applies.load(Ordering::SeqCst),
        applies,
        "nothing applied"
    );
    assert_eq!(*h.frr.running.lock().unwrap(), bgp(""));
    // An agent restart re-applies what ran, not the refused text.
    let saved = h.saved();
    assert_eq!(saved.desired.as_ref().map(|d| d.id.as_str()), Some("good"));
    assert_eq!(saved.generation, 2, "the generation counted stays");
    let status = h.shared.status();
    assert!(!status.converged);
    assert_eq!(status.generation, 2);
    assert_eq!(status.desired_sha256, refused.sha256);

    // A re-apply of what runs (here after an FRR restart) leaves the
    // refusal standing in the status.
    h.tx.send(Msg::FrrRestarted).await.unwrap();
    let again = h.event(|e| e.trigger == Trigger::FrrRestart).await;
    assert_eq!(again.id, "good", "{again:?}");
    let status = h.shared.status();
    assert!(!status.converged, "{status:?}");
    assert!(status.last_reload_result.contains("refused"), "{status:?}");

    // The same change with `reset` allowed goes through, and says what it did.
    let allowed = h
        .send_guarded(resets.clone(), "resets", Some(Effect::Reset))
        .await
        .await
        .unwrap();
    assert_eq!(allowed.outcome, Outcome::Converged, "{allowed:?}");
    assert_eq!(allowed.impact, refused.impact);
    assert_eq!(*h.frr.running.lock().unwrap(), resets);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_valid_applies_the_rest_and_names_the_refused_lines() {
    let mut h = Harness::start_with(OnFailure::Rollback, |s| s.reload.apply_valid = true);
    let text = format!("{}bogus line\n{}", config(1), config(2));
    let answer = h.send(text.clone(), "partly").await.await.unwrap();
    assert_eq!(answer.outcome, Outcome::PartlyApplied, "{answer:?}");
    assert_eq!(answer.conversion.errors.len(), 1, "{answer:?}");
    assert_eq!(answer.conversion.errors[0].line, 2);
    assert!(
        answer
            .last_reload_result
            .starts_with("partly applied: FRR refused 1 line(s)"),
        "{}",
        answer.last_reload_result
    );
    assert_eq!(answer.rollback, None, "the valid part is not rolled back");
    assert_eq!(*h.frr.running.lock().unwrap(), config(1) + &config(2));
    let status = h.shared.status();
    assert!(!status.converged);
    // Not retried: the same lines would be refused again.
    h.event(|e| e.id == "partly").await;
    let more = tokio::time::timeout(Duration::from_secs(3), h.events.recv()).await;
    assert!(more.is_err(), "another reload: {more:?}");
    h.stop().await;
}
