//! What the socket API and the health server share: the body type,
//! replies, and a hyper connection loop with the limits every listener
//! gets (header size and read timeout, bounded connections, idle ones
//! making way for new ones, connections drained at shutdown).

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
use tokio::task::JoinSet;

use crate::shutdown::Shutdown;

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

/// Serves connections from `accept` until `shutdown`, then drains them:
/// each finishes the request it is answering (an idle one closes at once)
/// and this returns when all have ended. The caller bounds the wait; a
/// connection still open when this is dropped is aborted. `handle` gets
/// each request of a connection together with what `admit` said of that
/// connection's peer.
pub async fn serve<S, A, AF, H, HF, P>(
    limits: Limits,
    mut accept: A,
    admit: impl Fn(&S) -> P,
    handle: H,
    shutdown: Shutdown,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    A: FnMut() -> AF,
    AF: Future<Output = std::io::Result<S>>,
    P: Clone + Send + Sync + 'static,
    H: Fn(Request<Incoming>, P) -> HF + Clone + Send + Sync + 'static,
    HF: Future<Output = Response<Body>> + Send + 'static,
{
    let mut open = VecDeque::new();
    let mut connections = JoinSet::new();
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
            () = shutdown.wait() => break,
        };
        while connections.try_join_next().is_some() {}
        if !make_room(&mut open, limits.max_connections) {
            tracing::warn!(
                limit = limits.max_connections,
                "connection refused: every connection is busy"
            );
            continue;
        }
        let peer = admit(&stream);
        let asked = Arc::new(AtomicBool::new(false));
        let served = connection(
            limits,
            stream,
            peer,
            handle.clone(),
            asked.clone(),
            shutdown.clone(),
        );
        let task = connections.spawn(served);
        open.push_back(Open { task, asked });
    }
    while connections.join_next().await.is_some() {}
}

/// Serves one connection with `handle` until it ends; at shutdown, lets
/// it finish the request in hand and closes it.
async fn connection<S, H, HF, P>(
    limits: Limits,
    stream: S,
    peer: P,
    handle: H,
    asked: Arc<AtomicBool>,
    shutdown: Shutdown,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    P: Clone + Send + Sync + 'static,
    H: Fn(Request<Incoming>, P) -> HF + Clone + Send + Sync + 'static,
    HF: Future<Output = Response<Body>> + Send + 'static,
{
    let service = hyper::service::service_fn(move |request| {
        asked.store(true, Ordering::Relaxed);
        let answer = handle(request, peer.clone());
        async move { Ok::<_, Infallible>(answer.await) }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.head_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    let ended = tokio::select! {
        ended = connection.as_mut() => ended,
        () = shutdown.wait() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(e) = ended {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}
