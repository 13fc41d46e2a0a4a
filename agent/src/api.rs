//! The socket API for controllers: HTTP/1.1 + JSON over a Unix socket.
//! `PUT /v1/config`, `POST /v1/diff`, `GET /v1/status`,
//! `GET /v1/running-config`, `GET /v1/events` (NDJSON stream).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{HeaderValue, ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use protocol::body::{body_kind, decode_config, wire_limit, BodyError};
use protocol::{paths, ApplyResult, ErrorReply, Outcome, Trigger};
use reloader::config::redact::{redact, redact_line};
use reloader::frr::{Vtysh, VtyshCommand};
use reloader::{Config, FrrVersion};
use tokio::sync::{broadcast, mpsc, oneshot, OwnedSemaphorePermit, Semaphore};

use crate::actor::{Job, Msg, Shared};
use crate::http::{error, json, reply, text, Body};

/// Time a client gets to send its body once the head arrived.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// What the API handlers need.
#[derive(Debug)]
pub struct Api {
    /// Status, metrics and events.
    pub shared: Arc<Shared>,
    /// The actor's mailbox.
    pub tx: mpsc::Sender<Msg>,
    /// How to read FRR (diff, running-config).
    pub vtysh: VtyshCommand,
    /// FRR version override.
    pub version: Option<FrrVersion>,
    /// Largest configuration accepted, in bytes.
    pub max_config_bytes: usize,
    /// Body bytes all requests may hold at once (see [`body_budget`]).
    pub bodies: Arc<Semaphore>,
}

/// The body bytes all connections together may hold while they arrive:
/// two of the largest configurations. Past it a request gets 503 and may
/// retry, instead of every connection holding `--max-config-bytes`.
pub fn body_budget(max_config_bytes: usize) -> Arc<Semaphore> {
    Arc::new(Semaphore::new(
        max_config_bytes
            .saturating_mul(2)
            .min(Semaphore::MAX_PERMITS),
    ))
}

/// Why a body could not be read.
enum BodyRead {
    TooLarge,
    Busy,
    Failed(String),
}

/// Collects a body of at most `limit` bytes, holding a permit of
/// `budget` per byte until the caller is done with it.
async fn collect_body(
    body: Incoming,
    limit: usize,
    expected: usize,
    budget: &Arc<Semaphore>,
) -> Result<(Vec<u8>, Option<OwnedSemaphorePermit>), BodyRead> {
    let mut body = Limited::new(body, limit);
    // Sized once from Content-Length (within the limit): a large body is
    // not copied over and over as it grows.
    let mut bytes = Vec::with_capacity(expected.min(limit));
    let mut held: Option<OwnedSemaphorePermit> = None;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                BodyRead::TooLarge
            } else {
                BodyRead::Failed(e.to_string())
            }
        })?;
        let Some(data) = frame.data_ref() else {
            continue;
        };
        let n = u32::try_from(data.len()).map_err(|_| BodyRead::TooLarge)?;
        let permit = budget
            .clone()
            .try_acquire_many_owned(n)
            .map_err(|_| BodyRead::Busy)?;
        match held.as_mut() {
            Some(all) => all.merge(permit),
            None => held = Some(permit),
        }
        bytes.extend_from_slice(data);
    }
    Ok((bytes, held))
}

/// Whether a connection's peer may use the API.
#[derive(Debug, Clone, Copy)]
pub enum Peer {
    /// Allowed.
    Allowed,
    /// Refused: its uid (or none when the kernel did not tell).
    Refused(Option<u32>),
}

/// Answers one request.
pub async fn handle(api: Arc<Api>, request: Request<Incoming>, peer: Peer) -> Response<Body> {
    api.shared.metrics.request();
    if let Peer::Refused(uid) = peer {
        return error(
            StatusCode::FORBIDDEN,
            match uid {
                Some(uid) => format!("uid {uid} may not use this socket (--allow-uid)"),
                None => "a peer whose uid is unknown may not use this socket (--allow-uid)".into(),
            },
        );
    }
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    match (path.as_str(), &method) {
        (paths::CONFIG, &Method::PUT) => put_config(&api, request).await,
        (paths::DIFF, &Method::POST) => post_diff(&api, request).await,
        (paths::STATUS, &Method::GET) => json(StatusCode::OK, &api.shared.status()),
        (paths::RUNNING_CONFIG, &Method::GET) => running_config(&api).await,
        (paths::EVENTS, &Method::GET) => events(api.shared.events.subscribe()),
        (paths::CONFIG, _) => not_allowed("PUT"),
        (paths::DIFF, _) => not_allowed("POST"),
        (paths::STATUS | paths::RUNNING_CONFIG | paths::EVENTS, _) => not_allowed("GET"),
        _ => error(StatusCode::NOT_FOUND, format!("no such path: {path}")),
    }
}

fn not_allowed(allow: &'static str) -> Response<Body> {
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("method not allowed; use {allow}"),
    );
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}

/// A request refused before reaching the actor: status and message.
struct Refusal(StatusCode, String);

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal(status, message.into())
    }

    fn reply(self) -> Response<Body> {
        error(self.0, self.1)
    }
}

/// Reads a configuration body (`text/plain` or JSON `ConfigRequest`)
/// within the size limit: a declared length over it is refused before
/// anything is read, and reading stops at the limit.
async fn read_config(
    api: &Api,
    request: Request<Incoming>,
) -> Result<(String, Option<String>), Refusal> {
    let limit = api.max_config_bytes;
    let refuse = |e: BodyError| {
        let status = match e {
            BodyError::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            BodyError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        };
        Refusal::new(status, e.to_string())
    };
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let kind = body_kind(header(CONTENT_TYPE)).map_err(refuse)?;
    let wire_limit = wire_limit(kind, limit);
    let declared = header(CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > wire_limit as u64) {
        return Err(refuse(BodyError::TooLarge { limit }));
    }
    let expected = declared.map_or(0, |n| n as usize);
    let body = collect_body(request.into_body(), wire_limit, expected, &api.bodies);
    let (bytes, _held) = match tokio::time::timeout(BODY_TIMEOUT, body).await {
        Err(_) => {
            return Err(Refusal::new(
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive in time",
            ))
        }
        Ok(Err(BodyRead::TooLarge)) => return Err(refuse(BodyError::TooLarge { limit })),
        Ok(Err(BodyRead::Busy)) => {
            return Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many configuration bodies arriving at once; retry",
            ))
        }
        Ok(Err(BodyRead::Failed(e))) => {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("reading the body: {e}"),
            ))
        }
        Ok(Ok(read)) => read,
    };
    let request = decode_config(kind, bytes, limit).map_err(refuse)?;
    Ok((request.config, request.id))
}

/// Longest `id` accepted, in characters.
const MAX_ID_CHARS: usize = 256;

/// Refuses an `id` that is too long to keep, log and return, or that holds
/// a control character (a newline or an escape would forge log lines).
fn check_id(id: &str) -> Result<(), String> {
    if id.chars().count() > MAX_ID_CHARS {
        return Err(format!("id: longer than {MAX_ID_CHARS} characters"));
    }
    match id.chars().position(char::is_control) {
        Some(at) => Err(format!("id: control character at position {at}")),
        None => Ok(()),
    }
}

/// The HTTP status for a result.
pub fn status_for(result: &ApplyResult) -> StatusCode {
    match result.outcome {
        Outcome::Converged | Outcome::Superseded => StatusCode::OK,
        Outcome::ConversionFailed => StatusCode::UNPROCESSABLE_ENTITY,
        Outcome::NotConverged => StatusCode::INTERNAL_SERVER_ERROR,
        Outcome::FrrUnreachable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

async fn put_config(api: &Api, request: Request<Incoming>) -> Response<Body> {
    let (config, id) = match read_config(api, request).await {
        Ok(body) => body,
        Err(refusal) => return refusal.reply(),
    };
    if let Some(Err(reason)) = id.as_deref().map(check_id) {
        return error(StatusCode::BAD_REQUEST, reason);
    }
    let (reply_tx, reply_rx) = oneshot::channel();
    let job = Job::new(config, id, Trigger::Api, Some(reply_tx));
    if api.tx.send(Msg::Apply(job)).await.is_err() {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the agent is shutting down",
        );
    }
    match reply_rx.await {
        Ok(result) => json(status_for(&result), &result),
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the agent is shutting down; the configuration is saved and will be applied when it starts again",
        ),
    }
}

async fn post_diff(api: &Api, request: Request<Incoming>) -> Response<Body> {
    let (config, _) = match read_config(api, request).await {
        Ok(body) => body,
        Err(refusal) => return refusal.reply(),
    };
    let vtysh = api.vtysh.clone();
    let version = api.version;
    let answer = tokio::task::spawn_blocking(move || {
        let running = vtysh
            .running_config()
            .map_err(|e| Refusal::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
        let version = version
            .or_else(|| FrrVersion::detect(&running))
            .unwrap_or_default();
        let config = reloader::with_running_profile(&running, &config).into_owned();
        let running = Config::parse_for(&running, version).map_err(|e| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("running configuration: {e}"),
            )
        })?;
        let desired = Config::parse_for(&config, version).map_err(|e| {
            Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                redact(&format!("desired configuration: {e}")),
            )
        })?;
        let mut delta = reloader::diff(&running, &desired);
        for command in delta.delete.iter_mut().chain(delta.add.iter_mut()) {
            command.command = redact_line(&command.command).into_owned();
        }
        delta.script = redact(&delta.script);
        Ok::<_, Refusal>(delta)
    })
    .await;
    match answer {
        Ok(Ok(delta)) => json(StatusCode::OK, &delta),
        Ok(Err(refusal)) => refusal.reply(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn running_config(api: &Api) -> Response<Body> {
    let vtysh = api.vtysh.clone();
    match tokio::task::spawn_blocking(move || vtysh.running_config()).await {
        Ok(Ok(running)) => text(StatusCode::OK, redact(&running)),
        Ok(Err(e)) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// Every result from now on, one JSON object per line.
fn events(rx: broadcast::Receiver<Arc<ApplyResult>>) -> Response<Body> {
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let line = match rx.recv().await {
            Ok(result) => serde_json::to_vec(&*result),
            Err(broadcast::error::RecvError::Lagged(n)) => serde_json::to_vec(&ErrorReply {
                error: format!("lagged: {n} events dropped (reading too slowly)"),
            }),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        let mut line = line.expect("wire types serialize");
        line.push(b'\n');
        Some((Frame::data(Bytes::from(line)), rx))
    });
    let body = BodyExt::boxed(StreamBody::new(stream.map(Ok)));
    let mut response = reply(StatusCode::OK, "application/x-ndjson", Bytes::new());
    *response.body_mut() = body;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bounded_and_printable() {
        assert!(check_id("frr-k8s/node1 gen 3 ✓").is_ok());
        assert!(check_id(&"x".repeat(256)).is_ok());
        assert!(check_id(&"x".repeat(257))
            .unwrap_err()
            .contains("longer than 256"));
        for forged in ["a\nb", "a\u{1b}[31m", "a\0b", "a\rb"] {
            let refused = check_id(forged).unwrap_err();
            assert!(
                refused.contains("control character at position 1"),
                "{refused}"
            );
        }
    }
}
