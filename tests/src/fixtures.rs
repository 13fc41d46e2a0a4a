//! What the agent's tests share: the two frr-k8s-shaped example
//! configurations, an FRR 8.4 instance, and small helpers around them.

use sha2::{Digest, Sha256};

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
