//! Settings FRR runs in the order typed, where a line undoes or implies
//! another: babeld's link settings, isisd's values of two levels, a
//! peer's BFD lines. Each is read as its daemon runs it, line by line,
//! and replaced, where its first line stood, by what the daemon prints.
//! Before `keep_last_value`, which would reorder them; the parser keeps
//! such a line typed again where it was typed last
//! (`rules::counts_where_typed_last`, [`runs_in_order`]).

use indexmap::IndexSet;
use rustc_hash::{FxBuildHasher, FxHashSet};

use super::{neighbor_words, peer_group_bind};
use crate::config::grammar::Kind;
use crate::config::tree::Config;

impl Config {
    /// isisd's interface values of both levels ([`ISIS_LEVEL_VALUES`])
    /// are read as isisd runs them, in the order typed (one without a
    /// level sets both, a `no` form the default), and replaced, where the
    /// first stood, by what it prints: one line where the levels agree
    /// (none at the default), else one for each level
    /// (`cli_show_ip_isis_metric` and the others, 8.4 to 10.7). Before:
    /// the second level's value read as replacing the first's, a false
    /// success, and the other level's default, which isisd prints beside
    /// it, as missing (found reading the slots).
    pub(super) fn settle_isis_levels(&mut self, blocks: &[usize]) {
        for ctx in self.blocks_of(blocks, Kind::Interface) {
            for setting in ISIS_LEVEL_VALUES {
                let Some(first) = ctx.lines.iter().position(|l| setting.parse(l).is_some()) else {
                    continue;
                };
                let mut levels = [setting.default; 2];
                for line in ctx.lines.iter() {
                    let Some((no, level, value)) = setting.parse(line) else {
                        continue;
                    };
                    let value = if no {
                        setting.default
                    } else {
                        value.unwrap_or(setting.default)
                    };
                    match level {
                        Some(n) => levels[n] = value,
                        None => levels = [value; 2],
                    }
                }
                let mut lines: Vec<String> = ctx.lines.drain(..).collect();
                lines.retain(|l| setting.parse(l).is_none());
                let at = first.min(lines.len());
                lines.splice(at..at, setting.printed(levels));
                ctx.lines.extend(lines);
            }
        }
    }

    /// A peer's BFD lines are read as bgpd runs them, in the order typed,
    /// and replaced, where the first stood, by what it prints
    /// (`bgp_bfd_peer_config_write`, 8.4 to 10.7): `no neighbor X bfd`
    /// removes the peer's BFD settings typed before it (its profile and
    /// control-plane check too), while `[no] neighbor X bfd
    /// check-control-plane-failure`, and `no … bfd profile` where BFD was
    /// on, turn BFD on. Before: the profile or check typed before `no
    /// neighbor X bfd` read as kept, and `no … check-control-plane-failure`
    /// as printing nothing, where FRR prints `neighbor X bfd`: false
    /// successes (found by mutation seed 77, topotest bfd_bgp_cbit_topo3
    /// r1). Not for groups and their members (a group's BFD settings
    /// reach its members), nor a peer with other BFD lines (`bfd strict`,
    /// 8.4's `bfd N N N`).
    pub(super) fn settle_peer_bfd(&mut self, blocks: &[usize]) {
        for ctx in self.blocks_of(blocks, Kind::RouterBgp) {
            let mut grouped: FxHashSet<&str> = FxHashSet::default();
            let mut odd: FxHashSet<&str> = FxHashSet::default();
            let mut peers: IndexSet<&str, FxBuildHasher> = IndexSet::default();
            for line in ctx.lines.iter() {
                if let Some((peer, group)) = peer_group_bind(line) {
                    grouped.extend([peer, group]);
                    continue;
                }
                let Some((peer, words)) = neighbor_words(line.strip_prefix("no ").unwrap_or(line))
                else {
                    continue;
                };
                match words.as_slice() {
                    ["peer-group"] => {
                        grouped.insert(peer);
                    }
                    ["bfd"] | ["bfd", "check-control-plane-failure"] | ["bfd", "profile", ..] => {
                        peers.insert(peer);
                    }
                    ["bfd", ..] => {
                        odd.insert(peer);
                    }
                    _ => {}
                }
            }
            let settled: Vec<String> = peers
                .into_iter()
                .filter(|p| !grouped.contains(p) && !odd.contains(p))
                .map(str::to_owned)
                .collect();
            for peer in settled {
                let mut bfd = PeerBfd::default();
                let mut first = None;
                let mut kept: Vec<String> = Vec::with_capacity(ctx.lines.len());
                for line in ctx.lines.drain(..) {
                    let (no, rest) = match line.strip_prefix("no ") {
                        Some(rest) => (true, rest),
                        None => (false, line.as_str()),
                    };
                    match neighbor_words(rest) {
                        Some((p, words)) if p == peer && words.first() == Some(&"bfd") => {
                            bfd.run(no, &words[1..]);
                            first.get_or_insert(kept.len());
                        }
                        _ => kept.push(line),
                    }
                }
                let at = first.unwrap_or(kept.len());
                kept.splice(at..at, bfd.printed(&peer));
                ctx.lines.extend(kept);
            }
        }
    }

    /// babeld's link settings of an interface (`[no] babel wired|wireless|
    /// split-horizon|rxcost|channel`) are read as babeld runs them, in
    /// the order typed, and replaced, where the first stood, by what it
    /// prints (`interface_config_write`, 8.4 to 10.7): turning `wired` on
    /// or off resets split horizon, the rxcost and the channel to that
    /// link type's defaults, and a `no` form sets the link type's
    /// default. Before: a value at its default read as missing, and one
    /// reset by a later `babel wired` as printed (found by probing
    /// babeld's defaults).
    pub(super) fn settle_babel_links(&mut self, blocks: &[usize]) {
        for ctx in self.blocks_of(blocks, Kind::Interface) {
            let Some(first) = ctx.lines.iter().position(|l| babel_link(l).is_some()) else {
                continue;
            };
            let mut link = BabelLink::default();
            for line in ctx.lines.iter() {
                if let Some((no, words)) = babel_link(line) {
                    link.run(no, &words);
                }
            }
            let mut lines: Vec<String> = ctx.lines.drain(..).collect();
            lines.retain(|l| babel_link(l).is_none());
            let printed = link.printed();
            let at = first.min(lines.len());
            lines.splice(at..at, printed);
            ctx.lines.extend(lines);
        }
    }
}

/// Whether `line` of a `kind` context is one of those FRR runs in the
/// order typed, read here.
pub(super) fn runs_in_order(kind: Kind, line: &str) -> bool {
    match kind {
        Kind::Interface => {
            babel_link(line).is_some() || ISIS_LEVEL_VALUES.iter().any(|s| s.parse(line).is_some())
        }
        // Without allocating: the parser asks this of every line it keeps.
        Kind::RouterBgp => line
            .strip_prefix("no ")
            .unwrap_or(line)
            .strip_prefix("neighbor ")
            .and_then(|rest| rest.split_once(' '))
            .is_some_and(|(_, attr)| attr == "bfd" || attr.starts_with("bfd ")),
        _ => false,
    }
}

/// An isisd interface value of both levels: its name after `isis`, its
/// default, and whether a level is typed before the value (`isis metric
/// level-1 30`) or after it (`isis priority 70 level-1`).
struct IsisLevelValue {
    name: &'static str,
    default: u32,
    level_first: bool,
}

/// isisd's interface values of both levels (its YANG model's defaults).
const ISIS_LEVEL_VALUES: &[IsisLevelValue] = &[
    IsisLevelValue {
        name: "metric",
        default: 10,
        level_first: true,
    },
    IsisLevelValue {
        name: "hello-interval",
        default: 3,
        level_first: true,
    },
    IsisLevelValue {
        name: "hello-multiplier",
        default: 10,
        level_first: true,
    },
    IsisLevelValue {
        name: "csnp-interval",
        default: 10,
        level_first: false,
    },
    IsisLevelValue {
        name: "psnp-interval",
        default: 2,
        level_first: false,
    },
    IsisLevelValue {
        name: "priority",
        default: 64,
        level_first: false,
    },
];

impl IsisLevelValue {
    /// `[no] isis NAME [level] [value]` in either order: whether it is a
    /// `no` form, the level's index (`None` for both) and the value.
    fn parse(&self, line: &str) -> Option<(bool, Option<usize>, Option<u32>)> {
        let (no, rest) = match line.strip_prefix("no ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let rest = rest.strip_prefix("isis ")?.strip_prefix(self.name)?;
        if !rest.is_empty() && !rest.starts_with(' ') {
            return None;
        }
        let mut level = None;
        let mut value = None;
        for word in rest.split_ascii_whitespace() {
            match word {
                "level-1" if level.is_none() => level = Some(0),
                "level-2" if level.is_none() => level = Some(1),
                _ if value.is_none() => value = Some(word.parse::<u32>().ok()?),
                _ => return None,
            }
        }
        (no || value.is_some()).then_some((no, level, value))
    }

    /// What isisd prints for the two levels' values.
    fn printed(&self, [one, two]: [u32; 2]) -> Vec<String> {
        let name = self.name;
        if one == two {
            return if one == self.default {
                Vec::new()
            } else {
                vec![format!("isis {name} {one}")]
            };
        }
        [(1, one), (2, two)]
            .into_iter()
            .map(|(level, value)| {
                if self.level_first {
                    format!("isis {name} level-{level} {value}")
                } else {
                    format!("isis {name} {value} level-{level}")
                }
            })
            .collect()
    }
}

/// What bgpd holds of a peer's BFD settings (`struct bfd_session_config`,
/// where there is one).
#[derive(Default)]
struct PeerBfd {
    config: Option<PeerBfdConfig>,
}

#[derive(Default)]
struct PeerBfdConfig {
    /// Typed on (`manual`): only then is `neighbor X bfd` printed.
    manual: bool,
    check_control_plane: bool,
    profile: Option<String>,
}

impl PeerBfd {
    /// Runs one line's words after `neighbor X bfd`, as bgpd does.
    fn run(&mut self, no: bool, words: &[&str]) {
        match (no, words) {
            (true, []) => self.config = None,
            (true, ["profile", ..]) => {
                if let Some(config) = &mut self.config {
                    config.manual = true;
                    config.profile = None;
                }
            }
            (false, []) => self.on().manual = true,
            (_, ["check-control-plane-failure"]) => {
                let config = self.on();
                config.manual = true;
                config.check_control_plane = !no;
            }
            (false, ["profile", name]) => {
                let config = self.on();
                config.manual = true;
                config.profile = Some((*name).to_owned());
            }
            _ => {}
        }
    }

    fn on(&mut self) -> &mut PeerBfdConfig {
        self.config.get_or_insert_with(PeerBfdConfig::default)
    }

    /// The lines bgpd prints for the peer, in its order.
    fn printed(&self, peer: &str) -> Vec<String> {
        let Some(config) = &self.config else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        if config.manual {
            lines.push(format!("neighbor {peer} bfd"));
        }
        if let Some(profile) = &config.profile {
            lines.push(format!("neighbor {peer} bfd profile {profile}"));
        }
        if config.check_control_plane {
            lines.push(format!("neighbor {peer} bfd check-control-plane-failure"));
        }
        lines
    }
}

/// A babeld interface link setting: whether it is a `no` form, and its
/// words after `babel`.
fn babel_link(line: &str) -> Option<(bool, Vec<&str>)> {
    let (no, rest) = match line.strip_prefix("no ") {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let words: Vec<&str> = rest.strip_prefix("babel ")?.split(' ').collect();
    matches!(
        words.as_slice(),
        ["wired" | "wireless" | "split-horizon"] | ["rxcost" | "channel", _]
    )
    .then_some((no, words))
}

/// What babeld holds of an interface's link (`babel_interface_nfo`):
/// wireless by default.
struct BabelLink {
    wired: bool,
    split_horizon: bool,
    rxcost: String,
    /// `interfering`, `noninterfering` or a channel number.
    channel: String,
}

/// babeld's interface and `router babel` values with their defaults
/// (`BABEL_DEFAULT_*`). 8.4 has no `no` form of them, nor of `babel wired`
/// (`no babel split-horizon` and `no babel enable-timestamps` it has).
const BABEL_VALUE_DEFAULTS: &[(&str, &str)] = &[
    ("babel hello-interval", "4000"),
    ("babel update-interval", "16000"),
    ("babel rtt-decay", "42"),
    ("babel rtt-min", "10"),
    ("babel rtt-max", "120"),
    ("babel max-rtt-penalty", "150"),
    ("babel diversity-factor", "256"),
    ("babel resend-delay", "2000"),
    ("babel smoothing-half-life", "4"),
];

/// The command that undoes babeld's `line` on every release, where its
/// `no` form is not one: the default typed (the link type's, for the
/// rxcost and the channel: `wired` is whether the interface ends
/// wired), `babel wireless` for `babel wired`.
pub(crate) fn babel_undo(line: &str, wired: bool) -> Option<String> {
    if line == "babel wired" {
        return Some("babel wireless".to_owned());
    }
    let (setting, _) = line.rsplit_once(' ')?;
    let link = BabelLink {
        wired,
        ..BabelLink::default()
    };
    let default = match setting {
        "babel rxcost" => link.default_rxcost(),
        "babel channel" => link.default_channel(),
        _ => BABEL_VALUE_DEFAULTS
            .iter()
            .find(|(s, _)| *s == setting)
            .map(|(_, d)| *d)?,
    };
    Some(format!("{setting} {default}"))
}

const BABEL_RXCOST_WIRED: &str = "96";
const BABEL_RXCOST_WIRELESS: &str = "256";

impl Default for BabelLink {
    fn default() -> BabelLink {
        let mut link = BabelLink {
            wired: true,
            split_horizon: false,
            rxcost: String::new(),
            channel: String::new(),
        };
        link.set_wired(false);
        link
    }
}

impl BabelLink {
    /// `babel_set_wired_internal`: the link type's defaults.
    fn set_wired(&mut self, wired: bool) {
        if self.wired == wired {
            return;
        }
        self.wired = wired;
        self.split_horizon = wired;
        self.rxcost = self.default_rxcost().to_owned();
        self.channel = self.default_channel().to_owned();
    }

    fn default_rxcost(&self) -> &'static str {
        if self.wired {
            BABEL_RXCOST_WIRED
        } else {
            BABEL_RXCOST_WIRELESS
        }
    }

    fn default_channel(&self) -> &'static str {
        if self.wired {
            "noninterfering"
        } else {
            "interfering"
        }
    }

    /// Runs one line, as babeld's command does.
    fn run(&mut self, no: bool, words: &[&str]) {
        match words {
            ["wired"] => self.set_wired(!no),
            ["wireless"] => self.set_wired(no),
            ["split-horizon"] => self.split_horizon = !no,
            ["rxcost", cost] if !no => self.rxcost = (*cost).to_owned(),
            ["rxcost", _] => self.rxcost = self.default_rxcost().to_owned(),
            ["channel", channel] if !no => self.channel = (*channel).to_owned(),
            ["channel", _] => self.channel = self.default_channel().to_owned(),
            _ => {}
        }
    }

    /// The lines babeld prints for the link, in its order.
    fn printed(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.wired {
            lines.push("babel wired".to_owned());
        }
        if self.split_horizon != self.wired {
            let no = if self.wired { "no " } else { "" };
            lines.push(format!("{no}babel split-horizon"));
        }
        if self.rxcost != self.default_rxcost() {
            lines.push(format!("babel rxcost {}", self.rxcost));
        }
        if self.channel != self.default_channel() {
            lines.push(format!("babel channel {}", self.channel));
        }
        lines
    }
}
