//! Hides secrets (BGP, LDP and MSDP passwords, OSPF, OSPFv3, IS-IS, RIP and
//! NHRP keys, key-chain `key-string`s, PCEP's `tcp-md5-auth`, vty
//! passwords) in configuration text before it leaves the agent in a result,
//! a log line, an event, a status file or a metric.
//!
//! A command is recognized as FRR's CLI resolves it, not by its spelling: a
//! keyword matches itself or any prefix of it (`nei 192.0.2.1 pas S`), and
//! when several commands fit the words, FRR's pick wins, compared word by
//! word: a typed argument (number, address) before a keyword before a free
//! word, and among keywords the exact one before a prefix (`key 1` in a key
//! chain is `key`, not `key-string`). The commands that hold a secret, and
//! those that compete with them for the same words, are written below in
//! FRR's notation, from FRR's sources.
//!
//! A command that commits to a secret (`area-password`) but then does not
//! fit (`area-password S3CRET`: FRR refuses it, and echoes it back) is
//! hidden from where it stops fitting: over-redacting an invalid line is
//! harmless, leaking is not. Messages quote commands after a `:`, a `;`, a
//! ` / ` or an opening quote; a command is looked for there too.
//!
//! Most texts hold no secret: a text none of whose words could be the
//! keyword a secret follows (or a prefix of it) is not copied.

use std::borrow::Cow;
use std::sync::LazyLock;

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// A command that holds a secret, in FRR's notation (`[no]` implied):
/// `command` up to the keyword that commits it to a secret, then `args`,
/// where every free word (`WORD`, `LINE...`) is secret.
struct Secret {
    /// Up to and including the committing keyword.
    command: &'static str,
    /// What follows; `NAME...` is the rest of the line.
    args: &'static str,
}

/// Every command of FRR that takes or prints a secret. A `LINE` is taken as
/// the rest of the line: a northbound-set key may hold spaces.
const SECRETS: &[Secret] = &[
    // bgpd/bgp_vty.c: `neighbor <A.B.C.D|X:X::X:X|WORD> password LINE`;
    // ldpd/ldp_vty_cmds.c: `neighbor A.B.C.D password WORD` (`mpls ldp`).
    Secret {
        command: "neighbor PEER password",
        args: "LINE...",
    },
    // ospfd/ospf_vty.c, and its hidden aliases without `ip`.
    Secret {
        command: "[ip] ospf authentication-key",
        args: "AUTH_KEY [A.B.C.D]",
    },
    Secret {
        command: "[ip] ospf message-digest-key",
        args: "(1-255) md5 KEY [A.B.C.D]",
    },
    Secret {
        command: "area <A.B.C.D|(0-4294967295)> virtual-link A.B.C.D \
                  [authentication [<key-chain KEYCHAIN_NAME|message-digest|null>]] \
                  authentication-key",
        args: "AUTH_KEY",
    },
    Secret {
        command: "area <A.B.C.D|(0-4294967295)> virtual-link A.B.C.D \
                  [authentication [<key-chain KEYCHAIN_NAME|message-digest|null>]] \
                  message-digest-key",
        args: "(1-255) md5 KEY",
    },
    // ospf6d/ospf6_interface.c.
    Secret {
        command: "ipv6 ospf6 authentication",
        args: "key-id (1-65535) hash-algo \
               <md5|hmac-sha-1|hmac-sha-256|hmac-sha-384|hmac-sha-512> key KEY",
    },
    // isisd/isis_cli.c (isisd), isisd/isis_vty_fabricd.c (fabricd).
    Secret {
        command: "<area-password|domain-password>",
        args: "<clear|md5> WORD [authenticate snp <send-only|validate>]",
    },
    Secret {
        command: "<isis|openfabric> password",
        args: "<md5|clear> WORD",
    },
    // ripd/rip_cli.c.
    Secret {
        command: "ip rip authentication",
        args: "string LINE...",
    },
    // lib/keychain_cli.c.
    Secret {
        command: "key-string",
        args: "LINE...",
    },
    // lib/command.c (`WORD`), vtysh/vtysh.c (`LINE`).
    Secret {
        command: "[enable] password",
        args: "[(8-8)] LINE...",
    },
    // pimd/pim_cmd.c (`router pim`): `msdp peer A.B.C.D password WORD`,
    // and the `ip msdp` form of older FRR; any peer word, to hide a typo's.
    Secret {
        command: "[ip] msdp peer PEER password",
        args: "WORD",
    },
    // nhrpd/nhrp_vty.c.
    Secret {
        command: "<ip|ipv6> nhrp authentication",
        args: "PASSWORD",
    },
    // pathd/path_pcep_cli.c.
    Secret {
        command: "tcp-md5-auth",
        args: "WORD",
    },
];

/// Commands without a secret that compete with the ones above for the same
/// words (`[no]` implied), so that FRR's pick can be made.
const PLAIN: &[&str] = &[
    // ospfd/ospf_vty.c: `authentication` is a prefix of `authentication-key`.
    "ip ospf authentication [<null|message-digest|key-chain KEYCHAIN_NAME>] [A.B.C.D]",
    "area <A.B.C.D|(0-4294967295)> virtual-link A.B.C.D \
     [authentication [<key-chain KEYCHAIN_NAME|message-digest|null>]]",
    // Every other `area` command of `router ospf`: `area` is a prefix of
    // IS-IS's `area-password`.
    "area <A.B.C.D|(0-4294967295)> LINE...",
    // ospf6d/ospf6_interface.c.
    "ipv6 ospf6 authentication keychain KEYCHAIN_NAME",
    // ripd/rip_cli.c.
    "ip rip authentication mode <md5 [auth-length <rfc|old-ripd>]|text>",
    "ip rip authentication key-chain KEYCHAIN",
    // lib/keychain_cli.c, vtysh/vtysh.c: `key` is a prefix of `key-string`.
    "key (0-2147483647)",
    "key chain WORD",
];

/// One element of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A keyword: matches itself or any prefix of it.
    Keyword(&'static str),
    /// An integer in `(low-high)`.
    Range(u64, u64),
    /// An IPv4 address (`A.B.C.D`).
    Ipv4,
    /// Any one word (`WORD`, `LINE`).
    Word,
    /// Every word to the end of the line (`LINE...`).
    Rest,
}

impl Token {
    /// The token a word of FRR's notation stands for.
    fn parse(word: &'static str) -> Token {
        if let Some(range) = word.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
            let bound = |b: &str| b.parse().expect("a range of the table is numeric");
            let (low, high) = range.split_once('-').expect("a range has two bounds");
            return Token::Range(bound(low), bound(high));
        }
        if word == "A.B.C.D" {
            Token::Ipv4
        } else if word.ends_with("...") {
            Token::Rest
        } else if word.starts_with(|c: char| c.is_ascii_uppercase()) {
            Token::Word
        } else {
            Token::Keyword(word)
        }
    }

    /// How well `word` fits (lower is better, compared as FRR does: the
    /// kind first, then an exact keyword before a prefix), if at all.
    fn rank(self, word: &str) -> Option<u8> {
        match self {
            Token::Keyword(k) if k == word => Some(6),
            Token::Keyword(k) if !word.is_empty() && k.starts_with(word) => Some(7),
            Token::Keyword(_) => None,
            Token::Range(low, high) => {
                let n: u64 = word.parse().ok()?;
                (low..=high).contains(&n).then_some(4)
            }
            Token::Ipv4 => word.parse::<std::net::Ipv4Addr>().ok().map(|_| 4),
            Token::Word | Token::Rest => Some(8),
        }
    }

    /// Whether this token, in the arguments of a [`Secret`], is secret.
    fn holds_secret(self) -> bool {
        matches!(self, Token::Word | Token::Rest)
    }
}

/// One expanded form of a command.
#[derive(Debug)]
struct Template {
    /// Its tokens, each with whether it is secret.
    slots: Vec<(Token, bool)>,
    /// Index of the first slot after the committing keyword (the length
    /// for a command without a secret).
    commit: usize,
    /// Index of the last secret slot, if any.
    last_secret: Option<usize>,
}

/// All forms of [`SECRETS`] and [`PLAIN`], and the keywords a secret
/// follows.
struct Grammar {
    templates: Vec<Template>,
    /// The committing keywords: a text with a secret has one, or a prefix
    /// of one, as a word.
    triggers: Vec<&'static str>,
    /// Whether a byte starts one of `triggers` (a quick first test).
    first_bytes: [bool; 256],
}

static GRAMMAR: LazyLock<Grammar> = LazyLock::new(Grammar::build);

impl Grammar {
    fn build() -> Grammar {
        let mut templates = Vec::new();
        let mut triggers = Vec::new();
        for secret in SECRETS {
            for command in with_no(expand(secret.command)) {
                if let Some(&Token::Keyword(k)) = command.last() {
                    triggers.push(k);
                }
                for args in expand(secret.args) {
                    let mut slots: Vec<(Token, bool)> =
                        command.iter().map(|&t| (t, false)).collect();
                    slots.extend(args.iter().map(|&t| (t, t.holds_secret())));
                    let last_secret = slots.iter().rposition(|&(_, secret)| secret);
                    templates.push(Template {
                        slots,
                        commit: command.len(),
                        last_secret,
                    });
                }
            }
        }
        for plain in PLAIN {
            for command in with_no(expand(plain)) {
                templates.push(Template {
                    commit: command.len(),
                    slots: command.into_iter().map(|t| (t, false)).collect(),
                    last_secret: None,
                });
            }
        }
        triggers.sort_unstable();
        triggers.dedup();
        let mut first_bytes = [false; 256];
        for trigger in &triggers {
            first_bytes[usize::from(trigger.as_bytes()[0])] = true;
        }
        Grammar {
            templates,
            triggers,
            first_bytes,
        }
    }

    /// Whether `word` could be a committing keyword.
    fn may_commit(&self, word: &str) -> bool {
        let word = core(word);
        match word.as_bytes().first() {
            Some(&b) if self.first_bytes[usize::from(b)] => {
                self.triggers.iter().any(|t| t.starts_with(word))
            }
            _ => false,
        }
    }

    /// Whether any word of `text` could be a committing keyword: a text
    /// with a secret has one.
    fn suspects(&self, text: &str) -> bool {
        text.split_ascii_whitespace().any(|w| self.may_commit(w))
    }
}

/// `forms`, and each of them after `no`.
fn with_no(forms: Vec<Vec<Token>>) -> Vec<Vec<Token>> {
    let negated: Vec<Vec<Token>> = forms
        .iter()
        .map(|form| [&[Token::Keyword("no")][..], form].concat())
        .collect();
    forms.into_iter().chain(negated).collect()
}

/// Every token sequence `syntax` (FRR's notation: `[optional]`,
/// `<one|other>`) accepts.
fn expand(syntax: &'static str) -> Vec<Vec<Token>> {
    let symbols = lex(syntax);
    let mut at = 0;
    let sequences = sequence(&symbols, &mut at);
    assert_eq!(at, symbols.len(), "unbalanced brackets in `{syntax}`");
    sequences
}

/// The words and brackets of `syntax`.
fn lex(syntax: &'static str) -> Vec<&'static str> {
    let mut symbols = Vec::new();
    for word in syntax.split_ascii_whitespace() {
        let mut rest = word;
        while let Some(i) = rest.find(['[', ']', '<', '>', '|']) {
            if i > 0 {
                symbols.push(&rest[..i]);
            }
            symbols.push(&rest[i..=i]);
            rest = &rest[i + 1..];
        }
        if !rest.is_empty() {
            symbols.push(rest);
        }
    }
    symbols
}

/// The forms of the symbols from `at` up to a closing bracket or a `|`.
fn sequence(symbols: &[&'static str], at: &mut usize) -> Vec<Vec<Token>> {
    let mut forms = vec![Vec::new()];
    while let Some(&symbol) = symbols.get(*at) {
        let choices = match symbol {
            "]" | ">" | "|" => break,
            "[" => {
                *at += 1;
                let mut choices = group(symbols, at);
                choices.push(Vec::new());
                choices
            }
            "<" => {
                *at += 1;
                group(symbols, at)
            }
            word => {
                *at += 1;
                vec![vec![Token::parse(word)]]
            }
        };
        forms = forms
            .iter()
            .flat_map(|head| choices.iter().map(move |tail| [&head[..], tail].concat()))
            .collect();
    }
    forms
}

/// The alternatives of a group, its closing bracket consumed.
fn group(symbols: &[&'static str], at: &mut usize) -> Vec<Vec<Token>> {
    let mut choices = Vec::new();
    loop {
        choices.extend(sequence(symbols, at));
        let closing = symbols.get(*at).copied();
        *at += 1;
        if closing != Some("|") {
            return choices;
        }
    }
}

/// A word without the quotes and punctuation a message puts around it.
fn core(word: &str) -> &str {
    word.trim_start_matches(['`', '\'', '"'])
        .trim_end_matches(['`', '\'', '"', ')', ';', ',', ':'])
}

/// How a template fits the words from a start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Every word, as FRR would take the command.
    Exact,
    /// The whole template, and more words follow.
    Longer,
    /// The words run out first.
    Shorter,
    /// A committed command that stops fitting before its secret ends.
    Broken,
}

/// What of a line to hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hide {
    /// One word (its index).
    Word(usize),
    /// From a word (its index) to the end of the line.
    Rest(usize),
}

/// A template that fits the words from a start.
struct Candidate {
    fit: Fit,
    /// How well each word fits (see [`Token::rank`]).
    ranks: Vec<u8>,
    hidden: Vec<Hide>,
}

impl Template {
    /// How the template fits `words` (the cores of a line's words from
    /// index `start`), if it does.
    fn fit(&self, words: &[&str], start: usize) -> Option<Candidate> {
        // Most templates fail on the first word: before any allocation.
        if let (Some(&(first, _)), Some(word)) = (self.slots.first(), words.first()) {
            first.rank(word)?;
        }
        let mut candidate = Candidate {
            fit: Fit::Exact,
            ranks: Vec::with_capacity(words.len()),
            hidden: Vec::new(),
        };
        for (i, &(token, secret)) in self.slots.iter().enumerate() {
            let Some(word) = words.get(i) else {
                candidate.fit = Fit::Shorter;
                return Some(candidate);
            };
            let Some(rank) = token.rank(word) else {
                if i < self.commit || !matches!(self.last_secret, Some(last) if i <= last) {
                    return None;
                }
                candidate.fit = Fit::Broken;
                candidate.hidden.push(Hide::Rest(start + i));
                return Some(candidate);
            };
            if token == Token::Rest {
                candidate.ranks.resize(words.len(), rank);
                if secret {
                    candidate.hidden.push(Hide::Rest(start + i));
                }
                return Some(candidate);
            }
            candidate.ranks.push(rank);
            if secret {
                candidate.hidden.push(Hide::Word(start + i));
            }
        }
        if words.len() > self.slots.len() {
            candidate.fit = Fit::Longer;
        }
        Some(candidate)
    }
}

/// What to hide of the command that starts at word `start` of `words`:
/// FRR's pick among the templates that take every word (all of them on a
/// tie), else every secret any template sees there (of the broken ones,
/// those that fit the most words).
fn hidden_from(words: &[&str], start: usize) -> Vec<Hide> {
    let candidates: Vec<Candidate> = GRAMMAR
        .templates
        .iter()
        .filter_map(|t| t.fit(&words[start..], start))
        .collect();
    let exact = candidates.iter().filter(|c| c.fit == Fit::Exact);
    if let Some(best) = exact.clone().map(|c| &c.ranks).min() {
        return exact
            .filter(|c| &c.ranks == best)
            .flat_map(|c| c.hidden.iter().copied())
            .collect();
    }
    let broken = |c: &&Candidate| c.fit == Fit::Broken;
    let furthest = candidates
        .iter()
        .filter(broken)
        .map(|c| c.ranks.len())
        .max();
    candidates
        .iter()
        .filter(|c| !broken(c) || Some(c.ranks.len()) == furthest)
        .flat_map(|c| c.hidden.iter().copied())
        .collect()
}

/// Whether a command may start at word `i`: the first word, one after a
/// word ending a message's part (`command:`, `A;`, the ` / ` of a
/// context), or one that opens a quote.
fn starts_command(raw: &[&str], i: usize) -> bool {
    i == 0
        || raw[i].starts_with(['`', '\'', '"'])
        || raw[i - 1].ends_with([':', ';'])
        || raw[i - 1] == "/"
}

/// The byte spans of the whitespace-separated words of `line`.
fn word_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, byte) in line.bytes().enumerate() {
        match (byte.is_ascii_whitespace(), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, line.len()));
    }
    spans
}

/// One line with its secrets replaced by [`REDACTED`].
pub fn redact_line(line: &str) -> Cow<'_, str> {
    if !GRAMMAR.suspects(line) {
        return Cow::Borrowed(line);
    }
    let spans = word_spans(line);
    let raw: Vec<&str> = spans.iter().map(|&(s, e)| &line[s..e]).collect();
    let words: Vec<&str> = raw.iter().map(|w| core(w)).collect();
    let mut hidden: Vec<(usize, usize)> = (0..words.len())
        .filter(|&i| starts_command(&raw, i))
        .flat_map(|i| hidden_from(&words, i))
        .map(|hide| match hide {
            Hide::Word(i) => spans[i],
            Hide::Rest(i) => (spans[i].0, spans[spans.len() - 1].1),
        })
        .collect();
    if hidden.is_empty() {
        return Cow::Borrowed(line);
    }
    hidden.sort_unstable();
    Cow::Owned(replace(line, &hidden))
}

/// `line` with each of the sorted byte spans `hidden` (which may overlap)
/// replaced by [`REDACTED`].
fn replace(line: &str, hidden: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(line.len());
    let mut done = 0;
    for &(start, end) in hidden {
        if end <= done {
            continue;
        }
        if start >= done {
            out.push_str(&line[done..start]);
            out.push_str(REDACTED);
        }
        done = end;
    }
    out.push_str(&line[done..]);
    out
}

/// Replaces the secrets of `text` in place; a text without any (the usual
/// case) is not copied.
pub fn redact_in_place(text: &mut String) {
    if GRAMMAR.suspects(text) {
        *text = redact(text);
    }
}

/// A whole text with the secrets of every line replaced.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        out.push_str(&redact_line(body));
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::grammar::Kind;
    use crate::config::keywords;

    /// Lines with a secret, full and abbreviated, and what they become.
    const SECRET_LINES: &[(&str, &str)] = &[
        // BGP, LDP.
        (
            " neighbor 192.0.2.1 password S3CRET",
            " neighbor 192.0.2.1 password <redacted>",
        ),
        (
            "nei 192.0.2.1 passw S3CRET",
            "nei 192.0.2.1 passw <redacted>",
        ),
        ("nei 192.0.2.1 pas S3CRET", "nei 192.0.2.1 pas <redacted>"),
        ("n PEERS p S3CRET", "n PEERS p <redacted>"),
        (
            " neighbor 2001:db8::1 password S3CRET with spaces",
            " neighbor 2001:db8::1 password <redacted>",
        ),
        (
            "no neighbor 192.0.2.1 password S3CRET",
            "no neighbor 192.0.2.1 password <redacted>",
        ),
        // OSPF.
        (
            " ip ospf authentication-key S3CRET",
            " ip ospf authentication-key <redacted>",
        ),
        (
            " ip ospf authentication-k S3CRET",
            " ip ospf authentication-k <redacted>",
        ),
        ("ip ospf auth S3CRET", "ip ospf auth <redacted>"),
        (
            "ip ospf authentication-key S3CRET 192.0.2.7",
            "ip ospf authentication-key <redacted> 192.0.2.7",
        ),
        (
            "ospf authentication-key S3CRET",
            "ospf authentication-key <redacted>",
        ),
        (
            "no ip ospf authentication-key S3CRET",
            "no ip ospf authentication-key <redacted>",
        ),
        (
            " ip ospf message-digest-key 1 md5 S3CRET",
            " ip ospf message-digest-key 1 md5 <redacted>",
        ),
        (
            "ip ospf message-d 1 md5 S3CRET",
            "ip ospf message-d 1 md5 <redacted>",
        ),
        (
            "ip ospf m 255 m S3CRET 192.0.2.7",
            "ip ospf m 255 m <redacted> 192.0.2.7",
        ),
        (
            "ospf message-digest-key 1 md5 S3CRET",
            "ospf message-digest-key 1 md5 <redacted>",
        ),
        (
            " area 0.0.0.1 virtual-link 192.0.2.5 authentication-key S3CRET",
            " area 0.0.0.1 virtual-link 192.0.2.5 authentication-key <redacted>",
        ),
        (
            " area 0.0.0.1 virtual-link 192.0.2.5 message-digest-key 3 md5 S3CRET",
            " area 0.0.0.1 virtual-link 192.0.2.5 message-digest-key 3 md5 <redacted>",
        ),
        (
            "area 1 virtual-link 192.0.2.5 authentication message-digest message-digest-key 2 md5 S3CRET",
            "area 1 virtual-link 192.0.2.5 authentication message-digest message-digest-key 2 md5 <redacted>",
        ),
        (
            "area 1 v 192.0.2.5 auth null authentication-k S3CRET",
            "area 1 v 192.0.2.5 auth null authentication-k <redacted>",
        ),
        ("area 1 v 192.0.2.5 a S3CRET", "area 1 v 192.0.2.5 a <redacted>"),
        // OSPFv3: the secret, not the word `key`.
        (
            " ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key S3CRET",
            " ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key <redacted>",
        ),
        (
            "ipv6 ospf6 auth key-id 1 hash-algo hmac-sha-256 k S3CRET",
            "ipv6 ospf6 auth key-id 1 hash-algo hmac-sha-256 k <redacted>",
        ),
        (
            "ipv6 ospf6 a k 65535 h md5 k S3CRET",
            "ipv6 ospf6 a k 65535 h md5 k <redacted>",
        ),
        // IS-IS, openfabric: the trailing words are not secret.
        (
            " area-password md5 S3CRET authenticate snp validate",
            " area-password md5 <redacted> authenticate snp validate",
        ),
        ("area-p c S3CRET", "area-p c <redacted>"),
        (
            " domain-password clear S3CRET",
            " domain-password clear <redacted>",
        ),
        (
            "domain-pass md5 S3CRET authenticate snp send-only",
            "domain-pass md5 <redacted> authenticate snp send-only",
        ),
        (
            " isis password md5 S3CRET",
            " isis password md5 <redacted>",
        ),
        ("isis pass md5 S3CRET", "isis pass md5 <redacted>"),
        (
            " openfabric password clear S3CRET",
            " openfabric password clear <redacted>",
        ),
        ("openf passw c S3CRET", "openf passw c <redacted>"),
        // RIP.
        (
            " ip rip authentication string S3CRET",
            " ip rip authentication string <redacted>",
        ),
        ("ip rip auth str S3CRET", "ip rip auth str <redacted>"),
        // Key chains.
        ("  key-string S3CRET", "  key-string <redacted>"),
        ("  key-str S3CRET", "  key-str <redacted>"),
        ("key-s S3CRET with spaces", "key-s <redacted>"),
        ("ke S3CRET", "ke <redacted>"),
        ("no key-string S3CRET", "no key-string <redacted>"),
        // vty.
        ("password S3CRET", "password <redacted>"),
        ("password 8 S3CRET", "password 8 <redacted>"),
        ("password 8", "password <redacted>"),
        ("pass S3CRET", "pass <redacted>"),
        ("enable password S3CRET", "enable password <redacted>"),
        ("en passw 8 S3CRET", "en passw 8 <redacted>"),
        // MSDP.
        (
            " msdp peer 192.0.2.2 password S3CRET",
            " msdp peer 192.0.2.2 password <redacted>",
        ),
        (
            "msdp peer 192.0.2.2 pass S3CRET",
            "msdp peer 192.0.2.2 pass <redacted>",
        ),
        (
            "ip msdp peer 192.0.2.2 password S3CRET",
            "ip msdp peer 192.0.2.2 password <redacted>",
        ),
        (
            "ms pe peer-typo passw S3CRET",
            "ms pe peer-typo passw <redacted>",
        ),
        // NHRP.
        (
            " ip nhrp authentication S3CRET",
            " ip nhrp authentication <redacted>",
        ),
        ("ipv6 nhrp auth S3CRET", "ipv6 nhrp auth <redacted>"),
        // PCEP.
        ("   tcp-md5-auth S3CRET", "   tcp-md5-auth <redacted>"),
        ("tcp-md5 S3CRET", "tcp-md5 <redacted>"),
        // Committed, then not fitting: FRR refuses it and echoes it.
        ("area-password S3CRET", "area-password <redacted>"),
        (
            "ip ospf message-digest-key S3CRET",
            "ip ospf message-digest-key <redacted>",
        ),
        (
            "ipv6 ospf6 authentication key-id 1 hash-algo md5 S3CRET",
            "ipv6 ospf6 authentication key-id 1 hash-algo md5 <redacted>",
        ),
        (
            "ip rip authentication S3CRET",
            "ip rip authentication <redacted>",
        ),
        // Messages that quote a command.
        (
            "line 3: % Unknown command: nei 192.0.2.1 pas S3CRET",
            "line 3: % Unknown command: nei 192.0.2.1 pas <redacted>",
        ),
        (
            "configuration rejected: line 2: % Unknown command[9]: ip ospf authentication-k S3CRET; line 4: x",
            "configuration rejected: line 2: % Unknown command[9]: ip ospf authentication-k <redacted> line 4: x",
        ),
        (
            "`ip rip authentication string S3CRET` is not what FRR runs",
            "`ip rip authentication string <redacted>",
        ),
        (
            "commands still differ: router bgp 1 / nei 192.0.2.1 pas S3CRET; key chain KC / key 1 / key-string S3CRET",
            "commands still differ: router bgp 1 / nei 192.0.2.1 pas <redacted>",
        ),
        (
            "vtysh -c 'isis password md5 S3CRET'",
            "vtysh -c 'isis password md5 <redacted>",
        ),
    ];

    /// Lines without a secret, some of which look like one.
    const PLAIN_LINES: &[&str] = &[
        " key 1",
        "key 1",
        "ke 1",
        "no key 1",
        "key chain KC",
        " ip ospf authentication",
        " ip ospf authentication message-digest",
        "ip ospf auth message-digest",
        "ip ospf authentication null",
        "ip ospf authentication 192.0.2.7",
        "ip ospf auth key-chain KC",
        "no ip ospf authentication-key",
        " ip rip authentication key-chain KC",
        " ip rip authentication mode md5 auth-length rfc",
        "ip rip auth mode text",
        " neighbor 192.0.2.1 remote-as 64600",
        " neighbor 192.0.2.1 passive",
        "no neighbor 192.0.2.1 password",
        " area 0.0.0.0 authentication message-digest",
        " area 0 virtual-link 192.0.2.5 authentication message-digest",
        " area 0 range 10.0.0.0/8",
        " ipv6 ospf6 authentication keychain KC",
        "ipv6 ospf6 auth k KC",
        "service password-encryption",
        "no password",
        "no enable password",
        "no area-password",
        " isis passive",
        "ip prefix-list password seq 5 permit any",
        "route-map p permit 10",
        "(pass 1 script, 3 commands)",
        "  cryptographic-algorithm md5",
        " ip authentication mode eigrp 1 md5",
        " ip authentication key-chain eigrp 1 KC",
        " description password: none here, only key 1",
        "",
        "   ",
    ];

    /// Abbreviated lines with a secret, in the node the parser reads them
    /// in: the parser writes them in full (`keywords.rs`), and both forms
    /// reach the redaction (the desired text as typed, the delta in full).
    const ABBREVIATED_SECRETS: &[(Kind, &str)] = &[
        (Kind::Interface, "ip ospf authentication-k S3CRET"),
        (Kind::Interface, "ip ospf auth S3CRET"),
        (Kind::Interface, "ip ospf message-digest-k 1 m S3CRET"),
        (Kind::Interface, "ospf message-d 1 md S3CRET"),
        (
            Kind::Interface,
            "ipv6 ospf6 authentication key-i 1 hash-a md5 k S3CRET",
        ),
        (
            Kind::Interface,
            "ipv6 ospf6 auth key-id 1 hash-algo hmac-sha-2 key S3CRET",
        ),
        (Kind::Interface, "isis passw clear S3CRET"),
        (Kind::Interface, "openfabric pass md5 S3CRET"),
        (Kind::Interface, "ip rip authentication str S3CRET"),
        (Kind::Interface, "ip rip auth string S3CRET"),
        (
            Kind::Router,
            "area 1 virtual-link 192.0.2.5 authentication-k S3CRET",
        ),
        (
            Kind::Router,
            "area 1 virtual-link 192.0.2.5 message-d 3 m S3CRET",
        ),
        (
            Kind::Router,
            "area 1 virtual-link 192.0.2.5 auth message-d message-digest-k 2 m S3CRET",
        ),
        (Kind::Router, "area-pass md5 S3CRET"),
        (Kind::Router, "domain-p clear S3CRET authenticate snp val"),
        (Kind::Router, "msdp peer 192.0.2.2 pass S3CRET"),
        (Kind::KeyChain, "key-str S3CRET"),
        (Kind::KeyChain, "key-s S3CRET"),
        (Kind::RouterBgp, "nei 192.0.2.1 pas S3CRET"),
    ];

    #[test]
    fn abbreviated_secrets_are_hidden_as_typed_and_as_expanded() {
        for &(kind, line) in ABBREVIATED_SECRETS {
            let full = keywords::expand(kind, line).expect("resolved");
            assert_ne!(full, line, "{kind:?} {line}: written in full");
            for text in [line, full.as_ref()] {
                let got = redact_line(text);
                assert!(!got.contains("S3CRET"), "leaked: {text:?} -> {got:?}");
                assert!(got.contains(REDACTED), "{text:?} -> {got:?}");
            }
        }
    }

    #[test]
    fn every_secret_is_hidden_and_the_rest_kept() {
        for &(line, want) in SECRET_LINES {
            let got = redact_line(line);
            assert!(!got.contains("S3CRET"), "leaked: {line:?} -> {got:?}");
            assert_eq!(got, want, "{line:?}");
        }
    }

    #[test]
    fn lines_without_a_secret_are_untouched_and_not_copied() {
        for &line in PLAIN_LINES {
            let got = redact_line(line);
            assert!(
                matches!(got, Cow::Borrowed(_)),
                "changed: {line:?} -> {got:?}"
            );
        }
    }

    #[test]
    fn every_command_commits_on_a_keyword() {
        for secret in SECRETS {
            for form in expand(secret.command) {
                assert!(
                    matches!(form.last(), Some(Token::Keyword(_))),
                    "{}",
                    secret.command
                );
            }
            assert!(expand(secret.args)
                .iter()
                .all(|args| args.iter().any(|t| t.holds_secret())));
        }
    }

    #[test]
    fn notation_expands_groups() {
        let forms = expand("a [b <c|D>] (1-9)");
        assert_eq!(
            forms,
            vec![
                vec![
                    Token::Keyword("a"),
                    Token::Keyword("b"),
                    Token::Keyword("c"),
                    Token::Range(1, 9)
                ],
                vec![
                    Token::Keyword("a"),
                    Token::Keyword("b"),
                    Token::Word,
                    Token::Range(1, 9)
                ],
                vec![Token::Keyword("a"), Token::Range(1, 9)],
            ]
        );
    }

    #[test]
    fn whole_text_keeps_its_line_ends_and_spacing() {
        let text = "router bgp 1\n neighbor 192.0.2.1  password pw\r\nexit\n";
        let want = "router bgp 1\n neighbor 192.0.2.1  password <redacted>\r\nexit\n";
        assert_eq!(redact(text), want);
        assert_eq!(redact("no end"), "no end");
        let mut text = text.to_owned();
        redact_in_place(&mut text);
        assert_eq!(text, want);
    }

    #[test]
    fn a_large_text_without_a_secret_is_not_copied() {
        let mut text = String::new();
        for i in 0..100_000 {
            text.push_str(&format!(
                "ip prefix-list big seq {i} permit 198.18.{}.{}/32\n",
                i / 256 % 256,
                i % 256
            ));
        }
        text.push_str("router bgp 1\n neighbor 192.0.2.1 remote-as 2\n");
        let before = text.as_ptr();
        redact_in_place(&mut text);
        assert_eq!(text.as_ptr(), before);
    }
}
