//! What the socket API and the health server share: the body type,
//! replies, and a hyper connection loop with the limits every listener
//! gets (header size and read timeout, bounded connections, idle ones
//! making way for new ones, shutdown).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use protocol::ErrorReply;
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::watch;

/// Every reply's body.
pub type Body = BoxBody<Bytes, Infallible>;

/// Longest request head accepted (larger heads get 431).
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// What one listener allows its clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once. A connection past it takes the place of
    /// the oldest one that has not sent a request yet, or, when every
    /// open one has, is closed at once: idle clients never keep a
    /// prober out.
    pub max_connections: usize,
    /// Time a client gets to send a request head, the first one and
    /// each one after on a kept-alive connection.
    pub head_timeout: Duration,
}

/// The socket API's: configurations take a while to send.
pub const API_LIMITS: Limits = Limits {
    max_connections: 256,
    head_timeout: Duration::from_secs(10),
};

/// The health and metrics listeners': kubelet and Prometheus send their
/// request as soon as they connect.
pub const PROBE_LIMITS: Limits = Limits {
    max_connections: 64,
    head_timeout: Duration::from_secs(2),
};

/// An open connection.
struct Open {
    task: tokio::task::AbortHandle,
    /// Whether it has sent a request.
    asked: Arc<AtomicBool>,
}

/// Makes room for one more connection among `open`; false when every
/// open connection is in use.
fn make_room(open: &mut VecDeque<Open>, max: usize) -> bool {
    open.retain(|c| !c.task.is_finished());
    if open.len() < max {
        return true;
    }
    match open.iter().position(|c| !c.asked.load(Ordering::Relaxed)) {
        Some(oldest) => {
            if let Some(idle) = open.remove(oldest) {
                idle.task.abort();
            }
            true
        }
        None => false,
    }
}

/// A reply with a body of the given type.
pub fn reply(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()).boxed());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A JSON reply.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response<Body> {
    let mut body = serde_json::to_vec(value).expect("wire types serialize");
    body.push(b'\n');
    reply(status, "application/json", body)
}

/// A JSON error reply: `{"error": "..."}`.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response<Body> {
    json(
        status,
        &ErrorReply {
            error: message.into(),
        },
    )
}

/// A plain-text reply.
pub fn text(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    reply(status, "text/plain; charset=utf-8", body)
}

/// Serves connections from `accept` until `shutdown` turns true. `handle`
/// gets each request of a connection together with what `admit` said of
/// that connection's peer.
pub async fn serve<S, A, AF, H, HF, P>(
    limits: Limits,
    mut accept: A,
    admit: impl Fn(&S) -> P,
    handle: H,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    A: FnMut() -> AF,
    AF: Future<Output = std::io::Result<S>>,
    P: Clone + Send + Sync + 'static,
    H: Fn(Request<Incoming>, P) -> HF + Clone + Send + Sync + 'static,
    HF: Future<Output = Response<Body>> + Send + 'static,
{
    let mut open = VecDeque::new();
    loop {
        let stream = tokio::select! {
            accepted = accept() => match accepted {
                Ok(stream) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = shutdown.changed() => return,
        };
        if !make_room(&mut open, limits.max_connections) {
            tracing::warn!(
                limit = limits.max_connections,
                "connection refused: every connection is busy"
            );
            continue;
        }
        let peer = admit(&stream);
        let handle = handle.clone();
        let asked = Arc::new(AtomicBool::new(false));
        let marker = asked.clone();
        let task = tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                marker.store(true, Ordering::Relaxed);
                let answer = handle(request, peer.clone());
                async move { Ok::<_, Infallible>(answer.await) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.head_timeout)
                .max_buf_size(MAX_HEAD_BYTES)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
        open.push_back(Open {
            task: task.abort_handle(),
            asked,
        });
    }
}
