//! `frr-reload-agent serve`: starts the reload actor, the socket API, the
//! health server, the FRR run-directory watch, the frr-k8s compatibility
//! files and the signal handling; stops cleanly on SIGTERM/SIGINT (the
//! reload in flight finishes, state is flushed, exit 0).

use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use protocol::Trigger;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::{mpsc, watch, Notify};

use crate::actor::{self, Actor, Job, Msg, Shared};
use crate::api::{self, Api, Peer};
use crate::compat::{self, CompatDir};
use crate::health::{self, Readiness};
use crate::state::{State, StateDir};
use crate::{frrwatch, http};

/// Everything `serve` needs, from the command line.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The socket API's path.
    pub socket: PathBuf,
    /// Mode of the socket file.
    pub socket_mode: u32,
    /// Uids allowed on the socket (empty: any peer that can open it).
    pub allow_uids: Vec<u32>,
    /// Health (and metrics) address.
    pub health_addr: String,
    /// Metrics address, when separate.
    pub metrics_addr: Option<String>,
    /// The state directory.
    pub state_dir: PathBuf,
    /// frr-k8s compatibility directory.
    pub compat_dir: Option<PathBuf>,
    /// Reload the compat `frr.conf` on close-write or rename too.
    pub watch_file: bool,
    /// FRR's run directory to watch for restarts.
    pub run_dir: PathBuf,
    /// Largest configuration accepted.
    pub max_config_bytes: usize,
    /// Time allowed for the reload in flight at shutdown.
    pub shutdown_grace: Duration,
    /// The actor's settings.
    pub actor: actor::Settings,
}

/// Runs the daemon until SIGTERM/SIGINT.
pub async fn serve(config: ServeConfig) -> Result<(), String> {
    // Before anything can make a controller signal this process (a
    // SIGHUP's default action would kill it).
    let signals = signal_hook_tokio::Signals::new([SIGHUP, SIGTERM, SIGINT])
        .map_err(|e| format!("cannot handle signals: {e}"))?;
    let (shutdown_tx, shutdown) = watch::channel(false);
    let shared = Arc::new(Shared::default());
    let readiness = Arc::new(Readiness::default());
    let (tx, rx) = mpsc::channel::<Msg>(64);

    let store = StateDir::open(&config.state_dir).map_err(|e| format!("state directory: {e}"))?;
    let state = match store.load() {
        Ok(state) => state.unwrap_or_default(),
        Err(e) => {
            tracing::error!(error = %e, "cannot use the saved state; starting without it");
            State::default()
        }
    };
    let compat = match config.compat_dir.as_deref() {
        Some(dir) => {
            let compat = CompatDir::open(dir, config.max_config_bytes)
                .map_err(|e| format!("compat directory: {e}"))?;
            compat
                .remove_stale_pid()
                .map_err(|e| format!("compat: cannot remove a stale reloader.pid: {e}"))?;
            Some(compat)
        }
        None => None,
    };
    let startup = startup_job(&state, compat.as_ref());

    let listener = bind_socket(&config.socket, config.socket_mode)?;
    let health = TcpListener::bind(&config.health_addr)
        .await
        .map_err(|e| format!("health address {}: {e}", config.health_addr))?;
    let metrics = match &config.metrics_addr {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .map_err(|e| format!("metrics address {addr}: {e}"))?,
        ),
        None => None,
    };
    if let Some(compat) = &compat {
        compat
            .write_pid()
            .map_err(|e| format!("compat: cannot write reloader.pid: {e}"))?;
    }

    // Subscribed before the first job: the start's result reaches the files.
    let compat_results = shared.events.subscribe();
    let actor = Actor::new(config.actor.clone(), shared.clone(), store, state);
    let actor = tokio::spawn(actor.run(rx, shutdown.clone()));
    if let Some(job) = startup {
        let _ = tx.send(Msg::Apply(job)).await;
    }

    let api = Arc::new(Api {
        shared: shared.clone(),
        tx: tx.clone(),
        vtysh: config.actor.vtysh.clone(),
        version: config.actor.reload.version,
        max_config_bytes: config.max_config_bytes,
        bodies: api::body_budget(config.max_config_bytes),
    });
    let allow = config.allow_uids.clone();
    let metrics_ref = shared.clone();
    let listener = Arc::new(listener);
    tokio::spawn(http::serve(
        http::API_LIMITS,
        move || {
            let listener = listener.clone();
            async move { listener.accept().await.map(|(stream, _)| stream) }
        },
        move |stream: &tokio::net::UnixStream| admit(stream, &allow, &metrics_ref),
        move |request, peer| api::handle(api.clone(), request, peer),
        shutdown.clone(),
    ));
    readiness.serving.store(true, Ordering::Relaxed);
    for listener in std::iter::once(health).chain(metrics) {
        let (shared, readiness) = (shared.clone(), readiness.clone());
        let listener = Arc::new(listener);
        tokio::spawn(http::serve(
            http::PROBE_LIMITS,
            move || {
                let listener = listener.clone();
                async move { listener.accept().await.map(|(stream, _)| stream) }
            },
            |_: &tokio::net::TcpStream| (),
            move |request, ()| {
                let response = health::handle(&shared, &readiness, &request);
                async move { response }
            },
            shutdown.clone(),
        ));
    }
    tokio::spawn(health::probe_frr(
        readiness.clone(),
        shared.clone(),
        config.actor.vtysh.clone(),
        shutdown.clone(),
    ));
    tokio::spawn(frrwatch::watch_run_dir(
        config.run_dir.clone(),
        shared.clone(),
        tx.clone(),
        shutdown.clone(),
    ));
    let compat_trigger = Arc::new(Notify::new());
    if let Some(compat) = &compat {
        tokio::spawn(compat::run(
            compat.clone(),
            compat_trigger.clone(),
            tx.clone(),
            shared.clone(),
            compat_results,
            shutdown.clone(),
        ));
        if config.watch_file {
            tokio::spawn(compat::watch_file(
                compat.clone(),
                compat_trigger.clone(),
                shutdown.clone(),
            ));
        }
    }
    drop(tx);
    tracing::info!(
        socket = %config.socket.display(),
        health = %config.health_addr,
        compat = %config
            .compat_dir
            .as_deref()
            .map_or_else(|| "none".into(), |d| d.display().to_string()),
        "serving"
    );

    wait_for_stop(signals, compat.is_some().then_some(&compat_trigger)).await;
    tracing::info!("stopping: finishing the reload in flight");
    readiness.serving.store(false, Ordering::Relaxed);
    let _ = shutdown_tx.send(true);
    let reloading = shared.reloading.load(Ordering::Relaxed);
    if tokio::time::timeout(config.shutdown_grace, actor)
        .await
        .is_err()
        && reloading
    {
        tracing::error!("the reload in flight did not finish within the grace period");
    }
    if let Some(compat) = &compat {
        compat.remove_pid();
    }
    let _ = std::fs::remove_file(&config.socket);
    tracing::info!("stopped");
    Ok(())
}

/// The configuration to apply at start: the compat file when present (the
/// controller's word), else the saved desired one.
fn startup_job(state: &State, compat: Option<&CompatDir>) -> Option<Job> {
    if let Some(compat) = compat {
        match compat.read_config() {
            Ok(Some(config)) => return Some(Job::new(config, None, Trigger::Compat, None)),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "compat: cannot read frr.conf at start"),
        }
    }
    let saved = state.desired.as_ref()?;
    let mut job = Job::new(
        saved.config.clone(),
        Some(saved.id.clone()),
        Trigger::Startup,
        None,
    );
    job.set_generation(saved.generation);
    Some(job)
}

/// Waits for SIGTERM or SIGINT; SIGHUP reloads the compat file.
async fn wait_for_stop(mut signals: signal_hook_tokio::Signals, compat: Option<&Arc<Notify>>) {
    while let Some(signal) = signals.next().await {
        match (signal, compat) {
            (SIGHUP, Some(trigger)) => trigger.notify_one(),
            (SIGHUP, None) => tracing::info!("SIGHUP ignored: no --compat-dir"),
            _ => return,
        }
    }
}

/// Decides whether a socket peer may talk to the API.
fn admit(stream: &tokio::net::UnixStream, allow: &[u32], shared: &Shared) -> Peer {
    if allow.is_empty() {
        return Peer::Allowed;
    }
    let uid = stream.peer_cred().ok().map(|c| c.uid());
    if uid.is_some_and(|uid| allow.contains(&uid)) {
        return Peer::Allowed;
    }
    shared.metrics.rejected_peer();
    tracing::warn!(
        uid = %uid.map_or_else(|| "unknown".into(), |u| u.to_string()),
        "socket peer refused: not in --allow-uid"
    );
    Peer::Refused(uid)
}

/// Binds the API socket: its directory is created 0750, a stale socket is
/// replaced, anything else at the path is left alone and refused, and the
/// socket gets `mode` (never world-writable).
fn bind_socket(path: &Path, mode: u32) -> Result<UnixListener, String> {
    let shown = path.display();
    if mode & 0o002 != 0 {
        return Err(format!("socket mode {mode:o} is world-writable; refusing"));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o750)
            .create(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_socket() => {
            if std::os::unix::net::UnixStream::connect(path).is_ok() {
                return Err(format!("{shown}: another agent is serving on this socket"));
            }
            std::fs::remove_file(path).map_err(|e| format!("{shown}: {e}"))?;
        }
        Ok(_) => {
            return Err(format!(
                "{shown}: exists and is not a socket; not touching it"
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{shown}: {e}")),
    }
    // Bind under a umask that leaves the socket private until it gets its
    // mode: it is never world-writable, not even for an instant.
    let umask = nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o177));
    let bound = UnixListener::bind(path);
    nix::sys::stat::umask(umask);
    let listener = bound.map_err(|e| format!("{shown}: {e}"))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("{shown}: {e}"))?;
    Ok(listener)
}
