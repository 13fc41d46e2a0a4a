//! Health and metrics over TCP, for kubelet and Prometheus: `/healthz`
//! (alias `/livez`): the agent is alive; `/readyz`: FRR answers vtysh and
//! the socket is serving (not whether the last configuration converged:
//! one bad configuration must not make every node NotReady); `/metrics`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};

use crate::actor::Shared;
use crate::api::{refuse, status_for};
use crate::error::Error;
use crate::frr::Reader;
use crate::http::{reply, text, Body};
use crate::shutdown::Shutdown;

/// How often FRR is asked whether it answers.
const PROBE_EVERY: Duration = Duration::from_secs(5);

/// Time a probe's `show version` gets.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// What readiness depends on.
#[derive(Debug, Default)]
pub struct Readiness {
    /// The socket API is accepting connections.
    pub serving: AtomicBool,
    /// `None` when FRR answered the last probe, else why not.
    frr: Mutex<Option<String>>,
}

impl Readiness {
    /// `Ok` when ready, else the reason.
    pub fn check(&self) -> Result<(), Error> {
        if !self.serving.load(Ordering::Relaxed) {
            return Err(Error::NotServing);
        }
        match self.frr_state() {
            None => Ok(()),
            Some(reason) => Err(Error::FrrNotReady(reason)),
        }
    }

    fn frr_state(&self) -> Option<String> {
        self.frr.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_frr(&self, state: Option<String>) {
        *self.frr.lock().unwrap_or_else(|e| e.into_inner()) = state;
    }
}

/// Asks FRR (`show version`, through `reader`: never behind the actor)
/// every few seconds until shutdown. A probe that fails while a reload
/// runs does not count: FRR applying a long script answers other vtysh
/// commands only when it is done. `/readyz` answers from what the last
/// probe found, so it never waits for FRR.
pub async fn probe_frr(
    readiness: Arc<Readiness>,
    shared: Arc<Shared>,
    reader: Reader,
    shutdown: Shutdown,
) {
    readiness.set_frr(Some("FRR not probed yet".into()));
    loop {
        let busy = shared.reloading.load(Ordering::Relaxed);
        let answer = tokio::select! {
            answer = reader.show_version() => answer,
            () = shutdown.wait() => return,
        };
        let busy = busy || shared.reloading.load(Ordering::Relaxed);
        let state = match answer {
            Ok(_) => None,
            Err(e @ Error::Task(_)) => Some(format!("FRR probe failed: {e}")),
            Err(_) if busy => readiness.frr_state(),
            Err(e) => Some(format!("FRR does not answer vtysh: {e}")),
        };
        readiness.set_frr(state);
        tokio::select! {
            () = tokio::time::sleep(PROBE_EVERY) => {}
            () = shutdown.wait() => return,
        }
    }
}

/// Answers one health or metrics request.
pub fn handle(
    shared: &Shared,
    readiness: &Readiness,
    request: &Request<Incoming>,
) -> Response<Body> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return refuse(Error::ProbeMethod);
    }
    match request.uri().path() {
        "/healthz" | "/livez" => text(StatusCode::OK, "ok\n"),
        "/readyz" => match readiness.check() {
            Ok(()) => text(StatusCode::OK, "ok\n"),
            Err(reason) => text(status_for(Err(&reason)), format!("{reason}\n")),
        },
        "/metrics" => reply(
            StatusCode::OK,
            crate::metrics::CONTENT_TYPE,
            shared.metrics.render(),
        ),
        path => refuse(Error::NoPath(path.to_owned())),
    }
}
