//! The running configuration as far as the impact rules need it: each
//! `router bgp` with its peers, peer-groups, activations, policies,
//! graceful-restart modes and BFD users, and the `bfd` / `peer` blocks.

use indexmap::IndexMap;
use rustc_hash::FxHashMap as HashMap;

use crate::config::tree::{Config, Lines};

/// A `router bgp` instance of the running configuration, as far as the
/// rules need it.
#[derive(Default)]
pub(super) struct Router<'a> {
    pub(super) asn: &'a str,
    pub(super) vrf: &'a str,
    /// Peers with a session (not peer-groups), first seen first, with
    /// their own `remote-as` and their peer-group.
    pub(super) peers: IndexMap<&'a str, Peer<'a>>,
    /// Peer-groups and their `remote-as`.
    pub(super) groups: HashMap<&'a str, Option<&'a str>>,
    /// `no bgp default ipv4-unicast`: IPv4 unicast is not activated by
    /// default.
    no_default_v4: bool,
    /// Per address family, peers or groups activated (`true`) or
    /// deactivated (`false`) in it.
    pub(super) activation: HashMap<&'a str, HashMap<&'a str, bool>>,
    /// Route-map, prefix-list and filter-list names with the peers or
    /// groups that use them.
    pub(super) policies: HashMap<&'a str, Vec<&'a str>>,
    /// `bgp graceful-restart`: peers restart gracefully unless their own
    /// setting says otherwise (the default is helper only).
    pub(super) global_gr: bool,
    /// Peers or groups with their own graceful-restart mode: `true` for
    /// `neighbor X graceful-restart`, `false` for `-helper` or `-disable`.
    pub(super) peer_gr: HashMap<&'a str, bool>,
    /// Peers or groups with `neighbor X bfd…`, with their BFD profile.
    pub(super) bfd: IndexMap<&'a str, Option<&'a str>>,
}

#[derive(Default, Clone, Copy)]
pub(super) struct Peer<'a> {
    pub(super) remote_as: Option<&'a str>,
    pub(super) group: Option<&'a str>,
}

/// A BFD `peer` block of the running configuration.
pub(super) struct BfdPeer<'a> {
    /// Its node line (`peer 192.0.2.2 vrf red`).
    pub(super) line: &'a str,
    pub(super) addr: &'a str,
    pub(super) vrf: &'a str,
    pub(super) profile: Option<&'a str>,
}

/// The running configuration's BGP instances and BFD peers.
#[derive(Default)]
pub(super) struct Running<'a> {
    pub(super) routers: IndexMap<&'a str, Router<'a>>,
    pub(super) bfd_peers: Vec<BfdPeer<'a>>,
}

impl<'a> Running<'a> {
    pub(super) fn new(config: &'a Config) -> Running<'a> {
        let mut running = Running::default();
        for (key, ctx) in &config.contexts {
            match key.as_slice() {
                [router] if router.starts_with("router bgp ") => {
                    let lines: Vec<&str> = ctx.lines.iter().map(String::as_str).collect();
                    running.routers.insert(router, Router::new(router, &lines));
                }
                [router, af] if af.starts_with("address-family ") => {
                    if let Some(r) = running.routers.get_mut(router.as_str()) {
                        for line in &ctx.lines {
                            r.af_line(af, line);
                        }
                    }
                }
                [bfd, peer] if bfd == "bfd" && peer.starts_with("peer ") => {
                    running.bfd_peers.push(BfdPeer::new(peer, &ctx.lines));
                }
                _ => {}
            }
        }
        running
    }
}

impl<'a> BfdPeer<'a> {
    /// `peer ADDR [multihop] [local-address A] [interface I] [vrf V]`.
    pub(super) fn new(line: &'a str, lines: &'a Lines) -> BfdPeer<'a> {
        let words: Vec<&str> = line.split(' ').collect();
        let vrf = words
            .iter()
            .position(|w| *w == "vrf")
            .and_then(|i| words.get(i + 1))
            .copied()
            .unwrap_or("default");
        let profile = lines.iter().find_map(|l| l.strip_prefix("profile "));
        BfdPeer {
            line,
            addr: words.get(1).copied().unwrap_or_default(),
            vrf,
            profile,
        }
    }
}

impl<'a> Router<'a> {
    /// `router bgp ASN [vrf NAME]` and its router-level lines.
    pub(super) fn new(line: &'a str, lines: &[&'a str]) -> Router<'a> {
        let words: Vec<&str> = line.split(' ').collect();
        let mut router = Router {
            asn: words.get(2).copied().unwrap_or_default(),
            vrf: match words.as_slice() {
                [_, _, _, "vrf", vrf, ..] => vrf,
                _ => "default",
            },
            ..Router::default()
        };
        // Groups first: `neighbor G remote-as` is about a group only when
        // `neighbor G peer-group` says so, wherever it stands.
        for line in lines {
            if let Some(["neighbor", group, "peer-group"]) = words_of(line).as_deref() {
                router.groups.insert(group, None);
            }
        }
        for line in lines {
            router.router_line(line);
        }
        router
    }

    pub(super) fn router_line(&mut self, line: &'a str) {
        let words = words_of(line).unwrap_or_default();
        match words.as_slice() {
            ["no", "bgp", "default", "ipv4-unicast"] => self.no_default_v4 = true,
            ["bgp", "graceful-restart"] => self.global_gr = true,
            ["neighbor", name, mode
            @ ("graceful-restart" | "graceful-restart-helper" | "graceful-restart-disable")] => {
                self.peer_gr.insert(name, *mode == "graceful-restart");
            }
            ["neighbor", name, "remote-as", asn]
            | ["neighbor", name, "interface", "remote-as", asn]
            | ["neighbor", name, "interface", "v6only", "remote-as", asn] => {
                match self.groups.get_mut(name) {
                    Some(group_as) => *group_as = Some(asn),
                    None => self.peers.entry(name).or_default().remote_as = Some(asn),
                }
            }
            ["neighbor", name, "peer-group", group]
            | ["neighbor", name, "interface", "peer-group", group]
            | ["neighbor", name, "interface", "v6only", "peer-group", group] => {
                self.peers.entry(name).or_default().group = Some(group);
            }
            ["neighbor", name, "bfd", rest @ ..] => {
                let profile = match rest {
                    ["profile", profile] => Some(*profile),
                    _ => None,
                };
                let entry = self.bfd.entry(name).or_default();
                *entry = entry.or(profile);
            }
            ["neighbor", name, attr, value, ..] => self.policy_line(name, attr, value),
            _ => {}
        }
    }

    pub(super) fn af_line(&mut self, af: &'a str, line: &'a str) {
        match words_of(line).unwrap_or_default().as_slice() {
            ["neighbor", name, "activate"] => {
                self.activation.entry(af).or_default().insert(name, true);
            }
            ["no", "neighbor", name, "activate"] => {
                self.activation.entry(af).or_default().insert(name, false);
            }
            ["neighbor", name, attr, value, ..] => self.policy_line(name, attr, value),
            _ => {}
        }
    }

    /// `neighbor X route-map|prefix-list|filter-list|distribute-list|unsuppress-map NAME …`.
    pub(super) fn policy_line(&mut self, name: &'a str, attr: &str, value: &'a str) {
        if matches!(
            attr,
            "route-map" | "prefix-list" | "filter-list" | "distribute-list" | "unsuppress-map"
        ) {
            self.policies.entry(value).or_default().push(name);
        }
    }

    /// The peers with a session that `name` stands for: the peer itself,
    /// or a peer-group's members. Empty for a peer the running
    /// configuration does not have.
    pub(super) fn sessions(&self, name: &str) -> Vec<&'a str> {
        if self.groups.contains_key(name) {
            return self
                .peers
                .iter()
                .filter(|(_, p)| p.group == Some(name))
                .map(|(n, _)| *n)
                .collect();
        }
        self.peers
            .get_key_value(name)
            .map(|(n, _)| *n)
            .into_iter()
            .collect()
    }

    /// The peer's `remote-as`, its own or its group's.
    pub(super) fn remote_as(&self, peer: &str) -> Option<&'a str> {
        let p = self.peers.get(peer)?;
        p.remote_as
            .or_else(|| p.group.and_then(|g| self.groups.get(g).copied().flatten()))
    }

    /// The `remote-as` that `name` (peer or group) has itself.
    pub(super) fn own_remote_as(&self, name: &str) -> Option<&'a str> {
        match self.groups.get(name) {
            Some(group_as) => *group_as,
            None => self.peers.get(name).and_then(|p| p.remote_as),
        }
    }

    /// The peer's own graceful-restart mode, or its group's: `None` when
    /// it inherits the router's.
    fn own_gr_mode(&self, peer: &str) -> Option<bool> {
        let group = self.peers.get(peer).and_then(|p| p.group);
        let own = |name: &str| self.peer_gr.get(name).copied();
        own(peer).or_else(|| group.and_then(own))
    }

    /// Whether the peer restarts gracefully: its own mode, its group's, or
    /// the router's (bgp_peer_gr_mode_get(), bgp_global_gr_mode_get()).
    pub(super) fn in_gr_mode(&self, peer: &str) -> bool {
        self.own_gr_mode(peer).unwrap_or(self.global_gr)
    }

    /// Whether the peer takes the router's graceful-restart mode.
    pub(super) fn inherits_gr(&self, peer: &str) -> bool {
        self.own_gr_mode(peer).is_none()
    }

    /// iBGP: `remote-as internal` or this router's own AS.
    pub(super) fn is_ibgp(&self, peer: &str) -> bool {
        self.remote_as(peer)
            .is_some_and(|asn| asn == "internal" || asn == self.asn)
    }

    /// Peers activated in address family `af` (the `address-family …`
    /// line): IPv4 unicast has every peer unless deactivated, or unless
    /// `no bgp default ipv4-unicast`; other families only those activated.
    pub(super) fn af_sessions(&self, af: &str) -> Vec<&'a str> {
        let none = HashMap::default();
        let activation = self.activation.get(af).unwrap_or(&none);
        let by_default = af == "address-family ipv4 unicast" && !self.no_default_v4;
        let active = |name: &str| activation.get(name).copied();
        self.peers
            .iter()
            .filter(|(name, p)| {
                active(name)
                    .or_else(|| p.group.and_then(active))
                    .unwrap_or(by_default)
            })
            .map(|(name, _)| *name)
            .collect()
    }

    /// The peers whose BGP session runs BFD with `profile` (directly or
    /// through their group).
    pub(super) fn bfd_sessions_with_profile(&self, profile: &str) -> Vec<&'a str> {
        self.bfd
            .iter()
            .filter(|(_, p)| **p == Some(profile))
            .flat_map(|(name, _)| self.sessions(name))
            .collect()
    }
}

/// The words of a line, or `None` for an empty one.
fn words_of(line: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = line.split_ascii_whitespace().collect();
    (!words.is_empty()).then_some(words)
}
