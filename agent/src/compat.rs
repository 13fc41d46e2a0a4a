//! frr-k8s / MetalLB compatibility: the contract of their
//! `frr-reloader.sh`, so an unmodified controller works. The controller
//! writes `DIR/frr.conf` and sends SIGHUP to the pid in `DIR/reloader.pid`;
//! the agent reloads that file and writes `DIR/.status`
//! (`<epoch> success|failure`), `DIR/last-error` and `DIR/running-config`.
//! A close-write or rename of `frr.conf` also triggers a reload. Triggers
//! arriving during a reload fold into one more reload of the newest file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use inotify::{Inotify, WatchMask};
use protocol::{ApplyResult, Outcome, Trigger};
use tokio::sync::{mpsc, oneshot, watch, Notify};

use crate::actor::{Job, Msg};
use crate::safedir::{SafeDir, SafeDirError};

/// The compatibility directory and its files.
#[derive(Debug, Clone)]
pub struct CompatDir {
    dir: SafeDir,
    max_bytes: u64,
}

/// The controller's rendered configuration, in the directory.
const CONFIG_FILE: &str = "frr.conf";
/// The agent's pid, for the controller's SIGHUP.
const PID_FILE: &str = "reloader.pid";

impl CompatDir {
    /// The directory (e.g. `/etc/frr_reloader`): created 0755 when
    /// missing; an existing one must be the agent's own and loses the
    /// write right of group and others (see [`SafeDir::open`]). A
    /// `frr.conf` over `max_bytes` is refused, as over the API.
    pub fn open(dir: &Path, max_bytes: usize) -> Result<CompatDir, SafeDirError> {
        Ok(CompatDir {
            dir: SafeDir::open(dir, 0o755)?,
            max_bytes: max_bytes as u64,
        })
    }

    /// The controller's rendered configuration.
    pub fn config_file(&self) -> PathBuf {
        self.dir.file(CONFIG_FILE)
    }

    /// Removes a `reloader.pid` left by an agent that was killed: until
    /// this agent writes its own, the controller must not signal whatever
    /// process now has the old number.
    pub fn remove_stale_pid(&self) -> Result<(), SafeDirError> {
        self.dir.remove(PID_FILE)
    }

    /// Writes `reloader.pid`: digits only, no newline (frr-k8s parses it
    /// without trimming).
    pub fn write_pid(&self) -> Result<(), SafeDirError> {
        let pid = std::process::id().to_string();
        self.dir.write(PID_FILE, pid.as_bytes(), 0o644)
    }

    /// Removes `reloader.pid` at exit, when it is still this agent's.
    pub fn remove_pid(&self) {
        let ours = std::process::id().to_string();
        if let Ok(Some(pid)) = self.dir.read(PID_FILE, 32) {
            if pid == ours.as_bytes() {
                let _ = self.dir.remove(PID_FILE);
            }
        }
    }

    /// Reads `frr.conf`; `Ok(None)` when it does not exist. Only a regular
    /// file is read: a symlink, a FIFO or a device is refused without
    /// reading it, so nothing but a configuration is ever echoed.
    pub fn read_config(&self) -> Result<Option<String>, String> {
        let bytes = match self.dir.read(CONFIG_FILE, self.max_bytes) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(None),
            Err(SafeDirError::TooLarge { path, limit }) => {
                return Err(format!(
                    "{}: over the limit of {limit} bytes (--max-config-bytes)",
                    path.display()
                ))
            }
            Err(e) => return Err(e.to_string()),
        };
        String::from_utf8(bytes).map(Some).map_err(|e| {
            format!(
                "{}: invalid UTF-8 at byte {}",
                self.config_file().display(),
                e.utf8_error().valid_up_to()
            )
        })
    }

    /// Writes the result files: `running-config`, `last-error` and, last,
    /// `.status` with an epoch above `previous` (frr-k8s ignores a
    /// timestamp it has seen). Returns the epoch written.
    pub fn write_result(
        &self,
        ok: bool,
        error: &str,
        running_config: &str,
        previous: u64,
    ) -> std::io::Result<u64> {
        let write = |name: &str, bytes: &[u8]| {
            self.dir
                .write(name, bytes, 0o644)
                .map_err(std::io::Error::other)
        };
        if !running_config.is_empty() {
            write("running-config", running_config.as_bytes())?;
        }
        write("last-error", if ok { b"" } else { error.as_bytes() })?;
        let epoch = (crate::actor::now_ms() / 1000).max(previous + 1);
        let status = format!("{epoch} {}", if ok { "success" } else { "failure" });
        write(".status", status.as_bytes())?;
        Ok(epoch)
    }
}

/// Reloads `frr.conf` each time `trigger` is notified (SIGHUP, inotify),
/// until shutdown. Notifications during a reload collapse into one.
pub async fn run(
    compat: CompatDir,
    trigger: Arc<Notify>,
    tx: mpsc::Sender<Msg>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut epoch = 0;
    // The configuration and outcome the files last reported.
    let mut reported: Option<(String, bool)> = None;
    loop {
        tokio::select! {
            () = trigger.notified() => {}
            _ = shutdown.changed() => return,
        }
        let reader = compat.clone();
        let read = tokio::task::spawn_blocking(move || reader.read_config())
            .await
            .unwrap_or_else(|e| Err(format!("reading frr.conf: {e}")));
        let result = match read {
            Ok(Some(config)) => apply(&tx, config).await,
            Ok(None) => Err(format!("{}: no such file", compat.config_file().display())),
            Err(e) => Err(e),
        };
        // A file answered from the last result (a second trigger for the
        // same file, a SIGHUP storm) changes nothing the files say: no new
        // timestamp, which would run ahead of the clock.
        if let Ok(r) = &result {
            let now = (r.sha256.clone(), r.outcome == Outcome::Converged);
            if r.cached && reported.as_ref() == Some(&now) {
                continue;
            }
            reported = Some(now);
        } else {
            reported = None;
        }
        let written = match &result {
            Ok(r) => compat.write_result(
                r.outcome == Outcome::Converged,
                &r.last_reload_result,
                &r.running_config,
                epoch,
            ),
            Err(e) => {
                tracing::error!(error = %e, "compat: cannot reload frr.conf");
                compat.write_result(false, e, "", epoch)
            }
        };
        match written {
            Ok(e) => epoch = e,
            Err(e) => tracing::error!(error = %e, "compat: cannot write the result files"),
        }
    }
}

/// Sends `config` to the actor and waits for its result, following a
/// supersession to the result of the configuration that won.
async fn apply(tx: &mpsc::Sender<Msg>, config: String) -> Result<ApplyResult, String> {
    let (reply, answer) = oneshot::channel();
    tx.send(Msg::Apply(Job::new(
        config,
        None,
        Trigger::Compat,
        Some(reply),
    )))
    .await
    .map_err(|_| "the agent is shutting down".to_owned())?;
    let mut result = answer
        .await
        .map_err(|_| "the agent is shutting down".to_owned())?;
    while let Some(winner) = result.superseded_by.take() {
        result = *winner.result;
    }
    Ok(result)
}

/// Notifies `trigger` whenever `frr.conf` is closed after writing or
/// renamed into place, until shutdown.
pub async fn watch_file(
    compat: CompatDir,
    trigger: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = watch_once(&compat, &trigger, &mut shutdown).await {
            tracing::warn!(dir = %compat.dir.path().display(), error = %e, "compat: cannot watch; retrying");
        } else {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

async fn watch_once(
    compat: &CompatDir,
    trigger: &Notify,
    shutdown: &mut watch::Receiver<bool>,
) -> std::io::Result<()> {
    let inotify = Inotify::init()?;
    inotify.watches().add(
        compat.dir.path(),
        WatchMask::CLOSE_WRITE | WatchMask::MOVED_TO,
    )?;
    let mut events = inotify.into_event_stream([0u8; 4096])?;
    loop {
        let event = tokio::select! {
            event = events.next() => event,
            _ = shutdown.changed() => return Ok(()),
        };
        let event = event.ok_or_else(|| std::io::Error::other("inotify stream ended"))??;
        if event.name.as_deref().and_then(|n| n.to_str()) == Some("frr.conf") {
            trigger.notify_one();
        }
    }
}
