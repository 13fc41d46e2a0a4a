//! What the agent's tests share: the two frr-k8s-shaped example
//! configurations, an FRR 8.4 instance, and small helpers around them.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::thread;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::agent::{wait_for, Agent};
use crate::frr::{FrrInstance, Release};

/// `examples/receive-deny.conf`: routes from the peer denied.
pub const RECEIVE_DENY: &str = include_str!("../../examples/receive-deny.conf");
/// `examples/receive-all.conf`: the same, receiving all routes.
pub const RECEIVE_ALL: &str = include_str!("../../examples/receive-all.conf");
/// The line that tells `RECEIVE_ALL` from `RECEIVE_DENY` in FRR.
pub const ALL_LINE: &str = "ip prefix-list 192.0.2.2-inpl-ipv4 seq 1 permit any";

/// A fresh FRR 8.4 instance; panics when it cannot start.
pub fn frr() -> FrrInstance {
    FrrInstance::start_default(Release::Frr84).unwrap_or_else(|e| panic!("{e}"))
}

/// The instance's running configuration; panics when vtysh fails.
pub fn running(frr: &FrrInstance) -> String {
    frr.running_config().unwrap_or_else(|e| panic!("{e}"))
}

/// sha256 of a text, lowercase hex (as the agent reports it).
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `RECEIVE_DENY` plus `n` prefix-list entries: long enough for FRR to
/// spend seconds on it.
pub fn large(n: usize) -> String {
    let mut text = String::new();
    for i in 1..=n {
        text.push_str(&format!(
            "ip prefix-list big seq {i} permit 198.18.{}.{}/32\n",
            i / 256,
            i % 256
        ));
    }
    text.push_str(RECEIVE_DENY);
    text
}

/// How many `big` entries FRR runs.
pub fn big_entries(running: &str) -> usize {
    running
        .lines()
        .filter(|l| l.starts_with("ip prefix-list big "))
        .count()
}

/// `DIR/.status` of the frr-k8s files as (epoch, word), when it exists.
pub fn read_status(dir: &Path) -> Option<(u64, String)> {
    let text = std::fs::read_to_string(dir.join(".status")).ok()?;
    let (epoch, word) = text.split_once(' ')?;
    Some((epoch.parse().ok()?, word.to_owned()))
}

/// Polls `DIR/.status` until its epoch is above `after` and its word
/// passes `accept`; returns (epoch, word). Every `.status` seen on the way
/// must be well formed (`<epoch> success|failure`) with an epoch that
/// never goes back: a torn write or a stale rewrite fails the test.
pub fn wait_status(dir: &Path, after: u64, accept: impl Fn(&str) -> bool) -> (u64, String) {
    let mut last = after;
    wait_for(
        Duration::from_secs(60),
        &format!("{}/.status after epoch {after}", dir.display()),
        || {
            let text = std::fs::read_to_string(dir.join(".status")).ok()?;
            let (epoch, word) = text
                .split_once(' ')
                .unwrap_or_else(|| panic!(".status is not `<epoch> <word>`: {text:?}"));
            let epoch: u64 = epoch
                .parse()
                .unwrap_or_else(|e| panic!(".status epoch {epoch:?}: {e}"));
            assert!(
                word == "success" || word == "failure",
                ".status word {word:?}"
            );
            assert!(
                epoch >= last || last == after,
                "the epoch went back: {epoch} < {last}"
            );
            last = last.max(epoch);
            (epoch > after && accept(word)).then(|| (epoch, word.to_owned()))
        },
    )
}

/// The agent still runs and answers on its socket and health address.
#[track_caller]
pub fn assert_serving(agent: &mut Agent) {
    assert!(agent.try_wait().is_none(), "the agent exited");
    assert_eq!(agent.get("/v1/status").status, 200);
    assert_eq!(agent.health_get("/healthz").status, 200);
}

/// `PUT /v1/config` of `config` from a thread: the raw reply, empty when
/// the connection ended without one.
pub fn put_in_background(agent: &Agent, config: &str) -> thread::JoinHandle<String> {
    let socket = agent.socket.clone();
    let mut request = format!(
        "PUT /v1/config HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        config.len()
    )
    .into_bytes();
    request.extend(config.as_bytes());
    thread::spawn(move || {
        let mut stream = UnixStream::connect(socket).unwrap();
        stream.write_all(&request).unwrap();
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        String::from_utf8_lossy(&reply).into_owned()
    })
}
