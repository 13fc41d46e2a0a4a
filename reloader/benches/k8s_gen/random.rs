//! Seeded chains of frr-k8s-shaped configurations: a model of what
//! frr-k8s renders (neighbors from 192.0.2.0/24 and 2001:db8::/64,
//! services as /32s of 198.18.0.0/15, BFD profiles, receive modes deny →
//! permit all → filtered, a `router bgp … vrf red` instance), rendered the
//! way frr-k8s does (two-space indents, blank lines, only
//! `exit-address-family`), and a chain of random edits of that model.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::rng::Rng;
use super::{render_prefix_list, service_v4, MAX_SERVICES};

/// Local AS of every generated router.
pub const ASN: u32 = 64512;

/// Which routes a neighbor accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receive {
    /// None (`deny any`).
    Deny,
    /// All (`permit any`).
    Permit,
    /// Only these prefixes.
    Filtered(Vec<String>),
}

/// One BGP neighbor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    /// Its address.
    pub addr: String,
    /// Its AS.
    pub asn: u32,
    /// BFD, with this profile (`Some("")`: BFD without a profile).
    pub bfd: Option<String>,
    /// Which received routes to accept.
    pub receive: Receive,
    /// Indexes of the services advertised to it.
    pub advertise: BTreeSet<usize>,
    /// `ebgp-multihop`.
    pub multihop: bool,
    /// `password`.
    pub password: Option<String>,
}

/// A BFD profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Its name.
    pub name: String,
    /// `receive-interval`.
    pub receive: u32,
    /// `transmit-interval`.
    pub transmit: u32,
    /// `detect-multiplier`.
    pub multiplier: u32,
    /// `echo-mode`.
    pub echo: bool,
    /// `passive-mode`.
    pub passive: bool,
}

/// One `router bgp` instance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Router {
    /// `None` for the default VRF.
    pub vrf: Option<String>,
    /// `bgp router-id`.
    pub router_id: Option<String>,
    /// Its neighbors.
    pub neighbors: Vec<Neighbor>,
}

/// What frr-k8s renders for one node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    /// The default instance, then possibly one in `vrf red`.
    pub routers: Vec<Router>,
    /// Service prefixes (`/32`s of 198.18.0.0/15).
    pub services: Vec<String>,
    /// BFD profiles.
    pub profiles: Vec<Profile>,
}

/// Service `n`, counted around 198.18.0.0/15.
fn service(n: u32) -> String {
    service_v4(n % MAX_SERVICES as u32)
}

impl Model {
    /// Renders the model the way frr-k8s does.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("log stdout informational\nlog timestamp precision 3\n");
        out.push_str(
            "hostname generated\nip nht resolve-via-default\nipv6 nht resolve-via-default\n\n",
        );
        for router in &self.routers {
            for n in &router.neighbors {
                self.render_filters(&mut out, router, n);
            }
        }
        for router in &self.routers {
            self.render_router(&mut out, router);
        }
        if !self.profiles.is_empty() {
            out.push_str("bfd\n");
            for p in &self.profiles {
                let _ = writeln!(out, "  profile {}", p.name);
                let _ = writeln!(out, "    receive-interval {}", p.receive);
                let _ = writeln!(out, "    transmit-interval {}", p.transmit);
                let _ = writeln!(out, "    detect-multiplier {}", p.multiplier);
                if p.echo {
                    out.push_str("    echo-mode\n");
                }
                if p.passive {
                    out.push_str("    passive-mode\n");
                }
                out.push_str("    \n");
            }
        }
        out
    }

    fn prefix(router: &Router, n: &Neighbor) -> String {
        match &router.vrf {
            Some(vrf) => format!("{vrf}-{}", n.addr),
            None => n.addr.clone(),
        }
    }

    fn render_filters(&self, out: &mut String, router: &Router, n: &Neighbor) {
        let p = Model::prefix(router, n);
        out.push_str("\n\n");
        render_prefix_list(
            out,
            "ip",
            &format!("{p}-allowed-ipv4"),
            n.advertise.iter().map(|&s| self.services[s].clone()),
        );
        let _ = writeln!(
            out,
            "\n\nipv6 prefix-list {p}-allowed-ipv6 seq 1 deny any\n"
        );
        let _ = writeln!(
            out,
            "route-map {p}-out permit 1\n  match ip address prefix-list {p}-allowed-ipv4\n"
        );
        let _ = writeln!(
            out,
            "route-map {p}-out permit 2\n  match ipv6 address prefix-list {p}-allowed-ipv6\n\n"
        );
        let next = match &n.receive {
            Receive::Deny => {
                let _ = writeln!(out, "ip prefix-list {p}-inpl-ipv4 seq 1 deny any");
                2
            }
            Receive::Permit => {
                let _ = writeln!(out, "ip prefix-list {p}-inpl-ipv4 seq 1 permit any");
                2
            }
            Receive::Filtered(prefixes) => {
                for (i, prefix) in prefixes.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "ip prefix-list {p}-inpl-ipv4 seq {} permit {prefix}",
                        i + 1
                    );
                }
                prefixes.len() + 1
            }
        };
        let action = if n.receive == Receive::Permit {
            "permit"
        } else {
            "deny"
        };
        let _ = writeln!(
            out,
            "\nipv6 prefix-list {p}-inpl-ipv4 seq {next} {action} any"
        );
        let _ = writeln!(
            out,
            "route-map {p}-in permit 3\n  match ip address prefix-list {p}-inpl-ipv4"
        );
        let _ = writeln!(
            out,
            "route-map {p}-in permit 4\n  match ipv6 address prefix-list {p}-inpl-ipv4\n"
        );
    }

    fn render_router(&self, out: &mut String, router: &Router) {
        match &router.vrf {
            Some(vrf) => {
                let _ = writeln!(out, "router bgp {ASN} vrf {vrf}");
            }
            None => {
                let _ = writeln!(out, "router bgp {ASN}");
            }
        }
        if let Some(id) = &router.router_id {
            let _ = writeln!(out, "  bgp router-id {id}");
        }
        out.push_str("  no bgp ebgp-requires-policy\n  no bgp network import-check\n");
        out.push_str("  no bgp default ipv4-unicast\n  bgp graceful-restart preserve-fw-state\n\n");
        for n in &router.neighbors {
            let _ = writeln!(out, "  neighbor {} remote-as {}", n.addr, n.asn);
            if n.multihop {
                let _ = writeln!(out, "  neighbor {} ebgp-multihop", n.addr);
            }
            if let Some(password) = &n.password {
                let _ = writeln!(out, "  neighbor {} password {password}", n.addr);
            }
            out.push_str("  \n");
            if let Some(profile) = &n.bfd {
                let _ = writeln!(out, "  neighbor {} bfd", n.addr);
                if !profile.is_empty() {
                    let _ = writeln!(out, "  neighbor {} bfd profile {profile}", n.addr);
                }
            }
        }
        out.push('\n');
        for n in &router.neighbors {
            let p = Model::prefix(router, n);
            let family = if n.addr.contains(':') { "ipv6" } else { "ipv4" };
            let _ = writeln!(out, "  address-family {family} unicast");
            let _ = writeln!(out, "    neighbor {} activate", n.addr);
            let _ = writeln!(out, "    neighbor {} route-map {p}-in in", n.addr);
            let _ = writeln!(out, "    neighbor {} route-map {p}-out out", n.addr);
            out.push_str("  exit-address-family\n");
        }
        let advertised: BTreeSet<usize> = router
            .neighbors
            .iter()
            .flat_map(|n| n.advertise.iter().copied())
            .collect();
        if !advertised.is_empty() {
            out.push_str("  address-family ipv4 unicast\n");
            for s in advertised {
                let _ = writeln!(out, "    network {}", self.services[s]);
            }
            out.push_str("  exit-address-family\n");
        }
        out.push('\n');
    }
}

/// Builds a chain of models by random edits.
#[derive(Debug)]
pub struct Generator {
    rng: Rng,
    model: Model,
    next_neighbor: u32,
    next_service: u32,
    next_profile: u32,
}

impl Generator {
    /// A generator whose first model has one neighbor and one service.
    pub fn new(seed: u64) -> Generator {
        let mut g = Generator {
            rng: Rng::new(seed),
            model: Model::default(),
            next_neighbor: 1,
            next_service: 1,
            next_profile: 1,
        };
        g.model.routers.push(Router::default());
        g.add_service();
        g.add_neighbor(0);
        g
    }

    /// The current model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    fn add_service(&mut self) {
        let s = service(self.next_service * 7 + 3);
        self.next_service += 1;
        self.model.services.push(s);
    }

    fn new_neighbor(&mut self, vrf: bool) -> Neighbor {
        let n = self.next_neighbor;
        self.next_neighbor += 1;
        let addr = match (vrf, self.rng.chance(20)) {
            (true, _) => format!("198.51.100.{}", n % 250 + 1),
            (false, true) => format!("2001:db8::{:x}", n % 250 + 1),
            (false, false) => format!("192.0.2.{}", n % 250 + 1),
        };
        Neighbor {
            addr,
            asn: 64600 + self.rng.below(3) as u32,
            bfd: None,
            receive: Receive::Deny,
            advertise: BTreeSet::new(),
            multihop: self.rng.chance(20),
            password: None,
        }
    }

    fn add_neighbor(&mut self, router: usize) {
        let vrf = self.model.routers[router].vrf.is_some();
        let mut n = self.new_neighbor(vrf);
        if !self.model.services.is_empty() {
            n.advertise
                .insert(self.rng.below(self.model.services.len()));
        }
        self.model.routers[router].neighbors.push(n);
    }

    fn filtered_prefixes(&mut self) -> Vec<String> {
        let count = 1 + self.rng.below(3);
        (0..count)
            .map(|_| match self.rng.below(3) {
                0 => format!("203.0.113.{}/32", self.rng.below(250) + 1),
                1 => format!("198.51.100.{}/26", 64 * self.rng.below(4)),
                _ => format!("198.19.{}.0/24", self.rng.below(250)),
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// Applies one random edit.
    fn edit(&mut self) -> String {
        let routers = self.model.routers.len();
        let r = self.rng.below(routers);
        let neighbors = self.model.routers[r].neighbors.len();
        match self.rng.below(12) {
            0 | 1 => {
                self.add_neighbor(r);
                "add neighbor".into()
            }
            2 if neighbors > 1 => {
                let i = self.rng.below(neighbors);
                self.model.routers[r].neighbors.remove(i);
                "remove neighbor".into()
            }
            3 => {
                self.add_service();
                if neighbors > 0 {
                    let i = self.rng.below(neighbors);
                    let s = self.model.services.len() - 1;
                    self.model.routers[r].neighbors[i].advertise.insert(s);
                }
                "add service".into()
            }
            4 if neighbors > 0 => {
                // Stop advertising one service to one neighbor.
                let i = self.rng.below(neighbors);
                let n = &mut self.model.routers[r].neighbors[i];
                if let Some(s) = n.advertise.iter().next().copied() {
                    n.advertise.remove(&s);
                }
                "remove service".into()
            }
            5 if neighbors > 0 => {
                // Receive modes advance deny → permit → filtered → deny.
                let i = self.rng.below(neighbors);
                let next = match &self.model.routers[r].neighbors[i].receive {
                    Receive::Deny => Receive::Permit,
                    Receive::Permit => Receive::Filtered(self.filtered_prefixes()),
                    Receive::Filtered(_) if self.rng.chance(50) => {
                        Receive::Filtered(self.filtered_prefixes())
                    }
                    Receive::Filtered(_) => Receive::Deny,
                };
                self.model.routers[r].neighbors[i].receive = next;
                "receive mode".into()
            }
            6 => {
                let p = Profile {
                    name: format!("bfd-profile-{}", self.next_profile),
                    receive: 100 + 50 * self.rng.below(6) as u32,
                    transmit: 100 + 50 * self.rng.below(6) as u32,
                    multiplier: 2 + self.rng.below(4) as u32,
                    echo: self.rng.chance(30),
                    passive: self.rng.chance(30),
                };
                self.next_profile += 1;
                self.model.profiles.push(p);
                "add bfd profile".into()
            }
            7 if !self.model.profiles.is_empty() => {
                let i = self.rng.below(self.model.profiles.len());
                if self.rng.chance(50) {
                    let p = &mut self.model.profiles[i];
                    p.receive = 100 + 50 * self.rng.below(6) as u32;
                    p.multiplier = 2 + self.rng.below(4) as u32;
                    p.echo = !p.echo;
                    "change bfd profile".into()
                } else {
                    let name = self.model.profiles.remove(i).name;
                    for router in &mut self.model.routers {
                        for n in &mut router.neighbors {
                            if n.bfd.as_deref() == Some(name.as_str()) {
                                n.bfd = Some(String::new());
                            }
                        }
                    }
                    "remove bfd profile".into()
                }
            }
            8 if neighbors > 0 => {
                let i = self.rng.below(neighbors);
                let bfd = match (
                    &self.model.routers[r].neighbors[i].bfd,
                    self.model.profiles.is_empty(),
                ) {
                    (None, true) => Some(String::new()),
                    (None, false) => Some(self.rng.pick(&self.model.profiles).name.clone()),
                    (Some(_), _) => None,
                };
                self.model.routers[r].neighbors[i].bfd = bfd;
                "toggle neighbor bfd".into()
            }
            9 => {
                if let Some(i) = self.model.routers.iter().position(|r| r.vrf.is_some()) {
                    self.model.routers.remove(i);
                    "remove vrf instance".into()
                } else {
                    self.model.routers.push(Router {
                        vrf: Some("red".into()),
                        router_id: Some("198.51.100.254".into()),
                        neighbors: vec![],
                    });
                    self.add_neighbor(self.model.routers.len() - 1);
                    "add vrf instance".into()
                }
            }
            10 if neighbors > 0 => {
                let i = self.rng.below(neighbors);
                let n = &mut self.model.routers[r].neighbors[i];
                n.multihop = !n.multihop;
                if self.rng.chance(30) {
                    n.password = match n.password {
                        None => Some(format!("secret{}", self.rng.below(100))),
                        Some(_) => None,
                    };
                }
                "change neighbor".into()
            }
            _ => {
                let router = &mut self.model.routers[r];
                router.router_id = match router.router_id {
                    None => Some(format!("192.0.2.{}", 200 + self.rng.below(50))),
                    Some(_) => None,
                };
                "router-id".into()
            }
        }
    }

    /// Moves to the next model by one to three edits; returns what changed.
    pub fn step(&mut self) -> String {
        let edits = 1 + self.rng.below(3);
        let what: Vec<String> = (0..edits).map(|_| self.edit()).collect();
        what.join(", ")
    }
}

/// `count` + 1 rendered models of a chain from `seed`, each with the edits
/// that led to it.
pub fn chain(seed: u64, count: usize) -> Vec<(String, String)> {
    let mut g = Generator::new(seed);
    let mut out = vec![("start".to_owned(), g.model().render())];
    for _ in 0..count {
        let what = g.step();
        out.push((what, g.model().render()));
    }
    out
}
