//! Stopping the daemon: one [`Shutdown`] every task watches, the
//! [`Trigger`] that sets it, and [`Tasks`], which joins every spawned
//! task within the grace period.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

/// Sets the [`Shutdown`] of every task; dropping it sets it too.
#[derive(Debug)]
pub struct Trigger(watch::Sender<bool>);

/// Whether the daemon is stopping; cloned into every task.
#[derive(Debug, Clone)]
pub struct Shutdown(watch::Receiver<bool>);

/// A new shutdown, not set.
pub fn channel() -> (Trigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (Trigger(tx), Shutdown(rx))
}

impl Trigger {
    /// Tells every task to stop.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Shutdown {
    /// Whether stopping was asked for.
    pub fn requested(&self) -> bool {
        *self.0.borrow() || self.0.has_changed().is_err()
    }

    /// Resolves once stopping is asked for (at once if it was). Cancel
    /// safe: meant for `select!` loops.
    pub async fn wait(&self) {
        let mut rx = self.0.clone();
        // An error means the trigger is gone: that stops too.
        let _ = rx.wait_for(|stop| *stop).await;
    }
}

/// The daemon's spawned tasks, each named for the log.
#[derive(Default)]
pub struct Tasks {
    set: JoinSet<()>,
    /// Each task's name, and whether it ended.
    names: Vec<(&'static str, Arc<AtomicBool>)>,
}

impl Tasks {
    /// Spawns `task`; `name` shows if it does not end in time.
    pub fn spawn(&mut self, name: &'static str, task: impl Future<Output = ()> + Send + 'static) {
        let ended = Arc::new(AtomicBool::new(false));
        self.names.push((name, ended.clone()));
        self.set.spawn(async move {
            task.await;
            ended.store(true, Ordering::Relaxed);
        });
    }

    /// Waits for every task, at most `grace`; the ones still running then
    /// are aborted. Returns the names of those.
    pub async fn join(mut self, grace: Duration) -> Vec<&'static str> {
        let all = async {
            while let Some(done) = self.set.join_next().await {
                if let Err(e) = done {
                    tracing::error!(error = %e, "a task failed");
                }
            }
        };
        if tokio::time::timeout(grace, all).await.is_ok() {
            return vec![];
        }
        self.set.shutdown().await;
        self.names
            .iter()
            .filter(|(_, ended)| !ended.load(Ordering::Relaxed))
            .map(|(name, _)| *name)
            .collect()
    }
}
