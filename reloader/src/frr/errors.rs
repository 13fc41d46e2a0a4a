//! The errors vtysh reports for a script's lines: the `line N: …` lines
//! it prints as it reads them, and the failures daemons report only when
//! they commit the script's configuration, at its end, which name no line
//! and leave vtysh's exit status 0.
//!
//! A daemon converted to FRR's northbound holds what a script's lines
//! change and commits it once, at `XFRR_end_configuration`. When that
//! commit fails, none of those lines is applied, and what FRR prints
//! depends on who committed:
//! - the daemon itself (FRR 8.4's staticd, zebra's and bfdd's lists…)
//!   prints `% Configuration failed.`, the error, then `The following
//!   commands were dynamically grouped into the same transaction and
//!   rejected:` and the commands, one `- COMMAND` line each: those name
//!   the lines;
//! - mgmtd (FRR 10: static routes, and what zebra keeps: prefix-lists,
//!   access-lists, route-maps, interfaces, vrfs) prints `% Configuration
//!   failed.` and the error, without the commands. The lines named are
//!   then those of the blocks mgmtd's datastore holds (`show mgmt
//!   datastore-contents` on 10.3): every one of them was in the failed
//!   commit, although bgpd, which takes its lists and route-maps itself,
//!   may have applied its own copy.
//!
//! Before FRR 9 there is no mgmtd: a report without commands is then a
//! single command's own commit, and vtysh names its line itself.

use std::collections::HashSet;

use crate::config::version::FrrVersion;

/// One error vtysh reported for a line of a script it read with `-f`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line of the script.
    pub line: usize,
    /// FRR's message.
    pub message: String,
}

/// Finds `line N: % …` messages in vtysh output, each (line, message)
/// pair once: from FRR 9 on, each of the children a `vtysh -f` forks (one
/// for each daemon) parses the whole file and reports the lines no daemon
/// knows.
pub fn line_errors(text: &str) -> Vec<LineError> {
    let mut seen = HashSet::new();
    text.lines()
        .filter_map(line_error)
        .filter(|&(line, message)| seen.insert((line, message.trim())))
        .map(|(line, message)| LineError {
            line,
            message: message.trim().to_owned(),
        })
        .collect()
}

/// The line number and message of one `line N: …` line of vtysh output.
pub(crate) fn line_error(line: &str) -> Option<(usize, &str)> {
    let rest = line.trim_start().strip_prefix("line ")?;
    let (number, message) = rest.split_once(": ")?;
    Some((number.parse().ok()?, message))
}

/// What FRR prints first when a commit fails.
const FAILED: &str = "% Configuration failed.";
/// What FRR prints before the commands of a failed commit, when it does.
const GROUPED: &str = "The following commands were dynamically grouped";

/// What mgmtd 10.4 prints, on one line, when the commit at the end of a
/// script fails: `XFRR_end_configuration: % commit failed session-id 7
/// … validate-only: 0: reason: 'Failed to create cfgdata: Reject: …'`
/// (10.3 printed [`FAILED`] and the error instead). Its reason, unquoted.
fn mgmtd_commit_failed(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once(COMMIT_FAILED)?;
    let reason = rest.split_once("reason: ").map_or(rest, |(_, r)| r).trim();
    Some(reason.trim_matches('\''))
}

/// mgmtd's own report of a failed commit (FRR 10.4 on).
const COMMIT_FAILED: &str = "% commit failed ";

/// One failed commit, as printed.
#[derive(Debug, Default, PartialEq, Eq)]
struct Failed {
    /// FRR's error, its lines joined.
    message: String,
    /// The lines of FRR's list of the commands, if it gave one: `- A`
    /// each, or `- A- B` (typed lines carry no newline for FRR to print).
    commands: Vec<String>,
}

/// The lines of `script` (1-based) that a failed commit, reported in
/// `text` (what vtysh printed for the script), did not apply, each as a
/// `line N: …` error. Empty when no commit failed. `version`: the FRR
/// that printed `text`, if known.
pub fn commit_failures(script: &str, text: &str, version: Option<FrrVersion>) -> Vec<LineError> {
    let mgmtd = !matches!(version, Some(v) if v.major < 9);
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for failed in failed_commits(text) {
        let (lines, message) = if failed.commands.is_empty() {
            if !mgmtd {
                continue;
            }
            let message = format!(
                "{FAILED} {} (mgmtd's commit at the end of the script: none of the lines \
                 mgmtd holds was applied; FRR names none)",
                failed.message
            );
            (mgmtd_lines(script), message)
        } else {
            let message = format!("{FAILED} {}", failed.message);
            (lines_of(script, &failed.commands), message)
        };
        for line in lines {
            if seen.insert((line, message.clone())) {
                errors.push(LineError {
                    line,
                    message: message.clone(),
                });
            }
        }
    }
    if mgmtd && lost_daemons(text).contains(&"mgmtd") {
        let named: HashSet<usize> = errors.iter().map(|e| e.line).collect();
        for line in mgmtd_lines(script) {
            if !named.contains(&line) {
                errors.push(LineError {
                    line,
                    message: LOST_MGMTD.to_owned(),
                });
            }
        }
    }
    errors
}

/// The error of a line mgmtd holds when vtysh lost mgmtd mid-script.
const LOST_MGMTD: &str = "vtysh lost its connection to mgmtd during the script (mgmtd may \
                          have died): the lines mgmtd holds are not known to be applied";

/// The daemons vtysh lost, or could not reach, while it ran (`text`,
/// what it printed): FRR's `Warning: closing connection to D because of
/// an I/O error!` and `Warning: connecting to D...failed!`.
pub fn lost_daemons(text: &str) -> Vec<&str> {
    let mut lost = Vec::new();
    for (start, end) in [
        (
            "Warning: closing connection to ",
            " because of an I/O error",
        ),
        ("Warning: connecting to ", "...failed!"),
    ] {
        let mut rest = text;
        while let Some(i) = rest.find(start) {
            rest = &rest[i + start.len()..];
            let daemon = rest.split_once(end).map_or("", |(d, _)| d);
            if !daemon.is_empty()
                && !daemon.contains(char::is_whitespace)
                && !lost.contains(&daemon)
            {
                lost.push(daemon);
            }
        }
    }
    lost
}

/// The failed commits `text` reports, in its order.
fn failed_commits(text: &str) -> Vec<Failed> {
    let mut found = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(reason) = mgmtd_commit_failed(line) {
            found.push(Failed {
                message: reason.to_owned(),
                commands: Vec::new(),
            });
            continue;
        }
        if !line.trim_end().ends_with(FAILED) {
            continue;
        }
        let mut failed = Failed::default();
        let mut message = Vec::new();
        while let Some(next) = lines.peek().map(|l| l.trim()) {
            if next.ends_with(FAILED) || next.contains(COMMIT_FAILED) || is_vtysh_own(next) {
                break;
            }
            if !failed.commands.is_empty() && !next.starts_with("- ") {
                break;
            }
            lines.next();
            if next.starts_with("- ") {
                failed.commands.push(next.to_owned());
            } else if next.is_empty() {
                if !message.is_empty() || !failed.commands.is_empty() {
                    break;
                }
            } else if !next.starts_with(GROUPED) {
                message.push(next);
            }
        }
        failed.message = message.join(" ");
        found.push(failed);
    }
    found
}

/// Whether a line of output is vtysh's own (a line error, what a forked
/// child says, the parent waiting for them) rather than a daemon's.
fn is_vtysh_own(line: &str) -> bool {
    line_error(line).is_some()
        || line.starts_with("Waiting for children")
        || line.starts_with("XFRR_end_configuration:")
        || (line.starts_with('[') && line.contains('|') && line.contains(']'))
}

/// The lines of `script` that typed the commands of FRR's `list` (see
/// [`Failed::commands`]), matched in order (a command FRR names twice
/// matches two lines).
fn lines_of(script: &str, list: &[String]) -> Vec<usize> {
    let lines: Vec<&str> = script.lines().map(str::trim).collect();
    let commands: Vec<&str> = list.iter().flat_map(|line| listed(line, &lines)).collect();
    let mut used = HashSet::new();
    let mut from = 0;
    let mut found = Vec::new();
    for command in commands {
        let matching = |i: &usize| lines[*i] == command && !used.contains(i);
        let at = (from..lines.len())
            .find(matching)
            .or_else(|| (0..from).find(matching));
        if let Some(at) = at {
            used.insert(at);
            found.push(at + 1);
            from = at + 1;
        }
    }
    found
}

/// The commands of one line of FRR's list, `- A` or `- A- B`: each the
/// longest of `lines` the list goes on with up to its end or the next
/// `- `, else the text up to the next `- `.
fn listed<'a>(list: &'a str, lines: &[&str]) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = list.trim();
    while let Some(after) = rest.strip_prefix("- ") {
        let whole = |line: &&&str| {
            after
                .strip_prefix(**line)
                .is_some_and(|r| r.is_empty() || r.starts_with("- "))
        };
        let len = lines
            .iter()
            .filter(|line| !line.is_empty())
            .filter(whole)
            .map(|line| line.len())
            .max()
            .unwrap_or_else(|| after.find("- ").unwrap_or(after.len()));
        found.push(after[..len].trim());
        rest = &after[len..];
    }
    found
}

/// Top-level lines that open what FRR 10's mgmtd keeps in its datastore
/// (10.3's `show mgmt datastore-contents`: staticd's routes, and zebra's
/// lists, route-maps, interfaces, vrfs and nexthop settings), and the key
/// chains and affinity maps vtysh also sends it (10.4's `vtysh.h`).
const MGMTD_OPENERS: [&str; 14] = [
    "ip route ",
    "ipv6 route ",
    "ip prefix-list ",
    "ipv6 prefix-list ",
    "access-list ",
    "ipv6 access-list ",
    "mac access-list ",
    "route-map ",
    "interface ",
    "vrf ",
    "ip nht ",
    "ipv6 nht ",
    "key chain ",
    "affinity-map ",
];

/// The lines of `script` (1-based) in blocks that mgmtd holds: the
/// top-level lines of [`MGMTD_OPENERS`] (or their `no` forms) and the
/// lines indented under them. Without any, every line that is not a
/// node's `exit`: the commit failed, and FRR does not say for what.
fn mgmtd_lines(script: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut inside = false;
    for (i, line) in script.lines().enumerate() {
        let text = line.trim();
        if !line.starts_with(char::is_whitespace) {
            let command = text.strip_prefix("no ").unwrap_or(text);
            inside = MGMTD_OPENERS.iter().any(|o| command.starts_with(o));
        }
        if inside && !is_frame(text) {
            found.push(i + 1);
        }
    }
    if found.is_empty() {
        found = script
            .lines()
            .enumerate()
            .filter(|(_, line)| !is_frame(line.trim()))
            .map(|(i, _)| i + 1)
            .collect();
    }
    found
}

/// Lines that only move between nodes, or say nothing.
fn is_frame(text: &str) -> bool {
    text.is_empty() || text.starts_with('!') || text.starts_with("exit") || text == "end"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_line_errors() {
        let out = "line 3: % Unknown command[25]:  bogus command here\nline 20: Failure to communicate[13] to bgpd, line: router bgp 1\n\nnoise";
        assert_eq!(
            line_errors(out),
            vec![
                LineError {
                    line: 3,
                    message: "% Unknown command[25]:  bogus command here".into()
                },
                LineError {
                    line: 20,
                    message: "Failure to communicate[13] to bgpd, line: router bgp 1".into()
                },
            ]
        );
    }

    #[test]
    fn each_forked_childs_copy_of_an_error_is_reported_once() {
        let out = "line 3: % Unknown command[4]: bogus\n[12|zebra] done\nline 3: % Unknown command[4]: bogus\nline 3: Failure to communicate[13] to bgpd, line: bogus\n";
        let lines: Vec<_> = line_errors(out).into_iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 3]);
    }

    const SCRIPT: &str = "ip prefix-list A seq 5 permit 192.0.2.0/24\n\
                          ip route 198.51.100.16/28 192.0.2.1 Reject\n\
                          ip route 198.51.100.32/28 blackhole\n\
                          router bgp 64512\n neighbor 192.0.2.56 remote-as 64556\nexit\n\
                          interface lo\n description x\nexit\n";

    #[test]
    fn a_commit_that_names_its_commands_names_their_lines() {
        // FRR 8.4's staticd, after a forked child's line error.
        let out = "line 9: % Unknown command[4]: x\n% Configuration failed.\n\n\
                   Error type: validation\nError description: Reject: bad\n\
                   The following commands were dynamically grouped into the same transaction and rejected:\n\
                   - ip route 198.51.100.16/28 192.0.2.1 Reject\n\
                   - ip route 198.51.100.32/28 blackhole\n\
                   [41|bgpd] done\n";
        let errors = commit_failures(SCRIPT, out, None);
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3]);
        assert_eq!(
            errors[0].message,
            "% Configuration failed. Error type: validation Error description: Reject: bad"
        );
    }

    #[test]
    fn a_typed_list_of_commands_is_split_on_the_scripts_lines() {
        // The session's: the commands run together, a dash in one of them.
        let script = "interface lo\n description a- b\nexit\nip route 198.51.100.0/24 Reject\n";
        let out = "% Configuration failed.\nError type: validation\n\
                   The following commands were dynamically grouped into the same transaction and rejected:\n\
                   - description a- b- ip route 198.51.100.0/24 Reject\n";
        let lines: Vec<_> = commit_failures(script, out, Some(FrrVersion::V8_4))
            .into_iter()
            .map(|e| e.line)
            .collect();
        assert_eq!(lines, [2, 4]);
    }

    #[test]
    fn a_commit_by_mgmtd_names_the_lines_it_holds() {
        // FRR 10.3: mgmtd's child, then the parent and another child.
        let out = "[7|mgmtd] sending configuration\n% Configuration failed.\n\n\
                   Reject: Nexthop interface name can not be from reserved keywords\n\
                   Waiting for children to finish applying config...\n[7|mgmtd] done\n";
        let errors = commit_failures(SCRIPT, out, None);
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3, 7, 8]);
        assert!(errors[0]
            .message
            .starts_with("% Configuration failed. Reject: Nexthop interface name"));
        // As the session reports it: after the frame's end, on lines of
        // their own.
        let typed = "XFRR_end_configuration:\n% Configuration failed.\nReject: bad\n";
        assert_eq!(
            commit_failures(SCRIPT, typed, Some(FrrVersion::V10_3)).len(),
            5
        );
    }

    #[test]
    fn mgmtd_10_4_reports_a_failed_commit_on_one_line() {
        let typed = "XFRR_end_configuration: % commit failed session-id 7 on Unknown-FD-12 \
                     req-id 3 source-ds: candidate target-ds: running validate-only: 0: \
                     reason: 'Failed to create cfgdata: Reject: Nexthop interface name can \
                     not be from reserved keywords(Null0, reject, blackhole)'\n";
        let errors = commit_failures(SCRIPT, typed, Some(FrrVersion::new(10, 4)));
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3, 7, 8]);
        assert!(
            errors[0].message.contains("Reject: Nexthop interface name"),
            "{errors:?}"
        );
        assert!(!errors[0].message.contains("session-id"), "{errors:?}");
    }

    #[test]
    fn a_failed_commit_of_other_lines_names_them_all() {
        let script = "router bgp 64512\n bgp router-id 192.0.2.1\nexit\n";
        let errors = commit_failures(script, "% Configuration failed.\n\nbad\n", None);
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2]);
        // Without mgmtd, vtysh names the line of a commit without commands.
        let out = "% Configuration failed.\n\nbad\nline 2: Failure to communicate[13] to staticd\n";
        assert!(commit_failures(script, out, Some(FrrVersion::V8_4)).is_empty());
    }

    #[test]
    fn mgmtd_lost_mid_script_fails_its_lines() {
        // FRR 10.3's mgmtd died on a refused commit before it answered:
        // vtysh exited 0 having printed only this.
        let out = "[5|mgmtd] sending configuration\n[6|zebra] sending configuration\n\
                   vtysh: error reading from mgmtd: No such file or directory (2)\
                   Warning: closing connection to mgmtd because of an I/O error!\n\
                   [6|zebra] done\nWarning: connecting to mgmtd...failed!\n[5|mgmtd] done\n";
        assert_eq!(lost_daemons(out), ["mgmtd"]);
        let script = "ip route 198.51.100.0/28 blackhole\nrouter bgp 64512\nexit\n";
        let errors = commit_failures(script, out, None);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("lost its connection to mgmtd"));
        // FRR 8.4 has no mgmtd; another daemon lost names no line.
        assert!(commit_failures(script, out, Some(FrrVersion::V8_4)).is_empty());
        let bgpd = "Warning: closing connection to bgpd because of an I/O error!\n";
        assert_eq!(lost_daemons(bgpd), ["bgpd"]);
        assert!(commit_failures(script, bgpd, None).is_empty());
        assert!(lost_daemons("description connecting to bgpd...failed!\n").is_empty());
    }

    #[test]
    fn output_without_a_failed_commit_names_nothing() {
        let out = "line 3: % Unknown command[4]: bogus\n% Can't find static route specified\n";
        assert!(commit_failures(SCRIPT, out, None).is_empty());
    }
}
