//! FRR configuration text → context tree, flattened the way frr-reload.py
//! keeps it: each context is identified by the path of node lines that
//! lead to it (`["router bgp 64512", "address-family ipv4 unicast"]`) and
//! holds the lines typed in it. A top-level single-line command is a
//! context of its own with no lines.

use std::fmt;

use indexmap::{IndexMap, IndexSet};
use rustc_hash::FxBuildHasher;

use crate::grammar::{Cursor, Kind, Step};
use crate::normalize::{expand_abbreviations, Normalizer};
use crate::slot::value_slot;
use crate::{Error, FrrVersion};

/// Longest line FRR reads in one piece (`VTY_BUFSIZ` - 1): `vtysh -f`
/// splits longer lines into several commands, so they are refused here.
pub const MAX_LINE: usize = 4095;

/// Path of node lines identifying a context, outermost first.
pub type Key = Vec<String>;

/// The lines of one context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// Kind of the innermost node.
    pub kind: Kind,
    /// Lines in first-seen order, without duplicates.
    pub lines: IndexSet<String, FxBuildHasher>,
    /// 1-based line number where the context first appeared.
    pub line_no: usize,
    /// The opening line as written, when it says more than the key FRR
    /// prints: `interface X vrf Y` creates X in VRF Y, but prints as
    /// `interface X`. Used to create the context.
    pub opener: Option<String>,
}

/// A parsed and normalized configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Contexts in first-seen order.
    pub contexts: IndexMap<Key, Context, FxBuildHasher>,
    /// Number of input lines.
    pub input_lines: usize,
}

/// Commands that FRR accepts at `router bgp` level for compatibility but
/// prints under `address-family ipv4 unicast`.
const BGP_IPV4_COMMANDS: &[&str] = &[
    "network",
    "aggregate-address",
    "redistribute",
    "maximum-paths",
    "distance",
    "table-map",
    "bgp dampening",
];

/// Neighbor attributes that belong to an address family (see
/// [`BGP_IPV4_COMMANDS`]).
const BGP_AF_NEIGHBOR_ATTRS: &[&str] = &[
    "activate",
    "next-hop-self",
    "soft-reconfiguration",
    "route-map",
    "prefix-list",
    "filter-list",
    "distribute-list",
    "unsuppress-map",
    "default-originate",
    "send-community",
    "route-reflector-client",
    "route-server-client",
    "remove-private-AS",
    "as-override",
    "allowas-in",
    "weight",
    "maximum-prefix",
    "attribute-unchanged",
    "addpath-tx-all-paths",
    "addpath-tx-bestpath-per-AS",
    "capability orf",
];

impl Config {
    /// Parses configuration text (what a controller renders or what
    /// `show running-config` prints).
    /// Printing rules follow the default FRR version (see
    /// [`Config::parse_for`]).
    pub fn parse(text: &str) -> Result<Config, Error> {
        Config::parse_for(text, FrrVersion::default())
    }

    /// Parses text, normalizing it the way FRR `version` prints it.
    pub fn parse_for(text: &str, version: FrrVersion) -> Result<Config, Error> {
        Parser::new(version).run(text)
    }

    /// Parses bytes, refusing invalid UTF-8 with the line where it occurs.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Config, Error> {
        Config::parse_bytes_for(bytes, FrrVersion::default())
    }

    /// [`Config::parse_bytes`] for FRR `version`.
    pub fn parse_bytes_for(bytes: &[u8], version: FrrVersion) -> Result<Config, Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Config::parse_for(text, version),
            Err(e) => {
                let upto = &bytes[..e.valid_up_to()];
                let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
                let start = upto.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                let shown = String::from_utf8_lossy(&bytes[start..]);
                Err(Error::Parse {
                    line,
                    text: shown.lines().next().unwrap_or_default().to_owned(),
                    reason: "invalid UTF-8",
                })
            }
        }
    }

    /// Number of commands (context keys plus their lines).
    pub fn command_count(&self) -> usize {
        self.contexts.values().map(|c| 1 + c.lines.len()).sum()
    }

    fn context_mut(&mut self, key: Key, kind: Kind, line_no: usize) -> &mut Context {
        let index = self.context_index(key, kind, line_no);
        &mut self.contexts[index]
    }

    /// Index of the context `key`, created empty if new.
    fn context_index(&mut self, key: Key, kind: Kind, line_no: usize) -> usize {
        let entry = self.contexts.entry(key);
        let index = entry.index();
        entry.or_insert_with(|| Context {
            kind,
            lines: IndexSet::default(),
            line_no,
            opener: None,
        });
        index
    }

    /// Rules that need more than one line: commands FRR moves to another
    /// node, and defaults it does not print.
    fn finish(&mut self, version: FrrVersion) {
        self.relocate_bgp_ipv4_commands();
        self.drop_default_ipv4_activate();
        self.relocate_bgp_global_commands();
        self.split_route_target_both();
        self.split_bfd_echo_interval();
        self.keep_last_value();
        self.drop_auto_route_targets();
        self.drop_implied_bfd();
        if version < MEMBER_REMOTE_AS_OVERRIDE {
            self.drop_member_remote_as();
        }
    }

    /// A setting given twice in one context keeps its last value (FRR
    /// replaces it in place), and `X` then `no X` leaves `no X`.
    fn keep_last_value(&mut self) {
        for ctx in self
            .contexts
            .values_mut()
            .filter(|c| c.kind != Kind::Top && c.lines.len() > 1)
        {
            let kind = ctx.kind;
            let negated: rustc_hash::FxHashSet<&str> = ctx
                .lines
                .iter()
                .filter_map(|l| l.strip_prefix("no "))
                .collect();
            let keys: Vec<Option<String>> = ctx
                .lines
                .iter()
                .map(|l| match l.strip_prefix("no ") {
                    Some(bare) => Some(value_slot(kind, bare).unwrap_or_else(|| bare.to_owned())),
                    None => value_slot(kind, l)
                        .or_else(|| negated.contains(l.as_str()).then(|| l.clone())),
                })
                .collect();
            let mut last: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
            for (i, key) in keys.iter().enumerate() {
                if let Some(key) = key {
                    last.insert(key, i);
                }
            }
            if last.len() == keys.iter().flatten().count() {
                continue;
            }
            let mut i = 0;
            ctx.lines.retain(|_| {
                let keep = keys[i].as_deref().is_none_or(|k| last[k] == i);
                i += 1;
                keep
            });
        }
    }

    /// bfdd prints `echo-interval N` as `echo receive-interval N` and
    /// `echo transmit-interval N`.
    fn split_bfd_echo_interval(&mut self) {
        for ctx in self
            .contexts
            .values_mut()
            .filter(|c| c.kind == Kind::BfdChild)
        {
            let Some(value) = ctx
                .lines
                .iter()
                .find_map(|l| l.strip_prefix("echo-interval "))
                .map(str::to_owned)
            else {
                continue;
            };
            ctx.lines.shift_remove(&format!("echo-interval {value}"));
            for line in [
                format!("echo receive-interval {value}"),
                format!("echo transmit-interval {value}"),
            ] {
                if !BFD_ECHO_DEFAULT.contains(&line.as_str()) {
                    ctx.lines.insert(line);
                }
            }
        }
    }

    /// FRR prints `route-target both X` as `route-target import X` and
    /// `route-target export X`. Keeping `both` would make a reload delete
    /// `import` (which crashes bgpd 8.4) and add `both` again.
    fn split_route_target_both(&mut self) {
        for ctx in self.contexts.values_mut() {
            if !matches!(ctx.kind, Kind::BgpAf | Kind::BgpVni)
                || !ctx
                    .lines
                    .iter()
                    .any(|l| l.starts_with("route-target both "))
            {
                continue;
            }
            let lines = std::mem::take(&mut ctx.lines);
            for line in lines {
                match line.strip_prefix("route-target both ") {
                    Some(value) => {
                        ctx.lines.insert(format!("route-target import {value}"));
                        ctx.lines.insert(format!("route-target export {value}"));
                    }
                    None => {
                        ctx.lines.insert(line);
                    }
                }
            }
        }
    }

    /// `neighbor X bfd profile P` turns BFD on: FRR prints a `neighbor X
    /// bfd` line beside it, which a configuration rarely has. Deleting that
    /// line would turn BFD (and the profile) off, so it is dropped on both
    /// sides.
    fn drop_implied_bfd(&mut self) {
        for ctx in self
            .contexts
            .values_mut()
            .filter(|c| c.kind == Kind::RouterBgp)
        {
            let with_profile: Vec<String> = ctx
                .lines
                .iter()
                .filter_map(|l| {
                    let (peer, rest) = l.strip_prefix("neighbor ")?.split_once(' ')?;
                    rest.starts_with("bfd profile ")
                        .then(|| format!("neighbor {peer} bfd"))
                })
                .collect();
            for line in with_profile {
                ctx.lines.shift_remove(&line);
            }
        }
    }

    /// In an EVPN `vni N` block, FRR does not print a route-target equal to
    /// the one it derives itself (`ASN:N`, for a 2-byte ASN).
    fn drop_auto_route_targets(&mut self) {
        for (key, ctx) in self.contexts.iter_mut() {
            if ctx.kind != Kind::BgpVni || key.len() != 3 {
                continue;
            }
            let asn = key[0]
                .strip_prefix("router bgp ")
                .and_then(|r| r.split_ascii_whitespace().next())
                .and_then(|a| a.parse::<u16>().ok());
            let vni = key[2]
                .strip_prefix("vni ")
                .and_then(|v| v.parse::<u32>().ok());
            let (Some(asn), Some(vni)) = (asn, vni) else {
                continue;
            };
            let auto = format!("{asn}:{vni}");
            ctx.lines.retain(|l| {
                let mut words = l.split_ascii_whitespace();
                !(words.next() == Some("route-target")
                    && matches!(words.next(), Some("import" | "export" | "both"))
                    && words.next() == Some(auto.as_str())
                    && words.next().is_none())
            });
        }
    }

    /// `bgp route-map delay-timer` is accepted inside `router bgp` but is a
    /// global setting, printed at the top level.
    fn relocate_bgp_global_commands(&mut self) {
        let mut moved = Vec::new();
        for ctx in self
            .contexts
            .values_mut()
            .filter(|c| c.kind == Kind::RouterBgp)
        {
            let line_no = ctx.line_no;
            ctx.lines.retain(|l| {
                let global = l.starts_with("bgp route-map delay-timer");
                if global {
                    moved.push((l.clone(), line_no));
                }
                !global
            });
        }
        for (line, line_no) in moved {
            self.context_mut(vec![line], Kind::Top, line_no);
        }
    }

    /// FRR 8.x refuses `neighbor M remote-as …` for a member of a
    /// peer-group that has a remote-as (`% Peer-group member cannot
    /// override remote-as of peer-group`), so that line never runs.
    fn drop_member_remote_as(&mut self) {
        for ctx in self
            .contexts
            .values_mut()
            .filter(|c| c.kind == Kind::RouterBgp)
        {
            let groups_with_as: Vec<String> = ctx
                .lines
                .iter()
                .filter_map(|l| {
                    let (peer, rest) = l.strip_prefix("neighbor ")?.split_once(' ')?;
                    rest.starts_with("remote-as ").then(|| peer.to_owned())
                })
                .filter(|p| ctx.lines.contains(&format!("neighbor {p} peer-group")))
                .collect();
            if groups_with_as.is_empty() {
                continue;
            }
            let members: Vec<String> = ctx
                .lines
                .iter()
                .filter_map(|l| {
                    let (peer, rest) = l.strip_prefix("neighbor ")?.split_once(' ')?;
                    let group = rest.strip_prefix("peer-group ")?;
                    groups_with_as
                        .iter()
                        .any(|g| g == group)
                        .then(|| peer.to_owned())
                })
                .collect();
            ctx.lines.retain(|l| {
                !members.iter().any(|m| {
                    l.strip_prefix("neighbor ")
                        .and_then(|r| r.strip_prefix(m.as_str()))
                        .is_some_and(|r| r.starts_with(" remote-as "))
                })
            });
        }
    }

    /// `router bgp` level commands that print under
    /// `address-family ipv4 unicast`.
    fn relocate_bgp_ipv4_commands(&mut self) {
        let instances: Vec<Key> = self
            .contexts
            .iter()
            .filter(|(_, c)| c.kind == Kind::RouterBgp)
            .filter(|(_, c)| c.lines.iter().any(|l| is_bgp_ipv4_command(l)))
            .map(|(k, _)| k.clone())
            .collect();
        for key in instances {
            let ctx = &mut self.contexts[&key];
            let line_no = ctx.line_no;
            let moved: Vec<String> = ctx
                .lines
                .iter()
                .filter(|l| is_bgp_ipv4_command(l))
                .cloned()
                .collect();
            ctx.lines.retain(|l| !is_bgp_ipv4_command(l));
            let mut af_key = key.clone();
            af_key.push("address-family ipv4 unicast".to_owned());
            let af = self.context_mut(af_key, Kind::BgpAf, line_no);
            for line in moved {
                af.lines.insert(line);
            }
        }
    }

    /// With `bgp default ipv4-unicast` (FRR's default), neighbors are
    /// active in IPv4 unicast and FRR does not print `neighbor X activate`.
    fn drop_default_ipv4_activate(&mut self) {
        let defaults_on: Vec<Key> = self
            .contexts
            .iter()
            .filter(|(_, c)| {
                c.kind == Kind::RouterBgp && !c.lines.contains("no bgp default ipv4-unicast")
            })
            .map(|(k, _)| k.clone())
            .collect();
        for mut key in defaults_on {
            key.push("address-family ipv4 unicast".to_owned());
            if let Some(af) = self.contexts.get_mut(&key) {
                af.lines
                    .retain(|l| !(l.starts_with("neighbor ") && l.ends_with(" activate")));
            }
        }
    }
}

/// Prints the configuration as FRR input: each context entered by its full
/// path, its lines, and one `exit` per level. Parsing the printed form
/// gives the same configuration back.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, ctx) in &self.contexts {
            if ctx.kind == Kind::Top {
                writeln!(f, "{}", key[0])?;
                continue;
            }
            for (depth, line) in key.iter().enumerate() {
                writeln!(f, "{:depth$}{line}", "")?;
            }
            for line in &ctx.lines {
                writeln!(f, "{:width$}{line}", "", width = key.len())?;
            }
            for depth in (0..key.len()).rev() {
                writeln!(f, "{:depth$}exit", "")?;
            }
        }
        Ok(())
    }
}

/// Echo intervals FRR does not print (bfdd's default).
const BFD_ECHO_DEFAULT: &[&str] = &["echo receive-interval 50", "echo transmit-interval 50"];

/// First release seen accepting a peer-group member's own remote-as over
/// its group's (8.4 refuses it; releases before 10 are untested).
const MEMBER_REMOTE_AS_OVERRIDE: FrrVersion = FrrVersion {
    major: 10,
    minor: 0,
};

fn is_bgp_ipv4_command(line: &str) -> bool {
    let bare = line.strip_prefix("no ").unwrap_or(line);
    if let Some(rest) = bare.strip_prefix("neighbor ") {
        let attr = rest.split_once(' ').map_or("", |(_, a)| a);
        return BGP_AF_NEIGHBOR_ATTRS.iter().any(|a| {
            attr == *a || attr.starts_with(a) && attr.as_bytes().get(a.len()) == Some(&b' ')
        });
    }
    BGP_IPV4_COMMANDS
        .iter()
        .any(|c| bare == *c || bare.starts_with(c) && bare.as_bytes().get(c.len()) == Some(&b' '))
}

struct Parser {
    config: Config,
    cursor: Cursor,
    /// Key of the current context (one entry per cursor level).
    key: Key,
    normalizer: Normalizer,
    /// Whitespace-collapsed copy of the current line (reused buffer).
    buf: String,
    /// Index of the context `key` names, once looked up.
    current: Option<usize>,
}

impl Parser {
    fn new(version: FrrVersion) -> Parser {
        Parser {
            config: Config::default(),
            cursor: Cursor::default(),
            key: Key::new(),
            normalizer: Normalizer::new(version),
            buf: String::new(),
            current: None,
        }
    }

    fn run(mut self, text: &str) -> Result<Config, Error> {
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            self.config.input_lines = line_no;
            let spacing = check_line(raw, line_no)?;
            let trimmed = raw.trim_ascii();
            if trimmed.is_empty() || trimmed.starts_with('!') || trimmed.starts_with('#') {
                continue;
            }
            if spacing == Spacing::Clean {
                self.feed(trimmed, line_no)?;
                continue;
            }
            collapse(trimmed, &mut self.buf);
            let line = std::mem::take(&mut self.buf);
            let fed = self.feed(&line, line_no);
            self.buf = line;
            fed?;
        }
        self.config.finish(self.normalizer.version());
        Ok(self.config)
    }

    fn feed(&mut self, line: &str, line_no: usize) -> Result<(), Error> {
        let first = line.split_ascii_whitespace().next().unwrap_or_default();
        match first {
            "end" if line == "end" => {
                self.leave(self.cursor.depth());
                return Ok(());
            }
            w if (w == "exit" || w == "quit" || w.starts_with("exit-")) && line == first => {
                self.leave(self.cursor.exit_levels(first));
                return Ok(());
            }
            // Headers of `show running-config`.
            "Building" | "Current" if self.cursor.depth() == 0 && is_header(line) => return Ok(()),
            _ => {}
        }
        let expanded = expand_abbreviations(self.cursor.kind(), line);
        let line = expanded.as_ref();
        let step = self.cursor.step(line);
        match step {
            Step::Open { pop, kind } => {
                self.leave(pop);
                let Some(norm) = self.normalizer.line(kind, line) else {
                    return Ok(());
                };
                let says_more = kind == Kind::Interface && norm != line;
                self.key.push(norm.into_owned());
                self.cursor.open(line);
                let index = self.config.context_index(self.key.clone(), kind, line_no);
                self.current = Some(index);
                let ctx = &mut self.config.contexts[index];
                if says_more && ctx.opener.is_none() {
                    ctx.opener = Some(line.to_owned());
                }
            }
            Step::Line { pop } => {
                self.leave(pop);
                let kind = self.cursor.kind();
                let Some(norm) = self.normalizer.line(kind, line) else {
                    return Ok(());
                };
                if kind == Kind::Top {
                    if let Err(reason) = check_prefix_range(&norm) {
                        return Err(Error::Parse {
                            line: line_no,
                            text: line.to_owned(),
                            reason,
                        });
                    }
                    self.top_line(norm.into_owned(), line_no);
                } else {
                    let index = match self.current {
                        Some(index) => index,
                        None => self.config.context_index(self.key.clone(), kind, line_no),
                    };
                    self.current = Some(index);
                    self.config.contexts[index].lines.insert(norm.into_owned());
                }
            }
        }
        Ok(())
    }

    /// A top-level single-line command; `ip route … vrf NAME` is printed
    /// inside `vrf NAME`, so it is stored there.
    fn top_line(&mut self, line: String, line_no: usize) {
        if line.starts_with("ip route ") || line.starts_with("ipv6 route ") {
            let words: Vec<&str> = line.split_ascii_whitespace().collect();
            if let Some(v) = words.iter().position(|w| *w == "vrf") {
                if let Some(name) = words.get(v + 1) {
                    let mut rest = words.clone();
                    rest.drain(v..v + 2);
                    let key = vec![format!("vrf {name}")];
                    let ctx = self.config.context_mut(key, Kind::Vrf, line_no);
                    ctx.lines.insert(rest.join(" "));
                    return;
                }
            }
        }
        self.config.context_mut(vec![line], Kind::Top, line_no);
    }

    fn leave(&mut self, levels: usize) {
        if levels > 0 {
            self.current = None;
        }
        self.cursor.pop(levels);
        self.key.truncate(self.cursor.depth());
    }
}

/// FRR refuses a prefix-list entry unless mask length <= ge <= le, and
/// drops the commands batched with it: such a line is bad input.
fn check_prefix_range(line: &str) -> Result<(), &'static str> {
    let is_prefix_list =
        line.starts_with("ip prefix-list ") || line.starts_with("ipv6 prefix-list ");
    // Only an entry with `ge` or `le` has a range to check.
    let has_range = || line.contains(" ge ") || line.contains(" le ");
    if !is_prefix_list || !has_range() {
        return Ok(());
    }
    let words: Vec<&str> = line.split_ascii_whitespace().collect();
    let Some(action) = words.iter().position(|w| *w == "permit" || *w == "deny") else {
        return Ok(());
    };
    let Some(len) = words
        .get(action + 1)
        .and_then(|p| p.split_once('/'))
        .and_then(|(_, len)| len.parse::<u8>().ok())
    else {
        return Ok(());
    };
    let value = |key: &str| {
        let at = words.iter().position(|w| *w == key)?;
        words.get(at + 1)?.parse::<u8>().ok()
    };
    let (ge, le) = (value("ge"), value("le"));
    let ok = ge.is_none_or(|ge| ge >= len)
        && le.is_none_or(|le| le >= len)
        && !matches!((ge, le), (Some(ge), Some(le)) if ge > le);
    if ok {
        Ok(())
    } else {
        Err("invalid prefix range (FRR needs mask length <= ge <= le)")
    }
}

fn is_header(line: &str) -> bool {
    line == "Building configuration..." || line == "Current configuration:"
}

/// Refuses what FRR would misread: control characters (NUL included) and
/// lines longer than [`MAX_LINE`].
fn check_line(raw: &str, line_no: usize) -> Result<Spacing, Error> {
    let shown = || raw.chars().take(80).collect::<String>();
    if raw.len() > MAX_LINE {
        return Err(Error::Parse {
            line: line_no,
            text: shown(),
            reason: "line longer than 4095 bytes",
        });
    }
    // Branch-free passes (vectorized by the compiler) for the common case;
    // a closer look only when a byte below 0x20 or DEL shows up.
    let bytes = raw.trim_ascii().as_bytes();
    let unusual = bytes
        .iter()
        .fold(false, |acc, &b| acc | (b < 0x20) | (b == 0x7f));
    if unusual {
        let forbidden = |b: &u8| (*b < 0x20 && !b.is_ascii_whitespace()) || *b == 0x7f;
        if bytes.iter().any(forbidden) {
            return Err(Error::Parse {
                line: line_no,
                text: shown().escape_default().to_string(),
                reason: "control character",
            });
        }
        return Ok(Spacing::Collapse);
    }
    let double_space = bytes
        .windows(2)
        .fold(false, |acc, w| acc | ((w[0] == b' ') & (w[1] == b' ')));
    Ok(if double_space {
        Spacing::Collapse
    } else {
        Spacing::Clean
    })
}

/// Whether a line's whitespace needs collapsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spacing {
    Clean,
    Collapse,
}

/// Trims and collapses runs of whitespace into one space.
fn collapse(raw: &str, out: &mut String) {
    out.clear();
    for word in raw.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(config: &Config) -> Vec<String> {
        config.contexts.keys().map(|k| k.join(" / ")).collect()
    }

    #[test]
    fn controller_and_running_forms_parse_alike() {
        let rendered = "router bgp 64512\n  neighbor 192.0.2.1 remote-as 64600\n\n  address-family ipv4 unicast\n    network 198.51.100.0/24\n  exit-address-family\n\nroute-map RM permit 1\n  match ip address prefix-list PL\n\nip prefix-list PL seq 1 deny any\n";
        let running = "Building configuration...\n\nCurrent configuration:\n!\nrouter bgp 64512\n neighbor 192.0.2.1 remote-as 64600\n !\n address-family ipv4 unicast\n  network 198.51.100.0/24\n exit-address-family\nexit\n!\nip prefix-list PL seq 1 deny any\n!\nroute-map RM permit 1\n match ip address prefix-list PL\nexit\n!\nend\n";
        let a = Config::parse(rendered).unwrap();
        let b = Config::parse(running).unwrap();
        let mut ka = keys(&a);
        let mut kb = keys(&b);
        ka.sort();
        kb.sort();
        assert_eq!(ka, kb);
        for (key, ctx) in &a.contexts {
            assert_eq!(ctx.lines, b.contexts[key].lines, "{key:?}");
        }
    }

    #[test]
    fn vrf_static_routes_move_into_the_vrf() {
        let c = Config::parse("ip route 198.18.0.0/16 null0 vrf red\n").unwrap();
        let ctx = &c.contexts[&vec!["vrf red".to_owned()]];
        assert_eq!(
            ctx.lines.iter().collect::<Vec<_>>(),
            ["ip route 198.18.0.0/16 Null0"]
        );
    }

    #[test]
    fn bgp_level_ipv4_commands_move_to_the_address_family() {
        let c = Config::parse(
            "router bgp 1\n neighbor 192.0.2.1 remote-as 2\n neighbor 192.0.2.1 route-map RM in\n neighbor 192.0.2.1 activate\n network 192.0.2.0/24\n",
        )
        .unwrap();
        let af = &c.contexts[&vec![
            "router bgp 1".to_owned(),
            "address-family ipv4 unicast".to_owned(),
        ]];
        assert_eq!(
            af.lines.iter().collect::<Vec<_>>(),
            ["neighbor 192.0.2.1 route-map RM in", "network 192.0.2.0/24"]
        );
    }

    #[test]
    fn global_bgp_commands_and_member_remote_as() {
        let text = "router bgp 1\n bgp route-map delay-timer 1\n neighbor PG peer-group\n neighbor PG remote-as 2\n neighbor 192.0.2.2 peer-group PG\n neighbor 192.0.2.2 remote-as 3\n";
        let c = Config::parse_for(text, FrrVersion::V8_4).unwrap();
        assert!(c
            .contexts
            .contains_key(&vec!["bgp route-map delay-timer 1".to_owned()]));
        let bgp = &c.contexts[&vec!["router bgp 1".to_owned()]];
        assert!(!bgp.lines.contains("neighbor 192.0.2.2 remote-as 3"));
        let c = Config::parse_for(text, FrrVersion::V10_3).unwrap();
        let bgp = &c.contexts[&vec!["router bgp 1".to_owned()]];
        assert!(bgp.lines.contains("neighbor 192.0.2.2 remote-as 3"));
    }

    #[test]
    fn auto_derived_route_targets_are_not_printed() {
        let c = Config::parse(
            "router bgp 65000\n address-family l2vpn evpn\n  vni 1001\n   route-target import 65000:1001\n   route-target import 65000:1099\n   route-target export 65000:1001\n",
        )
        .unwrap();
        let key: Vec<String> = ["router bgp 65000", "address-family l2vpn evpn", "vni 1001"]
            .map(String::from)
            .to_vec();
        let lines: Vec<&String> = c.contexts[&key].lines.iter().collect();
        assert_eq!(lines, ["route-target import 65000:1099"]);
    }

    #[test]
    fn last_value_wins() {
        let c = Config::parse(
            "router bgp 1\n neighbor 192.0.2.1 remote-as 102\n neighbor 192.0.2.1 timers 3 10\n neighbor 192.0.2.1 remote-as external\n bgp ebgp-requires-policy\n no bgp ebgp-requires-policy\nbfd\n peer 192.0.2.1\n  echo-interval 100\n  echo-mode\n",
        )
        .unwrap();
        let bgp: Vec<&String> = c.contexts[&vec!["router bgp 1".to_owned()]]
            .lines
            .iter()
            .collect();
        assert_eq!(
            bgp,
            [
                "neighbor 192.0.2.1 timers 3 10",
                "neighbor 192.0.2.1 remote-as external",
                "no bgp ebgp-requires-policy"
            ]
        );
        let peer: Vec<&String> = c.contexts[&vec!["bfd".to_owned(), "peer 192.0.2.1".to_owned()]]
            .lines
            .iter()
            .collect();
        assert_eq!(
            peer,
            [
                "echo-mode",
                "echo receive-interval 100",
                "echo transmit-interval 100"
            ]
        );
    }

    #[test]
    fn route_target_both_is_import_and_export() {
        let c = Config::parse(
            "router bgp 1 vrf red\n address-family l2vpn evpn\n  route-target both 1:101\n",
        )
        .unwrap();
        let key: Vec<String> = ["router bgp 1 vrf red", "address-family l2vpn evpn"]
            .map(String::from)
            .to_vec();
        let lines: Vec<&String> = c.contexts[&key].lines.iter().collect();
        assert_eq!(
            lines,
            ["route-target import 1:101", "route-target export 1:101"]
        );
    }

    #[test]
    fn bfd_implied_by_a_profile_is_dropped() {
        let c = Config::parse(
            "router bgp 1\n neighbor 192.0.2.1 bfd\n neighbor 192.0.2.1 bfd profile fast\n neighbor 192.0.2.2 bfd\n",
        )
        .unwrap();
        let lines: Vec<&String> = c.contexts[&vec!["router bgp 1".to_owned()]]
            .lines
            .iter()
            .collect();
        assert_eq!(
            lines,
            [
                "neighbor 192.0.2.1 bfd profile fast",
                "neighbor 192.0.2.2 bfd"
            ]
        );
    }

    #[test]
    fn impossible_prefix_ranges_are_refused() {
        let err = Config::parse("ipv6 prefix-list X seq 3 permit 2001:db8::/64 le 32 ge 24\n")
            .unwrap_err();
        assert!(
            err.to_string().starts_with("line 1: invalid prefix range"),
            "{err}"
        );
        assert!(Config::parse("ip prefix-list Y seq 7 permit 192.0.2.0/24 ge 26 le 25\n").is_err());
        assert!(Config::parse("ip prefix-list Y seq 5 permit 192.0.2.0/24 ge 24\n").is_ok());
        assert!(Config::parse("ip prefix-list Y seq 5 permit 192.0.2.0/24 le 24\n").is_ok());
        assert!(Config::parse("ip prefix-list Y seq 5 permit any\n").is_ok());
    }

    #[test]
    fn bad_bytes_name_the_line() {
        let err = Config::parse_bytes(b"hostname a\nhostname \xff\n").unwrap_err();
        assert_eq!(err.to_string(), "line 2: invalid UTF-8: hostname \u{fffd}");
        let err = Config::parse("log stdout\nhost\0name\n").unwrap_err();
        assert!(
            err.to_string().starts_with("line 2: control character"),
            "{err}"
        );
        let long = format!("hostname {}\n", "a".repeat(5000));
        let err = Config::parse(&long).unwrap_err();
        assert!(err.to_string().starts_with("line 1: line longer"), "{err}");
    }

    #[test]
    fn duplicate_contexts_merge() {
        let c = Config::parse(
            "router bgp 1\n address-family ipv4 unicast\n  network 192.0.2.0/24\n exit-address-family\n address-family ipv4 unicast\n  network 198.51.100.0/24\n exit-address-family\n",
        )
        .unwrap();
        assert_eq!(c.contexts.len(), 2);
        assert_eq!(c.command_count(), 4);
    }
}
