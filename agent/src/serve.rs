//! `frr-reload-agent serve`: starts the reload actor (the one owner of
//! FRR), the socket API, the health server, the FRR run-directory watch,
//! the frr-k8s compatibility files and the signal handling; stops cleanly
//! on SIGTERM/SIGINT: within `--shutdown-grace`, the reload in flight
//! finishes, open connections drain and every task ends; exit 0.

use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use protocol::Trigger;
use tokio::net::{TcpListener, UnixListener};
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::{mpsc, Notify};

use crate::actor::{self, Actor, Job, Msg, Shared};
use crate::api::{self, Api, Peer};
use crate::compat::{self, CompatDir};
use crate::error::Error;
use crate::frr::Driver;
use crate::health::{self, Readiness};
use crate::shutdown::{self, Shutdown, Tasks};
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
    /// Time an API read of FRR gets (`--vtysh-timeout`).
    pub read_timeout: Duration,
}

/// Runs the daemon, driving FRR through `driver`, until SIGTERM/SIGINT.
pub async fn serve<D: Driver>(config: ServeConfig, driver: D) -> Result<(), Error> {
    // Before anything can make a controller signal this process (a
    // SIGHUP's default action would kill it): the pid file comes later.
    let mut signals = Signals::install()?;
    let (trigger, shutdown) = shutdown::channel();
    let daemon = Daemon::start(config, driver, shutdown).await?;
    signals.wait_for_stop(daemon.compat_trigger()).await;
    trigger.stop();
    daemon.stop().await;
    Ok(())
}

/// The signals the daemon answers. From `tokio::signal`: installing one
/// is synchronous (the handler is in place when `signal` returns, before
/// the pid file is written), and it needs nothing more; `signal-hook`
/// would buy only signals tokio does not name, which the agent does not
/// use.
struct Signals {
    hangup: Signal,
    terminate: Signal,
    interrupt: Signal,
}

impl Signals {
    fn install() -> Result<Signals, Error> {
        let install = |kind| signal(kind).map_err(Error::Signals);
        Ok(Signals {
            hangup: install(SignalKind::hangup())?,
            terminate: install(SignalKind::terminate())?,
            interrupt: install(SignalKind::interrupt())?,
        })
    }

    /// Waits for SIGTERM or SIGINT; SIGHUP reloads the compat file.
    async fn wait_for_stop(&mut self, compat: Option<&Notify>) {
        loop {
            tokio::select! {
                Some(()) = self.hangup.recv() => match compat {
                    Some(trigger) => trigger.notify_one(),
                    None => tracing::info!("SIGHUP ignored: no --compat-dir"),
                },
                Some(()) = self.terminate.recv() => return,
                Some(()) = self.interrupt.recv() => return,
                else => return,
            }
        }
    }
}

/// A started daemon: its tasks, and what is undone when it stops.
pub struct Daemon {
    tasks: Tasks,
    shared: Arc<Shared>,
    readiness: Arc<Readiness>,
    compat: Option<CompatDir>,
    compat_trigger: Arc<Notify>,
    socket: PathBuf,
    grace: Duration,
    /// Where health is served (the port chosen, for `:0`).
    #[cfg(test)]
    health_addr: std::net::SocketAddr,
}

impl Daemon {
    /// Opens the state, binds the socket and the health addresses, writes
    /// the compat pid file and starts every task; they all stop at
    /// `shutdown`.
    pub async fn start<D: Driver>(
        config: ServeConfig,
        driver: D,
        shutdown: Shutdown,
    ) -> Result<Daemon, Error> {
        let shared = Arc::new(Shared::default());
        let readiness = Arc::new(Readiness::default());
        let (tx, rx) = mpsc::channel::<Msg>(64);
        let mut tasks = Tasks::default();

        let store = StateDir::open(&config.state_dir)?;
        let state = load_state(&store);
        let compat = match config.compat_dir.as_deref() {
            Some(dir) => Some(open_compat(dir, config.max_config_bytes)?),
            None => None,
        };
        let startup = startup_job(&state, compat.as_ref());

        let listener = bind_socket(&config.socket, config.socket_mode)?;
        let health = listen("health", &config.health_addr).await?;
        let health_addr = health.local_addr().map_err(|source| Error::Listen {
            what: "health",
            addr: config.health_addr.clone(),
            source,
        })?;
        let metrics = match &config.metrics_addr {
            Some(addr) => Some(listen("metrics", addr).await?),
            None => None,
        };
        if let Some(compat) = &compat {
            compat
                .write_pid()
                .map_err(Error::compat("compat: cannot write reloader.pid: "))?;
        }

        let reader = driver.reader(health::PROBE_TIMEOUT);
        let api_reader = driver.reader(config.read_timeout);
        // Subscribed before the first job: the start's result reaches the
        // files.
        let compat_results = shared.events.subscribe();
        let actor = Actor::new(config.actor.clone(), driver, shared.clone(), store, state);
        tasks.spawn("reload actor", actor.run(rx, shutdown.clone()));
        if let Some(job) = startup {
            let _ = tx.send(Msg::Apply(job)).await;
        }

        let api = Arc::new(Api {
            shared: shared.clone(),
            tx: tx.clone(),
            reader: api_reader,
            version: config.actor.reload.version,
            max_config_bytes: config.max_config_bytes,
            bodies: api::body_budget(config.max_config_bytes),
            shutdown: shutdown.clone(),
        });
        tasks.spawn(
            "socket API",
            serve_api(listener, api, config.allow_uids.clone(), shutdown.clone()),
        );
        readiness.serving.store(true, Ordering::Relaxed);
        for listener in std::iter::once(health).chain(metrics) {
            let probes = serve_probes(
                listener,
                shared.clone(),
                readiness.clone(),
                shutdown.clone(),
            );
            tasks.spawn("health server", probes);
        }
        tasks.spawn(
            "FRR probe",
            health::probe_frr(readiness.clone(), shared.clone(), reader, shutdown.clone()),
        );
        tasks.spawn(
            "run directory watch",
            frrwatch::watch_run_dir(
                config.run_dir.clone(),
                shared.clone(),
                tx.clone(),
                shutdown.clone(),
            ),
        );
        let compat_trigger = Arc::new(Notify::new());
        if let Some(compat) = &compat {
            let files = compat::run(
                compat.clone(),
                compat_trigger.clone(),
                tx.clone(),
                shared.clone(),
                compat_results,
                shutdown.clone(),
            );
            tasks.spawn("compat files", files);
            if config.watch_file {
                let watch = compat::watch_file(compat.clone(), compat_trigger.clone(), shutdown);
                tasks.spawn("compat file watch", watch);
            }
        }
        tracing::info!(
            socket = %config.socket.display(),
            health = %health_addr,
            compat = %config
                .compat_dir
                .as_deref()
                .map_or_else(|| "none".into(), |d| d.display().to_string()),
            "serving"
        );
        Ok(Daemon {
            tasks,
            shared,
            readiness,
            compat,
            compat_trigger,
            socket: config.socket,
            grace: config.shutdown_grace,
            #[cfg(test)]
            health_addr,
        })
    }

    /// Where health is served.
    #[cfg(test)]
    pub fn health_addr(&self) -> std::net::SocketAddr {
        self.health_addr
    }

    /// What SIGHUP notifies, in compat mode.
    pub fn compat_trigger(&self) -> Option<&Notify> {
        self.compat.is_some().then_some(&*self.compat_trigger)
    }

    /// Once shutdown was asked for: waits for every task within the
    /// grace period (the reload in flight finishes, connections drain),
    /// then removes the pid file (if still ours) and the socket.
    pub async fn stop(self) {
        tracing::info!("stopping: finishing the reload in flight");
        self.readiness.serving.store(false, Ordering::Relaxed);
        let reloading = self.shared.reloading.load(Ordering::Relaxed);
        let late = self.tasks.join(self.grace).await;
        if late.contains(&"reload actor") && reloading {
            tracing::error!("the reload in flight did not finish within the grace period");
        }
        if !late.is_empty() {
            tracing::warn!(tasks = %late.join(","), "stopped at the end of the grace period");
        }
        if let Some(compat) = &self.compat {
            compat.remove_pid();
        }
        let _ = std::fs::remove_file(&self.socket);
        tracing::info!("stopped");
    }
}

/// The saved state; none when it cannot be used (the agent still serves).
fn load_state(store: &StateDir) -> State {
    match store.load() {
        Ok(state) => state.unwrap_or_default(),
        Err(e) => {
            tracing::error!(error = %e, "cannot use the saved state; starting without it");
            State::default()
        }
    }
}

/// The compat directory, without the pid file a killed agent left: until
/// this agent writes its own, the controller must not signal whatever
/// process now has the old number.
fn open_compat(dir: &Path, max_config_bytes: usize) -> Result<CompatDir, Error> {
    let compat =
        CompatDir::open(dir, max_config_bytes).map_err(Error::compat("compat directory: "))?;
    compat.remove_stale_pid().map_err(Error::compat(
        "compat: cannot remove a stale reloader.pid: ",
    ))?;
    Ok(compat)
}

/// Listens on a TCP address; `what` names it in the error.
async fn listen(what: &'static str, addr: &str) -> Result<TcpListener, Error> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Listen {
            what,
            addr: addr.to_owned(),
            source,
        })
}

/// Serves the socket API until shutdown, then drains its connections.
async fn serve_api(listener: UnixListener, api: Arc<Api>, allow: Vec<u32>, shutdown: Shutdown) {
    let shared = api.shared.clone();
    let listener = Arc::new(listener);
    http::serve(
        http::API_LIMITS,
        move || {
            let listener = listener.clone();
            async move { listener.accept().await.map(|(stream, _)| stream) }
        },
        move |stream: &tokio::net::UnixStream| admit(stream, &allow, &shared),
        move |request, peer| api::handle(api.clone(), request, peer),
        shutdown,
    )
    .await;
}

/// Serves health and metrics on `listener` until shutdown.
async fn serve_probes(
    listener: TcpListener,
    shared: Arc<Shared>,
    readiness: Arc<Readiness>,
    shutdown: Shutdown,
) {
    let listener = Arc::new(listener);
    http::serve(
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
        shutdown,
    )
    .await;
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
/// Whether an agent answers HTTP on the socket at `path` within a second.
/// A connection alone proves nothing: a process the killed agent was
/// starting (between its fork and its exec) may still hold the listening
/// socket, which then accepts connections that nobody serves.
fn answers(path: &Path) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::os::unix::net::UnixStream::connect(path) else {
        return false;
    };
    let second = Some(std::time::Duration::from_secs(1));
    let request = b"GET /v1/status HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n";
    let mut head = [0u8; 8];
    stream.set_read_timeout(second).is_ok()
        && stream.set_write_timeout(second).is_ok()
        && stream.write_all(request).is_ok()
        && stream.read_exact(&mut head).is_ok()
        && head.starts_with(b"HTTP/1.")
}

fn bind_socket(path: &Path, mode: u32) -> Result<UnixListener, Error> {
    if mode & 0o002 != 0 {
        return Err(Error::WorldWritable(mode));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o750)
            .create(dir)
            .map_err(Error::io(dir))?;
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_socket() => {
            if answers(path) {
                return Err(Error::SocketInUse(path.to_owned()));
            }
            std::fs::remove_file(path).map_err(Error::io(path))?;
        }
        Ok(_) => return Err(Error::NotASocket(path.to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(path)(e)),
    }
    // Bind under a umask that leaves the socket private until it gets its
    // mode: it is never world-writable, not even for an instant.
    let umask = nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o177));
    let bound = UnixListener::bind(path);
    nix::sys::stat::umask(umask);
    let listener = bound.map_err(Error::io(path))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(Error::io(path))?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_socket_nobody_serves_is_taken_over_and_a_served_one_is_not() {
        let dir = crate::tests::TempDir::new();
        let path = dir.path().join("agent.sock");
        // Held (as by a child between fork and exec) but never served.
        let held = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(!answers(&path));
        drop(held);
        // Served: the same check refuses it.
        let served = std::os::unix::net::UnixListener::bind(dir.path().join("b.sock")).unwrap();
        let answering = std::thread::spawn(move || {
            use std::io::{Read, Write};
            let (mut conn, _) = served.accept().unwrap();
            let mut request = [0u8; 16];
            conn.read_exact(&mut request).unwrap();
            conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                .unwrap();
        });
        assert!(answers(&dir.path().join("b.sock")));
        answering.join().unwrap();
        let err = bind_socket(&dir.path().join("b.sock"), 0o660);
        assert!(err.is_ok(), "nobody serves it any more: {err:?}");
    }
}
