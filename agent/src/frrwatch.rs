//! Watches FRR's run directory with inotify: a daemon's vty socket that
//! appears means that daemon (re)started with an empty configuration, so
//! the actor re-applies the desired one. Also keeps the list of daemons
//! seen for the status.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use inotify::{Inotify, WatchMask};
use tokio::sync::{mpsc, watch};

use crate::actor::{Msg, Shared};

/// FRR's run directory for a pathspace: where its vty sockets live.
pub fn run_dir(vty_socket: Option<&Path>, pathspace: Option<&str>) -> PathBuf {
    match (vty_socket, pathspace) {
        (Some(dir), _) => dir.to_owned(),
        (None, Some(name)) => Path::new("/var/run/frr").join(name),
        (None, None) => PathBuf::from("/var/run/frr"),
    }
}

/// Daemons whose vty socket is in `dir`, sorted.
pub fn daemons(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| daemon_of(&entry.file_name()).map(str::to_owned))
        .collect();
    names.sort();
    names
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
    mut shutdown: watch::Receiver<bool>,
) {
    let mut first = true;
    loop {
        match watch_once(&dir, &shared, &tx, &mut shutdown, first).await {
            Ok(()) => return,
            Err(e) => {
                tracing::debug!(dir = %dir.display(), error = %e, "run directory not watchable yet")
            }
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.changed() => return,
        }
        first = false;
    }
}

async fn watch_once(
    dir: &Path,
    shared: &Shared,
    tx: &mpsc::Sender<Msg>,
    shutdown: &mut watch::Receiver<bool>,
    first: bool,
) -> std::io::Result<()> {
    let inotify = Inotify::init()?;
    inotify.watches().add(
        dir,
        WatchMask::CREATE | WatchMask::MOVED_TO | WatchMask::DELETE_SELF | WatchMask::MOVE_SELF,
    )?;
    let present = daemons(dir);
    tracing::info!(dir = %dir.display(), daemons = %present.join(","), "watching FRR's run directory");
    // Daemons that appeared while the directory could not be watched
    // started after the agent did: they need the configuration too.
    if !first && !present.is_empty() && tx.send(Msg::FrrRestarted).await.is_err() {
        return Ok(());
    }
    shared.update_status(|s| s.daemons = present);
    let mut events = inotify.into_event_stream([0u8; 4096])?;
    loop {
        let event = tokio::select! {
            event = events.next() => event,
            _ = shutdown.changed() => return Ok(()),
        };
        let Some(event) = event else {
            return Err(std::io::Error::other("inotify stream ended"));
        };
        let event = event?;
        if event
            .mask
            .intersects(inotify::EventMask::DELETE_SELF | inotify::EventMask::MOVE_SELF)
        {
            return Err(std::io::Error::other("run directory went away"));
        }
        let Some(daemon) = event.name.as_deref().and_then(daemon_of) else {
            continue;
        };
        tracing::warn!(
            daemon,
            "FRR daemon (re)started; the desired configuration will be re-applied"
        );
        shared.update_status(|s| s.daemons = daemons(dir));
        if tx.send(Msg::FrrRestarted).await.is_err() {
            return Ok(());
        }
    }
}
