//! In-process tests of the actor, the API, the probes and shutdown,
//! against a fake FRR: no root, no FRR, no agent binary.

mod actor;
mod api;
mod fake;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::actor::{OnFailure, Settings};
use crate::serve::{Daemon, ServeConfig};
use crate::shutdown::{self, Trigger};
use fake::{FakeDriver, Frr};

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("agent-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The actor's settings for tests: no resync, retries after 1 s.
pub fn settings(dir: &Path, on_failure: OnFailure) -> Settings {
    Settings {
        reload: reloader::pipeline::Settings::default(),
        resync_interval: None,
        on_failure,
        retry_max: 2,
        restart_settle: Duration::from_millis(100),
        run_dir: dir.join("run"),
    }
}

/// A daemon serving a fake FRR from a temporary directory.
pub struct Agent {
    pub frr: Arc<Frr>,
    pub daemon: Option<Daemon>,
    pub trigger: Trigger,
    pub dir: TempDir,
}

impl Agent {
    pub async fn start(on_failure: OnFailure) -> Agent {
        let dir = TempDir::new();
        std::fs::create_dir(dir.path().join("run")).unwrap();
        let frr = Frr::new();
        let config = ServeConfig {
            socket: dir.path().join("agent.sock"),
            socket_mode: 0o600,
            allow_uids: vec![],
            health_addr: "127.0.0.1:0".into(),
            metrics_addr: None,
            state_dir: dir.path().join("state"),
            compat_dir: None,
            watch_file: false,
            run_dir: dir.path().join("run"),
            max_config_bytes: 1 << 20,
            shutdown_grace: Duration::from_secs(10),
            read_timeout: Duration::from_secs(5),
            actor: settings(dir.path(), on_failure),
        };
        let (trigger, shutdown) = shutdown::channel();
        let daemon = Daemon::start(config, FakeDriver(frr.clone()), shutdown)
            .await
            .unwrap();
        Agent {
            frr,
            daemon: Some(daemon),
            trigger,
            dir,
        }
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("agent.sock")
    }

    /// One request over the socket API: status and body.
    pub async fn call(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        call(&self.socket(), method, path, "text/plain", body).await
    }

    /// One request to the health server.
    pub async fn probe(&self, path: &str) -> (u16, String) {
        let addr = self.daemon.as_ref().unwrap().health_addr();
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        exchange(stream, "GET", path, "text/plain", "").await
    }

    /// Stops the daemon as SIGTERM would.
    pub async fn stop(&mut self) {
        self.trigger.stop();
        self.daemon.take().unwrap().stop().await;
    }
}

/// One request over a Unix socket.
pub async fn call(
    socket: &Path,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, String) {
    let stream = tokio::net::UnixStream::connect(socket).await.unwrap();
    exchange(stream, method, path, content_type, body).await
}

/// Sends one HTTP/1.1 request and reads the whole reply.
async fn exchange(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, String) {
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: agent\r\nconnection: close\r\n\
         content-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP reply: {reply:?}"));
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_owned())
}

/// The JSON of a reply body.
pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// A configuration the fake accepts, distinct for each `n`.
pub fn config(n: u32) -> String {
    format!("ip prefix-list L{n} seq 5 permit 10.{n}.0.0/16\n")
}
