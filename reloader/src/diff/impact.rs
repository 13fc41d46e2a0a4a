//! Which BGP and BFD sessions a delta resets or refreshes, predicted
//! before it is applied (issue 20): each delta line is matched against the
//! rule bgpd or bfdd applies when that command is typed, and the rule's
//! scope (one peer, a peer-group's members, every peer of a `router bgp`,
//! the peers of an address family, the users of a route-map or list) is
//! resolved against the running configuration.
//!
//! The rules follow FRR 10.4.3's `bgpd/bgpd.c`, `bgpd/bgp_vty.c`,
//! `bgpd/bgp_fsm.c` and `bfdd/`; the function each rule comes from is
//! named next to it. Where releases differ, the rule asks [`FrrVersion`].
//! A peer that the running configuration does not have is new: it has no
//! session to reset, and is not listed.

use indexmap::IndexMap;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::config::redact::redact_line;
use crate::config::slot::{starts_with_words, value_slot};
use crate::config::tree::Config;
use crate::config::FrrVersion;
use protocol::{Command, Delta, Effect, Impact, SessionKind};
use running::{Router, Running};

/// The sessions `delta` resets or refreshes when applied to `running`,
/// on FRR `version`, in the order the delta first touches them. Sessions
/// left alone are not listed.
pub fn impact(running: &Config, delta: &Delta, version: FrrVersion) -> Vec<Impact> {
    if delta.is_empty() {
        return vec![]; // the resync and the no-op: nothing to model
    }
    let model = Running::new(running);
    let mut found = Found::default();
    let mut in_place = InPlace::new(running);
    for (command, is_add) in delta
        .delete
        .iter()
        .map(|c| (c, false))
        .chain(delta.add.iter().map(|c| (c, true)))
    {
        let predicted = predict(&model, command, version);
        if predicted.is_empty() {
            continue; // most lines of a large delta: no text to build
        }
        // The text is built once, and only if a session still names lines.
        let mut text = None;
        let mut because = || -> String {
            text.get_or_insert_with(|| because(command, is_add && in_place.is_in_place(command)))
                .clone()
        };
        for (target, effect) in predicted {
            found.add(target, effect, &mut because);
        }
    }
    found.into_impacts()
}

/// Adds the impacts of a later pass to those of the earlier ones: a
/// session already listed keeps the worse effect and gains the new lines.
pub fn merge(into: &mut Vec<Impact>, more: Vec<Impact>) {
    for next in more {
        let same = into
            .iter_mut()
            .find(|i| i.peer == next.peer && i.vrf == next.vrf && i.kind == next.kind);
        match same {
            Some(known) => {
                known.effect = known.effect.max(next.effect);
                for line in next.because {
                    if !known.because.contains(&line) {
                        known.because.push(line);
                    }
                }
            }
            None => into.push(next),
        }
    }
}

/// `!` comment lines that sum up `impacts`, for the plain `diff` output:
/// `vtysh -f` ignores them.
pub fn render_summary(impacts: &[Impact]) -> String {
    let resets = impacts.iter().filter(|i| i.effect == Effect::Reset).count();
    let softs = impacts.iter().filter(|i| i.effect == Effect::Soft).count();
    if impacts.is_empty() {
        return "! impact: no session is reset or refreshed\n".to_owned();
    }
    let mut text = format!("! impact: {resets} session(s) reset, {softs} refreshed\n");
    for i in impacts {
        text.push_str(&format!("! {}\n", describe(i)));
    }
    text
}

/// One session's impact on one line: `reset bgp 192.0.2.2 vrf default:
/// <the lines that cause it>`.
pub fn describe(i: &Impact) -> String {
    format!(
        "{} {} {} vrf {}: {}",
        i.effect,
        i.kind.name(),
        i.peer,
        i.vrf,
        i.because.join("; ")
    )
}

/// The text that names a delta line in `because`: the command as typed,
/// with secrets hidden.
fn because(command: &Command, in_place: bool) -> String {
    let line = redact_line(&command.command);
    match in_place {
        true => format!("{line} (changed in place)"),
        false => line.into_owned(),
    }
}

/// One session: peer, VRF and protocol (borrowed from the running
/// configuration).
type Target<'a> = (&'a str, &'a str, SessionKind);

/// At most this many lines are named per session; the rest are counted
/// (a removed prefix-list of 10k entries is one reason, not 10k).
const MAX_BECAUSE: usize = 16;

/// The predictions gathered so far: per session, the strongest effect and
/// the lines that cause it (lines with a weaker effect do not).
#[derive(Default)]
struct Found<'a> {
    sessions: IndexMap<Target<'a>, Reasons>,
}

#[derive(Default)]
struct Reasons {
    effect: Effect,
    lines: Vec<String>,
    more: usize,
}

impl<'a> Found<'a> {
    fn add(&mut self, target: Target<'a>, effect: Effect, because: &mut impl FnMut() -> String) {
        let reasons = self.sessions.entry(target).or_default();
        if effect > reasons.effect {
            *reasons = Reasons {
                effect,
                ..Reasons::default()
            };
        }
        if effect < reasons.effect {
            return;
        }
        if reasons.lines.len() == MAX_BECAUSE {
            reasons.more += 1;
            return;
        }
        let line = because();
        if reasons.lines.last() != Some(&line) {
            reasons.lines.push(line);
        }
    }

    fn into_impacts(self) -> Vec<Impact> {
        self.sessions
            .into_iter()
            .filter(|(_, reasons)| reasons.effect != Effect::None)
            .map(|((peer, vrf, kind), mut reasons)| {
                if reasons.more > 0 {
                    let more = format!("… and {} more line(s)", reasons.more);
                    reasons.lines.push(more);
                }
                Impact {
                    peer: peer.to_owned(),
                    vrf: vrf.to_owned(),
                    kind,
                    effect: reasons.effect,
                    because: reasons.lines,
                }
            })
            .collect()
    }
}

/// Tells which adds replace a running value in place (see
/// [`crate::config::slot`]): the running context has a line of the same
/// slot. Each context's slots are collected once, when first asked.
struct InPlace<'a> {
    running: &'a Config,
    slots: HashMap<&'a [String], HashSet<String>>,
}

impl<'a> InPlace<'a> {
    fn new(running: &'a Config) -> InPlace<'a> {
        InPlace {
            running,
            slots: HashMap::default(),
        }
    }

    fn is_in_place(&mut self, command: &'a Command) -> bool {
        let Some(ctx) = self.running.contexts.get(command.context.as_slice()) else {
            return false;
        };
        let Some(slot) = value_slot(ctx.kind, &command.command) else {
            return false;
        };
        let slots = self
            .slots
            .entry(command.context.as_slice())
            .or_insert_with(|| {
                ctx.lines
                    .iter()
                    .filter_map(|l| value_slot(ctx.kind, l))
                    .collect()
            });
        slots.contains(&slot)
    }
}

/// Whom a rule applies to, within one `router bgp`.
enum Scope<'l> {
    /// Every peer of the router.
    All,
    /// Its iBGP peers.
    Ibgp,
    /// Its peers that are not iBGP.
    Ebgp,
    /// Its peers in graceful-restart mode (bgp_peer_gr_mode_get()).
    GracefulRestart,
    /// Its peers without a graceful-restart mode of their own
    /// (PEER_GLOBAL_INHERIT).
    InheritsGracefulRestart,
    /// The peers activated in an address family.
    Family(&'l str),
}

/// What `command` does to which sessions. `set` is false for a `no …`.
fn predict<'a>(
    model: &Running<'a>,
    command: &Command,
    version: FrrVersion,
) -> Vec<(Target<'a>, Effect)> {
    let (set, line) = match command.command.strip_prefix("no ") {
        Some(line) => (false, line),
        None => (true, command.command.as_str()),
    };
    match command.context.as_slice() {
        [] => top_level(model, set, line, version),
        [router] if router.starts_with("router bgp ") => {
            let Some(r) = model.routers.get(router.as_str()) else {
                return Vec::new(); // a new instance: no session yet
            };
            let rules = match line.strip_prefix("neighbor ") {
                Some(rest) => return neighbor(r, set, rest, version),
                None => router_rule(set, line, version),
            };
            expand(r, rules)
        }
        [router, af] if af.starts_with("address-family ") => {
            let Some(r) = model.routers.get(router.as_str()) else {
                return Vec::new();
            };
            match line.strip_prefix("neighbor ") {
                Some(rest) => neighbor(r, set, rest, version),
                None => expand(r, family_rule(af, line)),
            }
        }
        [bfd, child] if bfd == "bfd" => bfd_child(model, child, set, line),
        [bfd] if bfd == "bfd" => bfd_node(model, set, line),
        [route_map] => match route_map.strip_prefix("route-map ") {
            Some(rest) => policy_users(model, rest.split(' ').next().unwrap_or_default()),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Resolves scoped rules into sessions of router `r`.
fn expand<'a>(r: &Router<'a>, rules: Vec<(Scope, Effect)>) -> Vec<(Target<'a>, Effect)> {
    let mut out = Vec::new();
    for (scope, effect) in rules {
        let peers: Vec<&str> = match scope {
            Scope::All => r.peers.keys().copied().collect(),
            Scope::Ibgp => r.peers.keys().copied().filter(|p| r.is_ibgp(p)).collect(),
            Scope::Ebgp => r.peers.keys().copied().filter(|p| !r.is_ibgp(p)).collect(),
            Scope::GracefulRestart => r
                .peers
                .keys()
                .copied()
                .filter(|p| r.in_gr_mode(p))
                .collect(),
            Scope::InheritsGracefulRestart => r
                .peers
                .keys()
                .copied()
                .filter(|p| r.inherits_gr(p))
                .collect(),
            Scope::Family(af) => r.af_sessions(af),
        };
        out.extend(peers.into_iter().map(|p| (bgp(r, p), effect)));
    }
    out
}

fn bgp<'a>(r: &Router<'a>, peer: &'a str) -> Target<'a> {
    (peer, r.vrf, SessionKind::Bgp)
}

fn bfd<'a>(peer: &'a str, vrf: &'a str) -> Target<'a> {
    (peer, vrf, SessionKind::Bfd)
}

/// A top-level line: a whole `router bgp` or `bfd` removed, or a
/// route-map, prefix-list or as-path list that peers use changed.
fn top_level<'a>(
    model: &Running<'a>,
    set: bool,
    line: &str,
    version: FrrVersion,
) -> Vec<(Target<'a>, Effect)> {
    if let (false, Some(r)) = (set, model.routers.get(line)) {
        // `no router bgp`: bgp_delete() deletes every peer (peer_delete()
        // sends a CEASE), and with them their BFD sessions.
        let mut out = expand(r, vec![(Scope::All, Effect::Reset)]);
        out.extend(
            r.bfd
                .keys()
                .flat_map(|n| r.sessions(n))
                .map(|p| (bfd(p, r.vrf), Effect::Reset)),
        );
        return out;
    }
    if !set && line == "bfd" {
        // `no bfd`: bfdd deletes its configured sessions.
        return model
            .bfd_peers
            .iter()
            .map(|p| (bfd(p.addr, p.vrf), Effect::Reset))
            .collect();
    }
    if starts_with_words(line, "bgp graceful-restart restart-time") {
        // Typed at the top level (FRR 10 prints it there): every instance.
        return model
            .routers
            .values()
            .flat_map(|r| expand(r, restart_time(version)))
            .collect();
    }
    let words: Vec<&str> = line.split(' ').collect();
    let name = match words.as_slice() {
        ["route-map", name, ..]
        | ["ip" | "ipv6", "prefix-list", name, ..]
        | ["bgp", "as-path", "access-list", name, ..] => name,
        _ => return Vec::new(),
    };
    policy_users(model, name)
}

/// A route-map, prefix-list or as-path list changed: bgpd's
/// `bgp_route_map_update_timer()` / `bgp_prefix_list_update()` re-run the
/// policy of every peer that uses it (`peer_on_policy_change()`), without
/// a reset.
fn policy_users<'a>(model: &Running<'a>, name: &str) -> Vec<(Target<'a>, Effect)> {
    let mut out = Vec::new();
    for r in model.routers.values() {
        for user in r.policies.get(name).into_iter().flatten() {
            out.extend(
                r.sessions(user)
                    .into_iter()
                    .map(|p| (bgp(r, p), Effect::Soft)),
            );
        }
    }
    out
}

/// A `router bgp` line other than a neighbor's.
fn router_rule<'l>(set: bool, line: &'l str, version: FrrVersion) -> Vec<(Scope<'l>, Effect)> {
    let is = |prefix| starts_with_words(line, prefix);
    let rule = if is("bgp router-id") {
        // bgp_router_id_set(): every peer gets a CEASE
        // (peer_notify_config_change(), PEER_DOWN_RID_CHANGE); removing the
        // static id falls back to zebra's, a change as well.
        (Scope::All, Effect::Reset)
    } else if is("bgp cluster-id") {
        // bgp_cluster_id_set()/unset(): iBGP peers only (PEER_DOWN_CLID_CHANGE).
        (Scope::Ibgp, Effect::Reset)
    } else if is("bgp confederation identifier") || is("bgp confederation peers") {
        // bgp_confederation_id_set(), bgp_confederation_peers_add(): the
        // peers that are not iBGP are reset (PEER_DOWN_CONFED_ID_CHANGE).
        (Scope::Ebgp, Effect::Reset)
    } else if line == "bgp graceful-restart" || line == "bgp graceful-restart-disable" {
        // bgp_gr_update_all() → bgp_gr_update_mode_of_all_peers(): from
        // FRR 10.2 a changed GR mode is a changed capability, a CEASE for
        // every peer that inherits it; before, bgpd only printed "reset all
        // peers to take effect".
        (Scope::InheritsGracefulRestart, reset_from(version, 10, 2))
    } else if is("bgp graceful-restart restart-time") {
        return restart_time(version);
    } else if is("bgp shutdown") {
        // bgp_shutdown_enable(): CEASE/ADMIN_SHUTDOWN to every peer;
        // bgp_shutdown_disable() lets them come back (nothing is torn down).
        (Scope::All, if set { Effect::Reset } else { Effect::None })
    } else if is("bgp bestpath")
        || is("bgp always-compare-med")
        || is("bgp deterministic-med")
        || is("bgp default local-preference")
        || is("bgp ebgp-requires-policy")
    {
        // bgp_recalculate_all_bestpaths() / bgp_clear_star_soft_in/out():
        // routes are re-evaluated and re-advertised, sessions stay.
        (Scope::All, Effect::Soft)
    } else {
        // `timers bgp` (bgp_timers_set(): for sessions yet to open),
        // logging, defaults for new peers …: nothing now.
        return Vec::new();
    };
    vec![rule]
}

/// `bgp graceful-restart restart-time N`. Up to FRR 10.4,
/// bgp_graceful_restart_restart_time only sends a dynamic CAPABILITY
/// message (bgp_capability_send() does nothing without the dynamic
/// capability). From 10.5 (commit ec2feb5ed4, "Updated GR restart time is
/// not sent to peers") it calls bgp_update_graceful_restart_capability()
/// on every peer without the dynamic capability, which sends a CEASE to
/// each peer in graceful-restart mode, even for an unchanged value
/// (FRRouting/frr#22953; fixed on master by a2ab62764f, in no release
/// yet). The dynamic capability is negotiated, not configured: assumed
/// absent.
fn restart_time<'l>(version: FrrVersion) -> Vec<(Scope<'l>, Effect)> {
    match version >= FrrVersion::V10_5 {
        true => vec![(Scope::GracefulRestart, Effect::Reset)],
        false => Vec::new(),
    }
}

impl FrrVersion {
    /// Where `bgp graceful-restart restart-time` starts to reset sessions.
    const V10_5: FrrVersion = FrrVersion::new(10, 5);
}

/// An address-family line other than a neighbor's: originating or
/// withdrawing routes (bgp_static_set(), bgp_redistribute_set(),
/// bgp_aggregate_set()) updates the peers of that family.
fn family_rule<'l>(af: &'l str, line: &str) -> Vec<(Scope<'l>, Effect)> {
    let announces = ["network", "redistribute", "aggregate-address"]
        .iter()
        .any(|p| starts_with_words(line, p));
    match announces {
        true => vec![(Scope::Family(af), Effect::Soft)],
        false => Vec::new(),
    }
}

/// Neighbor attributes whose change bgpd answers with a CEASE
/// notification or `bgp_session_reset()`.
const RESETS: &[&str] = &[
    "update-source",                // peer_update_source_*_set()/unset()
    "password",                     // peer_password_set()/unset()
    "local-as",                     // peer_local_as_set(): PEER_FLAG_LOCAL_AS is peer_change_reset
    "passive",                      // peer_flag_action_list: peer_change_reset
    "disable-connected-check",      // idem
    "enforce-multihop",             // idem (older spelling)
    "port",                         // idem (PEER_FLAG_PORT)
    "ip-transparent",               // idem
    "extended-optional-parameters", // idem
    "capability extended-nexthop",  // idem (PEER_FLAG_CAPABILITY_ENHE)
    "activate", // peer_activate_af()/peer_deactivate(): CEASE without the dynamic capability
    "route-reflector-client", // peer_af_flag_action_list: peer_change_reset
    "route-server-client", // idem
    "capability orf", // idem (ORF_PREFIX_SM/RM)
    "disable-addpath-rx", // idem
    "soo",      // idem
    "accept-own", // idem
    // bgp_addpath_set_peer_type(): a new TX strategy is a changed ADD-PATH
    // capability, peer_change_action(peer_change_reset) (seen on 8.4 and
    // 10.4.3); only a new count for the same best-selected strategy keeps
    // the session, which is predicted a reset here.
    "addpath-tx-all-paths",
    "addpath-tx-bestpath-per-AS",
    "addpath-tx-best-selected",
];

/// Neighbor attributes whose change re-runs policy, sends a route
/// refresh or re-advertises, and keeps the session.
const SOFT: &[&str] = &[
    "route-map",              // peer_route_map_set() → peer_on_policy_change()
    "prefix-list",            // peer_prefix_list_set() → idem
    "filter-list",            // peer_aslist_set() → idem
    "distribute-list",        // peer_distribute_set() → idem
    "unsuppress-map",         // peer_unsuppress_map_set() → idem (out)
    "weight",                 // peer_weight_set() → peer_on_policy_change(in)
    "allowas-in",             // peer_allowas_in_set() → idem
    "soft-reconfiguration",   // peer_change_reset_in: route refresh
    "enforce-first-as",       // idem
    "send-community",         // peer_change_reset_out: re-advertise
    "next-hop-self",          // idem
    "attribute-unchanged",    // idem
    "as-path-unchanged",      // idem
    "remove-private-AS",      // idem
    "as-override",            // idem
    "solo",                   // idem (PEER_FLAG_LONESOUL)
    "default-originate",      // peer_default_originate_set() → bgp_default_originate()
    "advertisement-interval", // peer_advertise_interval_set() → bgp_announce_route_all()
];

/// A `neighbor NAME …` line (`rest` after `neighbor `), at router or
/// address-family level.
fn neighbor<'a>(
    r: &Router<'a>,
    set: bool,
    rest: &str,
    version: FrrVersion,
) -> Vec<(Target<'a>, Effect)> {
    let (name, attr) = rest.split_once(' ').unwrap_or((rest, ""));
    let sessions = r.sessions(name);
    let all = |effect| {
        sessions
            .iter()
            .map(|p| (bgp(r, p), effect))
            .collect::<Vec<_>>()
    };
    let with_bfd = |mut out: Vec<(Target<'a>, Effect)>| {
        // A peer that goes away takes its BFD session with it
        // (bgp_peer_remove_bfd_config() from peer_delete()).
        if r.bfd.contains_key(name) || sessions.iter().any(|p| r.bfd.contains_key(p)) {
            out.extend(sessions.iter().map(|p| (bfd(p, r.vrf), Effect::Reset)));
        }
        out
    };
    let attr_is = |prefix| starts_with_words(attr, prefix);
    let words: Vec<&str> = attr.split(' ').collect();
    match words.as_slice() {
        // `no neighbor X`: peer_delete() / peer_group_delete().
        [""] if !set => with_bfd(all(Effect::Reset)),
        // A new remote-as on a known peer: peer_as_change() sends a CEASE
        // (or bgp_session_reset()); removing it deletes the peer.
        ["remote-as", asn]
        | ["interface", "remote-as", asn]
        | ["interface", "v6only", "remote-as", asn] => match (set, r.own_remote_as(name)) {
            (false, _) => with_bfd(all(Effect::Reset)),
            (true, Some(old)) if old != *asn => all(Effect::Reset),
            _ => Vec::new(),
        },
        // `no neighbor G peer-group`: peer_group_delete() deletes the
        // members that had their AS from it; `no neighbor IF interface`
        // deletes an unnumbered peer.
        ["peer-group"] | ["interface", ..] if !set => with_bfd(all(Effect::Reset)),
        // Joining (peer_group_bind(): PEER_DOWN_RMAP_BIND) or leaving
        // (peer_group_unbind()) a group resets a peer that already exists.
        ["peer-group", group]
        | ["interface", "peer-group", group]
        | ["interface", "v6only", "peer-group", group] => {
            let already = r.peers.get(name).and_then(|p| p.group) == Some(*group);
            match set && already {
                true => Vec::new(),
                false => all(Effect::Reset),
            }
        }
        // peer_flag_modify_action(): CEASE/ADMIN_SHUTDOWN; `no neighbor X
        // shutdown` only lets the session come up.
        ["shutdown", ..] => all(if set { Effect::Reset } else { Effect::None }),
        // peer_ebgp_multihop_set(), peer_ttl_security_hops_set(): iBGP
        // peers are left alone; the others get a CEASE.
        ["ebgp-multihop", ..] | ["ttl-security", ..] => sessions
            .iter()
            .filter(|p| !r.is_ibgp(p))
            .map(|p| (bgp(r, p), Effect::Reset))
            .collect(),
        // peer_flag_action_list: PEER_FLAG_DYNAMIC_CAPABILITY is
        // peer_change_reset before FRR 10.1, peer_change_none since;
        // PEER_FLAG_ROLE (and ROLE_STRICT_MODE) before 9.1 and since.
        ["capability", "dynamic"] => all(reset_before(version, 10, 1)),
        ["local-role", ..] => all(reset_before(version, 9, 1)),
        // bgp_peer_gr_action(): a CEASE from FRR 10.2, nothing before
        // (8.4 asks the operator to reset the peer).
        ["graceful-restart" | "graceful-restart-helper" | "graceful-restart-disable"] => {
            all(reset_from(version, 10, 2))
        }
        ["bfd", ..] => bfd_neighbor(r, &sessions, set, &words),
        _ if RESETS.iter().any(|a| attr_is(a)) => all(Effect::Reset),
        _ if SOFT.iter().any(|a| attr_is(a)) => all(Effect::Soft),
        // description, timers (peer_timers_set() and
        // peer_timers_connect_set() only store: they apply to the next
        // session), maximum-prefix (peer_change_none), the capability
        // flags that are peer_change_none …: nothing now.
        _ => Vec::new(),
    }
}

/// `Reset` on FRR releases before `major.minor`, `None` from it on.
fn reset_before(version: FrrVersion, major: u16, minor: u16) -> Effect {
    match version < (FrrVersion { major, minor }) {
        true => Effect::Reset,
        false => Effect::None,
    }
}

/// `Reset` from FRR `major.minor` on, `None` before.
fn reset_from(version: FrrVersion, major: u16, minor: u16) -> Effect {
    match reset_before(version, major, minor) {
        Effect::Reset => Effect::None,
        _ => Effect::Reset,
    }
}

/// `neighbor X bfd …`: the BGP session stays (bgp_peer_config_apply()
/// only changes the BFD registration); its BFD session is removed by
/// `no neighbor X bfd` (bgp_peer_remove_bfd_config()), and changes its
/// timers or profile in place (bfd_sess_install() → a poll sequence).
fn bfd_neighbor<'a>(
    r: &Router<'a>,
    sessions: &[&'a str],
    set: bool,
    words: &[&str],
) -> Vec<(Target<'a>, Effect)> {
    let effect = match words {
        ["bfd"] if !set => Effect::Reset,
        ["bfd"] => Effect::None, // a new BFD session
        ["bfd", "check-control-plane-failure"] => Effect::None,
        _ => Effect::Soft,
    };
    sessions.iter().map(|p| (bfd(p, r.vrf), effect)).collect()
}

/// A line typed at the `bfd` node: `no peer …` deletes the configured
/// session (bfd_session_free() via the northbound destroy); `no profile P`
/// returns its users to the defaults, in place.
fn bfd_node<'a>(model: &Running<'a>, set: bool, line: &str) -> Vec<(Target<'a>, Effect)> {
    if set {
        return Vec::new();
    }
    if let Some(p) = model.bfd_peers.iter().find(|p| p.line == line) {
        return vec![(bfd(p.addr, p.vrf), Effect::Reset)];
    }
    match line.strip_prefix("profile ") {
        Some(profile) => profile_users(model, profile, Effect::Soft),
        None => Vec::new(),
    }
}

/// A line inside `bfd` / `peer …` or `bfd` / `profile …`. `shutdown` takes
/// the session AdminDown (bfd_set_shutdown()); BGP ignores AdminDown
/// (bgp_bfd's status handler), so only the BFD session counts as reset.
/// Timers, echo and the profile change by a poll sequence
/// (bfd_set_timers() / bfd_profile_apply()), the session stays.
fn bfd_child<'a>(
    model: &Running<'a>,
    child: &str,
    set: bool,
    line: &str,
) -> Vec<(Target<'a>, Effect)> {
    let effect = match (line, set) {
        ("shutdown", true) => Effect::Reset,
        ("shutdown", false) => Effect::None,
        _ => Effect::Soft,
    };
    if let Some(profile) = child.strip_prefix("profile ") {
        return profile_users(model, profile, effect);
    }
    model
        .bfd_peers
        .iter()
        .filter(|p| p.line == child)
        .map(|p| (bfd(p.addr, p.vrf), effect))
        .collect()
}

/// The BFD sessions that use `profile`: `peer` blocks naming it and BGP
/// neighbors with `bfd profile` naming it.
fn profile_users<'a>(
    model: &Running<'a>,
    profile: &str,
    effect: Effect,
) -> Vec<(Target<'a>, Effect)> {
    let mut out: Vec<(Target, Effect)> = model
        .bfd_peers
        .iter()
        .filter(|p| p.profile == Some(profile))
        .map(|p| (bfd(p.addr, p.vrf), effect))
        .collect();
    for r in model.routers.values() {
        out.extend(
            r.bfd_sessions_with_profile(profile)
                .into_iter()
                .map(|p| (bfd(p, r.vrf), effect)),
        );
    }
    out
}

mod running;
#[cfg(test)]
mod tests;
