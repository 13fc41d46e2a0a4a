//! The socket API and the health server of a daemon on the fake FRR:
//! status codes, probes that never wait for a reload, and shutdown
//! draining the connections.

use std::sync::atomic::Ordering;
use std::time::Duration;

use hyper::StatusCode;
use protocol::body::BodyError;
use protocol::{ApplyResult, Outcome};

use super::{call, config, json, Agent};
use crate::actor::OnFailure;
use crate::api::status_for;
use crate::error::Error;

#[test]
fn one_function_gives_every_status() {
    let result = |outcome| ApplyResult {
        outcome,
        ..ApplyResult::default()
    };
    let status = |outcome| status_for(Ok(&result(outcome))).as_u16();
    assert_eq!(status(Outcome::Converged), 200);
    assert_eq!(status(Outcome::Superseded), 200);
    assert_eq!(status(Outcome::ConversionFailed), 422);
    assert_eq!(status(Outcome::NotConverged), 500);
    assert_eq!(status(Outcome::FrrUnreachable), 503);
    let error = |e: Error| status_for(Err(&e));
    let unsupported = BodyError::UnsupportedType("image/png".into());
    assert_eq!(
        error(unsupported.into()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let too_large = BodyError::TooLarge { limit: 1 };
    assert_eq!(error(too_large.into()), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error(BodyError::Empty.into()), StatusCode::BAD_REQUEST);
    assert_eq!(error(Error::IdControl(1)), StatusCode::BAD_REQUEST);
    assert_eq!(error(Error::BodyTimeout), StatusCode::REQUEST_TIMEOUT);
    assert_eq!(error(Error::BodiesBusy), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(error(Error::PeerRefused(Some(7))), StatusCode::FORBIDDEN);
    assert_eq!(error(Error::NoPath("/x".into())), StatusCode::NOT_FOUND);
    assert_eq!(error(Error::Method("GET")), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        error(Error::StoppedBeforeApply),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        error(Error::DesiredUnparsable("x".into())),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_each_request_with_its_status() {
    let mut agent = Agent::start(OnFailure::Retry).await;
    let (status, body) = agent.call("PUT", "/v1/config", &config(1)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["outcome"], "converged");
    let (status, body) = agent.call("GET", "/v1/status", "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["converged"], true);

    let (status, body) = agent.call("PUT", "/v1/config", "bogus line\n").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(json(&body)["outcome"], "conversionFailed");

    let (status, body) = agent.call("POST", "/v1/diff", &config(2)).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        json(&body)["script"].as_str().unwrap().contains("L2"),
        "{body}"
    );

    let (status, body) = agent.call("GET", "/v1/running-config", "").await;
    assert_eq!((status, body), (200, config(1)));

    let (status, body) = agent.call("GET", "/v1/nothing", "").await;
    assert_eq!(
        (status, json(&body)["error"].clone()),
        (404, "no such path: /v1/nothing".into())
    );
    let (status, body) = agent.call("DELETE", "/v1/config", "").await;
    assert_eq!(status, 405, "{body}");
    assert_eq!(json(&body)["error"], "method not allowed; use PUT");
    let socket = agent.socket();
    let (status, _) = call(&socket, "PUT", "/v1/config", "image/png", "x").await;
    assert_eq!(status, 415);
    let (status, _) = agent.call("PUT", "/v1/config", "").await;
    assert_eq!(status, 400);
    let forged = r#"{"config": "ip prefix-list A seq 5 permit any\n", "id": "a\nb"}"#;
    let (status, body) = call(&socket, "PUT", "/v1/config", "application/json", forged).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(json(&body)["error"], "id: control character at position 1");

    agent.frr.stuck.store(true, Ordering::SeqCst);
    let (status, body) = agent.call("PUT", "/v1/config", &config(3)).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(json(&body)["outcome"], "notConverged");

    agent.stop().await;

    // A first reload reads FRR: unreachable, it is 503, as is a read.
    let mut fresh = Agent::start(OnFailure::Retry).await;
    fresh.frr.unreachable.store(true, Ordering::SeqCst);
    let (status, _) = fresh.call("GET", "/v1/running-config", "").await;
    assert_eq!(status, 503);
    let (status, body) = fresh.call("PUT", "/v1/config", &config(4)).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(json(&body)["outcome"], "frrUnreachable");
    fresh.stop().await;
}

/// Polls `/readyz` until FRR's first probe made the agent ready.
async fn until_ready(agent: &Agent) {
    for _ in 0..100 {
        if agent.probe("/readyz").await.0 == 200 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_and_reads_never_wait_behind_a_reload() {
    let mut agent = Agent::start(OnFailure::Retry).await;
    until_ready(&agent).await;
    agent.frr.close();
    let socket = agent.socket();
    let put =
        tokio::spawn(
            async move { call(&socket, "PUT", "/v1/config", "text/plain", &config(1)).await },
        );
    agent.frr.entered(1).await;
    // The reload is held inside FRR's apply: every read still answers.
    let quick = Duration::from_secs(2);
    let answers = async {
        assert_eq!(agent.probe("/readyz").await, (200, "ok\n".into()));
        assert_eq!(agent.probe("/healthz").await, (200, "ok\n".into()));
        assert_eq!(agent.probe("/metrics").await.0, 200);
        assert_eq!(agent.call("GET", "/v1/status", "").await.0, 200);
        assert_eq!(agent.call("GET", "/v1/running-config", "").await.0, 200);
    };
    let answered = tokio::time::timeout(quick, answers).await;
    agent.frr.open();
    answered.expect("a probe or a read waited for the reload");
    let (status, body) = put.await.unwrap();
    assert_eq!(status, 200, "{body}");
    agent.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_drains_the_connections_and_joins_every_task() {
    let mut agent = Agent::start(OnFailure::Retry).await;
    agent.frr.close();
    let socket = agent.socket();
    let in_flight = {
        let socket = socket.clone();
        tokio::spawn(
            async move { call(&socket, "PUT", "/v1/config", "text/plain", &config(1)).await },
        )
    };
    agent.frr.entered(1).await;
    let queued = {
        let socket = socket.clone();
        tokio::spawn(
            async move { call(&socket, "PUT", "/v1/config", "text/plain", &config(2)).await },
        )
    };
    // An event stream never ends by itself: shutdown must end it.
    let mut events = tokio::net::UnixStream::connect(&socket).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(
        &mut events,
        b"GET /v1/events HTTP/1.1\r\nhost: agent\r\n\r\n",
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    agent.trigger.stop();
    let daemon = agent.daemon.take().unwrap();
    let stopping = tokio::spawn(daemon.stop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!stopping.is_finished(), "stopped before the reload ended");
    agent.frr.open();
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .expect("stopped within the grace period")
        .unwrap();

    let (status, body) = in_flight.await.unwrap();
    assert_eq!(status, 200, "the reload in flight is answered: {body}");
    let (status, body) = queued.await.unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(json(&body)["error"]
        .as_str()
        .unwrap()
        .contains("saved and will be applied when it starts again"));
    assert!(!socket.exists(), "the socket is removed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_names_what_failed() {
    let mut agent = Agent::start(OnFailure::Retry).await;
    let file = agent.dir.path().join("frr.conf");
    std::fs::write(&file, config(1)).unwrap();
    let socket = agent.socket();
    let code = crate::client::apply(&socket, &file, Some("one".into()), None, true).await;
    assert_eq!(code.unwrap(), std::process::ExitCode::SUCCESS);
    agent.frr.unreachable.store(true, Ordering::SeqCst);
    let refused = crate::client::running_config(&socket).await.unwrap_err();
    assert!(
        refused.to_string().starts_with("503 Service Unavailable: "),
        "{refused}"
    );
    assert_eq!(agent.probe("/nothing").await.0, 404);
    agent.stop().await;
    let gone = crate::client::status(&socket, true).await.unwrap_err();
    assert!(
        gone.to_string()
            .starts_with(&format!("{}: ", socket.display())),
        "{gone}"
    );
}
