//! End to end: importing a peer's BGP routes into a node, the way frr-k8s
//! users do, on real FRR (each release of `FRA_RELEASES`: 8.4 on the host,
//! FRR 10 in its chroot) in two network namespaces joined by a veth pair:
//! `node` (FRR + the agent, AS 64512) and `router` (AS 64600, with
//! `examples/quickstart/router.conf`: a default route, 198.51.100.0/24,
//! 203.0.113.128/25 and 2001:db8:100::/48, over an IPv4 and an IPv6
//! session). The node's configurations are `examples/quickstart/node-*.conf`,
//! shaped as frr-k8s renders them for MetalLB:
//!
//! 1. deny: sessions Established, the router learned the LoadBalancer IPs,
//!    no `proto bgp` route in the node's kernel;
//! 2. receive all: the same sessions (not reset), the router's prefixes in
//!    the node's BGP table and kernel (IPv4 and IPv6), a small delta;
//! 3. filtered, then deny again: the kernel routes follow.
//!
//! The scenario runs twice: through the socket API, and through the
//! frr-k8s compatibility files + SIGHUP. Every step's result must also
//! arrive on the event stream. Then the route monitor: services come and
//! go, through the serving agent and the one-shot, and the router's kernel
//! never loses the service kept. Namespaces and processes are removed also
//! on failure (the harness's and the agent's `Drop`).
//!
//! Needs root and FRR: ignored unless asked for (see scripts/test.sh).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use protocol::{ApplyResult, Outcome};
use tests::agent::{send_signal, wait_for, Agent, AgentDirs, AgentOptions, Events};
use tests::fixtures::{read_status, sha256_hex};
use tests::frr::{releases, require, FrrInstance, Release};

const NEIGHBOR4: &str = "192.0.2.2";
const NEIGHBOR6: &str = "2001:db8::2";
/// Time for routes and sessions to follow (FRR's route-map update delay
/// is 5 s by default).
const SETTLE: Duration = Duration::from_secs(40);
/// How long a session must have been Established before its connection
/// count is taken ([`Topology::established`]).
const STEADY: Duration = Duration::from_secs(3);

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/quickstart")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The node's address of the session with the router's `neighbor`.
fn router_side(neighbor: &str) -> &'static str {
    match neighbor {
        NEIGHBOR4 => "192.0.2.1",
        _ => "2001:db8::1",
    }
}

/// The two FRR instances, wired.
struct Topology {
    node: FrrInstance,
    router: FrrInstance,
}

impl Topology {
    fn up(release: Release) -> Topology {
        let daemons = &["zebra", "bgpd", "staticd"];
        let mut node = FrrInstance::start(release, daemons).unwrap_or_else(|e| panic!("{e}"));
        // As in a pod, where the agent and FRR share `/var/run/frr`.
        node.expose_sockets().unwrap_or_else(|e| panic!("{e}"));
        let router = FrrInstance::start(release, daemons).unwrap_or_else(|e| panic!("{e}"));
        // Interface names are per namespace: fixed names cannot clash.
        run(
            "ip",
            &[
                "link",
                "add",
                "n0",
                "netns",
                node.name(),
                "type",
                "veth",
                "peer",
                "name",
                "r0",
                "netns",
                router.name(),
            ],
        );
        for (ns, dev, v4, v6) in [
            (node.name(), "n0", "192.0.2.1/24", "2001:db8::1/64"),
            (router.name(), "r0", "192.0.2.2/24", "2001:db8::2/64"),
        ] {
            run("ip", &["-n", ns, "addr", "add", v4, "dev", dev]);
            run(
                "ip",
                &["-n", ns, "-6", "addr", "add", v6, "dev", dev, "nodad"],
            );
            run("ip", &["-n", ns, "link", "set", dev, "up"]);
        }
        let loaded = router
            .load(&example("router.conf"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(loaded.ok(), "router.conf: {}", loaded.text());
        Topology { node, router }
    }

    fn vtysh(frr: &FrrInstance, command: &str) -> String {
        let out = frr
            .vtysh_run(&["-c", command])
            .unwrap_or_else(|e| panic!("{e}"));
        out.stdout
    }

    /// The established-connection count of a session, once both sides
    /// have had it Established for [`STEADY`]. Right after the node's
    /// first configuration, both sides may open a connection at once: the
    /// router, whose BGP identifier is the higher, then keeps its own and
    /// closes the node's (RFC 4271 6.8), even after the node saw that one
    /// Established. A count read in that window would count a reset no
    /// reload made (CI once saw 2 for 1 after step 2, on an unchanged
    /// session's delta of prefix-lists).
    fn established(&self, neighbor: &str) -> u64 {
        let up = |frr: &FrrInstance, address: &str| {
            let json: serde_json::Value = serde_json::from_str(&Self::vtysh(
                frr,
                &format!("show bgp neighbors {address} json"),
            ))
            .ok()?;
            let peer = &json[address];
            let steady = peer["bgpState"] == "Established"
                && peer["bgpTimerUpMsec"].as_u64()? >= STEADY.as_millis() as u64;
            steady.then(|| peer["connectionsEstablished"].as_u64())?
        };
        wait_for(
            SETTLE,
            &format!("session with {neighbor} Established for {STEADY:?} on both sides"),
            || {
                up(&self.router, router_side(neighbor))?;
                up(&self.node, neighbor)
            },
        )
    }

    /// What each side says of a session's resets (`show bgp neighbors`:
    /// connections established and dropped, the last reset and its cause),
    /// for a failure to explain itself.
    fn resets(&self, neighbor: &str) -> String {
        [
            (&self.node, neighbor),
            (&self.router, router_side(neighbor)),
        ]
        .iter()
        .map(|(frr, address)| {
            let text = Self::vtysh(frr, &format!("show bgp neighbors {address}"));
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| {
                    ["Connections established", "Last reset", "NOTIFICATION"]
                        .iter()
                        .any(|k| l.contains(k))
                })
                .collect();
            format!("{} on {address}: {}", frr.name(), lines.join("; "))
        })
        .collect::<Vec<_>>()
        .join("\n")
    }

    /// Fails when a session was reset since it counted `up` connections;
    /// `when` names the step.
    fn assert_not_reset(&self, neighbor: &str, up: u64, when: &str) {
        let now = self.established(neighbor);
        assert_eq!(
            now,
            up,
            "{}: session with {neighbor} reset ({when}):\n{}",
            self.node.release(),
            self.resets(neighbor)
        );
    }

    /// The node kernel's `proto bgp` destinations of a family, sorted.
    fn kernel_routes(&self, family: &str) -> Vec<String> {
        let out = run(
            "ip",
            &[
                "-n",
                self.node.name(),
                family,
                "route",
                "show",
                "proto",
                "bgp",
            ],
        );
        let mut routes: Vec<String> = out
            .lines()
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .collect();
        routes.sort();
        routes
    }

    fn wait_kernel(&self, family: &str, want: &[&str]) {
        wait_for(
            SETTLE,
            &format!("node kernel {family} proto bgp routes = {want:?}"),
            || (self.kernel_routes(family) == want).then_some(()),
        );
    }

    /// Prefixes in the node's BGP table of `afi` learned from the router.
    fn bgp_learned(&self, afi: &str) -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&Self::vtysh(
            &self.node,
            &format!("show bgp {afi} unicast json"),
        ))
        .unwrap_or_default();
        let mut learned: Vec<String> = json["routes"]
            .as_object()
            .map(|routes| {
                routes
                    .iter()
                    .filter(|(_, paths)| {
                        paths
                            .as_array()
                            .is_some_and(|p| p.iter().any(|p| p["path"].as_str() == Some("64600")))
                    })
                    .map(|(prefix, _)| prefix.clone())
                    .collect()
            })
            .unwrap_or_default();
        learned.sort();
        learned
    }
}

/// How the controller talks to the agent.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Api,
    Compat,
}

struct Controller<'a> {
    mode: Mode,
    agent: &'a Agent,
    dirs: &'a AgentDirs,
    epoch: u64,
}

impl Controller<'_> {
    /// Hands a configuration to the agent; returns what it says of it.
    fn apply(&mut self, config: &str) -> ApplyResult {
        match self.mode {
            Mode::Api => {
                let response = self.agent.put_config(config);
                assert_eq!(response.status, 200, "{}", response.text());
                response.json()
            }
            Mode::Compat => {
                // As frr-k8s does: write in place, SIGHUP the pid in the
                // pid file, poll `.status` for a new timestamp.
                let compat = self.dirs.compat();
                std::fs::write(compat.join("frr.conf"), config).expect("write frr.conf");
                let pid = std::fs::read_to_string(compat.join("reloader.pid")).expect("pid file");
                send_signal(pid.parse().expect("digits only"), "-HUP");
                // A `.status` newer than the last one seen can still be
                // the answer to the previous file (its SIGHUP): wait for
                // the one whose result is this configuration's.
                let previous = self.epoch;
                let sha256 = sha256_hex(config);
                let (epoch, word, result) = wait_for(SETTLE, "a new .status for this file", || {
                    let (epoch, word) = read_status(&compat)?;
                    let result = self.agent.status().last_result?;
                    (epoch > previous && result.sha256 == sha256).then_some((epoch, word, result))
                });
                self.epoch = epoch;
                let error = std::fs::read_to_string(compat.join("last-error")).unwrap();
                assert_eq!(word, "success", "last-error: {error}");
                assert_eq!(error, "", "last-error after a success");
                let running = std::fs::read_to_string(compat.join("running-config")).unwrap();
                assert!(
                    running.contains("router bgp 64512"),
                    "running-config: {running}"
                );
                result
            }
        }
    }
}

/// Reads events until the result of the configuration with `sha256`.
fn event_for(events: &mut Events, sha256: &str) -> ApplyResult {
    loop {
        let line = events
            .next_line(SETTLE)
            .unwrap_or_else(|e| panic!("no event for {sha256}: {e}"));
        let Ok(result) = serde_json::from_str::<ApplyResult>(&line) else {
            continue;
        };
        if result.sha256 == sha256 && result.outcome != Outcome::Superseded {
            return result;
        }
    }
}

fn scenario(release: Release, mode: Mode) {
    let topology = Topology::up(release);
    let dirs = AgentDirs::new();
    let options = AgentOptions {
        compat: matches!(mode, Mode::Compat),
        ..AgentOptions::default()
    };
    let agent = Agent::start(&topology.node, &dirs, &options);
    let mut events = agent.events();
    let mut controller = Controller {
        mode,
        agent: &agent,
        dirs: &dirs,
        epoch: 0,
    };
    let mut step = |name: &str| {
        let config = example(name);
        let result = controller.apply(&config);
        assert_eq!(
            result.outcome,
            Outcome::Converged,
            "{name}: {}",
            result.last_reload_result
        );
        // The first event of this configuration is its reload (in compat
        // mode a second SIGHUP would be answered from the first, with an
        // empty delta).
        let event = event_for(&mut events, &result.sha256);
        assert_eq!(event.outcome, Outcome::Converged, "{name}: event");
        assert!(
            !event.cached,
            "{name}: the first event is the reload itself"
        );
        event
    };

    // Step 1: the controller's config.
    step("node-1-deny.conf");
    let up4 = topology.established(NEIGHBOR4);
    let up6 = topology.established(NEIGHBOR6);
    wait_for(SETTLE, "the router learned 203.0.113.10/32", || {
        Topology::vtysh(&topology.router, "show bgp ipv4 unicast 203.0.113.10/32")
            .contains("192.0.2.1")
            .then_some(())
    });
    wait_for(SETTLE, "the router learned 2001:db8:ff::10/128", || {
        Topology::vtysh(
            &topology.router,
            "show bgp ipv6 unicast 2001:db8:ff::10/128",
        )
        .contains("2001:db8::1")
        .then_some(())
    });
    // The router advertises its routes; give them time to arrive (and be
    // denied) before checking that the kernel has none.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(topology.kernel_routes("-4"), Vec::<String>::new());
    assert_eq!(topology.kernel_routes("-6"), Vec::<String>::new());

    // Step 2: receive all.
    let result = step("node-2-receive-all.conf");
    let stats = &result.delta.stats;
    assert_eq!(
        stats.deletes, 0,
        "receive all deletes nothing: {}",
        result.delta.script
    );
    assert!(
        (4..=6).contains(&stats.adds),
        "a handful of lines, not a rebuild: {}",
        result.delta.script
    );
    topology.wait_kernel("-4", &["198.51.100.0/24", "203.0.113.128/25", "default"]);
    topology.wait_kernel("-6", &["2001:db8:100::/48", "default"]);
    assert_eq!(
        topology.bgp_learned("ipv4"),
        ["0.0.0.0/0", "198.51.100.0/24", "203.0.113.128/25"]
    );
    assert_eq!(topology.bgp_learned("ipv6"), ["2001:db8:100::/48", "::/0"]);
    topology.assert_not_reset(NEIGHBOR4, up4, "receive all");
    topology.assert_not_reset(NEIGHBOR6, up6, "receive all");

    // Step 3: filtered, then deny again.
    step("node-3-filtered.conf");
    topology.wait_kernel("-4", &["198.51.100.0/24"]);
    topology.wait_kernel("-6", &["2001:db8:100::/48"]);
    step("node-1-deny.conf");
    topology.wait_kernel("-4", &[]);
    topology.wait_kernel("-6", &[]);
    topology.assert_not_reset(NEIGHBOR4, up4, "filtered, then deny");
    topology.assert_not_reset(NEIGHBOR6, up6, "filtered, then deny");

    let status = agent.status();
    assert!(status.converged);
    assert_eq!(status.last_reload_result, "success");
    assert_eq!(
        status.desired_sha256,
        sha256_hex(&example("node-1-deny.conf"))
    );
}

#[test]
#[ignore = "needs root and FRR"]
fn receive_routes_through_the_socket_api() {
    for release in releases() {
        require(release, "receive_routes_through_the_socket_api");
        scenario(release, Mode::Api);
    }
}

#[test]
#[ignore = "needs root and FRR"]
fn receive_routes_through_the_frr_k8s_files() {
    for release in releases() {
        require(release, "receive_routes_through_the_frr_k8s_files");
        scenario(release, Mode::Compat);
    }
}

/// The last octets of the services of
/// [`never_withdrawn_while_services_come_and_go`]: 120, so that adding them
/// takes 120 prefix-list lines, enough for the agent to split the script
/// over the daemons (`vtysh -d DAEMON -f` each, side by side:
/// `reloader/src/frr/command.rs`, from 100 list lines on).
fn services() -> std::ops::Range<u32> {
    20..140
}

/// `node-1-deny.conf` advertising the [`services`] besides
/// 203.0.113.10/32, each allowed by its own prefix-list entry.
fn with_services() -> String {
    let one = example("node-1-deny.conf");
    let networks: String = services()
        .map(|i| format!("    network 203.0.113.{i}/32\n"))
        .collect();
    let entries: String = services()
        .map(|i| {
            format!(
                "ip prefix-list 192.0.2.2-allowed-ipv4 seq {} permit 203.0.113.{i}/32\n",
                i + 2
            )
        })
        .collect();
    let kept = "ip prefix-list 192.0.2.2-allowed-ipv4 seq 1 permit 203.0.113.10/32\n";
    one.replace(
        "    network 203.0.113.10/32\n",
        &format!("    network 203.0.113.10/32\n{networks}"),
    )
    .replace(kept, &format!("{kept}{entries}"))
}

/// The routes the router's kernel deleted while `change` ran and FRR
/// settled after it (past bgpd's route-map delay timer, 5 s), as `ip
/// monitor route` printed them.
fn deleted_during(topology: &Topology, change: impl FnOnce()) -> Vec<String> {
    let mut monitor = Command::new("ip")
        .args(["-n", topology.router.name(), "monitor", "route"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("ip monitor route");
    std::thread::sleep(Duration::from_millis(300));
    change();
    std::thread::sleep(Duration::from_secs(7));
    monitor.kill().expect("stop ip monitor");
    let mut seen = String::new();
    std::io::Read::read_to_string(&mut monitor.stdout.take().expect("piped"), &mut seen)
        .expect("read ip monitor");
    let _ = monitor.wait();
    seen.lines()
        .filter(|l| l.starts_with("Deleted "))
        .map(str::to_owned)
        .collect()
}

/// The node's services the router has: the 203.0.113.0/24 prefixes in its
/// BGP table with a path from the node's AS.
fn router_services(topology: &Topology) -> BTreeSet<String> {
    let json: serde_json::Value = serde_json::from_str(&Topology::vtysh(
        &topology.router,
        "show bgp ipv4 unicast json",
    ))
    .unwrap_or_default();
    json["routes"]
        .as_object()
        .map(|routes| {
            routes
                .iter()
                .filter(|(prefix, paths)| {
                    prefix.starts_with("203.0.113.")
                        && paths
                            .as_array()
                            .is_some_and(|p| p.iter().any(|p| p["path"].as_str() == Some("64512")))
                })
                .map(|(prefix, _)| prefix.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until the router has exactly the node's services of `text`.
fn wait_services(topology: &Topology, text: &str) {
    let want: BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("network 203.0.113."))
        .map(|rest| format!("203.0.113.{rest}"))
        .collect();
    wait_for(
        SETTLE,
        &format!("the router has the node's {} services", want.len()),
        || (router_services(topology) == want).then_some(()),
    );
}

/// A one-shot `frr-reload-agent reload --json` of `text` on the node,
/// keeping what it keeps in `cache`: its result.
fn one_shot(topology: &Topology, cache: &Path, text: &str) -> ApplyResult {
    let vtysh = topology.node.vtysh().program;
    tests::agent::one_shot_reload(&topology.node, &vtysh, cache, text, &[])
}

/// The node adds 120 services to the one it advertises and then drops
/// them again (a mass delete), through the serving agent and then through
/// one-shot runs, on each release. The agent's ways of being fast must
/// never cost a route: the service kept is never withdrawn from the
/// router's kernel, and the session is never reset. They are, in turn:
/// - adding the services: 120 prefix-list lines, a script split over the
///   daemons;
/// - the mass delete: the allowed prefix-list deleted whole and its kept
///   entry re-added back to back (one command for FRR instead of 120);
/// - serving: each delta computed against the agent's own last read, FRR's
///   check started ahead, direct reads where proven;
/// - the one-shot: each run's first delta computed against the read the
///   run before kept.
#[test]
#[ignore = "needs root and FRR"]
fn never_withdrawn_while_services_come_and_go() {
    for release in releases() {
        require(release, "never_withdrawn_while_services_come_and_go");
        services_come_and_go(release);
    }
}

fn services_come_and_go(release: Release) {
    let topology = Topology::up(release);
    let dirs = AgentDirs::new();
    let agent = Agent::start(&topology.node, &dirs, &AgentOptions::default());
    let mut controller = Controller {
        mode: Mode::Api,
        agent: &agent,
        dirs: &dirs,
        epoch: 0,
    };
    let first = controller.apply(&example("node-1-deny.conf"));
    assert_eq!(
        first.outcome,
        Outcome::Converged,
        "{release}: {}",
        first.last_reload_result
    );
    wait_services(&topology, &example("node-1-deny.conf"));
    let up = topology.established(NEIGHBOR4);
    come_and_go(&topology, release, "serving", &mut |text| {
        controller.apply(text)
    });
    topology.assert_not_reset(NEIGHBOR4, up, "serving");

    // The one-shot, on its own: the serving agent would put back its own
    // configuration at its next resync.
    drop(agent);
    let cache = topology.node.private_dir().join("one-shot-cache");
    // A first run keeps the read the next one starts from.
    let first = one_shot(&topology, &cache, &example("node-1-deny.conf"));
    assert_eq!(
        first.outcome,
        Outcome::Converged,
        "{release}: {}",
        first.last_reload_result
    );
    come_and_go(&topology, release, "one-shot", &mut |text| {
        let result = one_shot(&topology, &cache, text);
        assert!(
            result.reload.reused_read,
            "{release}: the kept read was not taken up"
        );
        result
    });
    topology.assert_not_reset(NEIGHBOR4, up, "one-shot");
}

/// The changes of [`never_withdrawn_while_services_come_and_go`], from
/// `node-1-deny.conf` and back, each made by `apply` with the router's
/// kernel watched:
/// 1. the 120 [`services`] added (a script split over the daemons): no
///    route is deleted;
/// 2. one of them removed (two commands: typed into the session on FRR
///    8.4 when serving, through `vtysh -f` otherwise): that one alone is
///    deleted;
/// 3. the others deleted at once (the prefix-list rebuilt back to back):
///    they are deleted, and 203.0.113.10/32 never is.
fn come_and_go(
    topology: &Topology,
    release: Release,
    how: &str,
    apply: &mut dyn FnMut(&str) -> ApplyResult,
) {
    let mut step = |what: &str, text: &str, check: &dyn Fn(&ApplyResult)| -> Vec<String> {
        let deleted = deleted_during(topology, || {
            let result = apply(text);
            assert_eq!(
                result.outcome,
                Outcome::Converged,
                "{release}, {how}, {what}: {}",
                result.last_reload_result
            );
            check(&result);
            wait_services(topology, text);
        });
        assert!(
            !deleted.iter().any(|l| l.contains("203.0.113.10 ")),
            "{release}, {how}, {what}: the kept service was withdrawn from the router:\n{}",
            deleted.join("\n")
        );
        deleted
    };
    let many = with_services();
    let deleted = step("services added", &many, &|result| {
        let lists = result.delta.script.matches("ip prefix-list").count();
        assert!(
            lists >= 120,
            "{release}: {lists} list lines, too few to split"
        );
    });
    assert!(
        deleted.is_empty(),
        "{release}, {how}: routes deleted while services were added:\n{}",
        deleted.join("\n")
    );
    let fewer = many.replace("    network 203.0.113.80/32\n", "").replace(
        "ip prefix-list 192.0.2.2-allowed-ipv4 seq 82 permit 203.0.113.80/32\n",
        "",
    );
    let deleted = step("one service removed", &fewer, &|result| {
        let stats = &result.delta.stats;
        assert_eq!(
            (stats.deletes, stats.adds),
            (2, 0),
            "{release}: {}",
            result.delta.script
        );
    });
    assert!(
        !deleted.is_empty() && deleted.iter().all(|l| l.contains("203.0.113.80 ")),
        "{release}, {how}: one service removed, routes deleted:\n{}",
        deleted.join("\n")
    );
    let deleted = step("mass delete", &example("node-1-deny.conf"), &|result| {
        assert!(
            result.delta.script.contains(
                "no ip prefix-list 192.0.2.2-allowed-ipv4\nip prefix-list 192.0.2.2-allowed-ipv4 seq 1 permit 203.0.113.10/32\n"
            ),
            "{release}: the list is rebuilt, back to back:\n{}",
            result.delta.script
        );
    });
    assert!(
        deleted.iter().any(|l| l.contains("203.0.113.20 ")),
        "{release}, {how}: the monitor saw the services go:\n{}",
        deleted.join("\n")
    );
}
