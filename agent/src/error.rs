//! The agent's one error type: what went wrong at start, in a one-shot
//! command, in the compat files or in an API request. Messages are short
//! and name the file, address or command; the API's HTTP status for each
//! is decided in one place, [`crate::api::status_for`].

use std::path::PathBuf;

use protocol::body::BodyError;

use crate::safedir::SafeDirError;
use crate::state::StateError;

/// Errors of the agent.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A command line that asks for nothing doable.
    #[error("{0}")]
    Usage(&'static str),
    /// A file operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file that is not UTF-8, from this line on.
    #[error("{path}: line {line}: invalid UTF-8")]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
    },
    /// The compat `frr.conf` is not UTF-8 from this byte on.
    #[error("{path}: invalid UTF-8 at byte {at}")]
    InvalidUtf8At {
        /// The file.
        path: PathBuf,
        /// 0-based byte offset.
        at: usize,
    },
    /// A compat `frr.conf` over `--max-config-bytes`.
    #[error("{path}: over the limit of {limit} bytes (--max-config-bytes)")]
    FileTooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        limit: u64,
    },
    /// The compat `frr.conf` is missing when a reload of it was asked for.
    #[error("{path}: no such file")]
    NoFile {
        /// The file.
        path: PathBuf,
    },
    /// A text that does not parse; `origin` names where it came from.
    #[error("{origin}: {source}")]
    Parse {
        /// A path, or "running configuration".
        origin: String,
        /// The parser's error (it names the line).
        source: reloader::Error,
    },
    /// FRR could not be reached or read.
    #[error(transparent)]
    Frr(#[from] reloader::Error),
    /// The running configuration FRR printed does not parse.
    #[error("running configuration: {0}")]
    RunningUnparsable(reloader::Error),
    /// The desired configuration does not parse (message redacted).
    #[error("{0}")]
    DesiredUnparsable(String),
    /// The `--socket-mode` is not octal.
    #[error("not an octal mode: {0}")]
    Mode(#[from] std::num::ParseIntError),
    /// A world-writable socket mode.
    #[error("socket mode {0:o} is world-writable; refusing")]
    WorldWritable(u32),
    /// The socket path holds a live socket.
    #[error("{0}: another agent is serving on this socket")]
    SocketInUse(PathBuf),
    /// The socket path holds something else than a socket.
    #[error("{0}: exists and is not a socket; not touching it")]
    NotASocket(PathBuf),
    /// A TCP address that cannot be listened on.
    #[error("{what} address {addr}: {source}")]
    Listen {
        /// `health` or `metrics`.
        what: &'static str,
        /// The address.
        addr: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The signal handlers could not be installed.
    #[error("cannot handle signals: {0}")]
    Signals(std::io::Error),
    /// The state directory cannot be opened.
    #[error("state directory: {0}")]
    State(#[from] StateError),
    /// A file of the compat directory could not be used.
    #[error(transparent)]
    File(#[from] SafeDirError),
    /// A compat directory operation failed; `what` says which.
    #[error("{what}{source}")]
    Compat {
        /// What was being done, ending with `: `.
        what: &'static str,
        /// The cause.
        source: SafeDirError,
    },
    /// A JSON output that could not be made.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A blocking task died.
    #[error("{0}")]
    Task(#[from] tokio::task::JoinError),
    /// A body that is refused: its type, size or encoding.
    #[error(transparent)]
    Body(#[from] BodyError),
    /// A body that did not arrive within its time.
    #[error("the body did not arrive in time")]
    BodyTimeout,
    /// Every body byte the API may hold at once is taken.
    #[error("too many configuration bodies arriving at once; retry")]
    BodiesBusy,
    /// The connection failed while the body arrived.
    #[error("reading the body: {0}")]
    BodyFailed(String),
    /// An `id` too long to keep.
    #[error("id: longer than {0} characters")]
    IdTooLong(usize),
    /// An `id` with a control character (it would forge log lines).
    #[error("id: control character at position {0}")]
    IdControl(usize),
    /// A query parameter that cannot be used.
    #[error("query: {0}")]
    Query(String),
    /// The client's exchange with the agent failed.
    #[error("{path}: {source}")]
    Socket {
        /// The agent's socket.
        path: PathBuf,
        /// The cause.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The client could not read the agent's answer.
    #[error("reading the answer: {0}")]
    Answer(hyper::Error),
    /// The client's event stream broke.
    #[error("event stream: {0}")]
    Events(hyper::Error),
    /// The agent's status is not what this client knows.
    #[error("unexpected status answer: {0}")]
    StatusAnswer(serde_json::Error),
    /// The agent refused a client's request.
    #[error("{status}: {message}")]
    Server {
        /// The HTTP status.
        status: hyper::StatusCode,
        /// The agent's message.
        message: String,
    },
    /// A socket peer not in `--allow-uid`.
    #[error("{}", refused_peer(*.0))]
    PeerRefused(Option<u32>),
    /// A path the API does not have.
    #[error("no such path: {0}")]
    NoPath(String),
    /// A method the path does not take.
    #[error("method not allowed; use {0}")]
    Method(&'static str),
    /// A method the health server does not take.
    #[error("use GET")]
    ProbeMethod,
    /// The actor is gone: the agent is stopping.
    #[error("the agent is shutting down")]
    ShuttingDown,
    /// The agent stopped before applying an accepted configuration.
    #[error(
        "the agent is shutting down; the configuration is saved and will be applied when it starts again"
    )]
    StoppedBeforeApply,
    /// The socket API does not serve (yet, or any more).
    #[error("the socket API is not serving")]
    NotServing,
    /// FRR did not answer the last probe; why.
    #[error("{0}")]
    FrrNotReady(String),
}

fn refused_peer(uid: Option<u32>) -> String {
    match uid {
        Some(uid) => format!("uid {uid} may not use this socket (--allow-uid)"),
        None => "a peer whose uid is unknown may not use this socket (--allow-uid)".into(),
    }
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    /// A compat directory error while doing `what`.
    pub fn compat(what: &'static str) -> impl FnOnce(SafeDirError) -> Error {
        move |source| Error::Compat { what, source }
    }
}
