//! End to end: importing a peer's BGP routes into a node, the way frr-k8s
//! users do, on real FRR 8.4 in two network namespaces joined by a veth
//! pair: `node` (FRR + the agent, AS 64512) and `router` (AS 64600, with
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
//! arrive on the event stream. Namespaces and processes are removed also
//! on failure (the harness's and the agent's `Drop`).
//!
//! Needs root and FRR 8.4: ignored unless asked for (see scripts/test.sh).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use protocol::{ApplyResult, Outcome};
use tests::agent::{send_signal, wait_for, Agent, AgentDirs, AgentOptions, Events};
use tests::fixtures::{read_status, sha256_hex};
use tests::frr::{require, FrrInstance, Release};

const NEIGHBOR4: &str = "192.0.2.2";
const NEIGHBOR6: &str = "2001:db8::2";
/// Time for routes and sessions to follow (FRR's route-map update delay
/// is 5 s by default).
const SETTLE: Duration = Duration::from_secs(40);

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

/// The two FRR instances, wired.
struct Topology {
    node: FrrInstance,
    router: FrrInstance,
}

impl Topology {
    fn up() -> Topology {
        let daemons = &["zebra", "bgpd", "staticd"];
        let node = FrrInstance::start(Release::Frr84, daemons).unwrap_or_else(|e| panic!("{e}"));
        let router = FrrInstance::start(Release::Frr84, daemons).unwrap_or_else(|e| panic!("{e}"));
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

    /// The established-connection count of a session, once it is up.
    fn established(&self, neighbor: &str) -> u64 {
        wait_for(
            SETTLE,
            &format!("session with {neighbor} Established"),
            || {
                let json: serde_json::Value = serde_json::from_str(&Self::vtysh(
                    &self.node,
                    &format!("show bgp neighbors {neighbor} json"),
                ))
                .ok()?;
                let peer = &json[neighbor];
                (peer["bgpState"] == "Established")
                    .then(|| peer["connectionsEstablished"].as_u64())?
            },
        )
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

fn scenario(mode: Mode) {
    let topology = Topology::up();
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
    assert_eq!(topology.established(NEIGHBOR4), up4, "IPv4 session reset");
    assert_eq!(topology.established(NEIGHBOR6), up6, "IPv6 session reset");

    // Step 3: filtered, then deny again.
    step("node-3-filtered.conf");
    topology.wait_kernel("-4", &["198.51.100.0/24"]);
    topology.wait_kernel("-6", &["2001:db8:100::/48"]);
    step("node-1-deny.conf");
    topology.wait_kernel("-4", &[]);
    topology.wait_kernel("-6", &[]);
    assert_eq!(topology.established(NEIGHBOR4), up4, "IPv4 session reset");
    assert_eq!(topology.established(NEIGHBOR6), up6, "IPv6 session reset");

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
    require(Release::Frr84, "receive_routes_through_the_socket_api");
    scenario(Mode::Api);
}

#[test]
#[ignore = "needs root and FRR"]
fn receive_routes_through_the_frr_k8s_files() {
    require(Release::Frr84, "receive_routes_through_the_frr_k8s_files");
    scenario(Mode::Compat);
}

/// Whether the router has the node's path to `prefix`.
fn router_has(topology: &Topology, prefix: &str) -> bool {
    let json: serde_json::Value = serde_json::from_str(&Topology::vtysh(
        &topology.router,
        &format!("show bgp ipv4 unicast {prefix} json"),
    ))
    .unwrap_or_default();
    json["paths"]
        .as_array()
        .is_some_and(|paths| paths.iter().any(|p| p["aspath"]["string"] == "64512"))
}

/// A mass delete: the node stops advertising 40 of its 41 services. The
/// agent deletes the allowed prefix-list whole and re-adds the entry it
/// keeps, back to back (one command for FRR instead of 40); the service
/// kept is never withdrawn from the router, and the session stays up.
#[test]
#[ignore = "needs root and FRR"]
fn a_mass_delete_rebuilds_the_list_and_withdraws_only_what_goes() {
    require(
        Release::Frr84,
        "a_mass_delete_rebuilds_the_list_and_withdraws_only_what_goes",
    );
    let topology = Topology::up();
    let dirs = AgentDirs::new();
    let agent = Agent::start(&topology.node, &dirs, &AgentOptions::default());
    let mut controller = Controller {
        mode: Mode::Api,
        agent: &agent,
        dirs: &dirs,
        epoch: 0,
    };
    let one = example("node-1-deny.conf");
    let services: Vec<String> = (20..60).map(|i| format!("203.0.113.{i}/32")).collect();
    let mut many = one.replace(
        "    network 203.0.113.10/32\n",
        &services
            .iter()
            .map(|s| format!("    network 203.0.113.10/32\n    network {s}\n"))
            .collect::<String>(),
    );
    let entries: String = services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "ip prefix-list 192.0.2.2-allowed-ipv4 seq {} permit {s}\n",
                i + 2
            )
        })
        .collect();
    many = many.replace(
        "ip prefix-list 192.0.2.2-allowed-ipv4 seq 1 permit 203.0.113.10/32\n",
        &format!("ip prefix-list 192.0.2.2-allowed-ipv4 seq 1 permit 203.0.113.10/32\n{entries}"),
    );
    let result = controller.apply(&many);
    assert_eq!(
        result.outcome,
        Outcome::Converged,
        "{}",
        result.last_reload_result
    );
    let up = topology.established(NEIGHBOR4);
    wait_for(SETTLE, "the router learned all 41 services", || {
        (router_has(&topology, "203.0.113.10/32")
            && services.iter().all(|s| router_has(&topology, s)))
        .then_some(())
    });
    // Every route the router's kernel loses from now on.
    let mut monitor = std::process::Command::new("ip")
        .args(["-n", topology.router.name(), "monitor", "route"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("ip monitor route");
    std::thread::sleep(Duration::from_millis(300));

    let result = controller.apply(&one);
    assert_eq!(
        result.outcome,
        Outcome::Converged,
        "{}",
        result.last_reload_result
    );
    let script = &result.delta.script;
    assert!(
        script.contains(
            "no ip prefix-list 192.0.2.2-allowed-ipv4\nip prefix-list 192.0.2.2-allowed-ipv4 seq 1 permit 203.0.113.10/32\n"
        ),
        "the list is rebuilt, back to back:\n{script}"
    );
    wait_for(SETTLE, "the router dropped the 40 services", || {
        services
            .iter()
            .all(|s| !router_has(&topology, s))
            .then_some(())
    });
    // Past bgpd's route-map delay timer (5 s): any re-evaluation is done.
    std::thread::sleep(Duration::from_secs(7));
    assert!(router_has(&topology, "203.0.113.10/32"));
    monitor.kill().expect("stop ip monitor");
    let mut seen = String::new();
    std::io::Read::read_to_string(&mut monitor.stdout.take().expect("piped"), &mut seen)
        .expect("read ip monitor");
    let _ = monitor.wait();
    let deleted: Vec<&str> = seen.lines().filter(|l| l.starts_with("Deleted ")).collect();
    assert!(
        deleted.iter().any(|l| l.contains("203.0.113.20 ")),
        "the monitor saw the services go: {seen}"
    );
    assert!(
        !deleted.iter().any(|l| l.contains("203.0.113.10 ")),
        "the kept service was withdrawn from the router:\n{seen}"
    );
    assert_eq!(topology.established(NEIGHBOR4), up, "IPv4 session reset");
}
