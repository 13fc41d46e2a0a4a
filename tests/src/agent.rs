//! The real `frr-reload-agent serve` process for integration tests: built
//! once per test process (`cargo build -p agent`), started against a
//! [`FrrInstance`] with private directories and ports, killed when
//! dropped (also when a test panics); plus a small blocking HTTP/1.1
//! client over its Unix socket (and over TCP for the health server),
//! including the NDJSON event stream.

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use protocol::NodeStatus;

use crate::frr::FrrInstance;

/// Bound on the wait for the agent to serve after it was started.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// Bound on one request (a reload included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// One one-shot `frr-reload-agent reload --json` of `text` on `frr`
/// through the vtysh program `vtysh`, keeping what it keeps in `cache`
/// (with `extra` arguments): its result.
pub fn one_shot_reload(
    frr: &FrrInstance,
    vtysh: &Path,
    cache: &Path,
    text: &str,
    extra: &[&str],
) -> protocol::ApplyResult {
    let desired = frr.private_dir().join("desired.conf");
    fs::write(&desired, text).expect("write the desired file");
    let output = Command::new(binary())
        .args(["reload", "--json", "-N", frr.name(), "--vtysh"])
        .arg(vtysh)
        .arg("--cache-dir")
        .arg(cache)
        .args(extra)
        .arg(&desired)
        .env_remove("FRR_RELOAD_AGENT_NO_CACHE")
        .stdin(Stdio::null())
        .output()
        .expect("run the agent");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The agent's binary, built once per test process (`cargo build -p
/// agent`, so the tests never run a stale binary), in `CARGO_TARGET_DIR`
/// or the workspace's `target/`; `FRR_RELOAD_AGENT_BIN` names another.
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // Benchmarks run a release build they made themselves.
        if let Some(path) = std::env::var_os("FRR_RELOAD_AGENT_BIN") {
            return PathBuf::from(path);
        }
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the tests crate is in the workspace")
            .to_owned();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "-p", "agent", "--bin", "frr-reload-agent"])
            .current_dir(&workspace)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo to build the agent: {e}"));
        assert!(
            output.status.success(),
            "cargo build -p agent failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| workspace.join("target"), PathBuf::from);
        let target = if target.is_relative() {
            workspace.join(target)
        } else {
            target
        };
        let binary = target.join("debug/frr-reload-agent");
        assert!(binary.exists(), "{} was not built", binary.display());
        binary
    })
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// An agent's directories (socket, state, compat, log) under the temporary
/// directory, named after the test process; removed when dropped. They
/// outlive an [`Agent`], so a second agent can start on the same state.
#[derive(Debug)]
pub struct AgentDirs {
    /// The base directory (0755, so that a non-root peer can reach the
    /// socket when a test lets it).
    pub base: PathBuf,
}

impl AgentDirs {
    /// Fresh directories.
    pub fn new() -> AgentDirs {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let base = std::env::temp_dir().join(format!("fra-agent-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::DirBuilder::new()
            .mode(0o755)
            .recursive(true)
            .create(&base)
            .unwrap_or_else(|e| panic!("create {}: {e}", base.display()));
        AgentDirs { base }
    }

    /// The socket API's path (its directory is created by the agent).
    pub fn socket(&self) -> PathBuf {
        self.base.join("sock/agent.sock")
    }

    /// `--state-dir`.
    pub fn state(&self) -> PathBuf {
        self.base.join("state")
    }

    /// `--compat-dir`, when a test asks for it.
    pub fn compat(&self) -> PathBuf {
        self.base.join("compat")
    }

    /// The agent's standard error (its log); appended to by every agent
    /// started on these directories.
    pub fn log(&self) -> PathBuf {
        self.base.join("agent.log")
    }
}

impl Default for AgentDirs {
    fn default() -> AgentDirs {
        AgentDirs::new()
    }
}

impl Drop for AgentDirs {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.base);
    }
}

/// How to start an agent, beyond what every test needs.
#[derive(Debug, Clone, Default)]
pub struct AgentOptions {
    /// `--compat-dir` (at [`AgentDirs::compat`]).
    pub compat: bool,
    /// `--allow-uid`.
    pub allow_uid: Vec<u32>,
    /// `--max-config-bytes`.
    pub max_config_bytes: Option<usize>,
    /// `--resync-interval` in seconds (default here: 0, only on events, so
    /// that the tests see no resync they did not ask for).
    pub resync_interval: Option<u64>,
    /// `FRR_RELOAD_AGENT_LOG` (default `info`).
    pub log_filter: Option<String>,
    /// `--vtysh` instead of the instance's own (e.g. a wrapper that
    /// misbehaves on purpose).
    pub vtysh: Option<PathBuf>,
    /// More arguments.
    pub extra: Vec<String>,
}

impl AgentOptions {
    /// `--compat-dir`, everything else as by default.
    pub fn compat() -> AgentOptions {
        AgentOptions {
            compat: true,
            ..AgentOptions::default()
        }
    }
}

/// A running `frr-reload-agent serve`; killed (SIGKILL) when dropped if
/// it still runs.
#[derive(Debug)]
pub struct Agent {
    child: Child,
    exited: Option<ExitStatus>,
    /// The socket API.
    pub socket: PathBuf,
    /// The health and metrics address.
    pub health: SocketAddr,
    /// Where its standard error goes.
    pub log: PathBuf,
}

impl Agent {
    /// Starts an agent for `frr` on `dirs` and waits until its socket API
    /// answers (and, with `--compat-dir`, `reloader.pid` exists).
    pub fn start(frr: &FrrInstance, dirs: &AgentDirs, options: &AgentOptions) -> Agent {
        let mut agent = Agent::spawn(frr, dirs, options);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = agent.try_wait() {
                panic!(
                    "the agent exited at start ({status}):\n{}",
                    agent.log_text()
                );
            }
            let serving = agent
                .request("GET", "/v1/status", None, b"")
                .is_ok_and(|r| r.status == 200 || r.status == 403);
            let pid_file = !options.compat || dirs.compat().join("reloader.pid").exists();
            if serving && pid_file {
                return agent;
            }
            assert!(
                Instant::now() < deadline,
                "the agent did not serve within {START_TIMEOUT:?}:\n{}",
                agent.log_text()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Starts an agent for `frr` on `dirs` without waiting for anything.
    pub fn spawn(frr: &FrrInstance, dirs: &AgentDirs, options: &AgentOptions) -> Agent {
        let health = free_port();
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dirs.log())
            .unwrap_or_else(|e| panic!("open {}: {e}", dirs.log().display()));
        let mut command = Command::new(binary());
        command
            .arg("serve")
            .arg("--socket")
            .arg(dirs.socket())
            .arg("--state-dir")
            .arg(dirs.state())
            .arg("--health-addr")
            .arg(health.to_string())
            .arg("-N")
            .arg(frr.name())
            .arg("--vtysh")
            .arg(options.vtysh.clone().unwrap_or_else(|| frr.vtysh().program))
            .arg("--run-dir")
            .arg(frr.run_dir())
            .arg("--resync-interval")
            .arg(options.resync_interval.unwrap_or(0).to_string());
        if options.compat {
            command.arg("--compat-dir").arg(dirs.compat());
        }
        if !options.allow_uid.is_empty() {
            let uids: Vec<String> = options.allow_uid.iter().map(u32::to_string).collect();
            command.arg("--allow-uid").arg(uids.join(","));
        }
        if let Some(max) = options.max_config_bytes {
            command.arg("--max-config-bytes").arg(max.to_string());
        }
        command.args(&options.extra);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("FRR_RELOAD_AGENT_") {
                command.env_remove(key);
            }
        }
        command.env("NO_COLOR", "1").env(
            "FRR_RELOAD_AGENT_LOG",
            options.log_filter.as_deref().unwrap_or("info"),
        );
        let stderr = log
            .try_clone()
            .unwrap_or_else(|e| panic!("dup the log file: {e}"));
        let child = command
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary().display()));
        Agent {
            child,
            exited: None,
            socket: dirs.socket(),
            health,
            log: dirs.log(),
        }
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its exit status, if it exited.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        if self.exited.is_none() {
            self.exited = self.child.try_wait().ok().flatten();
        }
        self.exited
    }

    /// Sends `signal` (e.g. `-TERM`) to the agent.
    pub fn signal(&self, signal: &str) {
        send_signal(self.pid(), signal);
    }

    /// SIGTERM, then waits up to `timeout` for the exit: its status and
    /// how long it took, or `None` when it still runs.
    pub fn terminate(&mut self, timeout: Duration) -> Option<(ExitStatus, Duration)> {
        let started = Instant::now();
        self.signal("-TERM");
        while started.elapsed() < timeout {
            if let Some(status) = self.try_wait() {
                return Some((status, started.elapsed()));
            }
            thread::sleep(Duration::from_millis(10));
        }
        None
    }

    /// Everything the agents on these directories logged so far.
    pub fn log_text(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// One request on the socket API.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> io::Result<Response> {
        self.request_within(REQUEST_TIMEOUT, method, path, content_type, body)
    }

    /// One request on the socket API, waiting at most `timeout` for each
    /// read of the reply.
    pub fn request_within(
        &self,
        timeout: Duration,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> io::Result<Response> {
        let stream = UnixStream::connect(&self.socket)?;
        stream.set_read_timeout(Some(timeout))?;
        exchange(stream, method, path, content_type, body)
    }

    /// `PUT /v1/config` with a `text/plain` body; panics on a connection
    /// error.
    pub fn put_config(&self, config: &str) -> Response {
        self.put_config_within(REQUEST_TIMEOUT, config)
    }

    /// [`Agent::put_config`] for a reload that may take up to `timeout`.
    pub fn put_config_within(&self, timeout: Duration, config: &str) -> Response {
        self.request_within(
            timeout,
            "PUT",
            "/v1/config",
            Some("text/plain"),
            config.as_bytes(),
        )
        .unwrap_or_else(|e| panic!("PUT /v1/config: {e}"))
    }

    /// `GET` on the socket API; panics on a connection error.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, None, b"")
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// `GET /v1/status`, parsed.
    pub fn status(&self) -> NodeStatus {
        let response = self.get("/v1/status");
        assert_eq!(response.status, 200, "{}", response.text());
        response.json()
    }

    /// `GET` on the health server.
    pub fn health_get(&self, path: &str) -> Response {
        let stream =
            TcpStream::connect(self.health).unwrap_or_else(|e| panic!("{}: {e}", self.health));
        stream
            .set_read_timeout(Some(REQUEST_TIMEOUT))
            .expect("set a timeout");
        exchange(stream, "GET", path, None, b"").unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Opens `GET /v1/events`.
    pub fn events(&self) -> Events {
        Events::open(&self.socket).unwrap_or_else(|e| panic!("GET /v1/events: {e}"))
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if self.try_wait().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sends `signal` (`-TERM`, `-HUP`, …) to `pid` with kill(1).
pub fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap_or_else(|e| panic!("cannot run kill: {e}"));
    assert!(status.success(), "kill {signal} {pid}: {status}");
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header lines (`name`, `value`); names lowercase.
    pub headers: Vec<(String, String)>,
    /// The body (chunked transfer coding removed).
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON of type `T`; panics with the body when it is not.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: not the expected JSON ({e}):\n{}",
                self.status,
                self.text()
            )
        })
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn request_head(method: &str, path: &str, content_type: Option<&str>, length: usize) -> String {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {length}\r\n"
    );
    if let Some(content_type) = content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// One request on a fresh connection (`Connection: close`): the reply is
/// read to the end of the stream.
fn exchange<S: Read + Write>(
    mut stream: S,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> io::Result<Response> {
    stream.write_all(request_head(method, path, content_type, body.len()).as_bytes())?;
    // A server may answer (413) without reading the body: the reply still
    // counts.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| io::Error::other(format!("no HTTP head in {raw:?}")))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let (status, headers) = parse_head(&head)?;
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        let mut reader = BufReader::new(rest);
        let mut body = Vec::new();
        while let Some(chunk) = read_chunk(&mut reader)? {
            body.extend(chunk);
        }
        body
    } else {
        rest.to_vec()
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

type Headers = Vec<(String, String)>;

fn parse_head(head: &str) -> io::Result<(u16, Headers)> {
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad status line in {head:?}")))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok((status, headers))
}

/// One chunk of a chunked body; `None` at the last (empty) chunk.
fn read_chunk(reader: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut size = String::new();
    if reader.read_line(&mut size)? == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "stream ended"));
    }
    let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or_default(), 16)
        .map_err(|e| io::Error::other(format!("bad chunk size {size:?}: {e}")))?;
    if size == 0 {
        return Ok(None);
    }
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk)?;
    chunk.truncate(size);
    Ok(Some(chunk))
}

/// `GET /v1/events`: NDJSON lines as they arrive.
#[derive(Debug)]
pub struct Events {
    reader: BufReader<UnixStream>,
    buffered: Vec<u8>,
    chunked: bool,
    /// The reply's status.
    pub status: u16,
}

impl Events {
    /// Sends the request and reads the reply's head: once it is back, the
    /// agent has subscribed this stream.
    pub fn open(socket: &Path) -> io::Result<Events> {
        let mut stream = UnixStream::connect(socket)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.write_all(request_head("GET", "/v1/events", None, 0).as_bytes())?;
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Err(io::Error::other(format!("no head: {head:?}")));
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let (status, headers) = parse_head(head.trim_end())?;
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        Ok(Events {
            reader,
            buffered: Vec::new(),
            chunked,
            status,
        })
    }

    /// The next line, waiting at most `timeout`.
    pub fn next_line(&mut self, timeout: Duration) -> io::Result<String> {
        self.reader.get_ref().set_read_timeout(Some(timeout))?;
        loop {
            if let Some(end) = self.buffered.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffered.drain(..=end).collect();
                return Ok(String::from_utf8_lossy(&line).trim_end().to_owned());
            }
            if self.chunked {
                match read_chunk(&mut self.reader)? {
                    Some(chunk) => self.buffered.extend(chunk),
                    None => return Err(io::Error::other("event stream ended")),
                }
            } else {
                let mut buf = [0; 4096];
                let n = self.reader.read(&mut buf)?;
                if n == 0 {
                    return Err(io::Error::other("event stream ended"));
                }
                self.buffered.extend(&buf[..n]);
            }
        }
    }
}

/// Polls `check` every 50 ms until it returns `Some`, or panics after
/// `timeout` naming `what`.
pub fn wait_for<T>(timeout: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?}: {what}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}
