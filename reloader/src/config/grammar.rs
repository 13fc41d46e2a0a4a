//! FRR's configuration grammar, as far as nesting goes: which commands open
//! a node (a block) inside which other node, and which commands can only
//! live at the top level. This decides nesting, not indentation.

use crate::config::text::find_byte;

/// The kind of a configuration node (what FRR calls a CLI node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The top level (FRR's `CONFIG_NODE`).
    Top,
    /// `router bgp ASN [vrf NAME]`.
    RouterBgp,
    /// `address-family …` inside `router bgp`.
    BgpAf,
    /// `vni N` inside `address-family l2vpn evpn`.
    BgpVni,
    /// Other blocks inside `router bgp` (`vnc …`, `vrf-policy`, `bmp targets`,
    /// `segment-routing srv6`).
    BgpBlock,
    /// `router ospf|ospf6|rip|ripng|isis|openfabric|eigrp|babel|pim|pim6 …`.
    Router,
    /// `vrf NAME`.
    Vrf,
    /// `interface NAME [vrf NAME]`.
    Interface,
    /// `link-params` inside an interface.
    LinkParams,
    /// `route-map NAME permit|deny SEQ`.
    RouteMap,
    /// `bfd`.
    Bfd,
    /// `peer …` and `profile …` inside `bfd`.
    BfdChild,
    /// `mpls ldp` and its nested blocks.
    Ldp,
    /// `l2vpn NAME type vpls` and `member pseudowire`.
    L2vpn,
    /// `key chain NAME` and `key N`.
    KeyChain,
    /// `segment-routing` and everything nested in it.
    SegmentRouting,
    /// Any other block (`nexthop-group`, `pbr-map`, `rpki`, `line vty`,
    /// `pseudowire`).
    Block,
}

/// A node that can be opened, and what can be opened inside it.
#[derive(Debug)]
struct Node {
    /// Words the command starts with; a trailing `$` word means "and nothing
    /// more" (e.g. `bfd` alone opens the BFD node, `bfd foo` does not).
    pattern: &'static [&'static str],
    kind: Kind,
    children: &'static [Node],
    /// For nodes with a small, closed set of commands: their first words.
    /// A line that starts otherwise belongs to an enclosing node.
    vocabulary: Option<&'static [&'static str]>,
    /// [`word_bit`]s of the children's first words.
    openers: u128,
}

const fn node(pattern: &'static [&'static str], kind: Kind, children: &'static [Node]) -> Node {
    let mut openers = 0;
    let mut i = 0;
    while i < children.len() {
        openers |= pattern_bit(children[i].pattern);
        i += 1;
    }
    Node {
        pattern,
        kind,
        children,
        vocabulary: None,
        openers,
    }
}

/// A bit for a word, from its first byte and length: a line can only
/// match patterns whose first word has the bit of the line's first word.
/// Skipping the others saves trying ~17 to ~100 patterns on most lines.
const fn word_bit(word: &[u8]) -> u128 {
    let first = if word.is_empty() { 0 } else { word[0] as usize };
    1 << ((first * 7 + word.len()) % 128)
}

/// The [`word_bit`] of a pattern's first word (every bit for a pattern
/// that does not start with a plain word).
const fn pattern_bit(pattern: &[&str]) -> u128 {
    match pattern.first() {
        Some(word) => match word.as_bytes() {
            [] | [b'$'] | [b'*'] => u128::MAX,
            word => word_bit(word),
        },
        None => u128::MAX,
    }
}

/// The [`word_bit`]s of the first words of `patterns`.
const fn patterns_bits(patterns: &[&[&str]]) -> u128 {
    let mut bits = 0;
    let mut i = 0;
    while i < patterns.len() {
        bits |= pattern_bit(patterns[i]);
        i += 1;
    }
    bits
}

/// The [`word_bit`] of the first word of `line`.
fn first_word_bit(line: &str) -> u128 {
    let bytes = line.as_bytes();
    word_bit(find_byte(bytes, b' ').map_or(bytes, |end| &bytes[..end]))
}

/// A node whose commands all start with one of `vocabulary`.
const fn closed(
    pattern: &'static [&'static str],
    kind: Kind,
    vocabulary: &'static [&'static str],
) -> Node {
    Node {
        pattern,
        kind,
        children: &[],
        vocabulary: Some(vocabulary),
        openers: 0,
    }
}

/// `node` taking only the commands that start with `vocabulary` (and
/// its children).
const fn with_vocabulary(node: Node, vocabulary: &'static [&'static str]) -> Node {
    Node {
        vocabulary: Some(vocabulary),
        ..node
    }
}

/// Commands of a bfd `peer`: a profile's, plus `profile NAME`.
const BFD_PEER_WORDS: &[&str] = &[
    "profile",
    "detect-multiplier",
    "receive-interval",
    "transmit-interval",
    "echo-interval",
    "echo-mode",
    "echo",
    "shutdown",
    "passive-mode",
    "minimum-ttl",
    "label",
    // FRR 10.4.
    "log-session-changes",
];

/// Commands of a bfd `profile`: a peer's but `profile NAME`.
const BFD_PROFILE_WORDS: &[&str] = BFD_PEER_WORDS.split_at(1).1;

const BGP_CHILDREN: &[Node] = &[
    node(
        &["address-family"],
        Kind::BgpAf,
        &[closed(
            &["vni"],
            Kind::BgpVni,
            &[
                "rd",
                "route-target",
                "advertise-default-gw",
                "advertise-svi-ip",
                "advertise",
                // A VNI's own flooding mode: FRR 10.7 (10.4.3 has none, and
                // its vtysh walks the line up to the address family).
                "flooding",
            ],
        )],
    ),
    node(&["vnc", "defaults", "$"], Kind::BgpBlock, &[]),
    node(&["vnc", "nve-group"], Kind::BgpBlock, &[]),
    node(&["vnc", "l2-group"], Kind::BgpBlock, &[]),
    node(&["vrf-policy"], Kind::BgpBlock, &[]),
    node(&["bmp", "targets"], Kind::BgpBlock, &[]),
    node(&["segment-routing", "srv6", "$"], Kind::BgpBlock, &[]),
];

const SR_CHILDREN: &[Node] = &[
    node(
        &["traffic-eng", "$"],
        Kind::SegmentRouting,
        &[
            node(&["segment-list"], Kind::SegmentRouting, &[]),
            node(
                &["policy"],
                Kind::SegmentRouting,
                &[node(&["candidate-path"], Kind::SegmentRouting, &[])],
            ),
            node(
                &["pcep", "$"],
                Kind::SegmentRouting,
                &[
                    node(&["pcc", "$"], Kind::SegmentRouting, &[]),
                    node(&["pce"], Kind::SegmentRouting, &[]),
                    node(&["pce-config"], Kind::SegmentRouting, &[]),
                ],
            ),
        ],
    ),
    node(
        &["srv6", "$"],
        Kind::SegmentRouting,
        &[
            node(
                &["locators", "$"],
                Kind::SegmentRouting,
                &[node(&["locator"], Kind::SegmentRouting, &[])],
            ),
            node(&["encapsulation", "$"], Kind::SegmentRouting, &[]),
            node(
                &["formats", "$"],
                Kind::SegmentRouting,
                &[node(&["format"], Kind::SegmentRouting, &[])],
            ),
            node(&["static-sids", "$"], Kind::SegmentRouting, &[]),
        ],
    ),
];

/// Blocks inside `router <protocol>` (isisd's; no other routing daemon
/// opens one). Closed: the segment-routing block holds `interface NAME`,
/// which would otherwise leave `router isis` for a top-level interface.
const ROUTER_CHILDREN: &[Node] = &[
    with_vocabulary(
        node(
            &["segment-routing", "srv6", "$"],
            Kind::Router,
            &[closed(
                &["node-msd", "$"],
                Kind::Router,
                &["max-segs-left", "max-end-pop", "max-h-encaps", "max-end-d"],
            )],
        ),
        &["locator", "interface"],
    ),
    closed(
        &["flex-algo"],
        Kind::Router,
        &[
            "advertise-definition",
            "affinity",
            "dplane",
            "prefix-metric",
            "metric-type",
            "priority",
        ],
    ),
];

const ROUTER_PROTOCOLS: &[&str] = &[
    "ospf",
    "ospf6",
    "rip",
    "ripng",
    "isis",
    "openfabric",
    "eigrp",
    "babel",
    "pim",
    "pim6",
];

/// The top level's children, in the order they are tried.
const TOP: Node = node(
    &[],
    Kind::Top,
    &[
        node(&["router", "bgp"], Kind::RouterBgp, BGP_CHILDREN),
        // isisd's and fabricd's, which have a `hostname dynamic` of their
        // own (see `accepts`).
        node(&["router", "isis"], Kind::Router, ROUTER_CHILDREN),
        node(&["router", "openfabric"], Kind::Router, ROUTER_CHILDREN),
        // `router <protocol>` for the other routing daemons: matched in code
        // against ROUTER_PROTOCOLS.
        node(&["router", "*"], Kind::Router, ROUTER_CHILDREN),
        node(&["vrf"], Kind::Vrf, &[]),
        node(
            &["interface"],
            Kind::Interface,
            &[closed(
                &["link-params", "$"],
                Kind::LinkParams,
                &[
                    "enable",
                    "metric",
                    "max-bw",
                    "max-rsv-bw",
                    "unrsv-bw",
                    "admin-grp",
                    "delay",
                    "delay-variation",
                    "packet-loss",
                    "res-bw",
                    "ava-bw",
                    "use-bw",
                    "neighbor",
                    "affinity",
                    "affinity-mode",
                ],
            )],
        ),
        closed(
            &["route-map"],
            Kind::RouteMap,
            &[
                "match",
                "set",
                "call",
                "on-match",
                "continue",
                "description",
            ],
        ),
        node(
            &["bfd", "$"],
            Kind::Bfd,
            &[
                closed(&["peer"], Kind::BfdChild, BFD_PEER_WORDS),
                closed(&["profile"], Kind::BfdChild, BFD_PROFILE_WORDS),
            ],
        ),
        node(
            &["mpls", "ldp", "$"],
            Kind::Ldp,
            &[node(
                &["address-family"],
                Kind::Ldp,
                &[node(&["interface"], Kind::Ldp, &[])],
            )],
        ),
        node(
            &["l2vpn"],
            Kind::L2vpn,
            &[node(&["member", "pseudowire"], Kind::L2vpn, &[])],
        ),
        node(
            &["key", "chain"],
            Kind::KeyChain,
            &[closed(
                &["key"],
                Kind::KeyChain,
                &[
                    "key-string",
                    "accept-lifetime",
                    "send-lifetime",
                    "cryptographic-algorithm",
                ],
            )],
        ),
        node(&["segment-routing", "$"], Kind::SegmentRouting, SR_CHILDREN),
        node(&["nexthop-group"], Kind::Block, &[]),
        node(&["pbr-map"], Kind::Block, &[]),
        node(&["rpki", "$"], Kind::Block, &[]),
        node(&["line", "vty", "$"], Kind::Block, &[]),
        node(&["pseudowire"], Kind::Block, &[]),
    ],
);

/// Single-line commands that exist only at the top level (and, for the
/// second list, also inside `vrf NAME`). Seeing one inside a block means the
/// block ended without `exit`.
const TOP_ONLY: &[&[&str]] = &[
    &["hostname"],
    &["domainname"],
    &["log"],
    &["frr"],
    &["service"],
    &["password"],
    &["enable", "password"],
    &["debug"],
    &["agentx"],
    &["banner"],
    &["username"],
    &["ip", "prefix-list"],
    &["ipv6", "prefix-list"],
    &["access-list"],
    &["ip", "access-list"],
    &["ipv6", "access-list"],
    &["mac", "access-list"],
    &["bgp", "as-path"],
    &["bgp", "community-list"],
    &["bgp", "large-community-list"],
    &["bgp", "extcommunity-list"],
    &["bgp", "send-extra-data"],
    &["bgp", "no-rib"],
    // bgpd's global settings, which `router bgp` does not have (its
    // own update delay is `update-delay N`): typed there, vtysh runs one
    // at the top level and stays there (measured on 8.4, 10.3, 10.4.3 and
    // 10.7.1: the block's later lines were refused, and its `exit` left
    // configuration mode).
    &["bgp", "update-delay"],
    &["bgp", "input-queue-limit"],
    &["bgp", "output-queue-limit"],
    &["bgp", "session-dscp"],
    &["ip", "forwarding"],
    &["ipv6", "forwarding"],
    &["zebra"],
    &["fpm"],
    &["allow-external-route-update"],
    &["mpls", "label"],
    &["mpls", "lsp"],
    // The other `evpn mh` commands (es-id, es-sys-mac, uplink, …) are
    // interface commands.
    &["evpn", "mh", "startup-delay"],
    &["evpn", "mh", "mac-holdtime"],
    &["evpn", "mh", "neigh-holdtime"],
    &["evpn", "mh", "redirect-off"],
];

/// Top-level commands that are also valid inside `router bgp` (FRR prints
/// them at the top level; see `parse`).
const TOP_AND_BGP: &[&[&str]] = &[
    &["bgp", "route-map", "delay-timer"],
    // bgpd's global settings that `router bgp` has too: in another block
    // (an interface: topotests' bgp_update_delay_default_originate) vtysh
    // runs them at the top level.
    &["bgp", "graceful-restart"],
    &["bgp", "graceful-restart-disable"],
    &["bgp", "graceful-shutdown"],
    &["bgp", "suppress-fib-pending"],
    &["bgp", "ipv6-auto-ra"],
];

/// Top-level commands that are also valid inside `vrf NAME`.
const TOP_AND_VRF: &[&[&str]] = &[
    &["ip", "route"],
    &["ipv6", "route"],
    &["ip", "nht"],
    &["ipv6", "nht"],
    &["ip", "protocol"],
    &["ipv6", "protocol"],
    &["ip", "import-table"],
    &["ip", "router-id"],
    &["ipv6", "router-id"],
    &["ip", "mroute"],
    // pimd's global commands (FRR 8.x; 10.x has them in `router pim`).
    &["ip", "pim", "rp"],
    &["ip", "pim", "join-prune-interval"],
    &["ip", "pim", "spt-switchover"],
    &["ip", "pim", "keep-alive-timer"],
    &["ip", "pim", "rp-keep-alive-timer"],
    &["ip", "pim", "packets"],
    &["ip", "pim", "register-suppress-time"],
    &["ip", "pim", "register-accept-list"],
    &["ip", "pim", "ecmp"],
    &["ip", "pim", "ssm"],
    &["ip", "pim", "send-v6-secondary"],
    &["ip", "msdp"],
    &["ip", "ssmpingd"],
];

/// True when `line` (whitespace-collapsed) starts with the words of
/// `pattern`. `*` matches one router protocol name; a final `$` requires
/// the line to end there.
#[inline]
fn matches(pattern: &[&str], line: &str) -> bool {
    // This runs for every line against every pattern of the nodes around
    // it, and most patterns fail on their first byte: that check is inlined
    // into the loops over patterns, the word-by-word walk is not.
    let first = pattern.first().and_then(|w| w.as_bytes().first());
    match first {
        Some(b'$' | b'*') | None => matches_words(pattern, line),
        Some(b) if line.as_bytes().first() != Some(b) => false,
        Some(_) => matches_words(pattern, line),
    }
}

/// [`matches`], word by word, without splitting the line.
fn matches_words(pattern: &[&str], line: &str) -> bool {
    let mut rest = line;
    for &want in pattern {
        match want {
            "$" => return rest.is_empty(),
            "*" => {
                let (word, tail) = rest.split_once(' ').unwrap_or((rest, ""));
                if !ROUTER_PROTOCOLS.contains(&word) {
                    return false;
                }
                rest = tail;
            }
            _ => {
                // The first byte rejects most patterns without a memcmp call.
                if rest.as_bytes().first() != want.as_bytes().first() {
                    return false;
                }
                let Some(tail) = rest.strip_prefix(want) else {
                    return false;
                };
                rest = match tail.strip_prefix(' ') {
                    Some(tail) => tail,
                    None if tail.is_empty() => tail,
                    None => return false,
                };
            }
        }
    }
    true
}

/// A position in the grammar: the chain of nodes from the top down to the
/// current one.
#[derive(Debug, Clone, Default)]
pub struct Cursor {
    path: Vec<&'static Node>,
}

/// What a line does at the current position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Leave `pop` levels, then open a node of this kind with the line as
    /// its key.
    Open {
        /// Levels to leave first.
        pop: usize,
        /// Kind of the node opened.
        kind: Kind,
    },
    /// Leave `pop` levels, then the line is a command of that node (at the
    /// top level: a single-line context).
    Line {
        /// Levels to leave first.
        pop: usize,
    },
}

impl Cursor {
    /// Depth below the top level.
    pub fn depth(&self) -> usize {
        self.path.len()
    }

    /// Kind of the current node.
    pub fn kind(&self) -> Kind {
        self.path.last().map_or(Kind::Top, |n| n.kind)
    }

    fn node_at(&self, depth: usize) -> &'static Node {
        if depth == 0 {
            &TOP
        } else {
            self.path[depth - 1]
        }
    }

    /// Decides where `line` goes, without moving.
    pub fn step(&self, line: &str) -> Step {
        let bare = line.strip_prefix("no ").unwrap_or(line);
        let depth = self.depth();
        // The deepest node that has `line` as a command wins, as vtysh
        // tries the current node first and then its parents: a line of a
        // closed node's vocabulary (which wins over the openers of its
        // parents: a bfd peer's `profile NAME` line is not the bfd node's
        // `profile NAME`; isisd's SRv6 `interface sr0` typed after its
        // closed `node-msd` is the SRv6 block's), or a child opener.
        for d in (0..=depth).rev() {
            let node = self.node_at(d);
            if d > 0 && node.vocabulary.is_some() && accepts(node, bare) {
                return Step::Line { pop: depth - d };
            }
            if let Some(child) = opener(node, line) {
                return Step::Open {
                    pop: depth - d,
                    kind: child.kind,
                };
            }
        }
        // Otherwise the line belongs to the deepest node that accepts it.
        let accepting = (1..=depth).rev().find(|&d| accepts(self.node_at(d), bare));
        Step::Line {
            pop: depth - accepting.unwrap_or(0),
        }
    }

    /// Moves according to `step` (as returned by [`Cursor::step`]).
    pub fn apply(&mut self, step: Step, line: &str) {
        match step {
            Step::Open { pop, .. } => {
                self.pop(pop);
                self.open(line);
            }
            Step::Line { pop } => self.pop(pop),
        }
    }

    /// Enters the node that `line` opens in the current node (a no-op for
    /// a line that opens none there).
    pub fn open(&mut self, line: &str) {
        if let Some(child) = opener(self.node_at(self.depth()), line) {
            self.path.push(child);
        }
    }

    /// Leaves `levels` nodes (saturating at the top).
    pub fn pop(&mut self, levels: usize) {
        let keep = self.path.len().saturating_sub(levels);
        self.path.truncate(keep);
    }

    /// Levels to leave for an `exit…` word: `exit-address-family`,
    /// `exit-vrf`, `exit-vni` leave up to and including the nearest node of
    /// their kind (nothing when there is none); other exits leave one level.
    pub fn exit_levels(&self, word: &str) -> usize {
        let target = match word {
            "exit-address-family" => Some(Kind::BgpAf),
            "exit-vrf" => Some(Kind::Vrf),
            "exit-vni" => Some(Kind::BgpVni),
            "exit-link-params" => Some(Kind::LinkParams),
            _ => None,
        };
        match target {
            None => usize::from(self.depth() > 0),
            Some(kind) => {
                // `address-family` inside `mpls ldp` also ends with
                // exit-address-family.
                let found = self.path.iter().rposition(|n| {
                    n.kind == kind
                        || (kind == Kind::BgpAf
                            && n.kind == Kind::Ldp
                            && n.pattern == ["address-family"])
                });
                found.map_or(0, |i| self.depth() - i)
            }
        }
    }
}

fn opener(parent: &'static Node, line: &str) -> Option<&'static Node> {
    if parent.openers & first_word_bit(line) == 0 {
        return None;
    }
    parent.children.iter().find(|child| {
        matches(child.pattern, line)
            // A `candidate-path … explicit …` is a single-line command.
            && !(child.pattern == ["candidate-path"] && line.contains(" explicit"))
            // So is ripd's and ripngd's `route-map NAME in|out IFNAME`.
            && (child.kind != Kind::RouteMap || is_route_map_entry(line))
    })
}

/// Whether a `route-map` line is `route-map NAME permit|deny …` (either
/// word possibly abbreviated), the one that opens a route-map entry.
fn is_route_map_entry(line: &str) -> bool {
    let action = line.split(' ').nth(2).unwrap_or_default();
    !action.is_empty() && ("permit".starts_with(action) || "deny".starts_with(action))
}

fn starts_with_any(patterns: &[&[&str]], line: &str) -> bool {
    patterns.iter().any(|p| matches(p, line))
}

/// Whether a (non-top) node takes `bare` (a line without its `no `) as one
/// of its commands.
fn accepts(node: &Node, bare: &str) -> bool {
    match node.vocabulary {
        Some(words) => words.contains(&bare.split(' ').next().unwrap_or_default()),
        None if node.kind == Kind::Vrf && starts_with_any(TOP_AND_VRF, bare) => true,
        None if node.kind == Kind::RouterBgp && starts_with_any(TOP_AND_BGP, bare) => true,
        // isisd's and fabricd's own command, not the top level's hostname
        // (before: it closed the block, and its `exit` left configuration
        // mode; found by probing defaults).
        None if bare == "hostname dynamic"
            && matches!(node.pattern, ["router", "isis" | "openfabric"]) =>
        {
            true
        }
        None => !is_top_level_command(bare),
    }
}

/// True for commands that FRR only accepts at the top level (or at the top
/// level and inside `vrf`): seeing one inside a block closes the block.
fn is_top_level_command(bare: &str) -> bool {
    /// The [`word_bit`]s of all the patterns below.
    const BITS: u128 = patterns_bits(TOP_ONLY)
        | patterns_bits(TOP_AND_VRF)
        | patterns_bits(TOP_AND_BGP)
        | TOP.openers;
    BITS & first_word_bit(bare) != 0
        && (starts_with_any(TOP_ONLY, bare)
            || starts_with_any(TOP_AND_VRF, bare)
            || starts_with_any(TOP_AND_BGP, bare)
            || opener(&TOP, bare).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kind of the node a top-level line opens, if any.
    fn top_kind(line: &str) -> Option<Kind> {
        opener(&TOP, line).map(|n| n.kind)
    }

    fn walk(lines: &[&str]) -> Vec<(usize, Kind)> {
        let mut cursor = Cursor::default();
        lines
            .iter()
            .map(|line| {
                let step = cursor.step(line);
                cursor.apply(step, line);
                (cursor.depth(), cursor.kind())
            })
            .collect()
    }

    #[test]
    fn bgpds_global_update_delay_leaves_router_bgp() {
        let lines = [
            "router bgp 1",
            "update-delay 30",
            "bgp update-delay 30",
            "bgp router-id 192.0.2.1",
        ];
        assert_eq!(
            walk(&lines),
            [
                (1, Kind::RouterBgp),
                (1, Kind::RouterBgp),
                (0, Kind::Top),
                (0, Kind::Top)
            ]
        );
    }

    #[test]
    fn isisds_hostname_dynamic_stays_in_its_router() {
        let lines = [
            "router isis 1",
            " hostname dynamic",
            "router ospf",
            " hostname dynamic",
        ];
        let bare: Vec<&str> = lines.iter().map(|l| l.trim_start()).collect();
        assert_eq!(
            walk(&bare),
            [
                (1, Kind::Router),
                (1, Kind::Router),
                (1, Kind::Router),
                (0, Kind::Top)
            ]
        );
    }

    #[test]
    fn bgp_nesting_without_exits() {
        let got = walk(&[
            "router bgp 64512",
            "neighbor 192.0.2.1 remote-as 64600",
            "address-family l2vpn evpn",
            "vni 100",
            "rd 64512:100",
            "vni 200",
            "address-family ipv4 unicast",
            "router bgp 64512 vrf red",
            "ip prefix-list A seq 1 deny any",
        ]);
        assert_eq!(
            got,
            vec![
                (1, Kind::RouterBgp),
                (1, Kind::RouterBgp),
                (2, Kind::BgpAf),
                (3, Kind::BgpVni),
                (3, Kind::BgpVni),
                (3, Kind::BgpVni),
                (2, Kind::BgpAf),
                (1, Kind::RouterBgp),
                (0, Kind::Top),
            ]
        );
    }

    #[test]
    fn vrf_keeps_its_static_routes_but_interface_does_not() {
        let got = walk(&[
            "vrf red",
            "ip route 192.0.2.0/24 Null0",
            "interface eth0",
            "ip route 192.0.2.0/24 Null0",
        ]);
        assert_eq!(
            got,
            vec![
                (1, Kind::Vrf),
                (1, Kind::Vrf),
                (1, Kind::Interface),
                (0, Kind::Top),
            ]
        );
    }

    #[test]
    fn closed_nodes_hand_unknown_lines_up() {
        let got = walk(&[
            "interface eth0",
            "link-params",
            "metric 10",
            "ip address 192.0.2.1/24",
            "route-map RM permit 1",
            "set metric 5",
            "ip prefix-list PL seq 5 deny any",
        ]);
        assert_eq!(
            got,
            vec![
                (1, Kind::Interface),
                (2, Kind::LinkParams),
                (2, Kind::LinkParams),
                (1, Kind::Interface),
                (1, Kind::RouteMap),
                (1, Kind::RouteMap),
                (0, Kind::Top),
            ]
        );
    }

    #[test]
    fn bfd_log_session_changes_stays_in_its_peer_and_profile() {
        let got = walk(&[
            "bfd",
            "peer 192.0.2.2",
            "log-session-changes",
            "receive-interval 400",
            "profile fast",
            "no log-session-changes",
        ]);
        let depths: Vec<usize> = got.iter().map(|(d, _)| *d).collect();
        assert_eq!(depths, [1, 2, 2, 2, 2, 2]);
    }

    #[test]
    fn found_by_the_differential_test() {
        // A bfd peer's `profile` line; evpn mh interface commands; pim and
        // msdp globals after an interface; bgp route-map delay-timer.
        let got = walk(&[
            "bfd",
            "peer 192.0.2.2",
            "profile slow",
            "profile other",
            "interface bond1",
            "evpn mh es-id 1",
            "ip pim",
            "ip pim rp 192.0.2.1",
            "router bgp 65001",
            "bgp route-map delay-timer 1",
            "neighbor 192.0.2.2 remote-as 65002",
        ]);
        let depths: Vec<usize> = got.iter().map(|(d, _)| *d).collect();
        assert_eq!(depths, [1, 2, 2, 2, 1, 1, 1, 0, 1, 1, 1]);
        assert_eq!(got[2].1, Kind::BfdChild);
    }

    #[test]
    fn exact_patterns_and_router_protocols() {
        assert_eq!(top_kind("bfd"), Some(Kind::Bfd));
        assert_eq!(top_kind("bfd foo"), None);
        assert_eq!(top_kind("router ospf6"), Some(Kind::Router));
        assert_eq!(top_kind("router-id 192.0.2.1"), None);
        assert_eq!(top_kind("router foo"), None);
        assert_eq!(top_kind("segment-routing"), Some(Kind::SegmentRouting));
    }

    #[test]
    fn a_rip_route_map_line_stays_in_its_router() {
        let got = walk(&[
            "router ripng",
            "route-map rmap in r1-eth0",
            "timers basic 5 15 10",
            "route-map rmap permit 10",
            "set metric 12",
            "route-map rmap perm 20",
        ]);
        assert_eq!(
            got,
            vec![
                (1, Kind::Router),
                (1, Kind::Router),
                (1, Kind::Router),
                (1, Kind::RouteMap),
                (1, Kind::RouteMap),
                (1, Kind::RouteMap),
            ]
        );
        assert_eq!(top_kind("route-map rmap out eth0"), None);
    }

    #[test]
    fn an_srv6_interface_after_node_msd_stays_in_the_srv6_block() {
        let got = walk(&[
            "router isis 1",
            "segment-routing srv6",
            "locator loc1",
            "node-msd",
            "max-segs-left 3",
            "interface sr0",
            "net 49.0000.0000.0000.0002.00",
        ]);
        let depths: Vec<usize> = got.iter().map(|(d, _)| *d).collect();
        assert_eq!(depths, [1, 2, 2, 3, 3, 2, 1]);
    }

    #[test]
    fn isis_blocks_keep_their_interface_line() {
        let got = walk(&[
            "router isis 1",
            "segment-routing srv6",
            "locator loc1",
            "interface sr0",
            "node-msd",
            "max-segs-left 3",
            "flex-algo 129",
            "priority 5",
            "net 49.0000.0000.0000.0002.00",
            "interface eth0",
        ]);
        let depths: Vec<usize> = got.iter().map(|(d, _)| *d).collect();
        assert_eq!(depths, [1, 2, 2, 2, 3, 3, 2, 2, 1, 1]);
        assert_eq!(got[9].1, Kind::Interface);
        assert!(got[..9].iter().all(|(_, k)| *k == Kind::Router), "{got:?}");
    }

    #[test]
    fn explicit_candidate_path_is_a_line() {
        let got = walk(&[
            "segment-routing",
            "traffic-eng",
            "policy color 1 endpoint 192.0.2.1",
            "candidate-path preference 100 name A explicit segment-list L",
            "candidate-path preference 200 name B dynamic",
        ]);
        assert_eq!(got[3].0, 3);
        assert_eq!(got[4].0, 4);
    }

    #[test]
    fn targeted_exits() {
        let mut cursor = Cursor::default();
        for line in ["router bgp 1", "address-family l2vpn evpn", "vni 5"] {
            let step = cursor.step(line);
            cursor.apply(step, line);
        }
        assert_eq!(cursor.exit_levels("exit-address-family"), 2);
        assert_eq!(cursor.exit_levels("exit-vrf"), 0);
        assert_eq!(cursor.exit_levels("exit"), 1);
    }
}
