//! Issue 20's predictions checked on real FRR (8.4 on the host; FRR 10 in
//! the chroot at `FRR10_ROOT`, e.g. `/opt/frr-10.4.3`): two instances in
//! network namespaces joined by a veth pair, `a` (AS 64512, 192.0.2.1)
//! and `b` (AS 64513, 192.0.2.2), one eBGP session with `timers 1 3`,
//! `timers connect 1` and `advertisement-interval 0`. Each case changes
//! `a`'s configuration by the agent's delta and compares the prediction
//! for 192.0.2.2 with the session's `connectionsDropped` counter: reset
//! when it grew, not reset otherwise. `a` goes back to the base
//! configuration between cases, and the session must be Established with
//! stable counters before each change. A second pair of instances, both
//! in AS 64512 (same addresses, own namespaces), has an iBGP session with
//! the same timers for the changes that matter on iBGP. A `soft`
//! prediction is confirmed when `a` sent the peer an update or a route
//! refresh (`messageStats`), and otherwise reported unverified, not
//! failed. CI runs a seeded subset of each story's cases (see
//! [`subset`]; `IMPACT_ALL=true` runs them all).

use std::process::Command;
use std::thread;
use std::time::Duration;

use protocol::{ApplyResult, DiffResult, Effect, Impact, Outcome, SessionKind, Trigger};
use reloader::diff::impact::impact;
use reloader::{diff, Config, FrrVersion};
use tests::agent::{wait_for, Agent, AgentDirs, AgentOptions};
use tests::fixtures::{read_status, wait_status};
use tests::frr::{require, FrrInstance, Release};

const PEER: &str = "192.0.2.2";
/// Long enough for a CEASE to be sent and counted (hold time 3 s).
const AFTER_CHANGE: Duration = Duration::from_secs(4);

const BASE_A: &str = "\
router bgp 64512
 bgp router-id 192.0.2.1
 no bgp ebgp-requires-policy
 neighbor 192.0.2.2 remote-as 64513
 neighbor 192.0.2.2 timers 1 3
 neighbor 192.0.2.2 timers connect 1
 neighbor 192.0.2.2 advertisement-interval 0
 address-family ipv4 unicast
  network 198.51.100.0/24
 exit-address-family
exit
ip route 198.51.100.0/24 blackhole
";

const B: &str = "\
router bgp 64513
 bgp router-id 192.0.2.2
 no bgp ebgp-requires-policy
 neighbor 192.0.2.1 remote-as 64512
 neighbor 192.0.2.1 timers 1 3
 neighbor 192.0.2.1 timers connect 1
 neighbor 192.0.2.1 advertisement-interval 0
exit
";

fn run(program: &str, args: &[&str]) {
    let output = Command::new(program).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn up(release: Release) -> (FrrInstance, FrrInstance) {
    let daemons = &["zebra", "bgpd", "staticd"];
    let a = FrrInstance::start(release, daemons).unwrap_or_else(|e| panic!("{e}"));
    let b = FrrInstance::start(release, daemons).unwrap_or_else(|e| panic!("{e}"));
    wire(&a, &b);
    for (frr, text) in [(&a, BASE_A), (&b, B)] {
        let loaded = frr.load(text).unwrap_or_else(|e| panic!("{e}"));
        assert!(loaded.ok(), "{}", loaded.text());
    }
    (a, b)
}

/// Joins `a` and `b` by a veth pair: 192.0.2.1 and 192.0.2.2.
fn wire(a: &FrrInstance, b: &FrrInstance) {
    let (na, nb) = (a.name().to_owned(), b.name().to_owned());
    run(
        "ip",
        &[
            "link", "add", "a0", "netns", &na, "type", "veth", "peer", "name", "b0", "netns", &nb,
        ],
    );
    for (ns, dev, addr) in [(&na, "a0", "192.0.2.1/24"), (&nb, "b0", "192.0.2.2/24")] {
        run("ip", &["-n", ns, "addr", "add", addr, "dev", dev]);
        run("ip", &["-n", ns, "link", "set", dev, "up"]);
    }
}

/// `(connectionsEstablished, connectionsDropped)` once the session is
/// Established and they stayed the same for 3 s.
fn stable_counters(a: &FrrInstance) -> (u64, u64) {
    let read = || {
        let out = a
            .vtysh_run(&["-c", &format!("show bgp neighbors {PEER} json")])
            .ok()?;
        let json: serde_json::Value = serde_json::from_str(&out.stdout).ok()?;
        let peer = &json[PEER];
        (peer["bgpState"] == "Established").then_some(())?;
        Some((
            peer["connectionsEstablished"].as_u64()?,
            peer["connectionsDropped"].as_u64()?,
        ))
    };
    wait_for(Duration::from_secs(30), "session stable for 3 s", || {
        let before = read()?;
        thread::sleep(Duration::from_secs(3));
        (read()? == before).then_some(before)
    })
}

/// Changes `a` to `desired` by the agent's delta and returns the
/// predicted BGP effect on the peer.
fn apply(a: &FrrInstance, desired: &str) -> Effect {
    let text = a.running_config().unwrap();
    // The release the instance runs, not the one the harness names it
    // (FRR10_ROOT may hold 10.4.3).
    let version = FrrVersion::detect(&text).unwrap_or(a.release().version());
    let running = Config::parse_for(&text, version).unwrap();
    let wanted = Config::parse_for(desired, version).unwrap();
    let delta = diff(&running, &wanted);
    let predicted = impact(&running, &delta, version)
        .into_iter()
        .find(|i| i.peer == PEER && i.kind == SessionKind::Bgp)
        .map_or(Effect::None, |i| i.effect);
    let applied = a.load(&delta.script).unwrap_or_else(|e| panic!("{e}"));
    assert!(applied.ok(), "{}: {}", delta.script, applied.text());
    predicted
}

#[test]
#[ignore = "needs root and FRR"]
fn predictions_match_real_frr_8_4() {
    require(Release::Frr84, "predictions_match_real_frr_8_4");
    predictions_match(Release::Frr84);
}

#[test]
#[ignore = "needs root and FRR"]
fn predictions_match_real_frr_10() {
    // frr-k8s's FRR.
    require(Release::Frr1043, "predictions_match_real_frr_10");
    predictions_match(Release::Frr1043);
}

/// In the address family: `BASE_A` with `line` added.
fn in_family(line: &str) -> String {
    let network = "  network 198.51.100.0/24\n";
    BASE_A.replacen(network, &format!("{network}  {line}\n"), 1)
}

fn predictions_match(release: Release) {
    let (a, _b) = up(release);
    let neighbor = " neighbor 192.0.2.2 remote-as 64513\n";
    let with = |line: &str| BASE_A.replacen(neighbor, &format!("{neighbor} {line}\n"), 1);
    let cases: Vec<(&str, String)> = vec![
        ("description", with("neighbor 192.0.2.2 description b")),
        ("timers", BASE_A.replace("timers 1 3", "timers 2 6")),
        (
            "update-source",
            with("neighbor 192.0.2.2 update-source 192.0.2.1"),
        ),
        ("password", with("neighbor 192.0.2.2 password S3CRET")),
        (
            "router-id",
            BASE_A.replace("router-id 192.0.2.1", "router-id 192.0.2.9"),
        ),
        ("ebgp-multihop", with("neighbor 192.0.2.2 ebgp-multihop 2")),
        ("local-as", with("neighbor 192.0.2.2 local-as 64600")),
        ("passive", with("neighbor 192.0.2.2 passive")),
        (
            "route-map in",
            BASE_A.replace(
                "  network 198.51.100.0/24\n",
                "  network 198.51.100.0/24\n  neighbor 192.0.2.2 route-map ANY in\n",
            ) + "route-map ANY permit 10\nexit\n",
        ),
        (
            "soft-reconfiguration",
            BASE_A.replace(
                "  network 198.51.100.0/24\n",
                "  network 198.51.100.0/24\n  neighbor 192.0.2.2 soft-reconfiguration inbound\n",
            ),
        ),
        (
            "network",
            BASE_A
                .replace("  network 198.51.100.0/24\n", "")
                .replace("ip route 198.51.100.0/24 blackhole\n", ""),
        ),
        ("bestpath", with("bgp bestpath as-path multipath-relax")),
        (
            "remote-as",
            BASE_A.replace("remote-as 64513", "remote-as 64514"),
        ),
        ("shutdown", with("neighbor 192.0.2.2 shutdown")),
        ("deactivate", in_family("no neighbor 192.0.2.2 activate")),
        (
            "next-hop-self",
            in_family("neighbor 192.0.2.2 next-hop-self"),
        ),
        ("weight", in_family("neighbor 192.0.2.2 weight 100")),
        ("allowas-in", in_family("neighbor 192.0.2.2 allowas-in 1")),
        (
            "extended-nexthop",
            with("neighbor 192.0.2.2 capability extended-nexthop"),
        ),
        (
            "dont-capability-negotiate",
            with("neighbor 192.0.2.2 dont-capability-negotiate"),
        ),
        (
            "neighbor graceful-restart",
            with("neighbor 192.0.2.2 graceful-restart"),
        ),
        ("bgp graceful-restart", with("bgp graceful-restart")),
        ("restart-time", with("bgp graceful-restart restart-time 60")),
        (
            "route-map out",
            in_family("neighbor 192.0.2.2 route-map ANY out") + "route-map ANY permit 10\nexit\n",
        ),
        (
            "prefix-list in",
            in_family("neighbor 192.0.2.2 prefix-list ALL in")
                + "ip prefix-list ALL seq 5 permit any\n",
        ),
        (
            "prefix-list out",
            in_family("neighbor 192.0.2.2 prefix-list ALL out")
                + "ip prefix-list ALL seq 5 permit any\n",
        ),
        (
            "send-community",
            in_family("no neighbor 192.0.2.2 send-community"),
        ),
        (
            "default-originate",
            in_family("neighbor 192.0.2.2 default-originate"),
        ),
        (
            "maximum-prefix",
            in_family("neighbor 192.0.2.2 maximum-prefix 1000"),
        ),
        (
            "remove-private-AS",
            in_family("neighbor 192.0.2.2 remove-private-AS"),
        ),
        ("as-override", in_family("neighbor 192.0.2.2 as-override")),
        (
            "timers connect",
            BASE_A.replace("timers connect 1", "timers connect 2"),
        ),
        (
            "advertisement-interval",
            BASE_A.replace("advertisement-interval 0", "advertisement-interval 1"),
        ),
        (
            "ttl-security",
            with("neighbor 192.0.2.2 ttl-security hops 1"),
        ),
        (
            "disable-connected-check",
            with("neighbor 192.0.2.2 disable-connected-check"),
        ),
        (
            "enforce-first-as",
            with("neighbor 192.0.2.2 enforce-first-as"),
        ),
        ("log-neighbor-changes", with("bgp log-neighbor-changes")),
        ("redistribute", in_family("redistribute static")),
        ("local-preference", with("bgp default local-preference 200")),
        ("solo", with("neighbor 192.0.2.2 solo")),
        (
            "capability dynamic",
            with("neighbor 192.0.2.2 capability dynamic"),
        ),
    ];
    let disagreements = compare(&a, BASE_A, &cases);
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

/// What `a` has sent the peer so far: `(updatesSent, routeRefreshSent)`
/// from `messageStats` (FRR 8.4 and 10.4.3 both print them).
fn sent(a: &FrrInstance) -> (u64, u64) {
    let stats = &neighbor_json(a)["messageStats"];
    let count = |field: &str| stats[field].as_u64().unwrap_or_else(|| panic!("{field}"));
    (count("updatesSent"), count("routeRefreshSent"))
}

/// `show bgp neighbors PEER json`, the peer's object.
fn neighbor_json(a: &FrrInstance) -> serde_json::Value {
    let out = a
        .vtysh_run(&["-c", &format!("show bgp neighbors {PEER} json")])
        .unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json[PEER].take()
}

/// Cases each story runs in CI: a seeded subset keeps the binary's time
/// there to a few minutes per release; a local run (or `IMPACT_ALL=true`)
/// runs them all.
const CI_CASES: usize = 12;

/// `cases`, or in CI [`CI_CASES`] of them, chosen by a seed that changes
/// every day (`IMPACT_SEED` sets it; it is printed, so a run can be
/// repeated).
fn subset<'c>(cases: &'c [(&'c str, String)]) -> Vec<&'c (&'c str, String)> {
    let all = std::env::var("IMPACT_ALL").is_ok_and(|v| v == "true" || v == "1");
    if all || !tests::frr::in_ci() || cases.len() <= CI_CASES {
        return cases.iter().collect();
    }
    let seed = std::env::var("IMPACT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map_or(0, |d| d.as_secs() / 86_400)
        });
    let mut keyed: Vec<(u64, &(&str, String))> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| (splitmix(seed ^ i as u64), case))
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    let chosen: Vec<_> = keyed.into_iter().take(CI_CASES).map(|(_, c)| c).collect();
    let names: Vec<&str> = chosen.iter().map(|(name, _)| *name).collect();
    eprintln!(
        "IMPACT_SEED={seed}: {} of {} cases: {names:?}",
        chosen.len(),
        cases.len()
    );
    chosen
}

/// splitmix64: a well-mixed 64-bit value of `x`.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Applies each case to `a` from `base`, one at a time, and compares the
/// prediction for the peer with what FRR did: the disagreements on reset
/// or not. A `soft` prediction is verified when `a` sent the peer an
/// update or a route refresh after the change; when it sent neither, the
/// refresh is not visible (e.g. an identical re-advertisement), and the
/// case is only reported unverified.
fn compare(a: &FrrInstance, base: &str, cases: &[(&str, String)]) -> Vec<String> {
    let mut disagreements = Vec::new();
    for (name, desired) in subset(cases) {
        apply(a, base);
        let (_, dropped) = stable_counters(a);
        let before = sent(a);
        let predicted = apply(a, desired);
        thread::sleep(AFTER_CHANGE);
        let after = sent(a);
        let reset = neighbor_json(a)["connectionsDropped"].as_u64().unwrap() > dropped;
        let refreshed = after.0 > before.0 || after.1 > before.1;
        let soft = match (predicted, reset, refreshed) {
            (Effect::Soft, false, true) => ", soft verified",
            (Effect::Soft, false, false) => ", soft unverified",
            _ => "",
        };
        eprintln!(
            "{name}: predicted {predicted:?}, reset {reset}, updates {}→{}, refreshes {}→{}{soft}",
            before.0, after.0, before.1, after.1
        );
        if reset != (predicted == Effect::Reset) {
            disagreements.push(format!("{name}: predicted {predicted:?}, reset {reset}"));
        }
    }
    disagreements
}

/// The iBGP pair: `a` and `b` both in AS 64512, the same addresses and
/// timers as the eBGP pair; `b` announces 203.0.113.0/24 so that a route
/// refresh from `a` has something to bring back.
const IBGP_A: &str = "\
router bgp 64512
 bgp router-id 192.0.2.1
 neighbor 192.0.2.2 remote-as internal
 neighbor 192.0.2.2 timers 1 3
 neighbor 192.0.2.2 timers connect 1
 neighbor 192.0.2.2 advertisement-interval 0
 address-family ipv4 unicast
  network 198.51.100.0/24
 exit-address-family
exit
ip route 198.51.100.0/24 blackhole
";

const IBGP_B: &str = "\
router bgp 64512
 bgp router-id 192.0.2.2
 neighbor 192.0.2.1 remote-as internal
 neighbor 192.0.2.1 timers 1 3
 neighbor 192.0.2.1 timers connect 1
 neighbor 192.0.2.1 advertisement-interval 0
 address-family ipv4 unicast
  network 203.0.113.0/24
 exit-address-family
exit
ip route 203.0.113.0/24 blackhole
";

#[test]
#[ignore = "needs root and FRR"]
fn ibgp_predictions_match_real_frr_8_4() {
    require(Release::Frr84, "ibgp_predictions_match_real_frr_8_4");
    ibgp_predictions_match(Release::Frr84);
}

#[test]
#[ignore = "needs root and FRR"]
fn ibgp_predictions_match_real_frr_10() {
    require(Release::Frr1043, "ibgp_predictions_match_real_frr_10");
    ibgp_predictions_match(Release::Frr1043);
}

/// `IBGP_A` with `line` added after the neighbor's `remote-as` (router
/// level) or after the `network` (address family).
fn ibgp_with(line: &str) -> String {
    let neighbor = " neighbor 192.0.2.2 remote-as internal\n";
    IBGP_A.replacen(neighbor, &format!("{neighbor} {line}\n"), 1)
}

fn ibgp_in_family(line: &str) -> String {
    let network = "  network 198.51.100.0/24\n";
    IBGP_A.replacen(network, &format!("{network}  {line}\n"), 1)
}

/// The changes that matter on an iBGP session, one at a time, on a second
/// pair of instances (AS 64512 on both sides).
fn ibgp_predictions_match(release: Release) {
    let daemons = &["zebra", "bgpd", "staticd"];
    let a = FrrInstance::start(release, daemons).unwrap_or_else(|e| panic!("{e}"));
    let b = FrrInstance::start(release, daemons).unwrap_or_else(|e| panic!("{e}"));
    wire(&a, &b);
    for (frr, text) in [(&a, IBGP_A), (&b, IBGP_B)] {
        let loaded = frr.load(text).unwrap_or_else(|e| panic!("{e}"));
        assert!(loaded.ok(), "{}", loaded.text());
    }
    let route_map = "route-map ANY permit 10\nexit\n";
    let cases: Vec<(&str, String)> = vec![
        ("description", ibgp_with("neighbor 192.0.2.2 description b")),
        (
            "route-reflector-client",
            ibgp_in_family("neighbor 192.0.2.2 route-reflector-client"),
        ),
        (
            "next-hop-self",
            ibgp_in_family("neighbor 192.0.2.2 next-hop-self"),
        ),
        (
            "next-hop-self force",
            ibgp_in_family("neighbor 192.0.2.2 next-hop-self force"),
        ),
        (
            "update-source",
            ibgp_with("neighbor 192.0.2.2 update-source 192.0.2.1"),
        ),
        ("cluster-id", ibgp_with("bgp cluster-id 192.0.2.9")),
        (
            "local-preference",
            ibgp_with("bgp default local-preference 200"),
        ),
        ("password", ibgp_with("neighbor 192.0.2.2 password S3CRET")),
        ("timers", IBGP_A.replace("timers 1 3", "timers 2 6")),
        (
            "remote-as internal to 64512",
            IBGP_A.replace("remote-as internal", "remote-as 64512"),
        ),
        (
            "addpath-tx-all-paths",
            ibgp_in_family("neighbor 192.0.2.2 addpath-tx-all-paths"),
        ),
        (
            "addpath-tx-bestpath-per-AS",
            ibgp_in_family("neighbor 192.0.2.2 addpath-tx-bestpath-per-AS"),
        ),
        (
            "attribute-unchanged next-hop",
            ibgp_in_family("neighbor 192.0.2.2 attribute-unchanged next-hop"),
        ),
        // iBGP peers keep their TTL: bgpd only sets the minimum TTL.
        (
            "ttl-security",
            ibgp_with("neighbor 192.0.2.2 ttl-security hops 1"),
        ),
        (
            "ebgp-multihop",
            ibgp_with("neighbor 192.0.2.2 ebgp-multihop 2"),
        ),
        (
            "send-community",
            ibgp_in_family("no neighbor 192.0.2.2 send-community"),
        ),
        (
            "soft-reconfiguration",
            ibgp_in_family("neighbor 192.0.2.2 soft-reconfiguration inbound"),
        ),
        (
            "route-map in",
            ibgp_in_family("neighbor 192.0.2.2 route-map ANY in") + route_map,
        ),
        (
            "route-map out",
            ibgp_in_family("neighbor 192.0.2.2 route-map ANY out") + route_map,
        ),
        // A policy that changes what is sent: the refresh shows as updates.
        (
            "route-map out setting the MED",
            ibgp_in_family("neighbor 192.0.2.2 route-map MED out")
                + "route-map MED permit 10\n set metric 5\nexit\n",
        ),
        (
            "bestpath",
            ibgp_with("bgp bestpath as-path multipath-relax"),
        ),
        (
            "router-id",
            IBGP_A.replace("router-id 192.0.2.1", "router-id 192.0.2.9"),
        ),
    ];
    let disagreements = compare(&a, IBGP_A, &cases);
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

const BFD_A: &str = "\
bfd
 profile P
  receive-interval 200
 exit
 peer 192.0.2.2 interface a0
  profile P
 exit
exit
";

const BFD_B: &str = "\
bfd
 peer 192.0.2.1 interface b0
 exit
exit
";

/// The BFD session's `session-down` counter, or `None` when it is not up.
fn bfd_downs(a: &FrrInstance) -> Option<u64> {
    let out = a.vtysh_run(&["-c", "show bfd peers json"]).ok()?;
    let peers: serde_json::Value = serde_json::from_str(&out.stdout).ok()?;
    let up = peers
        .as_array()?
        .iter()
        .any(|p| p["peer"] == PEER && p["status"] == "up");
    up.then_some(())?;
    let out = a.vtysh_run(&["-c", "show bfd peers counters json"]).ok()?;
    let counters: serde_json::Value = serde_json::from_str(&out.stdout).ok()?;
    counters.as_array()?.iter().find(|p| p["peer"] == PEER)?["session-down"].as_u64()
}

/// Changes `a` to `desired` and returns the predicted effect on the BFD
/// session with the peer.
fn apply_bfd(a: &FrrInstance, desired: &str) -> Effect {
    let text = a.running_config().unwrap();
    let version = FrrVersion::detect(&text).unwrap_or(a.release().version());
    let running = Config::parse_for(&text, version).unwrap();
    let delta = diff(&running, &Config::parse_for(desired, version).unwrap());
    let predicted = impact(&running, &delta, version)
        .into_iter()
        .find(|i| i.peer == PEER && i.kind == SessionKind::Bfd)
        .map_or(Effect::None, |i| i.effect);
    let applied = a.load(&delta.script).unwrap_or_else(|e| panic!("{e}"));
    assert!(applied.ok(), "{}: {}", delta.script, applied.text());
    predicted
}

#[test]
#[ignore = "needs root and FRR"]
fn bfd_predictions_match_real_frr_8_4() {
    require(Release::Frr84, "bfd_predictions_match_real_frr_8_4");
    bfd_predictions_match(Release::Frr84);
}

#[test]
#[ignore = "needs root and FRR"]
fn bfd_predictions_match_real_frr_10() {
    require(Release::Frr1043, "bfd_predictions_match_real_frr_10");
    bfd_predictions_match(Release::Frr1043);
}

/// A single-hop BFD session (bfdd only, no BGP): `a`'s uses profile `P`.
fn bfd_predictions_match(release: Release) {
    let daemons = &["zebra", "bfdd"];
    let a = FrrInstance::start(release, daemons).unwrap_or_else(|e| panic!("{e}"));
    let b = FrrInstance::start(release, daemons).unwrap_or_else(|e| panic!("{e}"));
    wire(&a, &b);
    for (frr, text) in [(&a, BFD_A), (&b, BFD_B)] {
        let loaded = frr.load(text).unwrap_or_else(|e| panic!("{e}"));
        assert!(loaded.ok(), "{}", loaded.text());
    }
    let cases = [
        (
            "profile timers",
            BFD_A.replace("receive-interval 200", "receive-interval 100"),
        ),
        (
            "peer timers",
            BFD_A.replace("  profile P\n", "  profile P\n  transmit-interval 150\n"),
        ),
        (
            "peer shutdown",
            BFD_A.replace("  profile P\n", "  profile P\n  shutdown\n"),
        ),
        (
            "profile shutdown",
            BFD_A.replace(
                "receive-interval 200\n",
                "receive-interval 200\n  shutdown\n",
            ),
        ),
        (
            "peer removed",
            BFD_A.replace(" peer 192.0.2.2 interface a0\n  profile P\n exit\n", ""),
        ),
    ];
    let mut disagreements = Vec::new();
    for (name, desired) in &cases {
        apply_bfd(&a, BFD_A);
        let downs = wait_for(Duration::from_secs(30), "BFD up and stable", || {
            let before = bfd_downs(&a)?;
            thread::sleep(Duration::from_secs(3));
            (bfd_downs(&a)? == before).then_some(before)
        });
        let predicted = apply_bfd(&a, desired);
        thread::sleep(AFTER_CHANGE);
        // Down, gone or counted down since: reset.
        let reset = bfd_downs(&a).is_none_or(|now| now > downs);
        eprintln!("bfd {name}: predicted {predicted:?}, reset {reset}");
        if reset != (predicted == Effect::Reset) {
            disagreements.push(format!("{name}: predicted {predicted:?}, reset {reset}"));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

// ---------------------------------------------------------------------------
// The guard, through the agent: `maxImpact`, `--max-impact`, the compat files
// ---------------------------------------------------------------------------

/// `connectionsDropped` of the session now.
fn dropped(a: &FrrInstance) -> u64 {
    let out = a
        .vtysh_run(&["-c", &format!("show bgp neighbors {PEER} json")])
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json[PEER]["connectionsDropped"].as_u64().unwrap()
}

#[test]
#[ignore = "needs root and FRR"]
fn the_guard_keeps_sessions_up_frr_8_4() {
    require(Release::Frr84, "the_guard_keeps_sessions_up_frr_8_4");
    the_guard_keeps_sessions_up(Release::Frr84);
}

#[test]
#[ignore = "needs root and FRR"]
fn the_guard_keeps_sessions_up_frr_10() {
    require(Release::Frr1043, "the_guard_keeps_sessions_up_frr_10");
    the_guard_keeps_sessions_up(Release::Frr1043);
}

/// An agent in compat mode with `--max-impact soft` serves `a`. A change
/// that resets the session is predicted by `POST /v1/diff`, refused by
/// `PUT ?maxImpact=soft` (409, nothing applied, the session not reset),
/// refused from `frr.conf` + SIGHUP (`.status` failure, `last-error`
/// names the peer, a re-sent identical file writes no new epoch), and
/// not applied by an agent restart; with `?maxImpact=reset` it goes
/// through, the session is reset as predicted, and the result says so.
fn the_guard_keeps_sessions_up(release: Release) {
    let (a, _b) = up(release);
    let dirs = AgentDirs::new();
    let options = AgentOptions {
        extra: vec!["--max-impact".into(), "soft".into()],
        ..AgentOptions::compat()
    };
    let mut agent = Agent::start(&a, &dirs, &options);
    let resets = BASE_A.replacen(
        " neighbor 192.0.2.2 remote-as 64513\n",
        " neighbor 192.0.2.2 remote-as 64513\n neighbor 192.0.2.2 update-source 192.0.2.1\n",
        1,
    );
    // What runs now: the base, through the agent (no session to reset:
    // it is the same).
    let base = agent.put_config(BASE_A);
    assert_eq!(base.status, 200, "{}", base.text());
    stable_counters(&a);
    let running = a.running_config().unwrap();
    let before = dropped(&a);

    // The prediction, without applying.
    let diff = agent
        .request("POST", "/v1/diff", Some("text/plain"), resets.as_bytes())
        .unwrap();
    assert_eq!(diff.status, 200, "{}", diff.text());
    let diff: DiffResult = diff.json();
    let expected = vec![Impact {
        peer: PEER.into(),
        vrf: "default".into(),
        kind: SessionKind::Bgp,
        effect: Effect::Reset,
        because: vec!["neighbor 192.0.2.2 update-source 192.0.2.1".into()],
    }];
    assert_eq!(diff.impact, expected, "{:?}", diff.delta.script);

    // From frr.conf + SIGHUP: failure, the peer named; the same file again
    // writes no new epoch.
    let compat = dirs.compat();
    let (epoch, word) = read_status(&compat).expect(".status after the first reload");
    assert_eq!(word, "success");
    std::fs::write(compat.join("frr.conf"), &resets).unwrap();
    agent.signal("-HUP");
    let (refused_at, _) = wait_status(&compat, epoch, |w| w == "failure");
    let last_error = std::fs::read_to_string(compat.join("last-error")).unwrap();
    assert!(
        last_error.starts_with("ERROR: refused")
            && last_error.contains("ERROR: reset bgp 192.0.2.2 vrf default"),
        "{last_error}"
    );
    agent.signal("-HUP");
    thread::sleep(Duration::from_secs(2));
    assert_eq!(read_status(&compat).unwrap().0, refused_at, "a new epoch");

    // Refused by the request's limit and by the agent's.
    for path in ["/v1/config?maxImpact=soft", "/v1/config"] {
        let answer = agent
            .request("PUT", path, Some("text/plain"), resets.as_bytes())
            .unwrap();
        assert_eq!(answer.status, 409, "{path}: {}", answer.text());
        let result: ApplyResult = answer.json();
        assert_eq!(result.outcome, Outcome::ImpactRefused);
        assert_eq!(result.impact, expected);
        assert_eq!(result.reload.passes, 0);
    }
    let bad = agent
        .request(
            "PUT",
            "/v1/config?maxImpact=hard",
            Some("text/plain"),
            resets.as_bytes(),
        )
        .unwrap();
    assert_eq!(bad.status, 400, "{}", bad.text());

    // An agent restart does not apply it either.
    agent
        .terminate(Duration::from_secs(10))
        .expect("the agent stops");
    let mut agent = Agent::start(&a, &dirs, &options);
    wait_for(Duration::from_secs(30), "the start's reload", || {
        let status = agent.status();
        status.last_result.filter(|r| r.trigger == Trigger::Compat)
    });
    assert_eq!(
        agent.status().last_result.unwrap().outcome,
        Outcome::ImpactRefused
    );
    thread::sleep(AFTER_CHANGE);
    assert_eq!(a.running_config().unwrap(), running, "FRR was changed");
    assert_eq!(dropped(&a), before, "a session was reset while refused");

    // Allowed: applied, reset as predicted, and said so.
    let answer = agent
        .request(
            "PUT",
            "/v1/config?maxImpact=reset",
            Some("text/plain"),
            resets.as_bytes(),
        )
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text());
    let result: ApplyResult = answer.json();
    assert_eq!(result.impact, expected);
    thread::sleep(AFTER_CHANGE);
    assert!(dropped(&a) > before, "predicted a reset, none seen");
    assert!(agent.try_wait().is_none());

    // The plain `diff` back to the base: its summary is `!` comments,
    // which `vtysh -f` reads past.
    let desired = dirs.compat().join("base.conf");
    std::fs::write(&desired, BASE_A).unwrap();
    let output = Command::new(tests::agent::binary())
        .args(["diff", "-N", a.name(), "--vtysh"])
        .arg(a.vtysh().program)
        .arg(&desired)
        .output()
        .unwrap();
    let script = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        script.starts_with("! impact: 1 session(s) reset, 0 refreshed\n! reset bgp 192.0.2.2 vrf default: no neighbor 192.0.2.2 update-source"),
        "{script}"
    );
    let applied = a.load(&script).unwrap();
    assert!(applied.ok(), "{}", applied.text());
    assert_eq!(a.running_config().unwrap(), running);
}
