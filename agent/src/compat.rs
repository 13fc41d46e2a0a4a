//! frr-k8s / MetalLB compatibility: the contract of their
//! `frr-reloader.sh`, so an unmodified controller works. The controller
//! writes `DIR/frr.conf` and sends SIGHUP to the pid in `DIR/reloader.pid`;
//! the agent reloads that file and writes `DIR/.status`
//! (`<epoch> success|failure`), `DIR/last-error` and `DIR/running-config`.
//! With `--watch-file`, a close-write or rename of `frr.conf` also triggers
//! a reload. Triggers arriving during a reload fold into one more reload
//! of the newest file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use inotify::WatchMask;
use protocol::{ApplyResult, NodeStatus, Outcome, Trigger};
use tokio::sync::{broadcast, mpsc, Notify};

use crate::actor::{Job, Msg, Shared};
use crate::dirwatch::{DirEvent, DirWatch};
use crate::error::Error;
use crate::safedir::{SafeDir, SafeDirError};
use crate::shutdown::Shutdown;

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
    pub fn read_config(&self) -> Result<Option<String>, Error> {
        let bytes = match self.dir.read(CONFIG_FILE, self.max_bytes) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(None),
            Err(SafeDirError::TooLarge { path, limit }) => {
                return Err(Error::FileTooLarge { path, limit })
            }
            Err(e) => return Err(e.into()),
        };
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| Error::InvalidUtf8At {
                path: self.config_file(),
                at: e.utf8_error().valid_up_to(),
            })
    }

    /// The epoch of the `.status` an earlier agent left, so that the next
    /// one written is above it (0 when there is none).
    pub fn last_epoch(&self) -> u64 {
        let status = self
            .dir
            .read(".status", 64)
            .ok()
            .flatten()
            .unwrap_or_default();
        String::from_utf8_lossy(&status)
            .split(' ')
            .next()
            .and_then(|e| e.parse().ok())
            .unwrap_or(0)
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

/// What the result files say.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Files {
    ok: bool,
    error: String,
    running_config: String,
}

impl Files {
    /// The files for the agent's status: the outcome of the desired
    /// configuration's last reload, whatever started it.
    fn of(status: &NodeStatus) -> Files {
        let error = match (&status.last_result, status.converged) {
            (_, true) => String::new(),
            (Some(result), false) => last_error(result),
            (None, false) => error_lines(&status.last_reload_result),
        };
        Files {
            ok: status.converged,
            error,
            running_config: status.running_config.clone(),
        }
    }

    /// The files for a `frr.conf` that could not be read.
    fn unreadable(error: String, running_config: String) -> Files {
        Files {
            ok: false,
            error: error_lines(&error),
            running_config,
        }
    }
}

/// Longest quote of a refused line in `last-error`.
const MAX_QUOTE: usize = 200;

/// `last-error` for a result that did not converge, in the words frr-k8s
/// looks for (its e2e test wants `ERROR`): one line per refused command,
/// `ERROR: line N: <command>: <FRR's message>` for the check's refusals,
/// `ERROR: <command>: <FRR's message>` for commands FRR refused while
/// applying, else `ERROR: ` before each line of the result's text.
fn last_error(result: &ApplyResult) -> String {
    let mut out = String::new();
    for e in &result.conversion.errors {
        let line = match e.line {
            0 => String::new(),
            n => format!("line {n}: "),
        };
        let text = match e.text.is_empty() {
            true => String::new(),
            false => format!("{}: ", quote(&e.text)),
        };
        out.push_str(&format!("ERROR: {line}{text}{}\n", e.message.trim()));
    }
    if out.is_empty() {
        for e in &result.reload.errors {
            let command = quote(&e.command.command);
            out.push_str(&format!("ERROR: {command}: {}\n", e.message.trim()));
        }
    }
    if out.is_empty() {
        out = error_lines(&result.last_reload_result);
    }
    out
}

/// `text` with `ERROR: ` before each of its lines.
fn error_lines(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("ERROR: {l}\n"))
        .collect()
}

/// `text`, cut to [`MAX_QUOTE`] characters.
fn quote(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTE) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Keeps the result files equal to the agent's status: after every reload
/// (a SIGHUP's, and as well the start's, an FRR restart's, a retry's, a
/// resync's, a rollback's), and after a `frr.conf` that cannot be read.
/// Each SIGHUP (or `trigger`) sends `frr.conf` to the actor, which folds
/// triggers arriving during a reload into one more reload of the newest.
/// A new epoch is written only when what the files say changes: the
/// controller re-sends its configuration on every new failure, so a retry
/// or a resync with the same outcome must not look like news.
pub async fn run(
    compat: CompatDir,
    trigger: Arc<Notify>,
    tx: mpsc::Sender<Msg>,
    shared: Arc<Shared>,
    mut results: broadcast::Receiver<Arc<ApplyResult>>,
    shutdown: Shutdown,
) {
    let mut epoch = compat.last_epoch();
    let mut written: Option<Files> = None;
    loop {
        let files = tokio::select! {
            () = trigger.notified() => match read_and_send(&compat, &tx).await {
                Ok(()) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "compat: cannot reload frr.conf");
                    Files::unreadable(e.to_string(), shared.status().running_config)
                }
            },
            result = results.recv() => match result {
                Ok(result) if result.outcome == Outcome::Superseded => continue,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => Files::of(&shared.status()),
                Err(broadcast::error::RecvError::Closed) => return,
            },
            () = shutdown.wait() => return,
        };
        if written.as_ref() == Some(&files) {
            continue;
        }
        match compat.write_result(files.ok, &files.error, &files.running_config, epoch) {
            Ok(e) => {
                epoch = e;
                written = Some(files);
            }
            Err(e) => tracing::error!(error = %e, "compat: cannot write the result files"),
        }
    }
}

/// Reads `frr.conf` and sends it to the actor.
async fn read_and_send(compat: &CompatDir, tx: &mpsc::Sender<Msg>) -> Result<(), Error> {
    let reader = compat.clone();
    let config = tokio::task::spawn_blocking(move || reader.read_config())
        .await??
        .ok_or_else(|| Error::NoFile {
            path: compat.config_file(),
        })?;
    tx.send(Msg::Apply(Job::new(config, None, Trigger::Compat, None)))
        .await
        .map_err(|_| Error::ShuttingDown)
}

/// Notifies `trigger` whenever `frr.conf` is closed after writing or
/// renamed into place, until shutdown.
pub async fn watch_file(compat: CompatDir, trigger: Arc<Notify>, shutdown: Shutdown) {
    let mut watch = DirWatch::new(
        compat.dir.path(),
        WatchMask::CLOSE_WRITE | WatchMask::MOVED_TO,
    );
    loop {
        let event = tokio::select! {
            event = watch.next() => event,
            () = shutdown.wait() => return,
        };
        match event {
            DirEvent::File(name) if name == CONFIG_FILE => trigger.notify_one(),
            DirEvent::Failed(e) => {
                tracing::warn!(dir = %watch.dir().display(), error = %e, "compat: cannot watch; retrying");
            }
            DirEvent::File(_) | DirEvent::Watching { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{Command, CommandError, LineError};

    #[test]
    fn last_error_has_one_error_line_per_refusal() {
        let mut result = ApplyResult::default();
        result.conversion.errors = vec![LineError {
            line: 1,
            text: "this is a non valid configuration".into(),
            message: "% Unknown command[4]: this is a non valid configuration\n".into(),
        }];
        assert_eq!(
            last_error(&result),
            "ERROR: line 1: this is a non valid configuration: \
             % Unknown command[4]: this is a non valid configuration\n"
        );
        result.conversion.errors.clear();
        result.reload.errors = vec![CommandError {
            command: Command {
                context: vec!["router bgp 64512".into()],
                command: "x".repeat(300),
            },
            message: "% refused".into(),
        }];
        let error = last_error(&result);
        assert!(
            error.starts_with(&format!("ERROR: {}…: % refused", "x".repeat(200))),
            "{error}"
        );
        result.reload.errors.clear();
        result.last_reload_result = "not converged; still differ:\nrouter bgp 64512\n".into();
        assert_eq!(
            last_error(&result),
            "ERROR: not converged; still differ:\nERROR: router bgp 64512\n"
        );
    }
}
