//! Blocks and lists a typed text deletes at the top level after typing
//! them: `no route-map NAME [permit|deny SEQ]`, `no router bgp ASN
//! [vrf|view NAME]`, `no ip|ipv6 prefix-list NAME [seq N]`, `no LIST
//! NAME` of the other lists (AS-path, community and access lists), and
//! `no OPENER` of other daemons' blocks (`router ospf`, `bfd`, `key chain
//! NAME`, …: [`PROTOCOL_BLOCKS`]). FRR deletes what the text typed before
//! the line, and a clean boot prints neither that nor the `no` (measured
//! on 8.4, 10.3, 10.4.3 and 10.7.1). Not `no interface X` nor `no vrf X`:
//! zebra refuses them while the kernel has the interface or VRF, which
//! the parser cannot know; a deletion read there could be a false
//! success. Before: the parser kept both, the
//! reload typed both on every pass, FRR ended as its clean boot does,
//! and the reload said "not converged"; a VRF's instance made again with
//! another AS after its `no` was refused as a second instance.
//!
//! The parser reads such a line as the deletion: the contexts it deletes
//! are renamed to tombstones, which the end drops, and what is typed
//! after it makes new ones, at the end, where FRR makes them. The `no`
//! line itself is not kept: what the text leaves is the configuration
//! without the block, and the reload deletes from FRR what the
//! configuration does not have.

use rustc_hash::FxHashMap;

use crate::config::list;
use crate::config::tree::{Config, Key};

/// The blocks and lists of a text that a top-level `no` may delete, and
/// the contexts deleted so far.
#[derive(Default)]
pub(super) struct Deletions {
    /// The contexts of each block or list that may be deleted, by
    /// [`family`], deleted ones left out.
    families: FxHashMap<String, Vec<usize>>,
    /// Whether list lines are followed: from the first `no` of a list on
    /// (the lines before it are found then), sparing a configuration of
    /// many lists that deletes none a hash insert per line.
    lists: bool,
    /// The contexts deleted, renamed to tombstones.
    deleted: Vec<usize>,
}

/// What a top-level `no` line deletes.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target<'a> {
    /// `no route-map NAME`, or one entry of it: FRR keys an entry by its
    /// sequence number alone (`no_route_map_cmd` ignores the action).
    RouteMap { name: &'a str, seq: Option<&'a str> },
    /// `no router bgp ASN [vrf|view NAME] [as-notation …]`: the instance
    /// of `name` (`vrf X`, `view X`, or empty for the default).
    Bgp { asn: u32, name: String },
    /// `no ip|ipv6 prefix-list NAME [seq N]`, or `no LIST NAME` of another
    /// list: `list` is its first words up to the name.
    List { list: &'a str, seq: Option<&'a str> },
    /// `no OPENER` of another daemon's block ([`PROTOCOL_BLOCKS`]).
    Block { opener: &'a str },
}

/// The blocks besides `router bgp` whose `no OPENER` deletes what the
/// opener opened, each from its daemon's own `no` command, with nothing
/// left printed (measured with every daemon on 8.4, 10.3, 10.4.3 and
/// 10.7.1): the opener's first words, matched with the rest of it. Not
/// `router pim`: pimd 10 keeps its static RPs printed after it.
const PROTOCOL_BLOCKS: [&str; 10] = [
    "router ospf",
    "router ospf6",
    "router rip",
    "router ripng",
    "router isis ",
    "router openfabric ",
    "router eigrp ",
    "router babel",
    "bfd",
    "key chain ",
];

/// Whether `opener` is one of [`PROTOCOL_BLOCKS`]: a bare opener is the
/// word itself, or followed by more words (`router ospf vrf X`,
/// `router ospf 2`).
fn protocol_block(opener: &str) -> bool {
    PROTOCOL_BLOCKS.iter().any(|b| match b.strip_suffix(' ') {
        Some(_) => opener.len() > b.len() && opener.starts_with(b),
        None => opener
            .strip_prefix(b)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' ')),
    })
}

impl Target<'_> {
    /// The [`family`] of what the line deletes.
    pub(super) fn family(&self) -> String {
        match self {
            Target::RouteMap { name, .. } => format!("route-map {name}"),
            Target::Bgp { asn, name } => bgp_family(*asn, name),
            Target::List { list, .. } => (*list).to_owned(),
            Target::Block { opener } => (*opener).to_owned(),
        }
    }

    /// Whether the line deletes the context of its family that `opener`
    /// opens: all of them, but for one entry of a route-map or a
    /// prefix-list, named by its sequence number.
    pub(super) fn takes(&self, opener: &str) -> bool {
        match self {
            Target::RouteMap { seq: Some(seq), .. } => opener.rsplit(' ').next() == Some(*seq),
            Target::List {
                list,
                seq: Some(seq),
            } => list::split_entry(opener)
                .and_then(|(slot, _)| slot.strip_prefix(*list)?.strip_prefix(" seq "))
                .is_some_and(|n| n == *seq),
            _ => true,
        }
    }
}

/// Whether `family` is a `router bgp` instance of a VRF or a view.
pub(super) fn is_named_bgp_instance(family: &str) -> bool {
    family.starts_with("bgp ") && !family.ends_with(' ')
}

/// The target of top-level `line`, if it deletes what this module
/// follows. A `no router bgp` without an AS is left alone: bgpd takes it
/// only where there is one instance.
pub(super) fn target(line: &str) -> Option<Target<'_>> {
    let rest = line.strip_prefix("no ")?;
    let words: Vec<&str> = rest.split(' ').collect();
    let seq_of = |seq: &str| seq.parse::<u32>().is_ok_and(|s| s > 0);
    match words.as_slice() {
        ["route-map", name] => Some(Target::RouteMap { name, seq: None }),
        ["route-map", name, "permit" | "deny", seq] if seq.parse::<u16>().is_ok_and(|s| s > 0) => {
            Some(Target::RouteMap {
                name,
                seq: Some(seq),
            })
        }
        ["router", "bgp", asn, more @ ..] => {
            let more = match more {
                [head @ .., "as-notation", "dot" | "dot+" | "plain"] => head,
                _ => more,
            };
            let name = match more {
                [] | ["vrf", "default"] => String::new(),
                [kind @ ("vrf" | "view"), name] => format!("{kind} {name}"),
                _ => return None,
            };
            Some(Target::Bgp {
                asn: asn_value(asn)?,
                name,
            })
        }
        ["ip" | "ipv6", "prefix-list", _, "seq", seq] if seq_of(seq) => Some(Target::List {
            list: rest.rsplitn(3, ' ').nth(2)?,
            seq: Some(seq),
        }),
        _ if list_family(rest) == Some(rest) => Some(Target::List {
            list: rest,
            seq: None,
        }),
        _ if protocol_block(rest) => Some(Target::Block { opener: rest }),
        _ => None,
    }
}

/// The family of a block context whose top-level opener is `opener`, if
/// a `no` may delete it: `route-map NAME` for each entry of the
/// route-map, the instance for each context of a `router bgp`, the
/// opener of another daemon's block.
pub(super) fn family(opener: &str) -> Option<String> {
    if protocol_block(opener) {
        return Some(opener.to_owned());
    }
    if let Some(rest) = opener.strip_prefix("route-map ") {
        let name = rest.split(' ').next()?;
        return Some(format!("route-map {name}"));
    }
    let rest = opener.strip_prefix("router bgp ")?;
    let words: Vec<&str> = rest.split(' ').collect();
    let (asn, more) = words.split_first()?;
    let more = match more {
        [head @ .., "as-notation", _] => head,
        _ => more,
    };
    let name = match more {
        [kind, name] if *name != "default" || *kind == "view" => format!("{kind} {name}"),
        _ => String::new(),
    };
    Some(bgp_family(asn_value(asn)?, &name))
}

/// The list a top-level `line` is a line of, if a `no` may delete it:
/// its command's words and its name (`ip prefix-list NAME`, `bgp
/// community-list standard NAME`, `access-list NAME`, …), for its
/// entries and its other lines (a description, a remark).
pub(super) fn list_family(line: &str) -> Option<&str> {
    let (_, words) = list::command(line)?;
    let mut end = words.len();
    let mut rest = line[end..].split(' ');
    let mut name = rest.next()?;
    if matches!(name, "standard" | "expanded") {
        end += name.len() + 1;
        name = rest.next()?;
    }
    (!name.is_empty()).then(|| &line[..end + name.len()])
}

fn bgp_family(asn: u32, name: &str) -> String {
    format!("bgp {asn} {name}")
}

/// An AS number, plain (`65546`) or dotted (`1.10`).
fn asn_value(asn: &str) -> Option<u32> {
    match asn.split_once('.') {
        None => asn.parse().ok(),
        Some((high, low)) => {
            let (high, low) = (high.parse::<u16>().ok()?, low.parse::<u16>().ok()?);
            Some(u32::from(high) << 16 | u32::from(low))
        }
    }
}

impl Deletions {
    /// Records the new block context `index`, opened by `opener` at the
    /// top.
    pub(super) fn record_block(&mut self, index: usize, opener: &str) {
        if let Some(family) = family(opener) {
            self.families.entry(family).or_default().push(index);
        }
    }

    /// Records the new top-level line `index`, if lists are followed.
    pub(super) fn record_line(&mut self, index: usize, line: &str) {
        if self.lists {
            if let Some(family) = list_family(line) {
                self.families
                    .entry(family.to_owned())
                    .or_default()
                    .push(index);
            }
        }
    }

    /// Follows the lists of `config` from now on: those typed so far are
    /// recorded.
    pub(super) fn follow_lists(&mut self, config: &Config) {
        if self.lists {
            return;
        }
        self.lists = true;
        for (index, key) in config.contexts.keys().enumerate() {
            if let Key::Line(line) = key {
                self.record_line(index, line);
            }
        }
    }

    /// The contexts of `family` not deleted.
    pub(super) fn live(&self, family: &str) -> &[usize] {
        self.families.get(family).map_or(&[], Vec::as_slice)
    }

    /// Whether any context of a family for which `pick` holds is not
    /// deleted.
    pub(super) fn any_live(&self, pick: impl Fn(&str) -> bool) -> bool {
        self.families
            .iter()
            .any(|(family, indices)| pick(family) && !indices.is_empty())
    }

    /// The highest sequence number of the entries of list `family` not
    /// deleted (0 for none).
    pub(super) fn highest_seq(&self, config: &Config, family: &str) -> u64 {
        self.live(family)
            .iter()
            .filter_map(|&i| list::split_entry(&config.contexts.get_index(i)?.0[0]))
            .filter_map(|(slot, _)| slot.rsplit(' ').next()?.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
    }

    /// Deletes the contexts `doomed` of `family` (some of [`Self::live`],
    /// in its order) from `config`: each is renamed to a tombstone (no
    /// line of a text has a NUL), to be dropped at the end.
    pub(super) fn delete(&mut self, config: &mut Config, family: &str, doomed: &[usize]) {
        for &index in doomed {
            let tombstone = Key::Line(format!("\0{index}"));
            let _ = config.contexts.replace_index(index, tombstone);
            config.contexts[index].lines = Default::default();
            self.deleted.push(index);
        }
        if let Some(live) = self.families.get_mut(family) {
            // Both in the order made: a search each, not a scan.
            live.retain(|i| doomed.binary_search(i).is_err());
        }
    }

    /// Deletes context `index`, of no family, from `config` (see
    /// [`Self::delete`]): a top-level line, or a bfd peer or profile.
    pub(super) fn bury(&mut self, config: &mut Config, index: usize) {
        let tombstone = Key::Line(format!("\0{index}"));
        let _ = config.contexts.replace_index(index, tombstone);
        self.deleted.push(index);
    }

    /// Drops the deleted contexts from `config`, and from `blocks`, the
    /// indices of its blocks, which it renumbers.
    pub(super) fn drop_deleted(&mut self, config: &mut Config, blocks: &mut Vec<usize>) {
        if self.deleted.is_empty() {
            return;
        }
        let mut dead = vec![false; config.contexts.len()];
        for &index in &self.deleted {
            dead[index] = true;
        }
        // The new index of each context kept.
        let mut renumbered = Vec::with_capacity(dead.len());
        let mut kept = 0;
        for &gone in &dead {
            renumbered.push(kept);
            kept += usize::from(!gone);
        }
        let mut index = 0;
        config.contexts.retain(|_, _| {
            index += 1;
            !dead[index - 1]
        });
        blocks.retain(|&i| !dead[i]);
        for i in blocks.iter_mut() {
            *i = renumbered[*i];
        }
        let contexts = &config.contexts;
        config.openers.retain(|key, _| contexts.contains_key(key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lines_that_delete_blocks() {
        assert_eq!(
            target("no route-map B"),
            Some(Target::RouteMap {
                name: "B",
                seq: None
            })
        );
        assert_eq!(
            target("no route-map B deny 10"),
            Some(Target::RouteMap {
                name: "B",
                seq: Some("10")
            })
        );
        assert_eq!(target("no route-map B deny 0"), None);
        assert_eq!(target("no route-map B permit"), None);
        assert_eq!(target("route-map B permit 10"), None);
        let bgp = |line| target(line).map(|t| t.family());
        assert_eq!(
            bgp("no router bgp 65002 vrf red").as_deref(),
            Some("bgp 65002 vrf red")
        );
        assert_eq!(bgp("no router bgp 1.10").as_deref(), Some("bgp 65546 "));
        assert_eq!(
            bgp("no router bgp 65001 vrf default").as_deref(),
            Some("bgp 65001 ")
        );
        assert_eq!(
            bgp("no router bgp 65001 view v as-notation dot").as_deref(),
            Some("bgp 65001 view v")
        );
        assert_eq!(bgp("no router bgp"), None);
        assert_eq!(bgp("no router bgp 65001 vrf"), None);
    }

    #[test]
    fn a_block_and_its_no_name_one_family() {
        for (opener, line) in [
            ("route-map B permit 10", "no route-map B"),
            ("router bgp 65546 vrf red", "no router bgp 1.10 vrf red"),
            ("router bgp 1.10 as-notation dot", "no router bgp 65546"),
            ("router bgp 65001 vrf default", "no router bgp 65001"),
        ] {
            assert_eq!(family(opener), target(line).map(|t| t.family()), "{opener}");
        }
        assert_eq!(
            family("route-map B permit 10"),
            family("route-map B deny 20")
        );
        assert_ne!(family("router bgp 1 vrf a"), family("router bgp 1 view a"));
        assert_eq!(family("ip prefix-list B seq 5 permit any"), None);
    }

    fn keys(text: &str) -> Vec<String> {
        let config = Config::parse(text).unwrap();
        config
            .contexts
            .iter()
            .map(|(k, c)| {
                let lines: Vec<&str> = c.lines.iter().map(String::as_str).collect();
                format!("{} [{}]", k.join(" / "), lines.join(", "))
            })
            .collect()
    }

    #[test]
    fn a_route_map_deleted_after_it_is_typed_is_gone() {
        let text = "route-map A permit 10\n set metric 5\nroute-map B permit 10\n set metric 7\n\
                    route-map B deny 20\nno route-map B\n";
        assert_eq!(keys(text), ["route-map A permit 10 [set metric 5]"]);
        // Nothing to delete: nothing kept either.
        assert!(keys("no route-map B\n").is_empty());
    }

    #[test]
    fn a_route_map_opened_again_after_its_delete_starts_empty() {
        let text = "route-map B permit 10\n set metric 7\nno route-map B\n\
                    route-map B permit 10\n set tag 3\n";
        assert_eq!(keys(text), ["route-map B permit 10 [set tag 3]"]);
    }

    #[test]
    fn one_entry_is_deleted_by_its_sequence_whatever_its_action() {
        let text = "route-map B permit 10\n set metric 7\nroute-map B permit 110\n\
                    set tag 1\nno route-map B deny 10\n";
        assert_eq!(keys(text), ["route-map B permit 110 [set tag 1]"]);
    }

    #[test]
    fn a_vrf_instance_deleted_may_be_made_again_with_another_as() {
        let text = "router bgp 65002 vrf red\n neighbor 192.0.2.1 remote-as 1\n\
                    address-family ipv4 unicast\n  neighbor 192.0.2.1 activate\n\
                    exit-address-family\nexit\nno router bgp 65002 vrf red\n\
                    router bgp 65003 vrf red\n bgp router-id 192.0.2.9\n";
        assert_eq!(
            keys(text),
            ["router bgp 65003 vrf red [bgp router-id 192.0.2.9]"]
        );
        // Its peers went with it.
        let undefined = "router bgp 1\n neighbor 192.0.2.1 remote-as 2\nexit\n\
                         no router bgp 1\nrouter bgp 1\n neighbor 192.0.2.1 timers 3 10\n";
        assert!(Config::parse(undefined).is_err());
    }

    #[test]
    fn a_delete_bgpd_may_refuse_or_do_in_part_is_refused() {
        let default_with_vrf = "router bgp 1\nexit\nrouter bgp 1 vrf red\nexit\nno router bgp 1\n";
        let importing = "router bgp 1\n address-family ipv4 unicast\n  import vrf red\n\
                         exit-address-family\nexit\nno router bgp 1\n";
        let l3vni = "vrf red\n vni 100\nexit-vrf\nrouter bgp 1 vrf red\nexit\n\
                     no router bgp 1 vrf red\n";
        for (text, line) in [(default_with_vrf, 5), (importing, 6), (l3vni, 6)] {
            match Config::parse(text) {
                Err(crate::Error::Parse {
                    line: at, reason, ..
                }) => {
                    assert_eq!(at, line, "{text}");
                    assert!(reason.contains("others depend on"), "{reason}");
                }
                other => panic!("{text}: {:?}", other.map(|c| c.to_string())),
            }
        }
        // The default instance alone goes.
        assert!(keys(
            "router bgp 1\nexit\nrouter bgp 1 vrf red\nexit\n\
                      no router bgp 1 vrf red\nno router bgp 1\n"
        )
        .is_empty());
    }

    #[test]
    fn the_printed_form_of_what_is_left_reads_the_same() {
        let text = "route-map B permit 10\n set metric 7\nno route-map B\nroute-map C permit 5\n\
                    router bgp 1 vrf x\nexit\nno router bgp 1 vrf x\nrouter bgp 2\n";
        let config = Config::parse(text).unwrap();
        let again = Config::parse(&config.to_string()).unwrap();
        assert_eq!(keys(&config.to_string()), keys(&again.to_string()));
        assert_eq!(keys(text), keys(&config.to_string()));
    }

    #[test]
    fn a_list_deleted_is_numbered_again_from_its_start() {
        let text = "ip prefix-list L permit 198.51.100.0/24\nip prefix-list L description d\n\
                    ip prefix-list K seq 5 deny any\nno ip prefix-list L\n\
                    ip prefix-list L deny 203.0.113.0/24\n\
                    bgp as-path access-list A permit _1_\nno bgp as-path access-list A\n\
                    bgp as-path access-list A permit _2_\n";
        assert_eq!(
            keys(text),
            [
                "ip prefix-list K seq 5 deny any []",
                "ip prefix-list L seq 5 deny 203.0.113.0/24 []",
                "bgp as-path access-list A seq 5 permit _2_ []",
            ]
        );
        assert!(keys("no ipv6 prefix-list L\n").is_empty());
    }

    #[test]
    fn one_entry_of_a_list_goes_and_the_next_is_numbered_above_the_rest() {
        let text = "ip prefix-list L permit 198.51.100.0/24\nip prefix-list L deny any\n\
                    no ip prefix-list L seq 10\nip prefix-list L permit 203.0.113.0/24\n";
        assert_eq!(
            keys(text),
            [
                "ip prefix-list L seq 5 permit 198.51.100.0/24 []",
                "ip prefix-list L seq 10 permit 203.0.113.0/24 []",
            ]
        );
    }

    #[test]
    fn other_daemons_blocks_go_by_their_opener() {
        let text = "router ospf\n ospf router-id 192.0.2.1\nexit\nno router ospf\n\
                    bfd\n profile p1\n  detect-multiplier 4\n exit\nexit\nno bfd\n\
                    bfd\n profile p2\n exit\nexit\n\
                    key chain K\n key 1\n  key-string k\n exit\nexit\nno key chain K\n\
                    router isis 1\nexit\nrouter isis 12\nexit\nno router isis 1\n";
        assert_eq!(
            keys(text),
            ["bfd []", "bfd / profile p2 []", "router isis 12 []"]
        );
        // Nothing of its kind typed before: it deletes nothing, and goes.
        assert!(keys("no router ospf\nno key chain K\n").is_empty());
        // A block of its kind named otherwise: read as any other line.
        assert_eq!(
            keys("router ospf vrf red\nexit\nno router ospf\n"),
            ["router ospf vrf red []", "no router ospf []"]
        );
        assert_eq!(target("no router pim"), None);
        assert_eq!(target("no bfdx"), None);
        assert_eq!(target("no router isis"), None);
    }

    #[test]
    fn community_and_access_lists_go_by_their_name() {
        let text = "bgp community-list standard C1 permit 65000:1\nno bgp community-list standard C1\n\
                    bgp community-list standard C1 permit 65000:3\nbgp community-list 1 permit 65000:4\n\
                    no bgp community-list 1\naccess-list A1 seq 5 permit 192.0.2.0/24\n\
                    access-list A1 remark hello\nno access-list A1\naccess-list A2 permit any\n";
        assert_eq!(
            keys(text),
            [
                "bgp community-list standard C1 seq 5 permit 65000:3 []",
                "access-list A2 seq 5 permit any []",
            ]
        );
        assert_eq!(
            list_family("bgp community-list expanded E seq 5 permit _1_"),
            Some("bgp community-list expanded E")
        );
        assert_eq!(
            list_family("access-list A1 remark hello"),
            Some("access-list A1")
        );
        assert_eq!(list_family("route-map A permit 10"), None);
        // A `no` of one entry by its content is not a list's name.
        assert_eq!(target("no access-list A1 seq 5 permit any"), None);
    }
}
