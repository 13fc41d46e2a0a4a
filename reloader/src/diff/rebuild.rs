//! Whole-list rebuilds. When a prefix-list loses most of its entries and
//! keeps a few, one `no ip prefix-list NAME` and the kept entries cost FRR
//! far less than deleting the others one by one: FRR 8.4 spends time
//! linear in a list's length on each entry it deletes, in every daemon
//! that holds the list (a mass delete of 2 × 500 services takes it
//! seconds entry by entry, milliseconds whole).
//!
//! The list is missing for the few commands that re-add what it keeps. A
//! route-map that matches on it is re-evaluated only after the daemons'
//! route-map delay timer (bgpd and zebra: 5 s by default), when the list
//! is whole again. A daemon that uses a list directly (`neighbor X
//! prefix-list NAME in`, `distribute-list prefix`, …) applies it to the
//! next update at once, so such lists are never rebuilt, and neither is
//! any list when a delay timer is set to 0.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::config::grammar::Kind;
use crate::config::list;
use crate::config::tree::Config;
use crate::diff::plan::{Phase, Plan, Sorted};

/// The most lines a rebuild re-adds: the list is incomplete while they
/// are typed, which must stay far below the route-map delay timer.
pub(crate) const MAX_KEPT: usize = 64;

/// The fewest commands a rebuild must save: small lists are cheap to
/// change entry by entry, and stay changed in place.
const MIN_SAVED: usize = 16;

/// Top-level lines that make route-map changes apply at once.
const NO_DELAY: [&str; 2] = [
    "bgp route-map delay-timer 0",
    "zebra route-map delay-timer 0",
];

/// What the plan does to one list, and what the desired configuration has
/// of it.
#[derive(Default)]
struct Tally<'a> {
    deletes: usize,
    adds: usize,
    /// The desired lines of the list, in order; `None` once there are more
    /// than [`MAX_KEPT`].
    kept: Option<Vec<&'a str>>,
}

/// Replaces the entry-by-entry changes of lists that lose most of their
/// entries by a delete of the whole list, last of the deletes, and the
/// lines it keeps, first of the adds: the two run back to back. The plan
/// stays sorted: the delete is of the last phase, the adds of the first.
pub(crate) fn rebuild_lists<'a>(
    Sorted(mut plan): Sorted<'a>,
    running: &'a Config,
    desired: &'a Config,
) -> Sorted<'a> {
    rebuild(&mut plan, running, desired);
    Sorted(plan)
}

fn rebuild<'a>(plan: &mut Plan<'a>, running: &'a Config, desired: &'a Config) {
    let mut lists: HashMap<String, Tally<'a>> = HashMap::default();
    for op in plan.deletes.iter().filter(|op| op.context.is_empty()) {
        if let Some(list) =
            list::prefix_list_of(&op.line).filter(|_| list::split_entry(&op.line).is_some())
        {
            lists.entry(list.to_owned()).or_default().deletes += 1;
        }
    }
    lists.retain(|_, tally| tally.deletes > MIN_SAVED);
    let no_delay = |c: &Config| {
        NO_DELAY
            .iter()
            .any(|line| c.contexts.contains_key([(*line).to_owned()].as_slice()))
    };
    if lists.is_empty() || no_delay(running) || no_delay(desired) {
        return;
    }
    for op in plan.adds.iter().filter(|op| op.context.is_empty()) {
        if let Some(tally) = list::prefix_list_of(&op.line).and_then(|l| lists.get_mut(l)) {
            tally.adds += 1;
        }
    }
    collect_kept(&mut lists, desired);
    lists.retain(|_, t| {
        t.kept
            .as_ref()
            .is_some_and(|kept| 1 + kept.len() + MIN_SAVED <= t.deletes + t.adds)
    });
    if lists.is_empty() {
        return;
    }
    for config in [running, desired] {
        drop_used_directly(&mut lists, config);
    }
    if lists.is_empty() {
        return;
    }
    plan.replaced -= replaced_in_place(plan, running, &lists);
    let ours = |line: &str| list::prefix_list_of(line).is_some_and(|l| lists.contains_key(l));
    plan.deletes
        .retain(|op| !(op.context.is_empty() && ours(&op.line)));
    plan.adds
        .retain(|op| !(op.context.is_empty() && ours(&op.line)));
    let mut names: Vec<&String> = lists.keys().collect();
    names.sort();
    let mut readds = Vec::new();
    for name in names {
        plan.delete(&[], name.clone(), Phase::Vrf);
        readds.extend(lists[name].kept.iter().flatten().copied());
    }
    let rest = std::mem::take(&mut plan.adds);
    for line in readds {
        plan.add(&[], line, Phase::Lines);
    }
    plan.adds.extend(rest);
}

/// Fills each list's desired lines, giving up on a list past
/// [`MAX_KEPT`], and on the scan once every list is past it.
fn collect_kept<'a>(lists: &mut HashMap<String, Tally<'a>>, desired: &'a Config) {
    for tally in lists.values_mut() {
        tally.kept = Some(Vec::new());
    }
    let mut open = lists.len();
    for key in desired.contexts.keys() {
        let [line] = key.as_slice() else { continue };
        let Some(tally) = list::prefix_list_of(line).and_then(|l| lists.get_mut(l)) else {
            continue;
        };
        let Some(kept) = tally.kept.as_mut() else {
            continue;
        };
        if kept.len() == MAX_KEPT {
            tally.kept = None;
            open -= 1;
            if open == 0 {
                return;
            }
        } else {
            kept.push(line);
        }
    }
}

/// Drops the lists that a line outside route-maps names (`… prefix-list
/// NAME …`): their daemon applies them at once.
fn drop_used_directly(lists: &mut HashMap<String, Tally>, config: &Config) {
    for ctx in config.contexts.values() {
        if ctx.kind == Kind::RouteMap {
            continue;
        }
        for line in &ctx.lines {
            let mut words = line.split_ascii_whitespace();
            while let Some(word) = words.next() {
                if word != "prefix-list" {
                    continue;
                }
                let Some(name) = words.next() else { break };
                lists.retain(|list, _| list.rsplit(' ').next() != Some(name));
            }
        }
    }
}

/// How many of the plan's in-place changes are entries of `lists`: an
/// added entry whose slot holds another entry in the running
/// configuration that is not deleted.
fn replaced_in_place(plan: &Plan, running: &Config, lists: &HashMap<String, Tally>) -> usize {
    let deleted: HashSet<&str> = plan
        .deletes
        .iter()
        .filter_map(|op| list::split_entry(&op.line).map(|(slot, _)| slot))
        .collect();
    let mut held: HashSet<&str> = HashSet::default();
    for key in running.contexts.keys() {
        let [line] = key.as_slice() else { continue };
        if list::prefix_list_of(line).is_some_and(|l| lists.contains_key(l)) {
            if let Some((slot, _)) = list::split_entry(line) {
                if !deleted.contains(slot) {
                    held.insert(slot);
                }
            }
        }
    }
    plan.adds
        .iter()
        .filter(|op| op.context.is_empty())
        .filter_map(|op| list::split_entry(&op.line))
        .filter(|(slot, _)| held.contains(slot))
        .count()
}

#[cfg(test)]
mod tests {
    use crate::{diff_text, Options};

    /// A list of `n` entries (seq 1..=n), referenced from a route-map.
    fn config(n: usize, extra: &str) -> String {
        let mut text = String::new();
        for i in 1..=n {
            text.push_str(&format!(
                "ip prefix-list L seq {i} permit 198.18.{i}.0/24\n"
            ));
        }
        text.push_str("route-map RM permit 10\n match ip address prefix-list L\nexit\n");
        text.push_str(extra);
        text
    }

    #[test]
    fn a_list_that_keeps_few_entries_is_rebuilt() {
        let delta = diff_text(&config(40, ""), &config(2, ""), &Options::default()).unwrap();
        assert_eq!(
            delta.script,
            "no ip prefix-list L\nip prefix-list L seq 1 permit 198.18.1.0/24\nip prefix-list L seq 2 permit 198.18.2.0/24\n"
        );
        assert_eq!((delta.stats.deletes, delta.stats.adds), (1, 2));
    }

    #[test]
    fn a_list_that_keeps_most_entries_is_not() {
        let delta = diff_text(&config(40, ""), &config(30, ""), &Options::default()).unwrap();
        assert_eq!(delta.stats.deletes, 10);
        assert_eq!(delta.stats.adds, 0);
    }

    #[test]
    fn a_list_used_directly_or_without_delay_is_not() {
        for extra in [
            "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n address-family ipv4 unicast\n  neighbor 192.0.2.1 prefix-list L in\n exit-address-family\n",
            "bgp route-map delay-timer 0\n",
        ] {
            let delta =
                diff_text(&config(40, extra), &config(2, extra), &Options::default()).unwrap();
            assert_eq!(delta.stats.deletes, 38, "{extra}");
        }
    }

    #[test]
    fn the_rebuild_runs_back_to_back_and_keeps_changes() {
        // Entry 2 changes in place, 41 is new: both come with the rebuild.
        let mut desired = config(1, "");
        desired.push_str("ip prefix-list L seq 2 deny 198.18.2.0/24\nip prefix-list L seq 41 permit 203.0.113.0/24\nip prefix-list L description kept\n");
        let running = config(
            40,
            "ip prefix-list L description kept\nip prefix-list M seq 5 permit any\n",
        );
        let delta = diff_text(&running, &desired, &Options::default()).unwrap();
        assert_eq!(
            delta.script,
            "no ip prefix-list M\nno ip prefix-list L\nip prefix-list L seq 1 permit 198.18.1.0/24\nip prefix-list L seq 2 deny 198.18.2.0/24\nip prefix-list L seq 41 permit 203.0.113.0/24\nip prefix-list L description kept\n"
        );
        assert_eq!(delta.stats.replaced_in_place, 0);
    }
}
