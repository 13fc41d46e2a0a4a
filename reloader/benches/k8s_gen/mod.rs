//! The one generator of frr-k8s-shaped FRR configurations, shared by the
//! reloader's benchmarks and examples (`#[path]`) and the tests crate (as
//! `tests::gen`):
//!
//! - [`Spec`]: N neighbors × S advertised services, and the transitions
//!   frr-k8s makes between them ([`Transition`]), laid out as frr-k8s's
//!   template does; sized by line count for the benchmarks;
//! - [`random`]: a seeded chain of random edits of a richer model (VRFs,
//!   BFD profiles, passwords, receive modes), for the property and
//!   clean-boot tests.
//!
//! The two layouts differ in details (hostname, blank lines, IPv6 lists)
//! and are kept byte for byte: benchmark history and the clean-boot
//! known-failure list depend on them. Addresses come only from benchmark
//! and documentation ranges: neighbors from 192.0.2.0/24 (and, in chains,
//! 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32), IPv4 services are
//! /32s of 198.18.0.0/15 counted upward, IPv6 services are /64s of
//! 2001:db8::/32.

pub mod random;
pub mod rng;

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Most IPv4 services: the /32s of 198.18.0.0/15.
pub const MAX_SERVICES: usize = 1 << 17;
/// Most neighbors: the hosts of 192.0.2.0/24.
pub const MAX_NEIGHBORS: usize = 254;
/// Neighbors used when only a line count is asked for.
pub const DEFAULT_NEIGHBORS: usize = 8;
/// IPv6 services advertised next to the IPv4 ones (dual stack).
pub const V6_SERVICES: usize = 4;

/// What frr-k8s is asked to render: every neighbor is advertised every
/// service (prefix-list `<nbr>-allowed-ipv4/6`, one entry per service,
/// plus one `network` line per service under `router bgp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Number of BGP neighbors.
    pub neighbors: usize,
    /// IPv4 services, as indexes into 198.18.0.0/15, in rendering order.
    pub services: Vec<u32>,
    /// IPv6 services, as indexes of /64s in 2001:db8::/32.
    pub services_v6: Vec<u32>,
    /// Whether the first neighbor accepts all incoming IPv4 routes
    /// (`<nbr>-inpl-ipv4` is `permit any` instead of `deny any`).
    pub accept_all: bool,
}

/// A change between two renderings, as frr-k8s produces them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Nothing changes.
    Noop,
    /// The first neighbor's `inpl-ipv4` prefix-list flips to `permit any`.
    DenyPermit,
    /// One service is added after the last one.
    AddOne,
    /// The middle service is removed: later prefix-list seqs shift down.
    RemoveMiddle,
    /// Every other service is removed (seqs renumbered).
    RemoveHalf,
}

impl Transition {
    /// All transitions, in a stable order.
    pub const ALL: [Transition; 5] = [
        Transition::Noop,
        Transition::DenyPermit,
        Transition::AddOne,
        Transition::RemoveMiddle,
        Transition::RemoveHalf,
    ];

    /// The name used on command lines and in benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Transition::Noop => "noop",
            Transition::DenyPermit => "deny-permit",
            Transition::AddOne => "add-one",
            Transition::RemoveMiddle => "remove-middle",
            Transition::RemoveHalf => "remove-half",
        }
    }

    /// The transition called `name`.
    pub fn from_name(name: &str) -> Option<Transition> {
        Transition::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The spec frr-k8s renders after this change to `spec`.
    pub fn apply(self, spec: &Spec) -> Spec {
        let mut next = spec.clone();
        match self {
            Transition::Noop => {}
            Transition::DenyPermit => next.accept_all = true,
            Transition::AddOne => {
                let last = spec.services.iter().max().map_or(0, |&i| i + 1);
                next.services.push(last);
            }
            Transition::RemoveMiddle => {
                next.services.remove(spec.services.len() / 2);
            }
            Transition::RemoveHalf => {
                next.services = spec.services.iter().copied().step_by(2).collect();
            }
        }
        next
    }
}

impl Spec {
    /// `neighbors` neighbors advertising the first `services` IPv4
    /// services and [`V6_SERVICES`] IPv6 ones.
    pub fn new(neighbors: usize, services: usize) -> Spec {
        assert!(
            (1..=MAX_NEIGHBORS).contains(&neighbors),
            "1..=254 neighbors"
        );
        assert!(services <= MAX_SERVICES, "at most 2^17 services");
        Spec {
            neighbors,
            services: (0..services as u32).collect(),
            services_v6: (0..V6_SERVICES as u32).collect(),
            accept_all: false,
        }
    }

    /// The spec with `neighbors` neighbors whose rendering is closest to
    /// `lines` lines (at least one service, at most [`MAX_SERVICES`]).
    pub fn for_lines(lines: usize, neighbors: usize) -> Spec {
        // Rendered lines are affine in the service count from 1 upward.
        let one = Spec::new(neighbors, 1).line_count();
        let per_service = Spec::new(neighbors, 2).line_count() - one;
        let services = (lines.saturating_sub(one) + per_service / 2) / per_service + 1;
        Spec::new(neighbors, services.min(MAX_SERVICES))
    }

    /// Number of lines [`Spec::render`] produces.
    pub fn line_count(&self) -> usize {
        self.render().lines().count()
    }

    /// The configuration text, laid out as frr-k8s's template does.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(64 * (self.neighbors + 1) * self.services.len());
        out.push_str(
            "log stdout informational\nlog timestamp precision 3\nhostname dummyhostname\n\
             ip nht resolve-via-default\nipv6 nht resolve-via-default\n\n",
        );
        for n in 0..self.neighbors {
            self.render_neighbor_policy(&mut out, n);
        }
        out.push_str(
            "router bgp 64512\n  no bgp ebgp-requires-policy\n  no bgp network import-check\n  \
             no bgp default ipv4-unicast\n\n",
        );
        for n in 0..self.neighbors {
            writeln!(out, "  neighbor {} remote-as 64600", neighbor(n)).unwrap();
        }
        out.push('\n');
        for n in 0..self.neighbors {
            self.render_neighbor_afs(&mut out, n);
        }
        render_networks(
            &mut out,
            "ipv4",
            self.services.iter().map(|&i| service_v4(i)),
        );
        render_networks(
            &mut out,
            "ipv6",
            self.services_v6.iter().map(|&i| service_v6(i)),
        );
        out
    }

    fn render_neighbor_policy(&self, out: &mut String, n: usize) {
        let nbr = neighbor(n);
        out.push('\n');
        render_prefix_list(
            out,
            "ip",
            &format!("{nbr}-allowed-ipv4"),
            self.services.iter().map(|&i| service_v4(i)),
        );
        out.push_str("\n\n");
        render_prefix_list(
            out,
            "ipv6",
            &format!("{nbr}-allowed-ipv6"),
            self.services_v6.iter().map(|&i| service_v6(i)),
        );
        writeln!(
            out,
            "\nroute-map {nbr}-out permit 1\n  match ip address prefix-list {nbr}-allowed-ipv4\n\n\
             route-map {nbr}-out permit 2\n  match ipv6 address prefix-list {nbr}-allowed-ipv6\n\n\n"
        )
        .unwrap();
        let inpl = if self.accept_all && n == 0 {
            "permit"
        } else {
            "deny"
        };
        writeln!(
            out,
            "ip prefix-list {nbr}-inpl-ipv4 seq 1 {inpl} any\n\n\
             ipv6 prefix-list {nbr}-inpl-ipv4 seq 2 deny any\n\
             route-map {nbr}-in permit 3\n  match ip address prefix-list {nbr}-inpl-ipv4\n\
             route-map {nbr}-in permit 4\n  match ipv6 address prefix-list {nbr}-inpl-ipv4\n\n"
        )
        .unwrap();
    }

    fn render_neighbor_afs(&self, out: &mut String, n: usize) {
        let nbr = neighbor(n);
        let mut families = vec!["ipv4"];
        if !self.services_v6.is_empty() {
            families.push("ipv6");
        }
        for family in families {
            writeln!(
                out,
                "  address-family {family} unicast\n    neighbor {nbr} activate\n    \
                 neighbor {nbr} route-map {nbr}-in in\n    neighbor {nbr} route-map {nbr}-out out\n  \
                 exit-address-family"
            )
            .unwrap();
        }
        out.push('\n');
    }
}

/// Address of neighbor `n` (from 0): 192.0.2.1 upward.
fn neighbor(n: usize) -> Ipv4Addr {
    Ipv4Addr::new(192, 0, 2, n as u8 + 1)
}

/// IPv4 service `i`: the `i`-th /32 of 198.18.0.0/15.
fn service_v4(i: u32) -> String {
    format!(
        "{}/32",
        Ipv4Addr::from(u32::from(Ipv4Addr::new(198, 18, 0, 0)) + i)
    )
}

/// IPv6 service `i`: the `i`-th /64 of 2001:db8::/32.
fn service_v6(i: u32) -> String {
    let [hi, lo] = [(i >> 16) as u16, i as u16];
    format!("{}/64", Ipv6Addr::new(0x2001, 0xdb8, hi, lo, 0, 0, 0, 0))
}

/// `<ip|ipv6> prefix-list NAME seq K permit P` for each prefix, seqs from
/// 1; `deny any` when there is none (as frr-k8s renders an empty list).
fn render_prefix_list(
    out: &mut String,
    ip: &str,
    name: &str,
    prefixes: impl Iterator<Item = String>,
) {
    let mut empty = true;
    for (seq, prefix) in (1..).zip(prefixes) {
        writeln!(out, "{ip} prefix-list {name} seq {seq} permit {prefix}").unwrap();
        empty = false;
    }
    if empty {
        writeln!(out, "{ip} prefix-list {name} seq 1 deny any").unwrap();
    }
}

/// The `address-family <family> unicast` block of `network` lines, if any.
fn render_networks(out: &mut String, family: &str, prefixes: impl Iterator<Item = String>) {
    let mut prefixes = prefixes.peekable();
    if prefixes.peek().is_none() {
        return;
    }
    writeln!(out, "  address-family {family} unicast").unwrap();
    for prefix in prefixes {
        writeln!(out, "    network {prefix}").unwrap();
    }
    out.push_str("  exit-address-family\n\n");
}
