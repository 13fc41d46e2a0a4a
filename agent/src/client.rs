//! The client of the socket API, for people and scripts:
//! `apply`, `status`, `running-config`, `watch`.

use std::path::Path;
use std::process::ExitCode;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use protocol::{ApplyResult, ConfigRequest, ErrorReply, NodeStatus, Outcome};

use crate::error::Error;

/// Exit status when the command could not be carried out (usage,
/// connection).
const USAGE: u8 = 2;
/// Exit status of `apply` when a newer configuration replaced this one.
const SUPERSEDED: u8 = 3;

async fn send(
    socket: &Path,
    method: Method,
    path: &str,
    body: Option<(&'static str, Vec<u8>)>,
) -> Result<Response<Incoming>, Error> {
    let failed = |e| Error::Socket {
        path: socket.to_owned(),
        source: Box::new(e),
    };
    let stream = tokio::net::UnixStream::connect(socket)
        .await
        .map_err(Error::io(socket))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(failed)?;
    tokio::spawn(connection);
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "frr-reload-agent");
    let body = match body {
        Some((content_type, bytes)) => {
            request = request.header("content-type", content_type);
            Full::new(Bytes::from(bytes))
        }
        None => Full::new(Bytes::new()),
    };
    let request = request.body(body).map_err(|e| Error::Socket {
        path: socket.to_owned(),
        source: Box::new(e),
    })?;
    sender.send_request(request).await.map_err(failed)
}

async fn body_of(response: Response<Incoming>) -> Result<(StatusCode, Bytes), Error> {
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(Error::Answer)?
        .to_bytes();
    Ok((status, bytes))
}

fn server_error(status: StatusCode, bytes: &[u8]) -> Error {
    let message = serde_json::from_slice::<ErrorReply>(bytes)
        .map_or_else(|_| String::from_utf8_lossy(bytes).into_owned(), |e| e.error);
    Error::Server {
        status,
        message: message.trim().to_owned(),
    }
}

/// `apply FILE`: sends a configuration, prints the result. Exit 0
/// converged, 1 failed, 2 usage or connection error, 3 superseded, 4
/// refused by the impact guard (`max_impact`).
pub async fn apply(
    socket: &Path,
    file: &Path,
    id: Option<String>,
    max_impact: Option<protocol::Effect>,
    as_json: bool,
) -> Result<ExitCode, Error> {
    let config = if file == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(Error::io("standard input"))?;
        text
    } else {
        std::fs::read_to_string(file).map_err(Error::io(file))?
    };
    let body = match id {
        Some(id) => (
            "application/json",
            serde_json::to_vec(&ConfigRequest {
                config,
                id: Some(id),
            })
            .expect("serializes"),
        ),
        None => ("text/plain", config.into_bytes()),
    };
    let path = match max_impact {
        Some(limit) => format!("{}?maxImpact={limit}", protocol::paths::CONFIG),
        None => protocol::paths::CONFIG.to_owned(),
    };
    let response = send(socket, Method::PUT, &path, Some(body)).await?;
    let (status, bytes) = body_of(response).await?;
    let Ok(result) = serde_json::from_slice::<ApplyResult>(&bytes) else {
        return Err(server_error(status, &bytes));
    };
    if as_json {
        outln!("{}", pretty(&bytes));
    } else {
        print_result(&result);
    }
    Ok(match result.outcome {
        Outcome::Converged => ExitCode::SUCCESS,
        Outcome::Superseded => ExitCode::from(SUPERSEDED),
        Outcome::ImpactRefused => ExitCode::from(crate::oneshot::IMPACT_REFUSED),
        _ => ExitCode::FAILURE,
    })
}

fn print_result(result: &ApplyResult) {
    let stats = &result.delta.stats;
    outln!(
        "{} {} (generation {}): {:?}{}: {} deletes, {} adds, {} ms",
        result.id,
        &result.sha256[..result.sha256.len().min(12)],
        result.generation,
        result.outcome,
        if result.cached { ", unchanged" } else { "" },
        stats.deletes,
        stats.adds,
        result.timings_ms.total_ms
    );
    const SHOWN: usize = 40;
    let lines: Vec<&str> = result.delta.script.lines().collect();
    for line in lines.iter().take(SHOWN) {
        outln!("  | {line}");
    }
    if lines.len() > SHOWN {
        outln!("  | … {} more lines", lines.len() - SHOWN);
    }
    // A refusal's text names the sessions already.
    let refused = result.outcome == Outcome::ImpactRefused;
    for impact in result.impact.iter().filter(|_| !refused) {
        outln!("  {}", reloader::diff::impact::describe(impact));
    }
    if result.last_reload_result != "success" {
        outln!("  {}", result.last_reload_result);
    }
    if let Some(winner) = &result.superseded_by {
        outln!(
            "  superseded by {}: {}",
            winner.id,
            winner.result.last_reload_result
        );
    }
}

/// `status`: what the agent and FRR are doing.
pub async fn status(socket: &Path, as_json: bool) -> Result<ExitCode, Error> {
    let (status, bytes) = body_of(send(socket, Method::GET, "/v1/status", None).await?).await?;
    if !status.is_success() {
        return Err(server_error(status, &bytes));
    }
    if as_json {
        outln!("{}", pretty(&bytes));
        return Ok(ExitCode::SUCCESS);
    }
    let node: NodeStatus = serde_json::from_slice(&bytes).map_err(Error::StatusAnswer)?;
    outln!("converged:            {}", node.converged);
    outln!("generation:           {}", node.generation);
    outln!("desired sha256:       {}", node.desired_sha256);
    outln!("lastConversionResult: {}", node.last_conversion_result);
    outln!("lastReloadResult:     {}", node.last_reload_result);
    outln!("FRR daemons:          {}", node.daemons.join(" "));
    outln!("FRR restarts seen:    {}", node.frr_restarts);
    if !node.state_error.is_empty() {
        outln!("state not saved:      {}", node.state_error);
    }
    Ok(ExitCode::SUCCESS)
}

/// `running-config`: FRR's running configuration, secrets redacted.
pub async fn running_config(socket: &Path) -> Result<ExitCode, Error> {
    let (status, bytes) =
        body_of(send(socket, Method::GET, "/v1/running-config", None).await?).await?;
    if !status.is_success() {
        return Err(server_error(status, &bytes));
    }
    out!("{}", String::from_utf8_lossy(&bytes));
    Ok(ExitCode::SUCCESS)
}

/// `watch`: prints every result as it happens, one JSON object per line
/// (or a summary line each).
pub async fn watch(socket: &Path, as_json: bool) -> Result<ExitCode, Error> {
    let response = send(socket, Method::GET, "/v1/events", None).await?;
    let mut body = response.into_body();
    let mut pending = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(Error::Events)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        pending.extend_from_slice(&data);
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            match serde_json::from_slice::<ApplyResult>(&line) {
                Ok(result) if !as_json => print_result(&result),
                _ => outln!("{}", String::from_utf8_lossy(&line).trim_end()),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A JSON answer, indented for people.
fn pretty(bytes: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(bytes).trim_end().to_owned())
}

/// Exit status for a client command that got no answer to show (the
/// connection, the file, or the agent's refusal): 2.
pub fn usage_error(failed: &Error) -> ExitCode {
    eprintln!("frr-reload-agent: {failed}");
    ExitCode::from(USAGE)
}
