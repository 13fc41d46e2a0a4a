//! Issue 20's predictions checked on real FRR (8.4 on the host; FRR 10 in
//! the chroot at `FRR10_ROOT`, e.g. `/opt/frr-10.4.3`): two instances in
//! network namespaces joined by a veth pair, `a` (AS 64512, 192.0.2.1)
//! and `b` (AS 64513, 192.0.2.2), one eBGP session with `timers 1 3`,
//! `timers connect 1` and `advertisement-interval 0`. Each case changes
//! `a`'s configuration by the agent's delta and compares the prediction
//! for 192.0.2.2 with the session's `connectionsDropped` counter: reset
//! when it grew, not reset otherwise. `a` goes back to the base
//! configuration between cases, and the session must be Established with
//! stable counters before each change.

use std::process::Command;
use std::thread;
use std::time::Duration;

use protocol::{Effect, SessionKind};
use reloader::diff::impact::impact;
use reloader::{diff, Config, FrrVersion};
use tests::agent::wait_for;
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
    let cases: Vec<(&str, String)> =
        vec![
        ("description", with("neighbor 192.0.2.2 description b")),
        ("timers", BASE_A.replace("timers 1 3", "timers 2 6")),
        ("update-source", with("neighbor 192.0.2.2 update-source 192.0.2.1")),
        ("password", with("neighbor 192.0.2.2 password S3CRET")),
        ("router-id", BASE_A.replace("router-id 192.0.2.1", "router-id 192.0.2.9")),
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
            BASE_A.replace("  network 198.51.100.0/24\n", "")
                .replace("ip route 198.51.100.0/24 blackhole\n", ""),
        ),
        ("bestpath", with("bgp bestpath as-path multipath-relax")),
        ("remote-as", BASE_A.replace("remote-as 64513", "remote-as 64514")),
        ("shutdown", with("neighbor 192.0.2.2 shutdown")),
        ("deactivate", in_family("no neighbor 192.0.2.2 activate")),
        ("next-hop-self", in_family("neighbor 192.0.2.2 next-hop-self")),
        ("weight", in_family("neighbor 192.0.2.2 weight 100")),
        ("allowas-in", in_family("neighbor 192.0.2.2 allowas-in 1")),
        ("extended-nexthop", with("neighbor 192.0.2.2 capability extended-nexthop")),
        ("dont-capability-negotiate", with("neighbor 192.0.2.2 dont-capability-negotiate")),
        ("neighbor graceful-restart", with("neighbor 192.0.2.2 graceful-restart")),
        ("bgp graceful-restart", with("bgp graceful-restart")),
        ("restart-time", with("bgp graceful-restart restart-time 60")),
    ];
    let mut disagreements = Vec::new();
    for (name, desired) in &cases {
        apply(&a, BASE_A);
        let (_, dropped) = stable_counters(&a);
        let predicted = apply(&a, desired);
        thread::sleep(AFTER_CHANGE);
        let out = a
            .vtysh_run(&["-c", &format!("show bgp neighbors {PEER} json")])
            .unwrap();
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let reset = json[PEER]["connectionsDropped"].as_u64().unwrap() > dropped;
        eprintln!("{name}: predicted {predicted:?}, reset {reset}");
        if reset != (predicted == Effect::Reset) {
            disagreements.push(format!("{name}: predicted {predicted:?}, reset {reset}"));
        }
    }
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
