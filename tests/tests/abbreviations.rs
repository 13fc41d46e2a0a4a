//! Abbreviated keywords against real FRR: a configuration that spells
//! FRR's keywords as unambiguous prefixes (`neighbor X passw S`, `int lo`)
//! is the configuration FRR prints with the keywords in full, so the agent
//! converges on it with no command sent, reload after reload (issue 21: the
//! abbreviation used to be deleted and re-added on every pass, resetting
//! the BGP session). A line FRR finds ambiguous is refused, naming its
//! line, and changes nothing.
//!
//! They need root (network namespaces, FRR daemons): run them with
//! `cargo test -p tests --test abbreviations -- --ignored`.

use protocol::{ApplyResult, Outcome};
use reloader::config::grammar::Kind;
use reloader::config::keywords;
use reloader::config::Config;
use tests::agent::{Agent, AgentDirs, AgentOptions};
use tests::fixtures::running;
use tests::frr::{releases, require, FrrInstance, Release};

/// The configuration with every keyword in full.
const FULL: &str = "\
interface lo
 ip address 192.0.2.100/32
 ip ospf authentication-key K3y
 ip ospf cost 10
 ip ospf message-digest-key 1 md5 Md5K3y
 ip router isis CORE
 isis password md5 Is1sK3y
exit
router isis CORE
 is-type level-2-only
 net 49.0001.0000.0000.0001.00
 area-password md5 Ar3aK3y
exit
router ospf
 area 0 authentication message-digest
 area 1 virtual-link 192.0.2.5
 area 1 virtual-link 192.0.2.5 authentication-key Vl1nK3y
exit
key chain KC
 key 1
  key-string Ch41nK3y
 exit
exit
bfd
 peer 192.0.2.9
  receive-interval 400
  transmit-interval 400
 exit
exit
ip prefix-list PL seq 5 permit 198.51.100.0/24
route-map RM permit 10
 match ip address prefix-list PL
exit
router bgp 64512
 bgp router-id 192.0.2.1
 no bgp ebgp-requires-policy
 neighbor 192.0.2.2 remote-as 64513
 neighbor 192.0.2.2 password S3cret
 neighbor 192.0.2.2 description peer two
 neighbor 192.0.2.2 timers connect 10
 address-family ipv4 unicast
  neighbor 192.0.2.2 route-map RM in
  neighbor 192.0.2.2 soft-reconfiguration inbound
 exit-address-family
exit
";

/// [`FULL`], abbreviated: top-level commands, BGP neighbor keywords, an
/// address family, an interface (`ip ospf …`, `ip router isis`, `isis
/// password`), `router isis` and `router ospf` (their passwords, area
/// authentication, a virtual link's key, without the line for the link
/// that ospfd prints), a key chain's key, a bfd peer and a route-map.
const ABBREVIATED: &str = "\
int lo
 ip addr 192.0.2.100/32
 ip ospf authentication-k K3y
 ip ospf co 10
 ip ospf message-digest-k 1 m Md5K3y
 ip router is CORE
 isis passw md5 Is1sK3y
exit
router isis CORE
 is-type level-2
 net 49.0001.0000.0000.0001.00
 area-pass md5 Ar3aK3y
exit
router ospf
 area 0 auth message-d
 area 1 virtual-link 192.0.2.5 authentication-k Vl1nK3y
exit
key chain KC
 key 1
  key-str Ch41nK3y
 exit
exit
bfd
 peer 192.0.2.9
  receive-int 400
  transmit-i 400
 exit
exit
ip prefix-l PL seq 5 permit 198.51.100.0/24
route-m RM permit 10
 mat ip addr prefix-list PL
exit
router bg 64512
 bgp router-id 192.0.2.1
 no bgp ebgp-requires-policy
 nei 192.0.2.2 remote-as 64513
 neighbor 192.0.2.2 passw S3cret
 neighbor 192.0.2.2 desc peer two
 neighbor 192.0.2.2 timers conn 10
 address-f ipv4 uni
  neighbor 192.0.2.2 route-map RM in
  neighbor 192.0.2.2 soft-r inb
 exit-address-family
exit
";

/// [`FULL`] abbreviated otherwise (a second text, so the agent reloads
/// again rather than answering from its cache).
const ABBREVIATED_AGAIN: &str = "\
inter lo
 ip add 192.0.2.100/32
 ip ospf authentication-ke K3y
 ip ospf cos 10
 ip ospf message-digest-key 1 md Md5K3y
 ip rou isis CORE
 isis pass md5 Is1sK3y
exit
router isis CORE
 is-type level-2-o
 net 49.0001.0000.0000.0001.00
 area-passw md5 Ar3aK3y
exit
router ospf
 area 0 authentication message-di
 area 1 v 192.0.2.5 auth Vl1nK3y
exit
key chain KC
 key 1
  key-s Ch41nK3y
 exit
exit
bfd
 peer 192.0.2.9
  receive-interval 400
  transmit-int 400
 exit
exit
ip prefix-li PL seq 5 permit 198.51.100.0/24
route-map RM permit 10
 match ip addr prefix-list PL
exit
router bgp 64512
 bgp router-id 192.0.2.1
 no bgp ebgp-requires-policy
 neighbor 192.0.2.2 remote-as 64513
 neighbor 192.0.2.2 passwo S3cret
 neighbor 192.0.2.2 descr peer two
 neighbor 192.0.2.2 timers connect 10
 address-fam ipv4 unicast
  neighbor 192.0.2.2 route-m RM in
  neighbor 192.0.2.2 soft-reconfiguration inbound
 exit-address-family
exit
";

/// `p S3cret` fits both `password LINE` and `peer-group PGNAME`: the
/// agent refuses it as ambiguous, quoting the line up to `p` only (FRR's
/// own check refuses it too).
const AMBIGUOUS: &str = "\
router bgp 64512
 neighbor 192.0.2.2 remote-as 64513
 neighbor 192.0.2.2 p S3cret
";

/// frr-k8s's daemons, those of the OSPF, OSPFv3, IS-IS and RIP lines (ripd
/// holds key chains on FRR 8.4; mgmtd and ospfd do on FRR 10).
const DAEMONS: &[&str] = &[
    "zebra", "bgpd", "staticd", "bfdd", "ospfd", "ospf6d", "isisd", "ripd", "ripngd", "eigrpd",
    "babeld", "pimd",
];

/// PUTs `config` and returns the result of a converged reload.
#[track_caller]
fn converge(agent: &Agent, config: &str) -> ApplyResult {
    let reply = agent.put_config(config);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let result: ApplyResult = reply.json();
    assert_eq!(result.outcome, Outcome::Converged, "{result:#?}");
    result
}

/// `text` as FRR `release` takes it: FRR 10.7.1's ospfd fails on `area 1
/// virtual-link 192.0.2.5` (vtysh: `Failure to communicate[13] to
/// ospfd`), so the virtual link is left out there.
fn for_release(release: Release, text: &str) -> String {
    text.lines()
        .filter(|l| release != Release::Frr1071 || !l.starts_with(" area 1 v"))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn abbreviations_converge_with_nothing_sent(release: Release) {
    let frr = FrrInstance::start(release, DAEMONS).unwrap_or_else(|e| panic!("{e}"));
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let full = for_release(release, FULL);
    let first = converge(&agent, &full);
    assert!(first.delta.stats.adds > 0, "{:#?}", first.delta);
    let booted = running(&frr);
    for line in [
        " neighbor 192.0.2.2 password S3cret",
        " ip ospf cost 10",
        " ip router isis CORE",
        " area 0 authentication message-digest",
        " area 1 virtual-link 192.0.2.5 authentication-key Vl1nK3y",
        "  key-string Ch41nK3y",
        "  receive-interval 400",
        " isis password md5 Is1sK3y",
    ] {
        if release == Release::Frr1071 && line.contains("virtual-link") {
            continue;
        }
        assert!(booted.contains(line), "{line} in\n{booted}");
    }

    // Issue 21's cases first: only the password keyword abbreviated,
    // then as far as `pas` and `pa`, which also start `passive` (and
    // `path-attribute`): the word after settles it, for FRR as for us.
    let passw = full.replace(" password S3cret", " passw S3cret");
    let pas = full.replace(" password S3cret", " pas S3cret");
    let pa = full.replace(" password S3cret", " pa S3cret");
    let abbreviated = for_release(release, ABBREVIATED);
    let again = for_release(release, ABBREVIATED_AGAIN);
    for config in [
        passw.as_str(),
        pas.as_str(),
        pa.as_str(),
        abbreviated.as_str(),
        again.as_str(),
    ] {
        let result = converge(&agent, config);
        assert!(!result.cached, "a new text is reloaded: {result:#?}");
        assert!(
            result.delta.is_empty(),
            "the abbreviations are FRR's keywords: nothing to send, got\n{}",
            result.delta.script
        );
        assert_eq!(running(&frr), booted);
    }

    let reply = agent.put_config(AMBIGUOUS);
    assert_eq!(reply.status, 422, "{}", reply.text());
    let refused: ApplyResult = reply.json();
    assert_eq!(refused.outcome, Outcome::ConversionFailed, "{refused:#?}");
    let error = &refused.conversion.errors[0];
    assert_eq!(error.line, 3, "{refused:#?}");
    assert!(
        error.message.to_lowercase().contains("ambiguous"),
        "{refused:#?}"
    );
    // The word after `p` may be a password: nothing quotes it.
    assert!(!reply.text().contains("S3cret"), "{}", reply.text());
    assert!(refused.delta.is_empty(), "{refused:#?}");
    assert_eq!(
        running(&frr),
        booted,
        "a refused configuration changes nothing"
    );

    // In an address family, `rem` is `remove-private-AS`, which takes no
    // AS number: vtysh falls back to `router bgp`, where it is
    // `remote-as` (and stays there: no `exit-address-family` after it,
    // which FRR would refuse there).
    let third = full.replace(
        " neighbor 192.0.2.2 timers connect 10\n",
        " neighbor 192.0.2.2 timers connect 10\n neighbor 192.0.2.3 remote-as 64514\n",
    );
    converge(&agent, &third);
    let with_third = running(&frr);
    let in_family = full.replace(
        "  neighbor 192.0.2.2 soft-reconfiguration inbound\n exit-address-family\n",
        "  neighbor 192.0.2.2 soft-reconfiguration inbound\n  neighbor 192.0.2.3 rem 64514\n",
    );
    let result = converge(&agent, &in_family);
    assert!(
        result.delta.is_empty(),
        "`rem` in the address family is router bgp's remote-as: got\n{}",
        result.delta.script
    );
    assert_eq!(running(&frr), with_third);
}

#[test]
#[ignore = "needs root and FRR"]
fn abbreviations_converge_with_nothing_sent_on_every_release() {
    for release in releases() {
        require(release, "abbreviations_converge_with_nothing_sent");
        abbreviations_converge_with_nothing_sent(release);
    }
}

/// Commands of the routing daemons' nodes, a key chain and bfd, in full as
/// FRR 8.4 and 10.4.3 print them, for [`shortest_abbreviations`].
const ROUTING: &str = "\
key chain KC
 key 7
  key-string Ch41nK3y
 exit
exit
interface lo
 ip ospf authentication message-digest
 ip ospf dead-interval 20
 ip ospf hello-interval 5
 ip ospf message-digest-key 2 md5 Md5K3y
 ip ospf priority 10
 ip ospf retransmit-interval 7
 ipv6 ospf6 authentication key-id 3 hash-algo hmac-sha-256 key O6K3y
 ipv6 ospf6 cost 20
 ipv6 ospf6 hello-interval 5
 ipv6 ospf6 network point-to-point
 ip rip authentication mode text
 ip rip authentication string R1pK3y
 ip rip split-horizon poisoned-reverse
 ipv6 ripng split-horizon poisoned-reverse
 ip router isis CORE
 isis circuit-type level-2-only
 isis metric 20
 isis password clear Is1sK3y
exit
router ripng
 network 2001:db8::/64
 timers basic 10 60 40
exit
router rip
 default-metric 3
 network 192.0.2.0/24
 timers basic 10 60 40
 version 2
exit
router ospf
 ospf router-id 192.0.2.1
 log-adjacency-changes detail
 auto-cost reference-bandwidth 1000
 timers throttle spf 100 200 5000
 area 0 authentication message-digest
 area 1 stub no-summary
 default-information originate always
 distance 100
exit
router ospf6
 ospf6 router-id 192.0.2.2
 log-adjacency-changes detail
 auto-cost reference-bandwidth 1000
 timers throttle spf 100 200 5000
 area 0.0.0.1 stub no-summary
exit
router eigrp 1
 network 192.0.2.0/24
 variance 2
exit
router babel
 network lo
 babel resend-delay 3000
exit
router isis CORE
 is-type level-2-only
 net 49.0001.0000.0000.0001.00
 metric-style transition
 set-overload-bit
 area-password md5 Ar3aK3y
 domain-password clear D0mK3y
exit
bfd
 peer 192.0.2.9
  detect-multiplier 5
  receive-interval 400
  transmit-interval 400
  passive-mode
 exit
 profile fast
  receive-interval 100
  transmit-interval 100
 exit
exit
";

/// What [`ROUTING`] adds on FRR 10: `router pim` (the union of the
/// routing daemons' keywords in the parser's table has its `rp`, `msdp`,
/// … beside ospfd's and isisd's).
const ROUTING_10: &str = "\
router pim
 rp 192.0.2.1 224.0.0.0/4
 join-prune-interval 30
 keep-alive-timer 100
 msdp peer 192.0.2.2 source 192.0.2.1
 msdp peer 192.0.2.2 password MsdpK3y
exit
";

/// What [`ROUTING`] adds from FRR 10.4 on: a bfd profile's
/// `log-session-changes` (10.3's bfdd has no such command).
const ROUTING_10_4: &str = "\
bfd
 profile slow
  log-session-changes
  receive-interval 600
 exit
exit
";

/// [`ROUTING`] for `release`.
fn routing(release: Release) -> String {
    match release {
        Release::Frr84 => ROUTING.to_owned(),
        Release::Frr103 => format!("{ROUTING}{ROUTING_10}"),
        _ => format!("{ROUTING}{ROUTING_10}{ROUTING_10_4}"),
    }
}

/// The node a line of [`ROUTING`] is in, from its indentation and the
/// line that opened its block.
fn kind_of(depth: usize, opener: &str) -> Kind {
    match (depth, opener.split(' ').next()) {
        (0, _) => Kind::Top,
        (_, Some("interface")) => Kind::Interface,
        (_, Some("router")) => Kind::Router,
        (_, Some("key")) => Kind::KeyChain,
        (1, Some("bfd")) => Kind::Bfd,
        (_, Some("peer" | "profile")) => Kind::BfdChild,
        _ => Kind::Top,
    }
}

/// `line` (in a node of `kind`) with each word cut to the shortest prefix
/// the parser still reads as `line` (and does not refuse: `r` may be
/// vtysh's `rollback`).
fn shortest(kind: Kind, line: &str) -> String {
    let mut words: Vec<String> = line.split(' ').map(str::to_owned).collect();
    for i in 0..words.len() {
        let word = words[i].clone();
        for len in 1..word.len() {
            let mut cut = words.clone();
            cut[i] = word[..len].to_owned();
            let text = cut.join(" ");
            if keywords::expand(kind, &text).is_ok_and(|e| e == line)
                && Config::parse(&text).is_ok()
            {
                words = cut;
                break;
            }
        }
    }
    words.join(" ")
}

/// [`ROUTING`] with every keyword as short as the parser reads it back
/// (`exit` is left in full: the parser refuses it abbreviated).
fn shortest_abbreviations(config: &str) -> String {
    let mut openers: Vec<String> = Vec::new();
    let mut out = String::new();
    for line in config.lines() {
        let body = line.trim_start();
        let depth = line.len() - body.len();
        openers.truncate(depth);
        let opener = openers.last().map_or("", String::as_str);
        let short = match body {
            "exit" => body.to_owned(),
            _ => shortest(kind_of(depth, opener), body),
        };
        out.push_str(&format!("{}{short}\n", &line[..depth]));
        openers.push(body.to_owned());
    }
    out
}

fn shortest_abbreviations_are_frrs_commands(release: Release) {
    let frr = FrrInstance::start(release, DAEMONS).unwrap_or_else(|e| panic!("{e}"));
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let config = routing(release);
    converge(&agent, &config);
    let booted = running(&frr);
    for line in [" isis password clear Is1sK3y", "  key-string Ch41nK3y"] {
        assert!(booted.contains(line), "{line} in\n{booted}");
    }
    let short = shortest_abbreviations(&config);
    // `k S` is `key-string S`: `key` takes a number or `chain`.
    assert!(short.contains("\n  k Ch41nK3y\n"), "{short}");
    let result = converge(&agent, &short);
    assert!(
        result.delta.is_empty(),
        "FRR reads the shortest abbreviations as the parser does: nothing to send \
         for\n{short}\ngot\n{}",
        result.delta.script
    );
    assert_eq!(running(&frr), booted, "{short}");
}

#[test]
#[ignore = "needs root and FRR"]
fn shortest_abbreviations_are_frrs_commands_on_every_release() {
    for release in releases() {
        require(release, "shortest_abbreviations_are_frrs_commands");
        shortest_abbreviations_are_frrs_commands(release);
    }
}
