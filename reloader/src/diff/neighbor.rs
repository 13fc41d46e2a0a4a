//! BGP neighbor lifecycle. Some deletes destroy a whole neighbor in FRR
//! (`no neighbor X remote-as …`, leaving or losing a peer-group): the
//! neighbor's other deletes then fail, and its lines that stay in the
//! desired config vanish with it. frr-reload.py reorders such lines and
//! runs a second pass to re-add what was lost; here each destroyed
//! neighbor gets one `no neighbor X` after the other deletes of its
//! instance (members before peer-groups), and a neighbor that the desired
//! config still has is recreated with all of its desired lines.

use indexmap::IndexSet;

use crate::config::tree::{Config, Context, Key};
use crate::diff::plan::{Phase, Plan};

/// The peer (address, interface or peer-group name) a neighbor line is
/// about.
fn peer_of(line: &str) -> Option<&str> {
    let line = line.strip_prefix("no ").unwrap_or(line);
    line.strip_prefix("neighbor ")?.split(' ').next()
}

/// What deleting this `router bgp` level line does to its peer.
#[derive(Debug, PartialEq, Eq)]
enum Destroys {
    /// The neighbor goes away (`remote-as`, `interface …`, membership).
    Neighbor,
    /// The peer-group goes away, with the members it gave an AS to.
    PeerGroup,
}

fn destroys(line: &str) -> Option<Destroys> {
    let rest = line.strip_prefix("neighbor ")?;
    let mut words = rest.split(' ').skip(1);
    match (words.next(), words.next()) {
        (Some("peer-group"), None) => Some(Destroys::PeerGroup),
        (Some("remote-as" | "interface" | "peer-group"), _) => Some(Destroys::Neighbor),
        _ => None,
    }
}

/// `(member, group)` of `neighbor M [interface [v6only]] peer-group G`.
fn membership(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("neighbor ")?;
    let words: Vec<&str> = rest.split(' ').collect();
    match words.as_slice() {
        [m, "peer-group", g] | [m, "interface", "peer-group", g] => Some((m, g)),
        [m, "interface", "v6only", "peer-group", g] => Some((m, g)),
        _ => None,
    }
}

/// The interface peers of running instance `ctx` that the plan gives a
/// bare `ebgp-multihop`: made again, not changed. On an interface peer
/// bgpd takes no `ebgp-multihop` (`peer_ebgp_multihop_set`), and prints
/// it only for the TTL of 255 an iBGP peer was made with before a
/// `local-as` sorted it eBGP (see `rules::add_local_as_multihop`); a
/// running eBGP peer whose remote AS becomes the instance's keeps its TTL
/// of 1. Made again, it is made as a clean boot makes it. Before: frr-k8s's
/// unnumbered neighbor with a `local-as`, its AS changed to the router's,
/// read "not converged" (FRR 10.3 to 10.7.1; found by rendering frr-k8s's
/// templates with random inputs).
fn remade_for_ttl(plan: &Plan<'_>, key: &Key, ctx: &Context) -> Vec<String> {
    let on_interface = |peer: &str| {
        ctx.lines.iter().any(|l| {
            let words = l.strip_prefix("neighbor ").map(|r| r.split(' '));
            words.is_some_and(|mut w| w.next() == Some(peer) && w.next() == Some("interface"))
        })
    };
    plan.adds
        .iter()
        .filter(|op| op.context == key.as_slice())
        .filter_map(|op| {
            op.line
                .strip_prefix("neighbor ")?
                .strip_suffix(" ebgp-multihop")
        })
        .filter(|peer| on_interface(peer))
        .map(str::to_owned)
        .collect()
}

/// Rewrites the plan's neighbor deletes and adds, instance by instance:
/// `instances` are the running `router bgp` contexts that `desired` has.
pub(crate) fn lifecycle<'a>(
    plan: &mut Plan<'a>,
    instances: &[(&'a Key, &'a Context)],
    desired: &'a Config,
) {
    for &(key, ctx) in instances {
        let instance = key[0].as_str();
        let mut destroyed: IndexSet<String> = IndexSet::new();
        let mut groups: IndexSet<String> = IndexSet::new();
        for op in plan
            .deletes
            .iter()
            .filter(|op| op.context == key.as_slice())
        {
            let set = match destroys(&op.line) {
                Some(Destroys::PeerGroup) => &mut groups,
                Some(Destroys::Neighbor) => &mut destroyed,
                None => continue,
            };
            set.insert(peer_of(&op.line).expect("neighbor line").to_owned());
        }
        destroyed.extend(remade_for_ttl(plan, key, ctx));
        for (member, group) in ctx.lines.iter().filter_map(|l| membership(l)) {
            if groups.contains(group) {
                destroyed.insert(member.to_owned());
            }
        }
        destroyed.retain(|peer| !groups.contains(peer));
        if destroyed.is_empty() && groups.is_empty() {
            continue;
        }
        let in_instance =
            |context: &[String]| context.first().map(String::as_str) == Some(instance);
        let gone =
            |line: &str| peer_of(line).is_some_and(|p| destroyed.contains(p) || groups.contains(p));
        plan.deletes
            .retain(|op| !(in_instance(op.context) && gone(&op.line)));
        for peer in &destroyed {
            plan.delete(key, format!("neighbor {peer}"), Phase::Neighbor);
        }
        for group in &groups {
            // `no neighbor G peer-group`, not `no neighbor G`: a group may
            // be named like an address (topotests' bgp_evpn_rt5_implied),
            // which `no neighbor G` looks up as a peer, finds none, and
            // leaves the group in place, saying nothing.
            plan.delete(
                key,
                format!("neighbor {group} peer-group"),
                Phase::PeerGroup,
            );
        }
        // Recreate what the desired config keeps, global lines first.
        let recreated = |line: &str| peer_of(line).is_some_and(|p| destroyed.contains(p));
        plan.adds
            .retain(|op| !(in_instance(op.context) && recreated(&op.line)));
        let contexts = desired.contexts.iter().filter(|(k, _)| k[0] == instance);
        let (global, nested): (Vec<_>, Vec<_>) = contexts.partition(|(k, _)| k.len() == 1);
        for (dkey, dctx) in global.into_iter().chain(nested) {
            for line in dctx.lines.iter().filter(|l| recreated(l)) {
                plan.add(dkey, line.as_str(), Phase::Lines);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_neighbor_lines() {
        assert_eq!(
            destroys("neighbor PG peer-group"),
            Some(Destroys::PeerGroup)
        );
        assert_eq!(
            destroys("neighbor 192.0.2.1 peer-group PG"),
            Some(Destroys::Neighbor)
        );
        assert_eq!(
            destroys("neighbor 192.0.2.1 remote-as 64600"),
            Some(Destroys::Neighbor)
        );
        assert_eq!(
            destroys("neighbor swp1 interface remote-as external"),
            Some(Destroys::Neighbor)
        );
        assert_eq!(destroys("neighbor 192.0.2.1 timers 3 9"), None);
        assert_eq!(
            membership("neighbor swp1 interface peer-group PG"),
            Some(("swp1", "PG"))
        );
        assert_eq!(peer_of("no neighbor 192.0.2.1 activate"), Some("192.0.2.1"));
    }
}
