//! A model of FRR's configuration tree for checking deltas without FRR:
//! applying `diff(A, B)` to the model of A must give B.
//!
//! The model applies commands the way FRR's node tree does: `no X` removes
//! the contexts and lines that are X or start with X (a whole list, a
//! route-map, a neighbor with its address-family lines), else it is a line
//! of its own; a line replaces the line of the same setting (the
//! reloader's slots: in-place changes, `X` ↔ `no X`). Which commands open
//! a node is read off A and B. Empty nested contexts are not compared (FRR
//! prints none of most of them).
//!
//! It reuses the reloader's `slot` and normalizer, so a bug shared by
//! them and the diff cannot show here.

use std::collections::{BTreeMap, BTreeSet};

use reloader::config::grammar::Kind;
use reloader::config::normalize::{self, Normalizer};
use reloader::config::slot::{slot, top_slot};
use reloader::{diff, Command, Config, FrrVersion};

/// Context key → (kind, lines).
type Model = BTreeMap<Vec<String>, (Kind, BTreeSet<String>)>;

fn model(config: &Config) -> Model {
    config
        .contexts
        .iter()
        .map(|(key, ctx)| {
            (
                key.to_vec(),
                (ctx.kind, ctx.lines.iter().cloned().collect()),
            )
        })
        .collect()
}

fn under(key: &[String], prefix: &[String]) -> bool {
    key.len() >= prefix.len() && key[..prefix.len()] == *prefix
}

/// Whether `word` (a line or a context's key) is the object `target` or
/// a part of it (`route-map X` names `route-map X permit 10`); `router
/// bgp N` does not name `router bgp N vrf V`, another instance.
fn names(word: &str, target: &str) -> bool {
    let other_instance = |rest: &str| target.starts_with("router ") && rest.starts_with(" vrf ");
    word == target
        || word
            .strip_prefix(target)
            .is_some_and(|r| r.starts_with(' ') && !other_instance(r))
}

/// `route-map NAME deny N` for `route-map NAME permit N`, and back.
fn other_action(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split(' ').collect();
    match words.as_slice() {
        ["route-map", name, action, seq] => {
            let other = if *action == "permit" {
                "deny"
            } else {
                "permit"
            };
            Some(format!("route-map {name} {other} {seq}"))
        }
        _ => None,
    }
}

/// Applies one command to the model; `kinds` knows the kind of every
/// context of A and B.
fn apply(
    model: &mut Model,
    kinds: &BTreeMap<Vec<String>, Kind>,
    desired_has: impl Fn(&[String], &str) -> bool,
    command: &Command,
) {
    // A flat static route of a VRF (`ip route … vrf NAME`) is a line of
    // `vrf NAME`, as FRR prints it.
    if let Some(inside) = vrf_route(command) {
        return apply(model, kinds, desired_has, &inside);
    }
    // Commands enter a context by its opener as written (`interface X vrf
    // Y`); the configuration keys it as FRR prints it (`interface X`).
    let keyed = |c: &String| match (c.strip_prefix("interface "), c.find(" vrf ")) {
        (Some(_), Some(at)) => c[..at].to_owned(),
        _ => c.clone(),
    };
    let ctx: Vec<String> = command.context.iter().map(keyed).collect();
    let ctx = &ctx;
    for i in 1..=ctx.len() {
        let key = ctx[..i].to_vec();
        let kind = kinds.get(&key).copied().unwrap_or(Kind::Top);
        model.entry(key).or_insert_with(|| (kind, BTreeSet::new()));
    }
    if let Some(target) = command.command.strip_prefix("no ") {
        // `no neighbor G peer-group` deletes the group G, all of it.
        let target = match target.split(' ').collect::<Vec<_>>().as_slice() {
            ["neighbor", group, "peer-group"] => &target[..9 + group.len()],
            _ => target,
        };
        // bgpd finds `router bgp ASN vrf NAME` by its name: a view of
        // that name too.
        let view = target
            .starts_with("router bgp ")
            .then(|| target.replacen(" vrf ", " view ", 1));
        let named =
            |word: &str| names(word, target) || view.as_deref().is_some_and(|v| names(word, v));
        let doomed: Vec<Vec<String>> = model
            .keys()
            .filter(|k| k.len() > ctx.len() && under(k, ctx) && named(&k[ctx.len()]))
            .cloned()
            .collect();
        let mut removed = !doomed.is_empty();
        for key in doomed {
            model.retain(|k, _| !under(k, &key));
        }
        for (key, (_, lines)) in model.iter_mut() {
            if under(key, ctx) && !ctx.is_empty() {
                let before = lines.len();
                // The object's own `no …` settings go with it.
                lines.retain(|l| {
                    !names(l, target) && !l.strip_prefix("no ").is_some_and(|r| names(r, target))
                });
                removed |= lines.len() != before;
            }
        }
        if removed {
            return;
        }
    }
    let line = &if ctx.is_empty() {
        keyed(&command.command)
    } else {
        command.command.clone()
    };
    let mut key = ctx.clone();
    key.push(line.clone());
    if ctx.is_empty() || kinds.contains_key(&key) {
        // A node (or a top-level line): replaces a top-level line of the
        // same setting.
        if ctx.is_empty() {
            // `X` typed over `no X` restores the default: printed only
            // when the desired configuration has it.
            if model.contains_key(&vec![format!("no {line}")]) && !kinds.contains_key(&key) {
                model.remove(&vec![format!("no {line}")]);
                return;
            }
            let setting = top_slot(line).to_owned();
            model.retain(|k, (_, lines)| {
                !(k.len() == 1 && lines.is_empty() && k[0] != *line && top_slot(&k[0]) == setting)
            });
        }
        // `route-map X deny N` turns `route-map X permit N` in place.
        let mut kept = BTreeSet::new();
        if let Some(other) = other_action(line) {
            if let Some((_, lines)) = model.remove(&vec![other]) {
                kept = lines;
            }
        }
        let kind = kinds.get(&key).copied().unwrap_or(Kind::Top);
        model.entry(key).or_insert_with(|| (kind, kept));
        return;
    }
    let (kind, lines) = model.get_mut(ctx).expect("context created above");
    let setting = slot(*kind, line);
    let kind = *kind;
    // `X` typed over `no X` restores FRR's default, which FRR prints only
    // for settings whose default is `no X` (read off B).
    let restores_default = lines.contains(&format!("no {line}")) && !desired_has(ctx, line);
    lines.retain(|l| slot(kind, l) != setting);
    // A value equal to FRR's default replaces the old one and is not
    // printed.
    let printed = Normalizer::new(FrrVersion::default())
        .line(kind, line)
        .is_some()
        && !normalize::is_unprinted_default(kind, line);
    if printed && !restores_default {
        lines.insert(line.clone());
    }
}

/// `[no] ip|ipv6 route … vrf NAME` at the top level as the same command
/// inside `vrf NAME`.
fn vrf_route(command: &Command) -> Option<Command> {
    if !command.context.is_empty() {
        return None;
    }
    let bare = command
        .command
        .strip_prefix("no ")
        .unwrap_or(&command.command);
    if !bare.starts_with("ip route ") && !bare.starts_with("ipv6 route ") {
        return None;
    }
    let (route, name) = command.command.rsplit_once(" vrf ")?;
    Some(Command {
        context: vec![format!("vrf {name}")],
        command: route.to_owned(),
    })
}

/// Top-level lines the diff leaves alone by design unless the desired
/// configuration states them: kernel state FRR prints and settings FRR
/// takes at boot only (tested by the differential and clean-boot tests).
const LEFT_ALONE: &[&str] = &[
    "ip forwarding",
    "no ip forwarding",
    "ipv6 forwarding",
    "no ipv6 forwarding",
    "hostname ",
    "frr version",
    "frr defaults",
    "username ",
    "password ",
    "enable password",
    "service integrated-vtysh-config",
    "agentx",
    "line vty",
];

/// The model without empty nested contexts or interfaces, and without the
/// lines left alone.
fn compared(model: &Model) -> BTreeMap<Vec<String>, BTreeSet<String>> {
    model
        .iter()
        .filter(|(k, _)| !(k.len() == 1 && LEFT_ALONE.iter().any(|p| k[0].starts_with(p))))
        // FRR prints no empty node (an interface the diff cannot delete,
        // a `segment-routing` emptied of its parts).
        .filter(|(k, (kind, lines))| (k.len() == 1 && *kind == Kind::Top) || !lines.is_empty())
        .map(|(k, (_, lines))| (k.clone(), lines.clone()))
        .collect()
}

/// The contexts and lines of `a` that `b` lacks.
fn only_in(
    a: &BTreeMap<Vec<String>, BTreeSet<String>>,
    b: &BTreeMap<Vec<String>, BTreeSet<String>>,
) -> Vec<String> {
    a.iter()
        .flat_map(|(k, lines)| match b.get(k) {
            None => vec![format!("context {k:?}")],
            Some(other) => lines
                .difference(other)
                .map(|l| format!("{k:?} > {l}"))
                .collect(),
        })
        .collect()
}

/// Checks the properties on the pair (texts A and B, parsed; `name`
/// names the case): `diff(A, A)` is empty (panics otherwise), and applying
/// `diff(A, B)` to the model of A gives B. Returns what differs.
pub fn check(name: &str, a_text: &str, b_text: &str) -> Option<String> {
    let a = Config::parse(a_text).unwrap_or_else(|e| panic!("{name}: A: {e}"));
    let b = Config::parse(b_text).unwrap_or_else(|e| panic!("{name}: B: {e}"));
    assert!(diff(&a, &a).is_empty(), "{name}: diff(A, A) is not empty");
    let delta = diff(&a, &b);
    let mut kinds: BTreeMap<Vec<String>, Kind> = BTreeMap::new();
    for config in [&a, &b] {
        for (key, ctx) in &config.contexts {
            kinds.insert(key.to_vec(), ctx.kind);
        }
    }
    let mut m = model(&a);
    for command in delta.delete.iter().chain(&delta.add) {
        let desired_has = |ctx: &[String], line: &str| {
            b.contexts.get(ctx).is_some_and(|c| c.lines.contains(line))
        };
        apply(&mut m, &kinds, desired_has, command);
    }
    let (got, want) = (compared(&m), compared(&model(&b)));
    if got == want {
        return None;
    }
    let (extra, missing) = (only_in(&got, &want), only_in(&want, &got));
    Some(format!(
        "{name}: model(A) + diff(A, B) != B\n  extra: {extra:?}\n  missing: {missing:?}\n  script:\n{}",
        delta.script
    ))
}
