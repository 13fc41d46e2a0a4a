//! Expands abbreviated keywords to the full words FRR prints: FRR's CLI
//! accepts any unambiguous prefix of a keyword (`neighbor X passw S`,
//! `int eth0`) and `show running-config` prints the keyword in full, so a
//! line left abbreviated would never equal the running one.
//!
//! A word is resolved as FRR's CLI resolves it among the keywords valid at
//! its position (`table.rs`): a keyword typed in full is kept; a
//! prefix of exactly one keyword becomes that keyword (a keyword wins over
//! a free argument, as in FRR); a prefix of several is settled by the
//! words after it where the table follows them (`isis pass md5 S` and
//! `nei X pas S` are `password`: `passive` takes no word after it), else
//! the line is refused ([`Unresolved`]): left as typed, it would never
//! equal what FRR prints, and every pass would send it again (a password
//! line resets its session each time). A word that starts no keyword
//! there is an argument (or a command the table does not know) and is
//! left alone, as is the rest of the line after a word the table does
//! not follow.

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::config::grammar::Kind;

mod table;

/// One position in a command: the keywords valid there, and where each
/// of them (or an argument) leads.
#[derive(Debug, Default)]
struct Position {
    /// Sorted keywords, each with the position after it, if known.
    keywords: Vec<(&'static str, Option<usize>)>,
    /// The position after an argument (`*` in the table: any word, or one
    /// the table does not tell from a free one), if known.
    argument: Option<usize>,
    /// The position after a typed argument (`#`: a number, an address),
    /// if known: only a word that looks like one goes there.
    typed: Option<usize>,
}

/// Which argument of a position a word of the table stands for.
#[derive(Clone, Copy)]
enum Slot {
    /// `*`.
    Free,
    /// `#`.
    Typed,
}

impl Slot {
    fn of(word: &str) -> Option<Slot> {
        match word {
            "*" => Some(Slot::Free),
            "#" => Some(Slot::Typed),
            _ => None,
        }
    }

    fn get(self, position: &mut Position) -> &mut Option<usize> {
        match self {
            Slot::Free => &mut position.argument,
            Slot::Typed => &mut position.typed,
        }
    }
}

/// Whether `word` may be a typed argument of FRR's (a number, an AS
/// number, an IPv4 or IPv6 address or prefix, a MAC address): what FRR
/// would match against `(1-255)`, `A.B.C.D`, `X:X::X:X`, … rather than a
/// keyword or a free word.
fn looks_typed(word: &str) -> bool {
    let hex = |c: char| c.is_ascii_hexdigit() || matches!(c, ':' | '.' | '/');
    word.starts_with(|c: char| c.is_ascii_digit()) || (word.contains(':') && word.chars().all(hex))
}

/// The positions of every node that has a table, as a tree per node.
struct Tree {
    positions: Vec<Position>,
    /// The first position of each node that has a table.
    roots: Vec<(Kind, usize)>,
}

static TREE: LazyLock<Tree> = LazyLock::new(Tree::build);

impl Tree {
    fn build() -> Tree {
        let mut tree = Tree {
            positions: Vec::new(),
            roots: Vec::new(),
        };
        for &(kind, path, keywords) in table::POSITIONS {
            let mut at = tree.root(kind);
            for word in path.split_ascii_whitespace() {
                at = tree.child(at, word);
            }
            for keyword in keywords {
                tree.keyword(at, keyword);
            }
        }
        tree
    }

    /// The first position of `kind`'s commands, created if new.
    fn root(&mut self, kind: Kind) -> usize {
        if let Some(&(_, at)) = self.roots.iter().find(|(k, _)| *k == kind) {
            return at;
        }
        let at = self.new_position();
        self.roots.push((kind, at));
        at
    }

    fn new_position(&mut self) -> usize {
        self.positions.push(Position::default());
        self.positions.len() - 1
    }

    /// The index of `keyword` among `at`'s keywords, added if new.
    fn keyword(&mut self, at: usize, keyword: &'static str) -> usize {
        let keywords = &mut self.positions[at].keywords;
        match keywords.binary_search_by(|(k, _)| (*k).cmp(keyword)) {
            Ok(i) => i,
            Err(i) => {
                keywords.insert(i, (keyword, None));
                i
            }
        }
    }

    /// The position after `word` (`*`, `#`: an argument) at `at`, created
    /// if new.
    fn child(&mut self, at: usize, word: &'static str) -> usize {
        let existing = match Slot::of(word) {
            Some(slot) => *slot.get(&mut self.positions[at]),
            None => {
                let i = self.keyword(at, word);
                self.positions[at].keywords[i].1
            }
        };
        if let Some(next) = existing {
            return next;
        }
        let next = self.new_position();
        match Slot::of(word) {
            Some(slot) => *slot.get(&mut self.positions[at]) = Some(next),
            None => {
                let i = self.keyword(at, word);
                self.positions[at].keywords[i].1 = Some(next);
            }
        }
        next
    }

    fn root_of(&self, kind: Kind) -> Option<usize> {
        self.roots
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|&(_, at)| at)
    }
}

/// What a word is at a position.
#[derive(Debug, PartialEq, Eq)]
enum Match {
    /// A keyword (typed in full or not), and the position after it.
    Keyword(&'static str, Option<usize>),
    /// A prefix of several keywords.
    Ambiguous,
    /// No keyword starts with it.
    None,
}

impl Position {
    /// Whether the table follows nothing from here (no keyword, no
    /// argument): an argument that ends the command, or one after which
    /// the table lists nothing more.
    fn is_open(&self) -> bool {
        self.keywords.is_empty() && self.argument.is_none() && self.typed.is_none()
    }

    /// The position after `word` taken as an argument here, if the table
    /// knows one it fits (a typed argument before a free one, as in FRR).
    fn after_argument(&self, word: &str) -> Option<usize> {
        match looks_typed(word) {
            true => self.typed.or(self.argument),
            false => self.argument,
        }
    }

    fn resolve(&self, word: &str) -> Match {
        let from = self.keywords.partition_point(|(k, _)| *k < word);
        let mut fits = self.keywords[from..]
            .iter()
            .take_while(|(k, _)| k.starts_with(word));
        match (fits.next(), fits.next()) {
            (None, _) => Match::None,
            // Sorted: a keyword typed in full comes before those it starts.
            (Some(&(k, next)), _) if k == word => Match::Keyword(k, next),
            (Some(&(k, next)), None) => Match::Keyword(k, next),
            (Some(_), Some(_)) => Match::Ambiguous,
        }
    }
}

/// The node whose commands vtysh tries after `kind`'s when a line is not
/// one of them (the enclosing node), for the nodes with a table.
fn enclosing(kind: Kind) -> Option<Kind> {
    match kind {
        Kind::Top => None,
        Kind::BgpAf => Some(Kind::RouterBgp),
        Kind::BfdChild => Some(Kind::Bfd),
        _ => Some(Kind::Top),
    }
}

/// A line with an abbreviated keyword the table cannot settle: several
/// keywords start with the word, and the rest of the line fits more than
/// one of them as far as the table follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unresolved {
    /// Where the ambiguous word ends in the line: what follows it may be
    /// a secret the line cannot be told to hold, so errors quote no
    /// further.
    pub end: usize,
}

impl Unresolved {
    /// Why the line is refused, for the parse error.
    pub const REASON: &'static str = "an abbreviated keyword that is ambiguous here (several \
         keywords start with it, and the rest of the line does not settle which): write it in full";
}

/// `line` (whitespace collapsed, found in a node of `kind`) with its
/// abbreviated keywords written in full. Borrows when nothing changes,
/// which is almost always.
pub fn expand(kind: Kind, line: &str) -> Result<Cow<'_, str>, Unresolved> {
    let expanded = expand_keywords(kind, line)?;
    Ok(match ip_as_ipv6(kind, &expanded) {
        Some(spelled) => Cow::Owned(spelled),
        None => expanded,
    })
}

/// `ip` abbreviates `ipv6` too: where the IPv4 command cannot take the
/// line's IPv6 prefix or address, FRR's CLI runs the IPv6 one and prints
/// `ipv6` (`ip route fc00::1/128 2001:db8::2` is `ipv6 route …`, the same
/// for `ip address` on an interface and `ip prefix-list`; 8.4 to 10.7.1,
/// topotest isis_srv6_topo1 rt6). Left as typed, the line never equals
/// what FRR prints: every pass deleted the route and added it again.
/// The line with `ipv6`, or `None` where it is not such a line.
fn ip_as_ipv6(kind: Kind, line: &str) -> Option<String> {
    // Every line passes here: most have no IPv6 text at all.
    if !line.contains(':') {
        return None;
    }
    let (no, rest) = match line.strip_prefix("no ") {
        Some(rest) => ("no ", rest),
        None => ("", line),
    };
    let command = rest.strip_prefix("ip ")?;
    let words: Vec<&str> = command.split(' ').collect();
    let address = match (kind, words.as_slice()) {
        (Kind::Top | Kind::Vrf, ["route", prefix, ..]) => *prefix,
        (Kind::Interface, ["address", address, ..]) => *address,
        (Kind::Top, ["prefix-list", _, rest @ ..]) => rest
            .iter()
            .position(|w| *w == "permit" || *w == "deny")
            .and_then(|at| rest.get(at + 1))?,
        _ => return None,
    };
    address.contains(':').then(|| format!("{no}ipv6 {command}"))
}

/// [`expand`]'s keywords.
fn expand_keywords(kind: Kind, line: &str) -> Result<Cow<'_, str>, Unresolved> {
    let tree = &*TREE;
    let Some(root) = tree.root_of(kind) else {
        return Ok(expand_interface(line));
    };
    let own = walk(tree, root, line);
    if let Walk::Exact(_) | Walk::Done(Cow::Borrowed(_), _) = own {
        return Ok(Cow::Borrowed(line));
    }
    // vtysh tries the enclosing nodes with a line the node does not take.
    // A line that starts no keyword of the node is theirs; so is one that
    // is, word for word, one of their commands, unless the node reads all
    // of it (`ip route …` after an interface, though `route` starts the
    // interface's `ip router`, which takes no route; but `ip pim pass` is
    // the interface's `ip pim passive`, though the top level's table, two
    // words deep, ends at its own `ip pim`). An ambiguity there is left to
    // FRR: the node's own commands the table misses may take the line.
    let mut node = enclosing(kind);
    while let Some(kind) = node {
        if let Some(root) = tree.root_of(kind) {
            match (&own, walk(tree, root, line)) {
                (Walk::Ambiguous(_) | Walk::Unknown | Walk::Unfit(_), Walk::Exact(_)) => {
                    return Ok(Cow::Borrowed(line))
                }
                (Walk::Done(_, own_read), Walk::Exact(read)) if read >= *own_read => {
                    return Ok(Cow::Borrowed(line))
                }
                (Walk::Unknown | Walk::Unfit(_), Walk::Done(expanded, _)) => return Ok(expanded),
                _ => {}
            }
        }
        node = enclosing(kind);
    }
    match own {
        Walk::Done(expanded, _) | Walk::Unfit(expanded) => Ok(expanded),
        Walk::Exact(_) | Walk::Unknown => Ok(Cow::Borrowed(line)),
        // FRR too refuses a line ambiguous in its node (it tries no
        // enclosing one then); where FRR settles it on arguments the
        // table does not follow, the line would be sent on every pass.
        Walk::Ambiguous(end) => Err(Unresolved { end }),
    }
}

/// Whether `line` (expanded) is a `neighbor X KEYWORD …` command of
/// `router bgp` that no address family has (`remote-as`, `password`,
/// `timers`, …): typed in an address family, vtysh runs it in `router bgp`
/// and stays there.
pub fn only_router_bgp_neighbor(line: &str) -> bool {
    let bare = line.strip_prefix("no ").unwrap_or(line);
    let mut words = bare.split(' ');
    let (Some("neighbor"), Some(_), Some(keyword)) = (words.next(), words.next(), words.next())
    else {
        return false;
    };
    let tree = &*TREE;
    let keywords_of = |kind| {
        let root = tree.root_of(kind)?;
        let Match::Keyword(_, Some(neighbor)) = tree.positions[root].resolve("neighbor") else {
            return None;
        };
        let peer = tree.positions[neighbor].argument?;
        Some(&tree.positions[peer])
    };
    let (Some(bgp), Some(af)) = (keywords_of(Kind::RouterBgp), keywords_of(Kind::BgpAf)) else {
        return false;
    };
    let has = |position: &Position| {
        position
            .keywords
            .binary_search_by(|(k, _)| (*k).cmp(keyword))
            .is_ok()
    };
    has(bgp) && !has(af)
}

/// In a node without a table only `interface` is expanded (from three
/// letters on), as it decides nesting: the top level's other keywords are
/// too short a reach from words those nodes may have (`rp` in `router pim`
/// is not the top level's `rpki`).
fn expand_interface(line: &str) -> Cow<'_, str> {
    let first = line.split(' ').next().unwrap_or_default();
    if first.len() >= 3 && first.len() < "interface".len() && "interface".starts_with(first) {
        Cow::Owned(format!("interface{}", &line[first.len()..]))
    } else {
        Cow::Borrowed(line)
    }
}

/// How a line reads from a node's first position.
enum Walk<'a> {
    /// Its first word is a keyword there, and every word the table follows
    /// is a keyword in full or an argument: the line as it is, and how
    /// many words the table followed.
    Exact(usize),
    /// Its first word is a keyword there: the line, expanded (borrowed when
    /// nothing was, and a word the table follows was not a keyword), and
    /// how many words the table followed.
    Done(Cow<'a, str>, usize),
    /// A word is a prefix of several keywords: where it ends in the line.
    Ambiguous(usize),
    /// Its first word starts no keyword there.
    Unknown,
    /// It reads as an abbreviated command there (the line expanded), but
    /// a later word is none of the keywords where the table has no
    /// argument. The table does not list every argument, so this may
    /// still be the node's command; but where an enclosing node reads the
    /// line, FRR takes that (vtysh, failing the node, tries the enclosing
    /// one: in an address family, `neighbor X rem 1` is not
    /// `remove-private-AS 1` but `router bgp`'s `remote-as 1`).
    Unfit(Cow<'a, str>),
}

/// Of the keywords at `position` that `word` starts, the one the rest of
/// the line fits best, if exactly one does: FRR matches the whole command,
/// so `isis pass md5 S` is `password` (whose `md5` the table knows), not
/// `passive`. The table ends where arguments it does not follow begin, so
/// a keyword is scored by how many of the next words the table takes
/// after it; a word the table refuses rules the keyword out. Between
/// keywords that take as many, FRR's precedence decides at the first word
/// they take differently: a typed argument before a keyword before a free
/// word (`ip ospf auth message-d` is `authentication message-digest`, not
/// `authentication-key message-d`).
fn only_fit(
    tree: &Tree,
    position: &Position,
    word: &str,
    rest: &str,
) -> Option<(&'static str, Option<usize>)> {
    let from = position.keywords.partition_point(|(k, _)| *k < word);
    let scored: Vec<(Fit, &'static str, Option<usize>)> = position.keywords[from..]
        .iter()
        .take_while(|(k, _)| k.starts_with(word))
        .filter_map(|&(k, next)| Some((taken(tree, next, rest)?, k, next)))
        .collect();
    let best = scored.iter().map(|(fit, _, _)| fit).max()?;
    let mut winners = scored.iter().filter(|(fit, _, _)| fit == best);
    match (winners.next(), winners.next()) {
        (Some(&(ref fit, k, next)), None) if fit.count > 0 => Some((k, next)),
        _ => None,
    }
}

/// How the rest of a line fits a command of the table: compared by the
/// number of words taken, then word by word by what took them.
#[derive(Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    /// How many words the table takes.
    count: usize,
    /// For each of them, what took it: 2 a typed argument, 1 a keyword,
    /// 0 a free argument (FRR's precedence).
    ranks: Vec<u8>,
}

impl Fit {
    fn take(&mut self, rank: u8) {
        self.count += 1;
        self.ranks.push(rank);
    }
}

/// How the words of `rest` fit the table from position `at` until it ends
/// (`None`: it refuses one). A word that starts several keywords is
/// followed into each of them, and the best fit counts.
fn taken(tree: &Tree, mut at: Option<usize>, rest: &str) -> Option<Fit> {
    let mut fit = Fit::default();
    let mut words = rest.split(' ').filter(|w| !w.is_empty());
    while let Some(word) = words.next() {
        let Some(here) = at else {
            return Some(fit);
        };
        let position = &tree.positions[here];
        at = match position.resolve(word) {
            Match::Keyword(_, next) => {
                fit.take(1);
                next
            }
            Match::Ambiguous => {
                let after = words.collect::<Vec<_>>().join(" ");
                let best = position
                    .keywords
                    .iter()
                    .filter(|(k, _)| k.starts_with(word))
                    .filter_map(|&(_, next)| taken(tree, next, &after))
                    .max()?;
                fit.take(1);
                fit.count += best.count;
                fit.ranks.extend(best.ranks);
                return Some(fit);
            }
            Match::None if looks_typed(word) && position.typed.is_some() => {
                fit.take(2);
                position.typed
            }
            Match::None if position.argument.is_some() => {
                fit.take(0);
                position.argument
            }
            // The end of what the table follows (an argument that takes
            // the rest of the line, as a password).
            Match::None if position.is_open() => {
                fit.take(0);
                return Some(fit);
            }
            Match::None => return None,
        };
    }
    Some(fit)
}

/// Reads `line` from position `at`, word by word, expanding keywords.
fn walk<'a>(tree: &Tree, mut at: usize, line: &'a str) -> Walk<'a> {
    let mut out: Option<String> = None;
    // Bytes of `line` already copied into `out`.
    let mut copied = 0;
    let mut first = true;
    // Whether a word was none of the keywords where an argument cannot be.
    let mut dead_end = false;
    // How many words the table followed.
    let mut read = 0;
    let mut offset = 0;
    for word in line.split(' ') {
        let start = offset;
        offset += word.len() + 1;
        if first && word == "no" {
            continue;
        }
        let position = &tree.positions[at];
        if position.is_open() {
            break;
        }
        let next = match position.resolve(word) {
            Match::Keyword(full, next) => {
                if full.len() != word.len() {
                    let out = out.get_or_insert_with(|| String::with_capacity(line.len() + 16));
                    out.push_str(&line[copied..start]);
                    out.push_str(full);
                    copied = start + word.len();
                }
                next
            }
            Match::Ambiguous => {
                match only_fit(tree, position, word, &line[offset.min(line.len())..]) {
                    Some((full, next)) => {
                        let out = out.get_or_insert_with(|| String::with_capacity(line.len() + 16));
                        out.push_str(&line[copied..start]);
                        out.push_str(full);
                        copied = start + word.len();
                        next
                    }
                    None => return Walk::Ambiguous(start + word.len()),
                }
            }
            Match::None if first => return Walk::Unknown,
            Match::None => {
                let next = position.after_argument(word);
                dead_end = next.is_none();
                next
            }
        };
        first = false;
        if dead_end {
            break;
        }
        read += 1;
        match next {
            Some(next) => at = next,
            None => break,
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&line[copied..]);
            match dead_end {
                true => Walk::Unfit(Cow::Owned(out)),
                false => Walk::Done(Cow::Owned(out), read),
            }
        }
        None if dead_end => Walk::Done(Cow::Borrowed(line), read),
        None => Walk::Exact(read),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line up to the word the table cannot settle, if any.
    fn unresolved(kind: Kind, line: &str) -> Option<&str> {
        expand(kind, line).err().map(|u| &line[..u.end])
    }

    fn expanded(kind: Kind, line: &str) -> String {
        expand(kind, line)
            .unwrap_or_else(|_| panic!("{kind:?} {line}: unresolved"))
            .into_owned()
    }

    #[test]
    fn a_bgp_network_with_a_mask_expands_what_follows_it() {
        // As after a prefix: the mask is then made a length, and the line
        // read again must be the same (found by fuzzing: `label` was
        // `label-index` only once the mask was gone).
        for kind in [Kind::RouterBgp, Kind::BgpAf] {
            assert_eq!(
                expanded(kind, "network 192.0.2.0 mask 255.255.255.0 route RM"),
                "network 192.0.2.0 mask 255.255.255.0 route-map RM"
            );
            assert_eq!(
                expanded(kind, "network 192.0.2.0 mask 255.255.255.0 label 5"),
                "network 192.0.2.0 mask 255.255.255.0 label-index 5"
            );
        }
        let c = crate::config::Config::parse(
            "router bgp 1\n network 192.0.2.0 mask 255.255.255.0 label 5\n",
        )
        .unwrap();
        let printed = c.to_string();
        assert!(
            printed.contains(" network 192.0.2.0/24 label-index 5\n"),
            "{printed}"
        );
    }

    #[test]
    fn ip_with_an_ipv6_prefix_is_ipv6() {
        // Through the parser too (topotests' bgp_invalid_nexthop).
        let c = crate::config::Config::parse("interface eth0\n ip address fc00::1/64\n").unwrap();
        let lines: Vec<&String> = c.contexts[&["interface eth0".to_owned()][..]]
            .lines
            .iter()
            .collect();
        assert_eq!(lines, ["ipv6 address fc00::1/64"]);
        for (kind, typed, spelled) in [
            (
                Kind::Top,
                "ip route fc00::1/128 2001:db8::2",
                "ipv6 route fc00::1/128 2001:db8::2",
            ),
            (
                Kind::Top,
                "no ip route fc00::1/128 blackhole",
                "no ipv6 route fc00::1/128 blackhole",
            ),
            (
                Kind::Vrf,
                "ip route fc00::1/128 2001:db8::2",
                "ipv6 route fc00::1/128 2001:db8::2",
            ),
            (
                Kind::Interface,
                "ip address 2001:db8::1/64",
                "ipv6 address 2001:db8::1/64",
            ),
            (
                Kind::Top,
                "ip prefix-list PL seq 5 permit 2001:db8::/32 le 64",
                "ipv6 prefix-list PL seq 5 permit 2001:db8::/32 le 64",
            ),
            (
                Kind::Top,
                "ip prefix-list PL deny ::/0",
                "ipv6 prefix-list PL deny ::/0",
            ),
        ] {
            assert_eq!(expanded(kind, typed), spelled);
        }
        for (kind, line) in [
            (Kind::Top, "ip route 192.0.2.0/24 198.51.100.1"),
            (Kind::Top, "ip prefix-list PL seq 5 permit any"),
            (Kind::Top, "ip prefix-list PL description a:b"),
            (Kind::Interface, "ip address 192.0.2.1/24"),
            (Kind::RouterBgp, "ip route fc00::1/128 2001:db8::2"),
        ] {
            assert_eq!(expanded(kind, line), line);
        }
    }

    #[test]
    fn table_positions_are_sorted_and_unique() {
        for (kind, path, keywords) in table::POSITIONS {
            assert!(
                keywords.windows(2).all(|w| w[0] < w[1]),
                "{kind:?} {path:?}"
            );
        }
    }

    #[test]
    fn a_line_the_address_family_cannot_take_is_read_as_router_bgp_reads_it() {
        // `rem` is the address family's `remove-private-AS`, which takes no
        // number: vtysh tries `router bgp`, where it is `remote-as`.
        assert_eq!(
            expanded(Kind::BgpAf, "neighbor 192.0.2.1 rem 64513"),
            "neighbor 192.0.2.1 remote-as 64513"
        );
        assert_eq!(
            expanded(Kind::BgpAf, "neighbor 192.0.2.1 rem all"),
            "neighbor 192.0.2.1 remove-private-AS all"
        );
        assert_eq!(
            expanded(Kind::BgpAf, "neighbor 192.0.2.1 remove-private-AS"),
            "neighbor 192.0.2.1 remove-private-AS"
        );
        // Where no enclosing node reads the line, the node's own reading
        // stands (the table lists no argument after `aigp-metric`).
        assert_eq!(
            expanded(Kind::RouteMap, "set aigp 50"),
            "set aigp-metric 50"
        );
    }

    #[test]
    fn a_password_is_told_from_passive_by_the_words_after_it() {
        for (line, full) in [
            ("neighbor 192.0.2.1 pas S", "neighbor 192.0.2.1 password S"),
            (
                "nei 192.0.2.1 pas my secret",
                "neighbor 192.0.2.1 password my secret",
            ),
            (
                "no neighbor 192.0.2.1 pas S",
                "no neighbor 192.0.2.1 password S",
            ),
        ] {
            assert_eq!(expanded(Kind::RouterBgp, line), full, "{line}");
        }
        // `p S` is also `peer-group PG`, `port`, …: refused (FRR too
        // refuses it as ambiguous).
        assert_eq!(
            unresolved(Kind::RouterBgp, "neighbor 192.0.2.1 p S"),
            Some("neighbor 192.0.2.1 p")
        );
    }

    #[test]
    fn router_bgp_neighbor_commands_are_told_from_address_family_ones() {
        for line in [
            "neighbor 192.0.2.1 remote-as 64513",
            "no neighbor 192.0.2.1 password S",
            "neighbor PG timers 1 3",
        ] {
            assert!(only_router_bgp_neighbor(line), "{line}");
        }
        for line in [
            "neighbor 192.0.2.1 activate",
            "neighbor 192.0.2.1 route-map RM in",
            "neighbor 192.0.2.1 remove-private-AS all",
            "network 192.0.2.0/24",
        ] {
            assert!(!only_router_bgp_neighbor(line), "{line}");
        }
    }

    #[test]
    fn bgp_neighbor_keywords_are_written_in_full() {
        for (line, full) in [
            (
                "neighbor 192.0.2.1 passw S",
                "neighbor 192.0.2.1 password S",
            ),
            (
                "nei 192.0.2.1 remote-as 65001",
                "neighbor 192.0.2.1 remote-as 65001",
            ),
            ("neighbor PG peer-g", "neighbor PG peer-group"),
            (
                "neighbor swp1 interface remote-as ext",
                "neighbor swp1 interface remote-as external",
            ),
            (
                "no neighbor 192.0.2.1 desc a b",
                "no neighbor 192.0.2.1 description a b",
            ),
            (
                "neighbor 192.0.2.1 update-s lo",
                "neighbor 192.0.2.1 update-source lo",
            ),
            (
                "neighbor 192.0.2.1 timers conn 10",
                "neighbor 192.0.2.1 timers connect 10",
            ),
            ("address-f ipv4 uni", "address-family ipv4 unicast"),
        ] {
            assert_eq!(expanded(Kind::RouterBgp, line), full, "{line}");
        }
        for (line, full) in [
            ("neighbor 192.0.2.1 act", "neighbor 192.0.2.1 activate"),
            ("neighbor PG route-map RM o", "neighbor PG route-map RM out"),
            (
                "neighbor PG soft-reconfiguration inb",
                "neighbor PG soft-reconfiguration inbound",
            ),
            ("neighbor PG next-hop-s", "neighbor PG next-hop-self"),
        ] {
            assert_eq!(expanded(Kind::BgpAf, line), full, "{line}");
        }
    }

    #[test]
    fn interface_and_top_level_keywords_are_written_in_full() {
        for (kind, line, full) in [
            (Kind::Top, "int eth0", "interface eth0"),
            (Kind::Top, "in eth0", "interface eth0"),
            (
                Kind::Top,
                "ip pref PL seq 5 permit any",
                "ip prefix-list PL seq 5 permit any",
            ),
            (Kind::Top, "route-m RM permit 10", "route-map RM permit 10"),
            (Kind::Top, "router bg 65000", "router bgp 65000"),
            (
                Kind::Interface,
                "ip addr 192.0.2.1/24",
                "ip address 192.0.2.1/24",
            ),
            (
                Kind::Interface,
                "ip ospf authentication-k S",
                "ip ospf authentication-key S",
            ),
            (Kind::Interface, "ip ospf co 10", "ip ospf cost 10"),
            (Kind::Interface, "ipv6 ospf6 co 10", "ipv6 ospf6 cost 10"),
            (Kind::Interface, "ip router is CORE", "ip router isis CORE"),
            (Kind::Interface, "no shut", "no shutdown"),
            (
                Kind::Interface,
                "isis circuit-type level-2",
                "isis circuit-type level-2-only",
            ),
            (Kind::RouteMap, "set aigp 50", "set aigp-metric 50"),
            (Kind::Interface, "int eth1", "interface eth1"),
            (
                Kind::RouteMap,
                "mat ip addr prefix-list PL",
                "match ip address prefix-list PL",
            ),
            (Kind::LinkParams, "inte eth1", "interface eth1"),
            (
                Kind::Vrf,
                "ip prot bgp route-map RM",
                "ip protocol bgp route-map RM",
            ),
            (
                Kind::BgpAf,
                "address-f ipv6 unicast",
                "address-family ipv6 unicast",
            ),
        ] {
            assert_eq!(expanded(kind, line), full, "{kind:?} {line}");
        }
    }

    #[test]
    fn router_keywords_are_written_in_full() {
        for (line, full) in [
            // ospfd.
            (
                "area 0 authentication message-d",
                "area 0 authentication message-digest",
            ),
            (
                "area 0.0.0.1 auth message-digest",
                "area 0.0.0.1 authentication message-digest",
            ),
            (
                "area 1 virtual-link 192.0.2.5 authentication-k S",
                "area 1 virtual-link 192.0.2.5 authentication-key S",
            ),
            (
                "area 1 virtual-link 192.0.2.5 message-d 3 md5 S",
                "area 1 virtual-link 192.0.2.5 message-digest-key 3 md5 S",
            ),
            (
                "area 1 virtual-link 192.0.2.5 auth message-d message-digest-k 2 m S",
                "area 1 virtual-link 192.0.2.5 authentication message-digest \
                 message-digest-key 2 md5 S",
            ),
            ("log-adj", "log-adjacency-changes"),
            ("passive-int default", "passive-interface default"),
            (
                "auto-cost reference-b 1000",
                "auto-cost reference-bandwidth 1000",
            ),
            // `dist 10`: `distance (1-255)` takes the number,
            // `distribute-list` a name and `in|out` after it.
            ("dist 10", "distance 10"),
            // isisd.
            ("area-pass md5 S", "area-password md5 S"),
            (
                "domain-p clear S authenticate snp val",
                "domain-password clear S authenticate snp validate",
            ),
            ("is-type level-2", "is-type level-2-only"),
            ("metric-st wide", "metric-style wide"),
            // pimd.
            (
                "msdp peer 192.0.2.2 pass S",
                "msdp peer 192.0.2.2 password S",
            ),
            // ripd.
            ("vers 2", "version 2"),
        ] {
            assert_eq!(expanded(Kind::Router, line), full, "{line}");
        }
    }

    #[test]
    fn key_chain_and_bfd_keywords_are_written_in_full() {
        for (kind, line, full) in [
            (Kind::KeyChain, "key-str S", "key-string S"),
            (Kind::KeyChain, "key-s my secret", "key-string my secret"),
            (
                Kind::KeyChain,
                "crypto hmac-sha-256",
                "cryptographic-algorithm hmac-sha-256",
            ),
            (
                Kind::KeyChain,
                "send-l 00:00:00 1 jan 2024 inf",
                "send-lifetime 00:00:00 1 jan 2024 infinite",
            ),
            (
                Kind::Bfd,
                "peer 192.0.2.1 multih",
                "peer 192.0.2.1 multihop",
            ),
            (Kind::Bfd, "prof fast", "profile fast"),
            (Kind::BfdChild, "receive-int 300", "receive-interval 300"),
            (Kind::BfdChild, "transmit-i 300", "transmit-interval 300"),
            (Kind::BfdChild, "detect-m 5", "detect-multiplier 5"),
            (Kind::BfdChild, "echo-m", "echo-mode"),
            (Kind::BfdChild, "passive-m", "passive-mode"),
            (Kind::BfdChild, "minimum-t 254", "minimum-ttl 254"),
            (Kind::BfdChild, "no shut", "no shutdown"),
            // A peer's line that opens another peer is the bfd node's.
            (
                Kind::BfdChild,
                "peer 192.0.2.2 multih",
                "peer 192.0.2.2 multihop",
            ),
        ] {
            assert_eq!(expanded(kind, line), full, "{kind:?} {line}");
        }
        // `key 1` is `key`, typed in full, though it starts `key-string`.
        assert!(matches!(
            expand(Kind::KeyChain, "key 1"),
            Ok(Cow::Borrowed("key 1"))
        ));
    }

    #[test]
    fn interface_secrets_are_resolved() {
        for (line, full) in [
            ("ip ospf authentication-k S", "ip ospf authentication-key S"),
            (
                "ip ospf authentication-k S 192.0.2.1",
                "ip ospf authentication-key S 192.0.2.1",
            ),
            // `authentication` takes only an address: `S` is the key's.
            ("ip ospf auth S", "ip ospf authentication-key S"),
            (
                "ip ospf auth message-d",
                "ip ospf authentication message-digest",
            ),
            (
                "ip ospf message-digest-k 1 m S",
                "ip ospf message-digest-key 1 md5 S",
            ),
            (
                "ipv6 ospf6 auth key-id 1 hash-algo hmac-sha-2 key S",
                "ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key S",
            ),
            (
                "ipv6 ospf6 authentication key-i 1 hash-a md5 k S",
                "ipv6 ospf6 authentication key-id 1 hash-algo md5 key S",
            ),
            ("isis passw clear S", "isis password clear S"),
            ("openfabric pass md5 S", "openfabric password md5 S"),
            (
                "ip rip authentication str S",
                "ip rip authentication string S",
            ),
            (
                "ip rip auth mode md5 auth-l rfc",
                "ip rip authentication mode md5 auth-length rfc",
            ),
            (
                "ip rip authentication key-c KC",
                "ip rip authentication key-chain KC",
            ),
            ("ip pim pass", "ip pim passive"),
            ("ip pim drp 10", "ip pim drpriority 10"),
        ] {
            assert_eq!(expanded(Kind::Interface, line), full, "{line}");
        }
        // Typed in full: nothing to do.
        assert!(matches!(
            expand(
                Kind::Interface,
                "ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key S"
            ),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn redistributed_route_types_are_keywords() {
        for kind in [Kind::RouterBgp, Kind::BgpAf] {
            assert_eq!(
                expanded(kind, "redistribute conn route-m RM"),
                "redistribute connected route-map RM"
            );
            assert_eq!(expanded(kind, "redistribute st"), "redistribute static");
            // `ospf`, `openfabric` (and `ospf6` in an address family).
            assert_eq!(unresolved(kind, "redistribute o"), Some("redistribute o"));
        }
        assert_eq!(
            expanded(Kind::Router, "redistribute conn route-m RM"),
            "redistribute connected route-map RM"
        );
        assert_eq!(
            expanded(Kind::RouteMap, "match source-p st"),
            "match source-protocol static"
        );
    }

    #[test]
    fn ambiguous_prefixes_in_the_new_nodes_are_refused() {
        for (kind, line) in [
            // `shortcut`, `stub`.
            (Kind::Router, "area 0 s"),
            // `distance`, `distribute-list`: nothing after it to tell.
            (Kind::Router, "dist"),
            // `echo`, `echo-interval`, `echo-mode`.
            (Kind::BfdChild, "ech"),
            // `hmac-sha-1`, `hmac-sha-256`, `hmac-sha-384`, `hmac-sha-512`.
            (Kind::KeyChain, "cryptographic-algorithm hmac-sha-"),
            (
                Kind::Interface,
                "ipv6 ospf6 auth key-id 1 hash-algo hmac key S",
            ),
            // `ip ospf dead-interval 20`, `ipv6 ospf6 dead-interval 20`:
            // FRR 8.4 and 10.4.3 refuse it as ambiguous.
            (Kind::Interface, "i o d 20"),
        ] {
            let quoted = unresolved(kind, line).unwrap_or_else(|| panic!("{kind:?} {line}"));
            let rest = &line[quoted.len()..];
            assert!(rest.is_empty() || rest.starts_with(' '), "{line}: {quoted}");
        }
    }

    #[test]
    fn full_lines_and_unknown_words_are_borrowed() {
        for (kind, line) in [
            (Kind::Top, "ip prefix-list PL seq 5 permit any"),
            (Kind::Top, "ip addr x"),
            (Kind::Top, "frobnicate now"),
            (Kind::RouterBgp, "neighbor 192.0.2.1 remote-as 65001"),
            (Kind::RouterBgp, "neighbor 192.0.2.1 password pa"),
            (Kind::Interface, "ip ospf cost 10"),
            // `ip` is a keyword in full, though `ipv6` starts with it.
            (Kind::Interface, "ip address 192.0.2.1/24"),
            (Kind::Router, "network 192.0.2.0/24 area 0"),
            (Kind::Router, "rp 192.0.2.1"),
            (Kind::SegmentRouting, "affinity include-any blue"),
            (Kind::Vrf, "ip route 198.18.0.0/16 Null0"),
            // Top-level commands after a block, word for word.
            (Kind::Interface, "ip route 0.0.0.0/0 192.0.2.1"),
            (Kind::Vrf, "router bgp 65002 vrf red"),
        ] {
            assert!(matches!(expand(kind, line), Ok(Cow::Borrowed(_))), "{line}");
        }
    }

    #[test]
    fn ambiguous_prefixes_are_refused() {
        for (kind, line) in [
            (Kind::RouterBgp, "neighbor 192.0.2.1 p S"),
            (Kind::Interface, "ip ospf a 0"),
            (Kind::Top, "i eth0"),
            (Kind::Top, "ip p PL seq 5 permit any"),
            (Kind::Top, "router b 65000"),
        ] {
            let quoted = unresolved(kind, line).unwrap_or_else(|| panic!("{kind:?} {line}"));
            let rest = &line[quoted.len()..];
            assert!(rest.is_empty() || rest.starts_with(' '), "{line}: {quoted}");
        }
        // The rest of the line decides between the keywords a word starts,
        // as FRR matches the whole command: `passive` takes nothing more.
        assert_eq!(
            expanded(Kind::Interface, "isis pass md5 S"),
            "isis password md5 S"
        );
        // `pa S`: `passive` takes nothing, `path-attribute` only its two
        // keywords; FRR too takes it as the password.
        assert_eq!(
            expanded(Kind::RouterBgp, "neighbor 192.0.2.1 pa S"),
            "neighbor 192.0.2.1 password S"
        );
        // Not in a node whose own commands the table does not know, nor
        // for the enclosing node's commands.
        assert_eq!(expanded(Kind::Ldp, "i x"), "i x");
        // Never into one of vtysh's own commands, which the parser refuses
        // (pathd's `config` is not `configuration`).
        assert_eq!(expanded(Kind::Interface, "no config"), "no config");
        assert_eq!(expanded(Kind::Interface, "rout x"), "rout x");
    }
}
