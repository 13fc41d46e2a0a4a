//! Lines that are vtysh's own commands, not configuration. vtysh runs them
//! wherever they appear in a file, even in FRR's check (`vtysh --dryrun
//! -f`), and the agent's long-lived vtysh keeps what they set: `output
//! file FILE` makes vtysh, running as root, create or append to FILE. A
//! line that is one is refused, in any node, at any indentation, before
//! any of its configuration reaches vtysh.
//!
//! The words come from FRR's vtysh (8.4 and 10.4): the commands vtysh
//! installs in every node or at the top level that are not configuration,
//! and the exec commands (view and enable nodes), which `do` reaches from
//! configuration mode.

/// A keyword refused, and the reason given.
struct Refused {
    keyword: &'static str,
    reason: &'static str,
    /// Named by the reason only when a word abbreviates no other keyword
    /// (`sh` is taken for `show`, not `sharp`).
    rare: bool,
}

/// [`Refused`] entries for `refused![common "output", rare "sharp", …]`.
macro_rules! refused {
    ($($rank:ident $word:literal),* $(,)?) => {
        &[$(Refused {
            keyword: $word,
            reason: concat!("not a configuration command (vtysh `", $word, "`): refused"),
            rare: refused!(@$rank),
        }),*]
    };
    (@common) => { false };
    (@rare) => { true };
}

/// First words of vtysh commands that are not configuration, sorted by
/// keyword (byte order): the keywords a word abbreviates follow one
/// another, from the first one not below it.
///
/// In configuration mode (every node, or the top level):
/// - `output` (`[no] output file FILE`): vtysh writes what it prints to
///   FILE from then on;
/// - `list`, `find`, `show` (`show cli graph`, `show history`), `help`,
///   `autocomplete`: print commands (`list` about 50 KB);
/// - `terminal` (`[no] terminal paginate`): vtysh's terminal;
/// - `do`: runs any exec command below from configuration mode;
/// - `XFRR_start_configuration`, `XFRR_end_configuration`: vtysh's own
///   markers around a file, on which the daemons apply what they hold;
/// - `mgmt` (FRR 10's mgmtd: `load-config FILE`, `save-config … FILE`,
///   `commit`, `rollback`, `edit`), `clear` (FRR 10: `clear log
///   filter-text`), `yang` (`yang module-translator load FILE`),
///   `configuration` (`configuration load FILE`): actions, never printed
///   in a running configuration.
///
/// Exec commands: `configure`, `copy`, `write`, `clear`, `disable`,
/// `ping`, `traceroute`, `mtrace` (these three run programs), `rollback`,
/// `watchfrr`, `start-shell` (older vtysh), and those of developer builds
/// and test daemons (`add`, `grammar`, `script`, `sharp`, `skiplist`,
/// `test`, `who`).
///
/// Not here though exec commands start with them: `enable` (`enable
/// password` is configuration, and link-params' `enable`), `echo` (a bfd
/// peer's), `debug`, `logmsg` (`log` abbreviates it); `end`, `exit` and
/// `quit`, which the parser follows.
const REFUSED: &[Refused] = refused![
    rare "XFRR_end_configuration",
    rare "XFRR_start_configuration",
    rare "add",
    rare "autocomplete",
    common "clear",
    rare "configuration",
    common "configure",
    common "copy",
    common "disable",
    common "do",
    common "find",
    rare "grammar",
    common "help",
    common "list",
    rare "mgmt",
    rare "mtrace",
    common "output",
    common "ping",
    rare "rollback",
    rare "script",
    rare "sharp",
    common "show",
    rare "skiplist",
    rare "start-shell",
    common "terminal",
    rare "test",
    common "traceroute",
    rare "watchfrr",
    rare "who",
    common "write",
    rare "yang",
];

/// Configuration keywords that abbreviate a refused one: `config` (a pathd
/// PCE's) of `configure` and `configuration`.
const CONFIGURATION_WORDS: &[&str] = &["config"];

/// Bit `b` set for the first byte `b` of each keyword (all ASCII). Most
/// lines start with another one (`ip …`, `neighbor …`): they are let
/// through on that byte.
const FIRST_BYTES: u128 = first_bytes(REFUSED);

const fn first_bytes(refused: &[Refused]) -> u128 {
    let mut bits = 0;
    let mut i = 0;
    while i < refused.len() {
        bits |= 1 << (refused[i].keyword.as_bytes()[0] & 0x7f);
        i += 1;
    }
    bits
}

/// Why `line` (trimmed, not a comment) is refused as a vtysh command, if
/// it is: when its first word, or the word after a first `no`, is a
/// keyword of [`REFUSED`] or abbreviates one, as vtysh takes any prefix of
/// a keyword for it.
pub(super) fn refusal(line: &str) -> Option<&'static str> {
    let bytes = line.as_bytes();
    let starts = |byte: u8| byte < 0x80 && FIRST_BYTES & (1 << byte) != 0;
    let negated = bytes.starts_with(b"no") && bytes.get(2).is_some_and(u8::is_ascii_whitespace);
    if !negated && !starts(*bytes.first()?) {
        return None;
    }
    let mut words = line.split_ascii_whitespace();
    let first = words.next()?;
    let word = if negated { words.next()? } else { first };
    refused_keyword(word)
}

/// The reason of the keyword of [`REFUSED`] that `word` is or abbreviates
/// (the first common one when it abbreviates several).
fn refused_keyword(word: &str) -> Option<&'static str> {
    if CONFIGURATION_WORDS.contains(&word) {
        return None;
    }
    let at = REFUSED.partition_point(|r| r.keyword < word);
    let mut abbreviated = REFUSED[at..]
        .iter()
        .take_while(|r| r.keyword.starts_with(word));
    let first = abbreviated.clone().next()?;
    Some(abbreviated.find(|r| !r.rare).unwrap_or(first).reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted() {
        for pair in REFUSED.windows(2) {
            let (a, b) = (pair[0].keyword, pair[1].keyword);
            assert!(a < b, "{a} before {b}");
        }
    }

    #[test]
    fn keywords_and_their_abbreviations_are_refused() {
        let output = Some("not a configuration command (vtysh `output`): refused");
        for line in [
            "output file /tmp/x",
            "outp file /tmp/x",
            "o file x",
            "no output file",
        ] {
            assert_eq!(refusal(line), output, "{line}");
        }
        for (line, keyword) in [
            ("do list", "do"),
            ("do", "do"),
            ("term pag", "terminal"),
            ("no terminal paginate", "terminal"),
            ("list", "list"),
            ("sh run", "show"),
            ("wr mem", "write"),
            ("conf t", "configure"),
            ("co", "configure"),
            ("configuration load file x", "configuration"),
            ("s", "show"),
            ("w", "write"),
            ("sharp install routes", "sharp"),
            ("copy running-config startup-config", "copy"),
            ("cl bgp *", "clear"),
            ("XFRR_end", "XFRR_end_configuration"),
            ("mgmt save-config running /tmp/x", "mgmt"),
            ("pi 192.0.2.1", "ping"),
            ("tr 192.0.2.1", "traceroute"),
        ] {
            let reason = refusal(line).unwrap_or_else(|| panic!("{line} not refused"));
            assert!(reason.contains(&format!("`{keyword}`")), "{line}: {reason}");
        }
    }

    #[test]
    fn configuration_is_not_refused() {
        for line in [
            "log syslog informational",
            "no log syslog",
            "debug bgp updates",
            "no debug bgp updates",
            "enable password x",
            "echo-mode",
            "echo receive-interval 50",
            "service integrated-vtysh-config",
            "line vty",
            "config PCE1",
            "description do list",
            "neighbor 192.0.2.1 description output file /tmp/x",
            "set metric 5",
            "match ip address prefix-list A",
            "continue 20",
            "end",
            "exit",
            "quit",
            "exit-address-family",
            "no",
        ] {
            assert_eq!(refusal(line), None, "{line}");
        }
    }

    #[test]
    fn end_exit_and_quit_are_left_to_the_parser() {
        for line in ["e", "en", "ex", "q", "end", "exit", "quit", "en password x"] {
            assert_eq!(refusal(line), None, "{line}");
        }
    }
}
