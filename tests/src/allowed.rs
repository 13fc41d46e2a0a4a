//! The strict clean-boot comparison and its reviewed exceptions
//! (`tests/clean-boot-allowed.txt`): a reloaded instance converged when
//! its `show running-config` equals, line for line, what a clean boot of
//! the desired configuration prints. Some differences are unavoidable and
//! harmless (a boot-only line, a salted hash, an order FRR keeps from
//! creation); each kind is an entry of the file, with its reason. A case
//! whose only differences are covered by entries is converged with a
//! warning naming them; anything else differs.
//!
//! One entry per line, `KIND REGEX -- REASON`, `#` comments. KIND:
//! - `extra`: a line printed only after the reload;
//! - `missing`: a line printed only by the clean boot;
//! - `either`: a line printed by one side only, whichever;
//! - `mask`: the text of the regex's group 1 may differ, when the lines
//!   are otherwise equal and as many on both sides;
//! - `order`: the blocks under a line matching REGEX (each with the
//!   lines indented below it) may come in another order;
//! - `order-top`: the top-level lines matching REGEX may come in another
//!   order, the lines of each value of its group 1 (a list's name) in
//!   their order, all at the place of the first of them;
//! - `order-lines`: lines of one block matching REGEX, at any depth, may
//!   come in another order among themselves, at the place of the first;
//! - `extra-empty`: a top-level block opened by a line matching REGEX,
//!   with nothing in it (its `exit` only), printed only after the reload.
//!
//! `KIND@8.4,10.3` limits an entry to those releases. Line regexes match
//! the line without its indentation; nothing else is normalized.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::Path;

use regex::Regex;

/// What an entry allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A line only after the reload.
    Extra,
    /// A line only in the clean boot.
    Missing,
    /// A line on one side only.
    Either,
    /// Group 1 of the regex masked on both sides.
    Mask,
    /// Blocks under a matching line in any order.
    Order,
    /// Top-level lines of different group-1 keys in any order.
    OrderTop,
    /// Sibling lines matching, in any order among themselves.
    OrderLines,
    /// An empty top-level block only after the reload.
    ExtraEmpty,
}

impl Kind {
    fn named(word: &str) -> Option<Kind> {
        Some(match word {
            "extra" => Kind::Extra,
            "missing" => Kind::Missing,
            "either" => Kind::Either,
            "mask" => Kind::Mask,
            "order" => Kind::Order,
            "order-top" => Kind::OrderTop,
            "order-lines" => Kind::OrderLines,
            "extra-empty" => Kind::ExtraEmpty,
            _ => return None,
        })
    }

    fn word(self) -> &'static str {
        match self {
            Kind::Extra => "extra",
            Kind::Missing => "missing",
            Kind::Either => "either",
            Kind::Mask => "mask",
            Kind::Order => "order",
            Kind::OrderTop => "order-top",
            Kind::OrderLines => "order-lines",
            Kind::ExtraEmpty => "extra-empty",
        }
    }
}

/// One reviewed kind of difference.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its line in the file.
    pub line: usize,
    /// What it allows.
    pub kind: Kind,
    /// The releases it applies to (all when empty).
    pub releases: Vec<String>,
    /// The line (or block header) it applies to.
    pub pattern: Regex,
    /// Why the difference is unavoidable and harmless.
    pub reason: String,
}

impl Entry {
    /// How warnings name it: `allowed:12 order ^bfd$`.
    pub fn name(&self) -> String {
        let only = if self.releases.is_empty() {
            String::new()
        } else {
            format!("@{}", self.releases.join(","))
        };
        format!(
            "allowed:{} {}{only} {}",
            self.line,
            self.kind.word(),
            self.pattern
        )
    }

    fn is_order(&self) -> bool {
        matches!(self.kind, Kind::Order | Kind::OrderTop | Kind::OrderLines)
    }

    fn covers(&self, line: &str, side: Side) -> bool {
        let kind_fits = match side {
            Side::Reloaded => matches!(self.kind, Kind::Extra | Kind::Either),
            Side::Clean => matches!(self.kind, Kind::Missing | Kind::Either),
        };
        kind_fits && self.pattern.is_match(line.trim())
    }
}

#[derive(Debug, Clone, Copy)]
enum Side {
    Reloaded,
    Clean,
}

/// What the strict comparison found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// Line for line equal.
    Strict,
    /// Equal but for differences the named entries allow.
    Warning(Vec<String>),
    /// Different: what no entry allows.
    Differs(String),
}

impl fmt::Display for Judgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Judgement::Strict => f.write_str("equal"),
            Judgement::Warning(names) => write!(f, "equal but for {}", names.join(", ")),
            Judgement::Differs(why) => f.write_str(why),
        }
    }
}

/// The entries of an allowed-differences file.
#[derive(Debug, Clone, Default)]
pub struct Allowed {
    /// In file order.
    pub entries: Vec<Entry>,
}

impl Allowed {
    /// Reads the file at `path`.
    pub fn load(path: &Path) -> Result<Allowed, String> {
        let text = fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))?;
        Allowed::parse(&text).map_err(|e| format!("{}:{e}", path.display()))
    }

    /// The entries that apply to `release` (`8.4`, `10.4.3`).
    pub fn for_release(&self, release: &str) -> Allowed {
        let entries = self
            .entries
            .iter()
            .filter(|e| e.releases.is_empty() || e.releases.iter().any(|r| r == release))
            .cloned()
            .collect();
        Allowed { entries }
    }

    /// `tests/clean-boot-allowed.txt`; panics when it does not parse.
    pub fn reviewed() -> Allowed {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("clean-boot-allowed.txt");
        Allowed::load(&path).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Parses `KIND REGEX -- REASON` lines; errors name the line.
    pub fn parse(text: &str) -> Result<Allowed, String> {
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            entries.push(entry(n + 1, line).map_err(|e| format!("{}: {e}", n + 1))?);
        }
        Ok(Allowed { entries })
    }

    /// Compares the running configuration after a reload with a clean
    /// boot's.
    pub fn judge(&self, reloaded: &str, clean: &str) -> Judgement {
        let (mut a, mut b) = (lines(reloaded), lines(clean));
        if a == b {
            return Judgement::Strict;
        }
        let mut used = Vec::new();
        self.mask(&mut a, &mut b, &mut used);
        self.drop_extra_empty(&mut a, &b, &mut used);
        let (extra, missing) = (surplus(&a, &b), surplus(&b, &a));
        let mut uncovered = (Vec::new(), Vec::new());
        for (lines, side, out) in [
            (&extra, Side::Reloaded, &mut uncovered.0),
            (&missing, Side::Clean, &mut uncovered.1),
        ] {
            for line in lines {
                match self.entries.iter().find(|e| e.covers(line, side)) {
                    Some(e) => used.push(e.name()),
                    None => out.push(line.trim().to_owned()),
                }
            }
        }
        if !uncovered.0.is_empty() || !uncovered.1.is_empty() {
            return Judgement::Differs(describe(&uncovered.0, &uncovered.1));
        }
        let covered = |l: &String| extra.contains(l) || missing.contains(l);
        a.retain(|l| !covered(l));
        b.retain(|l| !covered(l));
        if a != b {
            let orders: Vec<&Entry> = self.entries.iter().filter(|e| e.is_order()).collect();
            let (ca, cb) = (reorder(&a, &orders), reorder(&b, &orders));
            if ca != cb {
                return Judgement::Differs(first_order_difference(&ca, &cb));
            }
            // The entries it takes: those without which the order differs.
            for e in &orders {
                let rest: Vec<&Entry> = orders
                    .iter()
                    .filter(|o| o.line != e.line)
                    .copied()
                    .collect();
                if reorder(&a, &rest) != reorder(&b, &rest) {
                    used.push(e.name());
                }
            }
        }
        used.sort();
        used.dedup();
        Judgement::Warning(used)
    }

    /// Takes out of `reloaded` the empty top-level blocks that an
    /// `extra-empty` entry allows and `clean` does not open (each with
    /// the `!` after it), noting the entry.
    fn drop_extra_empty(
        &self,
        reloaded: &mut Vec<String>,
        clean: &[String],
        used: &mut Vec<String>,
    ) {
        for e in self.entries.iter().filter(|e| e.kind == Kind::ExtraEmpty) {
            let mut i = 0;
            while i + 1 < reloaded.len() {
                let opener = &reloaded[i];
                let empty = opener.trim_start() == opener.as_str()
                    && e.pattern.is_match(opener)
                    && reloaded[i + 1] == "exit"
                    && !clean.contains(opener);
                if !empty {
                    i += 1;
                    continue;
                }
                let end = if reloaded.get(i + 2).is_some_and(|l| l == "!") {
                    i + 3
                } else {
                    i + 2
                };
                reloaded.drain(i..end);
                used.push(e.name());
            }
        }
    }

    /// Masks group 1 of each `mask` entry on both sides, noting an entry
    /// when a line it masks differed.
    fn mask(&self, a: &mut [String], b: &mut [String], used: &mut Vec<String>) {
        for e in self.entries.iter().filter(|e| e.kind == Kind::Mask) {
            let (extra, missing) = (surplus(a, b), surplus(b, a));
            let before = extra.len() + missing.len();
            for line in a.iter_mut().chain(b.iter_mut()) {
                *line = masked(&e.pattern, line);
            }
            if surplus(a, b).len() + surplus(b, a).len() < before {
                used.push(e.name());
            }
        }
    }
}

/// The lines with the blocks under each `order` entry's lines sorted,
/// and the top-level lines of each `order-top` entry grouped by key.
fn reorder(lines: &[String], orders: &[&Entry]) -> Vec<String> {
    let mut forest = forest(lines);
    for e in orders {
        match e.kind {
            Kind::OrderTop => forest = group_top(forest, &e.pattern),
            Kind::OrderLines => sort_matching(&mut forest, &e.pattern),
            _ => sort_under(&mut forest, &e.pattern),
        }
    }
    let mut out = Vec::new();
    for node in &forest {
        node.render(&mut out);
    }
    out
}

/// The top-level nodes matching `pattern`, stably sorted by their group
/// 1, at the place of the first of them.
fn group_top(forest: Vec<Node>, pattern: &Regex) -> Vec<Node> {
    let mut out = Vec::new();
    let mut grouped: Vec<(String, Node)> = Vec::new();
    let mut at = None;
    for node in forest {
        let key = pattern
            .captures(node.line.trim())
            .and_then(|c| c.get(1))
            .map(|g| g.as_str().to_owned());
        match key {
            Some(key) if node.line.trim_start() == node.line => {
                at.get_or_insert(out.len());
                grouped.push((key, node));
            }
            _ => out.push(node),
        }
    }
    grouped.sort_by(|x, y| x.0.cmp(&y.0));
    let at = at.unwrap_or(out.len());
    out.splice(at..at, grouped.into_iter().map(|(_, n)| n));
    out
}

fn entry(line: usize, text: &str) -> Result<Entry, String> {
    let (rule, reason) = text
        .split_once(" -- ")
        .ok_or("expected `KIND REGEX -- REASON`")?;
    if reason.trim().is_empty() {
        return Err("no reason given".into());
    }
    let (word, pattern) = rule
        .trim()
        .split_once(char::is_whitespace)
        .ok_or("expected `KIND REGEX`")?;
    let (word, releases) = match word.split_once('@') {
        Some((word, list)) => (word, list.split(',').map(str::to_owned).collect()),
        None => (word, Vec::new()),
    };
    let kind = Kind::named(word).ok_or_else(|| format!("unknown kind `{word}`"))?;
    let pattern = Regex::new(pattern.trim()).map_err(|e| format!("bad regex: {e}"))?;
    if matches!(kind, Kind::Mask | Kind::OrderTop) && pattern.captures_len() < 2 {
        return Err(format!("`{word}` needs a group (group 1)"));
    }
    Ok(Entry {
        line,
        kind,
        releases,
        pattern,
        reason: reason.trim().to_owned(),
    })
}

/// The printed lines, trailing spaces aside.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(|l| l.trim_end().to_owned()).collect()
}

/// `line` with the text of `pattern`'s group 1 replaced by `<masked>`.
fn masked(pattern: &Regex, line: &str) -> String {
    let start = line.len() - line.trim_start().len();
    let Some(group) = pattern
        .captures(line.trim())
        .and_then(|c| c.get(1))
        .filter(|g| !g.is_empty())
    else {
        return line.to_owned();
    };
    let (from, to) = (start + group.start(), start + group.end());
    format!("{}<masked>{}", &line[..from], &line[to..])
}

/// The lines of `x` beyond those of `y` (as multisets), each once.
fn surplus(x: &[String], y: &[String]) -> Vec<String> {
    let mut count: BTreeMap<&str, isize> = BTreeMap::new();
    for l in x {
        *count.entry(l).or_default() += 1;
    }
    for l in y {
        *count.entry(l).or_default() -= 1;
    }
    count
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(l, _)| l.to_owned())
        .collect()
}

fn describe(extra: &[String], missing: &[String]) -> String {
    let side = |items: &[String]| {
        let mut shown: Vec<String> = items.iter().take(4).cloned().collect();
        if items.len() > 4 {
            shown.push(format!("… {} more", items.len() - 4));
        }
        shown.join(" | ")
    };
    let mut parts = Vec::new();
    if !extra.is_empty() {
        parts.push(format!("extra after reload: [{}]", side(extra)));
    }
    if !missing.is_empty() {
        parts.push(format!("missing after reload: [{}]", side(missing)));
    }
    parts.join("; ")
}

fn first_order_difference(a: &[String], b: &[String]) -> String {
    let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0);
    format!(
        "the same lines in another order: line {} is `{}` after reload, `{}` at clean boot",
        at + 1,
        a[at].trim(),
        b[at].trim()
    )
}

/// A printed line and the lines indented below it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Node {
    line: String,
    children: Vec<Node>,
}

impl Node {
    fn render(&self, out: &mut Vec<String>) {
        out.push(self.line.clone());
        for child in &self.children {
            child.render(out);
        }
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The lines as a forest: a line's children are the lines after it that
/// are indented deeper.
fn forest(lines: &[String]) -> Vec<Node> {
    let mut stack: Vec<(usize, Node)> = Vec::new();
    let mut roots = Vec::new();
    for line in lines {
        let depth = indent(line);
        close(&mut stack, &mut roots, depth);
        stack.push((
            depth,
            Node {
                line: line.clone(),
                children: Vec::new(),
            },
        ));
    }
    close(&mut stack, &mut roots, 0);
    roots
}

/// Pops the open nodes indented `depth` or deeper into their parents.
fn close(stack: &mut Vec<(usize, Node)>, roots: &mut Vec<Node>, depth: usize) {
    while stack.last().is_some_and(|(d, _)| *d >= depth) {
        let (_, node) = stack.pop().expect("a node");
        match stack.last_mut() {
            Some((_, parent)) => parent.children.push(node),
            None => roots.push(node),
        }
    }
}

/// Among the siblings of each level, sorts the nodes whose line matches
/// `pattern`, at the place of the first of them.
fn sort_matching(nodes: &mut Vec<Node>, pattern: &Regex) {
    for node in nodes.iter_mut() {
        sort_matching(&mut node.children, pattern);
    }
    let matching = |n: &Node| pattern.is_match(n.line.trim());
    let Some(at) = nodes.iter().position(matching) else {
        return;
    };
    let (mut picked, rest): (Vec<Node>, Vec<Node>) =
        std::mem::take(nodes).into_iter().partition(matching);
    picked.sort();
    *nodes = rest;
    nodes.splice(at..at, picked);
}

/// Sorts the children of every node whose line matches `pattern`.
fn sort_under(nodes: &mut [Node], pattern: &Regex) {
    for node in nodes {
        sort_under(&mut node.children, pattern);
        if pattern.is_match(node.line.trim()) {
            node.children.sort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# test entries\n\
        missing ^hostname \\S+$ -- boot-only\n\
        mask ^password 8 (\\S+)$ -- salted\n\
        order ^bfd$ -- creation order\n\
        order-top@8.4 ^(ip prefix-list \\S+) -- creation order\n\
        extra-empty ^interface lo$ -- up\n";

    fn allowed() -> Allowed {
        Allowed::parse(FILE).unwrap()
    }

    #[test]
    fn equal_text_is_strict() {
        let a = "frr version 8.4\n!\nrouter bgp 64512\nexit\n";
        assert_eq!(allowed().judge(a, a), Judgement::Strict);
    }

    #[test]
    fn a_covered_line_is_a_warning_naming_its_entry() {
        let a = "frr version 8.4\n!\n";
        let b = "frr version 8.4\nhostname r1\n!\n";
        assert_eq!(
            allowed().judge(a, b),
            Judgement::Warning(vec!["allowed:2 missing ^hostname \\S+$".into()])
        );
        // The other side is not allowed: a hostname left behind.
        assert!(matches!(allowed().judge(b, a), Judgement::Differs(_)));
    }

    #[test]
    fn an_extra_empty_block_is_allowed_only_empty_and_only_extra() {
        let clean = "frr version 8.4\n!\nrouter bgp 1\nexit\n!\nend\n";
        let reloaded = "frr version 8.4\n!\ninterface lo\nexit\n!\nrouter bgp 1\nexit\n!\nend\n";
        assert_eq!(
            allowed().judge(reloaded, clean),
            Judgement::Warning(vec!["allowed:6 extra-empty ^interface lo$".into()])
        );
        // Not with a line in it, not missing, not another interface.
        let filled = reloaded.replace("interface lo\n", "interface lo\n ip address 192.0.2.1/32\n");
        assert!(matches!(
            allowed().judge(&filled, clean),
            Judgement::Differs(_)
        ));
        assert!(matches!(
            allowed().judge(clean, reloaded),
            Judgement::Differs(_)
        ));
        let other = reloaded.replace("interface lo", "interface eth0");
        assert!(matches!(
            allowed().judge(&other, clean),
            Judgement::Differs(_)
        ));
    }

    #[test]
    fn a_mask_needs_the_line_on_both_sides() {
        let a = "password 8 abc\nexit\n";
        let b = "password 8 xyz\nexit\n";
        assert!(matches!(allowed().judge(a, b), Judgement::Warning(_)));
        let left_behind = allowed().judge(a, "exit\n");
        assert!(
            matches!(&left_behind, Judgement::Differs(w) if w.contains("password 8 <masked>")),
            "{left_behind:?}"
        );
    }

    #[test]
    fn order_only_within_the_named_stanza() {
        let a = "bfd\n profile b\n  receive-interval 100\n exit\n !\n profile a\n exit\n !\nexit\n";
        let b = "bfd\n profile a\n exit\n !\n profile b\n  receive-interval 100\n exit\n !\nexit\n";
        assert_eq!(
            allowed().judge(a, b),
            Judgement::Warning(vec!["allowed:4 order ^bfd$".into()])
        );
        // A line moved from one profile to another is not an order.
        let moved =
            "bfd\n profile b\n exit\n !\n profile a\n  receive-interval 100\n exit\n !\nexit\n";
        assert!(matches!(allowed().judge(moved, b), Judgement::Differs(_)));
        // Nor is an order elsewhere (on a release no `order-top` has).
        let x = "ip prefix-list A seq 5 permit any\nip prefix-list B seq 5 deny any\n";
        let y = "ip prefix-list B seq 5 deny any\nip prefix-list A seq 5 permit any\n";
        let got = allowed().for_release("10.4.3").judge(x, y);
        assert!(
            matches!(&got, Judgement::Differs(w) if w.contains("another order")),
            "{got:?}"
        );
    }

    #[test]
    fn top_level_lists_in_another_order_keep_their_own_order() {
        let a = "!\nip prefix-list B seq 5 deny any\nip prefix-list A seq 5 permit any\nip prefix-list A seq 10 deny any\n!\nend\n";
        let b = "!\nip prefix-list A seq 5 permit any\nip prefix-list A seq 10 deny any\nip prefix-list B seq 5 deny any\n!\nend\n";
        let on = |release: &str| allowed().for_release(release).judge(a, b);
        assert_eq!(
            on("8.4"),
            Judgement::Warning(vec!["allowed:5 order-top@8.4 ^(ip prefix-list \\S+)".into()])
        );
        assert!(matches!(on("10.4.3"), Judgement::Differs(_)));
        // The entries of one list in another order are no list order.
        let swapped = "!\nip prefix-list A seq 10 deny any\nip prefix-list A seq 5 permit any\nip prefix-list B seq 5 deny any\n!\nend\n";
        assert!(matches!(
            allowed().for_release("8.4").judge(swapped, b),
            Judgement::Differs(_)
        ));
    }

    #[test]
    fn sibling_lines_in_another_order_among_themselves() {
        let entries = Allowed::parse("order-lines ^import vrf \\S+$ -- creation order\n").unwrap();
        let block = |imports: &str| {
            format!(
                "router bgp 1 vrf a\n address-family ipv4 unicast\n  import vrf route-map M\n\
                 {imports}  network 192.0.2.0/24\n exit-address-family\nexit\n"
            )
        };
        let a = block("  import vrf c\n  import vrf b\n");
        let b = block("  import vrf b\n  import vrf c\n");
        assert_eq!(
            entries.judge(&a, &b),
            Judgement::Warning(vec![entries.entries[0].name()])
        );
        // A line that does not match keeps its place.
        let moved = a.replace("  network 192.0.2.0/24\n", "").replace(
            "  import vrf route-map M\n",
            "  network 192.0.2.0/24\n  import vrf route-map M\n",
        );
        assert!(matches!(entries.judge(&moved, &b), Judgement::Differs(_)));
    }

    #[test]
    fn an_uncovered_line_differs_and_is_named() {
        let a = "router bgp 64512\n neighbor 192.0.2.1 remote-as 64513\nexit\n";
        let b = "router bgp 64512\nexit\n";
        assert_eq!(
            allowed().judge(a, b),
            Judgement::Differs("extra after reload: [neighbor 192.0.2.1 remote-as 64513]".into())
        );
    }

    #[test]
    fn bad_entries_are_refused_with_their_line() {
        for bad in [
            "extra ^x$",
            "extra ^x$ -- ",
            "sometimes ^x$ -- why",
            "extra ^(x$ -- why",
            "mask ^x$ -- why",
            "order-top ^x -- why",
        ] {
            let err = Allowed::parse(&format!("# c\n{bad}\n")).unwrap_err();
            assert!(err.starts_with("2: "), "{bad}: {err}");
        }
    }

    #[test]
    fn the_reviewed_file_parses() {
        let reviewed = Allowed::reviewed();
        assert!(!reviewed.entries.is_empty());
        assert!(reviewed.entries.iter().all(|e| !e.reason.is_empty()));
    }
}
