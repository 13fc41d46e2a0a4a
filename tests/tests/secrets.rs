//! Planted secrets: every FRR command that holds a key, written full and
//! abbreviated, goes through a real agent and FRR 8.4 (with the daemons
//! that take them); no reply, event, status, metric, compat file or log
//! line may show one, whatever FRR makes of the command (applied, printed
//! in its own words, refused by its check, left as residue).
//!
//! Needs root (network namespaces, FRR daemons) and FRR 8.4.
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use std::fs;
use std::time::Duration;

use tests::agent::{send_signal, wait_for, Agent, AgentDirs, AgentOptions};
use tests::fixtures::{running, wait_status};
use tests::frr::{require, FrrInstance, Release};

/// The daemons whose commands hold a secret, besides zebra.
const DAEMONS: &[&str] = &[
    "zebra", "bgpd", "staticd", "ospfd", "ospf6d", "isisd", "fabricd", "ripd", "ldpd",
];

/// How many secrets [`accepted`] plants.
const ACCEPTED: usize = 17;

/// The secret number `n` of the configuration tagged `tag`: short, as FRR
/// keeps only 8 characters of an OSPF or NHRP key.
fn secret(tag: char, n: usize) -> String {
    format!("{tag}Q{n:02}zS")
}

/// A configuration FRR 8.4's check accepts, with a secret in every form it
/// knows, most of them abbreviated.
fn accepted(tag: char) -> String {
    let s = |n| secret(tag, n);
    format!(
        "password {}
enable passw 8 {}
key chain KC
 key 1
  key-str {}
 key 2
  key-string {}
interface lo
 ip ospf authentication-k {}
 ip ospf message-d 1 md5 {}
 ipv6 ospf6 auth key-id 1 hash-algo hmac-sha-256 k {}
 ip rip auth str {}
 ip router isis CORE
 isis pass md5 {}
exit
router ospf
 area 0.0.0.1 virtual-link 192.0.2.5 authentication-k {}
 area 0.0.0.2 virtual-link 192.0.2.6 message-digest-key 1 md5 {}
exit
router isis CORE
 net 49.0001.0000.0000.0001.00
 area-p md5 {} authenticate snp validate
 domain-pass clear {}
exit
router openfabric FAB
 net 49.0002.0000.0000.0002.00
 domain-password md5 {}
exit
mpls ldp
 neighbor 192.0.2.7 passw {}
exit
segment-routing
 traffic-eng
  pcep
   pce PCE1
    address ip 192.0.2.10
    tcp-md5 {}
   exit
  exit
 exit
exit
router bgp 64512
 nei 192.0.2.9 remote-as 64513
 nei 192.0.2.9 pas {}
exit
",
        s(1),
        s(2),
        s(3),
        s(4),
        s(5),
        s(6),
        s(7),
        s(8),
        s(9),
        s(10),
        s(11),
        s(12),
        s(13),
        s(14),
        s(15),
        s(16),
        s(17),
    )
}

/// [`accepted`] plus what FRR 8.4's check refuses: forms of later FRR
/// (`ip nhrp authentication`, `ip msdp peer … password`), a key with
/// spaces, and committed commands that stop fitting.
fn refused(tag: char) -> String {
    let s = |n| secret(tag, ACCEPTED + n);
    format!(
        "{}key chain KR
 key 3
  key-string {} with spaces
interface lo
 ip nhrp authentication {}
 ip ospf message-digest-key {}
 ipv6 ospf6 authentication key-id 2 hash-algo md5 {}
exit
router isis CORE
 area-password {}
exit
ip msdp peer 192.0.2.2 password {}
",
        accepted(tag),
        s(1),
        s(2),
        s(3),
        s(4),
        s(5),
        s(6),
    )
}

/// Every secret planted in the configurations tagged `tags`.
fn planted(tags: &[char]) -> Vec<String> {
    tags.iter()
        .flat_map(|&tag| (1..=ACCEPTED + 6).map(move |n| secret(tag, n)))
        .collect()
}

#[test]
#[ignore = "needs root and FRR"]
fn planted_secrets_never_leave_the_agent() {
    require(Release::Frr84, "planted_secrets_never_leave_the_agent");
    let frr = FrrInstance::start(Release::Frr84, DAEMONS).unwrap_or_else(|e| panic!("{e}"));
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            log_filter: Some("debug".into()),
            ..AgentOptions::compat()
        },
    );
    let mut events = agent.events();
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut keep = |what: &str, text: String| seen.push((what.to_owned(), text));

    let (a, b) = (accepted('A'), accepted('B'));
    let reply = agent.put_config(&a);
    assert!(matches!(reply.status, 200 | 500), "{}", reply.text());
    keep("PUT reply", reply.text());
    // FRR runs them, in its own words: the test would be empty otherwise.
    let frr_has = running(&frr);
    for n in [1, 4, 5, 6, 7, 8, 10, 14, 15, 17] {
        assert!(frr_has.contains(&secret('A', n)), "{n} not in:\n{frr_has}");
    }
    keep("cached PUT reply", agent.put_config(&a).text());
    let reply = agent
        .request("POST", "/v1/diff", Some("text/plain"), b.as_bytes())
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    keep("diff reply", reply.text());
    let reply = agent.put_config(&refused('C'));
    assert_eq!(reply.status, 422, "{}", reply.text());
    keep("refused PUT reply", reply.text());
    let reply = agent.put_config(&b);
    assert!(matches!(reply.status, 200 | 500), "{}", reply.text());
    keep("changed PUT reply", reply.text());
    while let Ok(line) = events.next_line(Duration::from_secs(3)) {
        keep("event", line);
    }
    let shown = agent.get("/v1/running-config").text();
    assert!(
        shown.contains("neighbor 192.0.2.9 password <redacted>"),
        "the line is shown, redacted:\n{shown}"
    );
    keep("/v1/running-config", shown);
    keep("/v1/status", agent.get("/v1/status").text());
    keep("/metrics", agent.health_get("/metrics").text());
    keep("/readyz", agent.health_get("/readyz").text());

    // The frr-k8s files, after an accepted and a refused configuration.
    let compat = dirs.compat();
    let read = |name: &str| fs::read_to_string(compat.join(name)).unwrap_or_default();
    fs::write(compat.join("frr.conf"), accepted('D')).unwrap();
    send_signal(agent.pid(), "-HUP");
    let (epoch, _) = wait_status(&compat, 0, |_| true);
    keep("compat running-config", read("running-config"));
    keep("compat last-error", read("last-error"));
    fs::write(compat.join("frr.conf"), refused('E')).unwrap();
    send_signal(agent.pid(), "-HUP");
    wait_status(&compat, epoch, |s| s == "failure");
    wait_for(
        Duration::from_secs(60),
        "last-error of the refused file",
        || read("last-error").starts_with("ERROR: line ").then_some(()),
    );
    for name in ["running-config", "last-error", ".status"] {
        keep(&format!("compat {name}"), read(name));
    }
    while let Ok(line) = events.next_line(Duration::from_secs(1)) {
        keep("event", line);
    }

    let (status, _) = agent
        .terminate(Duration::from_secs(60))
        .expect("the agent exits");
    assert!(status.success(), "{status}");
    assert!(agent.log_text().contains("reload"), "the log is empty");
    keep("log", agent.log_text());

    let secrets = planted(&['A', 'B', 'C', 'D', 'E']);
    let leaks: Vec<String> = seen
        .iter()
        .flat_map(|(what, text)| {
            secrets
                .iter()
                .filter(|s| text.contains(s.as_str()))
                .map(move |s| format!("{s} in {what}"))
        })
        .collect();
    assert!(leaks.is_empty(), "leaked: {leaks:#?}");
}
