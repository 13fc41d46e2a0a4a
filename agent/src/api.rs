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
use protocol::{paths, ApplyResult, DiffResult, Effect, ErrorReply, Outcome, Trigger};
use reloader::config::redact::{redact, redact_line};
use reloader::diff::{autorp, ospf_network};
use reloader::{Config, FrrVersion};
use tokio::sync::{broadcast, mpsc, oneshot, OwnedSemaphorePermit, Semaphore};

use crate::actor::{Job, Msg, Shared};
use crate::error::Error;
use crate::frr::Reader;
use crate::http::{error, json, reply, text, Body};
use crate::shutdown::Shutdown;

/// Time a client gets to send its body once the head arrived.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// What the API handlers need.
#[derive(Debug)]
pub struct Api {
    /// Status, metrics and events.
    pub shared: Arc<Shared>,
    /// The actor's mailbox.
    pub tx: mpsc::Sender<Msg>,
    /// How to read FRR (diff, running-config): never through the actor,
    /// so a read does not wait for a reload.
    pub reader: Reader,
    /// FRR version override.
    pub version: Option<FrrVersion>,
    /// Largest configuration accepted, in bytes.
    pub max_config_bytes: usize,
    /// Body bytes all requests may hold at once (see [`body_budget`]).
    pub bodies: Arc<Semaphore>,
    /// Ends the event streams, so that their connections drain.
    pub shutdown: Shutdown,
}

/// The body bytes all connections together may hold while they arrive
/// and until the actor takes them in: two of the largest configurations.
/// A body of declared length waits for its share before it is read; one
/// without gets 503 past it and may retry. No connection can make the
/// agent hold `--max-config-bytes` each.
pub fn body_budget(max_config_bytes: usize) -> Arc<Semaphore> {
    Arc::new(Semaphore::new(
        max_config_bytes
            .saturating_mul(2)
            .min(Semaphore::MAX_PERMITS),
    ))
}

/// Collects a body of at most `limit` bytes, holding a permit of
/// `budget` per byte until the caller is done with it. A declared length
/// is waited for whole (up to `limit`, half the budget) before anything
/// is read: the client waits, its bytes unread, and no two bodies can each
/// hold part of the budget and wait for the rest. A body of unknown
/// length (or the part of a JSON body beyond `limit`) takes permits as it
/// arrives, and past the budget gets 503.
async fn collect_body(
    body: Incoming,
    wire_limit: usize,
    limit: usize,
    expected: usize,
    budget: &Arc<Semaphore>,
) -> Result<(Vec<u8>, Option<OwnedSemaphorePermit>), Error> {
    let mut body = Limited::new(body, wire_limit);
    // Sized once from Content-Length (within the limit): a large body is
    // not copied over and over as it grows.
    let expected = expected.min(wire_limit);
    let mut bytes = Vec::with_capacity(expected);
    // Up to `limit` (half the budget: always to be had); a JSON body
    // declared larger takes the rest as it arrives.
    let mut held: Option<OwnedSemaphorePermit> = match u32::try_from(expected.min(limit)) {
        Ok(0) | Err(_) => None,
        Ok(n) => Some(
            budget
                .clone()
                .acquire_many_owned(n)
                .await
                .map_err(|_| Error::BodiesBusy)?,
        ),
    };
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                Error::Body(BodyError::TooLarge { limit })
            } else {
                Error::BodyFailed(e.to_string())
            }
        })?;
        let Some(data) = frame.data_ref() else {
            continue;
        };
        let covered = held.as_ref().map_or(0, |h| h.num_permits());
        let n = u32::try_from((bytes.len() + data.len()).saturating_sub(covered))
            .map_err(|_| BodyError::TooLarge { limit })?;
        if n == 0 {
            bytes.extend_from_slice(data);
            continue;
        }
        let permit = budget
            .clone()
            .try_acquire_many_owned(n)
            .map_err(|_| Error::BodiesBusy)?;
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
        return refuse(Error::PeerRefused(uid));
    }
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    match (path.as_str(), &method) {
        (paths::CONFIG, &Method::PUT) => put_config(&api, request).await,
        (paths::DIFF, &Method::POST) => post_diff(&api, request).await,
        (paths::STATUS, &Method::GET) => json(StatusCode::OK, &api.shared.status()),
        (paths::RUNNING_CONFIG, &Method::GET) => running_config(&api).await,
        (paths::EVENTS, &Method::GET) => {
            events(api.shared.events.subscribe(), api.shutdown.clone())
        }
        (paths::CONFIG, _) => refuse(Error::Method("PUT")),
        (paths::DIFF, _) => refuse(Error::Method("POST")),
        (paths::STATUS | paths::RUNNING_CONFIG | paths::EVENTS, _) => refuse(Error::Method("GET")),
        _ => refuse(Error::NoPath(path)),
    }
}

/// The HTTP status of an answer: a reload's result, or why there is none.
/// The one place the API decides a status.
pub fn status_for(answer: Result<&ApplyResult, &Error>) -> StatusCode {
    let error = match answer {
        Ok(result) => {
            return match result.outcome {
                Outcome::Converged | Outcome::Superseded => StatusCode::OK,
                Outcome::ConversionFailed | Outcome::PartlyApplied => {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                Outcome::NotConverged => StatusCode::INTERNAL_SERVER_ERROR,
                Outcome::FrrUnreachable => StatusCode::SERVICE_UNAVAILABLE,
                Outcome::ImpactRefused => StatusCode::CONFLICT,
            }
        }
        Err(error) => error,
    };
    match error {
        Error::Body(BodyError::UnsupportedType(_)) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Error::Body(BodyError::TooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Body(_)
        | Error::BodyFailed(_)
        | Error::IdTooLong(_)
        | Error::IdControl(_)
        | Error::Query(_) => StatusCode::BAD_REQUEST,
        Error::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
        Error::PeerRefused(_) => StatusCode::FORBIDDEN,
        Error::NoPath(_) => StatusCode::NOT_FOUND,
        Error::Method(_) | Error::ProbeMethod => StatusCode::METHOD_NOT_ALLOWED,
        Error::DesiredUnparsable(_) => StatusCode::UNPROCESSABLE_ENTITY,
        // Busy, stopping, or FRR not answering: worth retrying.
        Error::BodiesBusy
        | Error::ShuttingDown
        | Error::StoppedBeforeApply
        | Error::Frr(_)
        | Error::NotServing
        | Error::FrrNotReady(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The reply for an error: its status and `{"error": "..."}` (with the
/// methods allowed, for 405).
pub fn refuse(e: Error) -> Response<Body> {
    let mut response = error(status_for(Err(&e)), e.to_string());
    if let Error::Method(allow) = e {
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static(allow));
    }
    response
}

/// Reads a configuration body (`text/plain` or JSON `ConfigRequest`)
/// within the size limit: a declared length over it is refused before
/// anything is read, and reading stops at the limit.
async fn read_config(
    api: &Api,
    request: Request<Incoming>,
) -> Result<(String, Option<String>, Option<OwnedSemaphorePermit>), Error> {
    let limit = api.max_config_bytes;
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let kind = body_kind(header(CONTENT_TYPE))?;
    let wire_limit = wire_limit(kind, limit);
    let declared = header(CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > wire_limit as u64) {
        return Err(BodyError::TooLarge { limit }.into());
    }
    let expected = declared.map_or(0, |n| n as usize);
    let body = collect_body(
        request.into_body(),
        wire_limit,
        limit,
        expected,
        &api.bodies,
    );
    let (bytes, held) = tokio::time::timeout(BODY_TIMEOUT, body)
        .await
        .map_err(|_| Error::BodyTimeout)??;
    let request = decode_config(kind, bytes, limit)?;
    Ok((request.config, request.id, held))
}

/// Longest `id` accepted, in characters.
const MAX_ID_CHARS: usize = 256;

/// Refuses an `id` that is too long to keep, log and return, or that holds
/// a control character (a newline or an escape would forge log lines).
fn check_id(id: &str) -> Result<(), Error> {
    if id.chars().count() > MAX_ID_CHARS {
        return Err(Error::IdTooLong(MAX_ID_CHARS));
    }
    match id.chars().position(char::is_control) {
        Some(at) => Err(Error::IdControl(at)),
        None => Ok(()),
    }
}

/// The `maxImpact` query parameter (`none`, `soft` or `reset`), if given.
/// Other parameters are refused, so that a misspelled guard is not
/// silently ignored.
fn max_impact(query: Option<&str>) -> Result<Option<Effect>, Error> {
    let mut limit = None;
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        match pair.split_once('=') {
            Some(("maxImpact", value)) => {
                limit = Some(
                    value
                        .parse::<Effect>()
                        .map_err(|e| Error::Query(format!("maxImpact: {e}")))?,
                );
            }
            _ => {
                let name = pair.split('=').next().unwrap_or_default();
                return Err(Error::Query(format!(
                    "unknown parameter {:?} (only maxImpact)",
                    name.chars().take(64).collect::<String>()
                )));
            }
        }
    }
    Ok(limit)
}

async fn put_config(api: &Api, request: Request<Incoming>) -> Response<Body> {
    let limit = match max_impact(request.uri().query()) {
        Ok(limit) => limit,
        Err(e) => return refuse(e),
    };
    let (config, id, budget) = match read_config(api, request).await {
        Ok(body) => body,
        Err(e) => return refuse(e),
    };
    if let Some(Err(e)) = id.as_deref().map(check_id) {
        return refuse(e);
    }
    let (reply_tx, reply_rx) = oneshot::channel();
    // The body's share of the budget goes with it until the actor has
    // taken it in: configurations queued for the actor count too.
    let job = Job::new(config, id, Trigger::Api, Some(reply_tx))
        .with_max_impact(limit)
        .with_budget(budget);
    if api.tx.send(Msg::Apply(job)).await.is_err() {
        return refuse(Error::ShuttingDown);
    }
    match reply_rx.await {
        Ok(result) => json(status_for(Ok(&result)), &result),
        Err(_) => refuse(Error::StoppedBeforeApply),
    }
}

async fn post_diff(api: &Api, request: Request<Incoming>) -> Response<Body> {
    match diff(api, request).await {
        Ok(delta) => json(StatusCode::OK, &delta),
        Err(e) => refuse(e),
    }
}

/// The delta from FRR's running configuration to the body's, and what it
/// would do to sessions, redacted.
async fn diff(api: &Api, request: Request<Incoming>) -> Result<DiffResult, Error> {
    let (config, _, _budget) = read_config(api, request).await?;
    let running = api.reader.running_config().await?;
    let version = api.version;
    let reader = api.reader.clone();
    tokio::task::spawn_blocking(move || {
        let version = version
            .or_else(|| FrrVersion::detect(&running))
            .unwrap_or_default();
        let running_text = running;
        let mut running =
            Config::parse_for(&running_text, version).map_err(Error::RunningUnparsable)?;
        // As the reload reads it (see `reloader::diff::autorp` and
        // `reloader::diff::ospf_network`).
        if autorp::unprinted_on(version, || reader.daemons_blocking()) {
            autorp::with_pimd_running(&mut running);
        }
        // A parse error redacts the line it quotes; a redaction of the
        // whole message would hide its reason too.
        let mut desired =
            Config::parse_desired_for(&config, &running_text, version).map_err(|e| {
                Error::DesiredUnparsable(match e {
                    reloader::Error::Parse { .. } => format!("desired configuration: {e}"),
                    e => redact(&format!("desired configuration: {e}")),
                })
            })?;
        ospf_network::settle(&mut desired, version, || reader.interfaces_blocking());
        let mut delta = reloader::diff(&running, &desired);
        let impact = reloader::diff::impact::impact(&running, &delta, version);
        for command in delta.delete.iter_mut().chain(delta.add.iter_mut()) {
            command.command = redact_line(&command.command).into_owned();
        }
        delta.script = redact(&delta.script);
        Ok(DiffResult { delta, impact })
    })
    .await?
}

async fn running_config(api: &Api) -> Response<Body> {
    match api.reader.running_config().await {
        Ok(running) => text(StatusCode::OK, redact(&running)),
        Err(e) => refuse(e),
    }
}

/// Every result from now on, one JSON object per line, until shutdown.
fn events(rx: broadcast::Receiver<Arc<ApplyResult>>, shutdown: Shutdown) -> Response<Body> {
    let stream = futures_util::stream::unfold((rx, shutdown), |(mut rx, shutdown)| async move {
        let received = tokio::select! {
            received = rx.recv() => received,
            () = shutdown.wait() => return None,
        };
        let line = match received {
            Ok(result) => serde_json::to_vec(&*result),
            Err(broadcast::error::RecvError::Lagged(n)) => serde_json::to_vec(&ErrorReply {
                error: format!("lagged: {n} events dropped (reading too slowly)"),
            }),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        let mut line = line.expect("wire types serialize");
        line.push(b'\n');
        Some((Frame::data(Bytes::from(line)), (rx, shutdown)))
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
    fn max_impact_is_read_from_the_query() {
        assert_eq!(max_impact(None).unwrap(), None);
        assert_eq!(max_impact(Some("")).unwrap(), None);
        assert_eq!(
            max_impact(Some("maxImpact=none")).unwrap(),
            Some(Effect::None)
        );
        assert_eq!(
            max_impact(Some("maxImpact=soft")).unwrap(),
            Some(Effect::Soft)
        );
        assert_eq!(
            max_impact(Some("maxImpact=reset")).unwrap(),
            Some(Effect::Reset)
        );
        for bad in [
            "maxImpact=hard",
            "maxImpact",
            "maximpact=none",
            "max_impact=none&x=1",
        ] {
            let refused = max_impact(Some(bad)).unwrap_err();
            assert_eq!(status_for(Err(&refused)), StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn ids_are_bounded_and_printable() {
        assert!(check_id("frr-k8s/node1 gen 3 ✓").is_ok());
        assert!(check_id(&"x".repeat(256)).is_ok());
        assert!(check_id(&"x".repeat(257))
            .unwrap_err()
            .to_string()
            .contains("longer than 256"));
        for forged in ["a\nb", "a\u{1b}[31m", "a\0b", "a\rb"] {
            let refused = check_id(forged).unwrap_err().to_string();
            assert!(
                refused.contains("control character at position 1"),
                "{refused}"
            );
        }
    }
}
