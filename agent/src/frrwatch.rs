//! Watches FRR's run directory with inotify: a daemon's vty socket that
//! appears means that daemon (re)started with an empty configuration, so
//! the actor re-applies the desired one. Also keeps the list of daemons
//! seen for the status.

use std::ffi::OsStr;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use inotify::WatchMask;
use tokio::sync::mpsc;

use crate::actor::{Msg, Shared};
use crate::dirwatch::{DirEvent, DirWatch};
use crate::shutdown::Shutdown;

/// Daemons whose vty socket is in `dir`, sorted: the agent's one scan of
/// the run directory.
pub fn daemons(dir: &Path) -> Vec<String> {
    reloader::frr::vty::sockets(dir)
        .into_iter()
        .map(|(daemon, _)| daemon)
        .collect()
}

/// Daemons with a vty socket in `dir` that no longer accept a connection
/// on it: one killed leaves its socket behind.
pub fn silent_daemons(dir: &Path) -> Vec<String> {
    daemons(dir)
        .into_iter()
        .filter(|d| UnixStream::connect(dir.join(format!("{d}.vty"))).is_err())
        .collect()
}

fn daemon_of(name: &OsStr) -> Option<&str> {
    name.to_str()?.strip_suffix(".vty")
}

/// Watches `dir` until shutdown; each new vty socket sends
/// [`Msg::FrrRestarted`].
pub async fn watch_run_dir(
    dir: PathBuf,
    shared: Arc<Shared>,
    tx: mpsc::Sender<Msg>,
    shutdown: Shutdown,
) {
    let mut watch = DirWatch::new(&dir, WatchMask::CREATE | WatchMask::MOVED_TO);
    loop {
        let event = tokio::select! {
            event = watch.next() => event,
            () = shutdown.wait() => return,
        };
        let restarted = match event {
            DirEvent::Watching { again } => {
                let present = daemons(&dir);
                tracing::info!(dir = %dir.display(), daemons = %present.join(","), "watching FRR's run directory");
                // Daemons that appeared while the directory could not be
                // watched started after the agent did: they need the
                // configuration too.
                let restarted = again && !present.is_empty();
                shared.update_status(|s| s.daemons = present);
                restarted
            }
            DirEvent::File(name) => {
                let Some(daemon) = daemon_of(&name) else {
                    continue;
                };
                tracing::warn!(
                    daemon,
                    "FRR daemon (re)started; the desired configuration will be re-applied"
                );
                shared.update_status(|s| s.daemons = daemons(&dir));
                true
            }
            DirEvent::Failed(e) => {
                tracing::debug!(dir = %dir.display(), error = %e, "run directory not watchable yet");
                false
            }
        };
        if restarted && tx.send(Msg::FrrRestarted).await.is_err() {
            return;
        }
    }
}
