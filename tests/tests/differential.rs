//! Differential test of our diff against FRR's own `frr-reload.py --test`.
//!
//! For pairs of configurations from the corpus (`../shared/corpus` next to
//! the workspace, or `CORPUS_DIR`; the test is ignored unless asked for, see
//! scripts/test.sh), both tools compute what to delete and what to add to turn
//! the first (running) into the second (desired). Both answers become sets of
//! (context path, command) pairs, compared after collapsing whitespace only.
//! Every difference must be explained by an entry of
//! `tests/differential-allowlist.txt` (a known, intended difference, with the
//! reason why ours is right); anything else fails the test with the case and
//! the differing commands.
//!
//! The cases: every frr-k8s config against the empty config in both
//! directions, a seeded sample of ordered pairs of frr-k8s configs, a seeded
//! sample of topotest configs (those `vtysh -m -f` accepts) against the empty
//! config in both directions, and pairs of sampled topotest configs of the
//! same daemon. `frr-reload.py` runs in parallel worker threads.
//!
//! Set `DIFFERENTIAL_VERBOSE=1` to print every difference with the allow-list
//! entry that explains it.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::net::Ipv6Addr;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use protocol::Delta;
use reloader::Config;

const FRR_RELOAD: &str = "/usr/lib/frr/frr-reload.py";
const VTYSH: &str = "/usr/bin/vtysh";
const INSTALL_HINT: &str = "install FRR's tools: apt-get install -y frr frr-pythontools";

/// Seed of every sample drawn here (the cases are the same on every run).
const SEED: u64 = 0x05ee_df22_d1ff;
/// Ordered pairs of frr-k8s configs, on top of each against the empty one
/// (`DIFFERENTIAL_K8S_PAIRS` overrides, e.g. to explore more of the corpus).
const K8S_PAIRS: usize = 100;
/// Topotest configs, each run against the empty one in both directions
/// (`DIFFERENTIAL_TOPOTEST_FILES` overrides).
const TOPOTEST_FILES: usize = 60;
/// Ordered pairs of sampled topotest configs of the same daemon
/// (`DIFFERENTIAL_TOPOTEST_PAIRS` overrides).
const TOPOTEST_PAIRS: usize = 30;
/// Name of the empty configuration in case names.
const EMPTY: &str = "empty";

/// Topotest configs always run (against the empty one, both ways) on top of
/// the sample: each showed a difference worth keeping an eye on when the
/// whole corpus was compared (`DIFFERENTIAL_TOPOTEST_FILES=1200`).
const PINNED_TOPOTESTS: &[&str] = &[
    // Bugs of ours at the time of writing (not allow-listed).
    "bgp_l3vpn_to_bgp_vrf__r4_ospfd.conf", // `int X` after `router ospf`
    "bgp_evpn_mh_v4_v6_num__ipv4_torm21_frr.conf", // `evpn mh es-id` in an interface
    "bgp_update_on_policy_change__r2_frr.conf", // `bgp route-map delay-timer` in router bgp
    "static_bfd_admin_down__r2_frr.conf",  // `profile P` inside a bfd `peer`
    "ripng_route_map__r3_frr.conf",        // ripng `network` with host bits
    "bgp_peer_group_remote_as_override__r1_frr.conf", // member `remote-as` under a group's
    // Intended differences.
    "bgp_multiview_topo1__r1_bgpd.conf", // `router bgp` level lines of ipv4 unicast
    "bgp_route_map_match_ipv6_nexthop__r2_bgpd.conf", // list entries without `seq`
    "bgp_route_map_match_source_protocol__r1_frr.conf", // `address-family ipv4`
    "bgp_srv6l3vpn_to_bgp_vrf4__ce1_bgpd.conf", // `network A mask M`
    "bgp_invalid_nexthop__r1_frr.conf",  // interface `ip address` of IPv6
    "bgp_evpn_vxlan_svd_topo1__PE1_zebra.conf", // vrf static route with host bits
];

/// Pairs (running, desired; paths under the corpus) always run.
const PINNED_PAIRS: &[(&str, &str)] = &[
    // frr-reload.py skips the vrf instance's address-families.
    (
        "frr-k8s/TestTwoRoutersTwoNeighbors.conf",
        "frr-k8s/TestEVPNWithL3VNI.conf",
    ),
    // route-map entries changing type in place.
    (
        "frr-k8s/TestSingleSessionWithAlwaysBlock.conf",
        "frr-k8s/TestMultipleRoutersMultipleNeighs.conf",
    ),
    // peer-groups deleted with their members.
    (
        "topotests/bgp_peer_group__r1_frr.conf",
        "topotests/bgp_evpn_mh_v4_v6_num__ipv4_spine2_frr.conf",
    ),
    // a neighbor deleted whole while it had `no neighbor X activate`.
    (
        "topotests/bgp_bmp__r2_frr.conf",
        "topotests/bgp_bmp__r2ts_frr.conf",
    ),
];

// ---------------------------------------------------------------------------
// Commands and their sets
// ---------------------------------------------------------------------------

/// One command placed in its context, whitespace collapsed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Item {
    context: Vec<String>,
    command: String,
}

impl Item {
    fn new<S: AsRef<str>>(context: &[S], command: &str) -> Item {
        Item {
            context: context.iter().map(|c| collapse(c.as_ref())).collect(),
            command: collapse(command),
        }
    }

    /// The words of `context > … > command`, what allow-list patterns match.
    fn words(&self) -> Vec<&str> {
        let mut words = Vec::new();
        for key in &self.context {
            words.extend(key.split(' '));
            words.push(">");
        }
        words.extend(self.command.split(' '));
        words
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for key in &self.context {
            write!(f, "{key} > ")?;
        }
        f.write_str(&self.command)
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What one tool wants deleted and added.
#[derive(Debug, Default)]
struct Answer {
    delete: BTreeSet<Item>,
    add: BTreeSet<Item>,
}

impl Answer {
    fn of(&self, section: Section) -> &BTreeSet<Item> {
        match section {
            Section::Delete => &self.delete,
            Section::Add => &self.add,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Section {
    Delete,
    Add,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Tool {
    Reference,
    Ours,
}

/// Which tool and which section a difference is in: present there only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Side {
    tool: Tool,
    section: Section,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tool = match self.tool {
            Tool::Reference => "frr-reload.py",
            Tool::Ours => "ours",
        };
        let section = match self.section {
            Section::Delete => "deletes",
            Section::Add => "adds",
        };
        write!(f, "only {tool} {section}")
    }
}

const SIDES: [Side; 4] = [
    Side {
        tool: Tool::Reference,
        section: Section::Delete,
    },
    Side {
        tool: Tool::Ours,
        section: Section::Delete,
    },
    Side {
        tool: Tool::Reference,
        section: Section::Add,
    },
    Side {
        tool: Tool::Ours,
        section: Section::Add,
    },
];

// ---------------------------------------------------------------------------
// frr-reload.py
// ---------------------------------------------------------------------------

/// Runs `frr-reload.py --test --input RUNNING DESIRED` and reads its answer.
fn reference(running: &Path, desired: &Path) -> Result<Answer, String> {
    let output = Process::new(FRR_RELOAD)
        .arg("--test")
        .arg("--input")
        .arg(running)
        .arg(desired)
        .output()
        .map_err(|e| format!("{FRR_RELOAD}: {e} ({INSTALL_HINT})"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() || stderr.contains("Traceback") || stderr.contains("ERROR") {
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        return Err(format!("frr-reload.py failed ({}): {last}", output.status));
    }
    Ok(parse_reference(&stdout))
}

/// Parses the `--test` output: under "Lines To Delete" and "Lines To Add",
/// each entry is its context keys with increasing one-space indentation and
/// then the command (see `lines_to_config` in frr-reload.py); an entry
/// starts at every unindented line.
fn parse_reference(stdout: &str) -> Answer {
    let mut answer = Answer::default();
    let mut section = None;
    let mut entry: Vec<&str> = Vec::new();
    let mut flush = |section: Option<Section>, entry: &mut Vec<&str>| {
        if let (Some(section), Some((command, context))) = (section, entry.split_last()) {
            let item = Item::new(context, command);
            // For prefix-lists, access-lists, community-lists and static
            // routes, frr-reload.py puts the deletes among the adds, in their
            // `no` form (to run them in one vtysh call).
            let section = if section == Section::Add && moved_delete(&item) {
                Section::Delete
            } else {
                section
            };
            match section {
                Section::Delete => answer.delete.insert(item),
                Section::Add => answer.add.insert(item),
            };
        }
        entry.clear();
    };
    for line in stdout.lines() {
        match line {
            "Lines To Delete" | "Lines To Add" => {
                flush(section, &mut entry);
                section = Some(if line == "Lines To Add" {
                    Section::Add
                } else {
                    Section::Delete
                });
            }
            _ if line.trim().is_empty() || line.starts_with("====") => {}
            _ if line.starts_with(' ') => entry.push(line),
            _ => {
                flush(section, &mut entry);
                entry.push(line);
            }
        }
    }
    flush(section, &mut entry);
    answer
}

/// A delete that frr-reload.py prints among the adds.
fn moved_delete(item: &Item) -> bool {
    let Some(bare) = item.command.strip_prefix("no ") else {
        return false;
    };
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| bare.starts_with(p));
    match item.context.as_slice() {
        [] => starts(&[
            "ip prefix-list ",
            "ipv6 prefix-list ",
            "access-list ",
            "ip access-list ",
            "ipv6 access-list ",
            "mac access-list ",
            // frr-reload.py tests `startswith("ip route")`, which also
            // catches `ip router-id`.
            "ip route",
            "ipv6 route",
            "bgp community-list ",
            "bgp large-community-list ",
            "bgp extcommunity-list ",
        ]),
        [vrf] if vrf.starts_with("vrf ") => starts(&["ip route", "ipv6 route"]),
        _ => false,
    }
}

/// Whether vtysh accepts the file (what frr-reload.py needs to read it).
fn vtysh_accepts(path: &Path) -> bool {
    Process::new(VTYSH)
        .arg("-m")
        .arg("-f")
        .arg(path)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

// ---------------------------------------------------------------------------
// Ours
// ---------------------------------------------------------------------------

fn ours(running: &Path, desired: &Path) -> Result<Answer, String> {
    let parse = |path: &Path| {
        let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Config::parse_bytes(&bytes).map_err(|e| format!("our parser: {}: {e}", path.display()))
    };
    let delta: Delta = reloader::diff(&parse(running)?, &parse(desired)?);
    let set = |commands: &[protocol::Command]| {
        commands
            .iter()
            .map(|c| Item::new(&c.context, &c.command))
            .collect()
    };
    Ok(Answer {
        delete: set(&delta.delete),
        add: set(&delta.add),
    })
}

// ---------------------------------------------------------------------------
// Allow-list patterns
// ---------------------------------------------------------------------------

/// One word of a pattern.
#[derive(Debug, Clone)]
enum Word {
    /// `**`: any number of words, `>` included.
    Any,
    /// A word, or `a|b|c` alternatives; `*` inside matches any characters.
    /// Never matches `>` unless written.
    Literal(Vec<String>),
    /// `<v>`: one word that is the value of an in-place setting.
    Value,
    /// `<v..>`: any number of words (not `>`) that are the value.
    Values,
}

/// A pattern over the words of `context > … > command`.
#[derive(Debug, Clone)]
struct Pattern {
    words: Vec<Word>,
}

impl Pattern {
    fn parse(text: &str) -> Pattern {
        let words = text
            .split_whitespace()
            .map(|w| match w {
                "**" => Word::Any,
                "<v>" => Word::Value,
                "<v..>" => Word::Values,
                _ => Word::Literal(w.split('|').map(str::to_owned).collect()),
            })
            .collect();
        Pattern { words }
    }

    fn matches(&self, item: &Item) -> bool {
        self.key(item).is_some()
    }

    /// Matches and returns the words that are not values (the "slot" of an
    /// in-place setting).
    fn key(&self, item: &Item) -> Option<Vec<String>> {
        let words = item.words();
        let mut key = Vec::new();
        match_words(&self.words, &words, &mut key).then_some(key)
    }
}

fn match_words(pattern: &[Word], words: &[&str], key: &mut Vec<String>) -> bool {
    let Some((first, rest)) = pattern.split_first() else {
        return words.is_empty();
    };
    let mark = key.len();
    let found = match first {
        Word::Any => (0..=words.len()).any(|n| {
            key.truncate(mark);
            key.extend(words[..n].iter().map(|w| (*w).to_owned()));
            match_words(rest, &words[n..], key)
        }),
        Word::Literal(alternatives) => match words.split_first() {
            Some((word, tail))
                if alternatives
                    .iter()
                    .any(|a| glob(a, word) && (*word != ">" || a == ">")) =>
            {
                key.push((*word).to_owned());
                match_words(rest, tail, key)
            }
            _ => false,
        },
        Word::Value => match words.split_first() {
            Some((word, tail)) if *word != ">" => {
                key.push("<v>".to_owned());
                match_words(rest, tail, key)
            }
            _ => false,
        },
        Word::Values => {
            let run = words.iter().take_while(|w| **w != ">").count();
            (0..=run).any(|n| {
                key.truncate(mark);
                key.push("<v..>".to_owned());
                match_words(rest, &words[n..], key)
            })
        }
    };
    if !found {
        key.truncate(mark);
    }
    found
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .any(|i| glob(tail, &rest[i..]))
        }
    }
}

// ---------------------------------------------------------------------------
// Allow-list
// ---------------------------------------------------------------------------

/// What an allow-list entry explains. See the header of
/// `tests/differential-allowlist.txt`.
#[derive(Debug, Clone)]
enum Rule {
    /// A difference on one side alone, matching the pattern.
    Alone(Side),
    /// frr-reload.py deletes `no L` and re-adds; ours types the new value
    /// over it: `L` and one of our adds match the pattern with equal keys.
    InPlace,
    /// frr-reload.py deletes `X`/`no X` where ours flips it with one add.
    Toggle,
    /// One `no OBJ` of ours (matching the pattern) stands for frr-reload.py's
    /// deletes of OBJ's parts.
    Covers,
    /// frr-reload.py also deletes lines inside a context it (or we) delete
    /// whole.
    UnderDeletedContext,
    /// Ours edits, line by line, a context that frr-reload.py deletes and
    /// re-creates because its key changed in place (see `InPlace`).
    RetypedContext,
    /// The same command, once frr-reload.py's text is normalized.
    Rewrite(Rewrite),
    /// frr-reload.py adds or deletes `neighbor X activate` in
    /// `address-family ipv4 unicast` of a `router bgp` that has no
    /// `no bgp default ipv4-unicast`: FRR never prints it there.
    DefaultIpv4Activate,
    /// frr-reload.py fails on the case (nothing to compare); the pattern,
    /// if any, is a `*` glob on the error text.
    ReferenceError,
    /// Our parser refuses a file that frr-reload.py takes (FRR itself
    /// rejects part of it at load time); pattern as for `ReferenceError`.
    OursRefuses,
    /// Ours deletes (`no neighbor M`) the members of a peer-group that
    /// frr-reload.py deletes with `no neighbor G peer-group` (which deletes
    /// the members in FRR).
    PeerGroupMembers,
    /// Ours deletes lines in an address-family of a `router bgp` instance
    /// that stays, where frr-reload.py skips every address-family context
    /// once it deletes some `router bgp` instance (its `delete_bgpd` flag).
    AfAfterBgpDelete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rewrite {
    EbgpMultihop255,
    Ipv6Canonical,
    InterfaceVrf,
    AddressFamilyUnicast,
    ImplicitSeq,
    BgpIpv4UnicastNode,
    HostBits,
    NetworkMask,
}

impl Rewrite {
    /// Normalizes an item of either tool; two items that differ but
    /// normalize equal are one command.
    fn apply(self, item: &Item) -> Item {
        if self == Rewrite::BgpIpv4UnicastNode {
            return match item.context.as_slice() {
                [router] if router.starts_with("router bgp ") => Item {
                    context: vec![router.clone(), "address-family ipv4 unicast".to_owned()],
                    command: item.command.clone(),
                },
                _ => item.clone(),
            };
        }
        let line = |text: &str| -> String {
            match self {
                Rewrite::EbgpMultihop255 if text.ends_with(" ebgp-multihop") => {
                    format!("{text} 255")
                }
                Rewrite::Ipv6Canonical => text
                    .split(' ')
                    .map(canonical_ipv6)
                    .collect::<Vec<_>>()
                    .join(" "),
                Rewrite::InterfaceVrf => {
                    let (no, bare) = match text.strip_prefix("no ") {
                        Some(bare) => ("no ", bare),
                        None => ("", text),
                    };
                    let words: Vec<&str> = bare.split(' ').collect();
                    if words.len() == 4 && words[0] == "interface" && words[2] == "vrf" {
                        format!("{no}interface {}", words[1])
                    } else {
                        text.to_owned()
                    }
                }
                Rewrite::HostBits => text
                    .split(' ')
                    .map(mask_prefix)
                    .collect::<Vec<_>>()
                    .join(" "),
                Rewrite::NetworkMask => network_as_frr_reload_reads_it(text),
                Rewrite::ImplicitSeq if is_list_entry(text) => {
                    let words: Vec<&str> = text.split(' ').collect();
                    match words.iter().position(|w| *w == "seq") {
                        Some(i) if i + 1 < words.len() => {
                            let mut kept = words[..i].to_vec();
                            kept.extend(&words[i + 2..]);
                            kept.join(" ")
                        }
                        _ => text.to_owned(),
                    }
                }
                Rewrite::AddressFamilyUnicast
                    if text.ends_with("address-family ipv4")
                        || text.ends_with("address-family ipv6") =>
                {
                    format!("{text} unicast")
                }
                // `address-family ipv4 uni`: an abbreviation ours expands.
                Rewrite::AddressFamilyUnicast if abbreviates_unicast(text) => {
                    let (family, _) = text.rsplit_once(' ').expect("three words");
                    format!("{family} unicast")
                }
                _ => text.to_owned(),
            }
        };
        let in_bgp = item
            .context
            .first()
            .is_some_and(|c| c.starts_with("router bgp"));
        if self == Rewrite::AddressFamilyUnicast && !in_bgp {
            return item.clone();
        }
        Item {
            context: item.context.iter().map(|c| line(c)).collect(),
            command: line(&item.command),
        }
    }
}

/// `address-family ipv4|ipv6 W`, W a proper prefix of `unicast`.
fn abbreviates_unicast(text: &str) -> bool {
    let mut words = text.split(' ');
    matches!(
        (words.next(), words.next(), words.next(), words.next()),
        (Some("address-family"), Some("ipv4" | "ipv6"), Some(w), None)
            if w.len() < "unicast".len() && "unicast".starts_with(w) && !w.is_empty()
    )
}

/// `2001:db8::1/64` → `2001:db8::/64`, `192.0.2.1/24` → `192.0.2.0/24`
/// (other words unchanged).
fn mask_prefix(word: &str) -> String {
    let Some((address, len)) = word.split_once('/') else {
        return word.to_owned();
    };
    let Ok(len) = len.parse::<u32>() else {
        return word.to_owned();
    };
    if let Ok(v6) = address.parse::<Ipv6Addr>() {
        if len <= 128 {
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            return format!("{}/{len}", Ipv6Addr::from(u128::from(v6) & mask));
        }
    }
    if let Ok(v4) = address.parse::<std::net::Ipv4Addr>() {
        if len <= 32 {
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            return format!("{}/{len}", std::net::Ipv4Addr::from(u32::from(v4) & mask));
        }
    }
    word.to_owned()
}

/// frr-reload.py reads BGP `network A mask M` as `network A/8 mask M`
/// (it ignores `mask` and gives a bare address the length 8); this turns
/// our `network A/LEN …` into that text, to recognize the pair.
fn network_as_frr_reload_reads_it(text: &str) -> String {
    let (no, bare) = match text.strip_prefix("no ") {
        Some(bare) => ("no ", bare),
        None => ("", text),
    };
    let words: Vec<&str> = bare.split(' ').collect();
    if words.len() < 2 || words[0] != "network" || words.contains(&"mask") {
        return text.to_owned();
    }
    let Some((address, len)) = words[1].split_once('/') else {
        return text.to_owned();
    };
    match (address.parse::<std::net::Ipv4Addr>(), len.parse::<u32>()) {
        (Ok(address), Ok(len)) if len <= 32 => {
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            let eight = std::net::Ipv4Addr::from(u32::from(address) & 0xff00_0000);
            let mut out = format!(
                "{no}network {eight}/8 mask {}",
                std::net::Ipv4Addr::from(mask)
            );
            for w in &words[2..] {
                out.push(' ');
                out.push_str(w);
            }
            out
        }
        _ => text.to_owned(),
    }
}

/// An entry of an access-list or prefix-list (`no` or not).
fn is_list_entry(text: &str) -> bool {
    let bare = text.strip_prefix("no ").unwrap_or(text);
    [
        "access-list ",
        "ip access-list ",
        "ipv6 access-list ",
        "ip prefix-list ",
        "ipv6 prefix-list ",
    ]
    .iter()
    .any(|p| bare.starts_with(p))
}

fn canonical_ipv6(word: &str) -> String {
    let (address, suffix) = match word.split_once('/') {
        Some((a, len)) => (a, Some(len)),
        None => (word, None),
    };
    match (address.contains(':'), address.parse::<Ipv6Addr>()) {
        (true, Ok(parsed)) => match suffix {
            Some(len) => format!("{parsed}/{len}"),
            None => parsed.to_string(),
        },
        _ => word.to_owned(),
    }
}

#[derive(Debug)]
struct Entry {
    line: usize,
    text: String,
    rule: Rule,
    case: Option<String>,
    pattern: Option<Pattern>,
    /// The `match=` text as written.
    raw_match: Option<String>,
    reason: String,
}

impl Entry {
    fn applies_to(&self, case: &str) -> bool {
        match &self.case {
            Some(pattern) => glob(pattern, case),
            None => true,
        }
    }

    fn allows(&self, item: &Item) -> bool {
        match &self.pattern {
            Some(pattern) => pattern.matches(item),
            None => true,
        }
    }
}

/// Reads the allow-list: one entry per line,
/// `RULE [case=GLOB] [match=PATTERN] -- REASON`.
fn parse_allowlist(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let bad = |why: &str| format!("differential-allowlist.txt:{line}: {why}: {trimmed}");
        let (spec, reason) = trimmed
            .split_once(" -- ")
            .ok_or_else(|| bad("missing ` -- REASON`"))?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(bad("empty reason"));
        }
        let mut rest = spec.trim();
        let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        rest = tail.trim();
        let mut case = None;
        if let Some(tail) = rest.strip_prefix("case=") {
            let (glob_, tail) = tail.split_once(' ').unwrap_or((tail, ""));
            case = Some(glob_.to_owned());
            rest = tail.trim();
        }
        let raw_match = rest.strip_prefix("match=").map(|p| p.trim().to_owned());
        let pattern = match rest.strip_prefix("match=") {
            Some(p) if !p.trim().is_empty() => Some(Pattern::parse(p)),
            Some(_) => return Err(bad("empty match=")),
            None if rest.is_empty() => None,
            None => return Err(bad("expected `case=GLOB` then `match=PATTERN`")),
        };
        let alone = |tool, section| Rule::Alone(Side { tool, section });
        let rule = match name {
            "ref-only-del" => alone(Tool::Reference, Section::Delete),
            "ref-only-add" => alone(Tool::Reference, Section::Add),
            "ours-only-del" => alone(Tool::Ours, Section::Delete),
            "ours-only-add" => alone(Tool::Ours, Section::Add),
            "in-place" => Rule::InPlace,
            "toggle" => Rule::Toggle,
            "covers" => Rule::Covers,
            "under-deleted-context" => Rule::UnderDeletedContext,
            "retyped-context" => Rule::RetypedContext,
            "ebgp-multihop-255" => Rule::Rewrite(Rewrite::EbgpMultihop255),
            "ipv6-canonical" => Rule::Rewrite(Rewrite::Ipv6Canonical),
            "interface-vrf" => Rule::Rewrite(Rewrite::InterfaceVrf),
            "address-family-unicast" => Rule::Rewrite(Rewrite::AddressFamilyUnicast),
            "implicit-seq" => Rule::Rewrite(Rewrite::ImplicitSeq),
            "bgp-ipv4-unicast-node" => Rule::Rewrite(Rewrite::BgpIpv4UnicastNode),
            "host-bits" => Rule::Rewrite(Rewrite::HostBits),
            "af-after-bgp-delete" => Rule::AfAfterBgpDelete,
            "network-mask" => Rule::Rewrite(Rewrite::NetworkMask),
            "peer-group-members" => Rule::PeerGroupMembers,
            "default-ipv4-activate" => Rule::DefaultIpv4Activate,
            "reference-error" => Rule::ReferenceError,
            "ours-refuses" => Rule::OursRefuses,
            _ => return Err(bad("unknown rule")),
        };
        let needs_pattern = matches!(rule, Rule::Alone(_) | Rule::InPlace | Rule::Covers);
        if needs_pattern && pattern.is_none() {
            return Err(bad("this rule needs match=PATTERN"));
        }
        if matches!(rule, Rule::ReferenceError | Rule::OursRefuses) && case.is_none() {
            return Err(bad("reference-error and ours-refuses need case=GLOB"));
        }
        entries.push(Entry {
            line,
            text: spec.trim().to_owned(),
            rule,
            case,
            pattern,
            raw_match,
            reason: reason.to_owned(),
        });
    }
    Ok(entries)
}

// ---------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------

/// A case: compare the two tools on RUNNING → DESIRED.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    running: PathBuf,
    desired: PathBuf,
}

/// The differences of one case, each with the entry that explains it.
#[derive(Debug, Default)]
struct Differences {
    items: BTreeMap<(Side, Item), Option<usize>>,
}

impl Differences {
    fn between(reference: &Answer, ours: &Answer) -> Differences {
        let mut items = BTreeMap::new();
        for side in SIDES {
            let (mine, other) = match side.tool {
                Tool::Reference => (reference, ours),
                Tool::Ours => (ours, reference),
            };
            for item in mine.of(side.section).difference(other.of(side.section)) {
                items.insert((side, item.clone()), None);
            }
        }
        Differences { items }
    }

    /// Unexplained items of a side.
    fn open(&self, side: Side) -> Vec<Item> {
        self.items
            .iter()
            .filter(|((s, _), by)| *s == side && by.is_none())
            .map(|((_, item), _)| item.clone())
            .collect()
    }

    fn explain(&mut self, side: Side, item: &Item, entry: usize) {
        if let Some(by) = self.items.get_mut(&(side, item.clone())) {
            by.get_or_insert(entry);
        }
    }
}

const REF_DEL: Side = SIDES[0];
const OURS_DEL: Side = SIDES[1];
const REF_ADD: Side = SIDES[2];
const OURS_ADD: Side = SIDES[3];

/// The line a delete command removes (`no X` removes `X`; frr-reload.py
/// removes a `no X` line by typing `X`).
fn deleted_line(command: &str) -> String {
    match command.strip_prefix("no ") {
        Some(bare) => bare.to_owned(),
        None => format!("no {command}"),
    }
}

/// `router bgp …` lines of a config file whose block has
/// `no bgp default ipv4-unicast`.
fn bgp_without_default_ipv4(path: &Path) -> HashSet<String> {
    let text = fs::read_to_string(path).unwrap_or_default();
    let mut found = HashSet::new();
    let mut router = None;
    for line in text.lines() {
        let line = collapse(line);
        if line.starts_with("router ") {
            router = Some(line.clone());
        } else if line == "no bgp default ipv4-unicast" {
            if let Some(r) = &router {
                found.insert(r.clone());
            }
        }
    }
    found
}

/// `(router bgp line, member) → group` of the `neighbor M [interface
/// [v6only]] peer-group G` lines of a config file.
fn peer_group_members(path: &Path) -> BTreeMap<(String, String), String> {
    let text = fs::read_to_string(path).unwrap_or_default();
    let mut found = BTreeMap::new();
    let mut router = None;
    for line in text.lines() {
        let line = collapse(line);
        if line.starts_with("router ") {
            router = Some(line.clone());
            continue;
        }
        let words: Vec<&str> = line.split(' ').collect();
        let membership = match words.as_slice() {
            ["neighbor", m, "peer-group", g]
            | ["neighbor", m, "interface", "peer-group", g]
            | ["neighbor", m, "interface", "v6only", "peer-group", g] => Some((*m, *g)),
            _ => None,
        };
        if let (Some(r), Some((m, g))) = (&router, membership) {
            found.insert((r.clone(), m.to_owned()), g.to_owned());
        }
    }
    found
}

/// Applies the allow-list to the differences of one case.
fn classify(
    case: &Case,
    reference: &Answer,
    ours: &Answer,
    entries: &[Entry],
    diffs: &mut Differences,
) {
    // Pairing rules first, then the rules that build on them, then single
    // items; within one kind, in file order.
    let order = |rule: &Rule| match rule {
        Rule::Rewrite(_) => 0,
        Rule::InPlace | Rule::Toggle => 1,
        Rule::Covers => 2,
        Rule::UnderDeletedContext | Rule::RetypedContext => 3,
        Rule::DefaultIpv4Activate | Rule::PeerGroupMembers | Rule::AfAfterBgpDelete => 4,
        Rule::Alone(_) | Rule::ReferenceError | Rule::OursRefuses => 5,
    };
    let mut sorted: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].applies_to(&case.name))
        .collect();
    sorted.sort_by_key(|&i| (order(&entries[i].rule), i));

    for index in sorted {
        let entry = &entries[index];
        match &entry.rule {
            Rule::Rewrite(rewrite) => {
                for section in [Section::Delete, Section::Add] {
                    let ref_side = Side {
                        tool: Tool::Reference,
                        section,
                    };
                    let ours_side = Side {
                        tool: Tool::Ours,
                        section,
                    };
                    let mut normalized: BTreeMap<Item, Vec<&Item>> = BTreeMap::new();
                    for item in ours.of(section) {
                        normalized
                            .entry(rewrite.apply(item))
                            .or_default()
                            .push(item);
                    }
                    for item in diffs.open(ref_side) {
                        if !entry.allows(&item) {
                            continue;
                        }
                        if let Some(same) = normalized.get(&rewrite.apply(&item)) {
                            diffs.explain(ref_side, &item, index);
                            for other in same {
                                diffs.explain(ours_side, other, index);
                            }
                        }
                    }
                }
                match rewrite {
                    // Moving a `router bgp` level line into ipv4 unicast
                    // makes ours enter that address-family.
                    Rewrite::BgpIpv4UnicastNode => {
                        let moved: Vec<Vec<String>> = diffs
                            .items
                            .iter()
                            .filter(|((side, item), by)| {
                                *side == OURS_ADD && **by == Some(index) && item.context.len() == 2
                            })
                            .map(|((_, item), _)| item.context.clone())
                            .collect();
                        for item in diffs.open(OURS_ADD) {
                            let mut key = item.context.clone();
                            key.push(item.command.clone());
                            if moved.contains(&key) {
                                diffs.explain(OURS_ADD, &item, index);
                            }
                        }
                    }
                    // Entering `interface X vrf Y` where the running config
                    // has `interface X` (or the reverse) changes nothing.
                    Rewrite::InterfaceVrf => {
                        let running = fs::read_to_string(&case.running).unwrap_or_default();
                        let present: HashSet<String> = running
                            .lines()
                            .map(collapse)
                            .filter(|l| l.starts_with("interface "))
                            .map(|l| rewrite.apply(&Item::new::<&str>(&[], &l)).command)
                            .collect();
                        for item in diffs.open(REF_ADD) {
                            let name = rewrite.apply(&item).command;
                            let deleted = ours
                                .delete
                                .iter()
                                .any(|d| d.context.is_empty() && d.command == format!("no {name}"));
                            if item.context.is_empty() && present.contains(&name) && !deleted {
                                diffs.explain(REF_ADD, &item, index);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Rule::InPlace => {
                let pattern = entry.pattern.as_ref().expect("checked");
                for item in diffs.open(REF_DEL) {
                    let old = Item {
                        context: item.context.clone(),
                        command: deleted_line(&item.command),
                    };
                    let Some(key) = pattern.key(&old) else {
                        continue;
                    };
                    let replaced = ours
                        .add
                        .iter()
                        .any(|new| *new != old && pattern.key(new).as_ref() == Some(&key));
                    if replaced {
                        diffs.explain(REF_DEL, &item, index);
                    }
                }
            }
            Rule::Toggle => {
                // frr-reload.py deletes the old line with the opposite of
                // it, which is exactly the line ours adds to flip it.
                for item in diffs.open(REF_DEL) {
                    if entry.allows(&item) && ours.add.contains(&item) {
                        diffs.explain(REF_DEL, &item, index);
                        diffs.explain(OURS_ADD, &item, index);
                    }
                }
            }
            Rule::Covers => {
                let pattern = entry.pattern.as_ref().expect("checked");
                // Every delete of ours, those frr-reload.py sends too
                // included (then only the parts are left to explain).
                for whole in ours.delete.iter().cloned() {
                    let Some(object) = whole.command.strip_prefix("no ") else {
                        continue;
                    };
                    // `no neighbor G peer-group` deletes the group G whole.
                    let object = object
                        .strip_suffix(" peer-group")
                        .filter(|o| o.starts_with("neighbor ") && o.split(' ').count() == 2)
                        .unwrap_or(object);
                    if !pattern.matches(&whole) {
                        continue;
                    }
                    let prefix = format!("no {object} ");
                    // frr-reload.py removes a `no OBJ …` line by typing
                    // `OBJ …`.
                    let positive = format!("{object} ");
                    let depth = whole.context.len();
                    let covered: Vec<Item> = diffs
                        .open(REF_DEL)
                        .into_iter()
                        .filter(|part| {
                            part.context.starts_with(&whole.context)
                                && (part.command.starts_with(&prefix)
                                    || part.command.starts_with(&positive)
                                    || part.context[depth..]
                                        .iter()
                                        .any(|key| key.starts_with(&format!("{object} "))))
                        })
                        .collect();
                    if !covered.is_empty() {
                        diffs.explain(OURS_DEL, &whole, index);
                        for part in &covered {
                            diffs.explain(REF_DEL, part, index);
                        }
                    }
                }
            }
            Rule::UnderDeletedContext => {
                let deleted = |context: &[String]| {
                    (0..context.len()).any(|k| {
                        let parent = context[..k].to_vec();
                        let key = &context[k];
                        [&reference.delete, &ours.delete].iter().any(|set| {
                            set.iter().any(|d| {
                                d.context == parent
                                    && d.command.strip_prefix("no ").is_some_and(|object| {
                                        key == object || key.starts_with(&format!("{object} "))
                                    })
                            })
                        })
                    })
                };
                for item in diffs.open(REF_DEL) {
                    if entry.allows(&item) && deleted(&item.context) {
                        diffs.explain(REF_DEL, &item, index);
                    }
                }
            }
            Rule::RetypedContext => {
                // Contexts whose deletion by frr-reload.py is explained as an
                // in-place change.
                let retyped: Vec<Vec<String>> = diffs
                    .items
                    .iter()
                    .filter(|((side, _), by)| {
                        *side == REF_DEL
                            && by.is_some_and(|e| matches!(entries[e].rule, Rule::InPlace))
                    })
                    .filter_map(|((_, item), _)| {
                        let object = item.command.strip_prefix("no ")?;
                        let mut context = item.context.clone();
                        context.push(object.to_owned());
                        Some(context)
                    })
                    .collect();
                for side in [OURS_DEL, OURS_ADD] {
                    for item in diffs.open(side) {
                        if entry.allows(&item)
                            && retyped.iter().any(|c| item.context.starts_with(c))
                        {
                            diffs.explain(side, &item, index);
                        }
                    }
                }
            }
            Rule::DefaultIpv4Activate => {
                for (side, file) in [(REF_ADD, &case.desired), (REF_DEL, &case.running)] {
                    let without_default = bgp_without_default_ipv4(file);
                    for item in diffs.open(side) {
                        let activate = item.command.ends_with(" activate")
                            && item.command.starts_with(match side.section {
                                Section::Add => "neighbor ",
                                Section::Delete => "no neighbor ",
                            })
                            && item.command.split(' ').count()
                                == if side.section == Section::Add { 3 } else { 4 };
                        let in_ipv4 = matches!(
                            item.context.as_slice(),
                            [router, af] if router.starts_with("router bgp ")
                                && af == "address-family ipv4 unicast"
                                && !without_default.contains(router)
                        );
                        if activate && in_ipv4 && entry.allows(&item) {
                            diffs.explain(side, &item, index);
                        }
                    }
                }
            }
            Rule::AfAfterBgpDelete => {
                let instance_deleted = reference
                    .delete
                    .iter()
                    .any(|d| d.context.is_empty() && d.command.starts_with("no router bgp "));
                for item in diffs.open(OURS_DEL) {
                    let in_af = matches!(
                        item.context.as_slice(),
                        [router, af, ..] if router.starts_with("router bgp ")
                            && af.starts_with("address-family ")
                    );
                    if instance_deleted && in_af && entry.allows(&item) {
                        diffs.explain(OURS_DEL, &item, index);
                    }
                }
            }
            Rule::PeerGroupMembers => {
                let members = peer_group_members(&case.running);
                for item in diffs.open(OURS_DEL) {
                    let (Some(router), Some(member)) = (
                        item.context.first(),
                        item.command.strip_prefix("no neighbor "),
                    ) else {
                        continue;
                    };
                    if item.context.len() != 1 || member.contains(' ') {
                        continue;
                    }
                    let group_deleted = members
                        .get(&(router.clone(), member.to_owned()))
                        .is_some_and(|group| {
                            reference.delete.contains(&Item::new(
                                &[router],
                                &format!("no neighbor {group} peer-group"),
                            ))
                        });
                    if group_deleted && entry.allows(&item) {
                        diffs.explain(OURS_DEL, &item, index);
                    }
                }
            }
            Rule::Alone(side) => {
                for item in diffs.open(*side) {
                    if entry.allows(&item) {
                        diffs.explain(*side, &item, index);
                    }
                }
            }
            Rule::ReferenceError | Rule::OursRefuses => {}
        }
    }
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

/// SplitMix64: a small, seeded, dependency-free generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// A sample size: the default, or the environment's override.
fn size(variable: &str, default: usize) -> usize {
    std::env::var(variable)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn conf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        // frr-reload.py refuses an empty file; there is nothing to compare.
        .filter(|p| fs::metadata(p).is_ok_and(|m| m.len() > 0))
        .collect();
    files.sort();
    files
}

/// Runs `work` on every element with a few threads; results in input order.
fn parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) + 1;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = work(item);
                results.lock().expect("no panics while locked")[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .expect("no panics while locked")
        .into_iter()
        .map(|r| r.expect("every item done"))
        .collect()
}

/// The first `count` files of `candidates` (in order) that vtysh accepts.
fn accepted(candidates: &[PathBuf], count: usize) -> Vec<PathBuf> {
    let mut chosen = Vec::new();
    for chunk in candidates.chunks(16) {
        let ok = parallel(chunk, |p| vtysh_accepts(p));
        chosen.extend(
            chunk
                .iter()
                .zip(ok)
                .filter(|(_, ok)| *ok)
                .map(|(p, _)| p.clone()),
        );
        if chosen.len() >= count {
            break;
        }
    }
    chosen.truncate(count);
    chosen
}

fn build_cases(corpus: &Path, empty: &Path) -> Vec<Case> {
    let name = |path: &Path| -> String {
        if path == empty {
            return EMPTY.to_owned();
        }
        path.strip_prefix(corpus)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let case = |running: &Path, desired: &Path| Case {
        name: format!("{}>{}", name(running), name(desired)),
        running: running.to_owned(),
        desired: desired.to_owned(),
    };
    let mut rng = Rng(SEED);
    let mut cases = Vec::new();

    // frr-k8s: each against empty, both ways, then seeded ordered pairs.
    let k8s_all = conf_files(&corpus.join("frr-k8s"));
    let k8s = accepted(&k8s_all, k8s_all.len());
    for file in &k8s {
        cases.push(case(empty, file));
        cases.push(case(file, empty));
    }
    let mut pairs: Vec<(usize, usize)> = (0..k8s.len())
        .flat_map(|a| (0..k8s.len()).map(move |b| (a, b)))
        .filter(|(a, b)| a != b)
        .collect();
    rng.shuffle(&mut pairs);
    for &(a, b) in pairs.iter().take(size("DIFFERENTIAL_K8S_PAIRS", K8S_PAIRS)) {
        cases.push(case(&k8s[a], &k8s[b]));
    }

    // topotests: a seeded sample of the files vtysh accepts.
    let mut topo_all = conf_files(&corpus.join("topotests"));
    rng.shuffle(&mut topo_all);
    let topo = accepted(
        &topo_all,
        size("DIFFERENTIAL_TOPOTEST_FILES", TOPOTEST_FILES),
    );
    for file in &topo {
        cases.push(case(empty, file));
        cases.push(case(file, empty));
    }
    // Same-daemon pairs: consecutive sampled files of one daemon, both ways.
    let daemon = |p: &Path| {
        let stem = p.file_stem().unwrap_or_default().to_string_lossy();
        stem.rsplit('_').next().unwrap_or_default().to_owned()
    };
    let mut by_daemon: BTreeMap<String, Vec<&PathBuf>> = BTreeMap::new();
    for file in &topo {
        by_daemon.entry(daemon(file)).or_default().push(file);
    }
    let mut topo_pairs: Vec<(&PathBuf, &PathBuf)> = by_daemon
        .values()
        .flat_map(|files| files.windows(2).map(|w| (w[0], w[1])))
        .collect();
    rng.shuffle(&mut topo_pairs);
    for (a, b) in topo_pairs
        .into_iter()
        .take(size("DIFFERENTIAL_TOPOTEST_PAIRS", TOPOTEST_PAIRS) / 2)
    {
        cases.push(case(a, b));
        cases.push(case(b, a));
    }

    // Pinned files and pairs, unless the sample already has them.
    let pinned_file = |relative: &str| {
        let path = corpus.join(relative);
        assert!(
            path.is_file(),
            "pinned corpus file missing: {}",
            path.display()
        );
        path
    };
    let mut pinned = Vec::new();
    for file in PINNED_TOPOTESTS {
        let path = pinned_file(&format!("topotests/{file}"));
        pinned.push(case(empty, &path));
        pinned.push(case(&path, empty));
    }
    for (running, desired) in PINNED_PAIRS {
        pinned.push(case(&pinned_file(running), &pinned_file(desired)));
    }
    for extra in pinned {
        if cases.iter().all(|c| c.name != extra.name) {
            cases.push(extra);
        }
    }
    cases
}

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Outcome {
    /// Both tools answered.
    Compared(Differences),
    /// frr-reload.py failed: nothing to compare.
    ReferenceFailed(String),
    /// We failed (our parser rejected a file vtysh accepts).
    OursFailed(String),
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn diff_agrees_with_frr_reload_py() {
    let started = Instant::now();
    for tool in [FRR_RELOAD, VTYSH] {
        assert!(
            Path::new(tool).is_file(),
            "{tool} is missing: this test compares against FRR's frr-reload.py; {INSTALL_HINT}"
        );
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = tests::corpus::dir();
    assert!(
        corpus.join("frr-k8s").is_dir() && corpus.join("topotests").is_dir(),
        "corpus not found at {} (../shared/corpus from the workspace root)",
        corpus.display()
    );
    let allowlist_path = manifest.join("differential-allowlist.txt");
    let allowlist = fs::read_to_string(&allowlist_path)
        .unwrap_or_else(|e| panic!("{}: {e}", allowlist_path.display()));
    let entries = parse_allowlist(&allowlist).unwrap_or_else(|e| panic!("{e}"));

    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential");
    fs::create_dir_all(&scratch).expect("scratch dir");
    // frr-reload.py refuses an empty file; a lone `!` is the empty config.
    let empty = scratch.join("empty.conf");
    fs::write(&empty, "!\n").expect("write empty.conf");

    let cases = build_cases(&corpus, &empty);
    let outcomes = parallel(&cases, |case| {
        let reference = reference(&case.running, &case.desired);
        let ours = ours(&case.running, &case.desired);
        match (reference, ours) {
            (Err(e), _) => Outcome::ReferenceFailed(e),
            (Ok(_), Err(e)) => Outcome::OursFailed(e),
            (Ok(reference), Ok(ours)) => {
                let mut diffs = Differences::between(&reference, &ours);
                classify(case, &reference, &ours, &entries, &mut diffs);
                Outcome::Compared(diffs)
            }
        }
    });

    // Report.
    let verbose = std::env::var_os("DIFFERENTIAL_VERBOSE").is_some();
    let mut hits = vec![(0usize, BTreeSet::new()); entries.len()];
    let mut failures = Vec::new();
    let (mut same, mut differ, mut ref_failed) = (0, 0, 0);
    for (case, outcome) in cases.iter().zip(&outcomes) {
        match outcome {
            Outcome::ReferenceFailed(error) | Outcome::OursFailed(error) => {
                let wanted = if matches!(outcome, Outcome::ReferenceFailed(_)) {
                    ref_failed += 1;
                    Rule::ReferenceError
                } else {
                    Rule::OursRefuses
                };
                let entry = entries.iter().position(|e| {
                    std::mem::discriminant(&e.rule) == std::mem::discriminant(&wanted)
                        && e.applies_to(&case.name)
                        && match &e.raw_match {
                            Some(pattern) => glob(pattern, error),
                            None => true,
                        }
                });
                match entry {
                    Some(i) => {
                        hits[i].0 += 1;
                        hits[i].1.insert(case.name.clone());
                    }
                    None => failures.push(format!("case {}:\n  {error}", case.name)),
                }
            }
            Outcome::Compared(diffs) => {
                if diffs.items.is_empty() {
                    same += 1;
                    continue;
                }
                differ += 1;
                let mut open = String::new();
                for ((side, item), by) in &diffs.items {
                    match by {
                        Some(i) => {
                            hits[*i].0 += 1;
                            hits[*i].1.insert(case.name.clone());
                        }
                        None => open.push_str(&format!("\n  {side}: {item}")),
                    }
                }
                if verbose {
                    println!("case {}:", case.name);
                    for ((side, item), by) in &diffs.items {
                        let why = by.map_or("UNEXPLAINED".to_owned(), |i| {
                            format!("line {}: {}", entries[i].line, entries[i].text)
                        });
                        println!("  {side}: {item}    [{why}]");
                    }
                }
                if !open.is_empty() {
                    failures.push(format!("case {}:{open}", case.name));
                }
            }
        }
    }

    println!(
        "differential: {} cases ({} identical, {} differing, {} where frr-reload.py failed), {:.1} s",
        cases.len(),
        same,
        differ,
        ref_failed,
        started.elapsed().as_secs_f64()
    );
    println!("explained differences per allow-list entry (commands, cases):");
    for (entry, (count, cases_hit)) in entries.iter().zip(&hits) {
        println!(
            "  {count:5} {:4}  line {:3}: {}",
            cases_hit.len(),
            entry.line,
            entry.text
        );
    }
    let unused: Vec<String> = entries
        .iter()
        .zip(&hits)
        .filter(|(_, (count, _))| *count == 0)
        .map(|(e, _)| format!("line {}: {} -- {}", e.line, e.text, e.reason))
        .collect();
    if !unused.is_empty() {
        println!("allow-list entries that matched nothing:");
        for u in &unused {
            println!("  {u}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from frr-reload.py in ways the allow-list does not explain \
         (a bug of ours, or an intended difference to add to tests/differential-allowlist.txt \
         with its reason):\n\n{}\n",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Cases (running, desired) with `end` or `exit` inside blocks of the
/// desired text. frr-reload.py reads it through `vtysh -m -f`, which skips
/// `end` lines and leaves one node for `exit`, as `vtysh -f` does. (Not
/// `quit`: frr-reload.py keeps the `quit` line vtysh marks as a command of
/// the node; `tests/parse_commands.rs` compares those with `vtysh -f`.)
const MID_BLOCK_EXITS: &[(&str, &str)] = &[
    (
        "router bgp 64512\n bgp router-id 192.0.2.1\n neighbor 192.0.2.1 remote-as 64513\nexit\n",
        "router bgp 64512\n bgp router-id 192.0.2.1\nend\n neighbor 192.0.2.1 remote-as 64513\n",
    ),
    (
        "!\n",
        "router bgp 64512\n neighbor 192.0.2.1 remote-as 64513\n address-family ipv4 unicast\n  network 198.51.100.0/24\n end\n  network 203.0.113.0/24\n exit-address-family\n neighbor 192.0.2.2 remote-as 64514\nexit\n",
    ),
    (
        "!\n",
        "route-map RM permit 10\n match ip address prefix-list A\nend\n set metric 5\nexit\nip prefix-list A seq 5 permit any\n",
    ),
    (
        "interface lo\n description loopback\n ip address 192.0.2.9/32\nexit\n",
        "interface lo\n description loopback\n  end\n ip address 192.0.2.9/32\nexit\n",
    ),
    (
        "!\n",
        "router bgp 64512\n address-family ipv4 unicast\n  network 198.51.100.0/24\n  exit\n neighbor 192.0.2.2 remote-as 64514\nexit\n",
    ),
];

#[test]
fn end_and_exit_inside_blocks_agree_with_frr_reload_py() {
    if !Path::new(FRR_RELOAD).is_file() {
        panic!("{FRR_RELOAD} is missing: {INSTALL_HINT}");
    }
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential-exits");
    fs::create_dir_all(&scratch).expect("scratch dir");
    let mut failures = Vec::new();
    for (i, (running, desired)) in MID_BLOCK_EXITS.iter().enumerate() {
        let write = |name: &str, text: &str| {
            let path = scratch.join(format!("{i}-{name}.conf"));
            fs::write(&path, text).expect("write case");
            path
        };
        let (running_path, desired_path) = (write("running", running), write("desired", desired));
        let reference = reference(&running_path, &desired_path).unwrap_or_else(|e| panic!("{e}"));
        let answer = ours(&running_path, &desired_path).unwrap_or_else(|e| panic!("{e}"));
        let diffs = Differences::between(&reference, &answer);
        if !diffs.items.is_empty() {
            let items: Vec<String> = diffs
                .items
                .keys()
                .map(|(side, item)| format!("  {side}: {item}"))
                .collect();
            failures.push(format!("{desired}\n{}", items.join("\n")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn reference_output_parses_into_context_paths() {
        let out = "\nLines To Delete\n===============\nno router bgp 1\nbgp\n no profile p\n\
                   router bgp 2\n address-family ipv4 unicast\n  no network 192.0.2.0/24 \n\
                   \nLines To Add\n============\nroute-map M permit 1\nroute-map M permit 1\n \
                   match ip address prefix-list L\nno ip prefix-list L seq 5 permit any\n";
        let answer = parse_reference(out);
        let del: Vec<String> = answer.delete.iter().map(Item::to_string).collect();
        let add: Vec<String> = answer.add.iter().map(Item::to_string).collect();
        assert_eq!(
            del,
            [
                "no ip prefix-list L seq 5 permit any",
                "no router bgp 1",
                "bgp > no profile p",
                "router bgp 2 > address-family ipv4 unicast > no network 192.0.2.0/24",
            ]
        );
        assert_eq!(
            add,
            [
                "route-map M permit 1",
                "route-map M permit 1 > match ip address prefix-list L"
            ]
        );
    }

    #[test]
    fn patterns_match_words_and_keep_keys() {
        let item = Item::new(
            &["router bgp 65000 vrf red"],
            "neighbor 192.0.2.1 route-map RM in",
        );
        let p = Pattern::parse("router bgp ** > neighbor * route-map <v> in|out");
        assert_eq!(
            p.key(&item).unwrap().join(" "),
            "router bgp 65000 vrf red > neighbor 192.0.2.1 route-map <v> in"
        );
        assert!(!Pattern::parse("router bgp * > neighbor **").matches(&item));
        assert!(Pattern::parse("router bgp ** > neighbor 192.0.2.* **").matches(&item));
        assert!(!Pattern::parse("** > no neighbor *").matches(&item));
        let list = Item::new::<&str>(&[], "ip prefix-list L seq 5 permit 192.0.2.0/24 le 32");
        assert_eq!(
            Pattern::parse("ip|ipv6 prefix-list * seq * <v..>")
                .key(&list)
                .unwrap()
                .join(" "),
            "ip prefix-list L seq 5 <v..>"
        );
    }

    #[test]
    fn rewrites() {
        let item = Item::new(&["interface eth0 vrf red"], "ipv6 address 2001:DB8:0::0/64");
        assert_eq!(
            Rewrite::Ipv6Canonical.apply(&item).to_string(),
            "interface eth0 vrf red > ipv6 address 2001:db8::/64"
        );
        assert_eq!(
            Rewrite::InterfaceVrf.apply(&item).to_string(),
            "interface eth0 > ipv6 address 2001:DB8:0::0/64"
        );
        let af = Item::new(&["router bgp 1"], "no address-family ipv4");
        assert_eq!(
            Rewrite::AddressFamilyUnicast.apply(&af).to_string(),
            "router bgp 1 > no address-family ipv4 unicast"
        );
        let ldp = Item::new(&["mpls ldp"], "address-family ipv4");
        assert_eq!(Rewrite::AddressFamilyUnicast.apply(&ldp), ldp);
    }
}
