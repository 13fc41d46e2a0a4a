//! Settings FRR changes in place: typing a new value replaces the old one,
//! so the old line must not be deleted first (a delete-then-add would flap
//! BGP sessions, open a window with no route-map filter, or make FRR drop
//! and re-learn routes).
//!
//! A line's *slot* names the setting it assigns; two lines of one context
//! with the same slot are two values of one setting.

use crate::config::grammar::Kind;
use crate::config::list;

/// Settings whose value is the rest of the line after these words, per
/// node kind.
const VALUE_AFTER: &[(Kind, &[&str])] = &[
    (
        Kind::Top,
        &[
            "hostname",
            "log timestamp precision",
            "log stdout",
            "log syslog",
            "log file",
            "log monitor",
            "log facility",
            "log record-priority",
            "zebra route-map delay-timer",
            "zebra nexthop-group keep",
            "pbr table range",
            "nhrp event socket",
            "nhrp nflog-group",
            "nhrp multicast-nflog-group",
        ],
    ),
    (
        Kind::RouterBgp,
        &[
            "bgp router-id",
            "bgp cluster-id",
            "timers bgp",
            "bgp graceful-restart stalepath-time",
            "bgp graceful-restart restart-time",
            "bgp graceful-restart select-defer-time",
            "bgp bestpath as-path multipath-relax",
            "coalesce-time",
            "update-delay",
            "bgp default local-preference",
        ],
    ),
    (
        Kind::BgpAf,
        &[
            "maximum-paths ibgp",
            "maximum-paths",
            "distance bgp",
            "bgp dampening",
            "table-map",
            "rd vpn export",
            // Its own setting beside the label (`label vpn export auto`
            // keeps it; topotests' bgp_vpnv4_per_nexthop_label).
            "label vpn export allocation-mode",
            "label vpn export",
            "rd",
        ],
    ),
    (Kind::BgpVni, &["rd"]),
    (Kind::Vrf, &["vni"]),
    (
        Kind::RouteMap,
        &[
            "description",
            "on-match",
            "call",
            "set local-preference",
            "set metric",
            "set weight",
            "set tag",
            "set origin",
            "set community",
            "set large-community",
            "set extcommunity rt",
            "set extcommunity soo",
            "set extcommunity bandwidth",
            // Any other `set` rule of bgpd's that takes a value: FRR keeps
            // one rule of a kind in an entry (`route_map_add_set` deletes
            // the old one first).
            "set extcommunity color",
            "set extcommunity nt",
            "set comm-list",
            "set large-comm-list",
            "set extended-comm-list",
            "set aigp-metric",
            "set aggregator as",
            "set as-path exclude",
            "set as-path replace",
            "set ipv4 vpn next-hop",
            "set ipv6 vpn next-hop",
            "set label-index",
            "set sr-te color",
            "set ip next-hop",
            "set ipv6 next-hop global",
            "set ipv6 next-hop local",
            "set as-path prepend",
            "set src",
            "set table",
            "set distance",
            "set originator-id",
            "set evpn gateway-ip ipv4",
            "set evpn gateway-ip ipv6",
            "match ip address prefix-list",
            "match ipv6 address prefix-list",
            "match ip next-hop prefix-list",
            "match ipv6 next-hop prefix-list",
            "match ip address",
            "match ipv6 address",
            "match community",
            "match large-community",
            "match extcommunity",
            "match as-path",
            "match metric",
            "match tag",
            "match interface",
            "match source-protocol",
            "match evpn vni",
            "match origin",
            "match local-preference",
            "match peer",
            "match rpki",
        ],
    ),
    (
        Kind::Interface,
        &[
            "description",
            "bandwidth",
            "mtu",
            "ip ospf cost",
            "ip ospf hello-interval",
            "ip ospf dead-interval",
            "ip ospf priority",
            "ip ospf network",
            "ip ospf retransmit-interval",
            "ip ospf transmit-delay",
            "ipv6 ospf6 network",
            "ipv6 ospf6 cost",
            "ipv6 ospf6 hello-interval",
            "ipv6 ospf6 dead-interval",
            "ipv6 ospf6 retransmit-interval",
            "ipv6 ospf6 transmit-delay",
            "ipv6 ospf6 priority",
            "ip pim drpriority",
            "ipv6 pim drpriority",
            "multicast",
            "ipv6 nd ra-interval",
            "ipv6 nd ra-lifetime",
            "isis metric",
            "delay",
            "eigrp bandwidth",
            "ip hello-interval eigrp",
            "ip hold-time eigrp",
            "ip nhrp holdtime",
            "ipv6 nhrp holdtime",
            "ip nhrp network-id",
            "ipv6 nhrp network-id",
            "ip nhrp mtu",
            "tunnel source",
            "babel hello-interval",
            "babel update-interval",
            "babel rtt-decay",
            "babel rtt-min",
            "babel rtt-max",
            "babel max-rtt-penalty",
        ],
    ),
    // ospfd's and isisd's TE router addresses (ospfd has no `no` form:
    // one replaces the other).
    // And the routing daemons' timers and single values (`rules::
    // TYPED_DEFAULTS` drops one typed at its default only where it is the
    // setting's one line).
    (
        Kind::Router,
        &[
            "mpls-te router-address ipv6",
            "mpls-te router-address",
            "timers basic",
            "default-metric",
            "timers throttle spf",
            "timers throttle lsa all",
            "timers lsa min-arrival",
            "refresh timer",
            "write-multiplier",
            "ospf abr-type",
            "lsp-mtu",
            "fabric-tier",
            "keep-alive-timer",
            "rp keep-alive-timer",
            "register-suppress-time",
            "version",
            "timers active-time",
            "variance",
            "maximum-paths",
            "metric weights",
            "eigrp router-id",
            "babel diversity-factor",
            "babel resend-delay",
            "babel smoothing-half-life",
        ],
    ),
    // ldpd's values (`ldp_vty_cmds.c`), in `mpls ldp`, its address
    // families and their interfaces.
    (
        Kind::Ldp,
        &[
            "router-id",
            "discovery hello holdtime",
            "discovery hello interval",
            "discovery targeted-hello holdtime",
            "discovery targeted-hello interval",
            "discovery transport-address",
            "wait-for-sync",
            "session holdtime",
        ],
    ),
    // An SRv6 locator's prefix (`no prefix` is no command).
    (Kind::SegmentRouting, &["prefix"]),
    // `line vty`'s timeout (no other block has the word), and a pbr-map
    // entry's rules of one value (`pbr_vty.c`: one of each an entry).
    (
        Kind::Block,
        &[
            "exec-timeout",
            "match src-ip",
            "match dst-ip",
            "match ip-protocol",
            "match src-port",
            "match dst-port",
            "match dscp",
            "match ecn",
            "match pcp",
            "match mark",
            "set src-ip",
            "set dst-ip",
            "set src-port",
            "set dst-port",
            "set dscp",
            "set ecn",
            "set queue-id",
            "set pcp",
            "set vlan",
            "set nexthop-group",
        ],
    ),
    (
        // zebra's link parameters: typing a value replaces the one set
        // (`max-bw`, `max-rsv-bw` and `unrsv-bw` have no `no` form at all).
        Kind::LinkParams,
        &[
            "metric",
            "max-bw",
            "max-rsv-bw",
            "unrsv-bw 0",
            "unrsv-bw 1",
            "unrsv-bw 2",
            "unrsv-bw 3",
            "unrsv-bw 4",
            "unrsv-bw 5",
            "unrsv-bw 6",
            "unrsv-bw 7",
            "admin-grp",
            "delay",
            "delay-variation",
            "packet-loss",
            "res-bw",
            "ava-bw",
            "use-bw",
            "neighbor",
        ],
    ),
    (
        Kind::BfdChild,
        &[
            "profile",
            "receive-interval",
            "transmit-interval",
            "detect-multiplier",
            "echo-interval",
            "echo receive-interval",
            "echo transmit-interval",
            "minimum-ttl",
        ],
    ),
];

/// Neighbor attributes whose value is the rest of the line.
const NEIGHBOR_VALUE: &[&str] = &[
    "description",
    "password",
    "ebgp-multihop",
    "ttl-security hops",
    "update-source",
    "timers connect",
    "timers delayopen",
    "timers",
    "bfd profile",
    "local-as",
    "port",
    "advertisement-interval",
    "weight",
    "allowas-in",
    "maximum-prefix",
    "unsuppress-map",
    "default-originate",
    "remote-as",
    "interface remote-as",
    "interface v6only remote-as",
];

/// Neighbor attributes written `ATTR NAME in|out`: one value per direction.
const NEIGHBOR_DIRECTIONAL: &[&str] =
    &["route-map", "prefix-list", "filter-list", "distribute-list"];

/// Whether `line` of a `link-params` block is one of zebra's bandwidth
/// limits, which have no `no` form (FRR 8.4 to 10.7): a new value replaces
/// the old in place, and none can be deleted alone.
pub fn is_link_bandwidth_limit(line: &str) -> bool {
    ["max-bw", "max-rsv-bw", "unrsv-bw"]
        .iter()
        .any(|keyword| starts_with_words(line, keyword))
}

/// The setting `line` assigns in a node of `kind`. Lines without a known
/// value are their own slot, and `no X` shares the slot of `X`, so a
/// boolean that flips is one change, not a delete plus an add.
pub fn slot(kind: Kind, line: &str) -> String {
    let line = line.strip_prefix("no ").unwrap_or(line);
    value_slot(kind, line).unwrap_or_else(|| line.to_owned())
}

/// [`slot`] of a top-level line, without allocating: a part of the line
/// or a constant.
pub fn top_slot(line: &str) -> &str {
    let line = line.strip_prefix("no ").unwrap_or(line);
    top_value_slot(line).unwrap_or(line)
}

/// The setting a line assigns a value to, for lines that have one.
pub fn value_slot(kind: Kind, line: &str) -> Option<String> {
    if kind == Kind::Top {
        return top_value_slot(line).map(str::to_owned);
    }
    if matches!(kind, Kind::RouterBgp | Kind::BgpAf) {
        if let Some(rest) = line.strip_prefix("neighbor ") {
            return neighbor_slot(rest);
        }
    }
    let setting = value_after(kind, line)?;
    // ospfd's interface values for one of its addresses (`ip ospf cost
    // 10 192.0.2.1`) are that address's own, beside the interface's.
    if kind == Kind::Interface && setting.starts_with("ip ospf ") {
        if let Some(address) = line
            .rsplit(' ')
            .next()
            .filter(|w| w.parse::<std::net::Ipv4Addr>().is_ok())
        {
            return Some(format!("{setting} {address}"));
        }
    }
    // isisd's interface values for one level (`isis metric level-1 30`)
    // are that level's own, beside the other level's.
    if kind == Kind::Interface && setting.starts_with("isis ") {
        if let Some(level) = line
            .split(' ')
            .find(|w| matches!(*w, "level-1" | "level-2"))
        {
            return Some(format!("{setting} {level}"));
        }
    }
    Some(setting.to_owned())
}

/// The setting a top-level `line` gives its one value (`hostname`,
/// `log syslog`, the vty's `password`, …), where it is one of those:
/// typed again, the last value is the one FRR keeps. Not list entries.
/// A `no` form (not `no hostname`) is the setting's too: typed last, it
/// is what FRR keeps (`zebra route-map delay-timer 10`, then `no zebra
/// route-map delay-timer`, is the default).
pub fn single_top_value(line: &str) -> Option<&'static str> {
    let line = match line.strip_prefix("no ") {
        Some(rest) if !rest.starts_with("hostname") => rest,
        _ => line,
    };
    if line.starts_with("password ") {
        return Some("password");
    }
    if line.starts_with("enable password ") {
        return Some("enable password");
    }
    value_after(Kind::Top, line)
}

/// [`value_slot`] of a top-level line: a list entry's `… NAME seq N` (see
/// [`list::split_entry`]), or
/// a [`VALUE_AFTER`] prefix.
fn top_value_slot(line: &str) -> Option<&str> {
    match list::split_entry(line) {
        Some((head, _)) => Some(head),
        None => value_after(Kind::Top, line),
    }
}

/// The [`VALUE_AFTER`] prefix of `line` in a node of `kind`.
fn value_after(kind: Kind, line: &str) -> Option<&'static str> {
    let (_, prefixes) = VALUE_AFTER.iter().find(|(k, _)| *k == kind)?;
    prefixes
        .iter()
        .find(|p| starts_with_words(line, p))
        .copied()
}

/// `neighbor PEER ATTR …`: the slot is `neighbor PEER ATTR [in|out]`.
fn neighbor_slot(rest: &str) -> Option<String> {
    let (peer, attr) = rest.split_once(' ')?;
    if let Some(dir_attr) = NEIGHBOR_DIRECTIONAL
        .iter()
        .find(|a| starts_with_words(attr, a))
    {
        let dir = attr.rsplit(' ').next()?;
        return matches!(dir, "in" | "out").then(|| format!("neighbor {peer} {dir_attr} {dir}"));
    }
    // `neighbor X bfd A B C` (timers) replaces in place.
    let words: Vec<&str> = attr.split_ascii_whitespace().collect();
    if words.len() == 4 && words[0] == "bfd" && words[1..].iter().all(|w| w.parse::<u32>().is_ok())
    {
        return Some(format!("neighbor {peer} bfd timers"));
    }
    let bare = attr
        .strip_prefix("interface ")
        .map_or(attr, |a| a.strip_prefix("v6only ").unwrap_or(a));
    if let Some(value) = bare.strip_prefix("remote-as") {
        // A remote-as has one value word. Incomplete or with more, FRR
        // refuses it, and the peer keeps its AS (found by fuzzing: it took
        // the place of the line defining the peer, as a `no` line too).
        if value.split_ascii_whitespace().count() != 1 || !value.starts_with(' ') {
            return None;
        }
    }
    NEIGHBOR_VALUE
        .iter()
        .find(|a| starts_with_words(attr, a))
        .map(|a| format!("neighbor {peer} {a}"))
}

/// True when `line` is `prefix` or starts with `prefix` followed by a space.
pub fn starts_with_words(line: &str, prefix: &str) -> bool {
    line.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incomplete_remote_as_replaces_no_value() {
        let bgp = |line| value_slot(Kind::RouterBgp, line);
        assert_eq!(
            bgp("neighbor 192.0.2.1 remote-as 2").as_deref(),
            Some("neighbor 192.0.2.1 remote-as")
        );
        assert_eq!(bgp("neighbor 192.0.2.1 remote-as"), None);
        assert_eq!(bgp("neighbor 192.0.2.1 remote-as 2 x"), None);
        assert_eq!(bgp("neighbor eth0 interface remote-as 2 x"), None);
        assert_eq!(
            bgp("neighbor eth0 interface v6only remote-as 2").as_deref(),
            Some("neighbor eth0 interface v6only remote-as")
        );
    }

    #[test]
    fn the_vpn_label_and_its_allocation_mode_are_two_settings() {
        let mode = slot(Kind::BgpAf, "label vpn export allocation-mode per-nexthop");
        assert_eq!(mode, "label vpn export allocation-mode");
        assert_eq!(
            slot(Kind::BgpAf, "no label vpn export allocation-mode per-vrf"),
            mode
        );
        assert_eq!(
            slot(Kind::BgpAf, "label vpn export auto"),
            "label vpn export"
        );
        assert_eq!(
            slot(Kind::BgpAf, "label vpn export 100"),
            "label vpn export"
        );
    }

    #[test]
    fn neighbor_slots() {
        let s = |l: &str| slot(Kind::BgpAf, l);
        assert_eq!(
            s("neighbor 192.0.2.1 route-map A in"),
            s("neighbor 192.0.2.1 route-map B in")
        );
        assert_ne!(
            s("neighbor 192.0.2.1 route-map A in"),
            s("neighbor 192.0.2.1 route-map A out")
        );
        assert_eq!(
            s("neighbor 192.0.2.1 bfd 3 300 300"),
            s("neighbor 192.0.2.1 bfd 5 100 100")
        );
        assert_eq!(
            s("neighbor 192.0.2.1 activate"),
            "neighbor 192.0.2.1 activate"
        );
        assert_eq!(
            s("no neighbor 192.0.2.1 activate"),
            s("neighbor 192.0.2.1 activate")
        );
        assert_ne!(
            slot(Kind::RouterBgp, "neighbor 192.0.2.1 timers 3 9"),
            slot(Kind::RouterBgp, "neighbor 192.0.2.1 timers connect 5")
        );
    }

    #[test]
    fn list_entries_and_negations() {
        assert_eq!(
            slot(Kind::Top, "ip prefix-list L seq 5 deny any"),
            slot(Kind::Top, "ip prefix-list L seq 5 permit any")
        );
        assert_ne!(
            slot(Kind::Top, "ip prefix-list L seq 5 deny any"),
            slot(Kind::Top, "ipv6 prefix-list L seq 5 deny any")
        );
        assert_eq!(
            list::split_entry("ip prefix-list L seq 5 permit 192.0.2.0/24 le 32"),
            Some(("ip prefix-list L seq 5", "permit 192.0.2.0/24 le 32"))
        );
        assert_eq!(
            slot(Kind::RouterBgp, "no bgp ebgp-requires-policy"),
            slot(Kind::RouterBgp, "bgp ebgp-requires-policy")
        );
    }

    #[test]
    fn route_map_match_and_set() {
        let s = |l: &str| slot(Kind::RouteMap, l);
        assert_eq!(
            s("match ip address prefix-list A"),
            "match ip address prefix-list"
        );
        assert_eq!(s("match ip address ACL"), "match ip address");
        assert_eq!(s("set local-preference 200"), s("set local-preference 50"));
        assert_eq!(s("set foo 1"), "set foo 1");
        assert_eq!(
            s("set extcommunity color 01:1"),
            s("set extcommunity color 01:100 01:200")
        );
        assert_eq!(s("set comm-list A delete"), s("set comm-list B delete"));
    }
}
