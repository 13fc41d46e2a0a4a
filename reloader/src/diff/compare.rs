//! Context-by-context comparison of a running and a desired configuration:
//! which contexts and lines to delete, which to add, and which change in
//! place. Linear in the size of both: every lookup is a hash lookup.
//!
//! The special cases of frr-reload.py's `compare_context_objects`,
//! `ignore_delete_re_add_lines`, `delete_move_lines` and
//! `ignore_unconfigurable_lines` are here, in [`crate::config::slot`]
//! (in-place changes) and in [`crate::diff::neighbor`] (BGP neighbor
//! lifecycle).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;

use crate::config::grammar::Kind;
use crate::config::list;
use crate::config::slot::{self, slot, top_slot};
use crate::config::tree::{Config, Context, Key};
use crate::diff::plan::{Op, Phase, Plan, Sorted};
use crate::diff::{neighbor, rebuild};

/// Top-level commands FRR cannot (or must not) remove. `hostname` is
/// taken at boot only: a configuration without one leaves it alone;
/// `username` and `service integrated-vtysh-config` are vtysh's own
/// (vtysh.conf). (`line vty` is not here: it has no `no` form, but its
/// lines are deleted one by one, see [`removable_whole`]; kept whole, an
/// `exec-timeout` a clean boot would not set was a false success, found
/// by reloading topotest routers to copies with lines taken out.) (`agentx` is not here: FRR refuses `no agentx`, and the
/// refusal is reported, where keeping it quietly claimed a success a
/// clean boot does not show.)
const UNCONFIGURABLE: &[&str] = &[
    "hostname",
    "frr version",
    "frr defaults",
    "username",
    "service integrated-vtysh-config",
];

/// What bgpd 10.7.1 prints in `router bgp` after `no segment-routing
/// srv6` (see `remove_context`).
const SRV6_ONLY_OFF: &str = "no srv6-only";

/// Kernel state that FRR prints but a configuration rarely states: FRR
/// started without a configuration prints `no ip forwarding` when the
/// kernel does not forward. A desired configuration that does not mention
/// forwarding leaves it as it is (deleting `no ip forwarding` would turn
/// forwarding on).
const KERNEL_STATE: &[&str] = &[
    "ip forwarding",
    "no ip forwarding",
    "ipv6 forwarding",
    "no ipv6 forwarding",
];

/// The plan that turns `running` into `desired`, in script order.
pub(crate) fn plan<'a>(running: &'a Config, desired: &'a Config) -> Sorted<'a> {
    let mut plan = Plan::default();
    let twins = Twins::new(running, desired);
    let index = Index::new(&twins, running, desired);
    // At least one op per context only one side has: no regrowing.
    plan.deletes.reserve(twins.removed.len());
    plan.adds.reserve(twins.added.len());
    let old = running.contexts.iter().zip(&twins.running).enumerate();
    for (at, ((key, ctx), &twin)) in old.rev() {
        match twin {
            Twin::Differs(want) => delete_lines(&mut plan, key, ctx, want),
            Twin::Same => {}
            Twin::Missing => {
                let replaced = index.replaced_top.get(at).copied().unwrap_or(false);
                remove_context(&mut plan, key, ctx, running, desired, &index, replaced)
            }
        }
    }
    for ((key, want), &twin) in desired.contexts.iter().zip(&twins.desired) {
        match twin {
            Twin::Differs(have) => add_lines(&mut plan, key, want, have),
            Twin::Same => {}
            Twin::Missing => {
                let opener = desired.openers.get(key).map(|o| &**o);
                add_context(&mut plan, key, want, opener, running, &index)
            }
        }
    }
    // The passes that rewrite the plan as a whole, in their order: the
    // neighbor lifecycle and the resequencing work on the plan as built,
    // the rebuild on the plan as it will run.
    neighbor::lifecycle(&mut plan, &twins.instances, desired);
    resequence_lists(&mut plan, &index);
    rebuild::rebuild_lists(plan.sorted(), running, desired)
}

/// A context and its key.
type Entry<'a> = (&'a Key, &'a Context);

/// The other side's context of the same key.
#[derive(Debug, Clone, Copy)]
enum Twin<'a> {
    /// There is none.
    Missing,
    /// It has the same lines.
    Same,
    /// It has other lines.
    Differs(&'a Context),
}

/// What each side has of the other's contexts. Everything else works on
/// what differs.
struct Twins<'a> {
    /// Per running context, in order.
    running: Vec<Twin<'a>>,
    /// Per desired context, in order.
    desired: Vec<Twin<'a>>,
    /// The running contexts the desired configuration lacks, last first,
    /// with their position in the running configuration.
    removed: Vec<(usize, Entry<'a>)>,
    /// The desired contexts the running configuration lacks, in order.
    added: Vec<Entry<'a>>,
    /// The running `router bgp` contexts the desired configuration has,
    /// in order.
    instances: Vec<Entry<'a>>,
}

impl<'a> Twins<'a> {
    fn new(running: &'a Config, desired: &'a Config) -> Twins<'a> {
        // At most one hash lookup per running context, none while both
        // sides list the same contexts in the same order (the common case:
        // it also keeps memory access sequential on large configurations).
        // Lines are compared once per pair, while both contexts are in
        // cache.
        let mut twins = Twins {
            running: Vec::with_capacity(running.contexts.len()),
            desired: vec![Twin::Missing; desired.contexts.len()],
            removed: Vec::new(),
            added: Vec::new(),
            instances: Vec::new(),
        };
        let mut guess = 0;
        for (at, (key, have)) in running.contexts.iter().enumerate() {
            let j = match desired.contexts.get_index(guess) {
                Some((k, _)) if k == key => Some(guess),
                _ => desired.contexts.get_index_of(key),
            };
            let Some(j) = j else {
                twins.running.push(Twin::Missing);
                twins.removed.push((at, (key, have)));
                continue;
            };
            guess = j + 1;
            if have.kind == Kind::RouterBgp {
                twins.instances.push((key, have));
            }
            let want = &desired.contexts[j];
            if want.lines == have.lines {
                twins.desired[j] = Twin::Same;
                twins.running.push(Twin::Same);
            } else {
                twins.desired[j] = Twin::Differs(have);
                twins.running.push(Twin::Differs(want));
            }
        }
        twins.removed.reverse();
        twins.rebuild_vrf_instances(running, desired);
        twins.added = desired
            .contexts
            .iter()
            .zip(&twins.desired)
            .filter(|(_, twin)| matches!(twin, Twin::Missing))
            .map(|(entry, _)| entry)
            .collect();
        twins
    }

    /// bgpd refuses `no router bgp ASN` while an instance of a VRF leaks
    /// routes through it ("Dependent VRF instances exist": `import|export
    /// vpn`, `import vrf`, EVPN's `advertise ipv4|ipv6 unicast`, an L3
    /// VNI; `no_router_bgp`). Where the default instance goes (the
    /// desired configuration has another ASN, or none) and a VRF's
    /// instance depends on it, every running VRF instance goes first,
    /// whole, and the desired ones are made again after the new default
    /// instance: kept, they held the old one, and nothing after it applied
    /// (topotest bgp_vpnv4_noretain r1 to r2, whose VRF instances keep
    /// their ASN). Their sessions reset, as the default instance's do.
    /// Without a dependent VRF, bgpd deletes the default instance and
    /// the VRFs' stay as they are.
    fn rebuild_vrf_instances(&mut self, running: &'a Config, desired: &'a Config) {
        let in_vrf_instance =
            |key: &Key| key[0].starts_with("router bgp ") && key[0].contains(" vrf ");
        let default_goes = self.removed.iter().any(|(_, (key, ctx))| {
            ctx.kind == Kind::RouterBgp && key.len() == 1 && !in_vrf_instance(key)
        });
        if !default_goes
            || !running.contexts.iter().any(|(key, ctx)| {
                (in_vrf_instance(key) && ctx.lines.iter().any(|l| leaks_through_default(l)))
                    || (ctx.kind == Kind::Vrf && ctx.lines.iter().any(|l| l.starts_with("vni ")))
            })
        {
            return;
        }
        let old = running.contexts.iter().zip(self.running.iter_mut());
        for (at, ((key, have), twin)) in old.enumerate() {
            if !in_vrf_instance(key) {
                continue;
            }
            if key.len() > 1 {
                // Goes with its instance: nothing of its own to delete.
                *twin = Twin::Same;
            } else if !matches!(twin, Twin::Missing) {
                *twin = Twin::Missing;
                self.removed.push((at, (key, have)));
            }
        }
        // Last first, as built.
        self.removed
            .sort_unstable_by_key(|&(at, _)| std::cmp::Reverse(at));
        for ((key, _), twin) in desired.contexts.iter().zip(self.desired.iter_mut()) {
            if in_vrf_instance(key) {
                *twin = Twin::Missing;
            }
        }
        self.instances.retain(|(key, _)| !in_vrf_instance(key));
    }
}

/// Whether a line of a VRF's BGP instance makes it depend on the default
/// instance (see [`Twins::rebuild_vrf_instances`]).
fn leaks_through_default(line: &str) -> bool {
    [
        "import vpn",
        "export vpn",
        "import vrf ",
        "advertise ipv4 unicast",
        "advertise ipv6 unicast",
    ]
    .iter()
    .any(|p| line.starts_with(p))
}

/// Lookups that span contexts: top-level slots, whole lists and
/// route-maps that go away, route-map entries whose action changes.
struct Index<'a> {
    /// Per running context: whether it is a top-level line that a line the
    /// desired configuration adds changes in place (same slot). Empty when
    /// no top-level line goes away.
    replaced_top: Vec<bool>,
    /// Lists (`ip prefix-list NAME`, …) that have no entry left, with the
    /// slot of the running entry that stands for the whole list.
    gone_lists: HashMap<&'a str, &'a str>,
    /// Route-map names that have no entry left, with the key of the
    /// running entry that stands for the whole route-map.
    gone_route_maps: HashMap<&'a str, &'a Key>,
    /// `route-map NAME SEQ` → the running entry's key, for entries whose
    /// `permit`/`deny` changes (FRR changes it in place, keeping the lines).
    route_map_twins: HashMap<String, &'a Key>,
    /// Running list entries replaced in place: `(list, content)` → slot.
    replaced_entries: HashMap<(&'a str, &'a str), &'a str>,
    /// The added top-level lines with their [`list::split_entry`], in
    /// order, when some running entry is replaced in place (split once
    /// here, reused by [`resequence_lists`]).
    added_splits: Vec<(&'a str, Option<(&'a str, &'a str)>)>,
}

impl<'a> Index<'a> {
    /// Built from the contexts only one side has (`removed`: running, in
    /// reverse; `added`: desired), so an unchanged configuration costs
    /// nothing here.
    fn new(twins: &Twins<'a>, running: &Config, desired: &'a Config) -> Index<'a> {
        // Each removed top-level line is split once; slots are borrowed.
        let mut removed_tops = Vec::new();
        let mut removed_maps = Vec::new();
        for &(at, (key, ctx)) in &twins.removed {
            match ctx.kind {
                Kind::Top => removed_tops.push((at, key[0].as_str(), list::split_entry(&key[0]))),
                Kind::RouteMap => removed_maps.push(key),
                _ => {}
            }
        }
        let mut added_tops = Vec::new();
        let mut added_maps = Vec::new();
        for &(key, ctx) in &twins.added {
            match ctx.kind {
                Kind::Top => added_tops.push(key[0].as_str()),
                Kind::RouteMap => added_maps.push(key[0].as_str()),
                _ => {}
            }
        }
        let mut gone_lists = HashMap::default();
        let removed_entries: Vec<&str> = removed_tops
            .iter()
            .filter_map(|(_, _, split)| split.map(|(head, _)| head))
            .collect();
        if !removed_entries.is_empty() {
            let wanted_lists = wanted_lists(desired);
            // `removed` runs in reverse: the last entry seen is the first
            // one.
            for head in removed_entries {
                let list = list::list_of_slot(head);
                if !wanted_lists.contains(list) {
                    gone_lists.insert(list, head);
                }
            }
        }
        let mut gone_route_maps = HashMap::default();
        if !removed_maps.is_empty() {
            let wanted_maps: HashSet<&str> = desired
                .contexts
                .iter()
                .filter(|(_, c)| c.kind == Kind::RouteMap)
                .filter_map(|(k, _)| route_map_name(&k[0]))
                .collect();
            for &key in &removed_maps {
                let Some(name) = route_map_name(&key[0]) else {
                    continue;
                };
                if !wanted_maps.contains(name) {
                    gone_route_maps.insert(name, key);
                }
            }
        }
        let added_map_slots: HashSet<String> = added_maps
            .iter()
            .filter_map(|line| route_map_slot(line))
            .collect();
        let route_map_twins = removed_maps
            .iter()
            .filter_map(|&k| Some((route_map_slot(&k[0])?, k)))
            .filter(|(s, _)| added_map_slots.contains(s))
            .collect();
        let mut replaced_top = Vec::new();
        let mut replaced_entries = HashMap::default();
        let mut added_splits = Vec::new();
        if !removed_tops.is_empty() {
            added_splits.reserve(added_tops.len());
            let mut added_top_slots =
                HashSet::with_capacity_and_hasher(added_tops.len(), Default::default());
            for &line in &added_tops {
                // A list entry's slot is its split's head, as in top_slot.
                let split = list::split_entry(line);
                added_splits.push((line, split));
                added_top_slots.insert(split.map_or_else(|| top_slot(line), |(head, _)| head));
            }
            replaced_top = vec![false; running.contexts.len()];
            replaced_entries.reserve(removed_tops.len());
            for (at, line, split) in removed_tops {
                // A list entry's slot is its split's head (a `no …` line
                // is no list entry).
                let slot = split.map_or_else(|| top_slot(line), |(head, _)| head);
                if added_top_slots.contains(slot) {
                    replaced_top[at] = true;
                    if let Some((head, content)) = split {
                        replaced_entries.insert((list::list_of_slot(head), content), head);
                    }
                }
            }
        }
        Index {
            replaced_top,
            gone_lists,
            gone_route_maps,
            route_map_twins,
            replaced_entries,
            added_splits,
        }
    }
}

/// The lists (`ip prefix-list NAME`, …) `config` has entries of.
fn wanted_lists(config: &Config) -> HashSet<&str> {
    let mut lists = HashSet::default();
    let mut last: Option<&str> = None;
    for (key, ctx) in &config.contexts {
        if ctx.kind != Kind::Top {
            continue;
        }
        let line = key[0].as_str();
        // A list's entries are usually consecutive: an entry of the list
        // just seen (`NAME seq …`, where `NAME` has no `seq` word) would
        // add that list again.
        let rest = last.and_then(|list| line.strip_prefix(list));
        if rest.is_some_and(|rest| rest.starts_with(" seq ")) {
            continue;
        }
        if let Some(list) = list_name(line) {
            lists.insert(list);
            last = Some(list);
        }
    }
    lists
}

/// `ip prefix-list NAME` of `ip prefix-list NAME seq N …` (also
/// access-lists).
fn list_name(line: &str) -> Option<&str> {
    list::split_entry(line).map(|(head, _)| list::list_of_slot(head))
}

/// `NAME` of `route-map NAME permit|deny SEQ`.
fn route_map_name(key: &str) -> Option<&str> {
    key.split(' ').nth(1)
}

/// `route-map NAME SEQ`: an entry regardless of its action.
fn route_map_slot(key: &str) -> Option<String> {
    let words: Vec<&str> = key.split(' ').collect();
    (words.len() == 4).then(|| format!("route-map {} {}", words[1], words[3]))
}

/// Lines of a context that stays: delete what the desired one lacks,
/// unless an added line sets the same slot (changed in place).
fn delete_lines<'a>(plan: &mut Plan<'a>, key: &'a Key, have: &'a Context, want: &Context) {
    let mut gone = have
        .lines
        .iter()
        .rev()
        .filter(|l| !want.lines.contains(*l))
        .peekable();
    if gone.peek().is_none() {
        return;
    }
    let added: HashSet<String> = want
        .lines
        .iter()
        .filter(|l| !have.lines.contains(*l))
        .map(|l| slot(have.kind, l))
        .collect();
    if limit_goes(have, want) {
        let (last, parent) = key.split_last().expect("a key has a line");
        if have.lines.contains("enable") {
            // FRR 8.4 (which prints `enable` in every block): `no enable`
            // clears the block; what it keeps is typed again, first of the
            // adds.
            plan.delete(key, "enable", Phase::Lines);
            for line in want.lines.iter().filter_map(|l| have.lines.get(l.as_str())) {
                plan.add(key, line.as_str(), Phase::Lines);
            }
        } else {
            // FRR 10: `no link-params` alone, and the next pass types the
            // block again (see `add_lines`).
            plan.delete(parent, last.as_str(), Phase::Lines);
        }
        return;
    }
    for line in gone {
        if added.contains(&slot(have.kind, line)) {
            plan.replaced += 1;
        } else if let Some(default) =
            bfd_timer_default(have.kind, line).or_else(|| vty_default(key, line))
        {
            // bfdd has no `no receive-interval …`, and the vty's `no
            // exec-timeout` sets no timeout: set the default back.
            plan.add(key, default, Phase::Lines);
        } else if let Some(bare) = link_param_off(have.kind, line) {
            plan.delete(key, bare, Phase::Lines);
        } else {
            plan.delete(key, bfd_off(have.kind, line, want), Phase::Lines);
        }
    }
}

/// Whether a link-params block loses a bandwidth limit (`max-bw`,
/// `max-rsv-bw`, `unrsv-bw N`) that no new value replaces. A limit has no
/// `no` form (FRR 8.4 to 10.7), but the whole block goes with it: FRR 8.4's
/// `no enable`, FRR 10's `no link-params`. FRR 10 must commit that alone:
/// with the block typed again in the same commit, mgmtd sees the limit
/// destroyed and refuses it ("Removing max-bandwidth is not allowed",
/// 10.3 and 10.4.3, whose mgmtd may die of the refusal; 10.7.1 takes it),
/// so the block is typed again in the next pass.
fn limit_goes(have: &Context, want: &Context) -> bool {
    have.kind == Kind::LinkParams
        && have.lines.iter().any(|l| {
            slot::is_link_bandwidth_limit(l)
                && !want
                    .lines
                    .iter()
                    .any(|w| slot(have.kind, w) == slot(have.kind, l))
        })
}

/// zebra's link parameters are deleted with the bare keyword, their slot
/// (`no delay`, `no packet-loss`, …): FRR 8.4's `no` forms take no value
/// (`no delay 10000` is refused) and FRR 10's take it or not (`![…]`). The
/// bandwidth limits have no `no` form at all (see
/// [`slot::is_link_bandwidth_limit`]).
fn link_param_off(kind: Kind, line: &str) -> Option<String> {
    if kind != Kind::LinkParams || slot::is_link_bandwidth_limit(line) {
        return None;
    }
    slot::value_slot(kind, line)
}

/// The line that puts `line vty`'s timeout back to its default: `no
/// exec-timeout` sets none (`exec-timeout 0 0`, 8.4 to 10.7.1), and the
/// default of 600 seconds is not printed.
fn vty_default(key: &Key, line: &str) -> Option<&'static str> {
    let vty = key.len() == 1 && key[0] == "line vty";
    (vty && line.starts_with("exec-timeout ")).then_some("exec-timeout 10 0")
}

/// The line that puts a bfd peer or profile timer back to its default.
fn bfd_timer_default(kind: Kind, line: &str) -> Option<&'static str> {
    const DEFAULTS: &[(&str, &str)] = &[
        ("detect-multiplier ", "detect-multiplier 3"),
        ("receive-interval ", "receive-interval 300"),
        ("transmit-interval ", "transmit-interval 300"),
        ("echo receive-interval ", "echo receive-interval 50"),
        ("echo transmit-interval ", "echo transmit-interval 50"),
        ("echo-interval ", "echo-interval 50"),
    ];
    if kind != Kind::BfdChild {
        return None;
    }
    DEFAULTS
        .iter()
        .find(|(prefix, _)| line.starts_with(prefix))
        .map(|(_, default)| *default)
}

/// `no neighbor X bfd profile P` leaves BFD on (FRR 8.4): when the desired
/// configuration has no BFD for X at all, `no neighbor X bfd` turns it off.
fn bfd_off<'a>(kind: Kind, line: &'a str, want: &Context) -> Cow<'a, str> {
    let peer_bfd = line
        .strip_prefix("neighbor ")
        .and_then(|rest| rest.split_once(' '))
        .filter(|(_, attr)| kind == Kind::RouterBgp && attr.starts_with("bfd profile "))
        .map(|(peer, _)| format!("neighbor {peer} bfd"));
    match peer_bfd {
        Some(bfd) if !want.lines.iter().any(|l| slot::starts_with_words(l, &bfd)) => {
            Cow::Owned(bfd)
        }
        _ => Cow::Borrowed(line),
    }
}

fn add_lines<'a>(plan: &mut Plan<'a>, key: &'a Key, want: &'a Context, have: &Context) {
    if limit_goes(have, want) && !have.lines.contains("enable") {
        // FRR 10's block goes in this pass ([`limit_goes`]).
        return;
    }
    for line in want.lines.iter().filter(|l| !have.lines.contains(*l)) {
        plan.add(key, line.as_str(), Phase::Lines);
    }
}

fn add_context<'a>(
    plan: &mut Plan<'a>,
    key: &'a Key,
    want: &'a Context,
    opener: Option<&'a str>,
    running: &'a Config,
    index: &Index<'a>,
) {
    // Adds run in the desired configuration's order: what a clean boot
    // with it does.
    let phase = Phase::Lines;
    if want.kind == Kind::Top {
        // zebra prints forwarding only when it is off (`no ip forwarding`;
        // `ip forwarding` is its default, shown with defaults alone): with
        // no `no` line running, it is on already, and FRR would never
        // print the line added.
        let positive_forwarding =
            !key[0].starts_with("no ") && KERNEL_STATE.contains(&key[0].as_str());
        let already_on = positive_forwarding
            && !running
                .contexts
                .contains_key([format!("no {}", key[0])].as_slice());
        if !already_on {
            plan.add(&key[..0], key[0].as_str(), phase);
        }
        return;
    }
    let twin = route_map_slot(&key[0]).and_then(|s| index.route_map_twins.get(&s));
    if let Some(twin) = twin.filter(|_| want.kind == Kind::RouteMap) {
        // `route-map X deny 10` over `route-map X permit 10`: FRR changes the
        // action in place and keeps the entry's lines, so diff the lines.
        let have = &running.contexts[*twin];
        plan.replaced += 1;
        plan.open(key, opener, phase);
        delete_lines(plan, twin, have, want);
        add_lines(plan, key, want, have);
        return;
    }
    if want.lines.is_empty() && key.len() == 1 && key[0] == "line vty" {
        // An empty `line vty` configures nothing, and FRR (8.4 to 10.7)
        // prints none: there is nothing to add, nor anything to find.
        return;
    }
    plan.open(key, opener, phase);
    for line in &want.lines {
        plan.add(key, line.as_str(), phase);
    }
}

/// A context the desired configuration does not have; `replaced` when it
/// is a top-level line that an added line changes in place.
fn remove_context<'a>(
    plan: &mut Plan<'a>,
    key: &'a Key,
    have: &'a Context,
    running: &'a Config,
    desired: &Config,
    index: &Index<'a>,
    replaced: bool,
) {
    let last = key[key.len() - 1].as_str();
    let parent = &key[..key.len() - 1];
    let inside_removed = (1..key.len()).any(|n| {
        let ancestor = &key[..n];
        !desired.contexts.contains_key(ancestor)
            && running
                .contexts
                .get(ancestor)
                .is_some_and(|c| removable_whole(c.kind, ancestor))
    });
    let kept = UNCONFIGURABLE.iter().any(|u| last.starts_with(u))
        || (key.len() == 1 && KERNEL_STATE.contains(&last));
    if inside_removed || kept {
        return;
    }
    let delete_each_line = |plan: &mut Plan<'a>, phase| {
        for line in have.lines.iter().rev() {
            match vty_default(key, line) {
                Some(default) => plan.add(key, default, phase),
                None => plan.delete(key, line.as_str(), phase),
            }
        }
    };
    match have.kind {
        Kind::Top => {
            if replaced {
                plan.replaced += 1;
            } else if let Some(list) = list_name(last).filter(|l| index.gone_lists.contains_key(l))
            {
                // One `no ip prefix-list NAME` costs FRR milliseconds; its
                // entries one by one cost seconds.
                let head = list::split_entry(last).map(|(head, _)| head);
                if head == index.gone_lists.get(list).copied() {
                    plan.delete(parent, list, Phase::Object);
                }
            } else if let Some(setting) = vty_password(last) {
                // `no password` takes no word: with the password after
                // it, FRR refuses the line. (Left in place, a password a
                // clean boot would not set was a false success.)
                plan.delete(parent, setting, Phase::Lines);
            } else {
                plan.delete(parent, last, Phase::Lines);
            }
        }
        Kind::RouteMap => {
            let name = route_map_name(last).unwrap_or_default();
            let twin = route_map_slot(last).and_then(|s| index.route_map_twins.get(&s).copied());
            if twin == Some(key) {
                // Changed in place, see add_context.
            } else if let Some(first) = index.gone_route_maps.get(name) {
                if *first == key {
                    plan.delete(parent, format!("route-map {name}"), Phase::Object);
                }
            } else {
                plan.delete(parent, last, Phase::Object);
            }
        }
        Kind::Vrf => {
            // FRR deletes only inactive VRFs: delete the lines first so an
            // active one is left empty, then the object.
            delete_each_line(plan, Phase::Vrf);
            plan.delete(parent, last, Phase::Vrf);
        }
        Kind::Interface if !have.lines.is_empty() => {
            // Only the lines: FRR refuses `no interface X` for an active
            // interface, and FRR 10's mgmtd often dies on that refused
            // commit (10.4.3: 4 of 5 times for `lo`). Once the lines are
            // gone FRR prints no stanza for an active interface; where a
            // daemon still holds X, the next pass sees the empty stanza
            // and deletes it (the arm below).
            delete_each_line(plan, Phase::Interface);
        }
        Kind::Interface => plan.delete(parent, last, Phase::Interface),
        Kind::Router if is_pim_router(last) && !have.lines.is_empty() => {
            // Only the lines: pimd 10's `no router pim` leaves its static
            // RPs printed (`rp 10.0.0.1 224.0.0.0/4`, 10.3 to 10.7.1), even
            // after a `no rp` in the same script; with the lines gone FRR
            // prints no stanza, and one printed still is deleted in the
            // next pass (the generic arm below). `no autorp discovery` too,
            // which types `autorp discovery`: neither `no router pim` nor
            // `no router pim vrf NAME` turns discovery back on (10.2 to
            // 10.7.1; the VRF's instance outlives it, `diff::pim_vrf`), and
            // with discovery on and nothing else pimd prints no stanza,
            // what a clean boot prints without one. (10.7's own default
            // line never gets here: `diff::autorp`. One where the desired
            // configuration names the VRF neither: `pim_vrf::settled`.)
            delete_each_line(plan, Phase::Lines)
        }
        Kind::LinkParams if have.lines.contains("enable") => {
            // FRR 8.4 (which prints `enable` in every block, and has no
            // `no link-params`): `no enable` clears every link parameter,
            // the bandwidths too, which have no `no` form.
            plan.delete(key, "enable", Phase::Lines);
        }
        // FRR 10: `no link-params` removes the block with every line, the
        // bandwidth limits too (10.3, 10.4.3, 10.7.1).
        Kind::LinkParams => plan.delete(parent, last, Phase::Lines),
        Kind::BgpBlock
            if last == "segment-routing srv6" && have.lines.iter().all(|l| l == SRV6_ONLY_OFF) =>
        {
            // bgpd 10.7.1's `no segment-routing srv6` turns srv6-only off
            // and prints that, the block with it: `srv6-only` typed in the
            // block takes it back to nothing printed (measured).
            delete_each_line(plan, Phase::Lines)
        }
        kind if !removable_whole(kind, key) => delete_each_line(plan, Phase::Lines),
        Kind::RouterBgp if last.contains(" vrf ") => {
            plan.delete(parent, last, Phase::BgpVrfInstance)
        }
        Kind::RouterBgp => match view_as_vrf(last) {
            Some(vrf) => plan.delete(parent, vrf, Phase::BgpVrfInstance),
            None => plan.delete(parent, last, Phase::BgpDefaultInstance),
        },
        _ if key.len() > 1 => plan.delete(parent, last, Phase::Lines),
        _ => plan.delete(parent, last, Phase::Object),
    }
}

/// `router bgp ASN vrf NAME …` for a view's `router bgp ASN view NAME
/// …`: what deletes the view on every release. bgpd 10.3 reads `no router
/// bgp ASN view NAME` as the default instance of ASN: it refuses it where
/// there is none ("Can't find BGP instance"), and deletes the default
/// instance, not the view, where there is one (measured; 8.4, 10.4.3 and
/// 10.7.1 delete the view). `no router bgp ASN vrf NAME` looks the
/// instance up by its name, which a view and a VRF's instance share.
fn view_as_vrf(line: &str) -> Option<String> {
    let rest = line.strip_prefix("router bgp ")?;
    let (asn, rest) = rest.split_once(' ')?;
    let name = rest.strip_prefix("view ")?;
    Some(format!("router bgp {asn} vrf {name}"))
}

/// `password` or `enable password` for a line that sets the vty's (or
/// enable) password, `password [8] WORD`.
fn vty_password(line: &str) -> Option<&'static str> {
    if line.starts_with("password ") {
        Some("password")
    } else if line.starts_with("enable password ") {
        Some("enable password")
    } else {
        None
    }
}

/// Whether `key` (a top-level line) is `router pim|pim6 [vrf NAME]`.
fn is_pim_router(key: &str) -> bool {
    let mut words = key.split(' ');
    words.next() == Some("router") && matches!(words.next(), Some("pim" | "pim6"))
}

/// Whether `no KEY` removes the context with everything in it. Address
/// families, link-params and the segment-routing roots have no `no` form
/// (their lines are deleted one by one); `line vty` is never removed.
fn removable_whole(kind: Kind, key: &[String]) -> bool {
    match kind {
        Kind::BgpAf | Kind::LinkParams | Kind::Interface | Kind::Vrf => false,
        // zebra's `no srv6` removes SRv6 whole; its `locators`, `formats`,
        // `encapsulation` and `static-sids` blocks have no `no` form (a
        // `locator X` and a `format X` have).
        Kind::SegmentRouting if key.len() == 2 => key[1] == "srv6",
        Kind::SegmentRouting if key.len() == 3 && key[1] == "srv6" => false,
        Kind::SegmentRouting => key.len() >= 3,
        Kind::Block => !key[0].starts_with("line vty"),
        // isisd 10.3 has no `no node-msd`: its MSDs, each deleted, leave
        // nothing printed (every release).
        Kind::Router => key.last().is_none_or(|l| l != "node-msd"),
        _ => true,
    }
}

/// Orders the added entries of each list so that no entry is written
/// while its prefix still sits at another sequence number of the same list
/// (FRR silently refuses that). An entry waits for the slot that holds its
/// prefix to be rewritten first; a cycle is broken by deleting one entry.
fn resequence_lists<'a>(plan: &mut Plan<'a>, index: &Index<'a>) {
    if index.replaced_entries.is_empty() {
        return;
    }
    // The list-entry adds: position in the plan, slot and content. Adds of
    // top-level lines come in the order of `added_splits`, whose splits
    // are reused (any other op is split here).
    let mut splits = index.added_splits.iter().peekable();
    let entries: Vec<(usize, &str, &str)> = plan
        .adds
        .iter()
        .enumerate()
        .filter(|(_, op)| op.context.is_empty())
        .filter_map(|(i, op)| {
            let split = match splits.peek() {
                Some(&&(added, split)) if added == op.line => {
                    splits.next();
                    split
                }
                _ => list::split_entry(&op.line),
            };
            split.map(|(head, content)| (i, head, content))
        })
        .collect();
    let mut slot_of: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(entries.len(), Default::default());
    for (n, &(_, head, _)) in entries.iter().enumerate() {
        slot_of.insert(head, n);
    }
    // Each entry's dependency: the entry that rewrites the slot holding its
    // content.
    let next: Vec<Option<usize>> = entries
        .iter()
        .map(|&(_, head, content)| {
            let holder = index
                .replaced_entries
                .get(&(list::list_of_slot(head), content));
            holder
                .filter(|h| **h != head)
                .and_then(|h| slot_of.get(h).copied())
        })
        .collect();
    let mut done = vec![false; entries.len()];
    // The walk an entry was last on (its start).
    let mut walked = vec![usize::MAX; entries.len()];
    let mut order = Vec::with_capacity(entries.len());
    let mut breaks = Vec::new();
    let mut chain = Vec::new();
    for start in 0..entries.len() {
        chain.clear();
        let mut at = Some(start);
        while let Some(n) = at.filter(|n| !done[*n]) {
            if walked[n] == start {
                // Cycle: free slot `n` by deleting its running entry first.
                breaks.push(entries[n].1.to_owned());
                break;
            }
            walked[n] = start;
            chain.push(n);
            at = next[n];
        }
        for &n in chain.iter().rev() {
            done[n] = true;
            order.push(n);
        }
    }
    let positions: Vec<usize> = entries.iter().map(|&(i, _, _)| i).collect();
    let reordered: Vec<Op<'a>> = order
        .iter()
        .map(|&n| plan.adds[positions[n]].clone())
        .collect();
    for (pos, op) in positions.iter().zip(reordered) {
        plan.adds[*pos] = op;
    }
    if breaks.is_empty() {
        return;
    }
    // The first of the replaced entries (in the map's order) per slot.
    let mut content_of: HashMap<&str, &str> = HashMap::default();
    for (&(_, content), &head) in &index.replaced_entries {
        content_of.entry(head).or_insert(content);
    }
    for head in breaks {
        if let Some(content) = content_of.get(head.as_str()) {
            plan.replaced -= 1;
            plan.delete(&[], format!("{head} {content}"), Phase::Lines);
        }
    }
}
